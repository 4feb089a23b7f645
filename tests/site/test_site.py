"""The built site: offline and self-contained, explorers and quizzes working in Chromium."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlparse

import pytest
from build_book import problems_in

# ----------------------------------------------------------------- static checks of the files


class _ResourceParser(HTMLParser):
    """Collects every URL a page would load: scripts, stylesheets, fonts, images, frames."""

    def __init__(self):
        super().__init__()
        self.loads: list[tuple[str, str]] = []
        self._in_style = False
        self.inline_css: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.loads.append(("script", attrs["src"]))
        elif (
            tag == "link"
            and attrs.get("href")
            and set((attrs.get("rel") or "").split())
            & {"stylesheet", "preload", "icon", "modulepreload", "prefetch"}
        ):
            self.loads.append(("link", attrs["href"]))
        elif tag in ("img", "iframe", "source", "audio", "video", "embed") and attrs.get("src"):
            self.loads.append((tag, attrs["src"]))
        elif tag == "style":
            self._in_style = True
        if attrs.get("style"):
            self.inline_css.append(attrs["style"])

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.inline_css.append(data)


CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)""")
CSS_IMPORT = re.compile(r"""@import\s+['"]([^'"]+)""")


def _is_foreign(url: str) -> bool:
    url = url.strip()
    if url.startswith(("data:", "#", "blob:")):
        return False
    parsed = urlparse(url)
    return bool(parsed.scheme in ("http", "https") or url.startswith("//"))


def _css_urls(text: str) -> list[str]:
    # Drop comments first: a commented-out @import loads nothing.
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return CSS_URL.findall(text) + CSS_IMPORT.findall(text)


def test_site_loads_nothing_from_another_host(site_dir):
    pages = sorted(site_dir.rglob("*.html"))
    stylesheets = sorted(site_dir.rglob("*.css"))
    assert len(pages) >= 6, (
        "the site should have the intro, how-to, chapter, quiz index, glossary and references"
    )
    foreign = []
    for page in pages:
        parser = _ResourceParser()
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        foreign += [
            f"{page.relative_to(site_dir)}: <{kind}> {url}"
            for kind, url in parser.loads
            if _is_foreign(url)
        ]
        foreign += [
            f"{page.relative_to(site_dir)}: inline CSS url({url})"
            for css in parser.inline_css
            for url in _css_urls(css)
            if _is_foreign(url)
        ]
    for sheet in stylesheets:
        foreign += [
            f"{sheet.relative_to(site_dir)}: url({url})"
            for url in _css_urls(sheet.read_text(encoding="utf-8", errors="replace"))
            if _is_foreign(url)
        ]
    print(f"checked {len(pages)} pages and {len(stylesheets)} stylesheets")
    assert foreign == []


def test_resource_scan_catches_a_cdn_script():
    # The scan above must be able to fail: feed it what a default Jupyter Book page has.
    parser = _ResourceParser()
    parser.feed(
        '<script src="https://cdn.example.org/require.min.js"></script>'
        '<link rel="stylesheet" href="//fonts.example.org/css"><style>@font-face{src:url(https://x.example/f.woff2)}</style>'
    )
    found = [url for _, url in parser.loads if _is_foreign(url)] + [
        u for css in parser.inline_css for u in _css_urls(css) if _is_foreign(u)
    ]
    assert len(found) == 3


def test_pages_carry_widget_state_and_local_runtime(site_dir):
    chapter = (site_dir / "chapters" / "01_gradient_descent.html").read_text(encoding="utf-8")
    assert 'type="application/vnd.jupyter.widget-state+json"' in chapter
    assert 'src="../_static/vendor/html-manager/embed-amd.js' in chapter
    assert 'src="../_static/vendor/mathjax/tex-chtml.js' in chapter
    for asset in (
        "vendor/require.js",
        "vendor/html-manager/embed-amd.js",
        "vendor/mathjax/tex-chtml.js",
        "vendor/mathjax/output/chtml/fonts/woff-v2/MathJax_Main-Regular.woff",
    ):
        assert (site_dir / "_static" / asset).is_file(), asset


def test_build_log_check_flags_warnings():
    clean = "building [html]\nbuild succeeded.\n"
    broken = (
        clean
        + "/x/chapters/01.ipynb:5: WARNING: undefined label: 'fig-x'\n"
        + "build finished with problems, 1 warning.\n"
    )
    assert problems_in(clean) == []
    assert len(problems_in(broken)) == 2


def test_last_build_had_no_warnings(site_dir):
    log = site_dir.parent / "build.log"
    assert log.is_file(), "tools/build_book.py writes _build/build.log"
    assert problems_in(log.read_text()) == []


# ----------------------------------------------------------------- in a real browser


@pytest.mark.browser
def test_intro_page_offline(site_url, page_and_record):
    page, record = page_and_record
    page.goto(f"{site_url}/index.html", wait_until="networkidle")
    assert "Neural Net Odds and Ends" in page.title()
    assert page.get_by_role("heading", name="Neural Net Odds and Ends").first.is_visible()
    assert record.foreign_requests == []
    assert record.failed_requests == []
    assert record.unexpected_console_errors() == []


@pytest.mark.browser
def test_chapter1_explorer_and_quiz(site_url, page_and_record):
    page, record = page_and_record
    page.goto(f"{site_url}/chapters/01_gradient_descent.html", wait_until="networkidle")

    # The explorer, rendered by the local widget runtime from the saved widget state.
    explorer = page.locator(".nnoe-explorer").first
    explorer.wait_for(state="visible", timeout=20_000)
    assert explorer.locator(".widget-slider").count() == 3  # learning rate, steps, decay
    assert explorer.locator("input[type=text]").first.input_value() == "-1, 3"
    figure = explorer.locator("img[alt^='Left: contour map']")
    figure.wait_for(state="visible")
    width = figure.evaluate("img => img.naturalWidth")
    assert width > 400, "the explorer's initial figure should be drawn"
    assert "steps: loss" in explorer.inner_text()

    # Math typeset by the local MathJax.
    page.locator("mjx-container").first.wait_for(state="attached", timeout=20_000)

    # The quiz: answering shows that answer's feedback.
    quiz = page.locator("#quiz01")
    quiz.scroll_into_view_if_needed()
    first_question = quiz.locator(".Quiz").first
    first_question.wait_for(state="visible")
    feedback = first_question.locator(".Feedback")
    assert feedback.inner_text().strip() == ""
    first_question.locator(".MCButton").first.click()
    page.wait_for_function("el => el.innerText.trim().length > 0", arg=feedback.element_handle())
    assert len(feedback.inner_text().strip()) > 10
    numeric = quiz.locator(".Quiz").filter(has=page.locator("input[type=text]")).first
    # The answer box can be seen: a border, and a placeholder saying what to type.
    box = numeric.locator("input[type=text]")
    border = box.evaluate("e => parseFloat(getComputedStyle(e).borderTopWidth)")
    assert border >= 1 and box.get_attribute("placeholder")
    numeric.locator("input[type=text]").fill("12345")
    numeric.locator("input[type=text]").press("Enter")
    page.wait_for_function(
        "el => el.innerText.trim().length > 0", arg=numeric.locator(".Feedback").element_handle()
    )
    assert "Not quite" in numeric.locator(".Feedback").inner_text()

    assert record.foreign_requests == []
    assert record.failed_requests == []
    assert record.unexpected_console_errors() == []


@pytest.mark.browser
def test_playground_columns_side_by_side(site_url, page_and_record):
    """Data | features and hidden layers | output, side by side in the text width; each
    feature toggle level with its row of the drawing, each layer's buttons above its column."""
    from widgets.explorers.playground.render import NETWORK_TOP, NODE, ROW, network_columns

    page, record = page_and_record
    page.goto(f"{site_url}/chapters/02_architecture.html", wait_until="networkidle")
    playground = page.locator(".nnoe-playground").first
    playground.wait_for(state="visible", timeout=20_000)
    playground.scroll_into_view_if_needed()
    # The widget views draw asynchronously: wait until the drawing is loaded and the
    # toggles have their size.
    settled = """node => {
        const img = document.querySelector(".nnoe-playground img[alt^='Network diagram']");
        const toggles = document.querySelectorAll(".nnoe-playground .nnoe-pg-features button");
        return img !== null && img.complete && toggles.length === 7 && Array.from(toggles)
            .every(b => Math.abs(b.getBoundingClientRect().height - node) < 1);
    }"""
    page.wait_for_function(settled, arg=NODE, timeout=20_000)
    page.wait_for_timeout(300)
    assert playground.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), "it overflows"
    boxes = [
        playground.locator(f".nnoe-pg-{name}").first.bounding_box()
        for name in ("data", "network", "output")
    ]
    assert all(boxes)
    assert boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"]
    assert max(b["y"] for b in boxes) - min(b["y"] for b in boxes) < 2, "one row of columns"
    drawing = playground.locator("img[alt^='Network diagram']").first.bounding_box()
    toggles = playground.locator(".nnoe-pg-features button")
    assert toggles.count() == 7
    for row in range(7):
        toggle = toggles.nth(row).bounding_box()
        centre = drawing["y"] + NETWORK_TOP + row * ROW + NODE / 2
        assert abs(toggle["y"] + toggle["height"] / 2 - centre) < 2, row
    layers = playground.locator(".nnoe-pg-layer")
    xs, _ = network_columns(layers.count())
    for k in range(layers.count()):
        column = layers.nth(k).bounding_box()
        centre = drawing["x"] + xs[k + 1] + NODE / 2
        assert abs(column["x"] + column["width"] / 2 - centre) < 2, k
    assert record.unexpected_console_errors() == []
