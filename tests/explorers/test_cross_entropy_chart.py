"""Chapter 4's cross-entropy chart without a browser: arguments, controls, description.

What it computes is checked in Chromium against the engine
(``tests/site/test_chart_cross_entropy.py``).
"""

from __future__ import annotations

import numpy as np
import pytest

from widgets.explorers.outputs import (
    CROSS_ENTROPY_EXPRESSIONS,
    chart_target,
    cross_entropy_chart,
    cross_entropy_table,
)


def test_controls_start_at_the_arguments():
    chart = cross_entropy_chart()
    assert chart.parameters == {
        "q1": 0.2,
        "q2": 0.5,
        "q3": 0.2,
        "q4": 0.1,
        "target": 2,
        "soft": 0.0,
        "unit": "nats",
    }
    other = cross_entropy_chart((0.9, 0.05, 0.02, 1.0), target_class=4, soft=0.25, unit="bits")
    assert other.parameters == {
        "q1": 0.9,
        "q2": 0.05,
        "q3": 0.02,
        "q4": 1.0,
        "target": 4,
        "soft": 0.25,
        "unit": "bits",
    }
    bound = {p["name"]: p["bind"] for p in chart.spec["params"] if "bind" in p}
    assert bound["target"]["options"] == [1, 2, 3, 4]
    assert bound["unit"]["options"] == ["nats", "bits"]
    assert all(bound[f"q{k}"]["min"] > 0 for k in range(1, 5)), "ln z stays finite"


def test_description_quotes_the_engine():
    # Predictions 0.2, 0.5, 0.2, 0.1 for class 2: one term, -ln 0.5.
    chart = cross_entropy_chart()
    assert "terms 0.000, 0.693, 0.000, 0.000 nats, total 0.693 = H(t) 0.000 + KL 0.693" in (
        chart.description
    )
    # The chapter's soft target (0.1, 0.7, 0.1, 0.1) is (1 - 0.4) one-hot + 0.4 / 4.
    soft = cross_entropy_chart(soft=0.4, unit="bits")
    table = cross_entropy_table([0.1, 0.7, 0.1, 0.1], [0.2, 0.5, 0.2, 0.1], "bits")
    assert f"total {table.total:.3f} = H(t) {table.target_entropy:.3f}" in soft.description
    assert f"{table.total:.3f}" == "1.497"
    # Raw predictions are divided by their sum.
    raw = cross_entropy_chart((1.0, 1.0, 0.5, 0.5), target_class=1)
    assert "predictions 0.333, 0.333, 0.167, 0.167" in raw.description
    assert f"total {-np.log(1 / 3):.3f}" in raw.description


def test_chart_target():
    assert chart_target(2, 0.0).tolist() == [0, 1, 0, 0]
    assert chart_target(2, 0.4) == pytest.approx([0.1, 0.7, 0.1, 0.1], abs=1e-15)
    assert chart_target(3, 1.0).tolist() == [0.25] * 4
    with pytest.raises(ValueError, match="target_class"):
        chart_target(5, 0.0)
    with pytest.raises(ValueError, match="soft"):
        chart_target(1, 1.5)


def test_arguments_are_checked():
    with pytest.raises(ValueError, match="predictions"):
        cross_entropy_chart((0.5, 0.5, 0.0, 0.1))
    with pytest.raises(ValueError, match="predictions"):
        cross_entropy_chart((0.5, 0.5, 0.1))
    with pytest.raises(ValueError, match="predictions"):
        cross_entropy_chart((0.5, 0.5, 0.1, 1.5))
    with pytest.raises(ValueError, match="target_class"):
        cross_entropy_chart(target_class=0)
    with pytest.raises(TypeError, match="target_class"):
        cross_entropy_chart(target_class=2.0)
    with pytest.raises(ValueError, match="soft"):
        cross_entropy_chart(soft=-0.1)
    with pytest.raises(ValueError, match="unit"):
        cross_entropy_chart(unit="dits")


def test_expressions_keep_zero_log_zero_at_zero():
    # 0 ln 0 = 0 (xlogy): a class the target ignores adds nothing, even at z > 0.
    assert CROSS_ENTROPY_EXPRESSIONS["term"].startswith("(0 - (datum.t == 0 ? 0 :")


def test_chart_is_the_same_on_every_run():
    # nbval compares the cell's stored output with a fresh run.
    assert cross_entropy_chart().spec == cross_entropy_chart().spec
