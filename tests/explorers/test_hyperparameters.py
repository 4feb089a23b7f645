"""Chapter 11's explorer: its numbers come from the engine (the Explorer contract is
checked by ``tests/explorers/test_every_explorer.py``)."""

from __future__ import annotations

import pytest

from widgets.engine.search import LABELS, PAIRS, VALUES, grid_scores, one_at_a_time, search_data
from widgets.explorers.hyperparameters import CV, N_DATA, GridSearchExplorer, cached_grid


def test_status_numbers_come_from_the_engine():
    explorer = GridSearchExplorer(start_x=1, start_y=5, first="y", passes=1)
    X, y = search_data(N_DATA, 0)
    px, py = PAIRS["hidden units × learning rate"]
    grid = grid_scores(X, y, px, VALUES[px], py, VALUES[py], CV, 0)
    assert (grid.mean == explorer.grid.mean).all()
    best = grid.best
    search = one_at_a_time(grid.mean, (5, 1), "y", passes=1)
    status = explorer.status
    assert f"{grid.mean[best]:.3f} ± {grid.std[best]:.3f}" in status
    assert f"{grid.mean[search.end]:.3f}, after {len(search.evaluated)} of 36 cells" in status
    assert explorer.search.path == search.path


def test_pair_relabels_controls_and_caches():
    explorer = GridSearchExplorer()
    explorer.set(pair="learning rate × momentum", start_x=2)
    assert explorer.controls["start_x"].description == f"start: {LABELS['learning_rate_init']}"
    assert explorer.controls["start_y"].description == f"start: {LABELS['momentum']}"
    assert explorer.controls["start_x"].value == 2
    assert explorer.grid is cached_grid("learning rate × momentum", 0)
    assert "learning rate 0.03" in explorer.status


def test_bad_arguments():
    with pytest.raises(ValueError, match="pair"):
        GridSearchExplorer(pair="depth")
    with pytest.raises(ValueError, match="start_x"):
        GridSearchExplorer(start_x=6)
    with pytest.raises(TypeError, match="seed"):
        GridSearchExplorer(seed="one")
    with pytest.raises(ValueError, match="seed"):
        cached_grid("hidden units × α", seed=9)
