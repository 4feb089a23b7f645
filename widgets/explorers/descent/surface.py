"""The model under the chapter 1 explorer: a line fit's loss surface and gradient descent on it.

The model is the smallest network there is: one linear neuron, ``output = w·x + b``,
fitted to a small data set by half the mean squared error. It has two weights (the
bias is a weight too), so its whole loss surface fits on one contour map, and every
loss and gradient on it is computed by the engine's :class:`~widgets.engine.Network`.

Gradient descent repeats

.. math::  \\theta_{t+1} = \\theta_t - \\eta_t \\, \\nabla L(\\theta_t), \\qquad
           \\eta_t = \\frac{\\eta_0}{1 + d\\,t}

with learning rate :math:`\\eta_0` and decay :math:`d` (``d = 0``: constant rate).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

import numpy as np

from ...engine import Network, count_parameters
from ...engine.validation import check_integer, check_number

# A run has diverged once its loss exceeds this multiple of the starting loss (or stops
# being finite): by then every further step only grows it.
DIVERGENCE_FACTOR = 1e6

LEARNING_RATE_RANGE = (1e-3, 1.0)
MAX_STEPS = 200
MAX_DECAY = 1.0


@dataclass(frozen=True)
class LossSurface:
    """A linear neuron ``w·x + b``, its training data and its loss over a (w, b) grid.

    Attributes
    ----------
    x, y : ndarray of shape (n_samples,)
        Inputs and targets.
    w_range, b_range : tuple of float
        The part of weight space the map shows.
    grid_w, grid_b, grid_loss : ndarray of shape (resolution, resolution)
        The map: ``grid_loss[i, j]`` is the loss at ``(grid_w[i, j], grid_b[i, j])``.
    """

    x: np.ndarray
    y: np.ndarray
    w_range: tuple
    b_range: tuple
    grid_w: np.ndarray = field(repr=False)
    grid_b: np.ndarray = field(repr=False)
    grid_loss: np.ndarray = field(repr=False)

    def _network(self, point) -> Network:
        network = Network([1, 1], activation="identity", output="identity")
        network.coefs = [np.array([[point[0]]], dtype=float)]
        network.intercepts = [np.array([point[1]], dtype=float)]
        return network

    def loss_and_gradient(self, point) -> tuple[float, np.ndarray]:
        """Loss ``½·mean((w·x + b − y)²)`` at ``point = (w, b)`` and its gradient (dL/dw, dL/db)."""
        loss, coef_grads, intercept_grads = self._network(point).loss_and_gradients(
            self.x[:, None], self.y[:, None]
        )
        return float(loss), np.array([coef_grads[0][0, 0], intercept_grads[0][0]])

    def loss(self, point) -> float:
        """Loss at ``point = (w, b)``."""
        return self.loss_and_gradient(point)[0]

    @functools.cached_property
    def minimum(self) -> np.ndarray:
        """The best weights (w*, b*): where the gradient is zero.

        The loss is quadratic in (w, b), so one Newton step from anywhere lands on the
        minimum; the Hessian comes from the engine's gradients (see :meth:`hessian`).
        """
        origin = np.zeros(2)
        return origin - np.linalg.solve(self.hessian, self.loss_and_gradient(origin)[1])

    @functools.cached_property
    def minimum_loss(self) -> float:
        """The loss at :attr:`minimum`, the lowest the surface goes."""
        return self.loss(self.minimum)

    def hessian_at(self, point) -> np.ndarray:
        """Matrix of second derivatives at ``point = (w, b)``, from the engine's gradients.

        For this quadratic loss the gradient is linear in (w, b), so a unit difference
        is exact, and the result is the same at every point:
        ``[[mean x², mean x], [mean x, 1]]``, made of the inputs alone.
        """
        point = np.asarray(point, dtype=float)
        g0 = self.loss_and_gradient(point)[1]
        columns = [self.loss_and_gradient(point + unit)[1] - g0 for unit in np.eye(2)]
        return np.column_stack(columns)

    @functools.cached_property
    def hessian(self) -> np.ndarray:
        """The Hessian (:meth:`hessian_at` the origin; it is the same everywhere)."""
        return self.hessian_at((0.0, 0.0))

    @property
    def curvatures(self) -> np.ndarray:
        """The Hessian's eigenvalues, smallest first: the curvature along and across the valley."""
        return np.linalg.eigvalsh(self.hessian)

    @property
    def condition_number(self) -> float:
        """Largest over smallest curvature: how many times narrower the valley is than long."""
        low, high = self.curvatures
        return float(high / low)

    def valley_offsets(self, point) -> tuple[float, float]:
        """How far ``point`` lies from the minimum across the valley and along it.

        The offset ``point − minimum`` split along the Hessian's eigenvectors: ``across``
        along the steepest one (largest curvature), ``along`` along the shallowest. The
        loss above the minimum is ``½·(λ_max·across² + λ_min·along²)``. The signs of the
        eigenvectors are fixed so that their w-component is positive.
        """
        _, vectors = np.linalg.eigh(self.hessian)
        vectors = vectors * np.where(vectors[0] < 0, -1.0, 1.0)
        offset = np.asarray(point, dtype=float) - self.minimum
        along, across = offset @ vectors
        return float(across), float(along)


def surface_for(x, y, w_range, b_range, resolution: int = 120) -> LossSurface:
    """The loss surface of a line ``w·x + b`` fitted to ``(x, y)``, mapped over a (w, b) grid."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    grid_w, grid_b = np.meshgrid(
        np.linspace(*w_range, resolution), np.linspace(*b_range, resolution)
    )
    # One forward pass per grid row: the engine evaluates all (w, b) pairs of a row
    # at once by treating them as the outputs of a 1-input network with many units.
    network = Network([1, resolution], activation="identity", output="identity")
    grid_loss = np.empty_like(grid_w)
    for i in range(resolution):
        network.coefs = [grid_w[i][None, :]]
        network.intercepts = [grid_b[i]]
        residual = network.forward(x[:, None]) - y[:, None]
        grid_loss[i] = 0.5 * np.mean(residual**2, axis=0)
    surface = LossSurface(
        x=x,
        y=y,
        w_range=tuple(w_range),
        b_range=tuple(b_range),
        grid_w=grid_w,
        grid_b=grid_b,
        grid_loss=grid_loss,
    )
    # The row trick above must agree with the engine's own loss, point by point.
    probe = (grid_w[7, 11], grid_b[7, 11])
    assert math.isclose(surface.loss(probe), grid_loss[7, 11], rel_tol=1e-12)
    return surface


def _line_fit_data(seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.5, 4.0, size=30)
    y = 1.5 * x - 1.0 + rng.normal(0.0, 0.4, size=30)
    return x, y


@functools.cache
def line_fit_surface(resolution: int = 120, seed: int = 0, centred: bool = False) -> LossSurface:
    """The explorer's surface: a line fitted to 30 noisy points, x in [0.5, 4].

    The inputs are not centred (their mean is about 2.4), so w and b trade off against
    each other and the minimum sits in a long, narrow valley: the shape that makes a
    learning rate that is fine along one direction oscillate along the other.

    ``centred=True``: the same data with the mean of x subtracted from every input.
    The minimum's w is unchanged, its b becomes the mean of y, and the valley becomes a
    nearly round bowl. The map spans the same width and height, around the new minimum.
    """
    x, y = _line_fit_data(seed)
    w_range, b_range = (-1.5, 4.5), (-5.0, 4.0)
    if centred:
        x = x - x.mean()
        middle = round(float(y.mean()))
        b_range = (middle - 5.0, middle + 4.0)
    return surface_for(x, y, w_range, b_range, resolution)


def centred_weights(point, seed: int = 0) -> tuple[float, float]:
    """The weights on the centred surface that draw the same line as ``point = (w, b)``.

    ``w·x + b = w·(x − x̄) + (b + w·x̄)``: the slope stays, the bias takes ``w·x̄``, so
    the line, its outputs and its loss are the same (``line_fit_surface(centred=True)``).
    """
    x, _ = _line_fit_data(seed)
    w, b = (float(v) for v in point)
    return w, b + w * float(x.mean())


def critical_learning_rate(surface: LossSurface | None = None, centred: bool = False) -> float:
    """The largest constant learning rate for which gradient descent converges, 2/λ_max.

    On a quadratic loss each step multiplies the error along the Hessian's eigenvector
    of eigenvalue λ by (1 − ηλ); it shrinks only while |1 − ηλ| < 1, i.e. η < 2/λ.
    Without ``surface``: the explorer's (``centred=True``: its centred twin).
    """
    surface = surface or line_fit_surface(centred=centred)
    return 2.0 / float(surface.curvatures.max())


@dataclass(frozen=True)
class DescentRun:
    """The result of :func:`gradient_descent`.

    Attributes
    ----------
    path : ndarray of shape (k + 1, 2)
        Weights (w, b) before the first step and after each of the k steps taken.
    losses : ndarray of shape (k + 1,)
        Loss at each point of ``path``.
    learning_rates : ndarray of shape (k,)
        The rate used by each step.
    diverged_at : int or None
        The step after which the loss blew up (the run stops there), else None.
    """

    path: np.ndarray
    losses: np.ndarray
    learning_rates: np.ndarray
    diverged_at: int | None

    @property
    def diverged(self) -> bool:
        return self.diverged_at is not None

    def steps_to_reach(self, loss: float) -> int | None:
        """The first step after which the loss is at most ``loss`` (0: the start), else None."""
        below = np.flatnonzero(self.losses <= loss)
        return int(below[0]) if below.size else None

    @property
    def status(self) -> str:
        if self.diverged:
            return f"diverged after {self.diverged_at} steps"
        return f"{len(self.path) - 1} steps: loss {self.losses[0]:.4g} → {self.losses[-1]:.4g}"


def gradient_descent(
    surface: LossSurface, start, learning_rate: float, steps: int, decay: float = 0.0
) -> DescentRun:
    """Run ``steps`` steps of gradient descent on ``surface`` from ``start = (w, b)``.

    Step t (from 0) uses the rate ``learning_rate / (1 + decay·t)``. The run stops early,
    with ``diverged_at`` set, when the loss stops being finite or exceeds
    ``DIVERGENCE_FACTOR`` times its starting value.
    """
    learning_rate = check_number(learning_rate, "learning_rate", low=0, low_inclusive=False)
    steps = check_integer(steps, "steps", low=1)
    decay = check_number(decay, "decay", low=0)
    try:
        point = np.asarray(start, dtype=float)
    except (TypeError, ValueError):
        point = np.full(0, np.nan)
    if point.shape != (2,) or not np.isfinite(point).all():
        raise ValueError(f"start must be two finite numbers (w, b), got {start!r}")

    loss, gradient = surface.loss_and_gradient(point)
    path, losses, rates = [point.copy()], [loss], []
    limit = DIVERGENCE_FACTOR * max(loss, 1e-12)
    diverged_at = None
    for t in range(steps):
        rate = learning_rate / (1.0 + decay * t)
        point = point - rate * gradient
        with np.errstate(over="ignore", invalid="ignore"):
            loss, gradient = surface.loss_and_gradient(point)
        if not (math.isfinite(loss) and loss <= limit):
            diverged_at = t + 1
            break
        path.append(point.copy())
        losses.append(loss)
        rates.append(rate)
    return DescentRun(
        path=np.array(path),
        losses=np.array(losses),
        learning_rates=np.array(rates),
        diverged_at=diverged_at,
    )


def parse_point(text: str) -> tuple[float, float]:
    """Read a start point typed as ``"w, b"``; raise ValueError with a readable message."""
    parts = str(text).replace("(", " ").replace(")", " ").replace(",", " ").split()
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        values = ()
    if len(values) != 2 or not all(math.isfinite(v) for v in values):
        raise ValueError(
            f"Could not read the start point {text!r}: "
            "type two numbers, the weight and the bias, such as  -1, 3"
        )
    return values


# --------------------------------------------------------------------------- chapter helpers


def weight_after_steps(
    start=(0.0, 0.0), learning_rate=0.1, steps=1, decay=0.0, coordinate="w"
) -> float:
    """The weight (``coordinate="w"``) or bias (``"b"``) after ``steps`` steps.

    On the explorer's surface, :func:`line_fit_surface`.
    """
    run = gradient_descent(line_fit_surface(), tuple(start), learning_rate, steps, decay)
    if run.diverged:
        raise ValueError(f"learning_rate {learning_rate} diverges after {run.diverged_at} steps")
    return float(run.path[-1][{"w": 0, "b": 1}[coordinate]])


def grid_search_log10_evaluations(layer_sizes, values_per_weight=100) -> float:
    """log10 of the loss evaluations an exhaustive grid search needs.

    That is ``values_per_weight ** n_weights``, the weights counted with the biases
    (:func:`widgets.engine.count_parameters`). Returned as a logarithm: for a real
    network the count itself has tens of thousands of digits.
    """
    return count_parameters(layer_sizes) * math.log10(values_per_weight)
