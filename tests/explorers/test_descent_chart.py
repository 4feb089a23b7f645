"""Chapter 1's descent chart, without a browser: its arguments, controls, description,
and the embedded runs, which must equal fresh runs of the engine exactly (rounded as
embedded) at any number of steps the slider offers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from widgets.explorers.descent import (
    DescentExplorer,
    critical_learning_rate,
    descent_chart,
    gradient_descent,
    line_fit_surface,
)
from widgets.explorers.descent.descent_chart import (
    DECAYS,
    LOG10_RATES,
    MAX_STEPS,
    START,
    descent_runs,
    embedded_runs,
    rounded,
)


@pytest.fixture(scope="module")
def chart():
    return descent_chart()


def _embedded(chart, rate_index, decay_index):
    (row,) = [
        r
        for r in chart.spec["datasets"]["descent_runs"]
        if r["key"] == rate_index * len(DECAYS) + decay_index
    ]
    return row


def test_the_grid_spans_the_explorers_rates_on_a_log_scale():
    assert len(LOG10_RATES) == 25
    assert LOG10_RATES[0] == -3 and LOG10_RATES[-1] == 0
    assert np.diff(LOG10_RATES) == pytest.approx(np.full(24, 0.125), abs=0)
    assert DECAYS[0] == 0 and len(DECAYS) >= 3


# Settings chosen here: a crawl, the first view, either side of the edge 2/λ_max (with
# and without decay), the largest rate with the largest decay, and runs cut before,
# at and after their divergence.
SETTINGS = [
    (0, 0, 100),
    (14, 0, 40),
    (19, 0, 73),
    (20, 0, 5),
    (20, 0, 19),
    (20, 0, 20),
    (20, 0, 100),
    (20, 1, 100),
    (22, 2, 6),
    (22, 2, 100),
    (24, 3, 100),
    (24, 0, 3),
    (24, 0, 4),
    (9, 3, 1),
]


@pytest.mark.parametrize("rate_index, decay_index, steps", SETTINGS)
def test_embedded_runs_equal_a_fresh_engine_run(chart, rate_index, decay_index, steps):
    """The chart keeps steps 0 … n of the stored run (fewer if it diverged before n):
    that must be exactly a fresh run of n steps, rounded as embedded."""
    row = _embedded(chart, rate_index, decay_index)
    rate, decay = 10.0 ** LOG10_RATES[rate_index], DECAYS[decay_index]
    fresh = gradient_descent(line_fit_surface(), START, rate, steps, decay)
    kept = min(steps + 1, len(row["L"]))
    assert row["w"][:kept] == rounded(fresh.path[:, 0])
    assert row["b"][:kept] == rounded(fresh.path[:, 1])
    assert row["L"][:kept] == rounded(fresh.losses)
    shown_diverged = row["diverged"] is not None and row["diverged"] <= steps
    assert shown_diverged == fresh.diverged
    if fresh.diverged:
        assert row["diverged"] == fresh.diverged_at
    assert row["rate"] == f"{rate:.3g}"


def test_every_embedded_run_is_the_engines_full_run(chart):
    rows = chart.spec["datasets"]["descent_runs"]
    assert len(rows) == len(LOG10_RATES) * len(DECAYS)
    assert sorted(r["key"] for r in rows) == list(range(len(rows)))
    for (k, j), run in descent_runs().items():
        row = _embedded(chart, k, j)
        assert row["L"] == rounded(run.losses)
        assert row["diverged"] == run.diverged_at
        assert len(row["w"]) == len(row["b"]) == len(row["L"]) == len(run.path)
        if not run.diverged:
            assert len(row["L"]) == MAX_STEPS + 1
    # The edge is where the engine's critical rate says: converged just under it,
    # diverged just over it (without decay).
    critical = critical_learning_rate()
    under = max(k for k, e in enumerate(LOG10_RATES) if 10**e < critical)
    assert _embedded(chart, under, 0)["diverged"] is None
    assert _embedded(chart, under + 1, 0)["diverged"] is not None
    # (rounding to 4 digits loses something the comparison would see)
    assert rounded(1.23456) == 1.235 and rounded(1.23456) != 1.23456


def test_first_view_is_the_explorers_and_the_description_quotes_the_engine(chart):
    assert chart.parameters == {"lograte": -1.25, "decay": 0.0, "steps": 40}
    explorer = DescentExplorer()
    # the grid rate nearest (on the log scale) to the explorer's first rate
    assert abs(math.log10(explorer.controls["learning_rate"].value) + 1.25) <= 1 / 16
    run = gradient_descent(line_fit_surface(), START, 10**-1.25, 40)
    assert f"η₀ = {10**-1.25:.3g}, decay 0, {run.status}." in chart.description
    assert run.status == "40 steps: loss 5.977 → 0.8542"
    w_star, b_star = line_fit_surface().minimum
    assert f"w = {w_star:.2f}, b = {b_star:.2f}" in chart.description
    edge = 10 ** LOG10_RATES[20]
    assert critical_learning_rate() < edge
    assert f"rates from {edge:.3g} up diverge" in chart.description
    assert "0.316" in chart.description


def test_other_first_views_and_argument_errors():
    chart = descent_chart(learning_rate=0.3, decay=0.05, steps=100)
    assert chart.parameters == {"lograte": -0.5, "decay": 0.05, "steps": 100}
    assert "decay 0.05, 100 steps: loss" in chart.description
    assert "diverged after 6 steps" in descent_chart(0.5, 0.0, 100).description
    with pytest.raises(ValueError, match="learning_rate"):
        descent_chart(learning_rate=2.0)
    with pytest.raises(ValueError, match="learning_rate"):
        descent_chart(learning_rate=0)
    with pytest.raises(TypeError, match="learning_rate"):
        descent_chart(learning_rate="fast")
    with pytest.raises(ValueError, match="decay must be one of"):
        descent_chart(decay=0.1)
    with pytest.raises(ValueError, match="decay"):
        descent_chart(decay=-1)
    with pytest.raises(ValueError, match="steps"):
        descent_chart(steps=MAX_STEPS + 1)
    with pytest.raises(ValueError, match="steps"):
        descent_chart(steps=0)
    with pytest.raises(TypeError, match="steps"):
        descent_chart(steps=2.5)
    with pytest.raises(ValueError, match="start"):
        descent_chart(start=(math.nan, 0))


def test_controls_are_bound_and_named(chart):
    params = {p["name"]: p for p in chart.spec["params"]}
    assert set(params) == {"lograte", "decay", "steps"}
    rate = params["lograte"]["bind"]
    assert (rate["input"], rate["min"], rate["max"], rate["step"]) == ("range", -3, 0, 0.125)
    assert params["decay"]["bind"] == {
        "input": "radio",
        "options": list(DECAYS),
        "name": "decay d",
    }
    steps = params["steps"]["bind"]
    assert (steps["input"], steps["min"], steps["max"], steps["step"]) == (
        "range",
        1,
        MAX_STEPS,
        1,
    )


def test_chart_is_small_and_the_same_on_every_run(chart):
    size = len(chart.to_html().encode("utf-8"))
    assert size < 400_000, size
    assert descent_chart().spec == chart.spec
    # every embedded number is rounded to 4 significant digits
    for row in chart.spec["datasets"]["descent_runs"]:
        for name in ("w", "b", "L"):
            assert rounded(row[name]) == row[name]
    assert embedded_runs() == chart.spec["datasets"]["descent_runs"]
