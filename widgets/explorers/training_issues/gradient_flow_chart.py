"""Gradient flow as an interactive figure that needs no kernel (Vega-Lite).

:func:`gradient_flow_chart` draws the gradient norm of every layer's weights,
:math:`\\lVert \\partial J / \\partial W_l \\rVert` for :math:`l = 1` (next to the
inputs) to the depth and then the output layer, at initialization, on a log axis: the
network of :class:`~.gradient_flow.GradientFlowExplorer` (hidden layers of
:data:`~.gradient_flow.WIDTH` units, weights :math:`N(0, \\text{gain}^2/\\text{fan-in})`,
biases 0, on :func:`~.gradient_flow.flow_data`, seed 0). Above the line it writes how
layer 1's gradient compares with the last hidden layer's,

.. math:: r = \\frac{\\lVert \\partial J/\\partial W_1 \\rVert}
                   {\\lVert \\partial J/\\partial W_{\\text{depth}} \\rVert},

as "1/k of" (:math:`k = 1/r`) when :math:`r < 1`, "k times" otherwise.

The depth (a slider), the activation (a dropdown) and the gain (radio buttons) are
Vega-Lite parameters. The norms are no formula the browser could evaluate, so
:func:`gradient_flow_grid` computes them with the explorer's engine function,
:func:`widgets.engine.landscape.gradient_flow` with ``steps=0`` (one forward and one
backward pass), for every setting the controls offer when the chart is made; the chart
embeds them rounded to :data:`DIGITS` significant digits (:func:`rounded`), with the two
lines of text of each setting written here in Python, and keeps the rows of the chosen
setting with a ``filter`` on the parameters.
"""

from __future__ import annotations

import numpy as np

from ...display.palette import GREY, NAVY
from ...display.vega import VegaChart, interactive_chart
from ...engine.landscape import gradient_flow
from ...engine.validation import check_choice, check_integer, check_number
from .gradient_flow import DEPTH_RANGE, FLOW_ACTIVATIONS, WIDTH, _sci, flow_data

__all__ = [
    "gradient_flow_chart",
    "gradient_flow_grid",
    "gradient_flow_rows",
    "initial_gradient_norms",
    "setting_key",
    "SETTING_EXPRESSION",
    "RATIO_MARK",
    "NORMS_DATA",
    "TEXTS_DATA",
    "NORMS_MARK",
    "flow_ratio_text",
    "rounded",
    "FLOW_CHART_GAINS",
    "FLOW_CHART_SEED",
    "DIGITS",
]

#: The gains offered by the chart's radio buttons: from the explorer's slider (powers of
#: 2 in quarter steps, rounded to 4 decimals as the explorer rounds them; 1.4142 is √2).
FLOW_CHART_GAINS = (0.5, 1.0, 1.4142, 2.0, 4.0)
#: The initial weights' seed of every network of the chart (the explorer's first one).
FLOW_CHART_SEED = 0
#: Significant digits of the embedded gradient norms.
DIGITS = 4
#: The y axis's fixed range (gradient norms), in decades: the same for every setting,
#: so that a change of setting moves the line instead of rescaling the axis.
Y_DECADES = (-20, 10)
#: The names of the two embedded tables (top-level ``datasets`` of the spec).
NORMS_DATA, TEXTS_DATA = "gradient_flow_norms", "gradient_flow_texts"
#: The names of the two text marks (the ratio's sentence, the three norms).
RATIO_MARK, NORMS_MARK = "flow_ratio", "flow_norms"
#: The Vega expression of the chosen setting's key (:func:`setting_key`).
SETTING_EXPRESSION = "depth + ' ' + activation + ' ' + gain"
_LABELS = {"logistic": "logistic", "tanh": "tanh", "relu": "ReLU", "leaky_relu": "leaky ReLU"}
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def rounded(value: float) -> float:
    """``value`` rounded to :data:`DIGITS` significant digits (as embedded in the chart)."""
    return float(f"{float(value):.{DIGITS}g}")


def initial_gradient_norms(X, Y, depth, activation, gain, seed=FLOW_CHART_SEED) -> np.ndarray:
    """Gradient norm of each layer's weights at initialization: ``depth + 1`` numbers.

    ``gradient_flow(X, Y, depth, WIDTH, activation, gain, steps=0, seed=seed).norms[0]``,
    the first row of what the explorer shows at this setting; empty if the forward or
    backward pass overflowed.
    """
    run = gradient_flow(
        X, Y, depth=depth, width=WIDTH, activation=activation, gain=gain, steps=0, seed=seed
    )
    return run.norms[0] if len(run.norms) else np.empty(0)


def gradient_flow_grid(depths=None, activations=FLOW_ACTIVATIONS, gains=FLOW_CHART_GAINS):
    """:func:`initial_gradient_norms` of every setting: ``{(depth, activation, gain): norms}``.

    Parameters
    ----------
    depths : iterable of int, default every depth of the explorer (2 to 20)
    activations : iterable of str, default :data:`~.gradient_flow.FLOW_ACTIVATIONS`
    gains : iterable of float, default :data:`FLOW_CHART_GAINS`
    """
    if depths is None:
        depths = range(DEPTH_RANGE[0], DEPTH_RANGE[1] + 1)
    X, Y = flow_data()
    return {
        (depth, activation, gain): initial_gradient_norms(X, Y, depth, activation, gain)
        for depth in depths
        for activation in activations
        for gain in gains
    }


def setting_key(depth: int, activation: str, gain: float) -> str:
    """The setting as the chart's rows name it, e.g. ``"10 relu 1.4142"``.

    The same string as the Vega expression :data:`SETTING_EXPRESSION` makes of the
    parameters (JavaScript writes the gains of :data:`FLOW_CHART_GAINS` as ``:g`` does).
    """
    return f"{depth} {activation} {gain:g}"


def _times(k: float) -> str:
    """``k`` to 3 significant digits below 1000, else as ``(m × 10ᵉ)`` with 2."""
    if k < 1000:
        return f"{k:.3g}"
    mantissa, exponent = f"{k:.1e}".split("e")
    return f"({mantissa} × 10{str(int(exponent)).translate(_SUPERSCRIPT)})"


def flow_ratio_text(norms, depth: int) -> str:
    """The sentence comparing layer 1's gradient norm with layer ``depth``'s.

    With :math:`r` = ``norms[0] / norms[depth - 1]``: "Layer 1's gradient is 1/k of
    layer depth's" with :math:`k = 1/r` if :math:`r < 1`, "… is r times layer depth's"
    otherwise (:math:`k` or :math:`r` to 3 significant digits below 1000, else as
    ":math:`(m \\times 10^e)`" with 2); ``norms`` as :func:`initial_gradient_norms`
    returns them.
    """
    if not len(norms):
        return "The gradient overflowed at initialization"
    first, last = float(norms[0]), float(norms[depth - 1])
    if last == 0:
        return f"Layer {depth}'s gradient is 0"
    ratio = first / last
    if ratio < 1:
        return f"Layer 1's gradient is 1/{_times(1 / ratio)} of layer {depth}'s"
    return f"Layer 1's gradient is {_times(ratio)} times layer {depth}'s"


def _norms_text(norms, depth: int) -> str:
    if not len(norms):
        return ""
    return (
        f"‖∂J/∂W‖: layer 1 {_sci(norms[0])}, layer {depth} {_sci(norms[depth - 1])}, "
        f"output {_sci(norms[depth])}"
    )


def gradient_flow_rows(grid: dict) -> tuple[list[dict], list[dict]]:
    """The chart's two embedded tables, from :func:`gradient_flow_grid`'s ``grid``.

    Returns
    -------
    norms : list of dict
        One row per setting and layer: ``s`` (the setting, :func:`setting_key`), ``l``
        (the layer: 1 to the depth, depth + 1 for the output layer) and ``n`` (its
        gradient norm, :func:`rounded`).
    texts : list of dict
        One row per setting: ``s``, ``ratio`` (:func:`flow_ratio_text`) and ``norms``
        (layer 1's, the last hidden layer's and the output's norms).
    """
    norms, texts = [], []
    for (depth, activation, gain), values in grid.items():
        key = {"s": setting_key(depth, activation, gain)}
        norms += [key | {"l": layer, "n": rounded(v)} for layer, v in enumerate(values, 1)]
        texts.append(
            key | {"ratio": flow_ratio_text(values, depth), "norms": _norms_text(values, depth)}
        )
    return norms, texts


def gradient_flow_chart(depth=10, activation="logistic", gain=1.0) -> VegaChart:
    """Per-layer gradient norms at initialization; depth, activation and gain are controls.

    Parameters
    ----------
    depth : int from 2 to 20, default 10
        The starting number of hidden layers.
    activation : {"logistic", "tanh", "relu", "leaky_relu"}, default "logistic"
        The starting activation of the hidden layers.
    gain : one of :data:`FLOW_CHART_GAINS`, default 1.0
        The starting gain of the initial weights, :math:`N(0, \\text{gain}^2/\\text{fan-in})`.
    """
    depth = check_integer(depth, "depth", *DEPTH_RANGE)
    activation = check_choice(activation, FLOW_ACTIVATIONS, "activation")
    gain = check_number(gain, "gain")
    if gain not in FLOW_CHART_GAINS:
        raise ValueError(
            f"gain must be one of {', '.join(map(str, FLOW_CHART_GAINS))}; got {gain!r}."
        )

    import altair as alt

    grid = gradient_flow_grid()
    norm_rows, text_rows = gradient_flow_rows(grid)
    params = [
        alt.param(
            name="depth",
            value=depth,
            bind=alt.binding_range(
                min=DEPTH_RANGE[0], max=DEPTH_RANGE[1], step=1, name="hidden layers"
            ),
        ),
        alt.param(
            name="activation",
            value=activation,
            bind=alt.binding_select(
                options=list(FLOW_ACTIVATIONS),
                labels=[_LABELS[a] for a in FLOW_ACTIVATIONS],
                name="activation",
            ),
        ),
        alt.param(
            name="gain",
            value=gain,
            bind=alt.binding_radio(
                options=list(FLOW_CHART_GAINS),
                labels=["√2" if g == 1.4142 else f"{g:g}" for g in FLOW_CHART_GAINS],
                name="gain (σ·√fan-in)",
            ),
        ),
    ]
    chosen = f"datum.s == {SETTING_EXPRESSION}"
    low, high = Y_DECADES
    x = alt.X(
        "l:O",
        title="layer (1 = next to the inputs, out = output layer)",
        axis=alt.Axis(labelAngle=0, labelExpr="datum.value > depth ? 'out' : datum.label"),
    )
    y = alt.Y(
        "n:Q",
        title="‖∂J/∂W‖ at initialization (log scale)",
        scale=alt.Scale(type="log", domain=[10.0**low, 10.0**high], nice=False, clamp=True),
        axis=alt.Axis(
            values=[10.0**e for e in range(low, high + 1, 5)],
            labelExpr="'1e' + round(log(datum.value) / LN10)",
        ),
    )
    layers = alt.Chart(alt.NamedData(name=NORMS_DATA)).transform_filter(chosen)
    line = layers.mark_line(color=NAVY, strokeWidth=2).encode(x=x, y=y)
    points = layers.mark_point(filled=True, size=60, opacity=1).encode(
        x=x,
        y=y,
        color=alt.condition("datum.l > depth", alt.value(GREY), alt.value(NAVY)),
        tooltip=[alt.Tooltip("l:O", title="layer"), alt.Tooltip("n:Q", title="norm", format=".3e")],
    )
    said = alt.Chart(alt.NamedData(name=TEXTS_DATA)).transform_filter(chosen)
    ratio = (
        said.mark_text(align="left", baseline="top", fontSize=14, fontWeight="bold")
        .encode(x=alt.value(0), y=alt.value(-46), text="ratio:N")
        .properties(name=RATIO_MARK)
    )
    values = (
        said.mark_text(align="left", baseline="top", fontSize=12)
        .encode(x=alt.value(0), y=alt.value(-24), text="norms:N")
        .properties(name=NORMS_MARK)
    )
    chart = (
        alt.layer(line, points, ratio, values).add_params(*params).properties(width=460, height=260)
    )

    norms = grid[(depth, activation, gain)]
    description = (
        "Line chart of the gradient norm of every layer's weights at initialization, "
        f"on a log axis from 1e{low} to 1e{high}, from layer 1 (next to the inputs) to "
        f"the output layer, for a network of hidden layers of {WIDTH} units on two "
        "moons, computed by the course's engine for every setting of the controls: the "
        "slider sets the number of hidden layers (2 to 20), the dropdown the activation, "
        "the radio buttons the gain of the initial weights. The text at the top compares "
        "layer 1's gradient with the last hidden layer's. It starts with "
        f"{depth} {_LABELS[activation]} layers, gain {gain:g}: "
        f"{flow_ratio_text(norms, depth)} ({_norms_text(norms, depth)})."
    )
    drawn = interactive_chart(chart, description)
    # The tables join the spec after Altair's schema check: they are plain rows of
    # strings and numbers, and checking their 5000 rows would take Altair seconds.
    datasets = {NORMS_DATA: norm_rows, TEXTS_DATA: text_rows}
    return VegaChart(drawn.spec | {"datasets": datasets})
