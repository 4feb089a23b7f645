"""Chapter 8's restarts explorer: train the same small network from many seeds.

:class:`RestartsExplorer` trains one network per seed (engine ``MLPClassifier``,
L-BFGS, :func:`widgets.engine.landscape.restart_losses`) and shows the distribution of
the final training losses, the share of runs that got stuck (more than a stated gap
above the best run) and the expected best loss of ``k`` restarts as ``k`` grows
(:func:`widgets.engine.landscape.expected_best_of_k`, exact for the measured
distribution). The 50 runs of a (data set, width) are trained once, with a progress
bar, and cached: changing the number of seeds or the gap only re-reads them.
"""

from __future__ import annotations

from collections import OrderedDict

import ipywidgets as ipw
import numpy as np

from widgets.display import Explorer
from widgets.display.controls import control_look, progress_bar, slider_look
from widgets.display.figures import new_figure
from widgets.display.images import figure_png, png_img_tag
from widgets.display.palette import GOLD, GREY, NAVY, RED, TEAL
from widgets.engine.landscape import expected_best_of_k, restart_losses, stuck_share
from widgets.engine.sweeps import make_dataset
from widgets.engine.validation import check_choice, check_integer, check_number

__all__ = [
    "RestartsExplorer",
    "RESTART_DATASETS",
    "RESTART_WIDTHS",
    "MAX_SEEDS",
    "restart_data",
    "cached_restart_losses",
]

#: Data set → noise of its 2-D points (200 training points each).
RESTART_DATASETS = {"moons": 0.2, "xor": 0.1, "circles": 0.1, "spirals": 0.1}
#: Hidden units: from too small to comfortable.
RESTART_WIDTHS = (1, 2, 3, 4, 8, 16)
MAX_SEEDS = 50
N_TRAIN = 200
ACTIVATION = "tanh"
MAX_ITER = 300
#: Restart counts k shown in the expected-best curve.
KS = tuple(range(1, 11))
CACHE_SIZE = 24

_RUNS: OrderedDict = OrderedDict()


def _check_width(width):
    width = check_integer(width, "width", low=1)
    if width not in RESTART_WIDTHS:
        raise ValueError(f"width must be one of {list(RESTART_WIDTHS)}; got {width}.")
    return width


def restart_data(name="moons"):
    """The explorer's training set for ``name``: 200 points, the noise of RESTART_DATASETS."""
    name = check_choice(name, RESTART_DATASETS, "data")
    X, y, _, _ = make_dataset(name, RESTART_DATASETS[name], N_TRAIN, 10, 0)
    return X, y


def cached_restart_losses(name, width, progress=None):
    """Final training losses of seeds 0–49 for (data set, width), trained once per session."""
    key = (check_choice(name, RESTART_DATASETS, "data"), check_integer(width, "width", low=1))
    if key in _RUNS:
        _RUNS.move_to_end(key)
        return _RUNS[key]
    X, y = restart_data(name)
    _RUNS[key] = restart_losses(
        X, y, width, range(MAX_SEEDS), ACTIVATION, MAX_ITER, progress=progress
    )
    while len(_RUNS) > CACHE_SIZE:
        _RUNS.popitem(last=False)
    return _RUNS[key]


class RestartsExplorer(Explorer):
    """Final-loss distribution over seeds, stuck share and expected best of k restarts.

    Controls: ``data`` (moons, xor, circles, spirals), ``width`` (hidden units, 1 to
    16), ``seeds`` (runs, 5 to 50: seeds 0 to n − 1) and ``gap`` (a run is stuck when
    its loss is more than this above the best run's).
    """

    def __init__(self, data="moons", width=2, seeds=50, gap=0.1):
        self._start = {
            "data": check_choice(data, RESTART_DATASETS, "data"),
            "width": _check_width(width),
            "seeds": check_integer(seeds, "seeds", low=5, high=MAX_SEEDS),
            "gap": check_number(gap, "gap", low=0.01, high=0.5),
        }
        self.progress = progress_bar(MAX_SEEDS)
        self.figure = ipw.HTML()
        self.losses = None
        self.gap = self._start["gap"]
        self._setting = None
        self._figures: dict = {}
        super().__init__()

    # ------------------------------------------------------------------ controls

    def _build_controls(self) -> dict:
        start = self._start
        look, common = control_look("9em"), slider_look("9em")
        return {
            "data": ipw.Dropdown(
                options=list(RESTART_DATASETS),
                value=start["data"],
                description="data set",
                **look,
            ),
            "width": ipw.SelectionSlider(
                options=list(RESTART_WIDTHS),
                value=start["width"],
                description="hidden units",
                **common,
            ),
            "seeds": ipw.IntSlider(
                value=start["seeds"], min=5, max=MAX_SEEDS, step=5, description="seeds", **common
            ),
            "gap": ipw.FloatSlider(
                value=start["gap"],
                min=0.01,
                max=0.5,
                step=0.01,
                description="stuck margin",
                readout_format=".2f",
                **common,
            ),
        }

    def _build_outputs(self) -> list:
        return [self.progress, self.figure]

    def control_extremes(self) -> dict:
        extremes = super().control_extremes()
        extremes["width"] = [RESTART_WIDTHS[0], RESTART_WIDTHS[-1]]
        return extremes

    # ------------------------------------------------------------------ model

    def _read(self, names) -> None:
        c = {name: control.value for name, control in self.controls.items()}
        data = check_choice(c["data"], RESTART_DATASETS, "data")
        width = _check_width(c["width"])
        n_seeds = check_integer(c["seeds"], "seeds", low=2, high=MAX_SEEDS)
        gap = check_number(c["gap"], "gap", low=0.0)
        if (data, width) not in _RUNS:
            self.progress.value = 0

            def tick(i, seed):
                self.progress.value = i
                self.progress.description = f"seed {seed}"

            cached_restart_losses(data, width, tick)
        all_losses = cached_restart_losses(data, width)
        self.progress.value, self.progress.description = MAX_SEEDS, "trained"
        self.losses = all_losses[:n_seeds]
        self.gap = gap
        self._setting = (data, width, n_seeds, round(gap, 4))

    @property
    def stuck(self) -> float:
        return stuck_share(self.losses, self.gap)

    @property
    def expected_best(self) -> np.ndarray:
        """E[best of k restarts], k = 1 … 10, from the measured distribution."""
        return expected_best_of_k(self.losses, np.array(KS))

    @property
    def status(self) -> str:
        data, width, n_seeds, _ = self._setting
        losses, best = self.losses, self.expected_best
        return (
            f"{data}, {width} hidden units, {n_seeds} seeds: final loss "
            f"{losses.min():.3f} to {losses.max():.3f} (median {np.median(losses):.3f}); "
            f"stuck (above best + {self.gap:.2f}): {self.stuck:.0%}; expected best of "
            f"1, 3, 10 restarts: {best[0]:.3f}, {best[2]:.3f}, {best[9]:.3f}"
        )

    # ------------------------------------------------------------------ drawing

    def _draw(self) -> None:
        cached = self._figures.get(self._setting)
        if cached is None:
            cached = self._figures[self._setting] = self._figure()
        self.images = {"restarts": png_img_tag(*cached)}
        self.figure.value = self.images["restarts"]

    def _figure(self):
        data, width, n_seeds, _ = self._setting
        losses, best = self.losses, self.expected_best
        threshold = losses.min() + self.gap
        stuck = losses > threshold
        figure = new_figure(6.8, 2.8, layout="constrained")
        hist, curve = figure.subplots(1, 2, width_ratios=[1.3, 1])
        top = max(0.75, float(losses.max()) * 1.05)
        bins = np.linspace(0.0, top, 31)
        hist.hist(losses[~stuck], bins=bins, color=NAVY, label="near the best")
        hist.hist(losses[stuck], bins=bins, color=RED, label="stuck")
        hist.axvline(threshold, color=GREY, linestyle="--", linewidth=1.2)
        hist.set_xlabel("final training loss (cross-entropy)", fontsize=10)
        hist.set_ylabel("runs", fontsize=10)
        hist.set_title(
            f"{n_seeds} seeds: {stuck.mean():.0%} stuck (dashed: best + {self.gap:.2f})",
            fontsize=10,
        )
        hist.legend(fontsize=9, loc="best", frameon=False)
        hist.tick_params(labelsize=9)
        curve.plot(KS, best, "o-", color=TEAL, label="expected best of k")
        curve.axhline(losses.min(), color=GOLD, linewidth=1.5, label="best of all runs")
        curve.set_xlabel("restarts k", fontsize=10)
        curve.set_ylabel("loss", fontsize=10)
        curve.set_xticks([1, 2, 4, 6, 8, 10])
        curve.set_ylim(0.0, max(float(best[0]) * 1.15, 0.05))
        curve.set_title("keep the best of k runs", fontsize=10)
        curve.legend(fontsize=9, loc="upper right", frameon=False)
        curve.tick_params(labelsize=9)
        alt = (
            f"Left: histogram of the final training losses of {n_seeds} runs of a "
            f"{width}-unit network on {data}, from {losses.min():.3f} to "
            f"{losses.max():.3f}; {stuck.mean():.0%} are more than {self.gap:.2f} above "
            f"the best. Right: the expected best loss of k restarts falls from "
            f"{best[0]:.3f} (k = 1) to {best[2]:.3f} (k = 3) and {best[9]:.3f} (k = 10)."
        )
        return figure_png(figure), alt
