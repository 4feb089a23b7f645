"""Chapter 8's gradient-flow chart, without a browser: its embedded norms are the engine's.

The chart embeds the gradient norm of every layer at initialization for every setting
of its controls; here they are compared exactly (after the same rounding) with fresh
runs of :func:`widgets.engine.landscape.gradient_flow` at settings chosen in this file,
the texts with the engine's ratio, the first view's description with the engine, and
the arguments' checks. What the browser draws is checked in
``tests/site/test_chart_gradient_flow.py``.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from widgets.display.vega import VegaChart
from widgets.engine.landscape import gradient_flow
from widgets.explorers.training_issues import (
    FLOW_ACTIVATIONS,
    GradientFlowExplorer,
    flow_data,
    gradient_flow_chart,
)
from widgets.explorers.training_issues.gradient_flow import DEPTH_RANGE, WIDTH
from widgets.explorers.training_issues.gradient_flow_chart import (
    FLOW_CHART_GAINS,
    NORMS_DATA,
    NORMS_MARK,
    RATIO_MARK,
    SETTING_EXPRESSION,
    TEXTS_DATA,
    flow_ratio_text,
    initial_gradient_norms,
    rounded,
    setting_key,
)

# Settings chosen here: every activation, the smallest and largest depth, each gain.
SETTINGS = [
    (2, "logistic", 0.5),
    (20, "logistic", 1.0),
    (13, "tanh", 1.4142),
    (20, "relu", 4.0),
    (7, "relu", 2.0),
    (17, "leaky_relu", 1.0),
    (2, "leaky_relu", 4.0),
]


@pytest.fixture(scope="module")
def chart() -> VegaChart:
    return gradient_flow_chart()


def _fresh_norms(depth, activation, gain):
    """Layer norms at initialization from a run of the engine made here."""
    X, Y = flow_data()
    run = gradient_flow(X, Y, depth=depth, width=16, activation=activation, gain=gain, seed=0)
    return run.norms[0]


SUPERSCRIPTS = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")
RATIO = re.compile(
    r"^Layer 1's gradient is (1/)?\(?([\d.]+)(?: × 10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+))?\)? "
    r"(?:of|times) layer (\d+)'s$"
)


def check_written_ratio(text, depth, ratio):
    """The sentence states layer 1 / layer ``depth`` = ``ratio`` (as "1/k" or "k times"),
    to half a unit of its last written digit."""
    inverse, mantissa, exponent, layer = RATIO.match(text).groups()
    assert int(layer) == depth, text
    assert bool(inverse) == (ratio < 1), text
    scale = 10.0 ** int((exponent or "0").translate(SUPERSCRIPTS))
    decimals = len(mantissa.partition(".")[2])
    expected = 1 / ratio if inverse else ratio
    assert float(mantissa) * scale == pytest.approx(
        expected, rel=1e-12, abs=0.5 * 10.0**-decimals * scale
    ), text


def _rows(chart, dataset, depth, activation, gain):
    key = f"{depth} {activation} {gain:g}"
    return [row for row in chart.spec["datasets"][dataset] if row["s"] == key]


@pytest.mark.parametrize(("depth", "activation", "gain"), SETTINGS)
def test_embedded_norms_equal_a_fresh_engine_run(chart, depth, activation, gain):
    norms = _fresh_norms(depth, activation, gain)
    assert len(norms) == depth + 1
    rows = _rows(chart, NORMS_DATA, depth, activation, gain)
    assert [row["l"] for row in rows] == list(range(1, depth + 2))
    assert [row["n"] for row in rows] == [float(f"{v:.4g}") for v in norms]
    (said,) = _rows(chart, TEXTS_DATA, depth, activation, gain)
    check_written_ratio(said["ratio"], depth, norms[0] / norms[depth - 1])
    assert f"layer 1 {norms[0]:.1e}, layer {depth} {norms[depth - 1]:.1e}" in said["norms"]
    assert f"output {norms[depth]:.1e}" in said["norms"]


def test_the_grid_covers_every_setting_the_controls_offer(chart):
    params = chart.spec["params"]
    depth, activation, gain = (
        next(p for p in params if p["name"] == n) for n in ("depth", "activation", "gain")
    )
    depths = range(depth["bind"]["min"], depth["bind"]["max"] + 1)
    assert (depths[0], depths[-1]) == DEPTH_RANGE
    assert activation["bind"]["options"] == list(FLOW_ACTIVATIONS)
    assert gain["bind"]["options"] == list(FLOW_CHART_GAINS)
    settings = {
        f"{d} {a} {g:g}"
        for d in depths
        for a in activation["bind"]["options"]
        for g in gain["bind"]["options"]
    }
    assert len(settings) == 19 * 4 * 5
    texts = chart.spec["datasets"][TEXTS_DATA]
    assert sorted(row["s"] for row in texts) == sorted(settings)
    norms = chart.spec["datasets"][NORMS_DATA]
    per_setting = {}
    for row in norms:
        per_setting[row["s"]] = per_setting.get(row["s"], 0) + 1
    assert per_setting == {s: int(s.split()[0]) + 1 for s in settings}
    assert all(np.isfinite(row["n"]) and row["n"] > 0 for row in norms)


def test_the_norms_are_the_explorers_first_row():
    """The chart's steps=0 run is the explorer's run before its first step."""
    explorer = GradientFlowExplorer(depth=6, activation="tanh", gain=2.0)
    X, Y = flow_data()
    np.testing.assert_array_equal(
        initial_gradient_norms(X, Y, 6, "tanh", 2.0), explorer.run.norms[0]
    )
    assert WIDTH == 16


def test_chart_parameters_controls_and_filters(chart):
    assert chart.parameters == {"depth": 10, "activation": "logistic", "gain": 1.0}
    binds = {p["name"]: p["bind"]["input"] for p in chart.spec["params"]}
    assert binds == {"depth": "range", "activation": "select", "gain": "radio"}
    layers = chart.spec["layer"]
    for layer in layers:
        assert {"filter": f"datum.s == {SETTING_EXPRESSION}"} in layer["transform"]
    assert [layer["data"]["name"] for layer in layers] == [
        NORMS_DATA,
        NORMS_DATA,
        TEXTS_DATA,
        TEXTS_DATA,
    ]
    assert [layer.get("name") for layer in layers][2:] == [RATIO_MARK, NORMS_MARK]
    # The spec is the same on every call (nbval compares it).
    assert gradient_flow_chart().spec == chart.spec


def test_setting_key_matches_what_javascript_writes():
    # JavaScript's String(number) of the offered gains: "0.5", "1", "1.4142", "2", "4".
    assert [setting_key(3, "tanh", g) for g in FLOW_CHART_GAINS] == [
        "3 tanh 0.5",
        "3 tanh 1",
        "3 tanh 1.4142",
        "3 tanh 2",
        "3 tanh 4",
    ]


def test_description_quotes_the_first_view_from_the_engine():
    chart = gradient_flow_chart(depth=20, activation="relu", gain=1.4142)
    norms = _fresh_norms(20, "relu", 1.4142)
    text = chart.description
    assert "20 ReLU layers, gain 1.4142" in text
    assert f"layer 1 {norms[0]:.1e}, layer 20 {norms[19]:.1e}, output {norms[20]:.1e}" in text
    said = flow_ratio_text(norms, 20)
    assert said in text
    check_written_ratio(said, 20, norms[0] / norms[19])


def test_ratio_text_forms():
    assert flow_ratio_text(np.array([1e-3, 2e-3, 1.0]), 2) == (
        "Layer 1's gradient is 1/2 of layer 2's"
    )
    assert flow_ratio_text(np.array([4.0, 2.0, 1.0]), 2) == (
        "Layer 1's gradient is 2 times layer 2's"
    )
    assert flow_ratio_text(np.array([1e-10, 1.0, 5e-4, 1.0]), 3) == (
        "Layer 1's gradient is 1/(5.0 × 10⁶) of layer 3's"
    )
    assert flow_ratio_text(np.array([1.0, 0.0, 1.0]), 2) == "Layer 2's gradient is 0"
    assert "overflowed" in flow_ratio_text(np.empty(0), 4)


def test_rounding_keeps_four_significant_digits():
    assert rounded(1.23456789e-13) == 1.235e-13
    assert rounded(98765.4) == 98770.0


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"depth": 1}, ValueError, "depth"),
        ({"depth": 21}, ValueError, "depth"),
        ({"depth": 3.0}, TypeError, "depth"),
        ({"activation": "sine"}, ValueError, "activation"),
        ({"activation": 1}, TypeError, "activation"),
        ({"gain": 3.0}, ValueError, "gain must be one of"),
        ({"gain": "1"}, TypeError, "gain"),
    ],
)
def test_arguments_are_checked(kwargs, error, match):
    with pytest.raises(error, match=match):
        gradient_flow_chart(**kwargs)
