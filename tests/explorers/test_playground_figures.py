"""Helpers of the Playground chapters: run_playground, the figures and the counts they print."""

from __future__ import annotations

import math

import numpy as np
import pytest

from widgets.engine.playground import featurize
from widgets.explorers.playground.figures import (
    collapse_linear_network,
    count_regions,
    labelings,
    max_regions,
    neuron_linearity,
    plot_neurons,
    plot_outputs,
)
from widgets.explorers.playground.render import grid_points
from widgets.explorers.playground.session import run_playground


def test_run_playground_equals_the_explorer():
    from widgets.explorers.playground import Playground

    run = run_playground(7, dataset="xor", hidden=(3,), learning_rate=0.1)
    pg = Playground(dataset="xor", hidden=(3,), learning_rate=0.1)
    pg.train(7)
    assert run.epoch == pg.epoch == 7
    assert run.test_loss == pg.test_loss and run.summary() == pg.summary()
    with pytest.raises(ValueError, match="epochs must be at least 0"):
        run_playground(-1)


def test_counts():
    # Parameter counts are the engine's (widgets.engine.count_parameters, tested there).
    assert [max_regions(k) for k in range(5)] == [1, 2, 4, 7, 11]
    for k in range(1, 7):
        assert 2 <= count_regions(k) <= max_regions(k)
    assert labelings(7) == 128


def test_linear_network_collapses_to_one_layer():
    run = run_playground(20, dataset="circle", hidden=(4, 2), activation="linear")
    W, b = collapse_linear_network(run.net)
    X = featurize(grid_points(30), ("x1", "x2"))
    np.testing.assert_allclose(np.tanh(X @ W + b)[:, 0], run.net.predict(X), atol=1e-12)
    with pytest.raises(ValueError, match="linear hidden neurons"):
        collapse_linear_network(run_playground(0).net)


def test_first_layer_is_first_order_and_later_layers_are_not():
    run = run_playground(150, dataset="circle", hidden=(4, 2), learning_rate=0.1)
    first, second, output = neuron_linearity(run)
    np.testing.assert_allclose(first, 1.0, atol=1e-9)
    assert second.min() < 0.9 and output[0] < 0.5


def test_figures_draw_every_panel():
    run = run_playground(5, dataset="spiral", hidden=(3, 2))
    figure = plot_neurons(run)
    visible = [ax for ax in figure.axes if ax.axison]
    assert len(visible) == 3 + 2 + 1
    assert figure._repr_png_().startswith(b"\x89PNG")
    assert len(plot_outputs([run, run], ["a", "b"]).axes) == 2
    assert math.isfinite(run.test_loss)
