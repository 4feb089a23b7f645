"""Chapter 9's activation chart: its curves and dots are the engine's f and f′, and it
answers its controls.

Both curves and the two dots are computed in the browser (Vega expressions); here they
are read back at settings chosen in this file and compared with
:func:`widgets.engine.schedules_batches.activation_value` and
:func:`~widgets.engine.schedules_batches.activation_derivative` to 1e-9, then the chart
is driven through every control on the built site.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from vegacheck import (
    changes,
    close,
    control_names,
    drawn_marks,
    number,
    open_figure,
    range_input,
    texts,
)

from widgets.engine.schedules_batches import (
    ACTIVATION_NAMES,
    activation_derivative,
    activation_value,
)
from widgets.explorers.activations_batches import activation_chart

pytestmark = pytest.mark.browser
PAGE = "chapters/09_activations_and_batches.html"


def _settings():
    settings = []
    for name in ACTIVATION_NAMES:
        for slope, net in ((0.1, 1.0), (0.0, -4.3), (0.37, 0.0), (0.5, 5.9)):
            settings.append(dict(fn=name, slope=slope, net=net))
    return settings


def test_activation_chart_curves_and_marked_values_match_the_engine(chart_server, page_and_record):
    settings = _settings()
    drawn = drawn_marks(chart_server, page_and_record, "activation", activation_chart(), settings)
    for setting, marks in zip(settings, drawn):
        name, slope, net = setting["fn"], setting["slope"], setting["net"]
        # The curves: every point of both lines, at the net inputs the browser used.
        points = marks["line"]
        assert len(points) >= 2 * 240, setting
        x = np.array([d["x"] for d in points])
        assert x.min() == pytest.approx(-6) and x.max() == pytest.approx(6)
        assert close([d["f"] for d in points], activation_value(name, x, slope)), setting
        assert close([d["df"] for d in points], activation_derivative(name, x, slope)), setting
        values = {d["key"]: d["value"] for d in points if d["x"] == x[0]}
        assert close([values["f"], values["df"]], [points[0]["f"], points[0]["df"]])
        # The two dots at the chosen net input, and the values written beside them.
        dots = {d["key"]: d for d in marks["symbol"]}
        f, df = activation_value(name, net, slope), activation_derivative(name, net, slope)
        assert dots["f"]["x"] == net and close(dots["f"]["value"], f), setting
        assert close(dots["df"]["value"], df), setting
        (readout,) = [d["_text"] for d in marks["text"]]
        # (Vega writes a negative number with a minus sign, U+2212.)
        numbers = [float(v) for v in re.findall(r"-?[\d.]+", readout.replace("\u2212", "-"))]
        assert numbers == pytest.approx([net, float(f), float(df)], abs=5e-4 + 1e-12), (
            setting,
            readout,
        )


def test_activation_chart_answers_every_control(site_url, page_and_record):
    page, record = page_and_record
    figure = open_figure(site_url, page, PAGE)
    select = figure.locator(".vega-bind select")
    moves = {
        # leaky ReLU first: its slope is the only thing the slope slider changes.
        "fn": lambda: select.select_option("leaky_relu"),
        "net": lambda: range_input(figure, "net").fill("-2.5"),
        "slope": lambda: range_input(figure, "slope").fill("0.3"),
    }
    assert set(moves) == control_names(figure), "every control of the chart is moved"
    unchanged = [name for name, move in moves.items() if not changes(page, figure, move)]
    assert unchanged == []
    (readout,) = texts(figure)
    numbers = [number(v) for v in re.findall(r"[\u2212-]?[\d.]+", readout)]
    expected = [
        -2.5,
        float(activation_value("leaky_relu", -2.5, 0.3)),
        float(activation_derivative("leaky_relu", -2.5, 0.3)),
    ]
    assert numbers == pytest.approx(expected, abs=5e-4), readout
    # Every activation of the dropdown draws something else.
    for name in ("identity", "tanh", "relu", "sine", "logistic"):
        assert changes(page, figure, lambda name=name: select.select_option(name)), name
    # (and the check can fail: the slope changes nothing drawn for the logistic)
    assert not changes(page, figure, lambda: range_input(figure, "slope").fill("0.05"), 1_500)
    assert record.foreign_requests == [] and record.failed_requests == []
    assert record.unexpected_console_errors() == []
