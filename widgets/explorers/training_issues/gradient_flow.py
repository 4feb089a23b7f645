"""Chapter 8's gradient-flow explorer: how big is each layer's gradient?

:class:`GradientFlowExplorer` builds a deep network (2 to 20 hidden layers of 16 units,
weights ``N(0, gain²/fan_in)``, biases 0) on two moons and shows the norm of the loss
gradient of every layer's weights, on a log scale, at initialization and after 10 steps
of full-batch gradient descent (:func:`widgets.engine.landscape.gradient_flow`; the
gradients are the engine's back-propagation). Deep logistic networks show vanishing
gradients, large gains exploding ones (the run then diverges, and the explorer says
so), ReLU with gain √2 a steady flow. Runs are cached per setting.
"""

from __future__ import annotations

import math

import ipywidgets as ipw
import numpy as np

from widgets.display import Explorer
from widgets.display.controls import control_look, slider_look
from widgets.display.figures import new_figure
from widgets.display.images import figure_png, png_img_tag
from widgets.display.palette import ERROR, GREY, NAVY
from widgets.engine.landscape import gradient_flow
from widgets.engine.sweeps import make_dataset
from widgets.engine.validation import check_choice, check_integer, check_number

__all__ = ["GradientFlowExplorer", "FLOW_ACTIVATIONS", "flow_data", "STEPS", "WIDTH"]

FLOW_ACTIVATIONS = ("logistic", "tanh", "relu", "leaky_relu")
WIDTH = 16
STEPS = 10
LEARNING_RATE = 0.1
GAIN_RANGE = (0.25, 4.0)
DEPTH_RANGE = (2, 20)


def flow_data():
    """Two moons, 200 points, noise 0.2; targets as a column of 0/1."""
    X, y, _, _ = make_dataset("moons", 0.2, 200, 10, 0)
    return X, y.reshape(-1, 1).astype(float)


def _sci(value: float) -> str:
    return "0" if value == 0 else f"{value:.1e}"


class GradientFlowExplorer(Explorer):
    """Per-layer gradient norms of a deep network at initialization and after 10 steps.

    Controls: ``depth`` (hidden layers, 2 to 20), ``activation`` (logistic, tanh, relu,
    leaky_relu), ``gain`` (weights drawn from ``N(0, gain²/fan_in)``, 0.25 to 4) and
    ``seed`` (initial weights).
    """

    def __init__(self, depth=10, activation="logistic", gain=1.0, seed=0):
        self._start = {
            "depth": check_integer(depth, "depth", *DEPTH_RANGE),
            "activation": check_choice(activation, FLOW_ACTIVATIONS, "activation"),
            "gain": check_number(gain, "gain", *GAIN_RANGE),
            "seed": check_integer(seed, "seed", 0, 4),
        }
        self.X, self.Y = flow_data()
        self._cache: dict = {}
        self.run = None
        self._setting = None
        self.figure = ipw.HTML()
        super().__init__()

    # ------------------------------------------------------------------ controls

    def _build_controls(self) -> dict:
        start = self._start
        look, common = control_look("9em"), slider_look("9em")
        return {
            "depth": ipw.IntSlider(
                value=start["depth"],
                min=DEPTH_RANGE[0],
                max=DEPTH_RANGE[1],
                description="hidden layers",
                **common,
            ),
            "activation": ipw.Dropdown(
                options=list(FLOW_ACTIVATIONS),
                value=start["activation"],
                description="activation",
                **look,
            ),
            "gain": ipw.FloatLogSlider(
                value=start["gain"],
                base=2,
                min=math.log2(GAIN_RANGE[0]),
                max=math.log2(GAIN_RANGE[1]),
                step=0.25,
                readout_format=".3g",
                description="gain (σ·√fan_in)",
                **common,
            ),
            "seed": ipw.IntSlider(value=start["seed"], min=0, max=4, description="seed", **common),
        }

    def _build_outputs(self) -> list:
        return [self.figure]

    # ------------------------------------------------------------------ model

    def _read(self, names) -> None:
        c = {name: control.value for name, control in self.controls.items()}
        setting = (
            check_integer(c["depth"], "depth", *DEPTH_RANGE),
            check_choice(c["activation"], FLOW_ACTIVATIONS, "activation"),
            round(check_number(c["gain"], "gain", low=0, low_inclusive=False), 4),
            check_integer(c["seed"], "seed", low=0),
        )
        if setting not in self._cache:
            depth, activation, gain, seed = setting
            run = gradient_flow(
                self.X,
                self.Y,
                depth=depth,
                width=WIDTH,
                activation=activation,
                gain=gain,
                steps=STEPS,
                learning_rate=LEARNING_RATE,
                seed=seed,
            )
            self._cache[setting] = {"run": run, "figure": None}
        self._setting = setting
        self.run = self._cache[setting]["run"]

    @property
    def diverged(self):
        return self.run is not None and self.run.diverged_at is not None

    @property
    def ratio(self) -> float | None:
        """Gradient norm of the first layer over the last hidden layer's, at init (or None)."""
        if not len(self.run.norms) or self.run.norms[0, -2] == 0:
            return None
        return float(self.run.norms[0, 0] / self.run.norms[0, -2])

    @property
    def status(self) -> str:
        depth, activation, gain, _ = self._setting
        run = self.run
        head = f"{activation}, {depth} hidden layers, gain {gain:.3g}: "
        if not len(run.norms):
            return head + "diverged at initialization (the gradient overflowed)"
        first, last, out = run.norms[0, 0], run.norms[0, -2], run.norms[0, -1]
        text = (
            head + f"at init, gradient norm layer 1 {_sci(first)}, layer {depth} "
            f"{_sci(last)}, output {_sci(out)}"
        )
        ratio = self.ratio
        if ratio is not None and ratio > 0:
            text += f" (layer 1 / layer {depth}: {_sci(ratio)})"
        if run.diverged_at is not None:
            return text + f"; diverged at step {run.diverged_at}"
        return text + f"; loss {run.losses[0]:.3f} → {run.losses[-1]:.3f} after {STEPS} steps"

    # ------------------------------------------------------------------ drawing

    def _draw(self) -> None:
        entry = self._cache[self._setting]
        if entry["figure"] is None:
            entry["figure"] = self._figure()
        self.images = {"flow": png_img_tag(*entry["figure"])}
        self.figure.value = self.images["flow"]

    def _figure(self):
        depth, activation, gain, _ = self._setting
        run = self.run
        layers = np.arange(1, depth + 2)
        figure = new_figure(6.8, 2.9, layout="constrained")
        ax = figure.add_subplot()
        floor = 1e-30
        if len(run.norms):
            ax.plot(layers, np.maximum(run.norms[0], floor), "o-", color=GREY, label="at init")
            if len(run.norms) > 1:
                steps = len(run.norms) - 1
                ax.plot(
                    layers,
                    np.maximum(run.norms[-1], floor),
                    "s-",
                    color=NAVY,
                    label=f"after {steps} steps",
                )
            ax.set_yscale("log")
            ax.legend(fontsize=9, loc="best", frameon=False)
        if run.diverged_at is not None:
            ax.text(
                0.5,
                0.05,
                f"diverged at step {run.diverged_at}",
                transform=ax.transAxes,
                ha="center",
                color=ERROR,
                fontsize=11,
            )
        ticks = [1, *range(5, depth + 1, 5), depth + 1]
        ax.set_xticks(sorted(set(ticks)), [*map(str, sorted(set(ticks) - {depth + 1})), "out"])
        ax.set_xlabel("layer (1 = next to the inputs, out = output layer)", fontsize=10)
        ax.set_ylabel("‖∂J/∂W‖ (log scale)", fontsize=10)
        ax.set_title(
            f"{activation}, {depth} hidden layers of {WIDTH}, gain {gain:.3g}", fontsize=10
        )
        ax.tick_params(labelsize=9)
        if len(run.norms):
            first, last = run.norms[0, 0], run.norms[0, -2]
            alt = (
                f"Gradient norm of each of {depth + 1} layers on a log scale, {activation} "
                f"with gain {gain:.3g}: at initialization {_sci(first)} at layer 1 and "
                f"{_sci(last)} at layer {depth}, {_sci(run.norms[0, -1])} at the output."
            )
            if run.diverged_at is not None:
                alt += f" The run diverged at step {run.diverged_at}."
            else:
                alt += (
                    f" After {len(run.norms) - 1} steps: {_sci(run.norms[-1, 0])} at layer 1, "
                    f"{_sci(run.norms[-1, -2])} at layer {depth}."
                )
        else:
            alt = "No gradient to show: the run diverged at initialization."
        return figure_png(figure), alt
