"""L1 and L2 penalties, headless: one weight under decay, the two geometries, the paths.

Chapter 7's computations:

- :func:`decay_path`: one weight with no data gradient, stepped under the L1 penalty
  (stopping at zero, or the naive subgradient step that overshoots) or the L2 penalty;
  :func:`l1_steps_to_zero`, :func:`l2_weight_after` and :func:`l2_steps_to_fraction`
  give the same numbers in closed form;
- :func:`soft_threshold`, :func:`lasso_path_cd` (coordinate descent) and
  :func:`ridge_path` (closed form): penalised linear least squares for a list of
  penalty strengths, on scikit-learn's scale (``Lasso(alpha=lam)``,
  ``Ridge(alpha=n * lam)``); :func:`constrained_optimum`: the least-squares weights
  inside an L1 diamond or an L2 ball; :func:`squared_error_grid`: the loss over a grid
  of two weights, for contour plots; :func:`two_weight_problem`: the chapter's
  two-feature regression;
- :func:`fit_penalised` and :func:`count_exact_zeros`: an engine
  :class:`~widgets.engine.MLPClassifier` with no penalty, L1 (``l1``) or L2
  (``alpha``), and how many of its weights are exactly 0.0.

The least-squares objective throughout is scikit-learn's

.. math:: E(w) = \\frac{1}{2n} \\lVert y - Xw \\rVert^2

with no intercept (centre ``X`` and ``y`` first). L1 adds ``lam * sum|w|``, L2 adds
``lam/2 * sum w**2``.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from threadpoolctl import threadpool_limits

from .estimators import MLPClassifier, MLPRegressor
from .validation import check_choice, check_integer, check_matrix, check_number

__all__ = [
    "DECAY_RULES",
    "PENALTIES",
    "decay_path",
    "l1_steps_to_zero",
    "l1_weight_after",
    "l2_weight_after",
    "l2_steps_to_fraction",
    "soft_threshold",
    "lasso_path_cd",
    "ridge_path",
    "constrained_optimum",
    "squared_error_grid",
    "two_weight_problem",
    "fit_penalised",
    "count_exact_zeros",
    "engine_decay",
]

#: The update rules of :func:`decay_path`.
DECAY_RULES = ("l1", "l1_naive", "l2")

#: The penalties of :func:`fit_penalised`.
PENALTIES = ("none", "l1", "l2")


def _shrink(learning_rate, lam):
    learning_rate = check_number(learning_rate, "learning_rate", low=0.0, low_inclusive=False)
    lam = check_number(lam, "lam", low=0.0, low_inclusive=False)
    return learning_rate * lam


def decay_path(w0, lam, steps, rule="l1", learning_rate=1.0):
    """The values of one weight stepped ``steps`` times by its penalty alone.

    With no data gradient, a gradient step of size ``s = learning_rate * lam`` is

    - ``"l2"``: :math:`w \\leftarrow w - s\\,w = (1 - s)\\,w` (the lecture's L2 step
      with the 2 folded into ``lam``): the same fraction ``s`` of the weight every step;
    - ``"l1_naive"``: :math:`w \\leftarrow w - s\\,\\operatorname{sign}(w)`: the plain
      subgradient step, which carries a weight smaller than ``s`` across zero, so it
      ends up hopping around 0 and (unless ``|w0|`` is a multiple of ``s``) never
      rests there;
    - ``"l1"``: :math:`w \\leftarrow \\operatorname{sign}(w) \\max(|w| - s, 0)`: the same
      step, stopped at zero (the proximal, "soft-thresholding" step, what the engine's
      stochastic solvers do): exactly 0 after :func:`l1_steps_to_zero` steps.

    Parameters
    ----------
    w0 : float
        The starting weight.
    lam : float > 0
        Penalty strength (per step, with the learning rate below).
    steps : int >= 0
        Number of steps.
    rule : {"l1", "l1_naive", "l2"}
    learning_rate : float > 0, default=1
        Multiplies ``lam``; the lecture folds it into ``lam``.

    Returns
    -------
    ndarray of shape (steps + 1,)
        ``w0`` then the weight after each step (computed step by step, in floating point).
    """
    w0 = check_number(w0, "w0")
    s = _shrink(learning_rate, lam)
    steps = check_integer(steps, "steps", low=0)
    rule = check_choice(rule, DECAY_RULES, "rule")
    if rule == "l2" and s >= 1.0:
        raise ValueError(f"learning_rate * lam must be below 1 for the l2 rule; got {s!r}.")
    path = np.empty(steps + 1)
    path[0] = w = w0
    for k in range(1, steps + 1):
        if rule == "l2":
            w = w - s * w
        elif rule == "l1_naive":
            w = w - s * math.copysign(1.0, w) if w != 0.0 else 0.0
        else:
            w = math.copysign(max(abs(w) - s, 0.0), w)
        path[k] = w
    return path


def l1_steps_to_zero(w0=1.0, lam=0.03, learning_rate=1.0):
    """Steps the stopped L1 step takes from ``w0`` to exactly 0: :math:`\\lceil |w_0| / s \\rceil`.

    ``s = learning_rate * lam``. A ratio within 1e-9 of an integer counts as that
    integer (0.3 / 0.1 is 3, not 2.9999999999999996).
    """
    w0 = check_number(w0, "w0")
    s = _shrink(learning_rate, lam)
    ratio = abs(w0) / s
    nearest = round(ratio)
    return int(nearest if abs(ratio - nearest) <= 1e-9 * max(1.0, ratio) else math.ceil(ratio))


def l1_weight_after(w0=1.0, lam=0.03, steps=10, learning_rate=1.0):
    """The weight after ``steps`` stopped L1 steps: :math:`\\operatorname{sign}(w_0)
    \\max(|w_0| - k s, 0)`, ``s = learning_rate * lam``."""
    w0 = check_number(w0, "w0")
    s = _shrink(learning_rate, lam)
    steps = check_integer(steps, "steps", low=0)
    return math.copysign(max(abs(w0) - steps * s, 0.0), w0)


def l2_weight_after(w0=1.0, lam=0.03, steps=10, learning_rate=1.0):
    """The weight after ``steps`` L2 steps: :math:`w_0 (1 - s)^k`, ``s = learning_rate * lam``."""
    w0 = check_number(w0, "w0")
    s = _shrink(learning_rate, lam)
    if s >= 1.0:
        raise ValueError(f"learning_rate * lam must be below 1; got {s!r}.")
    steps = check_integer(steps, "steps", low=0)
    return w0 * (1.0 - s) ** steps


def l2_steps_to_fraction(fraction=0.5, lam=0.03, learning_rate=1.0):
    """Steps of L2 decay until a weight is at most ``fraction`` of its start.

    The smallest ``k`` with :math:`(1 - s)^k \\le` ``fraction``:
    :math:`\\lceil \\ln(\\text{fraction}) / \\ln(1 - s) \\rceil`. It is finite for every
    ``fraction > 0`` and infinite for 0: L2 decay alone never reaches zero.
    """
    fraction = check_number(fraction, "fraction", low=0.0, high=1.0, low_inclusive=False)
    s = _shrink(learning_rate, lam)
    if s >= 1.0:
        raise ValueError(f"learning_rate * lam must be below 1; got {s!r}.")
    return int(math.ceil(math.log(fraction) / math.log1p(-s) - 1e-9))


def soft_threshold(z, t):
    """:math:`\\operatorname{sign}(z) \\max(|z| - t, 0)`, elementwise (``t >= 0``)."""
    t = check_number(t, "t", low=0.0)
    z = np.asarray(z, dtype=float)
    return np.sign(z) * np.maximum(np.abs(z) - t, 0.0)


def _regression(X, y):
    X = check_matrix(X, "X")
    y = np.asarray(y, dtype=float)
    if y.ndim != 1 or len(y) != len(X) or not np.all(np.isfinite(y)):
        raise ValueError("y must be a finite 1-D array with one value per row of X.")
    return X, y


def _lambdas(lambdas):
    values = np.atleast_1d(np.asarray(lambdas, dtype=float))
    if values.ndim != 1 or not len(values):
        raise ValueError("lambdas must be a non-empty list of numbers.")
    for value in values:
        check_number(float(value), "lambdas", low=0.0)
    return values


def lasso_path_cd(X, y, lambdas, tol=1e-12, max_iter=100_000):
    """Lasso weights for each penalty strength, by cyclic coordinate descent.

    Minimises scikit-learn's ``Lasso`` objective (``alpha = lam``)

    .. math:: \\frac{1}{2n}\\lVert y - Xw\\rVert^2 + \\lambda \\sum_j |w_j|

    one weight at a time: with the residual :math:`r` of the other weights, the best
    :math:`w_j` is the soft threshold :math:`S(x_j^\\top r / n, \\lambda) /
    (x_j^\\top x_j / n)`, exactly 0 whenever :math:`|x_j^\\top r| / n \\le \\lambda`.
    Sweeps repeat until no weight moves by more than ``tol`` (warm start from the
    previous strength).

    Returns
    -------
    ndarray of shape (len(lambdas), n_features)
    """
    X, y = _regression(X, y)
    lambdas = _lambdas(lambdas)
    tol = check_number(tol, "tol", low=0.0, low_inclusive=False)
    max_iter = check_integer(max_iter, "max_iter", low=1)
    n, p = X.shape
    norms = (X**2).sum(axis=0) / n
    if np.any(norms == 0):
        raise ValueError("X has a column of zeros: its weight is undetermined.")
    w = np.zeros(p)
    residual = y.copy()
    path = np.empty((len(lambdas), p))
    for i, lam in enumerate(lambdas):
        for _ in range(max_iter):
            largest = 0.0
            for j in range(p):
                old = w[j]
                rho = X[:, j] @ residual / n + norms[j] * old
                new = float(soft_threshold(rho, lam)) / norms[j]
                if new != old:
                    residual -= X[:, j] * (new - old)
                    w[j] = new
                    largest = max(largest, abs(new - old))
            if largest <= tol:
                break
        path[i] = w
    return path


def ridge_path(X, y, lambdas):
    """Ridge weights for each penalty strength, in closed form.

    Minimises :math:`\\frac{1}{2n}\\lVert y - Xw\\rVert^2 + \\frac{\\lambda}{2}\\lVert w
    \\rVert^2` (scikit-learn's ``Ridge`` with ``alpha = n * lam``):

    .. math:: w = (X^\\top X / n + \\lambda I)^{-1} X^\\top y / n

    Returns
    -------
    ndarray of shape (len(lambdas), n_features)
    """
    X, y = _regression(X, y)
    lambdas = _lambdas(lambdas)
    n, p = X.shape
    gram, moment = X.T @ X / n, X.T @ y / n
    return np.array([np.linalg.solve(gram + lam * np.eye(p), moment) for lam in lambdas])


def _norm(w, norm):
    return float(np.abs(w).sum()) if norm == "l1" else float(np.sqrt(w @ w))


def constrained_optimum(X, y, radius, norm="l1"):
    """The least-squares weights inside the ball ``||w|| <= radius`` (L1 diamond or L2 ball).

    Minimises :math:`\\frac{1}{2n}\\lVert y - Xw\\rVert^2` subject to
    :math:`\\sum|w_j| \\le` ``radius`` (``norm="l1"``) or :math:`\\sqrt{\\sum w_j^2} \\le`
    ``radius`` (``"l2"``). If the unconstrained optimum lies inside, that is the answer;
    otherwise the optimum is on the boundary and equals the penalised optimum
    (:func:`lasso_path_cd`, :func:`ridge_path`) for the one strength whose weights have
    norm ``radius``, found by bisection on the log of the strength.

    Returns
    -------
    (weights, lam) : ndarray of shape (n_features,), float
        ``lam`` is the matching penalty strength (0 when the constraint is inactive).
    """
    X, y = _regression(X, y)
    radius = check_number(radius, "radius", low=0.0, low_inclusive=False)
    norm = check_choice(norm, ("l1", "l2"), "norm")
    solve = lasso_path_cd if norm == "l1" else ridge_path
    free = np.linalg.lstsq(X, y, rcond=None)[0]
    if _norm(free, norm) <= radius:
        return free, 0.0
    low, high = -12.0, 0.0
    while _norm(solve(X, y, [10.0**high])[0], norm) > radius:
        low, high = high, high + 2.0
    for _ in range(80):
        middle = 0.5 * (low + high)
        if _norm(solve(X, y, [10.0**middle])[0], norm) > radius:
            low = middle
        else:
            high = middle
    lam = 10.0**high
    return solve(X, y, [lam])[0], lam


def squared_error_grid(X, y, w1, w2):
    """:math:`\\frac{1}{2n}\\lVert y - Xw\\rVert^2` at every point of the grid ``w1 × w2``.

    ``X`` has two columns; ``w1``, ``w2`` are 1-D. Returns shape ``(len(w2), len(w1))``
    (rows follow ``w2``, as ``numpy.meshgrid`` does).
    """
    X, y = _regression(X, y)
    if X.shape[1] != 2:
        raise ValueError(f"X must have two columns for a grid of two weights; got {X.shape[1]}.")
    w1, w2 = np.asarray(w1, dtype=float), np.asarray(w2, dtype=float)
    g1, g2 = np.meshgrid(w1, w2)
    n = len(y)
    gram, moment = X.T @ X / n, X.T @ y / n
    return (
        0.5 * (gram[0, 0] * g1**2 + 2 * gram[0, 1] * g1 * g2 + gram[1, 1] * g2**2)
        - (moment[0] * g1 + moment[1] * g2)
        + 0.5 * (y @ y) / n
    )


def two_weight_problem(n=100, seed=0):
    """The chapter's two-feature regression: centred ``X`` (n, 2) and ``y``.

    Two correlated features (correlation about 0.6), ``y = 2 x1 + 0.5 x2 + noise``
    (noise standard deviation 1). Least squares puts most weight on ``x1``; the L1
    constraint drops ``x2`` to exactly 0 first.
    """
    n = check_integer(n, "n", low=3)
    rng = np.random.default_rng(check_integer(seed, "seed", low=0))
    x1 = rng.standard_normal(n)
    x2 = 0.6 * x1 + 0.8 * rng.standard_normal(n)
    X = np.column_stack([x1, x2])
    y = 2.0 * x1 + 0.5 * x2 + rng.standard_normal(n)
    return X - X.mean(axis=0), y - y.mean()


def fit_penalised(
    X,
    y,
    penalty="l1",
    lam=0.1,
    hidden=(16, 16),
    seed=0,
    solver="adam",
    max_iter=300,
    learning_rate_init=0.01,
):
    """An engine ``MLPClassifier`` trained with no penalty, L1 or L2 of strength ``lam``.

    ``penalty="l1"`` sets ``l1=lam`` (the loss gains ``lam * sum|W| / n``) and
    ``alpha=0``; ``"l2"`` sets ``alpha=lam`` (``lam/2 * sum W**2 / n``, scikit-learn's
    ``alpha``); ``"none"`` sets both to 0. ``n`` is the batch size (here the whole
    training set up to 200 examples: scikit-learn's ``batch_size="auto"``). Only the
    weights ``coefs_`` are penalised, never the biases. ReLU hidden layers, seeded by
    ``seed``. With ``solver="adam"`` or ``"sgd"`` the engine's L1 step stops at zero,
    so L1 leaves weights exactly 0.0; ``"lbfgs"`` uses the plain subgradient and does not.
    """
    penalty = check_choice(penalty, PENALTIES, "penalty")
    lam = check_number(lam, "lam", low=0.0)
    l1 = lam if penalty == "l1" else 0.0
    alpha = lam if penalty == "l2" else 0.0
    model = MLPClassifier(
        hidden,
        "relu",
        solver=solver,
        alpha=alpha,
        l1=l1,
        max_iter=check_integer(max_iter, "max_iter", low=1),
        learning_rate_init=learning_rate_init,
        random_state=check_integer(seed, "seed", low=0),
    )
    with warnings.catch_warnings(), threadpool_limits(limits=1):
        warnings.simplefilter("ignore")  # "not converged" at max_iter is expected
        model.fit(X, y)
    return model


def count_exact_zeros(coefs):
    """``(zeros, total)``: how many weights of ``coefs`` (a list of arrays) equal 0.0."""
    if isinstance(coefs, np.ndarray):
        coefs = [coefs]
    arrays = [np.asarray(c) for c in coefs]
    if not arrays:
        raise ValueError("coefs must hold at least one array of weights.")
    return int(sum((a == 0.0).sum() for a in arrays)), int(sum(a.size for a in arrays))


def engine_decay(penalty="l2", lam=0.5, steps=100, learning_rate=0.1, n=50, seed=0):
    """First-layer weights of an engine network under its penalty alone: before, after.

    An ``MLPRegressor`` (3 inputs, 4 ReLU hidden units) is trained by plain SGD
    (``momentum=0``, one batch of ``n`` examples per step) on inputs that are all 0, so
    the data gradient of every first-layer weight, :math:`X^\\top \\delta / n`, is
    exactly 0 and only the penalty moves them. One step initialises the network; the
    weights then (``before``) and after ``steps`` more steps (``after``) are returned.
    Each step of ``penalty="l2"`` (``alpha=lam``) multiplies them by
    :math:`1 - \\eta\\,\\text{lam}/n`; each step of ``"l1"`` (``l1=lam``) moves them
    :math:`\\eta\\,\\text{lam}/n` towards 0 and stops them there: the single-weight
    rules of :func:`decay_path` with ``learning_rate * lam / n`` as the step.
    """
    penalty = check_choice(penalty, ("l1", "l2"), "penalty")
    lam = check_number(lam, "lam", low=0.0, low_inclusive=False)
    steps = check_integer(steps, "steps", low=0)
    learning_rate = check_number(learning_rate, "learning_rate", low=0.0, low_inclusive=False)
    n = check_integer(n, "n", low=1)
    X = np.zeros((n, 3))
    y = np.random.default_rng(check_integer(seed, "seed", low=0)).standard_normal(n)
    model = MLPRegressor(
        hidden_layer_sizes=(4,),
        solver="sgd",
        momentum=0.0,
        learning_rate_init=learning_rate,
        batch_size=n,
        shuffle=False,
        random_state=seed,
        alpha=lam if penalty == "l2" else 0.0,
        l1=lam if penalty == "l1" else 0.0,
    )
    with warnings.catch_warnings(), threadpool_limits(limits=1):
        warnings.simplefilter("ignore")
        model.partial_fit(X, y)
        before = model.coefs_[0].copy()
        for _ in range(steps):
            model.partial_fit(X, y)
    return before, model.coefs_[0].copy()
