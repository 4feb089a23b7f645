"""Chapter 11's search computations against scikit-learn and brute force."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV, StratifiedKFold

from widgets.engine import MLPClassifier
from widgets.engine.search import (
    BASE,
    effective_dimension_share,
    grid_cost,
    grid_fits,
    grid_points,
    grid_scores,
    halving_cost,
    halving_schedule,
    halving_search,
    one_at_a_time,
    random_vs_grid,
    search_data,
    search_estimator,
    tuning_optimism,
)


@pytest.fixture(scope="module")
def small():
    X, y = search_data(120, seed=1)
    return X, y


def test_grid_scores_equal_gridsearchcv(small):
    X, y = small
    values_x, values_y = [(4,), (16,)], [0.01, 0.3, 1.0]
    result = grid_scores(
        X, y, "hidden_layer_sizes", values_x, "learning_rate_init", values_y, cv=3, seed=2
    )
    search = GridSearchCV(
        MLPClassifier(**{**BASE, "random_state": 2}),
        {"hidden_layer_sizes": values_x, "learning_rate_init": values_y},
        cv=StratifiedKFold(3, shuffle=True, random_state=2),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search.fit(X, y)
    results = search.cv_results_
    for k, params in enumerate(results["params"]):
        i = values_y.index(params["learning_rate_init"])
        j = values_x.index(params["hidden_layer_sizes"])
        assert result.mean[i, j] == pytest.approx(results["mean_test_score"][k], abs=1e-12)
        assert result.std[i, j] == pytest.approx(results["std_test_score"][k], abs=1e-12)
    assert result.params(result.best) == {
        key: search.best_params_[key] for key in ("hidden_layer_sizes", "learning_rate_init")
    } or result.mean[result.best] == pytest.approx(search.best_score_)
    # A 1.0 learning rate with momentum 0.9 diverges: its cells sit near chance (0.1).
    assert result.mean[2].max() < 0.3 < result.mean[:2].max()


def test_grid_scores_progress_and_errors(small):
    X, y = small
    calls = []
    grid_scores(
        X,
        y,
        "alpha",
        [1e-4, 1.0],
        "momentum",
        [0.0, 0.9],
        cv=2,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]
    with pytest.raises(ValueError, match="values_x"):
        grid_scores(X, y, "alpha", [1e-4], "momentum", [0.0, 0.9])
    with pytest.raises(ValueError, match="param_x"):
        grid_scores(X, y, "alpha", [1, 2], "alpha", [1, 2])
    with pytest.raises(ValueError, match="not a hyperparameter"):
        grid_scores(X, y, "colour", [1, 2], "alpha", [1, 2])
    with pytest.raises(ValueError, match="cv"):
        grid_scores(X, y, "alpha", [1, 2], "momentum", [0.1, 0.2], cv=1)
    with pytest.raises(ValueError, match="params"):
        search_estimator(0, colour=1)


def _coordinatewise_maxima(table):
    return {
        (i, j)
        for i, j in itertools.product(*map(range, table.shape))
        if table[i, j] == table[i].max() == table[:, j].max()
    }


def _brute_path(table, start, first):
    """An independent restatement: scan rows/columns and move to a strictly better cell."""
    cell, axis, path, still = start, first, [start], 0
    while still < 2:
        i, j = cell
        line = table[i] if axis == "x" else table[:, j]
        here = j if axis == "x" else i
        best = max(range(len(line)), key=lambda k: (line[k], k == here, -k))
        new = (i, best) if axis == "x" else (best, j)
        still = still + 1 if new == cell else 0
        cell = new
        path.append(cell)
        axis = "y" if axis == "x" else "x"
    return path


def test_one_at_a_time_brute_force():
    rng = np.random.default_rng(0)
    for _ in range(200):
        table = rng.integers(0, 6, size=rng.integers(1, 6, size=2)).astype(float)
        for start in itertools.product(*map(range, table.shape)):
            for first in ("x", "y"):
                search = one_at_a_time(table, start, first)
                assert search.path == _brute_path(table, start, first)
                assert search.end in _coordinatewise_maxima(table)
                scores = [table[c] for c in search.moves]
                assert all(b > a for a, b in zip(scores, scores[1:]))


def test_one_at_a_time_separable_and_ridge():
    # Additive scores: one pass finds the best cell from anywhere.
    a, b = np.array([0.1, 0.5, 0.3]), np.array([0.2, 0.0, 0.7, 0.4])
    table = a[:, None] + b[None, :]
    for start in itertools.product(range(3), range(4)):
        assert one_at_a_time(table, start, "x", passes=1).end == (1, 2)
    # A diagonal ridge: a local point of the search that is not the best cell.
    ridge = np.array([[0.9, 0.1, 0.0], [0.1, 0.5, 0.6], [0.0, 0.6, 1.0]])
    search = one_at_a_time(ridge, (0, 0), "x")
    assert search.end == (0, 0) and ridge[search.end] < ridge.max()
    assert search.evaluated == {(0, 0), (0, 1), (0, 2), (1, 0), (2, 0)}
    with pytest.raises(ValueError, match="start"):
        one_at_a_time(ridge, (3, 0))
    with pytest.raises(TypeError, match="start"):
        one_at_a_time(ridge, "corner")
    with pytest.raises(ValueError, match="first"):
        one_at_a_time(ridge, (0, 0), "z")
    with pytest.raises(ValueError, match="scores"):
        one_at_a_time([[np.nan, 1.0]], (0, 0))


@pytest.mark.parametrize("n", [5, 9, 36, 81, 100])
@pytest.mark.parametrize("factor", [2, 3])
def test_halving_schedule_equals_sklearn(n, factor):
    from sklearn.experimental import enable_halving_search_cv  # noqa: F401
    from sklearn.model_selection import HalvingGridSearchCV

    X, y = search_data(60, seed=0)
    search = HalvingGridSearchCV(
        MLPClassifier(**{**BASE, "max_iter": 1, "random_state": 0}),
        {"alpha": list(np.geomspace(1e-5, 1.0, n))},
        factor=factor,
        resource="max_iter",
        min_resources=1,
        max_resources=27,
        cv=2,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search.fit(X, y)
    candidates, resources = halving_schedule(n, factor, 1, 27)
    assert candidates == list(search.n_candidates_)
    assert resources == list(search.n_resources_)
    assert halving_cost(n, factor, 1, 27, cv=2) == 2 * sum(
        c * r for c, r in zip(search.n_candidates_, search.n_resources_)
    )


def test_halving_search_and_costs():
    X, y = search_data(90, seed=0)
    grid = {"alpha": [1e-4, 1.0], "learning_rate_init": [0.01, 0.1, 0.3]}
    search = halving_search(X, y, grid, factor=3, max_resources=9, cv=3)
    assert list(search.n_candidates_) == [6, 2] and list(search.n_resources_) == [1, 3]
    assert halving_cost(36) == 3 * (36 * 1 + 12 * 3 + 4 * 9 + 2 * 27) == 486
    assert grid_cost(36) == 3 * 36 * 27
    assert grid_fits(6, 6, 3) == 109 and grid_fits(6, 6, 3, refit=False) == 108
    with pytest.raises(ValueError, match="max_resources"):
        halving_schedule(9, 3, 5, 2)


def test_grid_points_and_effective_dimension():
    np.testing.assert_allclose(grid_points(1e-3, 1.0, 3), [10**-2.5, 10**-1.5, 10**-0.5])
    with pytest.raises(ValueError, match="low"):
        grid_points(0.0, 1.0, 3)
    # One coordinate of two matters: the grid tries 3 values of it, random search 9.
    random_better, grid_better, budget = effective_dimension_share(3, 2, 4000)
    assert budget == 9 and random_better + grid_better == pytest.approx(1.0)
    assert random_better > 0.6
    # With one dimension, the grid's evenly spread points are hard to beat.
    assert effective_dimension_share(9, 1, 4000)[0] < 0.5


def test_random_vs_grid_scores_are_real_trainings():
    result = random_vs_grid(per_axis=2, seed=0, n=90)
    assert len(result["grid"]) == len(result["random"]) == 4
    params, score = result["grid"][0]
    X, y = search_data(90, 0)
    model = search_estimator(0, **params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(X[:60], y[:60])
    assert score == model.score(X[60:], y[60:])
    rates = [p["learning_rate_init"] for p, _ in result["random"]]
    assert len(set(rates)) == 4 and all(1e-3 <= r <= 1.0 for r in rates)
    assert result["grid_best"] == max(s for _, s in result["grid"])


def test_tuning_optimism_claim_is_the_best_test_score():
    grid = {"hidden_layer_sizes": [(4,), (16,)], "learning_rate_init": [0.1]}
    r = tuning_optimism(seed=0, n_dev=120, n_test=60, param_grid=grid)
    assert r["n_fresh"] == 1797 - 180
    X, y = search_data(1797, 0)
    test_scores = []
    for params in ({"hidden_layer_sizes": (4,)}, {"hidden_layer_sizes": (16,)}):
        model = search_estimator(0, learning_rate_init=0.1, **params)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit(X[:120], y[:120])
        test_scores.append(model.score(X[120:180], y[120:180]))
    assert r["test_claim"] == max(test_scores)
    assert 0.0 <= r["nested"] <= 1.0 and r["cv_params"] in [
        {"hidden_layer_sizes": h, "learning_rate_init": 0.1} for h in [(4,), (16,)]
    ]
    with pytest.raises(ValueError, match="n_dev"):
        tuning_optimism(n_dev=10)
