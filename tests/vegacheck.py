"""Shared checks for the interactive (Vega-Lite) charts, in a real browser.

Two ways to look at a chart, used by every ``tests/site/test_chart_*.py``:

- :func:`drawn_marks` draws one chart exactly as the site draws it (its HTML from
  :func:`widgets.display.vega.site_html`, the loader and the vendored Vega, served by
  the ``chart_server`` fixture on 127.0.0.1, every other host blocked), sets its
  parameters through the Vega view's ``signal()`` API at each setting given, and
  returns the data of every mark drawn (bars, line points, dots, text), so a test can
  compare them with the engine: to :data:`TOLERANCE` where the browser computes them
  (:func:`close`), exactly where they were precomputed and embedded.
- :func:`open_figure`, :func:`changes` and the small readers below drive a chart on the
  built site through its controls, as a student would.
"""

from __future__ import annotations

import numpy as np

#: The largest difference allowed between a value computed in the browser and the
#: engine's (relative above 1).
TOLERANCE = 1e-9

# Set the parameters of each setting, run the view, and return what every data mark
# (role "mark", not axes or legends) draws: its items' data, and their text.
DRAWN_AT = """async ([index, settings]) => {
    await window.nnoeVegaReady;
    const view = document.querySelectorAll(".nnoe-vega")[index].nnoeView;
    const results = [];
    function collect(mark, out) {
        for (const item of mark.items || []) {
            if (mark.marktype === "group") {
                for (const child of item.items || []) collect(child, out);
            } else if (mark.role === "mark" && item.datum) {
                const drawn = JSON.parse(JSON.stringify(item.datum));
                if (item.text !== undefined) drawn._text = String(item.text);
                if (mark.name) drawn._mark = mark.name;
                (out[mark.marktype] = out[mark.marktype] || []).push(drawn);
            }
        }
    }
    for (const setting of settings) {
        for (const [name, value] of Object.entries(setting)) view.signal(name, value);
        await view.runAsync();
        const out = {};
        collect(view.scenegraph().root, out);
        results.push(out);
    }
    return results;
}"""


def close(browser_values, engine_values, tolerance=TOLERANCE) -> bool:
    """Whether the two arrays have one shape and agree to ``tolerance`` (relative above 1)."""
    a, b = np.asarray(browser_values, float), np.asarray(engine_values, float)
    return a.shape == b.shape and bool(
        np.all(np.abs(a - b) <= tolerance * np.maximum(1, np.abs(b)))
    )


def drawn_marks(chart_server, page_and_record, name, chart, settings):
    """The marks ``chart`` draws at each of ``settings`` (dicts of parameter values).

    Returns one dict per setting: mark type (``"rect"``, ``"line"``, ``"symbol"``,
    ``"text"`` ...) → the data of every item drawn, with ``_text`` for text marks and
    ``_mark`` for named marks. Fails on a request that leaves 127.0.0.1, a failed
    request, or a console error.
    """
    from widgets.display.vega import site_html

    folder, url = chart_server
    (folder / f"{name}.html").write_text(
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>chart</title>"
        "<script defer src='vega-charts.js'></script></head><body>"
        + site_html(chart.spec)
        + "</body></html>",
        encoding="utf-8",
    )
    page, record = page_and_record
    page.goto(f"{url}/{name}.html", wait_until="networkidle")
    drawn = page.evaluate(DRAWN_AT, [0, settings])
    assert record.foreign_requests == [] and record.failed_requests == []
    assert record.unexpected_console_errors() == []
    return drawn


# The marks a chart draws now, as SVG: they change when a control changes what is drawn.
MARKS = """figure => Array.from(figure.querySelectorAll("svg g.role-mark"))
    .map(g => g.innerHTML).join("\\n")"""


def open_figure(site_url, page, relative, index=0):
    """The ``index``-th chart of the built page ``relative``, once drawn."""
    page.goto(f"{site_url}/{relative}", wait_until="networkidle")
    page.evaluate("window.nnoeVegaReady")
    figure = page.locator(".nnoe-vega").nth(index)
    figure.scroll_into_view_if_needed()
    # (60 s: the page's widget runtime, MathJax and Vega load together; on a loaded
    # 2-core machine the first drawing has taken 25 s.)
    figure.locator("svg g.role-mark").first.wait_for(state="attached", timeout=60_000)
    return figure


def changes(page, figure, move, timeout=5_000) -> bool:
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


def control_names(figure) -> set[str]:
    """The names of every control (input or select) bound to the chart."""
    return set(
        figure.locator(".vega-bind input, .vega-bind select").evaluate_all(
            "inputs => inputs.map(i => i.name)"
        )
    )


def range_input(figure, name):
    """The slider bound to parameter ``name``."""
    return figure.locator(f".vega-bind input[type=range][name='{name}']")


def texts(figure, mark_name=None):
    """The texts drawn by the chart's text marks (those of the mark ``mark_name`` only,
    when given: Vega-Lite names a mark by the ``name`` of its layer)."""
    selector = "svg g.mark-text.role-mark"
    if mark_name:
        selector += f".{mark_name}"
    return figure.locator(f"{selector} text").all_text_contents()


def number(text: str) -> float:
    """A number as Vega writes it (a minus sign U+2212 for negative numbers)."""
    return float(text.replace("\u2212", "-"))
