"""Helpers of the Playground chapters: run_playground, the figures and the counts they print."""

from __future__ import annotations

import math

import numpy as np
import pytest

from widgets.engine.playground import featurize
from widgets.explorers.playground.figures import (
    FONT_SIZE,
    MAX_WIDTH,
    collapse_linear_network,
    colourings_drawn,
    count_regions,
    labelings,
    linearity_table,
    max_regions,
    neuron_linearity,
    piece_codes,
    plot_neurons,
    plot_outputs,
    random_lines,
)
from widgets.explorers.playground.render import grid_points
from widgets.explorers.playground.seeds import runs_over_seeds
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
    with pytest.raises(ValueError, match="lines"):
        random_lines(0)


def test_random_lines_in_general_position_make_the_most_pieces():
    for k in range(1, 7):
        for seed in range(3):
            codes = piece_codes(*random_lines(k, seed))
            assert codes.shape == (max_regions(k), k)
            assert len({tuple(code) for code in codes}) == len(codes)
            assert set(np.unique(codes)) <= {-1, 1}


def test_one_output_neuron_draws_only_some_colourings_and_an_extra_layer_all():
    # One output neuron on k lines: 4 of 4, 14 of 16 (not the checkerboard and its
    # reverse), 72 of 128 colourings, whatever the lines in general position.
    for k, drawn in [(1, 4), (2, 14), (3, 72)]:
        for seed in range(3):
            assert colourings_drawn(k, seed) == drawn
            assert colourings_drawn(k, seed, extra_layer=True) == labelings(max_regions(k))
    assert colourings_drawn(4) == 492


def test_the_linearity_table_reads_runs_over_seeds():
    report = runs_over_seeds(20, seeds=range(2), hidden=(3,))
    r2 = linearity_table(report)
    assert r2.splitlines()[1].split()[-3:] == ["1.000", "1.000", "1.000"]
    assert len(r2.splitlines()) == 3  # hidden layer 1 and the output
    assert linearity_table(report.sessions) == r2


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


def test_squared_inputs_are_curved_in_the_plane_from_the_first_layer():
    run = run_playground(50, dataset="circle", features=("x1^2", "x2^2"), hidden=(2,))
    first, output = neuron_linearity(run)
    assert first.max() < 0.5 and output.min() >= 0.0


def _texts(figure):
    return [t for t in figure.findobj(lambda a: hasattr(a, "get_fontsize")) if t.get_text()]


def test_figures_draw_every_panel_legibly_within_the_text_width():
    run = run_playground(5, dataset="spiral", hidden=(3, 2))
    figure = plot_neurons(run)
    visible = [ax for ax in figure.axes if ax.axison]
    assert len(visible) == 3 + 2 + 1
    assert figure._repr_png_().startswith(b"\x89PNG")
    assert len(plot_outputs([run, run], ["a", "b"]).axes) == 2
    assert math.isfinite(run.test_loss)
    # A layer of 8 takes two columns of 4; four outputs make a 2×2 grid.
    wide = plot_neurons(run_playground(0, hidden=(8, 1)))
    assert len([ax for ax in wide.axes if ax.axison]) == 8 + 1 + 1
    assert wide.get_size_inches()[1] < 7
    four = plot_outputs([run] * 4, list("abcd"))
    four.canvas.draw()
    corners = {(round(ax.get_position().x0, 2), round(ax.get_position().y0, 2)) for ax in four.axes}
    assert len({x for x, _ in corners}) == len({y for _, y in corners}) == 2
    for fig in (figure, wide, four, plot_outputs([run] * 3, list("abc"))):
        assert fig.get_size_inches()[0] <= MAX_WIDTH + 1e-9
        assert min(text.get_fontsize() for text in _texts(fig)) >= FONT_SIZE
