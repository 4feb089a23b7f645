"""Chapter 11's figures: random search against a grid, and the optimism of tuning."""

from __future__ import annotations

import numpy as np

from widgets.display.figures import new_figure
from widgets.display.palette import GOLD, GREY, NAVY, RED, TEAL

__all__ = ["plot_random_vs_grid", "plot_optimism"]


def plot_random_vs_grid(result):
    """The configurations of one :func:`~widgets.engine.search.random_vs_grid` run.

    Learning rate (x) against α (y), both on log axes; grid points as squares, random
    ones as circles, coloured by validation accuracy, the best of each outlined in
    gold; ticks under the points mark the distinct learning rates each search tried.
    """
    figure = new_figure(6.8, 4.0, layout="constrained")
    ax = figure.subplots()
    everything = [s for key in ("grid", "random") for _, s in result[key]]
    low, high = min(everything), max(everything)
    for configs, marker, colour, label in (
        (result["grid"], "s", NAVY, "grid"),
        (result["random"], "o", RED, "random"),
    ):
        rates = np.array([p["learning_rate_init"] for p, _ in configs])
        alphas = np.array([p["alpha"] for p, _ in configs])
        scores = np.array([s for _, s in configs])
        image = ax.scatter(
            rates,
            alphas,
            c=scores,
            cmap="viridis",
            vmin=low,
            vmax=high,
            marker=marker,
            s=90,
            edgecolors=colour,
            linewidths=1.5,
            label=label,
            zorder=3,
        )
        best = int(np.argmax(scores))
        ax.scatter(
            rates[best],
            alphas[best],
            marker=marker,
            s=260,
            facecolors="none",
            edgecolors=GOLD,
            linewidths=2.5,
            zorder=4,
        )
        y = 0.02 if label == "grid" else 0.08
        for r in rates:
            ax.plot(
                [r, r],
                [y, y + 0.05],
                color=colour,
                linewidth=2,
                transform=ax.get_xaxis_transform(),
            )
    ax.set_xscale("log")
    ax.set_yscale("log")
    # Room below the points for the ticks of the rates tried.
    ax.set_ylim(10**-6.6, 10**0.5)
    ax.set_xlabel("learning rate (ticks at the bottom: rates tried)", fontsize=10)
    ax.set_ylabel("α (L2)", fontsize=10)
    ax.tick_params(labelsize=10)
    bar = figure.colorbar(image, ax=ax, shrink=0.9)
    bar.set_label("validation accuracy", fontsize=10)
    bar.ax.tick_params(labelsize=9)
    figure.legend(fontsize=10, loc="outside lower center", ncol=2, frameon=False)
    ax.set_title(
        f"9 trainings each; gold ring: best (grid {result['grid_best']:.3f}, "
        f"random {result['random_best']:.3f})",
        fontsize=10,
    )
    return figure


def plot_optimism(rows):
    """Per seed: the test score of a test-tuned pick against honest estimates.

    ``rows``: one dict of :func:`~widgets.engine.search.tuning_optimism` per seed.
    """
    figure = new_figure(6.8, 3.2, layout="constrained")
    ax = figure.subplots()
    seeds = np.arange(len(rows))
    series = (
        ("test_claim", "^", RED, "tuned on test: its test score"),
        ("test_fresh", "v", GREY, "… the same pick on fresh data"),
        ("nested", "D", TEAL, "nested CV estimate"),
        ("cv_fresh", "o", NAVY, "CV pick on fresh data"),
    )
    for k, (key, marker, colour, label) in enumerate(series):
        ax.plot(
            seeds + 0.12 * (k - 1.5),
            [r[key] for r in rows],
            marker,
            color=colour,
            markersize=8,
            label=label,
            linestyle="none",
        )
    ax.set_xticks(seeds, [f"seed {s}" for s in seeds])
    ax.set_ylabel("accuracy", fontsize=10)
    ax.tick_params(labelsize=10)
    figure.legend(fontsize=9, loc="outside lower center", ncol=2, frameon=False)
    return figure
