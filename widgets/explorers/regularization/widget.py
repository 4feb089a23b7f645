"""Chapter 7's explorer: no penalty, L1 and L2 side by side on the same data and seed.

:class:`RegularizationExplorer` trains three engine ``MLPClassifier`` networks (2 inputs,
two ReLU hidden layers of 16, Adam) with :func:`widgets.engine.penalties.fit_penalised`:
one without a penalty, one with L1 (``l1=λ``) and one with L2 (``alpha=λ``), on 60
noisy training points of a 2-D data set, scored on 400 test points. It shows each
network's decision regions, the histogram of its weights with the weights that are
exactly 0.0 counted apart, and the training and test accuracy. A setting trains three
small networks (a few tenths of a second); each setting's networks and figure are cached.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass

import ipywidgets as ipw
import numpy as np

from ...display import Explorer
from ...display.controls import control_look, progress_bar, slider_look
from ...display.figures import new_figure
from ...display.images import figure_png, png_img_tag
from ...display.palette import DIVERGING, GOLD, GREY, HEATMAP, NAVY, ramp_colours
from ...engine.exceptions import DivergenceError
from ...engine.penalties import PENALTIES, count_exact_zeros, fit_penalised
from ...engine.sweeps import make_dataset
from ...engine.validation import check_choice, check_integer, check_number

__all__ = [
    "RegularizationExplorer",
    "PenaltyRun",
    "train_setting",
    "DATA_SETS",
    "HIDDEN",
    "N_TRAIN",
    "N_TEST",
    "LAM_RANGE",
    "MAX_ITER",
]

#: The 2-D data sets of :func:`widgets.engine.sweeps.make_dataset` offered here.
DATA_SETS = ("moons", "circles", "xor", "spirals")
#: Hidden layers of every network: 2-16-16-1 has 2·16 + 16·16 + 16 = 304 weights.
HIDDEN = (16, 16)
#: Few training points, so that an unpenalised network can overfit; many test points.
N_TRAIN, N_TEST = 60, 400
#: Adam epochs (at most; training stops earlier when the loss stalls).
MAX_ITER = 1000
#: The λ slider's range.
LAM_RANGE = (1e-3, 10.0)
#: Panel titles.
LABELS = {"none": "no penalty", "l1": "L1", "l2": "L2"}
#: Settings kept in the cache (each holds three small networks and one figure).
CACHE_SIZE = 64
#: Grid of the decision-region pictures.
GRID = 90

_RUNS: OrderedDict = OrderedDict()


@dataclass
class PenaltyRun:
    """One trained network of a setting: its penalty, model and scores."""

    penalty: str
    model: object  # None if training diverged
    train_accuracy: float
    test_accuracy: float
    zeros: int
    weights: int

    @property
    def diverged(self) -> bool:
        return self.model is None


def train_setting(data="moons", noise=0.3, lam=0.1, seed=0, progress=None):
    """Data and the three runs (``"none"``, ``"l1"``, ``"l2"``) of one setting.

    Each network is :func:`~widgets.engine.penalties.fit_penalised` on the same
    ``N_TRAIN`` training points with the same ``seed`` (same data, same initial
    weights); only the penalty differs. Returns ``(data, runs)`` with ``data`` the
    tuple ``X_train, y_train, X_test, y_test`` and ``runs`` a dict penalty → run.
    ``progress``, if given, is called as ``progress(i, penalty)`` before each fit.
    """
    data = make_dataset(data, noise, N_TRAIN, N_TEST, seed)
    X, y, X_test, y_test = data
    runs = {}
    for i, penalty in enumerate(PENALTIES):
        if progress is not None:
            progress(i, penalty)
        try:
            with np.errstate(all="ignore"):
                model = fit_penalised(
                    X, y, penalty, lam, hidden=HIDDEN, seed=seed, max_iter=MAX_ITER
                )
        except DivergenceError:
            runs[penalty] = PenaltyRun(penalty, None, 0.0, 0.0, 0, 0)
            continue
        zeros, total = count_exact_zeros(model.coefs_)
        runs[penalty] = PenaltyRun(
            penalty,
            model,
            float(np.mean(model.predict(X) == y)),
            float(np.mean(model.predict(X_test) == y_test)),
            zeros,
            total,
        )
    return data, runs


def _cached(key, progress=None):
    if key in _RUNS:
        _RUNS.move_to_end(key)
        return _RUNS[key]
    data, runs = train_setting(*key, progress=progress)
    _RUNS[key] = {"data": data, "runs": runs, "figure": None}
    while len(_RUNS) > CACHE_SIZE:
        _RUNS.popitem(last=False)
    return _RUNS[key]


def _regions(model, low, high):
    """RGB pixels of the class-1 probability over the box ``low``-``high`` (row 0 on top)."""
    xs = np.linspace(low[0], high[0], GRID)
    ys = np.linspace(high[1], low[1], GRID)
    gx, gy = np.meshgrid(xs, ys)
    p = model.predict_proba(np.column_stack([gx.ravel(), gy.ravel()]))[:, 1]
    return ramp_colours((2 * p - 1).reshape(GRID, GRID), HEATMAP)


def draw_setting(data, runs, lam):
    """The figure of one setting: decision regions on top, weight histograms below."""
    X, y = data[0], data[1]
    low, high = X.min(axis=0) - 0.4, X.max(axis=0) + 0.4
    trained = [run for run in runs.values() if not run.diverged]
    top = max(
        (float(np.abs(np.concatenate([c.ravel() for c in r.model.coefs_])).max()) for r in trained),
        default=1.0,
    )
    top = max(top, 1e-6)
    bins = np.linspace(-top, top, 31)
    figure = new_figure(6.8, 4.6, layout="constrained")
    axes = figure.subplots(2, 3, height_ratios=[1.15, 1])
    colours = ramp_colours(np.where(y == 1, 1.0, -1.0), DIVERGING) / 255
    for column, (penalty, run) in enumerate(runs.items()):
        regions, histogram = axes[0, column], axes[1, column]
        title = LABELS[penalty] + ("" if penalty == "none" else f", λ = {lam:.3g}")
        regions.set_title(title, fontsize=10)
        regions.set_xticks([])
        regions.set_yticks([])
        if run.diverged:
            regions.text(
                0.5,
                0.5,
                "diverged",
                ha="center",
                va="center",
                fontsize=11,
                transform=regions.transAxes,
            )
            histogram.set_axis_off()
            continue
        regions.imshow(
            _regions(run.model, low, high), extent=(low[0], high[0], low[1], high[1]), aspect="auto"
        )
        regions.scatter(X[:, 0], X[:, 1], c=colours, s=12, edgecolors="white", linewidths=0.5)
        regions.set_xlabel(
            f"train {run.train_accuracy:.2f}, test {run.test_accuracy:.2f}", fontsize=10
        )
        weights = np.concatenate([c.ravel() for c in run.model.coefs_])
        nonzero = weights[weights != 0.0]
        histogram.hist(nonzero, bins=bins, color=NAVY)
        histogram.bar(
            [0.0], [run.zeros], width=2 * top / 30, color=GOLD, edgecolor=GREY, label="exactly 0"
        )
        histogram.set_yscale("symlog", linthresh=1)
        histogram.set_ylim(0, run.weights * 1.5)
        histogram.set_title(f"{run.zeros} of {run.weights} weights = 0", fontsize=10)
        histogram.set_xlabel("weight", fontsize=10)
        histogram.tick_params(labelsize=9)
    axes[1, 0].set_ylabel("count (log scale)", fontsize=10)
    png = figure_png(figure)
    parts = []
    for penalty, run in runs.items():
        if run.diverged:
            parts.append(f"{LABELS[penalty]}: diverged")
        else:
            parts.append(
                f"{LABELS[penalty]}: training accuracy {run.train_accuracy:.2f}, test "
                f"{run.test_accuracy:.2f}, {run.zeros} of {run.weights} weights exactly 0"
            )
    alt = (
        f"Three networks on the same {N_TRAIN} training points, λ = {lam:.3g}. Top: each "
        "network's decision regions, blue for class 1 and orange for class 0, with the "
        "training points. Bottom: histograms of each network's weights from "
        f"{-top:.2g} to {top:.2g}, the exact zeros as a gold bar at 0. " + "; ".join(parts) + "."
    )
    return png, alt


class RegularizationExplorer(Explorer):
    """No penalty, L1 and L2 of the same strength λ, side by side.

    Parameters
    ----------
    data : {"moons", "circles", "xor", "spirals"}, default="moons"
    noise : float in [0, 0.5], default=0.3
        Standard deviation of the jitter added to each point.
    lam : float in [0.001, 10], default=0.316
        λ: the engine's ``l1`` for the L1 network and ``alpha`` for the L2 one (both
        divided by the batch size, 60 here, in the loss).
    seed : int in [0, 4], default=0
        Seeds the data and the initial weights (the same for all three networks).
    """

    def __init__(self, data="moons", noise=0.3, lam=0.316, seed=0):
        self._start = {
            "data": check_choice(data, DATA_SETS, "data"),
            "noise": check_number(noise, "noise", low=0.0, high=0.5),
            "lam": check_number(lam, "lam", low=LAM_RANGE[0], high=LAM_RANGE[1]),
            "seed": check_integer(seed, "seed", low=0, high=4),
        }
        self.progress = progress_bar(len(PENALTIES))
        self.figure = ipw.HTML()
        self._key = None
        super().__init__()

    # ------------------------------------------------------------------ controls

    def _build_controls(self) -> dict:
        start = self._start
        look, common = control_look("6em"), slider_look("6em")
        return {
            "data": ipw.Dropdown(
                options=list(DATA_SETS),
                value=start["data"],
                description="data set",
                **look,
            ),
            "noise": ipw.FloatSlider(
                value=start["noise"], min=0.0, max=0.5, step=0.05, description="noise", **common
            ),
            "lam": ipw.FloatLogSlider(
                value=start["lam"],
                base=10,
                min=math.log10(LAM_RANGE[0]),
                max=math.log10(LAM_RANGE[1]),
                step=0.25,
                description="λ",
                readout_format=".3g",
                **common,
            ),
            "seed": ipw.IntSlider(value=start["seed"], min=0, max=4, description="seed", **common),
        }

    def _build_outputs(self) -> list:
        return [self.progress, self.figure]

    # ------------------------------------------------------------------ model

    def _read(self, names) -> None:
        c = {name: control.value for name, control in self.controls.items()}
        key = (
            check_choice(c["data"], DATA_SETS, "data"),
            round(check_number(c["noise"], "noise", low=0.0, high=1.0), 3),
            float(f"{check_number(c['lam'], 'lam', low=0.0, low_inclusive=False):.3g}"),
            check_integer(c["seed"], "seed", low=0),
        )
        if key not in _RUNS:
            self.progress.value = 0

            def tick(i, penalty):
                self.progress.value = i
                self.progress.description = LABELS[penalty]

            _cached(key, tick)
        self.progress.value, self.progress.description = len(PENALTIES), "trained"
        self._key = key

    @property
    def lam(self) -> float:
        """λ of the networks shown (the slider's value, to 3 significant digits)."""
        return self._key[2]

    @property
    def runs(self) -> dict:
        """Penalty → :class:`PenaltyRun` of the setting shown (from the cache)."""
        return _cached(self._key)["runs"]

    @property
    def data(self) -> tuple:
        """``X_train, y_train, X_test, y_test`` of the setting shown."""
        return _cached(self._key)["data"]

    @property
    def diverged(self):
        return any(run.diverged for run in self.runs.values())

    @property
    def status(self) -> str:
        name, noise, lam, seed = self._key
        parts = []
        for penalty, run in self.runs.items():
            if run.diverged:
                parts.append(f"{LABELS[penalty]} diverged")
            else:
                parts.append(
                    f"{LABELS[penalty]}: train {run.train_accuracy:.2f}, test "
                    f"{run.test_accuracy:.2f}, {run.zeros}/{run.weights} weights = 0"
                )
        return f"{name}, noise {noise:.2f}, λ = {lam:.3g}, seed {seed}: " + "; ".join(parts)

    # ------------------------------------------------------------------ drawing

    def _draw(self) -> None:
        entry = _cached(self._key)
        if entry["figure"] is None:
            entry["figure"] = draw_setting(entry["data"], entry["runs"], self.lam)
        self.images = {"networks": png_img_tag(*entry["figure"])}
        self.figure.value = self.images["networks"]
