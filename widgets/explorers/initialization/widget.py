"""Chapter 3's Init explorer: how the initial weights shape activations and training.

Every number comes from :mod:`widgets.engine.statistics`: a network of the chosen
depth and width is initialised by the chosen scheme times a scale multiplier, then
trained full batch on two moons (200 points). The explorer shows each hidden layer's
activation histogram at initialization and after training, its saturated share (the
slope ``f'(net)`` below 10% of its largest value), the number of distinct hidden units
(equal starting weights stay one unit), and the training-loss curve. Runs are cached
per setting.
"""

from __future__ import annotations

import math

import ipywidgets as ipw
import numpy as np
from sklearn.datasets import make_moons

from ...display import Explorer
from ...display.charts import Line, line_chart_svg
from ...display.images import svg_img_tag
from ...display.palette import GREY, LIGHT_GREY, NAVY, RED, WHITE
from ...engine.statistics import (
    SLOPE_FRACTION,
    hidden_layers,
    make_network,
    train_and_record,
)
from ...engine.validation import check_choice, check_integer, check_number

__all__ = ["InitExplorer", "moons_data", "SCHEME_LABELS", "EPOCHS", "LEARNING_RATE"]

#: Label shown → scheme of :func:`widgets.engine.statistics.make_network`.
SCHEME_LABELS = {
    "Glorot (scikit-learn)": "glorot",
    "He": "he",
    "small Gaussian, σ = 0.1": "normal",
    "uniform ±0.1": "uniform",
    "all weights equal (0.1)": "equal",
    "zeros": "zeros",
}
ACTIVATIONS = ("tanh", "logistic", "relu")
EPOCHS = 200
LEARNING_RATE = 0.1
MULTIPLIER_RANGE = (0.01, 100.0)
BINS = 20
SATURATION_RULE = {
    "logistic": "|net| > 3.64",
    "tanh": "|net| > 1.82",
    "relu": "net ≤ 0 (off)",
}


def moons_data(n_samples=200, noise=0.15, seed=0):
    """The explorer's training set: scikit-learn's two moons, targets as a column."""
    X, y = make_moons(n_samples, noise=noise, random_state=seed)
    return X, y.reshape(-1, 1).astype(float)


def _histogram_svg(values_init, values_end, value_range, width=300, height=54) -> str:
    """Two histograms side by side: at initialization (grey) and after training (navy)."""
    panel = (width - 12) / 2
    parts = []
    for k, (values, colour, label) in enumerate(
        ((values_init, GREY, "at init"), (values_end, NAVY, "trained"))
    ):
        counts, _ = np.histogram(np.clip(values, *value_range), bins=BINS, range=value_range)
        share = counts / max(counts.sum(), 1)
        x0 = 4 + k * (panel + 4)
        bar = panel / BINS
        top, bottom = 14, height - 4
        parts.append(
            f'<rect x="{x0:.1f}" y="{top}" width="{panel:.1f}" height="{bottom - top}" '
            f'fill="{WHITE}" stroke="{LIGHT_GREY}"/>'
            f'<text x="{x0 + 2:.1f}" y="11" fill="{colour}">{label}</text>'
        )
        for i, s in enumerate(share):
            h = (bottom - top) * s
            parts.append(
                f'<rect x="{x0 + i * bar:.1f}" y="{bottom - h:.1f}" width="{bar * 0.9:.1f}" '
                f'height="{h:.1f}" fill="{colour}"/>'
            )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">'
        f"{''.join(parts)}</svg>"
    )


class InitExplorer(Explorer):
    """Initial weights → activation histograms, saturation, distinct units, loss curve.

    Parameters
    ----------
    scheme : {"glorot", "he", "normal", "uniform", "equal", "zeros"}, default="glorot"
    multiplier : float in [0.01, 100], default=1
        Scale multiplier on the scheme's own scale.
    activation : {"tanh", "logistic", "relu"}, default="tanh"
    depth : int in [1, 5], default=2
        Number of hidden layers.
    width : int in [2, 32], default=8
        Units per hidden layer.
    seed : int, default=0
        Seed of the initial weights.
    """

    def __init__(
        self, scheme="glorot", multiplier=1.0, activation="tanh", depth=2, width=8, seed=0
    ):
        self._initial = {
            "scheme": check_choice(scheme, set(SCHEME_LABELS.values()), "scheme"),
            "multiplier": check_number(multiplier, "multiplier", *MULTIPLIER_RANGE),
            "activation": check_choice(activation, ACTIVATIONS, "activation"),
            "depth": check_integer(depth, "depth", 1, 5),
            "width": check_integer(width, "width", 2, 32),
        }
        self.seed = check_integer(seed, "seed", low=0)
        self.X, self.Y = moons_data()
        self._cache: dict = {}
        self.run = None
        super().__init__()

    # ------------------------------------------------------------------ controls

    def _build_controls(self) -> dict:
        first = self._initial
        label = {v: k for k, v in SCHEME_LABELS.items()}[first["scheme"]]
        return {
            "scheme": ipw.Dropdown(options=list(SCHEME_LABELS), value=label, description="scheme"),
            "multiplier": ipw.FloatLogSlider(
                value=first["multiplier"],
                base=10,
                min=math.log10(MULTIPLIER_RANGE[0]),
                max=math.log10(MULTIPLIER_RANGE[1]),
                step=0.25,
                readout_format=".3g",
                description="scale ×",
                continuous_update=False,
            ),
            "activation": ipw.Dropdown(
                options=list(ACTIVATIONS), value=first["activation"], description="activation"
            ),
            "depth": ipw.IntSlider(
                value=first["depth"],
                min=1,
                max=5,
                description="hidden layers",
                continuous_update=False,
            ),
            "width": ipw.IntSlider(
                value=first["width"],
                min=2,
                max=32,
                description="width",
                continuous_update=False,
            ),
        }

    def _build_outputs(self) -> list:
        self._loss_view = ipw.HTML()
        self._layers_view = ipw.HTML()
        return [self._loss_view, self._layers_view]

    def control_extremes(self) -> dict:
        extremes = super().control_extremes()
        extremes["scheme"] = list(SCHEME_LABELS)
        return extremes

    # ------------------------------------------------------------------ model

    @property
    def settings(self) -> tuple:
        c = self.controls
        return (
            SCHEME_LABELS[c["scheme"].value],
            float(c["multiplier"].value),
            c["activation"].value,
            int(c["depth"].value),
            int(c["width"].value),
        )

    def _read(self, names) -> None:
        key = self.settings
        if key not in self._cache:
            self._cache[key] = self._train(*key)
        self.run = self._cache[key]

    def _train(self, scheme, multiplier, activation, depth, width) -> dict:
        sizes = [2, *([width] * depth), 1]
        network = make_network(sizes, scheme, activation, multiplier, random_state=self.seed)
        at_init = [a.ravel() for _, a in hidden_layers(network, self.X)]
        with np.errstate(all="ignore"):
            record = train_and_record(
                network, self.X, self.Y, epochs=EPOCHS, learning_rate=LEARNING_RATE
            )
        trained = (
            [a.ravel() for _, a in hidden_layers(network, self.X)]
            if record.diverged_at is None
            else at_init
        )
        return {"record": record, "at_init": at_init, "trained": trained}

    @property
    def diverged(self):
        return self.run is not None and self.run["record"].diverged_at is not None

    @property
    def status(self) -> str:
        scheme, multiplier, activation, depth, width = self.settings
        record = self.run["record"]
        head = f"{scheme} × {multiplier:.3g}, {activation}, {depth} × {width}: "
        if record.diverged_at is not None:
            return head + f"diverged at epoch {record.diverged_at}"
        saturated = ", ".join(f"{s:.0%}" for s in record.saturation[-1])
        distinct = ", ".join(str(d) for d in record.distinct)
        return (
            head + f"loss {record.losses[0]:.3f} → {record.losses[-1]:.3f} "
            f"after {EPOCHS} epochs; saturated after training {saturated}; "
            f"distinct units {distinct}"
        )

    # ------------------------------------------------------------------ drawing

    def _draw(self) -> None:
        scheme, multiplier, activation, depth, width = self.settings
        record = self.run["record"]
        curve = line_chart_svg([Line(record.losses, RED, "training loss")], size=(420, 90))
        last = f"{record.losses[-1]:.3f}" if len(record.losses) else "none"
        alt = (
            f"Training loss over {len(record.losses) - 1} epochs, from "
            f"{record.losses[0]:.3f} to {last}"
            if len(record.losses)
            else "No training loss: the run diverged at once"
        )
        if record.diverged_at is not None:
            alt += f"; the run diverged at epoch {record.diverged_at}"
        self.images = {"loss": svg_img_tag(curve, alt + ".")}
        if activation == "relu":
            top = max(float(np.max(np.concatenate(self.run["trained"] + self.run["at_init"]))), 1)
            value_range = (0.0, top)
        else:
            value_range = (0.0, 1.0) if activation == "logistic" else (-1.0, 1.0)
        rows = [
            "<p>Saturated: slope f′(net) below "
            f"{SLOPE_FRACTION:.0%} of its largest value ({activation}: "
            f"{SATURATION_RULE[activation]}). Histograms span activations "
            f"{value_range[0]:.3g} to {value_range[1]:.3g}.</p>"
        ]
        for layer, (start, end) in enumerate(zip(self.run["at_init"], self.run["trained"])):
            first = record.saturation[0, layer] if len(record.losses) else 0.0
            final = record.saturation[-1, layer] if len(record.losses) else 0.0
            distinct = record.distinct[layer]
            svg = _histogram_svg(start, end, value_range)
            name = f"layer{layer + 1}"
            self.images[name] = svg_img_tag(
                svg,
                f"Hidden layer {layer + 1}: histogram of its {width} units' activations "
                f"over 200 points, at initialization (std {start.std():.3g}, "
                f"{first:.0%} saturated) and after training (std {end.std():.3g}, "
                f"{final:.0%} saturated).",
            )
            rows.append(
                f"<div>{self.images[name]}<br>layer {layer + 1}: saturated "
                f"{first:.0%} → {final:.0%}; distinct units {distinct} of {width}</div>"
            )
        self._loss_view.value = self.images["loss"]
        self._layers_view.value = "".join(rows)
