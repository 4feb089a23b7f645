"""Chapter 6's early-stopping chart, without a browser: its arguments, the embedded
runs and decisions against a fresh engine run, its description and its controls.

The drawn chart is checked in Chromium by tests/site/test_chart_early_stopping.py.
"""

from __future__ import annotations

import functools
import re

import pytest

from widgets.engine.stopping import epoch_curves, label_noise_data, stopping_rule
from widgets.explorers.stopping import early_stopping_chart
from widgets.explorers.stopping.early_stopping_chart import (
    CHART_FRACTIONS,
    CHART_PATIENCES,
    CHART_TOL,
    rounded,
)


@functools.cache
def fresh_run(fraction):
    """The explorer's first setting at ``fraction``, trained afresh by the engine (not
    through the explorer's cache): moons, 200 examples, 20 % flipped labels, two layers
    of 128, seed 0, 300 epochs of Adam at 0.01."""
    data = label_noise_data("moons", 0.2, n_train=200, n_test=500, seed=0)
    return epoch_curves(*data, (128, 128), fraction, 300, learning_rate_init=0.01, seed=0)


@pytest.fixture(scope="module")
def chart():
    return early_stopping_chart()


def test_arguments_are_checked():
    with pytest.raises(ValueError, match="validation_fraction must be one of"):
        early_stopping_chart(validation_fraction=0.2)
    with pytest.raises(ValueError, match="validation_fraction"):
        early_stopping_chart(validation_fraction=0.05)
    with pytest.raises(ValueError, match="patience"):
        early_stopping_chart(patience=0)
    with pytest.raises(ValueError, match="patience"):
        early_stopping_chart(patience=51)
    with pytest.raises(TypeError, match="patience"):
        early_stopping_chart(patience="ten")


@pytest.mark.parametrize("fraction", [0.1, 0.5])
def test_embedded_curves_are_a_fresh_engine_run(chart, fraction):
    run = fresh_run(fraction)
    embedded = [row for row in chart.spec["datasets"]["curves"] if row["f"] == fraction]
    expected = [
        {
            "f": fraction,
            "e": epoch + 1,
            "loss": rounded(run.loss[epoch]),
            "vloss": rounded(run.val_loss[epoch]),
            "tacc": rounded(run.train_score[epoch]),
            "vacc": rounded(run.val_score[epoch]),
            "test": rounded(run.test_score[epoch]),
        }
        for epoch in range(300)
    ]
    assert run.n_epochs == 300 and embedded == expected


@pytest.mark.parametrize("fraction", [0.1, 0.5])
def test_embedded_decisions_are_the_engine_rule_on_a_fresh_run(chart, fraction):
    run = fresh_run(fraction)
    embedded = {
        row["p"]: row for row in chart.spec["datasets"]["decisions"] if row["f"] == fraction
    }
    assert sorted(embedded) == list(CHART_PATIENCES) == list(range(1, 51))
    for patience, row in embedded.items():
        decision = stopping_rule(run.val_score, patience, 1e-4)
        assert row == {
            "f": fraction,
            "p": patience,
            "stop": decision.stop_epoch,
            "fired": decision.stopped,
            "best": decision.best_epoch,
            "bval": rounded(decision.best_score),
            "btest": rounded(run.test_score[decision.best_epoch - 1]),
            "nt": run.n_train,
            "nv": run.n_validation,
        }, patience
    # (The rule's outcome does depend on the patience here: the test can fail.)
    assert len({row["stop"] for row in embedded.values()}) > 5


def test_every_fraction_and_patience_is_embedded(chart):
    datasets = chart.spec["datasets"]
    assert {row["f"] for row in datasets["curves"]} == set(CHART_FRACTIONS)
    assert len(datasets["curves"]) == 300 * len(CHART_FRACTIONS)
    pairs = {(row["f"], row["p"]) for row in datasets["decisions"]}
    assert pairs == {(f, p) for f in CHART_FRACTIONS for p in CHART_PATIENCES}
    assert CHART_TOL == 1e-4 and CHART_FRACTIONS == (0.1, 0.3, 0.5)


def test_description_quotes_the_first_view_from_the_engine(chart):
    run = fresh_run(0.3)
    decision = stopping_rule(run.val_score, 10, 1e-4)
    assert decision.stopped
    text = chart.description
    assert f"{run.n_train} training and {run.n_validation} validation examples" in text
    assert f"stops after epoch {decision.stop_epoch} " in text
    assert f"keeps epoch {decision.best_epoch} " in text
    kept = re.search(r"validation accuracy ([\d.]+), test ([\d.]+)\)", text)
    assert kept.groups() == (
        f"{decision.best_score:.3f}",
        f"{run.test_score[decision.best_epoch - 1]:.3f}",
    )


def test_controls_are_the_two_sliders(chart):
    assert chart.parameters == {"fraction": 0.3, "patience": 10}
    binds = {p["name"]: p["bind"] for p in chart.spec["params"]}
    assert binds["fraction"] | {} == {
        "input": "range",
        "min": 0.1,
        "max": 0.5,
        "step": 0.2,
        "name": "validation fraction",
    }
    assert binds["patience"]["min"] == 1 and binds["patience"]["max"] == 50
    other = early_stopping_chart(validation_fraction=0.5, patience=3)
    assert other.parameters == {"fraction": 0.5, "patience": 3}
    assert other.spec["datasets"] == chart.spec["datasets"]
