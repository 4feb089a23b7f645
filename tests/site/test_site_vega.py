"""The built site's interactive charts (Vega-Lite): offline, light, and answering controls.

Static checks: the pages with a chart, and only those, load the loader
``_static/vega-charts.js``; the vendored Vega scripts are on the site; a chart adds at
most 1.5 MB to its page. In Chromium, with every request outside 127.0.0.1 blocked:
each bound control of each chart is moved and the drawn marks must change, one drawn
value is compared with the engine at a setting chosen here, and the console stays clean.
"""

from __future__ import annotations

import re

import pytest
from build_book import PAGE_BUDGET, over_budget, page_weights

from widgets.engine.activations import softmax_with_temperature
from widgets.engine.schedules_batches import activation_derivative, activation_value

CHART_PAGES = {
    "chapters/04_outputs_and_loss.html": 1,
    "chapters/09_activations_and_batches.html": 1,
}
LOADER = 'src="../_static/vega-charts.js'
CHART = re.compile(r'<div class="nnoe-vega" id="[^"]+">.*?</script></div>', re.S)
MAX_CHART_BYTES = 1_500_000


def _pages(site_dir):
    return {
        p.relative_to(site_dir).as_posix(): p.read_text(encoding="utf-8")
        for p in site_dir.rglob("*.html")
        if not p.relative_to(site_dir).as_posix().startswith(("_static/", "_sources/"))
    }


def test_only_pages_with_a_chart_load_vega(site_dir):
    for asset in ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js"):
        assert (site_dir / "_static" / "vendor" / "vega" / asset).is_file(), asset
    assert (site_dir / "_static" / "vega-charts.js").is_file()
    with_charts = {}
    for name, text in _pages(site_dir).items():
        charts = len(CHART.findall(text))
        if charts:
            with_charts[name] = charts
        assert ("vega-charts.js" in text) == bool(charts), name
        assert "vega.min.js" not in text, f"{name}: Vega is loaded by vega-charts.js only"
    assert with_charts == CHART_PAGES
    for name in CHART_PAGES:
        assert LOADER in _pages(site_dir)[name]


def test_each_chart_weighs_at_most_1_5_mb(site_dir):
    pages = _pages(site_dir)
    for name in CHART_PAGES:
        for chart in CHART.findall(pages[name]):
            assert len(chart.encode("utf-8")) <= MAX_CHART_BYTES, name


def test_every_page_within_the_weight_budget(site_dir):
    weights = page_weights(site_dir)
    assert {name for name, _ in weights} == set(_pages(site_dir))
    assert over_budget(weights) == []
    # (the check can fail)
    assert over_budget([("heavy.html", PAGE_BUDGET + 1), ("light.html", 10)]) == ["heavy.html"]


# The marks a chart draws now, as SVG: they change when a control changes what is drawn.
MARKS = """figure => Array.from(figure.querySelectorAll("svg g.role-mark"))
    .map(g => g.innerHTML).join("\\n")"""


def _open(site_url, page, relative):
    page.goto(f"{site_url}/{relative}", wait_until="networkidle")
    page.evaluate("window.nnoeVegaReady")
    figure = page.locator(".nnoe-vega").first
    figure.scroll_into_view_if_needed()
    figure.locator("svg g.role-mark").first.wait_for(state="attached", timeout=20_000)
    return figure


def _changes(page, figure, move, timeout=5_000) -> bool:
    """Apply ``move`` (a function of no argument) and say whether the marks changed
    within ``timeout`` milliseconds."""
    before = figure.evaluate(MARKS)
    move()
    try:
        page.wait_for_function(
            f"([figure, before]) => ({MARKS})(figure) !== before",
            arg=[figure.element_handle(), before],
            timeout=timeout,
        )
    except Exception:
        return False
    return True


def _range(figure, name):
    return figure.locator(f".vega-bind input[type=range][name='{name}']")


def _texts(figure):
    return figure.locator("svg g.mark-text.role-mark text").all_text_contents()


def _number(text: str) -> float:
    return float(text.replace("\u2212", "-"))


@pytest.mark.browser
def test_softmax_chart_answers_every_control(site_url, page_and_record):
    page, record = page_and_record
    figure = _open(site_url, page, "chapters/04_outputs_and_loss.html")
    # The first view: the lecture's logits 0, 0.5, 1 at T = 1.
    assert [_number(t) for t in _texts(figure)] == pytest.approx(
        softmax_with_temperature([0, 0.5, 1], 1.0), abs=5e-4
    )
    moves = {
        "classes": lambda: figure.get_by_role("radio", name="4").check(),
        "z1": lambda: _range(figure, "z1").fill("2.5"),
        "z2": lambda: _range(figure, "z2").fill("-3"),
        "z3": lambda: _range(figure, "z3").fill("4.2"),
        "z4": lambda: _range(figure, "z4").fill("1.1"),
        "T": lambda: _range(figure, "T").fill("0.6"),
    }
    assert set(moves) == set(
        figure.locator(".vega-bind input").evaluate_all("inputs => inputs.map(i => i.name)")
    ), "every control of the chart is moved"
    unchanged = [name for name, move in moves.items() if not _changes(page, figure, move)]
    assert unchanged == []
    # A drawn value at this setting, against the engine.
    drawn = [_number(t) for t in _texts(figure)]
    assert drawn == pytest.approx(softmax_with_temperature([2.5, -3, 4.2, 1.1], 0.6), abs=5e-4)
    assert record.foreign_requests == [] and record.failed_requests == []
    assert record.unexpected_console_errors() == []


@pytest.mark.browser
def test_activation_chart_answers_every_control(site_url, page_and_record):
    page, record = page_and_record
    figure = _open(site_url, page, "chapters/09_activations_and_batches.html")
    select = figure.locator(".vega-bind select")
    moves = {
        # leaky ReLU first: its slope is the only thing the slope slider changes.
        "fn": lambda: select.select_option("leaky_relu"),
        "net": lambda: _range(figure, "net").fill("-2.5"),
        "slope": lambda: _range(figure, "slope").fill("0.3"),
    }
    names = figure.locator(".vega-bind input, .vega-bind select").evaluate_all(
        "inputs => inputs.map(i => i.name)"
    )
    assert set(moves) == set(names), "every control of the chart is moved"
    unchanged = [name for name, move in moves.items() if not _changes(page, figure, move)]
    assert unchanged == []
    (readout,) = _texts(figure)
    numbers = [_number(v) for v in re.findall(r"[\u2212-]?[\d.]+", readout)]
    expected = [
        -2.5,
        float(activation_value("leaky_relu", -2.5, 0.3)),
        float(activation_derivative("leaky_relu", -2.5, 0.3)),
    ]
    assert numbers == pytest.approx(expected, abs=5e-4), readout
    # Every activation of the dropdown draws something else.
    for name in ("identity", "tanh", "relu", "sine", "logistic"):
        assert _changes(page, figure, lambda name=name: select.select_option(name)), name
    # (and the check can fail: the slope changes nothing drawn for the logistic)
    assert not _changes(page, figure, lambda: _range(figure, "slope").fill("0.05"), 1_500)
    assert record.foreign_requests == [] and record.failed_requests == []
    assert record.unexpected_console_errors() == []
