"""The 2-D test surfaces and the optimizer runner of widgets.engine.surfaces.

Gradients are checked against central finite differences, minima against the gradient
being zero there (and against SciPy's minimiser), and the runner against a loop written
here by hand with the update rules' formulas (not the engine's classes).
"""

import numpy as np
import pytest
from scipy.optimize import minimize

from widgets.engine.surfaces import ESCAPE, SURFACES, get_surface, run_optimizer

POINTS = np.random.default_rng(0).uniform(-1.8, 1.8, size=(25, 2))


@pytest.mark.parametrize("name", sorted(SURFACES))
def test_gradient_matches_finite_differences(name):
    surface = SURFACES[name]
    h = 1e-6
    for point in POINTS:
        numeric = [
            (surface.loss(point + h * e) - surface.loss(point - h * e)) / (2 * h) for e in np.eye(2)
        ]
        np.testing.assert_allclose(surface.gradient(point), numeric, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("name", sorted(SURFACES))
def test_minimum_is_a_stationary_point_with_the_stated_loss(name):
    surface = SURFACES[name]
    np.testing.assert_allclose(surface.gradient(surface.minimum), 0.0, atol=1e-12)
    assert surface.loss(surface.minimum) == pytest.approx(surface.minimum_loss, abs=1e-12)
    # No grid point of the map is lower (the stated minimum is the global one there).
    _, _, F = surface.grid(200)
    assert F.min() >= surface.minimum_loss - 1e-12


@pytest.mark.parametrize("name", sorted(SURFACES))
def test_scipy_finds_the_same_lowest_loss(name):
    surface = SURFACES[name]
    best = min(
        minimize(surface.loss, start, jac=surface.gradient, method="BFGS").fun
        for start in POINTS[:10]
    )
    assert best == pytest.approx(surface.minimum_loss, abs=1e-8)


def test_marked_points_are_stationary():
    for surface in SURFACES.values():
        for _, point in surface.others:
            np.testing.assert_allclose(surface.gradient(point), 0.0, atol=1e-12)
    # The bowl's condition number is the stated 20 (Hessian by finite differences).
    bowl = SURFACES["bowl"]
    h = 1e-5
    hessian = np.array(
        [(bowl.gradient(h * e) - bowl.gradient(-h * e)) / (2 * h) for e in np.eye(2)]
    )
    eigenvalues = np.linalg.eigvalsh(hessian)
    assert eigenvalues.max() / eigenvalues.min() == pytest.approx(20.0, rel=1e-6)


def _hand_loop(surface, rule, steps):
    w = np.array(surface.start, dtype=float)
    path, state = [w.copy()], {}
    for t in range(1, steps + 1):
        g = surface.gradient(w)
        w = rule(w, g, state, t)
        path.append(w.copy())
    return np.array(path)


def _momentum(lr, mu):
    def rule(w, g, state, t):
        # The lecture's form: delta_w(t) = -lr g + mu delta_w(t-1).
        state["dw"] = -lr * g + mu * state.get("dw", 0.0)
        return w + state["dw"]

    return rule


def _adam(lr, b1=0.9, b2=0.999, eps=1e-8):
    def rule(w, g, state, t):
        state["m"] = b1 * state.get("m", 0.0) + (1 - b1) * g
        state["v"] = b2 * state.get("v", 0.0) + (1 - b2) * g * g
        # Kingma & Ba's "efficient form" (their section 2): the correction folded
        # into the rate, eps added to sqrt(v) (torch adds it to sqrt(v_hat)).
        lr_t = lr * np.sqrt(1 - b2**t) / (1 - b1**t)
        return w - lr_t * state["m"] / (np.sqrt(state["v"]) + eps)

    return rule


def _adagrad(lr, eps=1e-10):
    def rule(w, g, state, t):
        state["G"] = state.get("G", 0.0) + g * g
        return w - lr * g / (np.sqrt(state["G"]) + eps)

    return rule


@pytest.mark.parametrize(
    "name, hyper, rule, rtol",
    [
        ("sgd", dict(lr=0.05), _momentum(0.05, 0.0), 1e-12),
        ("sgd", dict(lr=0.01, momentum=0.9), _momentum(0.01, 0.9), 1e-12),
        ("adagrad", dict(lr=0.5), _adagrad(0.5), 1e-10),
        ("adam", dict(lr=0.1), _adam(0.1), 1e-10),
    ],
)
@pytest.mark.parametrize("surface", ["bowl", "saddle", "two_basins"])
def test_runner_matches_a_hand_written_loop(surface, name, hyper, rule, rtol):
    run = run_optimizer(surface, name, steps=60, **hyper)
    expected = _hand_loop(SURFACES[surface], rule, 60)
    np.testing.assert_allclose(run.path, expected, rtol=rtol, atol=1e-12)
    losses = [SURFACES[surface].loss(p) for p in expected]
    np.testing.assert_allclose(run.losses, losses, rtol=1e-9, atol=1e-12)
    assert not run.diverged


def test_nesterov_is_the_gradient_at_the_look_ahead_point():
    # Textbook Nesterov (Sutskever et al. 2013): g at phi + mu v; v <- mu v - lr g;
    # phi <- phi + v. The engine stores theta = phi + mu v (torch's form), so its path
    # is the textbook one shifted by mu v.
    surface, lr, mu = SURFACES["rosenbrock"], 0.0005, 0.9
    run = run_optimizer(surface, "sgd", steps=80, lr=lr, momentum=mu, nesterov=True)
    phi, v = np.array(surface.start), np.zeros(2)
    for t in range(1, 81):
        g = surface.gradient(phi + mu * v)
        v = mu * v - lr * g
        phi = phi + v
        np.testing.assert_allclose(run.path[t], phi + mu * v, rtol=1e-9, atol=1e-12)


def test_divergence_is_recorded_not_nan():
    run = run_optimizer("rosenbrock", "sgd", steps=50, lr=0.1)
    assert run.diverged and run.diverged_at >= 1
    assert np.isfinite(run.path).all() and np.isfinite(run.losses).all()
    assert len(run.path) == len(run.losses) == run.diverged_at
    assert np.abs(run.path).max() <= ESCAPE
    assert "diverged" in run.status
    assert not run_optimizer("rosenbrock", "sgd", steps=50, lr=1e-4).diverged


def test_head_cuts_a_run():
    run = run_optimizer("bowl", "adam", steps=40, lr=0.1)
    head = run.head(10)
    np.testing.assert_array_equal(head.path, run.path[:11])
    assert len(head.losses) == 11
    diverged = run_optimizer("rosenbrock", "sgd", steps=50, lr=0.1)
    assert not diverged.head(0).diverged
    assert diverged.head(50).diverged_at == diverged.diverged_at


def test_steps_to_and_gaps():
    run = run_optimizer("saddle", "adam", steps=200, lr=0.05)
    assert (run.gaps >= 0).all()
    k = run.steps_to(1e-3)
    assert k is not None and run.gaps[k] <= 1e-3 and (run.gaps[:k] > 1e-3).all()
    assert run_optimizer("plateau", "sgd", steps=50, lr=0.1).steps_to(1e-3) is None


def test_bad_input_names_the_argument():
    with pytest.raises(ValueError, match="surface"):
        run_optimizer("banana", "sgd", lr=0.1)
    with pytest.raises(TypeError, match="surface"):
        get_surface(3)
    with pytest.raises(ValueError, match="name"):
        run_optimizer("bowl", "adamw", lr=0.1)
    with pytest.raises(TypeError, match="hyperparameter"):
        run_optimizer("bowl", "adam", beta=0.5)
    with pytest.raises(ValueError, match="steps"):
        run_optimizer("bowl", "adam", steps=-1)
    with pytest.raises(TypeError, match="steps"):
        run_optimizer("bowl", "adam", steps=2.5)
    with pytest.raises(ValueError, match="start"):
        run_optimizer("bowl", "adam", start=(1.0, 2.0, 3.0))
    with pytest.raises(ValueError, match="start"):
        run_optimizer("bowl", "adam", start=(np.nan, 0.0))
    with pytest.raises(TypeError, match="start"):
        run_optimizer("bowl", "adam", start=("a", "b"))
    with pytest.raises(ValueError, match="lr"):
        run_optimizer("bowl", "sgd", lr=-1.0)
