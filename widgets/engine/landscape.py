"""The loss landscape: restarts, noise, critical points and gradient flow.

Chapter 8 (neural-network issues) reads every number it shows from here:

- :func:`restart_losses`: the final training loss of one small network trained from
  many seeds (engine :class:`~widgets.engine.MLPClassifier`, L-BFGS);
  :func:`stuck_share`: the share of runs that ended well above the best one;
- :func:`expected_best_of_k`: the exact expected best (lowest) loss of ``k`` restarts
  drawn from an empirical distribution of final losses;
- :func:`tilted_double_well` and :func:`noisy_descent`: gradient descent, with added
  gradient noise or with mini-batch noise, on a 1-D loss with a shallow and a deep
  basin;
- :func:`hessian`: the Hessian of a small network's loss by central differences of the
  engine's exact gradients; :func:`find_critical_point` and :func:`critical_point_index`:
  where the gradient vanishes, and the share of directions that go down there;
- :func:`scaled_network`, :func:`layer_gradient_norms` and :func:`gradient_flow`:
  the gradient norm of every layer of a deep network at initialization and after a few
  steps (vanishing and exploding gradients).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize
from threadpoolctl import threadpool_limits

from .activations import HIDDEN_ACTIVATIONS
from .estimators import MLPClassifier
from .losses import binary_log_loss
from .network import Network
from .validation import (
    as_float_array,
    check_choice,
    check_finite,
    check_integer,
    check_matrix,
    check_number,
)

__all__ = [
    "restart_losses",
    "stuck_share",
    "expected_best_of_k",
    "tilted_double_well",
    "basin_boundary",
    "noisy_descent",
    "deep_basin_share",
    "network_from_classifier",
    "network_objective",
    "train_network",
    "hessian",
    "find_critical_point",
    "critical_point_index",
    "CriticalPoint",
    "critical_point_survey",
    "summarize_critical_points",
    "scaled_network",
    "layer_gradient_norms",
    "gradient_flow",
    "GradientFlow",
    "logistic_gradient_bound",
]


# ---------------------------------------------------------------------- restarts


def _labels(y, n_rows):
    y = np.asarray(y)
    if y.ndim != 1 or len(y) != n_rows:
        raise ValueError(f"y must hold one label per row of X ({n_rows}); got shape {y.shape}.")
    if not np.isin(y, (0, 1)).all():
        raise ValueError("y must hold 0/1 labels.")
    return y.astype(float)


def restart_losses(X, y, width=2, seeds=range(10), activation="tanh", max_iter=500, progress=None):
    """Final training loss of one network per seed: a restart distribution.

    Each run is ``MLPClassifier((width,), activation, solver="lbfgs", alpha=0,
    max_iter=max_iter, random_state=seed)`` fitted to ``(X, y)``; its loss is the
    binary cross-entropy on the training data,

    .. math:: L = -\\frac{1}{n}\\sum_i \\big(y_i \\ln p_i + (1 - y_i)\\ln(1 - p_i)\\big),

    ``p_i`` the fitted network's probability of class 1. Only the seed changes from run
    to run (the initial weights), so the spread of the losses is what the starting
    point decides: runs that end well above the best have stopped in a local minimum
    (or on a plateau L-BFGS could not leave in ``max_iter`` steps).

    ``progress``, if given, is called as ``progress(i, seed)`` before the ``i``-th fit.

    Returns
    -------
    ndarray of shape (len(seeds),)
    """
    X = check_matrix(X, "X")
    y = _labels(y, len(X))
    width = check_integer(width, "width", low=1)
    activation = check_choice(activation, HIDDEN_ACTIVATIONS, "activation")
    max_iter = check_integer(max_iter, "max_iter", low=1)
    seeds = [check_integer(seed, "seeds", low=0) for seed in seeds]
    if not seeds:
        raise ValueError("seeds must name at least one seed.")
    losses = []
    for i, seed in enumerate(seeds):
        if progress is not None:
            progress(i, seed)
        model = MLPClassifier(
            (width,), activation, solver="lbfgs", alpha=0.0, max_iter=max_iter, random_state=seed
        )
        with warnings.catch_warnings(), threadpool_limits(limits=1):
            warnings.simplefilter("ignore")  # "not converged" at max_iter is expected
            model.fit(X, y)
        losses.append(binary_log_loss(y.reshape(-1, 1), model.predict_proba(X)[:, 1:]))
    return np.array(losses, dtype=float)


def _losses(losses, argument="losses"):
    values = check_finite(as_float_array(losses, argument, "an array of losses"), argument)
    if values.ndim != 1:
        raise ValueError(f"{argument} must be one-dimensional; got shape {values.shape}.")
    return values


def stuck_share(losses, gap=0.1):
    """Share of runs whose final loss is more than ``gap`` above the best run's.

    .. math:: \\frac{1}{n}\\#\\{i : L_i > \\min_j L_j + \\text{gap}\\}

    A run is counted as *stuck* when the same network, from another seed, did clearly
    better: it stopped in a worse local minimum (or plateau), not for lack of size.
    """
    values = _losses(losses)
    gap = check_number(gap, "gap", low=0.0)
    return float(np.mean(values > values.min() + gap))


def expected_best_of_k(losses, k, replace=True):
    """Expected lowest loss of ``k`` runs drawn from the empirical distribution ``losses``.

    Sort the ``n`` losses, ``L_(1) <= ... <= L_(n)``. Drawing ``k`` runs **with
    replacement** (each run's loss is any of the ``n`` with chance ``1/n``), the best
    of the ``k`` is at least the ``i``-th smallest with probability
    ``((n - i + 1)/n)^k``, so

    .. math:: E\\big[\\min\\big] = \\sum_{i=1}^{n} L_{(i)}
              \\left[\\left(\\tfrac{n-i+1}{n}\\right)^k
              - \\left(\\tfrac{n-i}{n}\\right)^k\\right].

    **Without replacement** (``k`` distinct runs of the ``n``; ``k <= n``), the best
    is the ``i``-th smallest when it is drawn and none of the ``i - 1`` smaller ones
    is, with probability ``C(n - i, k - 1) / C(n, k)`` (order statistics):

    .. math:: E\\big[\\min\\big] = \\sum_{i=1}^{n} L_{(i)}
              \\binom{n-i}{k-1} \\Big/ \\binom{n}{k}.

    Ties need no care: both sums weight each sorted position.

    Parameters
    ----------
    losses : array-like of shape (n,)
        Final losses of ``n`` runs (finite).
    k : int >= 1, or array-like of them
        Number of restarts.
    replace : bool, default=True

    Returns
    -------
    float, or ndarray shaped like ``k``
    """
    values = np.sort(_losses(losses))
    n = len(values)
    if not isinstance(replace, (bool, np.bool_)):
        raise TypeError(f"replace must be True or False; got {replace!r}.")
    scalar = np.ndim(k) == 0
    ks = [k] if scalar else list(np.asarray(k).ravel())
    high = None if replace else n
    ks = [check_integer(int(v) if isinstance(v, np.integer) else v, "k", 1, high) for v in ks]
    i = np.arange(1, n + 1)
    out = []
    for kk in ks:
        if replace:
            weights = ((n - i + 1) / n) ** kk - ((n - i) / n) ** kk
        else:
            weights = np.array([_binomial(n - j, kk - 1) for j in i]) / _binomial(n, kk)
        out.append(float(weights @ values))
    return out[0] if scalar else np.array(out).reshape(np.shape(k))


def _binomial(n, k):
    from math import comb

    return float(comb(n, k)) if 0 <= k <= n else 0.0


# ---------------------------------------------------------------------- noise


def tilted_double_well(x, tilt=0.3):
    """A 1-D loss with two basins and its slope: ``f(x) = (x² − 1)² + tilt·x``.

    .. math:: f(x) = (x^2 - 1)^2 + t\\,x, \\qquad f'(x) = 4x(x^2 - 1) + t

    For ``0 < t < 8/(3√3) ≈ 1.54`` it has two minima, near ``x = -1`` (the deep one,
    ``f ≈ -t``) and near ``x = +1`` (the shallow one, ``f ≈ +t``), with a hump
    between them (:func:`basin_boundary`).

    Returns
    -------
    f, slope : ndarray, ndarray shaped like ``x``
    """
    x = as_float_array(x, "x")
    tilt = check_number(tilt, "tilt")
    return (x**2 - 1) ** 2 + tilt * x, 4 * x * (x**2 - 1) + tilt


def basin_boundary(tilt=0.3):
    """The top of the hump between the two basins of :func:`tilted_double_well`.

    The middle real root of ``4x³ − 4x + t = 0``; points left of it roll into the deep
    basin. ``ValueError`` if ``|t| >= 8/(3√3)`` (then there is only one basin).
    """
    tilt = check_number(tilt, "tilt")
    roots = np.roots([4.0, 0.0, -4.0, tilt])
    real = np.sort(roots[np.abs(roots.imag) < 1e-9].real)
    if len(real) < 3:
        raise ValueError(f"tilt must be between -1.54 and 1.54 for two basins; got {tilt}.")
    return float(real[1])


def noisy_descent(
    noise=0.0,
    x0=1.2,
    tilt=0.3,
    learning_rate=0.05,
    steps=300,
    settle=200,
    n_runs=200,
    batch_size=None,
    n_examples=64,
    spread=3.0,
    seed=0,
):
    """Final positions of many gradient-descent runs on :func:`tilted_double_well`.

    Every run starts at ``x0`` and takes ``steps`` noisy steps, then ``settle`` plain
    steps (the noise switched off, as when the noise is annealed away), so that each
    run ends at the bottom of one basin:

    - ``batch_size=None``: **added gradient noise**,
      ``x ← x − η (f'(x) + σ ε)``, ``ε ~ N(0, 1)`` fresh at each step, ``σ = noise``;
    - ``batch_size=b``: **mini-batch noise**. The loss is the mean of ``n_examples``
      per-example losses ``(x² − 1)² + c_j x``, the tilts ``c_j`` drawn once from
      ``N(tilt, spread²)`` and shifted so that their mean is exactly ``tilt``; each
      step uses the mean tilt of ``b`` examples drawn with replacement. Its noise has
      standard deviation ``sd(c)/√b``; ``noise`` is ignored.

    Parameters
    ----------
    noise : float >= 0
    x0, tilt, learning_rate : float
    steps, settle : int >= 0
    n_runs : int >= 1
        Independent runs (all vectorised).
    batch_size : int >= 1 or None
    n_examples : int >= 2
    spread : float >= 0
    seed : int >= 0

    Returns
    -------
    ndarray of shape (n_runs,)
        Final positions; ``x < basin_boundary(tilt)`` is the deep basin. A run that
        overflows ends at ``±inf`` (never in a basin).
    """
    noise = check_number(noise, "noise", low=0.0)
    x0 = check_number(x0, "x0")
    tilt = check_number(tilt, "tilt")
    learning_rate = check_number(learning_rate, "learning_rate", low=0, low_inclusive=False)
    steps = check_integer(steps, "steps", low=0)
    settle = check_integer(settle, "settle", low=0)
    n_runs = check_integer(n_runs, "n_runs", low=1)
    rng = np.random.default_rng(check_integer(seed, "seed", low=0))
    if batch_size is not None:
        batch_size = check_integer(batch_size, "batch_size", low=1)
        n_examples = check_integer(n_examples, "n_examples", low=2)
        spread = check_number(spread, "spread", low=0.0)
        tilts = rng.normal(tilt, spread, n_examples)
        tilts += tilt - tilts.mean()
    x = np.full(n_runs, x0)
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            if batch_size is None:
                g = 4 * x * (x**2 - 1) + tilt + noise * rng.standard_normal(n_runs)
            else:
                picks = rng.integers(0, n_examples, (n_runs, batch_size))
                g = 4 * x * (x**2 - 1) + tilts[picks].mean(axis=1)
            x = x - learning_rate * g
        for _ in range(settle):
            x = x - learning_rate * (4 * x * (x**2 - 1) + tilt)
    return np.where(np.isfinite(x), x, np.inf)


def deep_basin_share(tilt=0.3, n_runs=400, **kwargs):
    """Share of :func:`noisy_descent` runs that end in the deep basin.

    The share of final positions left of :func:`basin_boundary`; ``kwargs`` go to
    :func:`noisy_descent` (``noise``, ``batch_size``, ``spread``, ``seed`` ...).
    """
    x = noisy_descent(tilt=tilt, n_runs=n_runs, **kwargs)
    return float(np.mean(x < basin_boundary(tilt)))


# ---------------------------------------------------------------------- critical points


def network_from_classifier(model):
    """An engine :class:`Network` with the weights of a fitted binary ``MLPClassifier``."""
    if not hasattr(model, "coefs_") or model.n_outputs_ != 1:
        raise ValueError("model must be a fitted MLPClassifier with one output (binary).")
    sizes = [model.coefs_[0].shape[0], *[c.shape[1] for c in model.coefs_]]
    network = Network(sizes, activation=model.activation, output="logistic")
    network.coefs = model.coefs_
    network.intercepts = model.intercepts_
    return network


def network_objective(network, X, Y, l2=0.0):
    """``params → (loss, gradient)`` of ``network`` on ``(X, Y)`` (for SciPy's optimizers).

    Sets the network's parameters, calls :meth:`Network.loss_and_gradients` and returns
    the loss with a copy of the flat gradient.
    """

    def objective(params):
        network.params[...] = params
        loss, _, _ = network.loss_and_gradients(X, Y, l2=l2)
        return loss, network.grads.copy()

    return objective


def train_network(network, X, Y, max_iter=2000, gtol=1e-10):
    """Train ``network`` in place by SciPy's L-BFGS-B on its full-batch loss; return it."""
    objective = network_objective(network, X, Y)
    with threadpool_limits(limits=1):
        result = minimize(
            objective,
            network.params.copy(),
            jac=True,
            method="L-BFGS-B",
            options={
                "maxiter": check_integer(max_iter, "max_iter", low=1),
                "gtol": gtol,
                "ftol": 1e-16,
            },
        )
    network.params[...] = result.x
    return network


def hessian(network, X, Y, l2=0.0, step=1e-5):
    """The Hessian of the network's loss at its current parameters, by central differences.

    Column ``j`` is the change of the exact back-propagated gradient ``g`` when
    parameter ``j`` moves by ``±h``:

    .. math:: H_{:,j} \\approx \\frac{g(\\theta + h e_j) - g(\\theta - h e_j)}{2h},
              \\qquad H \\leftarrow \\tfrac12 (H + H^\\top)

    (symmetrized; the error is ``O(h²)``). Parameters are in the network's flat order
    (all weights, then all biases) and are restored afterwards.

    Returns
    -------
    ndarray of shape (P, P), P = network.params.size
    """
    if not isinstance(network, Network):
        raise TypeError(f"network must be a widgets.engine.Network; got {type(network).__name__}.")
    step = check_number(step, "step", low=0, low_inclusive=False)
    theta = network.params.copy()
    size = theta.size
    H = np.empty((size, size))
    try:
        for j in range(size):
            columns = []
            for sign in (1.0, -1.0):
                network.params[...] = theta
                network.params[j] += sign * step
                network.loss_and_gradients(X, Y, l2=l2)
                columns.append(network.grads.copy())
            H[:, j] = (columns[0] - columns[1]) / (2 * step)
    finally:
        network.params[...] = theta
    return 0.5 * (H + H.T)


def find_critical_point(network, X, Y, max_iter=500, step=1e-6):
    """Move ``network`` (in place) to where its gradient vanishes: minimise ``½‖g‖²``.

    Unlike training, this is drawn to *any* critical point (minimum, saddle or
    maximum) near the start. The gradient of ``½‖g(θ)‖²`` is ``H g``, computed as a
    central difference of the engine's gradients along ``g``:
    ``H g ≈ (g(θ + h ĝ) − g(θ − h ĝ)) ‖g‖ / 2h`` with ``ĝ = g / ‖g‖``. L-BFGS-B does the
    minimising.

    Returns
    -------
    float
        The gradient norm ``‖g‖`` reached.
    """
    max_iter = check_integer(max_iter, "max_iter", low=1)

    def gradient_at(params):
        network.params[...] = params
        network.loss_and_gradients(X, Y)
        return network.grads.copy()

    def objective(params):
        g = gradient_at(params)
        norm = float(np.linalg.norm(g))
        if norm == 0.0:
            return 0.0, np.zeros_like(g)
        direction = g / norm
        hg = (gradient_at(params + step * direction) - gradient_at(params - step * direction)) * (
            norm / (2 * step)
        )
        return 0.5 * norm**2, hg

    with threadpool_limits(limits=1):
        result = minimize(
            objective,
            network.params.copy(),
            jac=True,
            method="L-BFGS-B",
            options={"maxiter": max_iter, "gtol": 1e-14, "ftol": 1e-20},
        )
    network.params[...] = result.x
    return float(np.linalg.norm(gradient_at(result.x)))


def critical_point_index(H, tolerance=1e-6):
    """Share of the Hessian's eigenvalues below ``-tolerance``: the directions that go down.

    ``0`` at a minimum, between 0 and 1 at a saddle point (Dauphin et al. 2014 call it
    the *index* α of the critical point), 1 at a maximum. Eigenvalues within
    ``±tolerance`` (flat directions) are not counted as going down.

    Returns
    -------
    index : float
    eigenvalues : ndarray
        Ascending (NumPy's ``eigvalsh``).
    """
    H = as_float_array(H, "H")
    if H.ndim != 2 or H.shape[0] != H.shape[1] or H.size == 0:
        raise ValueError(f"H must be a square matrix; got shape {H.shape}.")
    check_finite(H, "H")
    tolerance = check_number(tolerance, "tolerance", low=0.0)
    eigenvalues = np.linalg.eigvalsh(0.5 * (H + H.T))
    return float(np.mean(eigenvalues < -tolerance)), eigenvalues


@dataclass
class CriticalPoint:
    """One point of :func:`critical_point_survey`: how it was found and what it is."""

    found_by: str  # "training" (L-BFGS on the loss) or "gradient norm" (min ½‖g‖²)
    seed: int
    loss: float
    gradient_norm: float
    index: float  # share of Hessian eigenvalues below -tolerance
    eigenvalues: np.ndarray

    @property
    def kind(self) -> str:
        """ "saddle" if some direction goes down, else "minimum" (flat ones allowed)."""
        return "saddle" if self.index > 0 else "minimum"


def critical_point_survey(X, y, width=2, seeds=range(4), activation="tanh", tolerance=1e-6):
    """Critical points of a one-hidden-layer network's loss, and their Hessian's index.

    For each seed, the network ``[n_in, width, 1]`` (logistic output, cross-entropy,
    no penalty) starts from the engine's initial weights and is moved twice:

    - ``"training"``: by L-BFGS on the loss (:func:`train_network`), which stops where
      nothing goes down nearby: a minimum, as far as the optimizer can tell;
    - ``"gradient norm"``: by :func:`find_critical_point`, which seeks *any* point where
      the gradient vanishes.

    At each point: the loss, the gradient norm, the Hessian (:func:`hessian`) and the
    share of its eigenvalues below ``-tolerance`` (:func:`critical_point_index`).

    Returns
    -------
    list of CriticalPoint
    """
    X = check_matrix(X, "X")
    Y = _labels(y, len(X)).reshape(-1, 1)
    width = check_integer(width, "width", low=1)
    activation = check_choice(activation, HIDDEN_ACTIVATIONS, "activation")
    points = []
    for seed in seeds:
        seed = check_integer(seed, "seeds", low=0)
        for found_by in ("training", "gradient norm"):
            network = Network([X.shape[1], width, 1], activation, "logistic", random_state=seed)
            if found_by == "training":
                train_network(network, X, Y)
            else:
                find_critical_point(network, X, Y, max_iter=1000)
            loss, _, _ = network.loss_and_gradients(X, Y)
            norm = float(np.linalg.norm(network.grads))
            index, eigenvalues = critical_point_index(hessian(network, X, Y), tolerance)
            points.append(CriticalPoint(found_by, seed, loss, norm, index, eigenvalues))
    return points


def summarize_critical_points(points, max_gradient=1e-5, flat=1e-6):
    """Summary of the :class:`CriticalPoint` records whose gradient norm is below ``max_gradient``.

    Returns
    -------
    dict
        ``kept`` (how many), ``loss`` (lowest, highest), ``saddles`` (how many have an
        index above 0), ``index`` (lowest, highest share of directions going down) and
        ``flat`` (median share of eigenvalues within ``±flat``); ``None`` values when
        none is kept.
    """
    max_gradient = check_number(max_gradient, "max_gradient", low=0, low_inclusive=False)
    flat = check_number(flat, "flat", low=0.0)
    kept = [p for p in points if p.gradient_norm < max_gradient]
    if not kept:
        return {"kept": 0, "loss": None, "saddles": 0, "index": None, "flat": None}
    losses = [p.loss for p in kept]
    indices = [p.index for p in kept]
    return {
        "kept": len(kept),
        "loss": (min(losses), max(losses)),
        "saddles": sum(index > 0 for index in indices),
        "index": (min(indices), max(indices)),
        "flat": float(np.median([np.mean(np.abs(p.eigenvalues) <= flat) for p in kept])),
    }


# ---------------------------------------------------------------------- gradient flow


def logistic_gradient_bound(n_layers=10):
    """The largest factor the logistic's slopes can put on a gradient through ``n`` layers.

    The logistic's slope ``f'(z) = f(z)(1 − f(z))`` is at most ``1/4`` (at ``z = 0``),
    so ``n`` layers multiply the back-propagated signal by at most ``(1/4)^n`` (times
    the weights' own factors).
    """
    return 0.25 ** check_integer(n_layers, "n_layers", low=0)


def scaled_network(layer_sizes, activation="relu", gain=1.0, seed=0):
    """A logistic-output network with weights ``N(0, gain² / fan_in)`` and zero biases.

    ``gain = 1`` keeps the variance of a linear (or tanh near 0) signal from layer to
    layer (LeCun's scale); ``gain = √2`` does the same for ReLU, which zeroes half its
    inputs (He et al. 2015). Smaller gains shrink the signals layer by layer, larger
    ones grow them.
    """
    gain = check_number(gain, "gain", low=0, low_inclusive=False)
    network = Network(layer_sizes, activation=activation, output="logistic", init="zeros")
    rng = np.random.default_rng(check_integer(seed, "seed", low=0))
    network.coefs = [
        rng.normal(0.0, gain / np.sqrt(fan_in), (fan_in, fan_out))
        for fan_in, fan_out in zip(network.layer_sizes[:-1], network.layer_sizes[1:])
    ]
    return network


def layer_gradient_norms(network, X, Y):
    """Norm of the loss gradient of each layer's weights, from the engine's back-propagation.

    .. math:: \\|\\partial J / \\partial W_l\\|_F
              = \\sqrt{\\textstyle\\sum_{ij} (\\partial J / \\partial W_{l,ij})^2},
              \\quad l = 1 \\dots L

    (``l = 1`` next to the inputs, ``l = L`` the output layer).

    Returns
    -------
    loss : float
    norms : ndarray of shape (L,)
    """
    if not isinstance(network, Network):
        raise TypeError(f"network must be a widgets.engine.Network; got {type(network).__name__}.")
    loss, coef_grads, _ = network.loss_and_gradients(X, Y)
    return loss, np.array([np.linalg.norm(g) for g in coef_grads])


@dataclass
class GradientFlow:
    """What :func:`gradient_flow` measured.

    ``norms[s, l]`` is layer ``l``'s weight-gradient norm after ``s`` steps
    (``s = 0``: at initialization), ``losses[s]`` the loss then. ``diverged_at`` is the
    first step whose loss, gradient or weights were not finite (the arrays stop
    before it), else None.
    """

    norms: np.ndarray
    losses: np.ndarray
    diverged_at: int | None = None


def gradient_flow(
    X, Y, depth=10, width=16, activation="relu", gain=1.0, steps=10, learning_rate=0.1, seed=0
):
    """Per-layer gradient norms of a deep network at initialization and after ``steps`` steps.

    The network is :func:`scaled_network` ``[n_in, width × depth, 1]``; each step is
    full-batch gradient descent ``θ ← θ − η ∇J`` on ``(X, Y)``; the norms are
    :func:`layer_gradient_norms` before every step and after the last.

    Returns
    -------
    GradientFlow
    """
    X = check_matrix(X, "X")
    depth = check_integer(depth, "depth", low=1)
    width = check_integer(width, "width", low=1)
    steps = check_integer(steps, "steps", low=0)
    learning_rate = check_number(learning_rate, "learning_rate", low=0, low_inclusive=False)
    network = scaled_network([X.shape[1], *([width] * depth), 1], activation, gain, seed)
    norms, losses, diverged_at = [], [], None
    with np.errstate(all="ignore"):
        for step in range(steps + 1):
            loss, layer_norms = layer_gradient_norms(network, X, Y)
            if not (np.isfinite(loss) and np.isfinite(network.grads).all()):
                diverged_at = step
                break
            if not np.isfinite(layer_norms).all():
                diverged_at = step
                break
            norms.append(layer_norms)
            losses.append(loss)
            if step < steps:
                network.params -= learning_rate * network.grads
                if not np.isfinite(network.params).all():
                    diverged_at = step + 1
                    break
    return GradientFlow(np.array(norms).reshape(-1, depth + 1), np.array(losses), diverged_at)
