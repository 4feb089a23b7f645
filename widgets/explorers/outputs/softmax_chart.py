"""The softmax as an interactive figure that needs no kernel (Vega-Lite, in the browser).

:func:`softmax_chart` draws the probabilities of 3 or 4 classes as bars; the logits,
the number of classes and the temperature are sliders and radio buttons, and the
probabilities are computed in the browser by the Vega expressions of
:data:`SOFTMAX_EXPRESSIONS`, in the engine's order of operations
(:func:`widgets.engine.activations.softmax_with_temperature`: divide by ``T``,
subtract the largest, exponentiate, divide by the sum). ``tests/site/test_vega_values.py``
runs those expressions in Chromium and compares them with the engine.
"""

from __future__ import annotations

from ...display.palette import TEAL
from ...display.vega import VegaChart, interactive_chart
from ...engine.activations import softmax_with_temperature
from ...engine.validation import as_float_array, check_finite, check_integer, check_number

__all__ = ["SOFTMAX_EXPRESSIONS", "softmax_chart", "SOFTMAX_CHART_CLASSES"]

#: The most classes the figure draws (3 or 4 are offered).
SOFTMAX_CHART_CLASSES = 4
LOGIT_RANGE = (-5.0, 5.0)
TEMPERATURE_RANGE = (0.1, 5.0)

_SCALED = [f"z{k} / T" for k in range(1, SOFTMAX_CHART_CLASSES + 1)]
_LARGEST = f"(classes == 4 ? max({', '.join(_SCALED)}) : max({', '.join(_SCALED[:3])}))"

#: The calculate transforms, in order: each row is one class ``k`` (``datum.k``);
#: ``z1`` … ``z4``, ``T`` and ``classes`` are the controls' parameters.
SOFTMAX_EXPRESSIONS = {
    "z": "datum.k == 1 ? z1 : datum.k == 2 ? z2 : datum.k == 3 ? z3 : z4",
    "s": "datum.z / T",
    "largest": _LARGEST,
    "total": (
        " + ".join(f"exp({s} - datum.largest)" for s in _SCALED[:3])
        + f" + (classes == 4 ? exp({_SCALED[3]} - datum.largest) : 0)"
    ),
    "p": "exp(datum.s - datum.largest) / datum.total",
    "label": "format(datum.p, '.3f')",
}


def softmax_chart(logits=(0.0, 0.5, 1.0), temperature=1.0) -> VegaChart:
    """Bars of ``softmax(logits / T)`` with every logit and ``T`` on a control.

    Parameters
    ----------
    logits : sequence of 3 or 4 floats, default the lecture's (0, 0.5, 1)
        The starting logits, each in [-5, 5]; their number is the starting number of
        classes (a fourth logit starts at 0 when three are given).
    temperature : float, default 1.0
        The starting temperature, in [0.1, 5].

    Returns
    -------
    VegaChart
        Displayed by a notebook cell; its description quotes the starting
        probabilities, computed by the engine.
    """
    z = check_finite(as_float_array(logits, "logits", "a list of logits"), "logits")
    if z.ndim != 1:
        raise ValueError(f"logits must be a list of 3 or 4 numbers; got shape {z.shape}.")
    classes = check_integer(z.size, "the number of logits", 3, SOFTMAX_CHART_CLASSES)
    for value in z:
        check_number(float(value), "logits", *LOGIT_RANGE)
    temperature = check_number(temperature, "temperature", *TEMPERATURE_RANGE)

    import altair as alt

    start = [float(v) for v in z] + [0.0] * (SOFTMAX_CHART_CLASSES - classes)
    params = [
        alt.param(
            name=f"z{k + 1}",
            value=start[k],
            bind=alt.binding_range(
                min=LOGIT_RANGE[0], max=LOGIT_RANGE[1], step=0.1, name=f"logit net{k + 1}"
            ),
        )
        for k in range(SOFTMAX_CHART_CLASSES)
    ]
    params += [
        alt.param(
            name="classes",
            value=classes,
            bind=alt.binding_radio(options=[3, 4], name="classes"),
        ),
        alt.param(
            name="T",
            value=temperature,
            bind=alt.binding_range(
                min=TEMPERATURE_RANGE[0], max=TEMPERATURE_RANGE[1], step=0.1, name="temperature T"
            ),
        ),
    ]
    rows = [{"k": k, "class": f"class {k}"} for k in range(1, SOFTMAX_CHART_CLASSES + 1)]
    base = (
        alt.Chart(alt.Data(values=rows))
        .transform_filter("datum.k <= classes")
        .transform_calculate(**SOFTMAX_EXPRESSIONS)
    )
    x = alt.X("class:N", title=None, sort=None, axis=alt.Axis(labelAngle=0))
    y = alt.Y("p:Q", title="probability", scale=alt.Scale(domain=[0, 1]))
    bars = base.mark_bar(color=TEAL, size=48).encode(x=x, y=y)
    labels = base.mark_text(baseline="bottom", dy=-4, fontSize=13).encode(x=x, y=y, text="label:N")
    chart = alt.layer(bars, labels).add_params(*params).properties(width=360, height=220)

    p = softmax_with_temperature(z, temperature)
    description = (
        f"Bar chart of the softmax probabilities of {classes} classes, computed in the "
        "browser from the logits and the temperature set by the controls under it: "
        "probability of class k = exp(net_k / T) / sum over j of exp(net_j / T). "
        f"It starts with the logits {', '.join(f'{v:g}' for v in z)} at T = "
        f"{temperature:g}: probabilities {', '.join(f'{v:.3f}' for v in p)}. "
        "Each bar is labelled with its probability."
    )
    return interactive_chart(chart, description)
