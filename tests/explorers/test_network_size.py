"""Chapter 5's width-sweep explorer: the generic contract, the cache, its numbers."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from widgets.engine.sweeps import doubling_rule, make_dataset, width_sweep
from widgets.explorers.network_size import WidthSweepExplorer, boundary_thumbnail
from widgets.explorers.network_size import widget as widget_module


def _check_explorer():
    path = Path(__file__).with_name("test_every_explorer.py")
    spec = importlib.util.spec_from_file_location("_every_explorer_for_05", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.check_explorer


def test_keeps_the_explorer_contract():
    assert _check_explorer()(WidthSweepExplorer) == []


def test_status_agrees_with_an_independent_sweep():
    explorer = WidthSweepExplorer()
    data = make_dataset("moons", 0.25, 200, 400, 0)
    sweep = width_sweep(*data, alpha=1e-4, seed=0, max_iter=200)
    rule = doubling_rule(sweep.widths, sweep.validation_accuracy, 2, 0.01)
    assert explorer.rule_width == rule
    assert f"picks {rule} units" in explorer.status
    np.testing.assert_array_equal(explorer.result[1].validation_accuracy, sweep.validation_accuracy)


def test_a_new_setting_is_trained_once_then_answered_from_the_cache(monkeypatch):
    # (How fast a new setting answers is measured by `make bench`, not here.)
    explorer = WidthSweepExplorer()
    calls = []
    real_sweep = widget_module.width_sweep
    monkeypatch.setattr(
        widget_module, "width_sweep", lambda *a, **k: calls.append(1) or real_sweep(*a, **k)
    )
    explorer.set(data="digits", n_train=400, seed=3)
    assert len(calls) == 1
    assert "no 2-D decision boundary" in explorer.thumbnails.value
    explorer.set(data="moons")
    trained = len(calls)
    explorer.set(data="digits")
    explorer.redraw()
    assert len(calls) == trained  # digits came back from the cache


def test_threshold_moves_only_the_rule():
    explorer = WidthSweepExplorer(threshold=0.0)
    loose = explorer.rule_width
    explorer.controls["threshold"].value = 0.05
    assert explorer.rule_width <= loose
    assert explorer.best_width == WidthSweepExplorer().best_width


def test_thumbnail_is_none_for_more_than_two_inputs():
    data = make_dataset("digits", 0.0, 50, 50, 0)
    sweep = width_sweep(*data, widths=(2,), max_iter=5)
    assert boundary_thumbnail(sweep.models[0], *data[:2]) is None


@pytest.mark.parametrize("argument", [{"data": "iris"}, {"n_train": 1000}, {"seed": -1}])
def test_refuses_bad_arguments(argument):
    with pytest.raises(ValueError, match=next(iter(argument))):
        WidthSweepExplorer(**argument)
