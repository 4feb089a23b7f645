"""Chapter 8's static figures: escaping a shallow basin with noise, critical points."""

from __future__ import annotations

import numpy as np

from widgets.display.figures import new_figure
from widgets.display.palette import GOLD, GREY, NAVY, RED, TEAL
from widgets.engine.landscape import basin_boundary, tilted_double_well

__all__ = ["plot_noise_escape", "plot_critical_points"]


def plot_noise_escape(noises, noise_shares, batch_sizes, batch_shares, tilt=0.3, x0=1.2):
    """Three panels: the double-well loss, the deep-basin share against added gradient
    noise, and against the mini-batch size (smaller batch: more noise)."""
    figure = new_figure(6.8, 2.6, layout="constrained")
    loss_ax, noise_ax, batch_ax = figure.subplots(1, 3)
    x = np.linspace(-1.7, 1.7, 300)
    f, _ = tilted_double_well(x, tilt)
    loss_ax.plot(x, f, color=NAVY)
    boundary = basin_boundary(tilt)
    loss_ax.axvline(boundary, color=GREY, linestyle="--", linewidth=1)
    start, _ = tilted_double_well(x0, tilt)
    loss_ax.plot([x0], [start], "o", color=RED, markersize=7)
    loss_ax.annotate("start", (x0, float(start)), xytext=(0.55, 1.6), fontsize=9, color=RED)
    loss_ax.text(-1.0, -0.75, "deep", fontsize=9, ha="center")
    loss_ax.text(1.0, -0.05, "shallow", fontsize=9, ha="center")
    loss_ax.set_ylim(-0.9, 2.2)
    loss_ax.set_title(f"$(x^2-1)^2 + {tilt:g}x$", fontsize=10)
    loss_ax.set_xlabel("x", fontsize=10)
    noise_ax.plot(noises, noise_shares, "o-", color=TEAL)
    noise_ax.set_xlabel("gradient noise σ", fontsize=10)
    noise_ax.set_title("added noise", fontsize=10)
    noise_ax.set_ylabel("share in deep basin", fontsize=10)
    batch_ax.plot(batch_sizes, batch_shares, "s-", color=GOLD, markeredgecolor=GREY)
    batch_ax.set_xscale("log", base=2)
    batch_ax.set_xticks(batch_sizes, [str(b) for b in batch_sizes])
    batch_ax.set_xlabel("mini-batch size", fontsize=10)
    batch_ax.set_title("mini-batch noise", fontsize=10)
    for ax in (noise_ax, batch_ax):
        ax.set_ylim(-0.03, 1.03)
    for ax in (loss_ax, noise_ax, batch_ax):
        ax.tick_params(labelsize=9)
    return figure


def plot_critical_points(points):
    """Loss against the share of directions that go down, one dot per critical point.

    ``points``: :class:`widgets.engine.landscape.CriticalPoint` records; those found by
    training are navy circles, those found by minimising the gradient norm red squares.
    """
    figure = new_figure(6.0, 2.8, layout="constrained")
    ax = figure.add_subplot()
    for found_by, colour, marker in (("training", NAVY, "o"), ("gradient norm", RED, "s")):
        chosen = [p for p in points if p.found_by == found_by]
        ax.scatter(
            [p.index for p in chosen],
            [p.loss for p in chosen],
            color=colour,
            marker=marker,
            s=36,
            alpha=0.8,
            label=f"found by {found_by}",
        )
    ax.set_xlabel("share of Hessian eigenvalues < 0 (directions going down)", fontsize=10)
    ax.set_ylabel("training loss", fontsize=10)
    ax.set_xlim(-0.03, max(0.5, max(p.index for p in points) + 0.05))
    ax.legend(fontsize=9, loc="lower right", frameon=False)
    ax.tick_params(labelsize=9)
    return figure
