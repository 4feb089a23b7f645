"""Chapter 3's engine: He initializer, per-layer statistics, symmetry, saturation."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from widgets.engine import Network
from widgets.engine.initializers import glorot_bound, he_std
from widgets.engine.statistics import (
    distinct_units,
    hidden_layers,
    layer_stds,
    make_network,
    saturated_share,
    train_and_record,
)


def test_he_draws_normal_with_std_sqrt_2_over_fan_in():
    net = Network([400, 300, 1], init="he", random_state=0)
    weights = np.asarray(net.coefs[0]).ravel()
    assert he_std(400) == pytest.approx(np.sqrt(2 / 400))
    # Kolmogorov-Smirnov against N(0, 2/400), an independent reference.
    assert stats.kstest(weights, "norm", args=(0, he_std(400))).pvalue > 0.01
    assert not np.asarray(net.intercepts[0]).any()


def test_multiplier_scales_glorot_and_the_small_schemes():
    base = make_network([4, 6, 1], "glorot", random_state=1)
    scaled = make_network([4, 6, 1], "glorot", multiplier=3.0, random_state=1)
    np.testing.assert_allclose(scaled.params, 3.0 * base.params)
    assert np.abs(base.coefs[0]).max() <= glorot_bound(4, 6, "tanh")
    equal = make_network([4, 6, 1], "equal", multiplier=2.0)
    assert np.all(equal.params == pytest.approx(0.2))
    with pytest.raises(ValueError, match="scheme"):
        make_network([4, 6, 1], "xavier")


def test_hidden_layers_agree_with_the_network():
    net = Network([3, 5, 4, 2], activation="tanh", random_state=0)
    X = np.random.RandomState(1).normal(size=(7, 3))
    (z1, a1), (z2, a2) = hidden_layers(net, X)
    np.testing.assert_allclose(a1, np.tanh(X @ net.coefs[0] + net.intercepts[0]))
    np.testing.assert_allclose(a2, np.tanh(z2))
    np.testing.assert_allclose(a2 @ net.coefs[2] + net.intercepts[2], net.forward(X))


def test_saturated_share_uses_the_stated_thresholds():
    z = np.array([-5.0, -3.0, 0.0, 3.0, 3.7])
    # logistic: slope < 0.025 exactly when |z| > 3.636 (closed form)
    assert saturated_share(z, "logistic") == pytest.approx(2 / 5)
    # tanh: 1 - tanh^2 < 0.1 when |z| > arctanh(sqrt(0.9)) = 1.818
    assert saturated_share(z, "tanh") == pytest.approx(4 / 5)
    assert saturated_share(z, "relu") == pytest.approx(3 / 5)  # z <= 0: slope 0
    assert np.arctanh(np.sqrt(0.9)) == pytest.approx(1.818, abs=1e-3)
    with pytest.raises(ValueError, match="fraction"):
        saturated_share(z, "tanh", fraction=2)


def test_distinct_units():
    coef = np.array([[1.0, 1.0, 2.0], [0.5, 0.5, 0.5]])
    assert distinct_units(coef, np.array([0.0, 0.0, 0.0])) == 2
    assert distinct_units(coef, np.array([0.0, 1.0, 0.0])) == 3
    assert distinct_units(np.zeros((2, 4)), np.zeros(4)) == 1


@pytest.mark.parametrize("activation", ["tanh", "logistic", "relu"])
def test_equal_weights_never_break_symmetry(activation):
    rng = np.random.RandomState(0)
    X, Y = rng.normal(size=(50, 2)), (rng.uniform(size=(50, 1)) > 0.5).astype(float)
    net = make_network([2, 6, 6, 1], "equal", activation)
    record = train_and_record(net, X, Y, epochs=100)
    assert record.distinct == [1, 1]
    rand = make_network([2, 6, 6, 1], "glorot", activation)
    assert train_and_record(rand, X, Y, epochs=5).distinct == [6, 6]


def test_layer_stds_match_finite_differences_of_the_loss():
    net = Network([3, 4, 2], activation="tanh", random_state=0)
    X = np.random.RandomState(1).normal(size=(9, 3))
    Y = np.random.RandomState(2).normal(size=(9, 2))
    act, grad = layer_stds(net, X, Y)
    eps, numeric = 1e-6, np.zeros((3, 4))
    for i in range(3):
        for j in range(4):
            net.coefs[0][i, j] += eps
            up = net.loss_and_gradients(X, Y)[0]
            net.coefs[0][i, j] -= 2 * eps
            down = net.loss_and_gradients(X, Y)[0]
            net.coefs[0][i, j] += eps
            numeric[i, j] = (up - down) / (2 * eps)
    assert grad[0] == pytest.approx(numeric.std(), rel=1e-5)
    assert act[0] == pytest.approx(np.tanh(X @ net.coefs[0] + net.intercepts[0]).std())


def test_training_records_divergence_instead_of_nan():
    rng = np.random.RandomState(0)
    X, Y = rng.normal(size=(50, 2)) * 100, rng.normal(size=(50, 1)) * 100
    net = make_network([2, 8, 1], "glorot", "relu", multiplier=100, output="identity")
    with np.errstate(all="ignore"):
        record = train_and_record(net, X, Y, epochs=50, learning_rate=1.0)
    assert record.diverged_at is not None
    assert np.isfinite(record.losses).all()
