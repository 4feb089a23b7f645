"""Chapter 6's dropout explorer: the drop probability against overfitting, and a sampled mask.

:class:`DropoutExplorer` trains, for every drop probability ``p`` of :data:`PS` and
each seed of :data:`SEEDS`, one engine ``MLPClassifier`` with ``dropout=p``
(:func:`widgets.engine.stopping.dropout_sweep`) on a small data set with some wrong
labels (:func:`widgets.engine.stopping.label_noise_data`), and shows
training and test accuracy against ``p`` (mean over the seeds, their range shaded),
the overfitting gap at the chosen ``p``, and a drawing of the network with the hidden
units one sampled mask drops (``resample`` draws another). A setting's sweep is cached.
"""

from __future__ import annotations

from collections import OrderedDict

import ipywidgets as ipw
import numpy as np

from widgets.display import Explorer
from widgets.display.controls import control_look, progress_bar, slider_look
from widgets.display.figures import BlittedFigure, new_figure
from widgets.display.images import png_img_tag, svg_img_tag
from widgets.display.palette import DARK_GREY, GOLD, GREY, LIGHT_GREY, NAVY, NODE_EDGE, TEAL, WHITE
from widgets.engine.stopping import (
    dropout_mask,
    dropout_sweep,
    inverted_dropout_scale,
    label_noise_data,
)
from widgets.engine.validation import check_integer, check_number

__all__ = ["DropoutExplorer", "PS", "SEEDS", "DROPOUT_EPOCHS", "network_svg"]

#: Drop probabilities of the sweep.
PS = (0.0, 0.2, 0.4, 0.5, 0.6, 0.8)
#: Seeds of every setting (data, initial weights, masks).
SEEDS = (0, 1, 2)
#: Epochs per network (Adam, learning rate 0.01, no early stopping).
DROPOUT_EPOCHS = 200
WIDTHS = (16, 32, 64)
N_TEST = 500
#: Hidden units drawn at most (the rest are counted).
DRAWN = 16
CACHE_SIZE = 32

_SWEEPS: OrderedDict = OrderedDict()
_FIGURES: OrderedDict = OrderedDict()


def _sweep(key, progress=None):
    if key in _SWEEPS:
        _SWEEPS.move_to_end(key)
        return _SWEEPS[key]
    n_train, noise, layers, width = key
    train, test = [], []
    for seed in SEEDS:
        X, y, X_test, y_test = label_noise_data("moons", noise, n_train, N_TEST, seed=seed)

        def tick(done, total, seed=seed):
            if progress is not None:
                progress(SEEDS.index(seed) * len(PS) + done, len(SEEDS) * len(PS))

        a, b = dropout_sweep(
            X, y, X_test, y_test, PS, (width,) * layers, (seed,), DROPOUT_EPOCHS, progress=tick
        )
        train.append(a[0])
        test.append(b[0])
    _SWEEPS[key] = (np.array(train), np.array(test))
    while len(_SWEEPS) > CACHE_SIZE:
        _SWEEPS.popitem(last=False)
    return _SWEEPS[key]


def network_svg(masks, n_inputs=2, drawn=DRAWN) -> str:
    """SVG of a network: dropped hidden units greyed, their connections removed.

    ``masks`` holds one array per hidden layer, one value per unit (0: dropped,
    ``1/(1-p)``: kept). At most ``drawn`` units of each hidden layer are drawn (a note
    counts the rest). Inputs and the output are never dropped.
    """
    masks = [np.asarray(mask, dtype=float) for mask in masks]
    shown = [mask[:drawn] for mask in masks]
    rows = max(len(m) for m in shown)
    width, height = 120 + 170 * (len(masks) + 1), 70 + 24 * rows
    xs = [60 + 170 * i for i in range(len(masks) + 2)]

    def column(n):
        return [50 + 24 * (rows - n) / 2 + 24 * i for i in range(n)]

    layers = [column(n_inputs)] + [column(len(m)) for m in shown] + [column(1)]
    alive = [np.ones(n_inputs)] + [m > 0 for m in shown] + [np.ones(1)]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="15">',
        f'<rect width="{width}" height="{height}" fill="{WHITE}"/>',
    ]
    for i in range(len(layers) - 1):
        for y0, a0 in zip(layers[i], alive[i]):
            for y1, a1 in zip(layers[i + 1], alive[i + 1]):
                if a0 and a1:
                    parts.append(
                        f'<line x1="{xs[i]}" y1="{y0:.1f}" x2="{xs[i + 1]}" y2="{y1:.1f}" '
                        f'stroke="{NAVY}" stroke-opacity="0.3" stroke-width="1"/>'
                    )
    for i, y in enumerate(layers[0]):
        parts.append(
            f'<circle cx="{xs[0]}" cy="{y:.1f}" r="10" fill="{WHITE}" stroke="{NODE_EDGE}" '
            f'stroke-width="1.5"/><text x="{xs[0] - 40}" y="{y + 4:.1f}" '
            f'fill="{DARK_GREY}">x{i + 1}</text>'
        )
    for layer, (ys, mask) in enumerate(zip(layers[1:-1], shown), start=1):
        x = xs[layer]
        for y, m in zip(ys, mask):
            if m > 0:
                parts.append(
                    f'<circle cx="{x}" cy="{y:.1f}" r="8" fill="{TEAL}" stroke="{NODE_EDGE}"/>'
                )
            else:
                parts.append(
                    f'<circle cx="{x}" cy="{y:.1f}" r="8" fill="{LIGHT_GREY}" stroke="{GREY}" '
                    f'stroke-dasharray="2,2"/><line x1="{x - 5}" y1="{y - 5:.1f}" '
                    f'x2="{x + 5}" y2="{y + 5:.1f}" stroke="{GREY}" stroke-width="1.5"/>'
                    f'<line x1="{x - 5}" y1="{y + 5:.1f}" x2="{x + 5}" y2="{y - 5:.1f}" '
                    f'stroke="{GREY}" stroke-width="1.5"/>'
                )
        mask = masks[layer - 1]
        parts.append(
            f'<text x="{x}" y="{height - 8}" text-anchor="middle" fill="{DARK_GREY}">'
            f"{int((mask > 0).sum())} of {len(mask)} kept</text>"
        )
    y_out = layers[-1][0]
    parts.append(
        f'<circle cx="{xs[-1]}" cy="{y_out:.1f}" r="10" fill="{WHITE}" stroke="{NODE_EDGE}" '
        f'stroke-width="1.5"/><text x="{xs[-1]}" y="{y_out + 30:.1f}" text-anchor="middle" '
        f'fill="{DARK_GREY}">output</text>'
    )
    scale = max(float(mask.max()) for mask in masks)
    note = f"kept units ×{scale:.2f}" if scale > 0 else "every unit dropped"
    if any(len(mask) > drawn for mask in masks):
        note += f"; first {drawn} units of each layer drawn"
    parts.append(f'<text x="10" y="20" fill="{DARK_GREY}">{note}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _one_of(value, options, argument):
    """``value`` if it is one of ``options`` (numbers), else ValueError naming ``argument``."""
    if value not in options:
        raise ValueError(f"{argument} must be one of {list(options)}; got {value!r}.")
    return value


class DropoutExplorer(Explorer):
    """Train and test accuracy against the drop probability, and one sampled mask.

    Controls: ``p`` (drop probability, 0 to 0.8), ``layers`` (1 or 2 hidden layers),
    ``width`` (units of each), ``n_train`` (training examples of moons, points
    jittered by 0.2) and ``noise`` (share of training labels flipped; test labels are
    correct). Button: ``resample`` (draw another mask for the drawing).
    """

    def __init__(self, p=0.5, layers=2, width=64, n_train=100, noise=0.2):
        self._start = {
            "p": _one_of(round(check_number(p, "p", low=0.0, high=0.8), 1), PS, "p"),
            "layers": _one_of(check_integer(layers, "layers"), (1, 2), "layers"),
            "width": _one_of(check_integer(width, "width"), WIDTHS, "width"),
            "n_train": check_integer(n_train, "n_train", low=40, high=200),
            "noise": check_number(noise, "noise", low=0.0, high=0.3),
        }
        self.progress = progress_bar(len(PS) * len(SEEDS))
        self.figure = ipw.HTML()
        self.drawing = ipw.HTML()
        self._key = None
        self.p = self._start["p"]
        self.mask_draws = 0
        super().__init__()

    def _build_controls(self) -> dict:
        start = self._start
        look = control_look("11em", width="32em")
        common = slider_look("11em", width="32em")
        return {
            "p": ipw.SelectionSlider(
                options=list(PS), value=start["p"], description="drop probability p", **common
            ),
            "layers": ipw.ToggleButtons(
                options=[1, 2],
                value=start["layers"],
                description="hidden layers",
                style={**look["style"], "button_width": "4em"},
            ),
            "width": ipw.SelectionSlider(
                options=list(WIDTHS), value=start["width"], description="units per layer", **common
            ),
            "n_train": ipw.IntSlider(
                value=start["n_train"],
                min=40,
                max=200,
                step=20,
                description="training points",
                **common,
            ),
            "noise": ipw.FloatSlider(
                value=start["noise"],
                min=0.0,
                max=0.3,
                step=0.05,
                description="label noise",
                **common,
            ),
        }

    def _build_buttons(self) -> dict:
        return {"resample": ipw.Button(description="resample mask", icon="random")}

    def _build_outputs(self) -> list:
        return [self.progress, self.figure, self.drawing]

    def resample(self) -> None:
        """Draw a new dropout mask for the drawing (training is unchanged)."""

        def action():
            self.mask_draws += 1

        self._update(action)

    # ------------------------------------------------------------------ model

    def _read(self, names) -> None:
        c = {name: control.value for name, control in self.controls.items()}
        p = _one_of(round(check_number(c["p"], "p", low=0.0, high=0.8), 1), PS, "p")
        key = (
            check_integer(c["n_train"], "n_train", low=10),
            round(check_number(c["noise"], "noise", low=0.0, high=0.5), 3),
            _one_of(check_integer(c["layers"], "layers"), (1, 2), "layers"),
            _one_of(check_integer(c["width"], "width"), WIDTHS, "width"),
        )
        if key not in _SWEEPS:
            self.progress.value = 0

            def tick(done, total):
                self.progress.value = done

            _sweep(key, tick)
        self.progress.value = self.progress.max
        self._key, self.p = key, p

    @property
    def accuracies(self):
        """``(train, test)``: arrays (seeds, drop probabilities) of the current setting."""
        return _sweep(self._key)

    @property
    def masks(self) -> list:
        """The drawn masks, one per hidden layer (values 0 or ``1/(1-p)``), as in training."""
        rng = np.random.RandomState(1000 * self.mask_draws + int(round(10 * self.p)))
        _, _, layers, width = self._key
        return [dropout_mask(width, self.p, rng) for _ in range(layers)]

    def at_p(self):
        """Mean training accuracy, mean test accuracy and mean gap at the chosen ``p``."""
        train, test = self.accuracies
        j = PS.index(self.p)
        gap = float((train[:, j] - test[:, j]).mean())
        return float(train[:, j].mean()), float(test[:, j].mean()), gap

    @property
    def best_p(self) -> float:
        """The drop probability with the best mean test accuracy (the smallest if tied)."""
        _, test = self.accuracies
        return PS[int(np.argmax(test.mean(0)))]

    @property
    def status(self) -> str:
        train, test, gap = self.at_p()
        return (
            f"p = {self.p:.1f} (kept units ×{inverted_dropout_scale(self.p):.2f}): "
            f"training {train:.3f} (on its noisy labels), test {test:.3f}, gap {gap:+.3f} (mean of "
            f"{len(SEEDS)} seeds); best test at p = {self.best_p:.1f}"
        )

    # ------------------------------------------------------------------ drawing

    def _draw(self) -> None:
        train, test = self.accuracies
        blitted = _FIGURES.get(self._key)
        if blitted is None:
            blitted = _FIGURES[self._key] = _AccuracyFigure(train, test)
            while len(_FIGURES) > 8:
                _FIGURES.popitem(last=False)
        tr, te, gap = self.at_p()
        mean_train = ", ".join(f"{a:.2f}" for a in train.mean(0))
        mean_test = ", ".join(f"{a:.2f}" for a in test.mean(0))
        alt = (
            f"Accuracy against drop probability 0 to 0.8, mean of {len(SEEDS)} seeds: "
            f"training {mean_train}; test {mean_test}. A gold line at p = {self.p:.1f}: "
            f"training {tr:.2f}, test {te:.2f}."
        )
        self.images = {"accuracy": png_img_tag(blitted.png(self.p), alt)}
        masks = self.masks
        kept = ", ".join(f"{int((m > 0).sum())} of {len(m)}" for m in masks)
        self.images["network"] = svg_img_tag(
            network_svg(masks),
            f"A network with 2 inputs, {len(masks)} hidden layer(s) of {len(masks[0])} "
            f"units and one output, under one sampled dropout mask with p = {self.p:.1f}: "
            f"kept {kept} hidden units (each scaled by "
            f"{inverted_dropout_scale(self.p):.2f}); dropped units are crossed out and "
            "their connections removed.",
        )
        self.figure.value = self.images["accuracy"]
        self.drawing.value = self.images["network"]


class _AccuracyFigure:
    """Accuracy against p for one setting; the marker of the chosen p moves (blitted)."""

    def __init__(self, train, test):
        ps = np.array(PS)
        figure = new_figure(6.0, 2.8)
        figure.subplots_adjust(left=0.11, right=0.98, top=0.92, bottom=0.30)
        axes = figure.subplots()
        for values, colour, marker, label in (
            (train, NAVY, "o", "training"),
            (test, TEAL, "s", "test"),
        ):
            axes.fill_between(ps, values.min(0), values.max(0), color=colour, alpha=0.15)
            axes.plot(ps, values.mean(0), marker + "-", color=colour, label=label)
        axes.set_xlabel("drop probability p", fontsize=10)
        axes.set_ylabel("accuracy", fontsize=10)
        axes.set_xticks(ps)
        axes.tick_params(labelsize=9.5)
        low = float(min(test.min(), train.min()))
        axes.set_ylim(max(0.0, low - 0.05), 1.01)
        axes.set_title(f"mean of {len(SEEDS)} seeds, range shaded", fontsize=10)
        self.marker = axes.axvline(0.0, color=GOLD, linewidth=2.2, label="chosen p")
        figure.legend(loc="lower center", ncol=3, fontsize=9.5, frameon=False)
        self.blitted = BlittedFigure(figure, [self.marker])

    def png(self, p) -> bytes:
        self.marker.set_xdata([p, p])
        return self.blitted.png()
