"""Chapter 4's softmax chart: its bars are the engine's softmax, and it answers its controls.

The probabilities are computed in the browser (Vega expressions); here they are read
back from the drawn bars at settings chosen in this file and compared with
:func:`widgets.engine.activations.softmax_with_temperature` to 1e-9, then the chart is
driven through every control on the built site.
"""

from __future__ import annotations

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

from widgets.engine.activations import softmax_with_temperature
from widgets.explorers.outputs import softmax_chart

pytestmark = pytest.mark.browser
PAGE = "chapters/04_outputs_and_loss.html"


def _settings():
    settings = [
        dict(z1=0.0, z2=0.5, z3=1.0, z4=0.0, classes=3, T=1.0),  # the lecture's example
        dict(z1=2.3, z2=-1.7, z3=0.4, z4=4.9, classes=4, T=0.1),  # sharp: z/T up to 49
        dict(z1=-5.0, z2=5.0, z3=0.0, z4=5.0, classes=4, T=5.0),  # flat, a tie at the top
        dict(z1=-5.0, z2=-5.0, z3=-5.0, z4=3.0, classes=3, T=0.3),  # three equal logits
    ]
    rng = np.random.default_rng(14)
    for _ in range(4):
        z = np.round(rng.uniform(-5, 5, 4), 1)
        settings.append(
            dict(
                **{f"z{k + 1}": float(z[k]) for k in range(4)},
                classes=int(rng.choice([3, 4])),
                T=float(np.round(rng.uniform(0.1, 5), 1)),
            )
        )
    return settings


def test_softmax_chart_probabilities_match_the_engine(chart_server, page_and_record):
    settings = _settings()
    drawn = drawn_marks(chart_server, page_and_record, "softmax", softmax_chart(), settings)
    for setting, marks in zip(settings, drawn):
        n = setting["classes"]
        logits = [setting[f"z{k + 1}"] for k in range(n)]
        expected = softmax_with_temperature(logits, setting["T"])
        bars = sorted(marks["rect"], key=lambda d: d["k"])
        assert [d["k"] for d in bars] == list(range(1, n + 1)), setting
        assert close([d["p"] for d in bars], expected), (setting, bars, expected)
        labels = sorted(marks["text"], key=lambda d: d["k"])
        assert [float(d["_text"]) for d in labels] == pytest.approx(expected, abs=5e-4 + 1e-12)


def test_softmax_chart_answers_every_control(site_url, page_and_record):
    page, record = page_and_record
    figure = open_figure(site_url, page, PAGE)
    # The first view: the lecture's logits 0, 0.5, 1 at T = 1.
    assert [number(t) for t in texts(figure)] == pytest.approx(
        softmax_with_temperature([0, 0.5, 1], 1.0), abs=5e-4
    )
    moves = {
        "classes": lambda: figure.get_by_role("radio", name="4").check(),
        "z1": lambda: range_input(figure, "z1").fill("2.5"),
        "z2": lambda: range_input(figure, "z2").fill("-3"),
        "z3": lambda: range_input(figure, "z3").fill("4.2"),
        "z4": lambda: range_input(figure, "z4").fill("1.1"),
        "T": lambda: range_input(figure, "T").fill("0.6"),
    }
    assert set(moves) == control_names(figure), "every control of the chart is moved"
    unchanged = [name for name, move in moves.items() if not changes(page, figure, move)]
    assert unchanged == []
    # A drawn value at this setting, against the engine.
    drawn = [number(t) for t in texts(figure)]
    assert drawn == pytest.approx(softmax_with_temperature([2.5, -3, 4.2, 1.1], 0.6), abs=5e-4)
    assert record.foreign_requests == [] and record.failed_requests == []
    assert record.unexpected_console_errors() == []
