"""Chapter 1 explorer: gradient descent on a two-weight loss surface.

The model is the smallest network there is: one linear neuron, ``output = w·x + b``,
fitted to a small data set by half the mean squared error. It has two weights (the
bias is a weight too), so its whole loss surface fits on one contour map, and every
loss and gradient on it is computed by the engine's :class:`~widgets.engine.Network`.

Gradient descent repeats

.. math::  \\theta_{t+1} = \\theta_t - \\eta_t \\, \\nabla L(\\theta_t), \\qquad
           \\eta_t = \\frac{\\eta_0}{1 + d\\,t}

with learning rate :math:`\\eta_0` and decay :math:`d` (``d = 0``: constant rate).

Headless use (tests, benchmarks)::

    explorer = DescentExplorer()
    explorer.controls["learning_rate"].value = 0.5    # redraws, as a click would
    explorer.path, explorer.losses, explorer.status
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

import numpy as np
from matplotlib.ticker import FuncFormatter, NullLocator

from ..display.figures import BlittedFigure, new_figure, png_img_tag, status_html
from ..engine import Network

# A run has diverged once its loss exceeds this multiple of the starting loss (or stops
# being finite): by then every further step only grows it.
DIVERGENCE_FACTOR = 1e6

LEARNING_RATE_RANGE = (1e-3, 1.0)
MAX_STEPS = 200


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

    @functools.cached_property
    def hessian(self) -> np.ndarray:
        """Matrix of second derivatives, by differencing the engine's gradients.

        For this quadratic loss the gradient is linear in (w, b), so a unit difference
        is exact.
        """
        g0 = self.loss_and_gradient((0.0, 0.0))[1]
        columns = [self.loss_and_gradient(unit)[1] - g0 for unit in ((1.0, 0.0), (0.0, 1.0))]
        return np.column_stack(columns)


@functools.cache
def line_fit_surface(resolution: int = 120, seed: int = 0) -> LossSurface:
    """The explorer's surface: a line fitted to 30 noisy points, x in [0.5, 4].

    The inputs are not centred, so w and b trade off against each other and the
    minimum sits in a long, narrow valley: the shape that makes a learning rate that
    is fine along one direction oscillate along the other.
    """
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.5, 4.0, size=30)
    y = 1.5 * x - 1.0 + rng.normal(0.0, 0.4, size=30)
    w_range, b_range = (-1.5, 4.5), (-5.0, 4.0)
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
        w_range=w_range,
        b_range=b_range,
        grid_w=grid_w,
        grid_b=grid_b,
        grid_loss=grid_loss,
    )
    # The row trick above must agree with the engine's own loss, point by point.
    probe = (grid_w[7, 11], grid_b[7, 11])
    assert math.isclose(surface.loss(probe), grid_loss[7, 11], rel_tol=1e-12)
    return surface


def critical_learning_rate(surface: LossSurface | None = None) -> float:
    """The largest constant learning rate for which gradient descent converges, 2/λ_max.

    On a quadratic loss each step multiplies the error along the Hessian's eigenvector
    of eigenvalue λ by (1 − ηλ); it shrinks only while |1 − ηλ| < 1, i.e. η < 2/λ.
    """
    surface = surface or line_fit_surface()
    return 2.0 / float(np.linalg.eigvalsh(surface.hessian).max())


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

    @property
    def status(self) -> str:
        if self.diverged:
            return f"diverged after {self.diverged_at} steps"
        return f"{len(self.path) - 1} steps: loss {self.losses[0]:.4g} → {self.losses[-1]:.4g}"


def _positive_number(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive finite number, got {value}")
    return float(value)


def gradient_descent(
    surface: LossSurface, start, learning_rate: float, steps: int, decay: float = 0.0
) -> DescentRun:
    """Run ``steps`` steps of gradient descent on ``surface`` from ``start = (w, b)``.

    Step t (from 0) uses the rate ``learning_rate / (1 + decay·t)``. The run stops early,
    with ``diverged_at`` set, when the loss stops being finite or exceeds
    ``DIVERGENCE_FACTOR`` times its starting value.
    """
    learning_rate = _positive_number(learning_rate, "learning_rate")
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 1:
        raise ValueError(f"steps must be a positive integer, got {steps!r}")
    if (
        isinstance(decay, bool)
        or not isinstance(decay, (int, float, np.integer, np.floating))
        or not math.isfinite(decay)
        or decay < 0
    ):
        raise ValueError(f"decay must be a finite number >= 0, got {decay!r}")
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
    for t in range(int(steps)):
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
    parts = [p for p in str(text).replace("(", " ").replace(")", " ").replace(",", " ").split()]
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        values = ()
    if len(values) != 2 or not all(math.isfinite(v) for v in values):
        raise ValueError(
            f"Could not read the start point {text!r}: type two numbers, the weight and the bias, such as  -1, 3"
        )
    return values


# --------------------------------------------------------------------------- drawing


class _DescentFigure:
    """The explorer's picture: the contour map with the path, and the loss per step.

    The figure and its static parts (colour map, contours, minimum) are made once; a
    redraw only moves the path and the loss curve, then renders to PNG.
    """

    def __init__(self, surface: LossSurface):
        self.surface = surface
        self.figure = new_figure(9.6, 3.9, layout="constrained")
        self.map_axes, self.loss_axes = self.figure.subplots(1, 2, width_ratios=[1.1, 1])
        ax = self.map_axes
        log_loss = np.log10(surface.grid_loss)
        extent = (*surface.w_range, *surface.b_range)
        ax.imshow(log_loss, origin="lower", extent=extent, aspect="auto", cmap="Blues_r", alpha=0.9)
        ax.contour(
            surface.grid_w,
            surface.grid_b,
            log_loss,
            levels=14,
            colors="#1b3a5c",
            linewidths=0.6,
            alpha=0.6,
        )
        w_star, b_star = surface.minimum
        ax.plot(
            [w_star],
            [b_star],
            marker="*",
            markersize=14,
            color="#f2b705",
            markeredgecolor="black",
            linestyle="none",
            label="minimum",
        )
        (self.path_line,) = ax.plot(
            [], [], "-o", color="#d1495b", markersize=3, linewidth=1.5, label="descent path"
        )
        (self.start_marker,) = ax.plot(
            [], [], "o", color="white", markeredgecolor="#d1495b", markersize=8, label="start"
        )
        ax.set_xlim(*surface.w_range)
        ax.set_ylim(*surface.b_range)
        ax.set_xlabel("weight w")
        ax.set_ylabel("bias b")
        ax.set_title("Loss over the two weights (darker = lower)")
        ax.legend(loc="upper right", fontsize=8, framealpha=0.9)
        self.diverged_text = ax.text(
            0.03,
            0.05,
            "",
            transform=ax.transAxes,
            color="#b00020",
            fontsize=11,
            fontweight="bold",
            bbox=dict(facecolor="white", edgecolor="#b00020", alpha=0.9),
        )
        lx = self.loss_axes
        (self.loss_line,) = lx.plot([], [], "-o", color="#d1495b", markersize=3)
        lx.set_yscale("log")
        # Plain-text tick labels and no minor ticks: mathtext labels (10^k) are re-typeset
        # on every redraw and cost more than all the rest of the loss panel.
        lx.yaxis.set_minor_locator(NullLocator())
        lx.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
        lx.set_xlabel("step")
        lx.set_ylabel("loss (log scale)")
        lx.set_title("Loss after each step")
        floor = surface.minimum_loss
        lx.axhline(floor, color="#b8860b", linestyle="--", linewidth=1)
        # A label on the line rather than a legend box: one text, cheap to redraw.
        lx.annotate(
            "minimum loss",
            (1.0, floor),
            xycoords=("axes fraction", "data"),
            xytext=(-4, 4),
            textcoords="offset points",
            ha="right",
            va="bottom",
            fontsize=8,
            color="#8a6500",
        )
        lx.grid(True, which="major", alpha=0.3)
        # Lay the figure out once, then freeze it: constrained layout would otherwise
        # run on every redraw and cost more than all the rest of the drawing.
        self.figure.canvas.draw()
        self.figure.set_layout_engine("none")
        # The legend is redrawn after the path so the path never covers it.
        self.blitter = BlittedFigure(
            self.figure,
            [self.path_line, self.start_marker, self.diverged_text, ax.get_legend()],
            axes=[self.loss_axes],
        )

    def draw(self, run: DescentRun, steps: int) -> bytes:
        self.path_line.set_data(run.path[:, 0], run.path[:, 1])
        self.start_marker.set_data(run.path[:1, 0], run.path[:1, 1])
        self.diverged_text.set_text(
            f"diverged after {run.diverged_at} steps" if run.diverged else ""
        )
        self.diverged_text.set_visible(run.diverged)
        self.loss_line.set_data(np.arange(len(run.losses)), run.losses)
        floor = self.surface.minimum_loss
        self.loss_axes.set_xlim(0, max(steps, 1))
        self.loss_axes.set_ylim(floor * 0.5, max(run.losses.max(), floor) * 2.0)
        return self.blitter.png()

    def describe(self, run: DescentRun) -> str:
        """Alt text: what the picture shows for this run."""
        w0, b0 = run.path[0]
        w1, b1 = run.path[-1]
        outcome = (
            f"the run diverged after {run.diverged_at} steps, the loss growing without bound"
            if run.diverged
            else f"after {len(run.path) - 1} steps the path ends at w = {w1:.2f}, b = {b1:.2f} with loss {run.losses[-1]:.3g}"
        )
        w_star, b_star = self.surface.minimum
        return (
            f"Left: contour map of the loss over weight w and bias b, with its minimum at w = {w_star:.2f}, b = {b_star:.2f}, "
            f"and the descent path starting at w = {w0:.2f}, b = {b0:.2f}; {outcome}. "
            f"Right: the loss after each step on a log scale, starting at {run.losses[0]:.3g}."
        )


# --------------------------------------------------------------------------- explorer


class DescentExplorer:
    """Gradient descent on a two-weight loss surface, one control per idea.

    Parameters
    ----------
    start : tuple of float, default (-1.0, 3.0)
        Starting weights (w, b).
    learning_rate : float, default 0.05
        Initial learning rate η₀, between 0.001 and 1 (the slider is logarithmic).
    steps : int, default 40
        Number of steps, 1 to 200.
    decay : float, default 0.0
        Learning-rate decay d: step t uses η₀ / (1 + d·t).

    Attributes
    ----------
    controls : dict of str -> ipywidgets.Widget
        ``start`` (text), ``learning_rate``, ``steps``, ``decay``. Setting a value
        redraws, exactly as moving the control in the notebook does.
    run : DescentRun
        The run on display. ``path``, ``losses`` and ``status`` are shortcuts to it.
    message : str
        The error shown for unreadable input (empty when the input is fine).
    widget : ipywidgets.VBox
        The whole explorer; displaying the explorer displays it.
    """

    def __init__(self, start=(-1.0, 3.0), learning_rate=0.05, steps=40, decay=0.0):
        import ipywidgets as w

        self.surface = line_fit_surface()
        self._figure = _DescentFigure(self.surface)
        # Validate the constructor's arguments with the same rules as the controls.
        gradient_descent(self.surface, start, learning_rate, steps, decay)
        if not LEARNING_RATE_RANGE[0] <= learning_rate <= LEARNING_RATE_RANGE[1]:
            raise ValueError(
                f"learning_rate must be between {LEARNING_RATE_RANGE[0]} and {LEARNING_RATE_RANGE[1]}, got {learning_rate}"
            )
        if steps > MAX_STEPS:
            raise ValueError(f"steps must be at most {MAX_STEPS}, got {steps}")

        style = {"description_width": "9em"}
        layout = w.Layout(width="30em", max_width="100%")
        self.controls = {
            "start": w.Text(
                value=f"{start[0]:g}, {start[1]:g}",
                description="start (w, b)",
                continuous_update=False,
                style=style,
                layout=layout,
                tooltip="Starting weight and bias, as two numbers",
            ),
            "learning_rate": w.FloatLogSlider(
                value=learning_rate,
                base=10,
                min=math.log10(LEARNING_RATE_RANGE[0]),
                max=math.log10(LEARNING_RATE_RANGE[1]),
                step=0.05,
                readout_format=".3g",
                description="learning rate η",
                continuous_update=False,
                style=style,
                layout=layout,
            ),
            "steps": w.IntSlider(
                value=steps,
                min=1,
                max=MAX_STEPS,
                description="steps",
                continuous_update=False,
                style=style,
                layout=layout,
            ),
            "decay": w.FloatSlider(
                value=decay,
                min=0.0,
                max=1.0,
                step=0.01,
                description="decay d",
                readout_format=".2f",
                continuous_update=False,
                style=style,
                layout=layout,
            ),
        }
        self.figure = w.HTML()
        self.status_line = w.HTML()
        self.summary = w.HTML()
        # Stacked, not side by side: the book's text column is narrow, and the sliders
        # need their full width to be usable.
        self.widget = w.VBox([*self.controls.values(), self.status_line, self.summary, self.figure])
        self.widget.add_class("nnoe-explorer")
        self.message = ""
        self.redraw_count = 0
        self._start = tuple(float(v) for v in start)
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.redraw()

    # The run on display, for tests and for the chapter's text.
    @property
    def path(self) -> np.ndarray:
        return self.run.path

    @property
    def losses(self) -> np.ndarray:
        return self.run.losses

    @property
    def status(self) -> str:
        return self.run.status

    def _on_change(self, change) -> None:
        self.redraw()

    def redraw(self) -> None:
        """Read the controls, run gradient descent, and redraw the picture and text."""
        try:
            self._start = parse_point(self.controls["start"].value)
        except ValueError as error:
            # Keep the last good picture; say what is wrong in the widget itself.
            self.message = str(error)
            self.status_line.value = status_html(self.message, error=True)
            return
        self.message = ""
        steps = int(self.controls["steps"].value)
        self.run = gradient_descent(
            self.surface,
            self._start,
            float(self.controls["learning_rate"].value),
            steps,
            float(self.controls["decay"].value),
        )
        png = self._figure.draw(self.run, steps)
        self.figure.value = png_img_tag(png, self._figure.describe(self.run))
        self.status_line.value = status_html(self.run.status, error=self.run.diverged)
        self.summary.value = self._summary_html()
        self.redraw_count += 1

    def _summary_html(self) -> str:
        run, surface = self.run, self.surface
        w_star, b_star = surface.minimum
        last_rate = (
            run.learning_rates[-1]
            if len(run.learning_rates)
            else self.controls["learning_rate"].value
        )
        if run.diverged:
            where = f"It stopped at step {run.diverged_at}: each step overshot the valley by more than the last."
        else:
            w1, b1 = run.path[-1]
            where = f"It ends at w = {w1:.3f}, b = {b1:.3f}, loss {run.losses[-1]:.4f}."
        return (
            f"<p>The best weights are w* = {w_star:.3f}, b* = {b_star:.3f} (loss {surface.minimum_loss:.4f}). {where} "
            f"Last step's learning rate: {last_rate:.3g}. Above η = {critical_learning_rate(surface):.3f} a constant rate diverges.</p>"
        )

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


# --------------------------------------------------------------------------- chapter helpers


def weight_after_steps(
    start=(0.0, 0.0), learning_rate=0.1, steps=1, decay=0.0, coordinate="w"
) -> float:
    """The weight (``coordinate="w"``) or bias (``"b"``) after ``steps`` steps on the explorer's surface."""
    run = gradient_descent(line_fit_surface(), tuple(start), learning_rate, steps, decay)
    if run.diverged:
        raise ValueError(f"learning_rate {learning_rate} diverges after {run.diverged_at} steps")
    return float(run.path[-1][{"w": 0, "b": 1}[coordinate]])


def _parameter_counts(layer_sizes) -> tuple[int, int]:
    """(connection weights, biases) of a fully connected network with these layer sizes."""
    network = Network(list(layer_sizes), activation="identity", output="identity", random_state=0)
    return int(sum(c.size for c in network.coefs)), int(sum(i.size for i in network.intercepts))


def count_weights(layer_sizes) -> int:
    """Number of weights, biases included, of a fully connected network with these layer sizes."""
    return sum(_parameter_counts(layer_sizes))


def grid_search_log10_evaluations(layer_sizes, values_per_weight=100) -> float:
    """log10 of the loss evaluations an exhaustive grid search needs, ``values_per_weight ** n_weights``.

    Returned as a logarithm: for a real network the count itself has tens of thousands of digits.
    """
    return count_weights(layer_sizes) * math.log10(values_per_weight)


def plot_loss_slice(
    surface: LossSurface | None = None, bias: float | None = None, tangent_at=(-0.5, 0.5, 2.8)
):
    """Loss against the weight w alone (bias held at ``bias``, default its best value).

    Short tangent lines show the slope dL/dw at a few weights: the slope's sign says which
    way is downhill, its size how steep the ground is.
    """
    surface = surface or line_fit_surface()
    bias = surface.minimum[1] if bias is None else bias
    weights = np.linspace(*surface.w_range, 200)
    losses = np.array([surface.loss((w, bias)) for w in weights])
    figure = new_figure(7, 3.6, layout="constrained")
    ax = figure.subplots()
    ax.plot(weights, losses, color="#1b3a5c", linewidth=2, label=f"loss with b = {bias:.2f}")
    best = weights[np.argmin(losses)]
    ax.plot(
        [best],
        [losses.min()],
        marker="*",
        markersize=14,
        color="#f2b705",
        markeredgecolor="black",
        linestyle="none",
        label=f"lowest point: w ≈ {best:.2f}",
    )
    for w0 in tangent_at:
        loss, gradient = surface.loss_and_gradient((w0, bias))
        span = np.array([-0.35, 0.35])
        ax.plot(w0 + span, loss + gradient[0] * span, color="#d1495b", linewidth=2.5)
        ax.annotate(
            f"slope {gradient[0]:+.2f}",
            (w0, loss),
            textcoords="offset points",
            xytext=(8, 8),
            fontsize=9,
            color="#d1495b",
        )
    ax.set_xlabel("weight w")
    ax.set_ylabel("loss")
    ax.set_title("The loss as a function of one weight")
    ax.legend(loc="upper center")
    return figure


def plot_learning_rates(rates, start=(-1.0, 3.0), steps=40, surface: LossSurface | None = None):
    """One contour map per learning rate, each with its descent path and outcome."""
    surface = surface or line_fit_surface()
    figure = new_figure(3.4 * len(rates), 3.3, layout="constrained")
    axes = figure.subplots(1, len(rates), sharey=True)
    log_loss = np.log10(surface.grid_loss)
    runs = []
    for ax, rate in zip(np.atleast_1d(axes), rates):
        run = gradient_descent(surface, start, rate, steps)
        runs.append(run)
        ax.contour(
            surface.grid_w,
            surface.grid_b,
            log_loss,
            levels=14,
            colors="#1b3a5c",
            linewidths=0.6,
            alpha=0.7,
        )
        ax.plot(
            *surface.minimum, marker="*", markersize=12, color="#f2b705", markeredgecolor="black"
        )
        ax.plot(
            run.path[:, 0], run.path[:, 1], "-o", color="#d1495b", markersize=2.5, linewidth=1.2
        )
        ax.set_xlim(*surface.w_range)
        ax.set_ylim(*surface.b_range)
        ax.set_title(
            f"η = {rate:g}\n{run.status}", fontsize=10, color="#b00020" if run.diverged else "black"
        )
        ax.set_xlabel("weight w")
    np.atleast_1d(axes)[0].set_ylabel("bias b")
    return figure, runs


def count_weights_without_biases(layer_sizes) -> int:
    """Number of connection weights only (a common miscount: the biases left out)."""
    return _parameter_counts(layer_sizes)[0]


def plot_data_and_lines(points, surface: LossSurface | None = None):
    """The training data with the line drawn by each (w, b) in ``points``, and its loss."""
    surface = surface or line_fit_surface()
    figure = new_figure(6.4, 3.6, layout="constrained")
    ax = figure.subplots()
    ax.scatter(surface.x, surface.y, color="#1b3a5c", s=18, label="training data", zorder=3)
    xs = np.array([0.0, 4.5])
    for (w, b), color in zip(points, ("#d1495b", "#edae49", "#00798c", "#66a182")):
        ax.plot(
            xs,
            w * xs + b,
            color=color,
            linewidth=2,
            label=f"w = {w:g}, b = {b:g}: loss {surface.loss((w, b)):.3f}",
        )
    ax.set_xlabel("input x")
    ax.set_ylabel("target y")
    ax.set_title("Three candidate weight settings for one linear neuron")
    ax.legend(loc="upper left", fontsize=9)
    return figure


def plot_surface(surface: LossSurface | None = None):
    """Contour map of the loss over (w, b), with the minimum marked."""
    surface = surface or line_fit_surface()
    figure = new_figure(5.2, 4.0, layout="constrained")
    ax = figure.subplots()
    log_loss = np.log10(surface.grid_loss)
    filled = ax.contourf(surface.grid_w, surface.grid_b, log_loss, levels=20, cmap="Blues_r")
    ax.contour(
        surface.grid_w,
        surface.grid_b,
        log_loss,
        levels=14,
        colors="#1b3a5c",
        linewidths=0.6,
        alpha=0.6,
    )
    ax.plot(
        *surface.minimum,
        marker="*",
        markersize=14,
        color="#f2b705",
        markeredgecolor="black",
        linestyle="none",
        label=f"minimum: w = {surface.minimum[0]:.2f}, b = {surface.minimum[1]:.2f}",
    )
    figure.colorbar(filled, ax=ax, label="log₁₀ loss")
    ax.set_xlabel("weight w")
    ax.set_ylabel("bias b")
    ax.set_title("The loss surface seen from above")
    ax.legend(loc="upper right", fontsize=8)
    return figure


def plot_loss_curves(settings, start=(-1.0, 3.0), steps=60, surface: LossSurface | None = None):
    """Loss per step for several ``(learning_rate, decay)`` settings, on one log-scale plot."""
    surface = surface or line_fit_surface()
    figure = new_figure(6.8, 3.6, layout="constrained")
    ax = figure.subplots()
    runs = []
    for (rate, decay), color in zip(settings, ("#d1495b", "#00798c", "#edae49", "#66a182")):
        run = gradient_descent(surface, start, rate, steps, decay)
        runs.append(run)
        label = f"η₀ = {rate:g}, d = {decay:g}: " + (
            f"diverged after {run.diverged_at} steps"
            if run.diverged
            else f"final loss {run.losses[-1]:.3f}"
        )
        ax.plot(np.arange(len(run.losses)), run.losses, "-", color=color, linewidth=2, label=label)
    ax.axhline(
        surface.minimum_loss, color="#555555", linestyle="--", linewidth=1, label="minimum loss"
    )
    ax.set_yscale("log")
    ax.set_xlim(0, steps)
    ax.set_xlabel("step")
    ax.set_ylabel("loss (log scale)")
    ax.set_title("Constant and decaying learning rates")
    ax.legend(fontsize=8, loc="upper right")
    return figure, runs
