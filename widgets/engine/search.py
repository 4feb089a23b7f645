"""Hyperparameter search: grids, one-at-a-time, random search, successive halving, nesting.

Chapter 11's computations, headless. The model is always the engine's
:class:`~widgets.engine.MLPClassifier` (a scikit-learn estimator, so scikit-learn's
search tools drive it as they drive their own), on a subset of scikit-learn's 8×8
``digits`` (64 inputs, 10 classes, pixels scaled to [0, 1]):

- :func:`search_data`, :func:`search_estimator`: the data and the network being tuned
  (one hidden layer, SGD with momentum, 27 epochs of mini-batches of 32);
- :func:`grid_scores`: the k-fold cross-validated accuracy of every cell of a grid over
  two hyperparameters: the numbers ``GridSearchCV`` reports as ``mean_test_score`` and
  ``std_test_score``, computed cell by cell so that a progress bar can follow;
- :func:`one_at_a_time`: the lecture's manual search on a table of scores: optimise one
  hyperparameter with the other frozen, then the other, and so on;
- :func:`random_vs_grid`: random search against a grid at the same budget
  (Bergstra & Bengio 2012);
- :func:`halving_schedule`, :func:`halving_search`: successive halving, its schedule
  (candidates and resources per round, as ``HalvingGridSearchCV`` computes them) and
  its cost against the full grid;
- :func:`tuning_optimism`: a configuration chosen on the test set against one chosen by
  cross-validation, scored by nested cross-validation and on a fresh held-out set.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score
from threadpoolctl import threadpool_limits

from .estimators import MLPClassifier
from .validation import check_choice, check_integer, check_number

__all__ = [
    "BASE",
    "VALUES",
    "LABELS",
    "PAIRS",
    "GridResult",
    "OneAtATime",
    "search_data",
    "search_estimator",
    "grid_scores",
    "one_at_a_time",
    "grid_points",
    "random_vs_grid",
    "halving_schedule",
    "halving_cost",
    "grid_cost",
    "halving_search",
    "tuning_optimism",
    "grid_fits",
    "halving_example_cost",
    "effective_dimension_share",
    "effective_learning_rate",
    "RANDOM_SPACE",
    "OPTIMISM_GRID",
]

#: The network being tuned, before any hyperparameter is changed: the lecture's typical
#: learning rate (0.1) and momentum (0.9), 16 hidden units, scikit-learn's default α.
BASE = {
    "hidden_layer_sizes": (16,),
    "solver": "sgd",
    "learning_rate_init": 0.1,
    "momentum": 0.9,
    "alpha": 1e-4,
    "batch_size": 32,
    "max_iter": 27,
}

#: The values each hyperparameter takes on the explorer's grids (six each).
VALUES = {
    "hidden_layer_sizes": ((2,), (4,), (8,), (16,), (32,), (64,)),
    "learning_rate_init": (0.003, 0.01, 0.03, 0.1, 0.3, 1.0),
    "alpha": (1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0),
    "momentum": (0.0, 0.5, 0.8, 0.9, 0.95, 0.99),
}

#: How a hyperparameter is named for a reader.
LABELS = {
    "hidden_layer_sizes": "hidden units",
    "learning_rate_init": "learning rate",
    "alpha": "α (L2)",
    "momentum": "momentum",
}

#: The pairs of the explorer: name → (parameter along x, parameter along y).
PAIRS = {
    "hidden units × learning rate": ("hidden_layer_sizes", "learning_rate_init"),
    "hidden units × α": ("hidden_layer_sizes", "alpha"),
    "learning rate × momentum": ("learning_rate_init", "momentum"),
    "learning rate × α": ("learning_rate_init", "alpha"),
}


def search_data(n=450, seed=0):
    """``X, y``: ``n`` of scikit-learn's 1,797 digits, drawn at random by ``seed``.

    Pixels are divided by 16, so they lie in [0, 1].
    """
    n = check_integer(n, "n", low=30, high=1797)
    seed = check_integer(seed, "seed", low=0)
    X, y = load_digits(return_X_y=True)
    order = np.random.default_rng(seed).permutation(len(X))[:n]
    return X[order] / 16.0, y[order]


def search_estimator(seed=0, **params):
    """The engine ``MLPClassifier`` of :data:`BASE`, with ``params`` changed, seeded."""
    seed = check_integer(seed, "seed", low=0)
    unknown = sorted(set(params) - set(MLPClassifier().get_params()))
    if unknown:
        raise ValueError(f"params: {unknown} are not hyperparameters of MLPClassifier.")
    return MLPClassifier(**{**BASE, **params, "random_state": seed})


def _quietly(function, *args, **kwargs):
    """Run ``function`` on one BLAS thread with the expected warnings silenced.

    27 epochs rarely reach convergence (ConvergenceWarning), and a diverging rate
    overflows (RuntimeWarning): both are part of what the chapter shows.
    """
    with warnings.catch_warnings(), threadpool_limits(limits=1):
        warnings.simplefilter("ignore")
        return function(*args, **kwargs)


def _folds(cv, seed):
    cv = check_integer(cv, "cv", low=2, high=10)
    return StratifiedKFold(cv, shuffle=True, random_state=seed)


def _check_values(values, argument):
    values = tuple(values)
    if len(values) < 2:
        raise ValueError(f"{argument} must list at least two values.")
    return values


@dataclass
class GridResult:
    """Cross-validated scores of a two-hyperparameter grid (rows: ``y`` values).

    ``mean[i, j]`` and ``std[i, j]`` belong to ``{param_y: values_y[i], param_x:
    values_x[j]}``; ``folds[i, j]`` holds the accuracy on each of the k folds.
    """

    param_x: str
    values_x: tuple
    param_y: str
    values_y: tuple
    folds: np.ndarray = field(repr=False)

    @property
    def mean(self) -> np.ndarray:
        return self.folds.mean(axis=2)

    @property
    def std(self) -> np.ndarray:
        return self.folds.std(axis=2)

    @property
    def best(self) -> tuple:
        """(row, column) of the highest mean score (the first such cell, row by row)."""
        return tuple(int(i) for i in np.unravel_index(np.argmax(self.mean), self.mean.shape))

    def params(self, cell) -> dict:
        """The hyperparameters of ``cell`` = (row, column)."""
        row, column = cell
        return {self.param_x: self.values_x[column], self.param_y: self.values_y[row]}


def grid_scores(
    X, y, param_x, values_x, param_y, values_y, cv=3, seed=0, estimator=None, progress=None
):
    """k-fold cross-validated accuracy of every cell of a grid over two hyperparameters.

    For cell ``(i, j)`` the estimator (default :func:`search_estimator` with ``seed``)
    gets ``param_x = values_x[j]`` and ``param_y = values_y[i]``; it is trained on k − 1
    folds of ``StratifiedKFold(cv, shuffle=True, random_state=seed)`` and scored (accuracy)
    on the remaining one, for each of the k folds. The mean over folds is
    ``GridSearchCV``'s ``mean_test_score``, the spread ``std_test_score``:

    .. math:: \\bar s = \\frac1k \\sum_f s_f, \\qquad
              \\sigma = \\sqrt{\\frac1k \\sum_f (s_f - \\bar s)^2}.

    ``progress``, if given, is called as ``progress(done, total)`` before each cell.
    """
    values_x = _check_values(values_x, "values_x")
    values_y = _check_values(values_y, "values_y")
    if param_x == param_y:
        raise ValueError("param_x and param_y must be two different hyperparameters.")
    seed = check_integer(seed, "seed", low=0)
    folds = _folds(cv, seed)
    estimator = search_estimator(seed) if estimator is None else estimator
    for name in (param_x, param_y):
        if name not in estimator.get_params():
            raise ValueError(f"{name!r} is not a hyperparameter of the estimator.")
    scores = np.empty((len(values_y), len(values_x), folds.n_splits))
    total = scores.shape[0] * scores.shape[1]
    for i, value_y in enumerate(values_y):
        for j, value_x in enumerate(values_x):
            if progress is not None:
                progress(i * len(values_x) + j, total)
            model = clone(estimator).set_params(**{param_x: value_x, param_y: value_y})
            scores[i, j] = _quietly(cross_val_score, model, X, y, cv=folds)
    if progress is not None:
        progress(total, total)
    return GridResult(param_x, values_x, param_y, values_y, scores)


@dataclass
class OneAtATime:
    """The path of :func:`one_at_a_time` over a score table."""

    path: list  # (row, column) after each optimisation, the start first
    tuned: list  # "x" or "y": which hyperparameter each optimisation tuned
    evaluated: set  # every cell whose score the search looked at
    end: tuple

    @property
    def moves(self) -> list:
        """The path without repeated cells: the cells the search moved through."""
        cells = [self.path[0]]
        for cell in self.path[1:]:
            if cell != cells[-1]:
                cells.append(cell)
        return cells


def _argmax_keeping(values, current):
    """Index of the largest value; the current one if it ties for largest."""
    values = np.asarray(values)
    return current if values[current] >= values.max() else int(np.argmax(values))


def one_at_a_time(scores, start, first="x", passes=None):
    """The lecture's manual search: tune one hyperparameter with the other frozen, in turn.

    ``scores`` is a table (rows: values of y, columns: values of x). From ``start`` =
    (row, column), the search alternately moves along its row to the column of the
    highest score (tuning x, y frozen) and along its column to the row of the highest
    score (tuning y, x frozen), beginning with ``first``. A tie with the current cell
    keeps the current cell. It stops after ``passes`` optimisations of each
    hyperparameter (``passes=1`` is the lecture's "find one, freeze it, find the next"),
    or, with ``passes=None``, once an optimisation of each leaves the cell where it is.
    The end is then a cell that is best in both its row and its column, which need not
    be the best cell of the table.
    """
    table = np.asarray(scores, dtype=float)
    if table.ndim != 2 or min(table.shape) < 1 or not np.all(np.isfinite(table)):
        raise ValueError("scores must be a 2-D table of finite numbers.")
    try:
        row, column = (int(k) for k in start)
    except (TypeError, ValueError):
        raise TypeError("start must be a (row, column) pair of integers.") from None
    if not (0 <= row < table.shape[0] and 0 <= column < table.shape[1]):
        raise ValueError(f"start must be a cell of the {table.shape} table, not {start}.")
    axis = check_choice(first, ("x", "y"), "first")
    if passes is not None:
        passes = check_integer(passes, "passes", low=1)
    path, tuned, evaluated = [(row, column)], [], {(row, column)}
    unchanged = 0
    limit = None if passes is None else 2 * passes
    while unchanged < 2 and (limit is None or len(tuned) < limit):
        if axis == "x":
            evaluated.update((row, j) for j in range(table.shape[1]))
            new = (row, _argmax_keeping(table[row], column))
        else:
            evaluated.update((i, column) for i in range(table.shape[0]))
            new = (_argmax_keeping(table[:, column], row), column)
        unchanged = unchanged + 1 if new == (row, column) else 0
        row, column = new
        path.append(new)
        tuned.append(axis)
        axis = "y" if axis == "x" else "x"
    return OneAtATime(path, tuned, evaluated, (row, column))


def grid_points(low, high, k):
    """``k`` values spread evenly on a log scale over [low, high]: the centres of k bins.

    .. math:: v_i = \\text{low}\\,(\\text{high}/\\text{low})^{(i + 1/2)/k}, \\quad i = 0 … k-1.
    """
    low = check_number(low, "low", low=0.0, low_inclusive=False)
    high = check_number(high, "high", low=low, low_inclusive=False)
    k = check_integer(k, "k", low=1)
    return low * (high / low) ** ((np.arange(k) + 0.5) / k)


#: The space of :func:`random_vs_grid`: (low, high) of each hyperparameter, on a log scale.
RANDOM_SPACE = {"learning_rate_init": (1e-3, 1.0), "alpha": (1e-5, 1.0)}


def random_vs_grid(per_axis=3, seed=0, n=450, space=None):
    """Best validation accuracy of a grid and of random search with the same budget.

    ``space`` (default :data:`RANDOM_SPACE`) gives each hyperparameter's range; both
    searches spend a budget of ``B = per_axis ** d`` trainings (d hyperparameters). The
    grid tries every combination of :func:`grid_points` (``per_axis`` values per
    hyperparameter); random search draws ``B`` configurations, each value log-uniform
    over its range (``seed`` draws them). Every configuration trains
    :func:`search_estimator` (seed ``seed``) on two thirds of :func:`search_data`
    (``n`` digits, drawn by ``seed``) and is scored on the last third.

    Returns a dict: ``grid`` and ``random`` (lists of (params, accuracy)), and the
    best accuracy of each (``grid_best``, ``random_best``).
    """
    per_axis = check_integer(per_axis, "per_axis", low=1, high=6)
    seed = check_integer(seed, "seed", low=0)
    space = dict(RANDOM_SPACE if space is None else space)
    if not space:
        raise ValueError("space must name at least one hyperparameter.")
    names = list(space)
    X, y = search_data(n, seed)
    split = 2 * len(X) // 3
    axes = [grid_points(*space[name], per_axis) for name in names]
    grid_configs = [
        dict(zip(names, (float(v) for v in values)))
        for values in np.array(np.meshgrid(*axes, indexing="ij")).reshape(len(names), -1).T
    ]
    rng = np.random.default_rng(seed)
    random_configs = [
        {
            name: float(np.exp(rng.uniform(np.log(space[name][0]), np.log(space[name][1]))))
            for name in names
        }
        for _ in grid_configs
    ]

    def score(params):
        model = search_estimator(seed, **params)
        _quietly(model.fit, X[:split], y[:split])
        return float(model.score(X[split:], y[split:]))

    grid = [(params, score(params)) for params in grid_configs]
    random = [(params, score(params)) for params in random_configs]
    return {
        "grid": grid,
        "random": random,
        "grid_best": max(s for _, s in grid),
        "random_best": max(s for _, s in random),
    }


def halving_schedule(n_candidates, factor=3, min_resources=1, max_resources=27):
    """Candidates and resources of each round of successive halving.

    Round ``r`` (from 0) trains the surviving candidates with ``min_resources ·
    factor**r`` units of resource (epochs here), then keeps the best ``⌈n_r /
    factor⌉``. The number of rounds is the smaller of ``1 + ⌊log_factor n⌋`` (enough
    to get down to about ``factor`` candidates) and ``1 + ⌊log_factor(max_resources //
    min_resources)⌋`` (the resource cannot exceed ``max_resources``), as scikit-learn's
    ``HalvingGridSearchCV`` computes it (``aggressive_elimination=False``).

    Returns ``(candidates, resources)``, two lists with one entry per round.
    """
    n = check_integer(n_candidates, "n_candidates", low=1)
    factor = check_integer(factor, "factor", low=2)
    low = check_integer(min_resources, "min_resources", low=1)
    high = check_integer(max_resources, "max_resources", low=low)
    required = 1 + _floor_log(n, factor)
    possible = 1 + _floor_log(high // low, factor)
    candidates, resources = [], []
    for r in range(min(required, possible)):
        candidates.append(n)
        resources.append(int(low * factor**r))
        n = math.ceil(n / factor)
    return candidates, resources


def _floor_log(value, base):
    """⌊log_base(value)⌋ for integers, without floating-point surprises at exact powers."""
    power = 0
    while base ** (power + 1) <= value:
        power += 1
    return power


def halving_cost(n_candidates, factor=3, min_resources=1, max_resources=27, cv=3):
    """Units of resource successive halving spends: ``cv · Σ_r n_r · resources_r``."""
    cv = check_integer(cv, "cv", low=1)
    candidates, resources = halving_schedule(n_candidates, factor, min_resources, max_resources)
    return cv * sum(c * r for c, r in zip(candidates, resources))


def grid_cost(n_candidates, max_resources=27, cv=3):
    """Units of resource a full grid spends: every candidate, every fold, all of it."""
    n = check_integer(n_candidates, "n_candidates", low=1)
    return check_integer(cv, "cv", low=1) * n * check_integer(max_resources, "max_resources", low=1)


def grid_fits(n_x=6, n_y=6, cv=3, refit=True):
    """Trainings ``GridSearchCV`` runs: ``n_x · n_y · cv``, plus one refit on all data."""
    n_x = check_integer(n_x, "n_x", low=1)
    n_y = check_integer(n_y, "n_y", low=1)
    cv = check_integer(cv, "cv", low=1)
    return n_x * n_y * cv + (1 if refit else 0)


def halving_example_cost(n_candidates=36, factor=3, cv=3):
    """Epochs halving spends, as a share of the full grid's (27 epochs at most)."""
    return halving_cost(n_candidates, factor, 1, 27, cv) / grid_cost(n_candidates, 27, cv)


def halving_search(X, y, param_grid, factor=3, max_resources=27, cv=3, seed=0):
    """Run scikit-learn's ``HalvingGridSearchCV`` with epochs (``max_iter``) as resource.

    Starts at 1 epoch (``min_resources=1``) and grows by ``factor`` per round, up to
    ``max_resources`` epochs; folds are :func:`grid_scores`'s. Returns the fitted search
    (``n_candidates_``, ``n_resources_``, ``best_params_``, ``cv_results_``).
    """
    from sklearn.experimental import enable_halving_search_cv  # noqa: F401
    from sklearn.model_selection import HalvingGridSearchCV

    search = HalvingGridSearchCV(
        search_estimator(seed),
        param_grid,
        factor=check_integer(factor, "factor", low=2),
        resource="max_iter",
        min_resources=1,
        max_resources=check_integer(max_resources, "max_resources", low=1),
        cv=_folds(cv, seed),
        random_state=seed,
    )
    return _quietly(search.fit, X, y)


#: The grid of :func:`tuning_optimism`: 3 widths × 3 learning rates.
OPTIMISM_GRID = {"hidden_layer_sizes": [(8,), (16,), (32,)], "learning_rate_init": [0.03, 0.1, 0.3]}


def tuning_optimism(seed=0, n_dev=400, n_test=100, cv=3, param_grid=None, nested=True):
    """How much a score flatters a configuration chosen on the data that scored it.

    The digits are shuffled by ``seed`` and split into a development set (``n_dev``), a
    test set (``n_test``) and a fresh set (the rest, about 1,300 images, standing for
    the data the network will meet). Over ``param_grid`` (default
    :data:`OPTIMISM_GRID`):

    - *tuned on the test set*: each configuration trains on the development set; the one
      with the best test accuracy is reported with that test accuracy (``test_claim``)
      and its fresh accuracy (``test_fresh``);
    - *cross-validation*: ``GridSearchCV`` with ``cv`` folds on the development set picks
      a configuration, refit on the whole development set: its test accuracy
      (``cv_test``, an honest estimate: the test set played no part) and fresh accuracy
      (``cv_fresh``); its best mean CV score (``cv_claim``, also chosen on the data that
      scored it);
    - *nested cross-validation*: the whole ``GridSearchCV`` run inside each of ``cv``
      outer folds of the development set and scored on the outer fold left out;
      ``nested`` is the mean over outer folds.

    ``test_claim − test_fresh`` is the optimism of tuning on the test set. With
    ``nested=False`` only the ``test_*`` entries are computed (nine trainings instead of
    about 120).
    """
    seed = check_integer(seed, "seed", low=0)
    n_dev = check_integer(n_dev, "n_dev", low=60, high=1000)
    n_test = check_integer(n_test, "n_test", low=20, high=600)
    grid = dict(OPTIMISM_GRID if param_grid is None else param_grid)
    X, y = search_data(1797, seed)
    dev, test, fresh = slice(0, n_dev), slice(n_dev, n_dev + n_test), slice(n_dev + n_test, None)
    folds = _folds(cv, seed)
    on_test = []
    for params in _configs(grid):
        model = _quietly(search_estimator(seed, **params).fit, X[dev], y[dev])
        on_test.append((model.score(X[test], y[test]), model.score(X[fresh], y[fresh])))
    chosen = int(np.argmax([t for t, _ in on_test]))
    result = {
        "test_claim": float(on_test[chosen][0]),
        "test_fresh": float(on_test[chosen][1]),
        "test_params": _configs(grid)[chosen],
        "n_fresh": len(X) - n_dev - n_test,
    }
    if not nested:
        return result
    search = _quietly(GridSearchCV(search_estimator(seed), grid, cv=folds).fit, X[dev], y[dev])
    outer = StratifiedKFold(folds.n_splits, shuffle=True, random_state=seed + 1)
    inner = GridSearchCV(search_estimator(seed), grid, cv=folds)
    outer_scores = _quietly(cross_val_score, inner, X[dev], y[dev], cv=outer)
    return {
        **result,
        "cv_claim": float(search.best_score_),
        "cv_test": float(search.score(X[test], y[test])),
        "cv_fresh": float(search.score(X[fresh], y[fresh])),
        "cv_params": search.best_params_,
        "nested": float(np.mean(outer_scores)),
    }


def _configs(grid):
    """Every combination of ``grid`` (a dict of lists), in ``ParameterGrid``'s order."""
    from sklearn.model_selection import ParameterGrid

    return list(ParameterGrid(grid))


def effective_dimension_share(per_axis=3, dims=2, trials=2000, seed=0):
    """How often random search beats a grid when only one of ``dims`` coordinates matters.

    Each trial draws an optimum ``p`` uniformly in [0, 1]; the score of a point ``u`` in
    the unit cube is ``−|u₁ − p|`` (the other coordinates do not matter). The grid puts
    ``per_axis`` values per coordinate at the bin centres ``(i + ½)/per_axis``, so its
    ``B = per_axis**dims`` points try only ``per_axis`` distinct values of ``u₁``;
    random search draws ``B`` uniform points, ``B`` distinct values of ``u₁``.

    Returns ``(random_better, grid_better, budget)``: the shares of trials in which each
    came strictly closer to the optimum, and the common budget ``B``.
    """
    per_axis = check_integer(per_axis, "per_axis", low=1, high=10)
    dims = check_integer(dims, "dims", low=1, high=4)
    trials = check_integer(trials, "trials", low=1)
    rng = np.random.default_rng(check_integer(seed, "seed", low=0))
    budget = per_axis**dims
    optimum = rng.uniform(size=trials)
    centres = (np.arange(per_axis) + 0.5) / per_axis
    grid = np.abs(centres[None, :] - optimum[:, None]).min(axis=1)
    draws = rng.uniform(size=(trials, budget))  # only the first coordinate matters
    random = np.abs(draws - optimum[:, None]).min(axis=1)
    return float(np.mean(random < grid)), float(np.mean(grid < random)), budget


def effective_learning_rate(learning_rate=0.1, momentum=0.9):
    """The step a constant gradient finally gets with momentum: ``η / (1 − μ)``.

    With ``v ← μ v − η g`` and the same gradient ``g`` at every step, ``v`` tends to
    ``−η g / (1 − μ)``: momentum 0.9 multiplies the step by 10, 0.99 by 100. That is
    why the learning rate and momentum must be tuned together.
    """
    learning_rate = check_number(learning_rate, "learning_rate", low=0.0)
    momentum = check_number(
        momentum,
        "momentum",
        low=0.0,
        high=1.0,
    )
    if momentum >= 1.0:
        raise ValueError("momentum must be below 1.")
    return learning_rate / (1.0 - momentum)
