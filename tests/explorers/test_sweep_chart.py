"""Chapter 5's hidden-node sweep chart, without a browser: its embedded accuracies are a
fresh engine run's, exactly; its description, controls and arguments.

The chart's numbers are precomputed (the explorer's cache) and embedded; here each
setting chosen below is swept again from scratch with ``make_dataset`` and
``width_sweep``, rounded to the chart's decimals, and compared with the embedded rows.
What the browser draws from them is checked in ``tests/site/test_chart_sweep.py``.
"""

from __future__ import annotations

import json
import re

import pytest

from widgets.engine.sweeps import WIDTHS, best_width, make_dataset, width_sweep
from widgets.explorers.network_size import (
    ALPHAS,
    DECIMALS,
    NOISE_LEVELS,
    SWEEP_FILTER,
    WidthSweepExplorer,
    best_label,
    cached_sweep,
    setting_key,
    width_sweep_chart,
)
from widgets.explorers.network_size import widget as explorer_module

# Settings of the controls (noise, α) checked against a fresh engine run: a corner of
# the grid, the start, a noisy one with each larger penalty.
CHECKED = [(0.05, 1e-4), (0.25, 1e-4), (0.45, 0.1), (0.35, 10.0), (0.15, 0.1)]


def fresh_sweep(noise, alpha, name="moons", n_train=200, seed=0):
    """The explorer's sweep of one setting, trained here, outside every cache."""
    data = make_dataset(name, noise, n_train, 400, seed)
    return width_sweep(*data, alpha=alpha, seed=seed, max_iter=200)


@pytest.fixture(scope="module")
def chart():
    return width_sweep_chart()


def _rows(chart, name, noise, alpha):
    return [r for r in chart.spec["datasets"][name] if r["noise"] == noise and r["alpha"] == alpha]


@pytest.mark.parametrize(("noise", "alpha"), CHECKED)
def test_embedded_accuracies_are_a_fresh_engine_run(chart, noise, alpha):
    sweep = fresh_sweep(noise, alpha)
    rows = _rows(chart, "accuracy", noise, alpha)
    for name, values in (
        ("training", sweep.train_accuracy),
        ("validation", sweep.validation_accuracy),
    ):
        embedded = {r["width"]: r["accuracy"] for r in rows if r["set"] == name}
        expected = {w: round(float(a), DECIMALS) for w, a in zip(WIDTHS, values)}
        assert embedded == expected, (noise, alpha, name)
    (best,) = _rows(chart, "best", noise, alpha)
    width = best_width(WIDTHS, sweep.validation_accuracy)
    score = round(float(sweep.validation_accuracy[WIDTHS.index(width)]), DECIMALS)
    assert (best["width"], best["accuracy"]) == (width, score)
    assert best["label"] == best_label(width, score)
    assert f"{score:.3f}, with {width} hidden unit" in best["label"]


def test_grid_holds_every_setting_once(chart):
    accuracy, best = chart.spec["datasets"]["accuracy"], chart.spec["datasets"]["best"]
    settings = {(n, a) for n in NOISE_LEVELS for a in ALPHAS}
    assert len(accuracy) == len(settings) * len(WIDTHS) * 2
    assert {(r["noise"], r["alpha"]) for r in accuracy} == settings
    assert sorted((r["noise"], r["alpha"]) for r in best) == sorted(settings)
    # The accuracies are fractions of 200 or 400 points: 4 decimals hold them exactly.
    assert all(round(r["accuracy"] * 400) == pytest.approx(r["accuracy"] * 400) for r in accuracy)
    # (and the grid is not one sweep repeated: the best width moves with the controls)
    assert len({r["width"] for r in best}) >= 3


def test_description_quotes_the_starting_setting(chart):
    sweep = fresh_sweep(0.25, 1e-4)
    text = chart.description
    train = ", ".join(f"{a:.3f}" for a in sweep.train_accuracy)
    validation = ", ".join(f"{a:.3f}" for a in sweep.validation_accuracy)
    assert f"training {train}; validation {validation}" in text
    width = best_width(WIDTHS, sweep.validation_accuracy)
    assert text.endswith(
        f"best validation accuracy: {sweep.validation_accuracy.max():.3f}, "
        f"with {width} hidden units."
    )
    assert "noise 0.25 and α = 0.0001" in text
    # Another start (from the explorer's cache, filled by the module's chart) is quoted.
    other = width_sweep_chart(noise=0.45, alpha=0.1)
    (best,) = _rows(other, "best", 0.45, 0.1)
    assert other.description.endswith(best["label"] + ".")
    assert other.parameters == {"noise": 0.45, "alpha": 0.1}
    assert other.spec["datasets"] == chart.spec["datasets"]


def test_controls_reach_every_setting_and_pick_its_rows(chart):
    assert chart.parameters == {"noise": 0.25, "alpha": 1e-4}
    binding = {p["name"]: p["bind"] for p in chart.spec["params"]}
    noise = binding["noise"]
    assert (noise["input"], noise["min"], noise["max"]) == ("range", 0.05, 0.45)
    positions = round((noise["max"] - noise["min"]) / noise["step"]) + 1
    assert [round(noise["min"] + k * noise["step"], 6) for k in range(positions)] == list(
        NOISE_LEVELS
    )
    assert binding["alpha"]["input"] == "radio"
    assert binding["alpha"]["options"] == list(ALPHAS)
    assert binding["alpha"]["labels"] == ["0.0001", "0.1", "10"]
    # Every layer draws only the chosen setting's rows.
    filters = [t["filter"] for layer in chart.spec["layer"] for t in layer.get("transform", [])]
    assert filters == [SWEEP_FILTER] * len(chart.spec["layer"])
    assert {layer["data"]["name"] for layer in chart.spec["layer"]} == {"accuracy", "best"}


def test_chart_is_deterministic_and_small(chart):
    again = width_sweep_chart()
    assert json.dumps(again.spec, sort_keys=True) == json.dumps(chart.spec, sort_keys=True)
    assert len(again.to_html().encode("utf-8")) < 60_000


def test_the_explorer_and_the_chart_share_one_cache():
    explorer = WidthSweepExplorer()
    assert explorer._key == setting_key()
    data, sweep = cached_sweep()
    assert sweep is explorer.result[1], "the explorer's first view is not trained again"
    assert explorer_module._SWEEPS[setting_key()][2] is not None  # the explorer's thumbnails
    cached_sweep(noise=0.05, alpha=10.0)
    assert explorer_module._SWEEPS[setting_key(noise=0.05, alpha=10.0)][2] is None


@pytest.mark.parametrize(
    ("argument", "error"),
    [
        ({"noise": 0.3}, ValueError),
        ({"noise": 0.6}, ValueError),
        ({"noise": "0.25"}, TypeError),
        ({"alpha": 1.0}, ValueError),
        ({"alpha": None}, TypeError),
        ({"data": "iris"}, ValueError),
        ({"data": 3}, TypeError),
        ({"n_train": 1000}, ValueError),
        ({"n_train": 20.5}, TypeError),
        ({"seed": -1}, ValueError),
    ],
)
def test_refuses_bad_arguments(argument, error):
    name = next(iter(argument))
    with pytest.raises(error, match=re.escape(name)):
        width_sweep_chart(**argument)
