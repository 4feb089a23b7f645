"""The Playground's data sets, train/test split and input features.

These reproduce TensorFlow Playground's generators (its ``dataset.ts``) rule for rule,
with a seeded NumPy ``Generator`` in place of JavaScript's ``Math.random``. Every
uniform number is drawn in the same order as the original draws it (one
``Generator.random()`` value per ``Math.random()`` call), so a reference that feeds the
original's code the same stream of uniforms gets the same points.

Noise is given in percent (0 to 50), as on the Playground's slider; the generators use
``noise / 100``. Classification labels are -1 (orange) and +1 (blue).
"""

from __future__ import annotations

import math

import numpy as np

from ..validation import (
    as_float_array,
    check_choice,
    check_finite,
    check_integer,
    check_number,
    check_seed,
)

__all__ = [
    "DATASETS",
    "DEFAULT_N_SAMPLES",
    "FEATURES",
    "MULTIGAUSS_CENTRES",
    "NOISE_RANGE",
    "TRAIN_PERCENT_RANGE",
    "check_features",
    "check_number",
    "check_points",
    "check_targets",
    "featurize",
    "make_data",
    "shuffled_order",
    "split",
]

#: Points per data set when ``n_samples`` is None, by problem type.
DEFAULT_N_SAMPLES = {"classification": 500, "regression": 1200}

#: Data sets and the problem type each belongs to.
DATASETS = {
    "circle": "classification",
    "xor": "classification",
    "gauss": "classification",
    "spiral": "classification",
    "plane": "regression",
    "multigauss": "regression",
}

#: Input features, in the Playground's order (the order of the network's input nodes).
FEATURES = ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")

#: How each feature is computed from the point (x1, x2).
_FEATURE_FUNCTIONS = {
    "x1": lambda x1, x2: x1,
    "x2": lambda x1, x2: x2,
    "x1^2": lambda x1, x2: x1 * x1,
    "x2^2": lambda x1, x2: x2 * x2,
    "x1*x2": lambda x1, x2: x1 * x2,
    "sin(x1)": lambda x1, x2: np.sin(x1),
    "sin(x2)": lambda x1, x2: np.sin(x2),
}

NOISE_RANGE = (0, 50)
TRAIN_PERCENT_RANGE = (10, 90)


# --------------------------------------------------------------------------- checks
#
# The generic checks (numbers, seeds, arrays) are :mod:`widgets.engine.validation`'s;
# ``check_number`` is re-exported here, where the explorers import it from.


def check_points(X, argument: str = "X") -> np.ndarray:
    """Return ``X`` as a finite float array of shape (n_samples, 2).

    Raises TypeError if ``X`` is not numbers, ValueError if its shape is not
    (n_samples, 2), it is empty or it holds NaN or infinity.
    """
    array = as_float_array(X, argument, "an array of numbers of shape (n_samples, 2)")
    if array.ndim != 2 or array.shape[1] != 2:
        raise ValueError(
            f"{argument} must have shape (n_samples, 2), one row per point (x1, x2); "
            f"got shape {array.shape}."
        )
    return check_finite(array, argument)


def check_targets(y, n_samples: int, argument: str = "y") -> np.ndarray:
    """Return ``y`` as a finite 1-D float array of length ``n_samples``.

    Raises TypeError if ``y`` is not numbers, ValueError if it is not one label
    per point or holds NaN or infinity.
    """
    array = as_float_array(y, argument, "an array of numbers, one label per point")
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    if array.ndim != 1:
        raise ValueError(f"{argument} must be 1-D, one label per point; got shape {array.shape}.")
    if array.shape[0] != n_samples:
        raise ValueError(
            f"{argument} must have one label per point: {n_samples} labels expected, "
            f"got {array.shape[0]}."
        )
    return check_finite(array, argument)


# --------------------------------------------------------------------------- generators
#
# Each generator takes the number of points, the noise as a fraction (0-0.5) and a
# Generator, and returns (X, y). ``uniform(u, a, b) = u·(b − a) + a`` is the original's
# ``randUniform``; draws are laid out so that row-major order is the original's order.


def _uniform(u, a, b):
    return u * (b - a) + a


def _circle(n, noise, rng):
    """Inner disk r ~ U(0, 2.5) then outer ring r ~ U(3.5, 5); label +1 iff |p + noise| < 2.5.

    Per point the original draws r, angle, noise x, noise y, in that order. The noise
    only decides the label: the stored point is the noise-free one.
    """
    radius = 5.0
    half = math.ceil(n / 2)
    parts = []
    for r_low, r_high in ((0.0, radius * 0.5), (radius * 0.7, radius)):
        u = rng.random((half, 4))
        r = _uniform(u[:, 0], r_low, r_high)
        angle = _uniform(u[:, 1], 0.0, 2 * math.pi)
        x, y = r * np.sin(angle), r * np.cos(angle)
        noise_x = _uniform(u[:, 2], -radius, radius) * noise
        noise_y = _uniform(u[:, 3], -radius, radius) * noise
        nx, ny = x + noise_x, y + noise_y
        label = np.where(np.sqrt(nx * nx + ny * ny) < radius * 0.5, 1.0, -1.0)
        parts.append((x, y, label))
    return _stack(parts)


def _xor(n, noise, rng):
    """x, y ~ U(−5, 5) pushed 0.3 away from 0; label +1 iff (x + nx)(y + ny) ≥ 0.

    Per point the original draws x, y, noise x, noise y. ``x > 0 ? +0.3 : −0.3`` sends an
    exact 0 to −0.3, as there.
    """
    padding = 0.3
    u = rng.random((n, 4))
    x = _uniform(u[:, 0], -5.0, 5.0)
    x = x + np.where(x > 0, padding, -padding)
    y = _uniform(u[:, 1], -5.0, 5.0)
    y = y + np.where(y > 0, padding, -padding)
    noise_x = _uniform(u[:, 2], -5.0, 5.0) * noise
    noise_y = _uniform(u[:, 3], -5.0, 5.0) * noise
    label = np.where((x + noise_x) * (y + noise_y) >= 0, 1.0, -1.0)
    return np.column_stack([x, y]), label


class _UniformStream:
    """Uniform numbers handed out one by one, drawn from ``rng`` in blocks.

    Rejection sampling consumes an unknown number of uniforms; reading them from a
    stream keeps the order of the original's ``Math.random()`` calls exactly.
    """

    def __init__(self, rng, block=4096):
        self.rng, self.block = rng, block
        self.buffer, self.position = rng.random(block), 0

    def next(self) -> float:
        if self.position == self.block:
            self.buffer, self.position = self.rng.random(self.block), 0
        value = self.buffer[self.position]
        self.position += 1
        return float(value)


def _normal(stream: _UniformStream, mean: float, variance: float) -> float:
    """One normal sample by the polar (Marsaglia) method, as the original's ``normalRandom``.

    Draw v1, v2 ~ U(−1, 1) until s = v1² + v2² ≤ 1; then ``v1·sqrt(−2 ln s / s)`` is
    standard normal, and the result is ``mean + sqrt(variance)·that``.
    """
    while True:
        v1 = 2 * stream.next() - 1
        v2 = 2 * stream.next() - 1
        s = v1 * v1 + v2 * v2
        if s <= 1:
            break
    return mean + math.sqrt(variance) * (math.sqrt((-2 * math.log(s)) / s) * v1)


def _gauss(n, noise, rng):
    """n/2 points around (2, 2) labelled +1, then n/2 around (−2, −2) labelled −1.

    The variance is the linear map of the noise from [0, 0.5] to [0.5, 4], not clamped:
    ``variance = 0.5 + 7·noise``. Each point draws x, then y.
    """
    variance = 0.5 + (noise - 0.0) / 0.5 * (4.0 - 0.5)
    stream = _UniformStream(rng)
    half = math.ceil(n / 2)
    points, labels = [], []
    for centre, label in ((2.0, 1.0), (-2.0, -1.0)):
        for _ in range(half):
            x = _normal(stream, centre, variance)
            y = _normal(stream, centre, variance)
            points.append((x, y))
            labels.append(label)
    return np.array(points), np.array(labels)


def _spiral(n, noise, rng):
    """Two interleaved arms, n/2 points each: r = 5i/m, t = 1.75·(i/m)·2π + Δ (m = n/2).

    Arm Δ = 0 is labelled +1, arm Δ = π is −1. Here the noise moves the points
    themselves: x = r·sin t + U(−1, 1)·noise, y = r·cos t + U(−1, 1)·noise.
    """
    m = n / 2
    count = math.ceil(m)
    i = np.arange(count, dtype=float)
    parts = []
    for delta, label in ((0.0, 1.0), (math.pi, -1.0)):
        u = rng.random((count, 2))
        r = (i / m) * 5
        t = ((1.75 * i) / m) * 2 * math.pi + delta
        x = r * np.sin(t) + _uniform(u[:, 0], -1.0, 1.0) * noise
        y = r * np.cos(t) + _uniform(u[:, 1], -1.0, 1.0) * noise
        parts.append((x, y, np.full(count, label)))
    return _stack(parts)


def _plane_points(n, noise, rng):
    """x, y ~ U(−6, 6) and the noisy point (x + nx, y + ny), nx, ny ~ U(−6, 6)·noise."""
    radius = 6.0
    u = rng.random((n, 4))
    x = _uniform(u[:, 0], -radius, radius)
    y = _uniform(u[:, 1], -radius, radius)
    noise_x = _uniform(u[:, 2], -radius, radius) * noise
    noise_y = _uniform(u[:, 3], -radius, radius) * noise
    return x, y, x + noise_x, y + noise_y


def _plane(n, noise, rng):
    """Regression on a tilted plane: label = (x + nx + y + ny)/10.

    That maps [−10, 10] to [−1, 1], unclamped.
    """
    x, y, nx, ny = _plane_points(n, noise, rng)
    label = (nx + ny) / 10.0
    return np.column_stack([x, y]), label


#: The six bumps of ``multigauss``: centre x, centre y, sign.
MULTIGAUSS_CENTRES = (
    (-4.0, 2.5, 1.0),
    (0.0, 2.5, -1.0),
    (4.0, 2.5, 1.0),
    (-4.0, -2.5, -1.0),
    (0.0, -2.5, 1.0),
    (4.0, -2.5, -1.0),
)


def _multigauss(n, noise, rng):
    """Regression on six signed bumps: each centre gives sign·clamp(1 − d/2, 0, 1).

    d is the distance from the noisy point to the centre; the label is the bump value of
    largest absolute value, the first one on ties, and 0 when every bump is 0.
    """
    x, y, nx, ny = _plane_points(n, noise, rng)
    values = np.empty((n, len(MULTIGAUSS_CENTRES)))
    for k, (cx, cy, sign) in enumerate(MULTIGAUSS_CENTRES):
        dx, dy = nx - cx, ny - cy
        values[:, k] = sign * np.clip(1.0 - np.sqrt(dx * dx + dy * dy) / 2.0, 0.0, 1.0)
    strongest = np.argmax(np.abs(values), axis=1)  # first maximum, as the original's strict ">"
    chosen = values[np.arange(n), strongest]
    label = np.where(np.abs(chosen) > 0, chosen, 0.0)
    return np.column_stack([x, y]), label


def _stack(parts):
    x = np.concatenate([p[0] for p in parts])
    y = np.concatenate([p[1] for p in parts])
    label = np.concatenate([p[2] for p in parts])
    return np.column_stack([x, y]), label


_GENERATORS = {
    "circle": _circle,
    "xor": _xor,
    "gauss": _gauss,
    "spiral": _spiral,
    "plane": _plane,
    "multigauss": _multigauss,
}


# --------------------------------------------------------------------------- public API


def make_data(dataset: str, n_samples: int | None = None, noise: float = 0, seed=None):
    """Generate one of the Playground's data sets.

    Parameters
    ----------
    dataset : {"circle", "xor", "gauss", "spiral", "plane", "multigauss"}
        The first four are classification sets (labels −1 and +1), the last two
        regression sets (labels roughly in [−1, 1]).
    n_samples : int or None, default None
        Number of points; None gives the Playground's 500 (classification) or 1200
        (regression). Two-class sets make ⌈n/2⌉ points of each class.
    noise : float, default 0
        Noise in percent, 0 to 50 (the Playground's slider); the generator uses noise/100.
    seed : int, numpy Generator or None
        Source of the uniform numbers (None: fresh entropy, not reproducible).

    Returns
    -------
    X : ndarray of shape (n_samples, 2)
        The points (x1, x2), in generation order (class +1 first for the two-class sets).
    y : ndarray of shape (n_samples,)
        The labels.
    """
    dataset = check_choice(dataset, DATASETS, "dataset")
    if n_samples is None:
        n_samples = DEFAULT_N_SAMPLES[DATASETS[dataset]]
    n_samples = check_integer(n_samples, "n_samples", low=2)
    noise = check_number(noise, "noise", *NOISE_RANGE)
    return _GENERATORS[dataset](n_samples, noise / 100.0, check_seed(seed))


def shuffled_order(n: int, seed=None) -> np.ndarray:
    """The permutation the original's Fisher–Yates ``shuffle`` applies to ``n`` items.

    From the last position down: pick ``index = floor(u·counter)`` with u uniform, then
    swap the item at ``counter − 1`` with the one at ``index``. Returns ``order`` such
    that the shuffled array is ``array[order]``.
    """
    rng = check_seed(seed)
    u = rng.random(n)
    order = list(range(n))
    counter = n
    for k in range(n):
        index = int(math.floor(u[k] * counter))
        counter -= 1
        order[counter], order[index] = order[index], order[counter]
    return np.array(order, dtype=np.intp)


def split(X, y, train_percent: float = 50, seed=None):
    """Shuffle the whole set, then the first floor(N·train_percent/100) points train.

    Parameters
    ----------
    X : array of shape (n_samples, 2)
    y : array of shape (n_samples,)
    train_percent : float, default 50
        Share of training points in percent, 10 to 90 (the slider moves in steps of 10).
    seed : int, numpy Generator or None
        Source of the shuffle's uniform numbers.

    Returns
    -------
    X_train, y_train, X_test, y_test : ndarrays
        In shuffled order; the training set keeps that order for every epoch.
    """
    X = check_points(X)
    y = check_targets(y, X.shape[0])
    train_percent = check_number(train_percent, "train_percent", *TRAIN_PERCENT_RANGE)
    order = shuffled_order(X.shape[0], seed)
    n_train = int(math.floor(X.shape[0] * train_percent / 100))
    train, test = order[:n_train], order[n_train:]
    return X[train], y[train], X[test], y[test]


def check_features(features) -> list:
    """Return ``features`` as a list of known feature names, without repeats."""
    if isinstance(features, str):
        raise TypeError(
            "features must be a list of feature names such as ['x1', 'x2']; "
            f"got the string {features!r}."
        )
    try:
        names = list(features)
    except TypeError:
        raise TypeError(
            f"features must be a list of feature names from {list(FEATURES)}; got {features!r}."
        ) from None
    for name in names:
        if not isinstance(name, str):
            raise TypeError(
                f"features must be a list of feature names (strings); got {name!r} "
                f"of type {type(name).__name__}."
            )
        if name not in _FEATURE_FUNCTIONS:
            raise ValueError(f"features: unknown feature {name!r}; choose from {list(FEATURES)}.")
    if len(set(names)) != len(names):
        raise ValueError(f"features must not repeat a feature; got {names}.")
    if not names:
        raise ValueError("features must name at least one feature.")
    return names


def featurize(X, features=("x1", "x2")) -> np.ndarray:
    """The network's inputs: one column per feature, in the order given.

    Features: x1, x2, x1^2, x2^2, x1*x2, sin(x1), sin(x2) of the point (x1, x2).

    Returns
    -------
    ndarray of shape (n_samples, len(features))
    """
    names = check_features(features)
    X = check_points(X)
    x1, x2 = X[:, 0], X[:, 1]
    return np.column_stack([_FEATURE_FUNCTIONS[name](x1, x2) for name in names])
