"""Chapter 9's explorers: status numbers that come from the engine (the Explorer contract
is checked by ``tests/explorers/test_every_explorer.py``)."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from widgets.engine.schedules_batches import (
    activation_derivative,
    activation_value,
    dead_unit_survey,
    pick_rate,
    sgd_run,
)
from widgets.explorers.activations_batches import (
    BATCH_SIZES,
    EPOCHS,
    RATE_GRID,
    TUNED_RATES,
    ActivationExplorer,
    BatchSizeExplorer,
    LearningRateExplorer,
    batch_runs,
    cached_survey,
    grid_losses,
    measured_rate,
    tuned_rate,
)


def _text(explorer) -> str:
    """What the explorer shows as text (status, alt texts, tables), images' data left out."""
    return re.sub(r'src="data:[^"]*"', "", explorer.rendered()).lower()


def test_activation_status_comes_from_the_engine():
    e = ActivationExplorer(function="logistic", net=0.0, layers=3)
    assert "f = 0.500, f′ = 0.250" in e.status
    assert f"f′ᵏ = {0.25**3:.3f}" in e.status
    e.set(function="leaky_relu", slope=0.2, net=-2.0, layers=4)
    f, d, product = e.values
    assert f == activation_value("leaky_relu", -2.0, 0.2) == -0.4
    assert d == activation_derivative("leaky_relu", -2.0, 0.2) == 0.2
    assert math.isclose(product, 0.2**4)
    assert "a = 0.2" in e.status
    e.set(function="sine", net=math.pi / 2)
    assert e.values[0] == pytest.approx(1.0) and "nan" not in e.status
    e.set(function="relu", net=-1.0)
    assert "f′ = 0;" in e.status and "f′ᵏ = 0" in e.status


def test_dead_unit_line_reports_the_survey():
    e = ActivationExplorer(survey_rate=1.0)
    survey = dead_unit_survey(1.0)  # recomputed: the cached survey must match it
    assert np.array_equal(cached_survey(1.0).shares, survey.shares)
    assert f"mean {100 * survey.mean:.1f}%" in e.survey_view.value


def test_dead_units_grow_with_the_learning_rate():
    assert cached_survey(1.0).mean > cached_survey(0.01).mean


def test_learning_rate_status_and_divergence():
    e = LearningRateExplorer(rate=0.1, schedule="constant")
    run = sgd_run(50, 0.1, "constant", 30, 0)
    assert f"→ {run.loss[-1]:.3g}" in e.status
    assert f"validation accuracy {run.validation_accuracy:.3f}" in e.status
    assert not e.diverged
    e.set(rate=10.0)
    assert e.diverged and "diverged" in e.status
    assert "nan" not in e.status.lower() and "inf " not in e.status
    e.set(rate=0.001, schedule="invscaling")
    assert not e.diverged and "nan" not in _text(e)


def test_batch_size_rule_and_status():
    e = BatchSizeExplorer(batch_size=64)
    # the tuned rate is the grid's best, recomputed here from fresh runs
    fresh = {r: sgd_run(64, r, "constant", EPOCHS, 0).rank_loss for r in RATE_GRID}
    assert tuned_rate(64) == pick_rate(fresh)
    assert grid_losses(64) == fresh
    ends = [r.end_loss for r in batch_runs(64)]
    assert f"{np.mean(ends):.3f}" in e.status
    assert "16 updates an epoch" in e.status
    e.set(rule=e.controls["rule"].options[1], batch_size=BATCH_SIZES[-1])
    assert "η = 0.1" in e.status and "1 updates" not in e.status
    assert "nan" not in _text(e)


def test_online_beats_batch_after_the_same_epochs():
    """Wilson & Martinez's claim, on this data: per epoch on-line gets much further."""
    online = np.mean([r.end_loss for r in batch_runs(1)])
    full = np.mean([r.end_loss for r in batch_runs(BATCH_SIZES[-1])])
    assert online < full / 5


@pytest.mark.parametrize("batch_size", BATCH_SIZES)
def test_stored_tuned_rates_are_what_the_grid_search_finds_now(batch_size):
    # The explorer uses TUNED_RATES to answer fast; the search must still agree.
    assert TUNED_RATES[batch_size] == measured_rate(batch_size)
