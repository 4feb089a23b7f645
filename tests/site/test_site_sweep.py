"""Sweep every page of the built site in Chromium, with the network limited to 127.0.0.1.

For each page: it loads with no failed request and no request to another host, and no
console error; every widget area renders; every quiz answers a click with feedback;
every internal link resolves (page and anchor); every image has alt text; axe-core
finds no serious or critical accessibility violation, in the light theme and, for
colour contrast, in the dark theme. The counts are printed (see `pytest -rA` output):
each page's own, and the sums over the site at the end of the run.

Each page is a test of its own in each theme, so that the two test workers share the
sweep; `test_the_sweep_covers_every_page` checks that the pages swept are exactly the
built site's pages.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = pytest.mark.browser

SERIOUS = ("serious", "critical")


def _pages(site_dir: Path) -> list[str]:
    return sorted(
        p.relative_to(site_dir).as_posix()
        for p in site_dir.rglob("*.html")
        if not p.relative_to(site_dir).as_posix().startswith(("_static/", "_sources/", "_images/"))
    )


# The pages to sweep, one test each, read when the tests are collected (`make test`
# builds the site first). With no site built, one test stands for the sweep and fails
# on the missing site (the site_dir fixture).
SITE = Path(__file__).resolve().parents[2] / "_build" / "html"
PAGES = _pages(SITE) if (SITE / "index.html").is_file() else ["index.html"]


@pytest.fixture
def sweep_counts(record_property):
    """This page's counts: printed, and summed over the site by tests/conftest.py."""
    counts = Counter()
    yield counts
    print("site sweep: " + ", ".join(f"{key} {value}" for key, value in sorted(counts.items())))
    record_property("site sweep", dict(counts))


@functools.cache
def _ids_in(site_dir: Path, relative: str) -> frozenset[str]:
    text = (site_dir / relative).read_text(encoding="utf-8", errors="replace")
    return frozenset(re.findall(r'\bid="([^"]+)"', text))


def _axe_violations(page, **options):
    from axe_playwright_python.sync_playwright import Axe

    # Only the violations are read: axe-core then gathers the details (selectors) of
    # one node per passing rule instead of every node, which takes most of its time on
    # a long page. The rules run and the violations found are the same.
    results = Axe().run(page, options={**options, "resultTypes": ["violations"]})
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(
            n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
            for n in v["nodes"][:4]
        )
        for v in results.response["violations"]
        if v.get("impact") in SERIOUS
    ]


def _check_links(page, site_dir, site_url, relative, counts) -> list[str]:
    broken = []
    for href in page.eval_on_selector_all(
        "a[href]", "links => links.map(a => a.getAttribute('href'))"
    ):
        absolute = urljoin(page.url, href)  # page.url: after any redirect (index.html -> the intro)
        if urlparse(absolute).netloc != urlparse(site_url).netloc:
            counts["external links (not followed)"] += 1
            continue
        if absolute.startswith(("mailto:", "javascript:")):
            continue
        counts["internal links"] += 1
        target, fragment = urldefrag(absolute)
        path = unquote(urlparse(target).path).lstrip("/") or "index.html"
        if path.endswith("/"):
            path += "index.html"
        if not (site_dir / path).is_file():
            broken.append(f"{href} -> missing {path}")
        elif (
            fragment and path.endswith(".html") and unquote(fragment) not in _ids_in(site_dir, path)
        ):
            broken.append(f"{href} -> no anchor #{fragment} in {path}")
    return broken


#: jupyterquiz's bare many-choice counter ("[1/3]"), which the course writes out in words.
BARE_COUNTER = re.compile(r"\[-?\d+/\d+\]")


def _answer_every_quiz(page, counts) -> list[str]:
    """Answer each question once; list those that show no feedback, or a bare counter."""
    silent = []
    for question in page.locator("div[data-shufflequestions] .Quiz").all():
        question.scroll_into_view_if_needed()
        feedback = question.locator(".Feedback")
        buttons = question.locator(".MCButton")
        if buttons.count():
            buttons.first.click()
        else:
            box = question.locator("input[type=text]")
            box.fill("12345")
            box.press("Enter")
        try:
            page.wait_for_function(
                "el => el.innerText.trim().length > 0", arg=feedback.element_handle(), timeout=5_000
            )
        except Exception:
            silent.append(question.inner_text()[:80])
        else:
            page.wait_for_timeout(50)  # the course's script rewrites the counter on the next tick
            if BARE_COUNTER.search(feedback.inner_text()):
                silent.append("bare counter: " + feedback.inner_text()[-80:])
        counts["quiz questions answered"] += 1
    counts["quizzes"] += page.locator("div[data-shufflequestions]").count()
    return silent


def _widget_areas(page, counts) -> list[str]:
    empty = []
    views = page.locator("script[type='application/vnd.jupyter.widget-view+json']")
    for k in range(views.count()):
        area = views.nth(k).locator("xpath=..")
        rendered = area.locator(".jupyter-widgets, .widget-html-content, .lm-Widget").first
        try:
            rendered.wait_for(state="attached", timeout=15_000)
            box = area.bounding_box()
            if (
                not box
                or box["height"] < 20
                or not area.inner_text().strip()
                and area.locator("img").count() == 0
            ):
                empty.append(f"widget area {k}: rendered but empty")
        except Exception:
            empty.append(f"widget area {k}: nothing rendered")
        counts["widget areas"] += 1
    return empty


def test_the_sweep_covers_every_page(site_dir):
    found = _pages(site_dir)
    assert "index.html" in found and "chapters/01_gradient_descent.html" in found
    assert found == PAGES, "the site changed after the tests were collected"


@pytest.mark.parametrize("relative", PAGES)
def test_every_page(site_dir, site_url, browser, relative, sweep_counts):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    foreign, failed, errors = [], [], []

    def guard(route):
        url = route.request.url
        if url.startswith(("data:", "blob:")) or urlparse(url).hostname == "127.0.0.1":
            route.continue_()
        else:
            foreign.append(url)
            route.abort()

    context.route("**/*", guard)
    try:
        page = context.new_page()
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
        page.on("requestfailed", lambda r: failed.append(f"{r.url} ({r.failure})"))
        page.on(
            "response",
            lambda r: r.status >= 400 and failed.append(f"{r.url} (HTTP {r.status})"),
        )
        page.goto(f"{site_url}/{relative}", wait_until="networkidle")
        found = {
            "widgets": _widget_areas(page, sweep_counts),
            "images without alt text": [
                src
                for src, alt in page.eval_on_selector_all(
                    "img",
                    "imgs => imgs.map(i => [i.getAttribute('src'), i.getAttribute('alt')])",
                )
                if not alt or not alt.strip() or re.search(r"\.(png|jpe?g|svg|gif)$", alt.strip())
            ],
            "broken links": _check_links(page, site_dir, site_url, relative, sweep_counts),
            "quizzes without feedback": _answer_every_quiz(page, sweep_counts),
            "requests to other hosts": list(foreign),
            "failed requests": list(failed),
            "console errors": list(errors),
        }
        # Last, and after the page's own requests were read: axe-core re-fetches
        # stylesheets itself and resolves their @imports against the page, not the
        # sheet, asking for files that do not exist; those requests are not the site's.
        page.reload(wait_until="networkidle")
        found["accessibility"] = _axe_violations(page)
        sweep_counts["pages"] += 1
        sweep_counts["images"] += page.locator("img").count()
        problems = {f"{relative}: {kind}": items for kind, items in found.items() if items}
        page.close()
    finally:
        context.close()
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())


@pytest.mark.parametrize("relative", PAGES)
def test_dark_mode_stays_readable(site_dir, site_url, browser, relative, sweep_counts):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if urlparse(route.request.url).hostname in ("127.0.0.1", None)
            or route.request.url.startswith("data:")
            else route.abort()
        ),
    )
    try:
        page = context.new_page()
        page.goto(f"{site_url}/{relative}", wait_until="networkidle")
        # A fresh browser profile for each page: the theme's script, not a colour stored
        # by an earlier page, turns the browser's dark preference into the dark theme
        # (on a long page it runs after the network is idle).
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_function(
                "document.documentElement.dataset.theme === 'dark'", timeout=15_000
            )
        assert page.evaluate("document.documentElement.dataset.theme") == "dark", relative
        found = _axe_violations(
            page, runOnly={"type": "rule", "values": ["color-contrast", "link-in-text-block"]}
        )
        sweep_counts["pages checked in dark mode"] += 1
        page.close()
    finally:
        context.close()
    assert found == [], f"{relative}: {found}"
