"""Chapter 4's cross-entropy chart: its numbers are the engine's, and it answers its controls.

The targets, predictions, terms −t ln z, their total, the target's entropy and the KL
gap are computed in the browser (Vega expressions); here they are read back from the
drawn bars, table and total at settings chosen in this file and compared with the
cross-entropy explorer's :func:`widgets.explorers.outputs.cross_entropy_table` (the
engine's ``cross_entropy_terms``, ``entropy`` and ``kl_divergence``) to 1e-9, then the
chart is driven through every control on the built site.
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

from widgets.explorers.outputs import chart_target, cross_entropy_chart, cross_entropy_table

pytestmark = pytest.mark.browser
PAGE = "chapters/04_outputs_and_loss.html"
#: The chart's place among the page's charts (the softmax's is first).
INDEX = 1
NUMBER = r"[\u2212-]?\d+\.\d+"


def _settings():
    settings = [
        # The first view: class 2 predicted at 0.5.
        dict(q1=0.2, q2=0.5, q3=0.2, q4=0.1, target=2, soft=0.0, unit="nats"),
        # The chapter's soft target (0.1, 0.7, 0.1, 0.1), in bits.
        dict(q1=0.2, q2=0.5, q3=0.2, q4=0.1, target=2, soft=0.4, unit="bits"),
        # Confident and wrong: the target class gets 0.01 / 3.01.
        dict(q1=0.01, q2=1.0, q3=1.0, q4=1.0, target=1, soft=0.0, unit="nats"),
        # The uniform target (every t = 1/4): H(t) = ln 4.
        dict(q1=0.93, q2=0.07, q3=0.38, q4=0.61, target=3, soft=1.0, unit="bits"),
        # Prediction equal to the target: no gap.
        dict(q1=0.1, q2=0.1, q3=0.1, q4=0.7, target=4, soft=0.4, unit="nats"),
    ]
    rng = np.random.default_rng(4)
    for _ in range(4):
        q = np.round(rng.uniform(0.01, 1, 4), 2)
        settings.append(
            dict(
                **{f"q{k + 1}": float(q[k]) for k in range(4)},
                target=int(rng.integers(1, 5)),
                soft=float(np.round(rng.uniform(0, 1) / 0.05) * 0.05),
                unit=str(rng.choice(["nats", "bits"])),
            )
        )
    return settings


def _engine(setting):
    q = np.array([setting[f"q{k + 1}"] for k in range(4)])
    target = chart_target(setting["target"], setting["soft"])
    return cross_entropy_table(target, q / q.sum(), setting["unit"])


def test_cross_entropy_chart_numbers_match_the_engine(chart_server, page_and_record):
    settings = _settings()
    drawn = drawn_marks(
        chart_server, page_and_record, "cross_entropy", cross_entropy_chart(), settings
    )
    for setting, marks in zip(settings, drawn):
        table = _engine(setting)
        # The bars: three per class, each the engine's t, z or term.
        bars = {(d["k"], d["key"]): d["value"] for d in marks["rect"]}
        assert sorted(bars) == [(k, key) for k in range(1, 5) for key in ("t", "term", "z")]
        for key, expected in (("t", table.targets), ("z", table.outputs), ("term", table.terms)):
            assert close([bars[k, key] for k in range(1, 5)], expected), (setting, key)
        # The table: the same numbers to 3 decimals, class by class.
        cells = {
            (d["k"], d["key"]): float(d["_text"])
            for d in marks["text"]
            if d["_mark"] == "table_marks"
        }
        for key, expected in (("t", table.targets), ("z", table.outputs), ("term", table.terms)):
            assert [cells[k, key] for k in range(1, 5)] == pytest.approx(expected, abs=5e-4 + 1e-12)
        # The total, H(t) and the KL gap, drawn and written.
        (total,) = [d for d in marks["text"] if d["_mark"] == "total_marks"]
        expected = [table.total, table.target_entropy, table.gap]
        assert close([total["total"], total["entropy"], total["kl"]], expected), setting
        written = [number(v) for v in re.findall(NUMBER, total["_text"])]
        assert written == pytest.approx(expected, abs=5e-4 + 1e-12), total["_text"]
        assert setting["unit"] in total["_text"]
    # The settings reach what the checks are for: a zero gap and H(t) = ln 4 (2 bits).
    assert _engine(settings[4]).gap == pytest.approx(0, abs=1e-12)
    assert _engine(settings[3]).target_entropy == pytest.approx(2.0)


def test_cross_entropy_chart_answers_every_control(site_url, page_and_record):
    page, record = page_and_record
    figure = open_figure(site_url, page, PAGE, INDEX)
    # The first view: -ln 0.5 for class 2.
    (headline,) = texts(figure, "total_marks")
    assert [number(v) for v in re.findall(NUMBER, headline)] == pytest.approx(
        [np.log(2), 0, np.log(2)], abs=5e-4
    )
    moves = {
        "q1": lambda: range_input(figure, "q1").fill("0.75"),
        "q2": lambda: range_input(figure, "q2").fill("0.3"),
        "q3": lambda: range_input(figure, "q3").fill("0.05"),
        "q4": lambda: range_input(figure, "q4").fill("0.6"),
        "target": lambda: figure.get_by_role("radio", name="3").check(),
        "soft": lambda: range_input(figure, "soft").fill("0.3"),
        "unit": lambda: figure.get_by_role("radio", name="bits").check(),
    }
    assert set(moves) == control_names(figure), "every control of the chart is moved"
    unchanged = [name for name, move in moves.items() if not changes(page, figure, move)]
    assert unchanged == []
    # The numbers written at this setting, against the engine.
    table = _engine(dict(q1=0.75, q2=0.3, q3=0.05, q4=0.6, target=3, soft=0.3, unit="bits"))
    (headline,) = texts(figure, "total_marks")
    assert [number(v) for v in re.findall(NUMBER, headline)] == pytest.approx(
        [table.total, table.target_entropy, table.gap], abs=5e-4
    ), headline
    assert "bits" in headline
    cells = [number(v) for v in texts(figure, "table_marks")]
    assert sorted(cells) == pytest.approx(
        sorted([*table.targets, *table.outputs, *table.terms]), abs=5e-4
    )
    assert record.foreign_requests == [] and record.failed_requests == []
    assert record.unexpected_console_errors() == []
