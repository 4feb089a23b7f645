"""Chapter 5's explorer: how many hidden units? A sweep over widths 1, 2, 4 … 128.

:class:`WidthSweepExplorer` trains one engine ``MLPClassifier`` per width
(:func:`widgets.engine.sweeps.width_sweep`) on a data set chosen by its controls and
shows the training and validation accuracy against the width (log axis), the training
time per width, a decision-boundary thumbnail per width for the 2-D data sets, and the
width the doubling rule picks (:func:`widgets.engine.sweeps.doubling_rule`) beside the
best one. A sweep trains eight networks (up to about a second for digits on two
cores), so each setting's sweep is cached for the session; a progress bar shows the
widths being trained.
"""

from __future__ import annotations

from collections import OrderedDict

import ipywidgets as ipw
import numpy as np

from widgets.display import Explorer
from widgets.display.controls import control_look, progress_bar, slider_look
from widgets.display.figures import new_figure
from widgets.display.images import encode_png, figure_png, png_img_tag
from widgets.display.palette import (
    DIVERGING,
    GOLD,
    GREY,
    HEATMAP,
    NAVY,
    RED,
    TEAL,
    ramp_colours,
)
from widgets.engine.sweeps import (
    DATASETS,
    WIDTHS,
    best_width,
    doubling_rule,
    make_dataset,
    width_sweep,
)
from widgets.engine.validation import check_choice, check_integer, check_number

__all__ = [
    "WidthSweepExplorer",
    "boundary_thumbnail",
    "cached_sweep",
    "plot_seed_sweeps",
    "plot_bias",
    "setting_key",
]

#: Validation points per data set (digits: held-out images).
N_VALIDATION = 400
#: L-BFGS iterations per network: 2-D sets, digits.
MAX_ITER = {"2d": 200, "digits": 100}
#: Pixels of a boundary thumbnail (square) and of its probability grid.
THUMB, GRID = 96, 48
#: Sweeps kept (each holds eight small networks).
CACHE_SIZE = 48

_SWEEPS: OrderedDict = OrderedDict()
#: (setting, threshold) → (PNG, alt text) of the accuracy figure: a revisit redraws fast.
_FIGURES: dict = {}


def _sweep(key, progress=None, thumbnails=True):
    """The sweep and data of ``key`` = (data, noise, n_train, alpha, seed), cached.

    Returns ``(data, sweep, thumbnails)``; with ``thumbnails=False`` the boundary
    thumbnails are not drawn (``None`` until a caller asks for them).
    """
    if key in _SWEEPS:
        _SWEEPS.move_to_end(key)
    else:
        name, noise, n_train, alpha, seed = key
        data = make_dataset(name, noise, n_train, N_VALIDATION, seed)
        max_iter = MAX_ITER["digits" if name == "digits" else "2d"]
        sweep = width_sweep(*data, alpha=alpha, seed=seed, max_iter=max_iter, progress=progress)
        _SWEEPS[key] = [data, sweep, None]
        while len(_SWEEPS) > CACHE_SIZE:
            _SWEEPS.popitem(last=False)
    entry = _SWEEPS[key]
    if thumbnails and entry[2] is None:
        data, sweep = entry[0], entry[1]
        entry[2] = (
            [] if key[0] == "digits" else [boundary_thumbnail(m, *data[:2]) for m in sweep.models]
        )
    return tuple(entry)


def setting_key(data="moons", noise=0.25, n_train=200, alpha=1e-4, seed=0) -> tuple:
    """The explorer's cache key of one setting: the controls' values, checked and rounded
    (noise to 3 decimals, α to 3 significant digits) as the explorer reads them."""
    return (
        check_choice(data, DATASETS, "data"),
        round(check_number(noise, "noise", low=0.0, high=1.0), 3),
        check_integer(n_train, "n_train", low=10),
        float(f"{check_number(alpha, 'alpha', low=0.0):.3g}"),
        check_integer(seed, "seed", low=0),
    )


def cached_sweep(data="moons", noise=0.25, n_train=200, alpha=1e-4, seed=0):
    """``(data, sweep)`` of one of the explorer's settings, from its cache.

    ``data`` is ``make_dataset(data, noise, n_train, N_VALIDATION, seed)`` and ``sweep``
    the :class:`~widgets.engine.sweeps.WidthSweep` the explorer shows for that setting
    (trained, without thumbnails, on a cache miss). The interactive figure
    (:mod:`widgets.explorers.network_size.width_sweep_chart`) reads its grid through
    this, so a setting the explorer has shown is not trained again.
    """
    arrays, sweep, _ = _sweep(setting_key(data, noise, n_train, alpha, seed), thumbnails=False)
    return arrays, sweep


def boundary_thumbnail(model, X, y, size=THUMB, grid=GRID):
    """PNG of ``model``'s class-1 probability over the data's box, training points on top.

    2-D binary data only (``None`` otherwise). The background is the palette's lightened
    ramp (orange for class 0, blue for class 1); each point is a 3×3 dot in full colour.
    """
    if X.shape[1] != 2 or len(model.classes_) != 2:
        return None
    low, high = X.min(axis=0) - 0.3, X.max(axis=0) + 0.3
    xs = np.linspace(low[0], high[0], grid)
    ys = np.linspace(high[1], low[1], grid)  # row 0 at the top
    gx, gy = np.meshgrid(xs, ys)
    p = model.predict_proba(np.column_stack([gx.ravel(), gy.ravel()]))[:, 1]
    pixels = ramp_colours((2 * p - 1).reshape(grid, grid), HEATMAP)
    pixels = np.repeat(np.repeat(pixels, size // grid, axis=0), size // grid, axis=1).copy()
    cols = np.clip(((X[:, 0] - low[0]) / (high[0] - low[0]) * (size - 1)).round(), 1, size - 2)
    rows = np.clip(((high[1] - X[:, 1]) / (high[1] - low[1]) * (size - 1)).round(), 1, size - 2)
    colours = ramp_colours(np.where(y == model.classes_[1], 1.0, -1.0), DIVERGING)
    for dr in (-1, 0, 1):
        for dc in (-1, 0, 1):
            pixels[rows.astype(int) + dr, cols.astype(int) + dc] = colours
    return encode_png(pixels)


class WidthSweepExplorer(Explorer):
    """Accuracy, boundary and training time of one hidden layer of 1, 2, 4 … 128 units.

    Controls: ``data`` (moons, circles, xor, spirals, digits), ``noise`` (jitter of the
    2-D points, or pixel noise of digits), ``n_train`` (training-set size), ``alpha``
    (L2 penalty), ``threshold`` (the smallest validation gain the doubling rule counts
    as worth a doubling) and ``seed`` (data and initial weights).
    """

    def __init__(self, data="moons", noise=0.25, n_train=200, alpha=1e-4, threshold=0.01, seed=0):
        self._start = {
            "data": check_choice(data, DATASETS, "data"),
            "noise": check_number(noise, "noise", low=0.0, high=0.5),
            "n_train": check_integer(n_train, "n_train", low=20, high=400),
            "alpha": check_number(alpha, "alpha", low=1e-5, high=10.0),
            "threshold": check_number(threshold, "threshold", low=0.0, high=0.05),
            "seed": check_integer(seed, "seed", low=0, high=4),
        }
        self.progress = progress_bar(len(WIDTHS))
        self.figure = ipw.HTML()
        self.thumbnails = ipw.HTML()
        self._key = None
        self.threshold = self._start["threshold"]
        super().__init__()

    # ------------------------------------------------------------------ controls

    def _build_controls(self) -> dict:
        start = self._start
        look, common = control_look("9em"), slider_look("9em")
        return {
            "data": ipw.Dropdown(
                options=list(DATASETS),
                value=start["data"],
                description="data set",
                **look,
            ),
            "noise": ipw.FloatSlider(
                value=start["noise"],
                min=0.0,
                max=0.5,
                step=0.05,
                description="noise",
                **common,
            ),
            "n_train": ipw.IntSlider(
                value=start["n_train"],
                min=20,
                max=400,
                step=20,
                description="training points",
                **common,
            ),
            "alpha": ipw.FloatLogSlider(
                value=start["alpha"],
                base=10,
                min=-5,
                max=1,
                step=0.5,
                description="α (L2)",
                readout_format=".0e",
                **common,
            ),
            "threshold": ipw.FloatSlider(
                value=start["threshold"],
                min=0.0,
                max=0.05,
                step=0.005,
                description="rule threshold",
                readout_format=".3f",
                **common,
            ),
            "seed": ipw.IntSlider(value=start["seed"], min=0, max=4, description="seed", **common),
        }

    def _build_outputs(self) -> list:
        return [self.progress, self.figure, self.thumbnails]

    # ------------------------------------------------------------------ model

    def _read(self, names) -> None:
        c = {name: control.value for name, control in self.controls.items()}
        threshold = check_number(c["threshold"], "threshold", low=0.0)
        key = setting_key(c["data"], c["noise"], c["n_train"], c["alpha"], c["seed"])
        if key not in _SWEEPS:
            self.progress.value = 0

            def tick(i, width):
                self.progress.value = i
                self.progress.description = f"width {width}"

            _sweep(key, tick)
        self.progress.value, self.progress.description = len(WIDTHS), "trained"
        self._key, self.threshold = key, threshold

    @property
    def result(self):
        """``(data, sweep, thumbnails)`` of the current setting (from the cache)."""
        return _sweep(self._key)

    @property
    def rule_width(self) -> int:
        data, sweep, _ = self.result
        return doubling_rule(
            sweep.widths, sweep.validation_accuracy, data[0].shape[1], self.threshold
        )

    @property
    def best_width(self) -> int:
        _, sweep, _ = self.result
        return best_width(sweep.widths, sweep.validation_accuracy)

    @property
    def status(self) -> str:
        data, sweep, _ = self.result
        n = data[0].shape[1]
        rule, best = self.rule_width, self.best_width
        v = dict(zip(sweep.widths, sweep.validation_accuracy))
        return (
            f"{self._key[0]}, {n} inputs: the rule (start at {2 * n}, double while "
            f"validation gains ≥ {self.threshold:.3f}) picks {rule} units "
            f"(validation {v[rule]:.3f}); best {best} units ({v[best]:.3f})"
        )

    # ------------------------------------------------------------------ drawing

    def _draw(self) -> None:
        _, sweep, thumbnails = self.result
        rule, best = self.rule_width, self.best_width
        cached = _FIGURES.get((self._key, self.threshold))
        if cached is None:
            cached = _FIGURES[(self._key, self.threshold)] = self._figure(sweep, rule, best)
            if len(_FIGURES) > 4 * CACHE_SIZE:
                _FIGURES.pop(next(iter(_FIGURES)))
        self.images = {"sweep": png_img_tag(*cached)}
        self.figure.value = self.images["sweep"]
        self._draw_thumbnails(sweep, thumbnails)

    def _figure(self, sweep, rule, best):
        """PNG and alt text of accuracy and training time against width."""
        widths = np.array(sweep.widths)
        figure = new_figure(6.8, 3.0, layout="constrained")
        acc, sec = figure.subplots(1, 2, width_ratios=[1.6, 1])
        acc.plot(widths, sweep.train_accuracy, "o-", color=NAVY, label="training")
        acc.plot(widths, sweep.validation_accuracy, "s-", color=RED, label="validation")
        acc.axvline(rule, color=TEAL, linestyle="--", linewidth=1.5, label=f"rule: {rule}")
        acc.plot(
            [best],
            [sweep.validation_accuracy[list(widths).index(best)]],
            "*",
            color=GOLD,
            markersize=16,
            markeredgecolor=GREY,
            label=f"best: {best}",
        )
        for axes in (acc, sec):
            axes.set_xscale("log", base=2)
            axes.set_xticks(widths, [str(width) for width in widths])
            axes.set_xlabel("hidden units")
            axes.tick_params(labelsize=10)
        acc.set_ylabel("accuracy", fontsize=10)
        acc.set_ylim(min(0.4, float(sweep.validation_accuracy.min()) - 0.05), 1.02)
        figure.legend(fontsize=10, loc="outside lower center", ncol=4, frameon=False)
        acc.set_title(f"{self._key[0]}: accuracy against width", fontsize=10)
        sec.bar(widths, sweep.seconds * 1000, width=widths * 0.5, color=TEAL)
        sec.set_ylabel("training time (ms)", fontsize=10)
        sec.set_title("time to train (L-BFGS)", fontsize=10)
        png = figure_png(figure)
        train = ", ".join(f"{a:.2f}" for a in sweep.train_accuracy)
        val = ", ".join(f"{a:.2f}" for a in sweep.validation_accuracy)
        alt = (
            f"Accuracy against hidden units 1 to 128 on {self._key[0]}: training {train}; "
            f"validation {val}. The rule picks {rule}, the best is {best}. Training "
            f"took {sweep.seconds.min() * 1000:.0f} to {sweep.seconds.max() * 1000:.0f} ms."
        )
        return png, alt

    def _draw_thumbnails(self, sweep, thumbnails):
        widths = np.array(sweep.widths)
        if not thumbnails:
            self.thumbnails.value = (
                "<p>Digits has 64 inputs: there is no 2-D decision boundary to draw.</p>"
            )
            return
        cells = []
        for width, png, a, b in zip(
            widths, thumbnails, sweep.train_accuracy, sweep.validation_accuracy
        ):
            tag = png_img_tag(
                png,
                f"Decision regions of {width} hidden units on {self._key[0]}: "
                f"training accuracy {a:.2f}, validation {b:.2f}.",
                width=THUMB,
            )
            self.images[f"boundary_{width}"] = tag
            cells.append(
                f'<div style="display:inline-block;margin:2px;text-align:center;'
                f'font-size:13px">{tag}<br>{width} units</div>'
            )
        self.thumbnails.value = "<div>" + "".join(cells) + "</div>"


# ---------------------------------------------------------------------- chapter figures


def plot_seed_sweeps(panels, widths=WIDTHS):
    """Accuracy against width, mean over seeds with the range shaded, one panel per setting.

    ``panels``: dict title → ``(train, validation)``, each an array (seeds, widths).
    """
    figure = new_figure(6.8, 2.7, layout="constrained")
    axes = figure.subplots(1, len(panels), sharey=True, squeeze=False)[0]
    for ax, (title, (train, validation)) in zip(axes, panels.items()):
        for values, colour, marker, label in (
            (np.asarray(train), NAVY, "o", "training"),
            (np.asarray(validation), RED, "s", "validation"),
        ):
            ax.fill_between(widths, values.min(0), values.max(0), color=colour, alpha=0.15)
            ax.plot(widths, values.mean(0), marker + "-", color=colour, label=label)
        ax.set_xscale("log", base=2)
        ax.set_xticks(widths, [str(width) for width in widths])
        ax.set_xlabel("hidden units", fontsize=10)
        ax.set_title(title, fontsize=10)
        ax.tick_params(labelsize=10)
    axes[0].set_ylabel("accuracy", fontsize=10)
    axes[0].legend(fontsize=10, loc="lower right")
    return figure


def plot_bias(X, y, networks, extent=(-1.0, 6.0)):
    """Decision regions of each network in ``networks`` (title → engine Network) on 2-D data.

    The view includes the origin (a cross), so a network without biases shows its
    regions as wedges meeting there.
    """
    figure = new_figure(6.8, 3.2, layout="constrained")
    axes = figure.subplots(1, len(networks), squeeze=False)[0]
    grid = np.linspace(*extent, 140)
    gx, gy = np.meshgrid(grid, grid)
    for ax, (title, network) in zip(axes, networks.items()):
        p = network.forward(np.column_stack([gx.ravel(), gy.ravel()]))[:, 0]
        pixels = ramp_colours((2 * p - 1).reshape(gx.shape), HEATMAP)
        ax.imshow(pixels, extent=(*extent, *extent), origin="lower")
        colours = ramp_colours(np.where(y == 1, 1.0, -1.0), DIVERGING) / 255
        ax.scatter(X[:, 0], X[:, 1], c=colours, s=8, edgecolors="none")
        ax.plot([0], [0], "+", color="black", markersize=14, markeredgewidth=2)
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("$x_1$", fontsize=10)
        ax.tick_params(labelsize=10)
    axes[0].set_ylabel("$x_2$", fontsize=10)
    return figure
