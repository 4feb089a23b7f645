"""Chapter 9's static figures: every activation with its derivative; loss against rate."""

from __future__ import annotations

import numpy as np

from widgets.display.figures import new_figure
from widgets.display.palette import ERROR, NAVY, RED, SERIES

from .learning_rate import EPOCHS, cached_run

__all__ = ["plot_activation_gallery", "plot_rate_sweep"]


def plot_activation_gallery(slope=0.1):
    """f (navy) and f′ (red, dashed) of the six activations, one small panel each."""
    from widgets.engine.schedules_batches import (
        ACTIVATION_NAMES,
        activation_derivative,
        activation_value,
    )

    z = np.linspace(-5, 5, 401)
    figure = new_figure(6.8, 3.6, layout="constrained")
    axes = figure.subplots(2, 3, sharex=True).ravel()
    for ax, name in zip(axes, ACTIVATION_NAMES):
        ax.axhline(0, color="#999999", linewidth=0.6)
        ax.plot(z, activation_value(name, z, slope), color=NAVY, linewidth=2, label="f")
        ax.plot(z, activation_derivative(name, z, slope), "--", color=RED, linewidth=2, label="f′")
        title = name.replace("_", " ") + (f" (a = {slope:g})" if name == "leaky_relu" else "")
        ax.set_title(title, fontsize=10)
        ax.set_ylim(-1.6, 1.6)
        ax.tick_params(labelsize=9)
    for ax in axes[3:]:
        ax.set_xlabel("net input", fontsize=10)
    axes[0].legend(fontsize=9, loc="lower right", frameon=False)
    return figure


def plot_rate_sweep(rates, schedules=("constant", "invscaling", "adaptive"), seed=0):
    """Loss at the last epoch against η₀ for each schedule (log–log); × = diverged (at 3)."""
    figure = new_figure(6.8, 2.8, layout="constrained")
    ax = figure.add_subplot()
    styles = {"constant": ("o-", 4), "invscaling": ("s-", 2), "adaptive": ("x--", 1.5)}
    for schedule, colour in zip(schedules, SERIES):
        runs = [cached_run(r, schedule, seed) for r in rates]
        ok = [(r, run.loss[-1]) for r, run in zip(rates, runs) if not run.diverged]
        bad = [r for r, run in zip(rates, runs) if run.diverged]
        line, width = styles.get(schedule, ("o-", 2))
        if ok:
            ax.plot(*zip(*ok), line, color=colour, linewidth=width, label=schedule)
        if bad:
            ax.plot(bad, [3.0] * len(bad), "x", color=ERROR, markersize=9, mew=2)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("initial learning rate η₀ (log scale)", fontsize=10)
    ax.set_ylabel(f"loss at epoch {EPOCHS}", fontsize=10)
    ax.text(
        0.99,
        0.86,
        "× diverged",
        transform=ax.transAxes,
        ha="right",
        va="top",
        color=ERROR,
        fontsize=10,
    )
    ax.tick_params(labelsize=9)
    ax.legend(fontsize=9, loc="lower left", frameon=False)
    return figure
