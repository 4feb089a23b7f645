"""Delta-bar-delta (Jacobs 1988): hand-computed steps, an independent reimplementation,
and the behaviour the lecture describes (the rate grows while the sign holds, shrinks
when it flips)."""

import numpy as np
import pytest

from widgets.engine import make_optimizer
from widgets.engine.optimizers import OPTIMIZERS, DeltaBarDelta, hyperparameter_names


def test_registered_with_its_hyperparameters():
    assert OPTIMIZERS["delta_bar_delta"] is DeltaBarDelta
    assert hyperparameter_names("delta_bar_delta") == ["lr", "kappa", "phi", "theta"]


def test_three_steps_by_hand():
    # lr 0.1, kappa 0.05, phi 0.5, theta 0.5; gradients 2, 4, -1 for one weight.
    w = np.array([1.0])
    opt = make_optimizer("delta_bar_delta", [w], lr=0.1, kappa=0.05, phi=0.5, theta=0.5)
    # Step 1: average 0, so the rate stays 0.1: w = 1 - 0.1*2 = 0.8; average = 0.5*2 = 1.
    opt.step([np.array([2.0])])
    assert w[0] == pytest.approx(0.8) and opt.rates[0][0] == pytest.approx(0.1)
    assert opt.grad_averages[0][0] == pytest.approx(1.0)
    # Step 2: 4 agrees with 1: rate 0.15; w = 0.8 - 0.15*4 = 0.2; average = 0.5*4 + 0.5 = 2.5.
    opt.step([np.array([4.0])])
    assert w[0] == pytest.approx(0.2) and opt.rates[0][0] == pytest.approx(0.15)
    assert opt.grad_averages[0][0] == pytest.approx(2.5)
    # Step 3: -1 disagrees with 2.5: rate 0.15*0.5 = 0.075; w = 0.2 + 0.075 = 0.275.
    opt.step([np.array([-1.0])])
    assert w[0] == pytest.approx(0.275) and opt.rates[0][0] == pytest.approx(0.075)
    assert opt.grad_averages[0][0] == pytest.approx(0.75)


def _reference(w0, grads, lr, kappa, phi, theta):
    """Jacobs' rule, one weight at a time, in plain Python."""
    w = [float(v) for v in w0]
    rates = [lr] * len(w)
    bars = [0.0] * len(w)
    for g in grads:
        for i, gi in enumerate(g):
            if gi * bars[i] > 0:
                rates[i] = rates[i] + kappa
            elif gi * bars[i] < 0:
                rates[i] = rates[i] * (1 - phi)
            w[i] -= rates[i] * gi
            bars[i] = (1 - theta) * gi + theta * bars[i]
    return np.array(w), np.array(rates)


@pytest.mark.parametrize("hyper", [{}, dict(lr=0.3, kappa=0.02, phi=0.3, theta=0.0)])
def test_matches_a_straightforward_reimplementation(hyper):
    rng = np.random.default_rng(1)
    # Gradients whose signs sometimes flip, for a (2, 3) array of weights.
    grads = [rng.normal(size=(2, 3)) + (0.5 if t % 4 else -0.8) for t in range(30)]
    w = np.linspace(-1, 1, 6).reshape(2, 3)
    start = w.copy()
    opt = make_optimizer("delta_bar_delta", [w], **hyper)
    for g in grads:
        opt.step([g])
    full = dict(lr=0.01, kappa=0.001, phi=0.1, theta=0.7) | hyper
    expected_w, expected_rates = _reference(start.ravel(), [g.ravel() for g in grads], **full)
    np.testing.assert_allclose(w.ravel(), expected_w, rtol=1e-12)
    np.testing.assert_allclose(opt.rates[0].ravel(), expected_rates, rtol=1e-12)


def test_rate_grows_while_the_sign_holds_and_shrinks_when_it_flips():
    w = np.array([0.0, 0.0])
    opt = make_optimizer("delta_bar_delta", [w], lr=0.01, kappa=0.002, phi=0.2)
    # Weight 0 always sees +1; weight 1 sees +1, -1, +1, ... (it oscillates).
    rates = []
    for t in range(10):
        opt.step([np.array([1.0, 1.0 if t % 2 == 0 else -1.0])])
        rates.append(opt.rates[0].copy())
    rates = np.array(rates)
    # Additive growth for the steady weight: 0.01 + 0.002 * (t - 1) after step t.
    np.testing.assert_allclose(rates[:, 0], 0.01 + 0.002 * np.arange(10) - 0.0 * 0, atol=1e-15)
    # Geometric shrinking for the oscillating one: 0.01 * 0.8 ** (t - 1).
    np.testing.assert_allclose(rates[:, 1], 0.01 * 0.8 ** np.arange(10), rtol=1e-12)


def test_zero_gradient_leaves_the_rate():
    w = np.array([1.0])
    opt = make_optimizer("delta_bar_delta", [w], lr=0.1, kappa=0.5)
    opt.step([np.array([1.0])])
    opt.step([np.array([0.0])])
    assert opt.rates[0][0] == pytest.approx(0.1)
    assert w[0] == pytest.approx(0.9)


def test_float32_parameters_stay_float32():
    w = np.ones(3, dtype=np.float32)
    opt = make_optimizer("delta_bar_delta", [w])
    opt.step([np.ones(3, dtype=np.float32)])
    assert w.dtype == np.float32 and opt.rates[0].dtype == np.float32


def test_bad_hyperparameters_name_the_argument():
    w = [np.zeros(2)]
    for key, value, error in [
        ("lr", 0.0, ValueError),
        ("kappa", -0.1, ValueError),
        ("phi", 1.0, ValueError),
        ("theta", 1.0, ValueError),
        ("theta", "0.5", TypeError),
        ("phi", None, TypeError),
    ]:
        with pytest.raises(error, match=key):
            make_optimizer("delta_bar_delta", w, **{key: value})
    with pytest.raises(TypeError, match="hyperparameter"):
        make_optimizer("delta_bar_delta", w, eta=0.1)
