"""Two-weight test surfaces with exact gradients, and any optimizer of the engine on them.

A :class:`Surface` is a loss ``f(x, y)`` over two weights with its gradient written out
by hand (tested against finite differences). :func:`run_optimizer` runs one update rule
of :func:`widgets.engine.optimizers.make_optimizer` on it, step by step, and records the
path and the loss. The five surfaces each show one difficulty of training:

- ``bowl``: an ill-conditioned quadratic bowl, turned by 30 degrees,
  ``f = (u**2 + 20 v**2) / 2`` with ``(u, v)`` the weights rotated: the curvature is 20
  times larger across the valley than along it, so a rate that is safe across it crawls
  along it (condition number 20);
- ``rosenbrock``: ``f = (1 - x)**2 + 100 (y - x**2)**2`` (Rosenbrock, 1960), a curved,
  narrow valley with its floor at (1, 1);
- ``saddle``: ``f = x**2 / 2 - y**2 / 2 + y**4 / 4``, a saddle point at the origin between
  two minima at (0, +-1) (loss -1/4); started near the ridge ``y = 0``, the gradient
  across it is tiny;
- ``plateau``: ``f = 1 - exp(-(x**2 + 2 y**2) / 4)``, a bowl in the middle of a nearly
  flat plain, where the gradient is about 1e-3;
- ``two_basins``: ``f = (x**2 - 1)**2 + 0.3 x + y**2 / 2``, a deeper basin near
  x = -1.04 and a shallower one near x = +0.96 (a local minimum).

Usage::

    from widgets.engine.surfaces import SURFACES, run_optimizer
    run = run_optimizer("rosenbrock", "adam", steps=200, lr=0.05)
    run.path, run.losses, run.diverged, run.status
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .optimizers import make_optimizer
from .validation import as_float_array, check_choice, check_integer

__all__ = ["Surface", "SURFACES", "OptimizerRun", "get_surface", "run_optimizer", "MAX_STEPS"]

#: The most steps :func:`run_optimizer` takes.
MAX_STEPS = 10_000

#: A run has diverged once a weight's size passes this (or the loss is not finite).
ESCAPE = 1e4


@dataclass(frozen=True, eq=False)
class Surface:
    """A loss over two weights ``(x, y)``, its exact gradient, and where to look at it.

    Parameters
    ----------
    name, title : str
        Key in :data:`SURFACES`; a short title for figures.
    function : callable
        ``function(x, y)`` → loss, element-wise on arrays or on floats.
    gradient_function : callable
        ``gradient_function(x, y)`` → ``(df/dx, df/dy)``, element-wise.
    x_range, y_range : (float, float)
        The map's extent.
    start : (float, float)
        The default starting point.
    minimum : (float, float)
        The lowest point (the global minimum).
    minimum_loss : float
        The loss there.
    others : tuple of (label, (x, y))
        Other points worth marking (a local minimum, a saddle point).
    """

    name: str
    title: str
    function: object = field(repr=False)
    gradient_function: object = field(repr=False)
    x_range: tuple
    y_range: tuple
    start: tuple
    minimum: tuple
    minimum_loss: float
    others: tuple = ()

    def loss(self, point) -> float:
        """The loss at ``point`` = (x, y)."""
        x, y = _point(point, "point")
        return float(self.function(x, y))

    def gradient(self, point) -> np.ndarray:
        """The gradient ``(df/dx, df/dy)`` at ``point``."""
        x, y = _point(point, "point")
        return np.array(self.gradient_function(x, y), dtype=float)

    def grid(self, n: int = 160):
        """``(X, Y, F)``: the loss on an ``n`` × ``n`` grid over the map (for contours)."""
        n = check_integer(n, "n", low=2, high=2000)
        xs = np.linspace(*self.x_range, n)
        ys = np.linspace(*self.y_range, n)
        X, Y = np.meshgrid(xs, ys)
        return X, Y, self.function(X, Y)


# --------------------------------------------------------------------------- the surfaces

_ANGLE = math.pi / 6
_COS, _SIN = math.cos(_ANGLE), math.sin(_ANGLE)
_STEEP = 20.0  # the bowl's curvature across its valley (1 along it)


def _bowl(x, y):
    u = _COS * x + _SIN * y
    v = -_SIN * x + _COS * y
    return 0.5 * (u * u + _STEEP * v * v)


def _bowl_gradient(x, y):
    # f = p^T H p / 2 with H = R^T diag(1, 20) R: the gradient is H p.
    u = _COS * x + _SIN * y
    v = -_SIN * x + _COS * y
    du, dv = u, _STEEP * v
    return _COS * du - _SIN * dv, _SIN * du + _COS * dv


def _rosenbrock(x, y):
    return (1 - x) ** 2 + 100 * (y - x * x) ** 2


def _rosenbrock_gradient(x, y):
    inner = y - x * x
    return -2 * (1 - x) - 400 * x * inner, 200 * inner


def _saddle(x, y):
    return 0.5 * x * x - 0.5 * y * y + 0.25 * y**4


def _saddle_gradient(x, y):
    return x, -y + y**3


def _plateau(x, y):
    return 1 - np.exp(-(x * x + 2 * y * y) / 4)


def _plateau_gradient(x, y):
    bump = np.exp(-(x * x + 2 * y * y) / 4)
    return 0.5 * x * bump, y * bump


_TILT = 0.3


def _two_basins(x, y):
    return (x * x - 1) ** 2 + _TILT * x + 0.5 * y * y


def _two_basins_gradient(x, y):
    return 4 * x * (x * x - 1) + _TILT, y


def _two_basins_minima():
    # df/dx = 4x^3 - 4x + 0.3 = 0: three real roots; the outer two are minima.
    roots = np.sort(np.roots([4.0, 0.0, -4.0, _TILT]).real)
    return float(roots[0]), float(roots[1]), float(roots[2])


_LEFT, _BARRIER, _RIGHT = _two_basins_minima()

#: The five surfaces by name.
SURFACES = {
    surface.name: surface
    for surface in (
        Surface(
            "bowl",
            "ill-conditioned bowl",
            _bowl,
            _bowl_gradient,
            (-3.0, 3.0),
            (-3.0, 3.0),
            (-2.5, -2.0),
            (0.0, 0.0),
            0.0,
        ),
        Surface(
            "rosenbrock",
            "Rosenbrock's valley",
            _rosenbrock,
            _rosenbrock_gradient,
            (-2.0, 2.0),
            (-1.0, 3.0),
            (-1.5, 2.5),
            (1.0, 1.0),
            0.0,
        ),
        Surface(
            "saddle",
            "a saddle point",
            _saddle,
            _saddle_gradient,
            (-2.5, 2.5),
            (-2.0, 2.0),
            (2.0, 0.001),
            (0.0, 1.0),
            -0.25,
            (("other minimum", (0.0, -1.0)), ("saddle point", (0.0, 0.0))),
        ),
        Surface(
            "plateau",
            "a plateau",
            _plateau,
            _plateau_gradient,
            (-5.0, 5.0),
            (-5.0, 5.0),
            (4.5, 3.0),
            (0.0, 0.0),
            0.0,
        ),
        Surface(
            "two_basins",
            "two basins",
            _two_basins,
            _two_basins_gradient,
            (-2.2, 2.2),
            (-2.0, 2.0),
            (2.0, 1.5),
            (_LEFT, 0.0),
            float(_two_basins(_LEFT, 0.0)),
            (("local minimum", (_RIGHT, 0.0)),),
        ),
    )
}


def get_surface(surface) -> Surface:
    """``surface`` itself if it is a :class:`Surface`, else the one named so in :data:`SURFACES`."""
    if isinstance(surface, Surface):
        return surface
    return SURFACES[check_choice(surface, SURFACES, "surface")]


# --------------------------------------------------------------------------- the runner


@dataclass
class OptimizerRun:
    """One optimizer's run on a surface.

    Attributes
    ----------
    surface : Surface
    name : str
        The engine's optimizer name (``make_optimizer``'s first argument).
    hyper : dict
        Its hyperparameters.
    path : ndarray of shape (n + 1, 2)
        The start, then the weights after each step; a diverged run stops at its last
        point with a finite loss and weights inside :data:`ESCAPE`.
    losses : ndarray of shape (n + 1,)
        The loss at each point of ``path``.
    diverged_at : int or None
        The step that left the finite region, or None.
    """

    surface: Surface
    name: str
    hyper: dict
    path: np.ndarray
    losses: np.ndarray
    diverged_at: int | None = None

    @property
    def diverged(self) -> bool:
        return self.diverged_at is not None

    @property
    def gaps(self) -> np.ndarray:
        """The loss above the surface's lowest loss, at each point of the path (>= 0)."""
        return np.maximum(self.losses - self.surface.minimum_loss, 0.0)

    def steps_to(self, tolerance: float) -> int | None:
        """The first step whose loss is within ``tolerance`` of the lowest, or None."""
        hits = np.flatnonzero(self.gaps <= tolerance)
        return int(hits[0]) if hits.size else None

    def head(self, steps: int) -> OptimizerRun:
        """The same run seen only up to step ``steps`` (for an animation)."""
        steps = check_integer(steps, "steps", low=0)
        diverged_at = self.diverged_at if self.diverged and self.diverged_at <= steps else None
        return OptimizerRun(
            self.surface,
            self.name,
            self.hyper,
            self.path[: steps + 1],
            self.losses[: steps + 1],
            diverged_at,
        )

    @property
    def status(self) -> str:
        """One line: the final loss and point, or the step at which the run diverged."""
        if self.diverged:
            return f"{self.name}: diverged at step {self.diverged_at}"
        x, y = self.path[-1]
        return (
            f"{self.name}: loss {self.losses[-1]:.4g} at ({x:.3f}, {y:.3f}) "
            f"after {len(self.path) - 1} steps"
        )


def run_optimizer(surface, name, start=None, steps=100, **hyper) -> OptimizerRun:
    """Run the engine's optimizer ``name`` for ``steps`` steps on ``surface``.

    Each step evaluates the exact gradient ``g`` at the current weights ``w`` and calls
    ``make_optimizer(name, [w], **hyper).step([g])``, which updates ``w`` in place:

        for t in 1..steps:  g = grad f(w);  optimizer.step([g])

    The run stops early, and is marked diverged, if the loss or a weight stops being
    finite or a weight's size passes :data:`ESCAPE`.

    Parameters
    ----------
    surface : Surface or str
        A surface or a name in :data:`SURFACES`.
    name : str
        An optimizer of :data:`widgets.engine.optimizers.OPTIMIZERS`.
    start : (float, float), optional
        Starting weights; the surface's ``start`` by default.
    steps : int, default 100
        Number of updates, 0 to :data:`MAX_STEPS`.
    **hyper
        The optimizer's hyperparameters (``lr`` and so on).

    Returns
    -------
    OptimizerRun
    """
    surface = get_surface(surface)
    steps = check_integer(steps, "steps", low=0, high=MAX_STEPS)
    weights = np.array(surface.start if start is None else _point(start, "start"), dtype=float)
    optimizer = make_optimizer(name, [weights], **hyper)
    path = np.empty((steps + 1, 2))
    losses = np.empty(steps + 1)
    gradient = np.empty(2)
    function, gradient_function = surface.function, surface.gradient_function
    x, y = float(weights[0]), float(weights[1])
    path[0] = x, y
    losses[0] = float(function(x, y))
    diverged_at = None
    for t in range(1, steps + 1):
        gradient[:] = gradient_function(x, y)
        with np.errstate(over="ignore", invalid="ignore"):
            optimizer.step_unchecked([gradient])
            x, y = float(weights[0]), float(weights[1])
            loss = float(function(x, y))
        if not (math.isfinite(loss) and abs(x) <= ESCAPE and abs(y) <= ESCAPE):
            diverged_at = t
            path, losses = path[:t], losses[:t]
            break
        path[t] = x, y
        losses[t] = loss
    return OptimizerRun(surface, name, dict(hyper), path, losses, diverged_at)


def _point(point, argument):
    array = as_float_array(point, argument, expected="two numbers (x, y)")
    if array.shape != (2,):
        raise ValueError(f"{argument} must be two numbers (x, y); got shape {array.shape}.")
    if not np.isfinite(array).all():
        raise ValueError(f"{argument} must be finite; got {tuple(array.tolist())}.")
    return float(array[0]), float(array[1])
