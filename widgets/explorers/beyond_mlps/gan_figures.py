"""Chapter 13's static GAN figures: snapshots of one run, mode coverage over seeds."""

from __future__ import annotations

import numpy as np

from widgets.display.figures import new_figure
from widgets.display.palette import AMBER, GREY, NAVY, PURPLE, RED, TEAL

__all__ = ["plot_snapshots", "plot_mode_coverage"]


def _distribution(axes, run, index, d_axes=None, legend=False):
    """Target density, the generated histogram at record ``index`` and (twin axis) D(x)."""
    x = np.linspace(run.bin_edges[0], run.bin_edges[-1], 400)
    axes.plot(x, run.target.density(x), color=NAVY, linewidth=1.8, label="target")
    axes.stairs(
        run.histograms[index], run.bin_edges, fill=True, color=AMBER, alpha=0.55,
        label="generated",
    )  # fmt: skip
    peak = float(run.target.density(np.asarray(run.target.means)).max())
    axes.set_ylim(0, 1.8 * peak)
    axes.set_xlim(run.bin_edges[0], run.bin_edges[-1])
    axes.tick_params(labelsize=9.5)
    handles, labels = axes.get_legend_handles_labels()
    if d_axes is not None:
        d_axes.axhline(0.5, color=GREY, linestyle=":", linewidth=1.1)
        (line,) = d_axes.plot(run.grid, run.d_curves[index], color=RED, linewidth=1.6)
        d_axes.set_ylim(0, 1.02)
        d_axes.tick_params(labelsize=9.5, colors=RED, axis="y")
        handles.append(line)
        labels.append("D(x), right")
    if legend:
        axes.legend(handles, labels, fontsize=9, loc="upper left", frameon=False)


def plot_snapshots(run, steps=(0, 100, 300, 1000)):
    """Four moments of one run: target density, generated histogram and D(x).

    ``steps`` must be recorded steps of ``run``.
    """
    figure = new_figure(6.8, 4.4, layout="constrained")
    grid = figure.subplots(2, 2, sharex=True)
    for k, (axes, step) in enumerate(zip(grid.flat, steps)):
        index = run.record_index(step)
        d_axes = axes.twinx()
        _distribution(axes, run, index, d_axes, legend=k == 0)
        share = ", ".join(f"{c:.0%}" for c in run.coverage[index])
        axes.set_title(f"step {run.record_steps[index]}: near the modes {share}", fontsize=10)
        if k % 2 == 0:
            axes.set_ylabel("density", fontsize=10)
        else:
            d_axes.set_ylabel("D(x)", fontsize=10, color=RED)
        if k >= 2:
            axes.set_xlabel("x", fontsize=10)
    return figure


def plot_mode_coverage(results, ideal, healthy, collapsed):
    """Left: each run's share of samples near the left and the right mode, per setting.

    Right: the final histograms of a run that covers both modes and of one that
    collapsed onto one.

    Parameters
    ----------
    results : dict label → list of GanRun
    ideal : float
        The share near each mode of a perfect generator (drawn as a star).
    healthy, collapsed : GanRun
    """
    figure = new_figure(6.8, 3.1, layout="constrained")
    scatter, hist_ax = figure.subplots(1, 2, width_ratios=[1, 1.25])
    markers = ("o", "s", "^", "D")
    colours = (TEAL, RED, PURPLE, AMBER)
    for k, (label, runs) in enumerate(results.items()):
        shares = np.array([run.coverage[-1] for run in runs])
        jitter = 0.012 * (k - (len(results) - 1) / 2)
        scatter.scatter(
            shares[:, 0] + jitter, shares[:, 1] + jitter, marker=markers[k], s=36,
            facecolors="none", edgecolors=colours[k], linewidths=1.5, label=label,
        )  # fmt: skip
    scatter.scatter([ideal], [ideal], marker="*", s=160, color=NAVY, label="perfect", zorder=3)
    scatter.set_xlim(-0.05, 1.05)
    scatter.set_ylim(-0.05, 1.05)
    scatter.set_xlabel("share near the left mode (−2)", fontsize=10)
    scatter.set_ylabel("share near the right mode (+2)", fontsize=10)
    scatter.legend(fontsize=9, loc="upper right", frameon=False)
    scatter.tick_params(labelsize=9.5)
    scatter.set_title("each run after 1000 steps", fontsize=10)

    x = np.linspace(healthy.bin_edges[0], healthy.bin_edges[-1], 400)
    hist_ax.plot(x, healthy.target.density(x), color=NAVY, linewidth=1.8, label="target")
    for run, colour, name in ((healthy, TEAL, "both modes"), (collapsed, RED, "collapsed")):
        hist_ax.stairs(
            run.histograms[-1], run.bin_edges, color=colour, linewidth=1.6, label=name,
        )  # fmt: skip
    peak = float(healthy.target.density(np.asarray(healthy.target.means)).max())
    hist_ax.set_ylim(0, 2.2 * peak)
    hist_ax.set_xlim(healthy.bin_edges[0], healthy.bin_edges[-1])
    hist_ax.set_xlabel("x", fontsize=10)
    hist_ax.set_ylabel("density", fontsize=10)
    hist_ax.legend(fontsize=9, loc="upper left", frameon=False)
    hist_ax.tick_params(labelsize=9.5)
    hist_ax.set_title("generated samples of two runs", fontsize=10)
    return figure
