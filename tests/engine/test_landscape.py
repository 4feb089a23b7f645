"""widgets.engine.landscape against independent references.

Expected best of k restarts against exact enumeration and simulation; the Hessian
against a closed form (logistic regression) and second differences of the loss; the
saddle at the origin of a tanh network; gradient noise and the double well against
NumPy's roots; restart losses against scikit-learn's own MLPClassifier; per-layer
gradient norms against finite differences of the loss; bad input.
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest
from sklearn.metrics import log_loss
from sklearn.neural_network import MLPClassifier as SkMLP

from widgets.engine.landscape import (
    basin_boundary,
    critical_point_index,
    critical_point_survey,
    deep_basin_share,
    expected_best_of_k,
    find_critical_point,
    gradient_flow,
    hessian,
    layer_gradient_norms,
    logistic_gradient_bound,
    noisy_descent,
    restart_losses,
    scaled_network,
    stuck_share,
    summarize_critical_points,
    tilted_double_well,
)
from widgets.engine.network import Network
from widgets.engine.sweeps import make_dataset

LOSSES = np.array([0.30, 0.05, 0.30, 0.12, 0.61])


def moons(n=60):
    X, y, _, _ = make_dataset("moons", 0.2, n, 10, 0)
    return X, y


# ---------------------------------------------------------------- expected best of k


@pytest.mark.parametrize("k", [1, 2, 3, 4])
def test_expected_best_with_replacement_equals_enumeration(k):
    exact = np.mean([min(draw) for draw in itertools.product(LOSSES, repeat=k)])
    assert expected_best_of_k(LOSSES, k) == pytest.approx(exact, abs=1e-12)


@pytest.mark.parametrize("k", [1, 2, 3, 5])
def test_expected_best_without_replacement_equals_enumeration(k):
    exact = np.mean([min(draw) for draw in itertools.combinations(LOSSES, k)])
    assert expected_best_of_k(LOSSES, k, replace=False) == pytest.approx(exact, abs=1e-12)


def test_expected_best_matches_simulation():
    rng = np.random.default_rng(1)
    losses = rng.gamma(2.0, 0.1, 40)
    draws = rng.choice(losses, size=(200_000, 7)).min(axis=1)
    error = 4 * draws.std() / np.sqrt(len(draws))
    assert expected_best_of_k(losses, 7) == pytest.approx(draws.mean(), abs=error)


def test_expected_best_limits_and_shape():
    assert expected_best_of_k(LOSSES, 1) == pytest.approx(LOSSES.mean())
    assert expected_best_of_k(LOSSES, 5, replace=False) == pytest.approx(LOSSES.min())
    assert expected_best_of_k(LOSSES, 500) == pytest.approx(LOSSES.min(), abs=1e-12)
    curve = expected_best_of_k(LOSSES, np.arange(1, 11))
    assert curve.shape == (10,) and np.all(np.diff(curve) < 0)


def test_stuck_share():
    assert stuck_share(LOSSES, 0.1) == pytest.approx(3 / 5)  # 0.30, 0.30, 0.61 > 0.15
    assert stuck_share(LOSSES, 1.0) == 0.0


# ---------------------------------------------------------------- restarts


def test_restart_losses_equal_scikit_learn():
    X, y = moons(80)
    ours = restart_losses(X, y, width=2, seeds=[0, 1, 2], max_iter=200)
    theirs = []
    for seed in range(3):
        model = SkMLP(
            (2,), activation="tanh", solver="lbfgs", alpha=0.0, max_iter=200, random_state=seed
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit(X, y)
        theirs.append(log_loss(y, model.predict_proba(X)))
    np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-9)


def test_restart_losses_spread_small_network_more_than_large():
    X, y = moons(200)
    small = restart_losses(X, y, width=2, seeds=range(8))
    large = restart_losses(X, y, width=16, seeds=range(8))
    assert small.min() > large.max()  # two units cannot fit two moons
    assert np.ptp(small) > 0.05  # and they stop at different losses


# ---------------------------------------------------------------- noise


def test_double_well_slope_and_boundary():
    x = np.linspace(-2, 2, 9)
    f, slope = tilted_double_well(x, 0.3)
    h = 1e-6
    numeric = (tilted_double_well(x + h, 0.3)[0] - tilted_double_well(x - h, 0.3)[0]) / (2 * h)
    np.testing.assert_allclose(slope, numeric, atol=1e-6)
    b = basin_boundary(0.3)
    assert abs(tilted_double_well(b, 0.3)[1]) < 1e-12 and -1 < b < 1
    with pytest.raises(ValueError, match="tilt"):
        basin_boundary(2.0)


def test_plain_descent_stays_in_shallow_basin():
    x = noisy_descent(0.0, n_runs=5)
    roots = np.roots([4.0, 0.0, -4.0, 0.3]).real
    shallow = roots.max()
    np.testing.assert_allclose(x, shallow, atol=1e-6)


def test_noise_lets_runs_reach_the_deep_basin():
    b = basin_boundary(0.3)
    share = [np.mean(noisy_descent(s, n_runs=400, seed=0) < b) for s in (0.0, 1.0, 4.0)]
    assert share[0] == 0 and share[1] < 0.05 and share[2] > 0.3
    np.testing.assert_array_equal(noisy_descent(3.0, seed=5), noisy_descent(3.0, seed=5))


def test_minibatch_noise_shrinks_with_batch_size():
    b = basin_boundary(0.3)
    one = np.mean(noisy_descent(batch_size=1, spread=4.0, n_runs=400) < b)
    many = np.mean(noisy_descent(batch_size=32, spread=4.0, n_runs=400) < b)
    assert one > 0.3 and many == 0.0
    # no spread in the per-example tilts: mini-batches are the full gradient
    np.testing.assert_allclose(noisy_descent(batch_size=1, spread=0.0), noisy_descent(0.0))


def test_deep_basin_share_counts_final_positions():
    x = noisy_descent(3.0, n_runs=300, seed=2)
    expected = np.mean(x < basin_boundary(0.3))
    assert deep_basin_share(noise=3.0, n_runs=300, seed=2) == expected
    assert 0 < expected < 1


# ---------------------------------------------------------------- Hessian


def test_hessian_of_logistic_regression_matches_closed_form():
    X, y = moons(50)
    net = Network([2, 1], activation="tanh", output="logistic", random_state=0)
    p = net.forward(X)[:, 0]
    A = np.column_stack([X, np.ones(len(X))])  # weights first, then the bias
    closed = A.T @ (A * (p * (1 - p))[:, None]) / len(X)
    np.testing.assert_allclose(hessian(net, X, y), closed, atol=1e-8)


def test_hessian_matches_second_differences_of_the_loss():
    X, y = moons(30)
    net = Network([2, 2, 1], activation="tanh", output="logistic", random_state=3)
    theta = net.params.copy()
    H = hessian(net, X, y)
    np.testing.assert_array_equal(net.params, theta)  # restored

    def loss(params):
        net.params[...] = params
        return net.loss_and_gradients(X, y)[0]

    h = 1e-4
    for i, j in [(0, 0), (0, 5), (3, 7), (8, 8), (4, 1)]:
        ei, ej = np.eye(theta.size)[i] * h, np.eye(theta.size)[j] * h
        numeric = (
            loss(theta + ei + ej)
            - loss(theta + ei - ej)
            - loss(theta - ei + ej)
            + loss(theta - ei - ej)
        ) / (4 * h * h)
        assert H[i, j] == pytest.approx(numeric, abs=1e-5)


def test_origin_of_tanh_network_is_a_saddle():
    X, y = moons(60)  # balanced classes: output 0.5 is the best constant
    net = Network([2, 3, 1], activation="tanh", output="logistic", init="zeros")
    net.loss_and_gradients(X, y)
    assert np.linalg.norm(net.grads) < 1e-12
    index, eigenvalues = critical_point_index(hessian(net, X, y))
    assert 0 < index < 0.5 and eigenvalues[0] < -1e-3


def test_critical_point_index_and_search():
    index, ev = critical_point_index(np.diag([-1.0, 2.0, 3.0, 0.0]))
    assert index == 0.25 and ev[0] == -1.0
    X, y = moons(40)
    net = Network([2, 2, 1], activation="tanh", output="logistic", random_state=0)
    assert find_critical_point(net, X, y) < 1e-6


def test_survey_training_finds_minima():
    X, y = moons(60)
    points = critical_point_survey(X, y, width=2, seeds=[0, 1])
    trained = [p for p in points if p.found_by == "training"]
    assert all(p.gradient_norm < 1e-3 for p in trained)
    assert all(p.eigenvalues[0] > -1e-3 for p in trained)
    # the gradient-norm search from seed 0 lands on the constant-output saddle
    searched = [p for p in points if p.found_by == "gradient norm"]
    assert searched[0].loss == pytest.approx(np.log(2), abs=1e-6) and searched[0].index > 0


def test_summarize_critical_points():
    X, y = moons(60)
    points = critical_point_survey(X, y, width=2, seeds=[0, 1])
    summary = summarize_critical_points(points, max_gradient=1e-5)
    kept = [p for p in points if p.gradient_norm < 1e-5]
    assert summary["kept"] == len(kept) > 0
    assert summary["saddles"] == sum(p.index > 0 for p in kept)
    assert summary["loss"] == (min(p.loss for p in kept), max(p.loss for p in kept))
    assert summarize_critical_points(points, max_gradient=1e-300)["kept"] == 0


# ---------------------------------------------------------------- gradient flow


def test_layer_gradient_norms_match_finite_differences():
    X, y = moons(30)
    Y = y.reshape(-1, 1).astype(float)
    net = scaled_network([2, 4, 4, 1], "tanh", 1.5, seed=2)
    _, norms = layer_gradient_norms(net, X, Y)
    theta = net.params.copy()
    slots = [0, 8, 24, 28]  # weights of the three layers in the flat vector
    h = 1e-6
    for layer in range(3):
        grad = []
        for j in range(slots[layer], slots[layer + 1]):
            e = np.zeros_like(theta)
            e[j] = h
            net.params[...] = theta + e
            up = net.loss_and_gradients(X, Y)[0]
            net.params[...] = theta - e
            grad.append((up - net.loss_and_gradients(X, Y)[0]) / (2 * h))
        assert norms[layer] == pytest.approx(np.linalg.norm(grad), rel=1e-5)


def test_vanishing_steady_and_exploding():
    X, y = moons(200)
    Y = y.reshape(-1, 1).astype(float)
    logistic = gradient_flow(X, Y, depth=10, activation="logistic", gain=1.0)
    assert logistic.norms[0, 0] / logistic.norms[0, -2] < 1e-3  # vanishing
    relu = gradient_flow(X, Y, depth=20, activation="relu", gain=2**0.5)
    assert relu.diverged_at is None
    assert 1e-2 < relu.norms[0, 0] / relu.norms[0, -2] < 1e2  # steady
    big = gradient_flow(X, Y, depth=20, activation="relu", gain=4.0)
    assert big.diverged_at is not None  # exploding
    assert np.isfinite(big.norms).all() and big.norms[0].max() > 1e5
    assert logistic_gradient_bound(3) == 0.25**3


def test_scaled_network_variance():
    net = scaled_network([400, 400, 1], "relu", 2.0, seed=0)
    assert net.coefs[0].std() == pytest.approx(2.0 / 20.0, rel=0.02)
    assert not np.any(net.params[-401:])  # biases 0


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "call, error, name",
    [
        (lambda: expected_best_of_k(LOSSES, 0), ValueError, "k"),
        (lambda: expected_best_of_k(LOSSES, 6, replace=False), ValueError, "k"),
        (lambda: expected_best_of_k(LOSSES, 2.5), TypeError, "k"),
        (lambda: expected_best_of_k([0.1, np.nan], 2), ValueError, "losses"),
        (lambda: expected_best_of_k(LOSSES, 2, replace="yes"), TypeError, "replace"),
        (lambda: stuck_share(LOSSES, -1), ValueError, "gap"),
        (lambda: restart_losses(*moons(20), width=0), ValueError, "width"),
        (lambda: restart_losses(*moons(20), seeds=[]), ValueError, "seeds"),
        (lambda: restart_losses(*moons(20), activation="sine"), ValueError, "activation"),
        (lambda: noisy_descent(-1.0), ValueError, "noise"),
        (lambda: noisy_descent(batch_size=0), ValueError, "batch_size"),
        (lambda: summarize_critical_points([], max_gradient=0), ValueError, "max_gradient"),
        (lambda: hessian("net", None, None), TypeError, "network"),
        (lambda: critical_point_index(np.ones((2, 3))), ValueError, "H"),
        (lambda: scaled_network([2, 3, 1], gain=0), ValueError, "gain"),
        (lambda: gradient_flow(*moons(20), depth=0), ValueError, "depth"),
        (lambda: layer_gradient_norms([1], None, None), TypeError, "network"),
    ],
)
def test_bad_input(call, error, name):
    with pytest.raises(error, match=name):
        call()
