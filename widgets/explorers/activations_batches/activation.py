"""Chapter 9's activation explorer: f and f′, their product over k layers, dead ReLUs.

:class:`ActivationExplorer` draws f and f′ of one activation (identity, logistic, tanh,
ReLU, leaky ReLU with a slope slider, sine) over net inputs −6 … 6, marks f(net) and
f′(net) at the net-input slider, and plots f′(net)ᵏ against the number of layers k (the
factor k layers contribute to a back-propagated error, weights aside). Below, the
share of dead units measured in ReLU networks trained on digits
(:func:`widgets.engine.schedules_batches.dead_unit_survey`, five seeds), at a
training learning rate of the learner's choice; each survey is cached.
"""

from __future__ import annotations

import ipywidgets as ipw
import numpy as np

from widgets.display import Explorer
from widgets.display.controls import control_look, slider_look
from widgets.display.figures import new_figure
from widgets.display.images import figure_png, png_img_tag
from widgets.display.palette import GREY, NAVY, RED, TEAL
from widgets.engine.schedules_batches import (
    ACTIVATION_NAMES,
    activation_derivative,
    activation_value,
    check_option,
    dead_unit_survey,
)
from widgets.engine.validation import check_choice, check_integer, check_number

__all__ = ["ActivationExplorer", "SURVEY_RATES", "cached_survey", "NET_RANGE", "MAX_LAYERS"]

#: Net inputs drawn and reachable with the slider.
NET_RANGE = (-6.0, 6.0)
#: Most layers in the f′ᵏ panel.
MAX_LAYERS = 20
#: Training learning rates offered for the dead-unit survey.
SURVEY_RATES = (0.01, 0.1, 0.3, 1.0)
#: Seeds of each survey.
SURVEY_SEEDS = (0, 1, 2, 3, 4)
#: Labels of the activations in the dropdown.
LABELS = {
    "identity": "identity",
    "logistic": "logistic (sigmoid)",
    "tanh": "tanh",
    "relu": "ReLU",
    "leaky_relu": "leaky ReLU",
    "sine": "sine",
}

_SURVEYS: dict = {}


def cached_survey(learning_rate):
    """:func:`dead_unit_survey` at ``learning_rate`` (five seeds), computed once."""
    key = float(learning_rate)
    if key not in _SURVEYS:
        _SURVEYS[key] = dead_unit_survey(key, SURVEY_SEEDS)
    return _SURVEYS[key]


def _fmt(value: float) -> str:
    if value == 0:
        return "0"
    if 1e-3 <= abs(value) < 1e4:
        return f"{value:.3f}"
    return f"{value:.2e}"


class ActivationExplorer(Explorer):
    """f, f′ and f′ᵏ of one activation at a chosen net input; dead ReLU units.

    Controls: ``function`` (identity, logistic, tanh, relu, leaky_relu, sine),
    ``slope`` (leaky ReLU's slope a for negative inputs, 0 to 0.5; only leaky ReLU
    uses it), ``net`` (the net input marked, −6 to 6), ``layers`` (k, 1 to 20) and
    ``survey_rate`` (the learning rate of the ReLU networks whose dead units are
    counted).
    """

    deferred_controls = ("slope",)

    def __init__(self, function="logistic", slope=0.1, net=1.0, layers=5, survey_rate=0.1):
        self._start = {
            "function": check_choice(function, ACTIVATION_NAMES, "function"),
            "slope": check_number(slope, "slope", 0.0, 0.5),
            "net": check_number(net, "net", *NET_RANGE),
            "layers": check_integer(layers, "layers", 1, MAX_LAYERS),
            "survey_rate": check_option(survey_rate, SURVEY_RATES, "survey_rate"),
        }
        self.figure = ipw.HTML()
        self.survey_view = ipw.HTML()
        self.setting = None
        self._figures: dict = {}
        super().__init__()

    def _build_controls(self) -> dict:
        s = self._start
        look, common = control_look("9em"), slider_look("9em")
        return {
            "function": ipw.Dropdown(
                options=[(LABELS[n], n) for n in ACTIVATION_NAMES],
                value=s["function"],
                description="activation",
                **look,
            ),
            "slope": ipw.FloatSlider(
                value=s["slope"],
                min=0.0,
                max=0.5,
                step=0.01,
                description="leaky slope a",
                **common,
            ),
            "net": ipw.FloatSlider(
                value=s["net"],
                min=NET_RANGE[0],
                max=NET_RANGE[1],
                step=0.1,
                description="net input",
                **common,
            ),
            "layers": ipw.IntSlider(
                value=s["layers"], min=1, max=MAX_LAYERS, description="layers k", **common
            ),
            "survey_rate": ipw.Dropdown(
                options=list(SURVEY_RATES),
                value=s["survey_rate"],
                description="dead units at η",
                **look,
            ),
        }

    def _build_outputs(self) -> list:
        return [self.figure, self.survey_view]

    # ------------------------------------------------------------------ model

    def _read(self, names) -> None:
        c = {name: control.value for name, control in self.controls.items()}
        setting = (
            check_choice(c["function"], ACTIVATION_NAMES, "function"),
            round(check_number(c["slope"], "slope", 0.0, 1.0), 4),
            round(check_number(c["net"], "net", *NET_RANGE), 4),
            check_integer(c["layers"], "layers", 1, MAX_LAYERS),
            check_option(c["survey_rate"], SURVEY_RATES, "survey_rate"),
        )
        cached_survey(setting[4])
        self.setting = setting

    @property
    def values(self) -> tuple:
        """``(f(net), f′(net), f′(net)ᵏ)`` at the current setting, from the engine."""
        name, slope, net, k, _ = self.setting
        f = float(activation_value(name, net, slope))
        d = float(activation_derivative(name, net, slope))
        return f, d, d**k

    @property
    def survey(self):
        return cached_survey(self.setting[4])

    @property
    def status(self) -> str:
        name, slope, net, k, _ = self.setting
        f, d, product = self.values
        label = LABELS[name] + (f" (a = {slope:g})" if name == "leaky_relu" else "")
        return (
            f"{label} at net {net:.2f}: f = {_fmt(f)}, f′ = {_fmt(d)}; "
            f"over {k} layer{'s' if k > 1 else ''}, f′ᵏ = {_fmt(product)}"
        )

    # ------------------------------------------------------------------ drawing

    def _draw(self) -> None:
        name, slope, net, k, _ = self.setting
        key = (name, slope if name == "leaky_relu" else None, net, k)
        if key not in self._figures:
            self._figures[key] = self._figure()
        self.images = {"activation": png_img_tag(*self._figures[key])}
        self.figure.value = self.images["activation"]
        self.survey_view.value = self._survey_html()

    def _figure(self):
        name, slope, net, k, _ = self.setting
        f, d, product = self.values
        z = np.linspace(*NET_RANGE, 481)
        figure = new_figure(6.8, 2.6, layout="constrained")
        left, middle, right = figure.subplots(1, 3)
        for ax, values, colour, mark, title in (
            (left, activation_value(name, z, slope), NAVY, f, "f(net)"),
            (middle, activation_derivative(name, z, slope), RED, d, "f′(net)"),
        ):
            ax.plot(z, values, color=colour, linewidth=2)
            ax.axvline(net, color=GREY, linestyle=":", linewidth=1)
            ax.plot([net], [mark], "o", color=colour, markersize=7, markeredgecolor="black")
            ax.set_title(f"{title} = {_fmt(mark)}", fontsize=10)
            ax.set_xlabel("net input", fontsize=10)
            ax.tick_params(labelsize=9)
            ax.axhline(0, color=GREY, linewidth=0.6)
        middle.set_ylim(min(-1.1, middle.get_ylim()[0]), max(1.1, middle.get_ylim()[1]))
        layers = np.arange(1, MAX_LAYERS + 1)
        powers = np.abs(float(activation_derivative(name, net, slope)) ** layers)
        if powers[0] == 0:
            right.text(
                0.5,
                0.5,
                "f′ = 0: the product\nis 0 for every k",
                transform=right.transAxes,
                ha="center",
                va="center",
                fontsize=10,
            )
            right.set_yscale("log")
            right.set_ylim(1e-12, 10)
        else:
            floor = max(1e-30, min(powers.min(), 1.0) / 10)
            right.plot(layers, powers, "-", color=TEAL, linewidth=1.5)
            right.plot([k], [abs(product)], "o", color=TEAL, markeredgecolor="black")
            right.set_yscale("log")
            right.set_ylim(floor, max(10.0, powers.max() * 10))
        right.set_xlabel("layers k", fontsize=10)
        right.set_title(f"|f′|ᵏ at k = {k}: {_fmt(abs(product))}", fontsize=10)
        right.tick_params(labelsize=9)
        alt = (
            f"{LABELS[name]}: f and f′ for net inputs −6 to 6, marked at net {net:.2f} "
            f"(f = {_fmt(f)}, f′ = {_fmt(d)}), and |f′(net)| to the power k for k = 1 to "
            f"{MAX_LAYERS}, {_fmt(abs(product))} at k = {k}."
        )
        return figure_png(figure), alt

    def _survey_html(self) -> str:
        s = self.survey
        shares = ", ".join(f"{100 * v:.0f}%" for v in s.shares)
        return (
            '<p style="font-size:14px;max-width:40em">Dead units (net input ≤ 0 for '
            f"all 1,000 training digits) in a ReLU network of 64 hidden units trained "
            f"30 epochs at η = {s.learning_rate:g}, seeds 0–{len(s.seeds) - 1}: "
            f"<b>{shares}</b> (mean {100 * s.mean:.1f}%).</p>"
        )
