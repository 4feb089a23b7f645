"""Chapter 8's gradient-flow chart: it draws the engine's norms, and answers its controls.

The chart embeds the norms the engine computed when the notebook ran; here the points
and texts Chromium draws at settings chosen in this file are read back and compared
**exactly** with fresh runs of :func:`widgets.engine.landscape.gradient_flow` (rounded
as the chart rounds them), then the chart is driven through every control on the built
site and the ratio it writes is checked against the engine.
"""

from __future__ import annotations

import pytest
from vegacheck import changes, control_names, drawn_marks, open_figure, range_input, texts

from widgets.engine.landscape import gradient_flow
from widgets.explorers.training_issues import flow_data, gradient_flow_chart
from widgets.explorers.training_issues.gradient_flow_chart import (
    NORMS_MARK,
    RATIO_MARK,
    flow_ratio_text,
    rounded,
)

pytestmark = pytest.mark.browser
# Vega-Lite names a layer's mark "<the layer's name>_marks".
RATIO, NORMS = f"{RATIO_MARK}_marks", f"{NORMS_MARK}_marks"
PAGE = "chapters/08_training_issues.html"
# (depth, activation, gain): each activation and gain, the shallowest and deepest nets.
SETTINGS = [
    (20, "logistic", 1.0),
    (2, "tanh", 0.5),
    (15, "relu", 1.4142),
    (20, "relu", 4.0),
    (9, "leaky_relu", 2.0),
    (3, "logistic", 4.0),
]


def _engine_norms(depth, activation, gain):
    """Each layer's gradient norm at initialization, from a run of the engine made here."""
    X, Y = flow_data()
    run = gradient_flow(X, Y, depth=depth, width=16, activation=activation, gain=gain, seed=0)
    return run.norms[0]


def test_gradient_flow_chart_draws_the_engines_norms(chart_server, page_and_record):
    settings = [dict(depth=d, activation=a, gain=g) for d, a, g in SETTINGS]
    drawn = drawn_marks(
        chart_server, page_and_record, "gradient_flow", gradient_flow_chart(), settings
    )
    for (depth, activation, gain), marks in zip(SETTINGS, drawn):
        norms = _engine_norms(depth, activation, gain)
        # The points and the line: one per layer, 1 to depth and the output layer.
        for kind in ("symbol", "line"):
            layers = sorted(marks[kind], key=lambda d: d["l"])
            assert [d["l"] for d in layers] == list(range(1, depth + 2)), (kind, depth)
            assert [d["n"] for d in layers] == [rounded(v) for v in norms], (kind, depth)
        written = {d["_mark"]: d["_text"] for d in marks["text"]}
        assert written[RATIO] == flow_ratio_text(norms, depth)
        assert f"layer {depth} {norms[depth - 1]:.1e}" in written[NORMS]
    # (the check can fail: two settings draw different norms)
    assert drawn[0]["symbol"] != drawn[-1]["symbol"]


def test_gradient_flow_chart_answers_every_control(site_url, page_and_record):
    page, record = page_and_record
    figure = open_figure(site_url, page, PAGE)
    select = figure.locator(".vega-bind select")
    moves = {
        "depth": lambda: range_input(figure, "depth").fill("17"),
        "activation": lambda: select.select_option("relu"),
        "gain": lambda: figure.get_by_role("radio", name="√2", exact=True).check(),
    }
    assert set(moves) == control_names(figure), "every control of the chart is moved"
    unchanged = [name for name, move in moves.items() if not changes(page, figure, move)]
    assert unchanged == []
    norms = _engine_norms(17, "relu", 1.4142)
    assert texts(figure, RATIO) == [flow_ratio_text(norms, 17)]
    # Every offered gain and activation draws something else.
    for gain in ("4", "0.5", "2", "1"):
        assert changes(
            page, figure, lambda g=gain: figure.get_by_role("radio", name=g, exact=True).check()
        )
    for name in ("tanh", "leaky_relu", "logistic"):
        assert changes(page, figure, lambda name=name: select.select_option(name)), name
    assert changes(page, figure, lambda: range_input(figure, "depth").fill("2"))
    norms = _engine_norms(2, "logistic", 1.0)
    assert texts(figure, RATIO) == [flow_ratio_text(norms, 2)]
    # (and the check can fail: choosing the gain already chosen changes nothing)
    assert not changes(
        page, figure, lambda: figure.get_by_role("radio", name="1", exact=True).check(), 1_500
    )
    assert record.foreign_requests == [] and record.failed_requests == []
    assert record.unexpected_console_errors() == []
