"""Tests of the bare Network: initialisation, forward pass, loss, gradients."""

import itertools

import numpy as np
import pytest
from scipy.special import expit
from scipy.special import softmax as scipy_softmax

from widgets.engine import Network
from widgets.engine.activations import HIDDEN_ACTIVATIONS
from widgets.engine.initializers import glorot_bound

ACTIVATIONS = sorted(HIDDEN_ACTIVATIONS)
OUTPUTS = ["identity", "logistic", "softmax"]


def _data(output, n_samples=7, n_inputs=3, n_outputs=2, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n_samples, n_inputs))
    if output == "identity":
        Y = rng.normal(size=(n_samples, n_outputs))
    elif output == "logistic":
        Y = (rng.uniform(size=(n_samples, n_outputs)) < 0.5).astype(float)
    else:
        Y = np.eye(n_outputs)[rng.randint(n_outputs, size=n_samples)]
    return X, Y


def _numerical_gradients(net, X, Y, l1, l2, masks=None, step=1e-6):
    """Central differences of the loss with respect to every parameter."""
    numerical = np.empty_like(net.params)
    for index in range(net.params.size):
        original = net.params[index]
        net.params[index] = original + step
        up = net.loss_and_gradients(X, Y, l1=l1, l2=l2, dropout_masks=masks)[0]
        net.params[index] = original - step
        down = net.loss_and_gradients(X, Y, l1=l1, l2=l2, dropout_masks=masks)[0]
        net.params[index] = original
        numerical[index] = (up - down) / (2 * step)
    return numerical


def _flat(coef_grads, intercept_grads):
    return np.concatenate([g.ravel() for g in coef_grads + intercept_grads])


@pytest.mark.parametrize(
    "activation, output, penalties",
    list(itertools.product(ACTIVATIONS, OUTPUTS, [(0.0, 0.0), (0.0, 0.3), (0.2, 0.0), (0.2, 0.3)])),
)
def test_gradients_match_finite_differences(activation, output, penalties):
    l1, l2 = penalties
    n_outputs = 3 if output == "softmax" else 2
    X, Y = _data(output, n_outputs=n_outputs)
    net = Network([3, 4, 3, n_outputs], activation=activation, output=output, random_state=1)
    # Keep weights away from 0 (|w| kink) and net values away from 0 (ReLU
    # kink), where a central difference straddles a non-differentiable point.
    net.coefs = [np.where(np.abs(c) < 1e-3, 0.05, c) for c in net.coefs]
    loss, coef_grads, intercept_grads = net.loss_and_gradients(X, Y, l1=l1, l2=l2)
    assert np.isfinite(loss)
    analytic = _flat(coef_grads, intercept_grads)
    numerical = _numerical_gradients(net, X, Y, l1, l2)
    np.testing.assert_allclose(analytic, numerical, rtol=1e-5, atol=1e-7)


def test_dropout_gradient_matches_fixed_mask():
    X, Y = _data("softmax", n_samples=9, n_outputs=3)
    net = Network([3, 5, 4, 3], activation="tanh", output="softmax", random_state=3)
    rng = np.random.RandomState(4)
    keep = 0.6
    masks = [(rng.uniform(size=(9, units)) < keep) / keep for units in (5, 4)]
    loss, coef_grads, intercept_grads = net.loss_and_gradients(X, Y, l2=0.1, dropout_masks=masks)
    numerical = _numerical_gradients(net, X, Y, 0.0, 0.1, masks=masks)
    np.testing.assert_allclose(_flat(coef_grads, intercept_grads), numerical, rtol=1e-5, atol=1e-7)
    # The mask really changes the loss: it is not silently ignored.
    assert loss != pytest.approx(net.loss_and_gradients(X, Y, l2=0.1)[0])


def test_dropout_mask_zeroes_units_and_their_gradients():
    X, Y = _data("identity", n_samples=5, n_outputs=1)
    net = Network([3, 4, 1], activation="relu", random_state=0)
    mask = np.ones((5, 4))
    mask[:, 2] = 0.0  # unit 2 dropped for every sample
    _, coef_grads, _ = net.loss_and_gradients(X, Y, dropout_masks=[mask])
    assert np.all(coef_grads[1][2] == 0)  # its outgoing weights learn nothing
    assert np.all(coef_grads[0][:, 2] == 0)  # nor do its incoming weights


def test_forward_by_hand():
    net = Network([2, 3, 2], activation="tanh", output="softmax", random_state=0)
    X = np.array([[0.5, -1.0], [2.0, 0.25]])
    hidden = np.tanh(X @ net.coefs[0] + net.intercepts[0])
    expected = scipy_softmax(hidden @ net.coefs[1] + net.intercepts[1], axis=1)
    np.testing.assert_allclose(net.forward(X), expected, rtol=1e-12)

    net = Network([2, 3, 1], activation="leaky_relu", output="logistic", random_state=0)
    z = X @ net.coefs[0] + net.intercepts[0]
    hidden = np.where(z > 0, z, 0.01 * z)
    expected = expit(hidden @ net.coefs[1] + net.intercepts[1])
    np.testing.assert_allclose(net.forward(X), expected, rtol=1e-12)


def test_loss_by_hand():
    X, Y = _data("identity", n_samples=6, n_outputs=2)
    net = Network([3, 4, 2], activation="logistic", random_state=2)
    prediction = net.forward(X)
    weights = np.concatenate([c.ravel() for c in net.coefs])
    # Squared error: scikit-learn's, averaged over samples and over the two outputs.
    expected = (
        0.5 * np.mean((Y - prediction) ** 2)
        + (0.5 * 0.7 * np.sum(weights**2) + 0.3 * np.sum(np.abs(weights))) / 6
    )
    loss = net.loss_and_gradients(X, Y, l1=0.3, l2=0.7)[0]
    assert loss == pytest.approx(expected, rel=1e-12)


def test_l1_subgradient_is_zero_at_zero_weight():
    X, Y = _data("identity", n_samples=4, n_outputs=1)
    net = Network([3, 2, 1], activation="identity", init="zeros")
    _, without, _ = net.loss_and_gradients(X, Y)
    _, with_l1, _ = net.loss_and_gradients(X, Y, l1=5.0)
    for a, b in zip(without, with_l1):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("activation, factor", [("relu", 6.0), ("logistic", 2.0), ("tanh", 6.0)])
def test_glorot_init_matches_sklearn_rule(activation, factor):
    sizes = [4, 7, 3]
    net = Network(sizes, activation=activation, output="softmax", random_state=5)
    rng = np.random.RandomState(5)
    for fan_in, fan_out, coef, intercept in zip(sizes[:-1], sizes[1:], net.coefs, net.intercepts):
        bound = np.sqrt(factor / (fan_in + fan_out))
        assert glorot_bound(fan_in, fan_out, activation) == pytest.approx(bound)
        np.testing.assert_array_equal(coef, rng.uniform(-bound, bound, (fan_in, fan_out)))
        np.testing.assert_array_equal(intercept, rng.uniform(-bound, bound, fan_out))
        assert np.all(np.abs(coef) <= bound)


def test_other_initializers():
    sizes = [3, 5, 2]
    zeros = Network(sizes, init="zeros")
    assert all(np.all(c == 0) for c in zeros.coefs + zeros.intercepts)
    constant = Network(sizes, init="constant", init_scale=0.25)
    assert all(np.all(c == 0.25) for c in constant.coefs + constant.intercepts)
    uniform = Network(sizes, init="uniform", init_scale=0.05, random_state=0)
    values = np.concatenate([c.ravel() for c in uniform.coefs])
    assert np.all(np.abs(values) <= 0.05) and np.unique(values).size == values.size
    big = Network([200, 300, 1], init="normal", init_scale=2.0, random_state=0)
    assert np.std(big.coefs[0]) == pytest.approx(2.0, rel=0.02)


def test_coefs_and_intercepts_are_assignable():
    net = Network([2, 3, 1], random_state=0)
    new = [np.ones((2, 3)), np.full((3, 1), 2.0)]
    net.coefs = new
    np.testing.assert_array_equal(net.coefs[1], new[1])
    net.intercepts[0] = [1.0, 2.0, 3.0]
    np.testing.assert_array_equal(net.intercepts[0], [1.0, 2.0, 3.0])
    net.coefs[0][0, 0] = -4.0  # in-place edits reach the network too
    assert net.forward([[1.0, 0.0]])[0, 0] == pytest.approx(
        (max(-4.0 + 1.0, 0) + max(1.0 + 2.0, 0) + max(1.0 + 3.0, 0)) * 2.0 + net.intercepts[1][0]
    )
    with pytest.raises(ValueError, match=r"coefs\[0\] must have shape \(2, 3\)"):
        net.coefs[0] = np.ones((3, 2))
    with pytest.raises(ValueError, match="coefs must be a list of 2 arrays"):
        net.coefs = [np.ones((2, 3))]


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"activation": "sigmoid"}, ValueError, "activation must be one of"),
        ({"activation": 3}, TypeError, "activation must be a string"),
        ({"output": "tanh"}, ValueError, "output must be one of"),
        ({"init": "lecun"}, ValueError, "init must be one of"),
        ({"layer_sizes": [3]}, ValueError, "layer_sizes must have at least 2"),
        ({"layer_sizes": [3, 0, 1]}, ValueError, "layer_sizes must contain positive"),
        ({"layer_sizes": [3, 2.5, 1]}, TypeError, "layer_sizes must contain positive"),
        ({"layer_sizes": [3, True, 1]}, TypeError, "layer_sizes must contain positive"),
        ({"layer_sizes": "abc"}, TypeError, "layer_sizes must contain positive"),
        ({"layer_sizes": None}, TypeError, "layer_sizes must be a sequence"),
        ({"init_scale": float("nan")}, ValueError, "init_scale must be finite"),
    ],
)
def test_bad_constructor_arguments(kwargs, error, match):
    arguments = {"layer_sizes": [3, 2, 1], **kwargs}
    with pytest.raises(error, match=match):
        Network(**arguments)


@pytest.mark.parametrize(
    "X, Y, error, match",
    [
        (np.ones((4, 2)), np.ones((4, 1)), ValueError, "X must have 3 columns"),
        (np.ones(3), np.ones((1, 1)), ValueError, "X must be a 2-D array"),
        (np.ones((0, 3)), np.ones((0, 1)), ValueError, "X must not be empty"),
        (np.ones((4, 3)), np.ones((5, 1)), ValueError, "same number of rows"),
        (np.ones((4, 3)), np.ones((4, 2)), ValueError, "Y must have 1 columns"),
        (np.full((4, 3), np.nan), np.ones((4, 1)), ValueError, "X must not contain NaN"),
        (np.ones((4, 3)), np.full((4, 1), np.inf), ValueError, "Y must not contain NaN"),
        (np.array([["a", "b", "c"]]), np.ones((1, 1)), TypeError, "X must contain numbers"),
    ],
)
def test_bad_data(X, Y, error, match):
    net = Network([3, 2, 1])
    with pytest.raises(error, match=match):
        net.loss_and_gradients(X, Y)


def test_negative_penalty_is_refused():
    net = Network([3, 2, 1])
    with pytest.raises(ValueError, match=r"l1 must be in the interval \[0"):
        net.loss_and_gradients(np.ones((2, 3)), np.ones((2, 1)), l1=-1.0)


def test_multi_output_squared_error_is_scikit_learns_and_its_gradient_is_exact():
    from sklearn.neural_network._base import squared_loss

    X, Y = _data("identity", n_samples=8, n_outputs=3)
    net = Network([3, 5, 3], activation="tanh", output="identity", random_state=4)
    loss, coef_grads, intercept_grads = net.loss_and_gradients(X, Y)
    assert loss == pytest.approx(squared_loss(Y, net.forward(X)), rel=1e-12)
    # Central differences of that same loss, on a few weights and a bias.
    h = 1e-6
    for layer, (i, j) in [(0, (0, 0)), (0, (2, 4)), (1, (4, 2))]:
        original = net.coefs[layer][i, j]
        values = []
        for shift in (h, -h):
            coefs = [c.copy() for c in net.coefs]
            coefs[layer][i, j] = original + shift
            net.coefs = coefs
            values.append(squared_loss(Y, net.forward(X)))
        coefs = [c.copy() for c in net.coefs]
        coefs[layer][i, j] = original
        net.coefs = coefs
        assert coef_grads[layer][i, j] == pytest.approx((values[0] - values[1]) / (2 * h), rel=1e-6)
