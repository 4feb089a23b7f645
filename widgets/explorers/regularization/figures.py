"""Chapter 7's static figures: one weight under decay, the L1 diamond and the L2 circle,
the regularization paths. Every number is computed by :mod:`widgets.engine.penalties`."""

from __future__ import annotations

import numpy as np

from ...display.figures import new_figure
from ...display.palette import AMBER, GOLD, GREY, NAVY, RED, SEQUENTIAL_CMAP, SERIES, TEAL
from ...engine.penalties import (
    constrained_optimum,
    decay_path,
    lasso_path_cd,
    ridge_path,
    squared_error_grid,
)

__all__ = ["plot_decay", "plot_geometry", "plot_paths"]


def plot_decay(w0=1.0, lam=0.03, steps=60, zoom=(26, 44)):
    """One weight, no data gradient: stopped L1, naive L1 and L2 steps of the same λ.

    Left: all ``steps``; right: steps ``zoom`` magnified around 0, where the naive L1
    step hops across zero and the stopped one rests on it.
    """
    figure = new_figure(6.8, 3.0, layout="constrained")
    axes = figure.subplots(1, 2, width_ratios=[1.6, 1])
    k = np.arange(steps + 1)
    styles = (
        ("l2", TEAL, "-", f"L2: × (1 − {lam:g}) per step"),
        ("l1_naive", AMBER, ":", "L1, naive step"),
        ("l1", RED, "-", "L1, stopped at 0"),
    )
    for panel in axes:
        for rule, colour, line, label in styles:
            panel.plot(
                k,
                decay_path(w0, lam, steps, rule),
                line,
                color=colour,
                label=label,
                linewidth=2,
                marker="o" if rule == "l1_naive" else None,
                markersize=4,
            )
        panel.axhline(0.0, color=GREY, linewidth=0.8)
        panel.set_xlabel("step", fontsize=10)
        panel.tick_params(labelsize=10)
    axes[0].set_xlim(0, steps)
    axes[0].set_ylabel("weight", fontsize=10)
    axes[0].legend(fontsize=10, loc="upper right", frameon=False)
    axes[1].set_xlim(*zoom)
    axes[1].set_ylim(-3 * lam, 4 * lam)
    axes[1].set_title(f"steps {zoom[0]} to {zoom[1]}, magnified", fontsize=10)
    return figure


def plot_geometry(X, y, radius=1.0, extent=(-1.1, 2.6, -1.1, 1.6)):
    """Loss contours of two weights with the L1 diamond and the L2 circle of ``radius``.

    Each panel marks the unconstrained least-squares optimum (a gold star), the
    constrained optimum (a red dot) and the loss contour through it, which touches the
    region there: at a corner of the diamond (an axis, one weight exactly 0) for L1.
    """
    w1 = np.linspace(extent[0], extent[1], 241)
    w2 = np.linspace(extent[2], extent[3], 241)
    surface = squared_error_grid(X, y, w1, w2)
    free = np.linalg.lstsq(X, y, rcond=None)[0]
    figure = new_figure(6.8, 3.3, layout="constrained")
    panels = figure.subplots(1, 2, sharey=True)
    t = np.linspace(0, 2 * np.pi, 400)
    shapes = {
        "l1": (radius * np.array([1, 0, -1, 0, 1]), radius * np.array([0, 1, 0, -1, 0])),
        "l2": (radius * np.cos(t), radius * np.sin(t)),
    }
    levels = np.quantile(surface, np.linspace(0.0, 0.6, 9) ** 2)[1:]
    for axes, norm in zip(panels, ("l1", "l2")):
        optimum, _ = constrained_optimum(X, y, radius, norm)
        axes.contour(w1, w2, surface, levels=levels, cmap=SEQUENTIAL_CMAP, linewidths=0.8)
        axes.fill(*shapes[norm], color=NAVY, alpha=0.18)
        axes.plot(*shapes[norm], color=NAVY, linewidth=1.5)
        level = squared_error_grid(X, y, [optimum[0]], [optimum[1]])[0, 0]
        axes.contour(w1, w2, surface, levels=[level], colors=[RED], linewidths=1.5)
        axes.plot(*free, "*", color=GOLD, markersize=15, markeredgecolor=GREY)
        axes.plot(*optimum, "o", color=RED, markersize=7)
        axes.axhline(0, color=GREY, linewidth=0.6)
        axes.axvline(0, color=GREY, linewidth=0.6)
        name = "L1: |w₁| + |w₂| ≤ " if norm == "l1" else "L2: w₁² + w₂² ≤ "
        bound = f"{radius:g}" if norm == "l1" else f"{radius:g}²"
        axes.set_title(name + bound, fontsize=10)
        axes.set_xlabel("$w_1$", fontsize=10)
        axes.set_aspect("equal")
        axes.set_xlim(extent[0], extent[1])
        axes.set_ylim(extent[2], extent[3])
        axes.tick_params(labelsize=10)
    panels[0].set_ylabel("$w_2$", fontsize=10)
    return figure


def plot_paths(X, y, lambdas, names=None):
    """Each weight against the penalty strength: lasso (left) and ridge (right), log λ.

    ``lambdas`` are the strengths of :func:`~widgets.engine.penalties.lasso_path_cd` and
    :func:`~widgets.engine.penalties.ridge_path`. ``names`` label the features in a
    legend under the panels.
    """
    lambdas = np.asarray(lambdas, dtype=float)
    lasso, ridge = lasso_path_cd(X, y, lambdas), ridge_path(X, y, lambdas)
    names = names or [f"x{j + 1}" for j in range(X.shape[1])]
    colours = [*SERIES, NAVY] * 2
    figure = new_figure(6.8, 3.6, layout="constrained")
    panels = figure.subplots(1, 2, sharey=True)
    for axes, path, title in ((panels[0], lasso, "lasso (L1)"), (panels[1], ridge, "ridge (L2)")):
        for j in range(path.shape[1]):
            axes.plot(
                lambdas,
                path[:, j],
                color=colours[j % len(colours)],
                linewidth=1.6,
                linestyle="-" if j < 5 else "--",
                label=names[j],
            )
        axes.axhline(0, color=GREY, linewidth=0.6)
        axes.set_xscale("log")
        axes.set_xlabel("λ", fontsize=10)
        axes.set_title(title, fontsize=10)
        axes.tick_params(labelsize=10)
    panels[0].set_ylabel("weight", fontsize=10)
    figure.legend(
        *panels[0].get_legend_handles_labels(),
        fontsize=9.5,
        ncol=5,
        loc="outside lower center",
        frameon=False,
    )
    return figure
