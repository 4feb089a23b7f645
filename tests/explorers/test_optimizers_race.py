"""Chapter 10's OptimizerRace: its numbers from the engine, play, "diverged" instead of
NaN, bad input, and the chapter's computed quiz answers (the Explorer contract is
checked by ``tests/explorers/test_every_explorer.py``)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from widgets.engine import make_optimizer
from widgets.engine.surfaces import SURFACES, run_optimizer
from widgets.explorers.optimizers import PRESETS, RACERS, OptimizerRace, racer_settings
from widgets.explorers.optimizers.figures import (
    adagrad_step,
    adam_first_step_size,
    adam_first_steps,
    delta_bar_delta_rates,
    momentum_step,
    rmsprop_first_steps,
    rprop_step_after,
    uphill_share,
)


def _engine_path(surface, label, lr, momentum, steps):
    """The racer's path written out with make_optimizer directly (no runner, no cache)."""
    name, hyper = racer_settings(label, lr, momentum)
    surface = SURFACES[surface]
    w = np.array(surface.start, dtype=float)
    optimizer = make_optimizer(name, [w], **hyper)
    path = [w.copy()]
    for _ in range(steps):
        optimizer.step([surface.gradient(w)])
        if not np.isfinite(w).all() or np.abs(w).max() > 1e4:
            return np.array(path), True
        path.append(w.copy())
    return np.array(path), False


@pytest.mark.parametrize("surface", sorted(SURFACES))
def test_every_path_is_the_engines(surface):
    race = OptimizerRace(surface=surface, steps=60, show=list(RACERS))
    for label in RACERS:
        lr = PRESETS[surface][label]
        path, diverged = _engine_path(surface, label, lr, 0.9, 60)
        run = race.runs[label]
        assert run.diverged == diverged
        np.testing.assert_allclose(run.path, path, rtol=1e-12, atol=1e-15)


def test_status_names_the_best_racer_with_its_engine_loss():
    race = OptimizerRace(surface="bowl", steps=100, show=["sgd", "adam"])
    gaps = {}
    for label in ("sgd", "adam"):
        name, hyper = racer_settings(label, PRESETS["bowl"][label])
        gaps[label] = run_optimizer("bowl", name, steps=100, **hyper).losses[-1]
    best = min(gaps, key=gaps.get)
    assert f"lowest: {RACERS[best][1]}, {gaps[best]:.3g} above the minimum" in race.status
    assert "step 100 of 100" in race.status


def test_a_diverging_racer_says_diverged_and_draws_no_nan():
    race = OptimizerRace(surface="rosenbrock", show=["sgd", "adam"])
    race.controls["lr_sgd"].value = 0.1
    assert race.diverged and "diverged: SGD" in race.status
    assert not re.search(r"\b(nan|inf)\b", race.rendered(), re.IGNORECASE)
    assert "diverged at step" in race.table.value
    assert "nnoe-error" in race.status_line.value


def test_choosing_a_surface_loads_its_presets():
    race = OptimizerRace()
    race.controls["lr_adam"].value = 0.5
    race.controls["surface"].value = "rosenbrock"
    for label in RACERS:
        assert race.controls[f"lr_{label}"].value == pytest.approx(
            PRESETS["rosenbrock"][label], rel=1e-6
        )


def test_play_animates_and_starts_over():
    race = OptimizerRace(steps=100)
    assert race.frame == 100
    race.buttons["play"].value += 1  # a tick
    assert race.frame == 2 and "step 2 of 100" in race.status
    for _ in range(49):  # 2 steps a tick
        race.play()
    assert race.frame == 100
    race.play()
    assert race.frame == 2
    assert len(race.runs["adam"].path) == 3
    race.controls["steps"].value = 50  # any control shows the whole run again
    assert race.frame == 50


def test_unticked_racers_are_not_drawn_but_listed():
    race = OptimizerRace(show=[])
    assert "no optimizer ticked" in race.status
    assert race.table.value.count("<tr") == len(RACERS) + 1
    race.controls["show_rprop"].value = True
    assert "Rprop" in race.status


def test_bad_arguments_name_the_argument():
    with pytest.raises(ValueError, match="surface"):
        OptimizerRace(surface="bumpy")
    with pytest.raises(ValueError, match="steps"):
        OptimizerRace(steps=5)
    with pytest.raises(TypeError, match="steps"):
        OptimizerRace(steps=50.5)
    with pytest.raises(ValueError, match="momentum"):
        OptimizerRace(momentum=1.0)
    with pytest.raises(ValueError, match="show"):
        OptimizerRace(show=["adamw"])
    with pytest.raises(TypeError, match="show"):
        OptimizerRace(show="adam")
    with pytest.raises(ValueError, match="learning_rates"):
        OptimizerRace(learning_rates={"adam": 5.0})
    with pytest.raises(TypeError, match="learning_rates"):
        OptimizerRace(learning_rates=[0.1])
    with pytest.raises(ValueError, match="label"):
        racer_settings("adamw", 0.1)


# ------------------------------------------------------------------ the chapter's numbers


def test_momentum_step_is_the_lecture_formula():
    # Delta w(t) = -eta g + mu Delta w(t-1).
    assert momentum_step(0.5, 0.1, 0.9, -0.2) == pytest.approx(-0.1 * 0.5 + 0.9 * -0.2)
    assert momentum_step(-1.0, 0.05, 0.5, 0.3) == pytest.approx(0.05 + 0.15)


def test_adagrad_step_by_hand():
    # G = 4 + 1 + 4 = 9 after three gradients: the last step is -0.1 * 2 / 3.
    assert adagrad_step((2.0, 1.0, 2.0), 0.1) == pytest.approx(-0.2 / 3, rel=1e-9)


def test_adam_bias_correction_by_hand():
    # Corrected: the first step is lr whatever the gradient (to within eps).
    assert adam_first_step_size(5.0, 0.001) == pytest.approx(0.001, rel=1e-6)
    # Uncorrected: lr (1 - b1) / sqrt(1 - b2) = lr * 0.1 / sqrt(0.001).
    assert adam_first_step_size(5.0, 0.001, False) == pytest.approx(
        0.001 * 0.1 / np.sqrt(0.001), rel=1e-6
    )
    t = np.arange(1, 31)
    uncorrected = adam_first_steps(np.ones(30), bias_correction=False)
    np.testing.assert_allclose(uncorrected, (1 - 0.9**t) / np.sqrt(1 - 0.999**t), rtol=1e-6)
    np.testing.assert_allclose(adam_first_steps(np.ones(30)), 1.0, rtol=1e-6)
    # RMSprop, uncorrected, alpha 0.99: the first step is 1 / sqrt(0.01) = 10 rates.
    assert rmsprop_first_steps([3.0])[0] == pytest.approx(10.0, rel=1e-6)


def test_rprop_grows_by_eta_plus():
    assert rprop_step_after((1, 1, 1), 0.01) == pytest.approx(0.01 * 1.2**2)
    assert rprop_step_after((1, -1), 0.01) == pytest.approx(0.005)


def test_delta_bar_delta_rates_and_uphill_share():
    path, rates = delta_bar_delta_rates("bowl", 40, lr=0.03, kappa=0.003)
    assert rates.shape == (40, 2) and path.shape == (41, 2)
    assert rates[0].tolist() == [0.03, 0.03]
    assert rates.max() > 0.1  # grew while the signs held
    # Pure gradient descent never steps uphill; heavy momentum on the bowl does.
    assert uphill_share(run_optimizer("bowl", "sgd", steps=60, lr=0.05)) == 0.0
    assert uphill_share(run_optimizer("bowl", "sgd", steps=60, lr=0.01, momentum=0.9)) > 0.1
