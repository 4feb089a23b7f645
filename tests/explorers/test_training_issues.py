"""Chapter 8's explorers: their status numbers come from the engine.

The restarts explorer's numbers are recomputed with :func:`restart_losses` and
:func:`expected_best_of_k`; the gradient-flow explorer's with :func:`gradient_flow`.
Exploding settings must say "diverged" and never show nan/inf. The Explorer contract
is checked for both by ``tests/explorers/test_every_explorer.py``.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from widgets.engine.landscape import expected_best_of_k, gradient_flow, restart_losses
from widgets.explorers.training_issues import (
    GradientFlowExplorer,
    RestartsExplorer,
    flow_data,
    restart_data,
)
from widgets.explorers.training_issues import restarts as restarts_module

NUMBER = re.compile(r"\d+\.\d+(?:e[+-]\d+)?")


def test_restarts_status_from_the_engine():
    explorer = RestartsExplorer(data="xor", width=3, seeds=20, gap=0.1)
    X, y = restart_data("xor")
    losses = restart_losses(X, y, 3, range(20), "tanh", restarts_module.MAX_ITER)
    np.testing.assert_allclose(explorer.losses, losses)
    best = expected_best_of_k(losses, [1, 3, 10])
    stuck = np.mean(losses > losses.min() + 0.1)
    assert f"final loss {losses.min():.3f} to {losses.max():.3f}" in explorer.status
    assert f"median {np.median(losses):.3f}" in explorer.status
    assert f"{stuck:.0%}" in explorer.status
    assert f"{best[0]:.3f}, {best[1]:.3f}, {best[2]:.3f}" in explorer.status
    assert explorer.progress.value == explorer.progress.max


def test_restarts_cache_and_seed_count():
    explorer = RestartsExplorer(data="moons", width=2, seeds=50)
    cached = restarts_module._RUNS[("moons", 2)]
    explorer.set(seeds=10, gap=0.2)
    assert restarts_module._RUNS[("moons", 2)] is cached  # not retrained
    np.testing.assert_array_equal(explorer.losses, cached[:10])
    assert "10 seeds" in explorer.status and "best + 0.20" in explorer.status


def test_restarts_small_network_gets_stuck_more_than_large():
    small = RestartsExplorer(data="moons", width=2)
    large = RestartsExplorer(data="moons", width=16)
    assert small.stuck > 0.5 and large.stuck == 0.0


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"width": 5}, ValueError),
        ({"width": "2"}, TypeError),
        ({"seeds": 60}, ValueError),
        ({"data": "digits"}, ValueError),
        ({"gap": -0.1}, ValueError),
    ],
)
def test_restarts_bad_arguments(kwargs, error):
    with pytest.raises(error, match=next(iter(kwargs))):
        RestartsExplorer(**kwargs)


def test_gradient_flow_status_from_the_engine():
    explorer = GradientFlowExplorer(depth=12, activation="tanh", gain=1.0, seed=1)
    X, Y = flow_data()
    run = gradient_flow(X, Y, depth=12, width=16, activation="tanh", gain=1.0, seed=1)
    np.testing.assert_allclose(explorer.run.norms, run.norms)
    assert f"layer 1 {run.norms[0, 0]:.1e}" in explorer.status
    assert f"layer 12 {run.norms[0, -2]:.1e}" in explorer.status
    assert f"loss {run.losses[0]:.3f} → {run.losses[-1]:.3f}" in explorer.status


def test_gradient_flow_vanishing_and_exploding():
    explorer = GradientFlowExplorer(depth=20, activation="logistic", gain=1.0)
    assert explorer.ratio < 1e-6 and not explorer.diverged
    explorer.set(activation="relu", gain=4.0)
    assert explorer.diverged and "diverged at step" in explorer.status
    assert not re.search(r"\b(nan|inf)\b", explorer.status + explorer.rendered(), re.I)
    explorer.set(gain=2**0.5)
    assert not explorer.diverged and 1e-2 < explorer.ratio < 1e2


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"depth": 1}, ValueError),
        ({"depth": 21}, ValueError),
        ({"activation": "sine"}, ValueError),
        ({"gain": 0.0}, ValueError),
        ({"gain": "big"}, TypeError),
    ],
)
def test_gradient_flow_bad_arguments(kwargs, error):
    with pytest.raises(error, match=next(iter(kwargs))):
        GradientFlowExplorer(**kwargs)
