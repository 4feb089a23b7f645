"""Network size: a sweep over hidden-layer widths, the doubling rule, a network without biases.

Chapter 5's computations, headless:

- :func:`make_dataset`: a small classification task split into training and validation
  sets: four 2-D ones (``moons``, ``circles``, ``xor``, ``spirals``) and scikit-learn's
  8×8 ``digits`` (64 inputs, 10 classes);
- :func:`width_sweep`: one engine :class:`~widgets.engine.MLPClassifier` per width
  (one hidden layer), with its training and validation accuracy and its training time;
- :func:`doubling_rule`: the lecture's rule of thumb: start near ``2n`` hidden units for
  ``n`` inputs and keep doubling while the validation accuracy still gains at least a
  stated threshold; :func:`best_width`: the width with the best validation accuracy;
- :func:`fit_network`: a :class:`~widgets.engine.Network` trained by L-BFGS with or
  without its biases (the biases then stay exactly 0), to show what a network without
  biases can draw.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import minimize
from sklearn.datasets import load_digits, make_circles, make_moons
from threadpoolctl import threadpool_limits

from .estimators import MLPClassifier
from .network import Network
from .validation import check_choice, check_integer, check_matrix, check_number

__all__ = [
    "DATASETS",
    "WIDTHS",
    "WidthSweep",
    "make_dataset",
    "width_sweep",
    "doubling_rule",
    "best_width",
    "fit_network",
    "off_centre_blobs",
]

#: The data sets of :func:`make_dataset`: four with 2 inputs, then digits with 64.
DATASETS = ("moons", "circles", "xor", "spirals", "digits")

#: The widths of the sweep: 1, 2, 4 … 128 hidden units.
WIDTHS = tuple(2**k for k in range(8))


def _spirals(n, noise, rng):
    """Two interleaved spirals (1.25 turns each), radius up to 2, Gaussian jitter ``noise``."""
    t = np.sqrt(rng.uniform(0.05, 1.0, n))
    label = rng.integers(0, 2, n)
    angle = 2.5 * np.pi * t + np.pi * label
    X = 2.0 * np.column_stack([t * np.cos(angle), t * np.sin(angle)])
    return X + noise * rng.standard_normal(X.shape), label


def _xor(n, noise, rng):
    """Points uniform in [−1, 1]²; class 1 where x₁x₂ > 0 (before the jitter ``noise``)."""
    X = rng.uniform(-1.0, 1.0, (n, 2))
    label = (X[:, 0] * X[:, 1] > 0).astype(int)
    return X + noise * rng.standard_normal(X.shape), label


def make_dataset(name="moons", noise=0.25, n_train=200, n_validation=400, seed=0):
    """Return ``X_train, y_train, X_validation, y_validation`` for one task.

    Parameters
    ----------
    name : {"moons", "circles", "xor", "spirals", "digits"}
        ``moons`` and ``circles`` are scikit-learn's generators (``circles`` with
        ``factor=0.5``); ``xor`` and ``spirals`` are drawn here; ``digits`` is
        scikit-learn's 1,797 8×8 images, pixels scaled to [0, 1].
    noise : float in [0, 1]
        2-D sets: standard deviation of the Gaussian jitter added to each point.
        Digits: standard deviation of Gaussian noise added to each scaled pixel.
    n_train : int ≥ 10
        Size of the training set.
    n_validation : int ≥ 10
        Size of the validation (held-out) set; digits caps ``n_train + n_validation``
        at 1,797.
    seed : int ≥ 0
        Seeds the draw (and the split of digits).
    """
    name = check_choice(name, DATASETS, "name")
    noise = check_number(noise, "noise", low=0.0, high=1.0)
    n_train = check_integer(n_train, "n_train", low=10)
    n_validation = check_integer(n_validation, "n_validation", low=10)
    seed = check_integer(seed, "seed", low=0)
    rng = np.random.default_rng(seed)
    n = n_train + n_validation
    if name == "digits":
        X, y = load_digits(return_X_y=True)
        if n > len(X):
            raise ValueError(f"n_train + n_validation must be at most {len(X)} for digits.")
        order = rng.permutation(len(X))[:n]
        X = X[order] / 16.0
        X = X + noise * rng.standard_normal(X.shape)
        y = y[order]
    elif name == "moons":
        X, y = make_moons(n, noise=noise, random_state=seed)
    elif name == "circles":
        X, y = make_circles(n, noise=noise, factor=0.5, random_state=seed)
    elif name == "xor":
        X, y = _xor(n, noise, rng)
    else:
        X, y = _spirals(n, noise, rng)
    return X[:n_train], y[:n_train], X[n_train:], y[n_train:]


@dataclass
class WidthSweep:
    """The result of :func:`width_sweep`, one entry per width."""

    widths: tuple
    train_accuracy: np.ndarray
    validation_accuracy: np.ndarray
    seconds: np.ndarray
    n_iter: np.ndarray
    models: list = field(repr=False)


def width_sweep(
    X_train,
    y_train,
    X_validation,
    y_validation,
    widths=WIDTHS,
    alpha=1e-4,
    seed=0,
    max_iter=200,
    activation="relu",
    progress=None,
):
    """Train one network per width and score it on both sets.

    Each network is ``MLPClassifier((width,), activation, solver="lbfgs", alpha=alpha,
    max_iter=max_iter, random_state=seed)`` from :mod:`widgets.engine`: one hidden layer
    of ``width`` units. Accuracy is the fraction of correct labels,
    ``mean(predict(X) == y)``; ``seconds`` is the wall-clock time of ``fit`` alone
    (it varies from run to run and machine to machine; compare widths, not runs).

    ``progress``, if given, is called as ``progress(i, width)`` before the ``i``-th fit.
    """
    X_train = check_matrix(X_train, "X_train")
    X_validation = check_matrix(X_validation, "X_validation", n_columns=X_train.shape[1])
    y_train, y_validation = np.asarray(y_train), np.asarray(y_validation)
    if len(y_train) != len(X_train) or len(y_validation) != len(X_validation):
        raise ValueError("y_train and y_validation must have one label per row of X.")
    widths = tuple(check_integer(width, "widths", low=1) for width in widths)
    if not widths:
        raise ValueError("widths must name at least one width.")
    alpha = check_number(alpha, "alpha", low=0.0)
    max_iter = check_integer(max_iter, "max_iter", low=1)
    train, validation, seconds, n_iter, models = [], [], [], [], []
    for i, width in enumerate(widths):
        if progress is not None:
            progress(i, width)
        model = MLPClassifier(
            (width,),
            activation,
            solver="lbfgs",
            alpha=alpha,
            max_iter=max_iter,
            random_state=seed,
        )
        start = time.perf_counter()
        # One BLAS thread: for matrices this small, threads cost more than they save
        # (ten times more on two busy cores, measured).
        with warnings.catch_warnings(), threadpool_limits(limits=1):
            warnings.simplefilter("ignore")  # "not converged" at max_iter is expected
            model.fit(X_train, y_train)
        seconds.append(time.perf_counter() - start)
        train.append(float(np.mean(model.predict(X_train) == y_train)))
        validation.append(float(np.mean(model.predict(X_validation) == y_validation)))
        n_iter.append(model.n_iter_)
        models.append(model)
    return WidthSweep(
        widths, np.array(train), np.array(validation), np.array(seconds), np.array(n_iter), models
    )


def doubling_rule(widths, validation_accuracy, n_inputs, threshold=0.01):
    """The width the rule "start near 2n, double while it still helps" picks.

    Start at the width of ``widths`` (sorted, each double the previous) nearest to
    ``2 n_inputs`` on a log scale (ties: the smaller), capped at the largest. Then, while
    a next width exists and its validation accuracy beats the current one by at least
    ``threshold`` (an absolute gain, 0.01 = one percentage point), move to it. Return
    the width where it stopped.
    """
    widths = [check_integer(width, "widths", low=1) for width in widths]
    scores = np.asarray(validation_accuracy, dtype=float)
    if len(widths) != len(scores) or not widths:
        raise ValueError("widths and validation_accuracy must have the same, nonzero length.")
    n_inputs = check_integer(n_inputs, "n_inputs", low=1)
    threshold = check_number(threshold, "threshold", low=0.0)
    distance = np.abs(np.log2(widths) - np.log2(2 * n_inputs))
    i = int(np.argmin(distance))
    while i + 1 < len(widths) and scores[i + 1] - scores[i] >= threshold:
        i += 1
    return widths[i]


def best_width(widths, validation_accuracy):
    """The smallest width whose validation accuracy is the highest of the sweep."""
    scores = np.asarray(validation_accuracy, dtype=float)
    if len(widths) != len(scores) or not len(widths):
        raise ValueError("widths and validation_accuracy must have the same, nonzero length.")
    return int(widths[int(np.argmax(scores))])


def fit_network(X, y, hidden=(8,), biases=True, alpha=1e-4, seed=0, max_iter=500):
    """Train a :class:`~widgets.engine.Network` classifier for 0/1 labels by L-BFGS.

    The network has ReLU hidden layers ``hidden`` and one logistic output; the objective
    is :meth:`Network.loss_and_gradients` (binary cross-entropy plus
    ``alpha/2 ΣW²/n``), minimised by SciPy's L-BFGS-B. With ``biases=False`` every bias
    starts at 0 and its gradient is masked to 0, so it stays exactly 0: each unit then
    computes ``f(a·w)``, whose boundary ``a·w = 0`` passes through the origin of its
    inputs, and with ReLU the whole network satisfies ``net(cx) = c·net(x)`` for
    ``c > 0``: its decision regions are wedges meeting at the origin.
    """
    X = check_matrix(X, "X")
    y = np.asarray(y, dtype=float).reshape(-1, 1)
    if len(y) != len(X) or not np.isin(y, (0.0, 1.0)).all():
        raise ValueError("y must hold one 0/1 label per row of X.")
    alpha = check_number(alpha, "alpha", low=0.0)
    network = Network(
        [X.shape[1], *hidden, 1], activation="relu", output="logistic", random_state=seed
    )
    n_weights = network.coef_values.size
    mask = np.ones_like(network.params)
    if not biases:
        mask[n_weights:] = 0.0
        network.params[n_weights:] = 0.0

    def objective(params):
        network.params[...] = params
        loss, _, _ = network.loss_and_gradients(X, y, l2=alpha)
        return loss, network.grads * mask

    with threadpool_limits(limits=1):
        result = minimize(
            objective,
            network.params.copy(),
            jac=True,
            method="L-BFGS-B",
            options={"maxiter": check_integer(max_iter, "max_iter", low=1)},
        )
    network.params[...] = result.x
    return network


def off_centre_blobs(n=200, centres=(2.0, 4.0), spread=0.6, seed=0):
    """Two round Gaussian classes far from the origin: class 0 around ``(c0, c0)``, 1 ``(c1, c1)``.

    Labels are drawn 0 or 1 with equal chance; each point is its class centre plus
    ``spread`` times a standard normal draw per coordinate. The best boundary is the
    line ``x1 + x2 = c0 + c1``, which misses the origin.
    """
    n = check_integer(n, "n", low=2)
    spread = check_number(spread, "spread", low=0.0)
    rng = np.random.default_rng(check_integer(seed, "seed", low=0))
    y = rng.integers(0, 2, n)
    centre = np.where(y == 1, float(centres[1]), float(centres[0]))[:, None]
    return centre + spread * rng.standard_normal((n, 2)), y
