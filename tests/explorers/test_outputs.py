"""Chapter 4's explorers and the numbers behind them."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from scipy.special import expit

from widgets.explorers.outputs import (
    PAIRINGS,
    CrossEntropyExplorer,
    PairingExplorer,
    SoftmaxExplorer,
    cross_entropy_table,
    error_signal,
    fit_curve,
    lecture_table_total,
    pairing_sweep,
    softmax_parts,
    train_digits,
    worked_example_probability,
    worked_example_total,
)

_spec = importlib.util.spec_from_file_location(
    "_every_explorer", Path(__file__).with_name("test_every_explorer.py")
)
_every = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_every)
check_explorer = _every.check_explorer

EXPLORERS = [SoftmaxExplorer, CrossEntropyExplorer, PairingExplorer]


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda c: c.__name__)
def test_explorer_keeps_the_contract(cls):
    assert check_explorer(cls) == []


def test_worked_example():
    parts = softmax_parts([0, 0.5, 1])
    np.testing.assert_array_equal(parts.exponentials.round(2), [1.0, 1.65, 2.72])
    assert round(parts.total, 2) == 5.37 == round(worked_example_total(), 2)
    np.testing.assert_array_equal(parts.probabilities.round(2), [0.19, 0.31, 0.51])
    assert worked_example_probability(2) == pytest.approx(np.e / (1 + np.exp(0.5) + np.e))
    # The lecture's .18 is 1/5.37 truncated; rounded it is .19 (0.186).
    assert worked_example_probability(0) == pytest.approx(0.1863, abs=1e-4)


def test_softmax_explorer_shift_and_temperature():
    explorer = SoftmaxExplorer()
    before = explorer.probabilities.copy()
    explorer.set(shift=4.0)
    np.testing.assert_allclose(explorer.probabilities, before)
    assert explorer.parts.total == pytest.approx(np.exp(4) * worked_example_total())
    explorer.set(shift=0.0, temperature=2.0)
    np.testing.assert_allclose(explorer.probabilities, softmax_parts([0, 0.25, 0.5]).probabilities)
    explorer.set(temperature=0.1)
    assert explorer.probabilities[2] > 0.99
    explorer.set(classes=5, logit_4=2.0, temperature=1.0)
    assert explorer.probabilities.size == 5 and explorer.probabilities.argmax() == 3


def test_cross_entropy_table_and_explorer():
    table = cross_entropy_table()
    np.testing.assert_array_equal(table.terms.round(2), [0, 0, 0.11, 0.69, 2.30])
    assert round(lecture_table_total(), 1) == 3.1
    assert not table.distributions
    explorer = CrossEntropyExplorer()
    assert "3.101 nats" in explorer.status
    explorer.set(example="soft target")
    t = explorer.table
    assert t.total == pytest.approx(t.target_entropy + t.gap)
    explorer.set(unit="bits")
    assert explorer.table.total == pytest.approx(t.total / np.log(2))
    explorer.set(example="soft target, matched")
    assert explorer.table.gap == pytest.approx(0, abs=1e-12)
    with pytest.raises(ValueError, match="ln 0"):
        explorer.set(outputs="0, 1, 0, 0")
    assert explorer.table.gap == pytest.approx(0, abs=1e-12)  # the last good table stays
    explorer.set(targets="0, 1", outputs="0.3, 0.7")
    assert explorer.controls["example"].value.startswith("custom")
    assert explorer.table.total == pytest.approx(-np.log(0.7) / np.log(2))


@pytest.mark.parametrize("target", [0.0, 0.3, 1.0])
def test_pairing_gradients_match_closed_forms_and_finite_differences(target):
    nets = np.linspace(-6, 6, 25)
    z = expit(nets)
    closed = {
        "sigmoid + squared error": (z - target) * z * (1 - z),
        "softmax + cross-entropy": z - target,
        "identity + squared error": nets - target,
    }
    h = 1e-6
    for pairing in PAIRINGS:
        sweep = pairing_sweep(pairing, target, nets)
        np.testing.assert_allclose(sweep.gradients, closed[pairing], atol=1e-12)
        up = pairing_sweep(pairing, target, nets + h).losses
        down = pairing_sweep(pairing, target, nets - h).losses
        np.testing.assert_allclose(sweep.gradients, (up - down) / (2 * h), atol=1e-6)


def test_saturated_wrong_output():
    # Confident and wrong (t = 1, net = -6): squared error's signal all but vanishes.
    assert error_signal("sigmoid + squared error", 1.0, -6.0) < 0.003
    assert error_signal("softmax + cross-entropy", 1.0, -6.0) > 0.99
    explorer = PairingExplorer()
    explorer.set(net=8.0, target=0.0)
    assert "delta -1.000" in explorer.status


def test_softmax_in_the_wild_and_regression():
    digits = train_digits(seed=0)
    assert digits.model.out_activation_ == "softmax"
    np.testing.assert_allclose(digits.probabilities.sum(axis=1), 1.0)
    assert digits.accuracy > 0.9
    right, unsure, wrong = digits.pick()
    guesses = digits.probabilities.argmax(axis=1)
    assert guesses[right] == digits.y_test[right] and guesses[wrong] != digits.y_test[wrong]
    assert digits.probabilities[unsure].max() < 0.6
    fit = fit_curve(seed=0)
    assert fit.model.out_activation_ == "identity"
    assert fit.prediction.max() > 1 and fit.prediction.min() < 0  # unbounded outputs
