"""The lecture's worked examples, recomputed by the engine's public helpers."""

import numpy as np
import pytest

from widgets.engine import Network
from widgets.engine.activations import (
    derivative,
    identity,
    leaky_relu,
    logistic,
    relu,
    softmax,
    tanh,
)
from widgets.engine.initializers import glorot_bound
from widgets.engine.losses import (
    binary_log_loss,
    categorical_cross_entropy,
    cross_entropy_terms,
    squared_error,
)


def test_softmax_of_net_values():
    probabilities = softmax([0.0, 0.5, 1.0])
    np.testing.assert_array_equal(probabilities.round(3), [0.186, 0.307, 0.506])
    assert probabilities.sum() == pytest.approx(1.0)
    # Row by row for a matrix, and immune to overflow.
    rows = softmax([[0.0, 0.5, 1.0], [1000.0, 1000.5, 1001.0]])
    np.testing.assert_allclose(rows[0], rows[1])


def test_cross_entropy_table():
    targets = [0, 1, 1, 1, 1]
    outputs = [0.01, 1.0, 0.9, 0.5, 0.1]
    terms = cross_entropy_terms(targets, outputs)
    np.testing.assert_array_equal(terms.round(2), [0.0, 0.0, 0.11, 0.69, 2.30])
    assert terms.sum().round(1) == 3.1


def test_cross_entropy_of_a_sample_is_its_table_row_sum():
    # Network-level loss on one-hot targets = mean over samples of the row sums.
    t = np.array([[0, 1, 0], [1, 0, 0]])
    z = np.array([[0.2, 0.7, 0.1], [0.5, 0.25, 0.25]])
    expected = cross_entropy_terms(t, z).sum(axis=1).mean()
    assert categorical_cross_entropy(t, z) == pytest.approx(expected)
    assert expected == pytest.approx((-np.log(0.7) - np.log(0.5)) / 2)


@pytest.mark.parametrize("fan_in, fan_out", [(2, 8), (8, 3), (100, 10)])
def test_glorot_bounds(fan_in, fan_out):
    assert glorot_bound(fan_in, fan_out) == pytest.approx(np.sqrt(6 / (fan_in + fan_out)))
    assert glorot_bound(fan_in, fan_out, "tanh") == glorot_bound(fan_in, fan_out)
    assert glorot_bound(fan_in, fan_out, "logistic") == pytest.approx(
        np.sqrt(2 / (fan_in + fan_out))
    )
    network = Network([fan_in, fan_out], activation="logistic", random_state=0)
    bound = np.sqrt(2 / (fan_in + fan_out))
    assert np.abs(network.coefs[0]).max() <= bound
    assert np.abs(network.coefs[0]).max() > 0.5 * bound  # uses the range, not a sliver


def test_activation_functions_and_derivatives():
    z = np.array([-2.0, -0.5, 0.0, 0.5, 2.0])
    np.testing.assert_array_equal(identity(z), z)
    np.testing.assert_allclose(logistic(z), 1 / (1 + np.exp(-z)))
    np.testing.assert_allclose(tanh(z), np.tanh(z))
    np.testing.assert_array_equal(relu(z), [0, 0, 0, 0.5, 2.0])
    np.testing.assert_array_equal(leaky_relu(z), [-0.02, -0.005, 0, 0.5, 2.0])
    np.testing.assert_allclose(derivative("logistic", z), logistic(z) * (1 - logistic(z)))
    np.testing.assert_allclose(derivative("tanh", z), 1 - np.tanh(z) ** 2)
    np.testing.assert_array_equal(derivative("relu", z), [0, 0, 0, 1, 1])
    np.testing.assert_array_equal(derivative("leaky_relu", z), [0.01, 0.01, 0.01, 1, 1])
    np.testing.assert_array_equal(derivative("identity", z), np.ones(5))
    # Input untouched (the helpers return new arrays).
    np.testing.assert_array_equal(z, [-2.0, -0.5, 0.0, 0.5, 2.0])


def test_losses_follow_sklearn_conventions():
    y = np.array([[1.0], [0.0], [1.0]])
    p = np.array([[0.8], [0.3], [1.0]])  # p = 1 is clipped, not log(0)
    eps = np.finfo(float).eps
    expected = -np.mean(np.log([0.8, 0.7, 1 - eps]))
    assert binary_log_loss(y, p) == pytest.approx(expected)
    assert squared_error(np.array([[1.0, 2.0]]), np.array([[0.0, 0.0]])) == pytest.approx(
        0.5 * (1 + 4) / 2
    )
