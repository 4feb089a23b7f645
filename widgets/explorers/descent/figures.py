"""Chapter 1's static figures: the data and its lines, the loss surface, descent runs."""

from __future__ import annotations

import numpy as np

from ...display.figures import new_figure
from ...display.palette import (
    AMBER,
    BLACK,
    ERROR,
    GOLD,
    GREEN,
    GREY,
    NAVY,
    RED,
    SEQUENTIAL_CMAP,
    SERIES,
    TEAL,
)
from .surface import (
    LossSurface,
    centred_weights,
    gradient_descent,
    line_fit_surface,
)


def draw_contours(ax, surface: LossSurface, alpha: float = 0.6):
    """Draw the contour lines of ``log10(loss)`` over (w, b) on ``ax``: 14 levels, navy."""
    log_loss = np.log10(surface.grid_loss)
    return ax.contour(
        surface.grid_w,
        surface.grid_b,
        log_loss,
        levels=14,
        colors=NAVY,
        linewidths=0.6,
        alpha=alpha,
    )


def plot_loss_slice(
    surface: LossSurface | None = None, bias: float | None = None, tangent_at=(-0.5, 0.5, 2.8)
):
    """Loss against the weight w alone (bias held at ``bias``, default its best value).

    Short tangent lines show the slope dL/dw at a few weights: the slope's sign says which
    way is downhill, its size how steep the ground is. The lowest point of the slice is
    computed, not read off a grid: ``w = −(∂L/∂w at w = 0) / (∂²L/∂w²)``, which is the
    minimum's w* when the bias is b*. Its label has the chapter's four decimals.
    """
    surface = surface or line_fit_surface()
    bias = surface.minimum[1] if bias is None else bias
    weights = np.linspace(*surface.w_range, 200)
    losses = np.array([surface.loss((w, bias)) for w in weights])
    figure = new_figure(6.6, 3.6, layout="constrained")
    ax = figure.subplots()
    ax.plot(weights, losses, color=NAVY, linewidth=2, label=f"loss with b = {bias:.4f}")
    best = -surface.loss_and_gradient((0.0, bias))[1][0] / surface.hessian[0, 0]
    ax.plot(
        [best],
        [surface.loss((best, bias))],
        marker="*",
        markersize=14,
        color=GOLD,
        markeredgecolor=BLACK,
        linestyle="none",
        label=f"lowest point: w = {best:.4f}",
    )
    for w0 in tangent_at:
        loss, gradient = surface.loss_and_gradient((w0, bias))
        span = np.array([-0.35, 0.35])
        ax.plot(w0 + span, loss + gradient[0] * span, color=RED, linewidth=2.5)
        # The label goes on the inner side of the bowl, above the tangent's high end,
        # where no curve passes.
        inward = 1 if gradient[0] < 0 else -1
        ax.annotate(
            f"slope {gradient[0]:+.2f}",
            (w0, loss),
            textcoords="offset points",
            xytext=(14 * inward, 4),
            ha="left" if inward > 0 else "right",
            va="bottom",
            fontsize=10,
            color=ERROR,
        )
    ax.set_xlabel("weight w")
    ax.set_ylabel("loss")
    ax.set_title("The loss as a function of one weight")
    ax.legend(loc="upper center", fontsize=10)
    return figure


def _draw_run(ax, surface: LossSurface, run, equal: bool = False) -> None:
    """A contour map of ``surface`` with the minimum and the path of ``run`` on ``ax``."""
    draw_contours(ax, surface, alpha=0.7)
    ax.plot(*surface.minimum, marker="*", markersize=12, color=GOLD, markeredgecolor=BLACK)
    ax.plot(run.path[:, 0], run.path[:, 1], "-o", color=RED, markersize=2.5, linewidth=1.2)
    ax.plot(*run.path[0], "o", color="white", markeredgecolor=RED, markersize=6)
    ax.set_xlim(*surface.w_range)
    ax.set_ylim(*surface.b_range)
    if equal:
        ax.set_aspect("equal")


def plot_learning_rates(rates, start=(-1.0, 3.0), steps=40, surface: LossSurface | None = None):
    """One contour map per learning rate (two per row), each with its path and outcome."""
    surface = surface or line_fit_surface()
    columns = min(2, len(rates))
    rows = -(-len(rates) // columns)
    figure = new_figure(6.6, 3.0 * rows + 0.4, layout="constrained")
    axes = np.atleast_1d(figure.subplots(rows, columns, sharex=True, sharey=True)).ravel()
    runs = []
    for ax, rate in zip(axes, rates):
        run = gradient_descent(surface, start, rate, steps)
        runs.append(run)
        _draw_run(ax, surface, run)
        ax.set_title(
            f"η = {rate:g}: {run.status}", fontsize=10, color=ERROR if run.diverged else BLACK
        )
    for ax in axes[len(rates) :]:
        ax.set_visible(False)
    for ax in axes[(rows - 1) * columns :]:
        ax.set_xlabel("weight w")
    for ax in axes[::columns]:
        ax.set_ylabel("bias b")
    return figure, runs


def plot_centring(rate=0.25, start=(-1.0, 3.0), steps=40, seed: int = 0):
    """The same descent before and after centring the inputs, side by side, to scale.

    Left: the explorer's surface (inputs x as they are). Right: the same data with the
    mean of x subtracted, started from the same line (:func:`centred_weights`), with the
    same learning rate and steps. Both maps use one scale on both axes, so a round
    bowl looks round. Returns the figure and the two runs.
    """
    surfaces = (line_fit_surface(seed=seed), line_fit_surface(seed=seed, centred=True))
    starts = (tuple(start), centred_weights(start, seed=seed))
    figure = new_figure(6.6, 5.0, layout="constrained")
    axes = figure.subplots(1, 2)
    runs = []
    for ax, surface, begin, name in zip(axes, surfaces, starts, ("x as it is", "x centred")):
        run = gradient_descent(surface, begin, rate, steps)
        runs.append(run)
        _draw_run(ax, surface, run, equal=True)
        ax.set_title(
            f"{name}: condition number {surface.condition_number:.1f}\n"
            + (run.status if run.diverged else f"loss {run.losses[0]:.4g} → {run.losses[-1]:.4g}"),
            fontsize=10,
            color=ERROR if run.diverged else BLACK,
        )
        ax.set_xlabel("weight w")
    axes[0].set_ylabel("bias b")
    axes[1].set_ylabel("bias b (for centred x)")
    figure.suptitle(f"The same start, η = {rate:g}, {steps} steps", fontsize=11)
    return figure, runs


def plot_data_and_lines(points, surface: LossSurface | None = None):
    """The training data with the line drawn by each (w, b) in ``points``, and its loss."""
    surface = surface or line_fit_surface()
    figure = new_figure(6.4, 3.6, layout="constrained")
    ax = figure.subplots()
    ax.scatter(surface.x, surface.y, color=NAVY, s=18, label="training data", zorder=3)
    xs = np.array([0.0, 4.5])
    for (w, b), color in zip(points, (RED, AMBER, TEAL, GREEN)):
        ax.plot(
            xs,
            w * xs + b,
            color=color,
            linewidth=2,
            label=f"w = {w:g}, b = {b:g}: loss {surface.loss((w, b)):.4f}",
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
    filled = ax.contourf(surface.grid_w, surface.grid_b, log_loss, levels=20, cmap=SEQUENTIAL_CMAP)
    draw_contours(ax, surface)
    ax.plot(
        *surface.minimum,
        marker="*",
        markersize=14,
        color=GOLD,
        markeredgecolor=BLACK,
        linestyle="none",
        label=f"minimum: w* = {surface.minimum[0]:.4f}, b* = {surface.minimum[1]:.4f}",
    )
    figure.colorbar(filled, ax=ax, label="log₁₀ loss")
    ax.set_xlabel("weight w")
    ax.set_ylabel("bias b")
    ax.set_title("The loss surface seen from above")
    ax.legend(loc="upper right", fontsize=9.5)
    return figure


def plot_loss_curves(settings, start=(-1.0, 3.0), steps=60, surface: LossSurface | None = None):
    """Loss per step for up to four ``(learning_rate, decay)`` settings, on one log-scale plot.

    Each label ends with what the run's :attr:`DescentRun.status` prints: the final loss
    to four significant digits, or the step at which it diverged.
    """
    surface = surface or line_fit_surface()
    figure = new_figure(6.6, 3.9, layout="constrained")
    ax = figure.subplots()
    runs = []
    for (rate, decay), color in zip(settings, SERIES):
        run = gradient_descent(surface, start, rate, steps, decay)
        runs.append(run)
        label = f"η₀ = {rate:g}, d = {decay:g}: " + (
            f"diverged after {run.diverged_at} steps"
            if run.diverged
            else f"final loss {run.losses[-1]:.4g}"
        )
        ax.plot(np.arange(len(run.losses)), run.losses, "-", color=color, linewidth=2, label=label)
    ax.axhline(
        surface.minimum_loss,
        color=GREY,
        linestyle="--",
        linewidth=1,
        label=f"minimum loss {surface.minimum_loss:.4g}",
    )
    ax.set_yscale("log")
    ax.set_xlim(0, steps)
    ax.set_xlabel("step")
    ax.set_ylabel("loss (log scale)")
    ax.set_title("Constant and decaying learning rates")
    ax.legend(fontsize=9.5, loc="upper right")
    return figure, runs
