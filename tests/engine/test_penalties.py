"""Chapter 7's engine functions (widgets.engine.penalties) against closed forms,
scikit-learn and SciPy, and the engine's L1 giving exact zeros."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.optimize import minimize
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Lasso, Ridge, lasso_path

from widgets.engine.penalties import (
    constrained_optimum,
    count_exact_zeros,
    decay_path,
    engine_decay,
    fit_penalised,
    l1_steps_to_zero,
    l1_weight_after,
    l2_steps_to_fraction,
    l2_weight_after,
    lasso_path_cd,
    ridge_path,
    soft_threshold,
    squared_error_grid,
    two_weight_problem,
)
from widgets.engine.sweeps import make_dataset


def _diabetes():
    X, y = load_diabetes(return_X_y=True)
    return (X - X.mean(0)) / X.std(0), y - y.mean()


# ---------------------------------------------------------------- one weight under decay


def test_l2_path_is_geometric_and_never_zero():
    path = decay_path(1.0, 0.03, 200, "l2")
    np.testing.assert_allclose(path, 0.97 ** np.arange(201), rtol=1e-12)
    assert np.all(path > 0)
    assert path[10] == pytest.approx(l2_weight_after(1.0, 0.03, 10))
    assert l2_weight_after(1.0, 0.03, 10) == pytest.approx(0.7374241268949281)


def test_stopped_l1_reaches_exact_zero_at_the_closed_form_step():
    path = decay_path(1.0, 0.03, 60, "l1")
    assert np.flatnonzero(path == 0.0)[0] == l1_steps_to_zero(1.0, 0.03) == 34
    assert np.all(path[34:] == 0.0) and np.all(path[:34] > 0)
    np.testing.assert_allclose(path[:34], 1.0 - 0.03 * np.arange(34), atol=1e-12)


@pytest.mark.parametrize("w0, lam", [(0.5, 0.03), (-0.7, 0.05), (2.3, 0.11), (0.3, 0.1)])
def test_l1_steps_and_weight_after_agree_with_stepping(w0, lam):
    k = l1_steps_to_zero(w0, lam)
    assert k == math.ceil(round(abs(w0) / lam, 9))
    path = decay_path(w0, lam, k + 5, "l1")
    assert path[k + 5] == 0.0
    assert path[k - 1] != 0.0 and np.sign(path[k - 1]) == np.sign(w0)
    for steps in (0, 1, k - 1):
        assert path[steps] == pytest.approx(l1_weight_after(w0, lam, steps), abs=1e-12)


def test_naive_l1_step_hops_around_zero():
    path = decay_path(1.0, 0.03, 100, "l1_naive")
    tail = path[40:]
    assert not np.any(tail == 0.0)
    assert tail.min() == pytest.approx(-0.02) and tail.max() == pytest.approx(0.01)
    assert np.all(np.sign(tail[1:]) != np.sign(tail[:-1]))  # crosses zero every step


def test_l2_steps_to_fraction_is_the_first_step_below():
    for fraction, lam in [(0.5, 0.03), (0.1, 0.2), (0.9, 0.01)]:
        k = l2_steps_to_fraction(fraction, lam)
        assert (1 - lam) ** k <= fraction < (1 - lam) ** (k - 1)
    assert l2_steps_to_fraction(0.5, 0.03) == 23


def test_learning_rate_multiplies_lambda():
    np.testing.assert_array_equal(
        decay_path(1.0, 0.3, 20, "l1", learning_rate=0.1), decay_path(1.0, 0.03, 20, "l1")
    )


@pytest.mark.parametrize("penalty", ["l1", "l2"])
def test_the_engine_network_follows_the_one_weight_rules(penalty):
    # Zero inputs: the first layer's data gradient is exactly 0, only the penalty acts.
    before, after = engine_decay(penalty, lam=0.5, steps=100, learning_rate=0.1, n=50)
    step = 0.1 * 0.5 / 50
    expected = [decay_path(w, step, 100, penalty)[-1] for w in before.ravel()]
    np.testing.assert_allclose(after.ravel(), expected, rtol=1e-12, atol=1e-15)
    if penalty == "l1":
        gone = np.abs(before.ravel()) < 100 * step
        assert gone.any() and np.all(after.ravel()[gone] == 0.0)
        assert np.all(after.ravel()[~gone] != 0.0)
    else:
        assert np.all(after != 0.0)


# ---------------------------------------------------------------- lasso, ridge, geometry


def test_soft_threshold():
    np.testing.assert_array_equal(
        soft_threshold([-3.0, -0.5, 0.0, 0.5, 2.0], 1.0), [-2.0, 0.0, 0.0, 0.0, 1.0]
    )


def test_lasso_path_matches_scikit_learn():
    X, y = _diabetes()
    lambdas = np.logspace(2, -2, 15)
    mine = lasso_path_cd(X, y, lambdas, tol=1e-11)
    _, theirs, _ = lasso_path(X, y, alphas=lambdas, tol=1e-12, max_iter=100_000)
    np.testing.assert_allclose(mine, theirs.T, atol=1e-6)
    # exact zeros where scikit-learn's are exact zeros
    np.testing.assert_array_equal(mine == 0.0, theirs.T == 0.0)
    single = Lasso(alpha=1.0, fit_intercept=False, tol=1e-12, max_iter=100_000).fit(X, y)
    np.testing.assert_allclose(lasso_path_cd(X, y, [1.0])[0], single.coef_, atol=1e-6)


def test_ridge_path_matches_scikit_learn_with_alpha_n_lambda():
    X, y = _diabetes()
    for lam in (0.01, 1.0, 30.0):
        ridge = Ridge(alpha=len(y) * lam, fit_intercept=False).fit(X, y)
        np.testing.assert_allclose(ridge_path(X, y, [lam])[0], ridge.coef_, rtol=1e-9)
    assert not np.any(ridge_path(X, y, np.logspace(2, -2, 20)) == 0.0)


@pytest.mark.parametrize("norm", ["l1", "l2"])
@pytest.mark.parametrize("radius", [0.5, 1.0, 1.8])
def test_constrained_optimum_matches_scipy(norm, radius):
    X, y = two_weight_problem()
    w, lam = constrained_optimum(X, y, radius, norm)
    n = len(y)

    def loss(v):
        return 0.5 * np.sum((y - X @ v) ** 2) / n

    if norm == "l1":  # split w = p - q, p, q >= 0: a smooth problem for SLSQP
        result = minimize(
            lambda z: loss(z[:2] - z[2:]),
            np.full(4, 0.1),
            method="SLSQP",
            bounds=[(0, None)] * 4,
            constraints=[{"type": "ineq", "fun": lambda z: radius - z.sum()}],
            options={"ftol": 1e-14, "maxiter": 500},
        )
        reference = result.x[:2] - result.x[2:]
    else:
        result = minimize(
            loss,
            np.zeros(2),
            method="SLSQP",
            constraints=[{"type": "ineq", "fun": lambda v: radius**2 - v @ v}],
            options={"ftol": 1e-14, "maxiter": 500},
        )
        reference = result.x
    np.testing.assert_allclose(w, reference, atol=1e-5)
    assert loss(w) == pytest.approx(loss(reference), abs=1e-9)
    assert lam > 0


def test_l1_optimum_of_the_chapter_lies_on_an_axis_and_l2_does_not():
    X, y = two_weight_problem()
    w1, _ = constrained_optimum(X, y, 1.0, "l1")
    w2, _ = constrained_optimum(X, y, 1.0, "l2")
    assert w1[1] == 0.0 and w1[0] == pytest.approx(1.0)
    assert np.all(w2 != 0.0) and np.sqrt(w2 @ w2) == pytest.approx(1.0, abs=1e-9)


def test_a_loose_constraint_returns_least_squares():
    X, y = two_weight_problem()
    w, lam = constrained_optimum(X, y, 100.0, "l1")
    np.testing.assert_allclose(w, np.linalg.lstsq(X, y, rcond=None)[0])
    assert lam == 0.0


def test_squared_error_grid_matches_direct_evaluation():
    X, y = two_weight_problem(n=30, seed=3)
    w1, w2 = np.linspace(-1, 2, 4), np.linspace(-2, 1, 5)
    grid = squared_error_grid(X, y, w1, w2)
    assert grid.shape == (5, 4)
    for i, b in enumerate(w2):
        for j, a in enumerate(w1):
            direct = 0.5 * np.mean((y - X @ np.array([a, b])) ** 2)
            assert grid[i, j] == pytest.approx(direct, rel=1e-12)


# ---------------------------------------------------------------- networks


def test_engine_l1_gives_exact_zeros_and_l2_none():
    X, y, _, _ = make_dataset("moons", 0.3, 60, 10, 0)
    for solver in ("adam", "sgd"):
        l1 = fit_penalised(X, y, "l1", 1.0, seed=0, solver=solver, max_iter=300)
        l2 = fit_penalised(X, y, "l2", 1.0, seed=0, solver=solver, max_iter=300)
        zeros, total = count_exact_zeros(l1.coefs_)
        assert total == 2 * 16 + 16 * 16 + 16
        assert zeros > total // 4, solver
        assert count_exact_zeros(l2.coefs_)[0] == 0
        none = fit_penalised(X, y, "none", 1.0, seed=0, solver=solver, max_iter=300)
        assert count_exact_zeros(none.coefs_)[0] == 0


def test_fit_penalised_sets_the_estimator_parameters():
    X, y, _, _ = make_dataset("moons", 0.3, 60, 10, 0)
    model = fit_penalised(X, y, "l2", 0.5, max_iter=5)
    assert (model.alpha, model.l1) == (0.5, 0.0)
    model = fit_penalised(X, y, "l1", 0.5, max_iter=5)
    assert (model.alpha, model.l1) == (0.0, 0.5)


def test_count_exact_zeros():
    assert count_exact_zeros([np.array([[0.0, 1.0]]), np.array([0.0, -0.0, 1e-300])]) == (3, 5)
    assert count_exact_zeros(np.zeros(4)) == (4, 4)


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "call, argument, error",
    [
        (lambda: decay_path(1.0, 0.03, 5, "l3"), "rule", ValueError),
        (lambda: decay_path(1.0, -0.1, 5), "lam", ValueError),
        (lambda: decay_path(1.0, 0.1, -1), "steps", ValueError),
        (lambda: decay_path("1", 0.1, 5), "w0", TypeError),
        (lambda: decay_path(1.0, 2.0, 5, "l2"), "lam", ValueError),
        (lambda: l1_steps_to_zero(1.0, 0.0), "lam", ValueError),
        (lambda: l2_weight_after(1.0, 0.03, 2.5), "steps", TypeError),
        (lambda: l2_steps_to_fraction(0.0, 0.03), "fraction", ValueError),
        (lambda: l2_steps_to_fraction(0.5, 0.03, learning_rate=0), "learning_rate", ValueError),
        (lambda: soft_threshold([1.0], -1.0), "t", ValueError),
        (lambda: lasso_path_cd(np.ones((3, 2)), [1.0, 2.0], [0.1]), "y", ValueError),
        (lambda: lasso_path_cd(np.ones((3, 2)), [1.0, 2.0, 3.0], [-0.1]), "lambdas", ValueError),
        (lambda: ridge_path(np.ones((3, 2)), [1.0, 2.0, 3.0], []), "lambdas", ValueError),
        (lambda: ridge_path([[1.0, np.nan]], [1.0], [0.1]), "X", ValueError),
        (lambda: constrained_optimum(np.eye(3), np.ones(3), 1.0, "l3"), "norm", ValueError),
        (lambda: constrained_optimum(np.eye(3), np.ones(3), 0.0), "radius", ValueError),
        (lambda: squared_error_grid(np.eye(3), np.ones(3), [0.0], [0.0]), "X", ValueError),
        (lambda: fit_penalised(np.eye(2), [0, 1], "dropout"), "penalty", ValueError),
        (lambda: fit_penalised(np.eye(2), [0, 1], "l1", -1.0), "lam", ValueError),
        (lambda: engine_decay("none"), "penalty", ValueError),
        (lambda: count_exact_zeros([]), "coefs", ValueError),
    ],
)
def test_bad_input_names_the_argument(call, argument, error):
    with pytest.raises(error, match=argument):
        call()
