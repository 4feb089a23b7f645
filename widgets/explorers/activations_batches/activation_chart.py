"""Activations and their derivatives as an interactive figure that needs no kernel.

:func:`activation_chart` draws f and f′ of one activation over net inputs −6 … 6 and
marks both at a chosen net input; the activation (a dropdown), leaky ReLU's slope and
the net input (sliders) are Vega-Lite parameters, and f and f′ are computed in the
browser by the Vega expressions of :func:`activation_expressions`, the formulas of
:func:`widgets.engine.schedules_batches.activation_value` and
:func:`~widgets.engine.schedules_batches.activation_derivative`
(``tests/site/test_vega_values.py`` compares the two in Chromium).
"""

from __future__ import annotations

from ...display.palette import RED, TEAL
from ...display.vega import VegaChart, interactive_chart
from ...engine.schedules_batches import (
    ACTIVATION_NAMES,
    activation_derivative,
    activation_value,
)
from ...engine.validation import check_choice, check_number
from .activation import LABELS, NET_RANGE

__all__ = ["activation_chart", "activation_expressions", "CURVE_STEP"]

#: Spacing of the net inputs at which the curves are computed.
CURVE_STEP = 0.05
SLOPE_RANGE = (0.0, 0.5)


def _branches(x: str) -> tuple[dict, dict]:
    """Vega expressions of f and f′ at the expression ``x``, one per activation."""
    x = f"({x})"
    # Vega's expression language has exp but no tanh: tanh from exp(−2|x|) (no overflow).
    e = f"exp(-2 * abs{x})"
    tanh = f"(({x} >= 0 ? 1 : -1) * (1 - {e}) / (1 + {e}))"
    logistic = f"(1 / (1 + exp(-{x})))"
    value = {
        "identity": x,
        "logistic": logistic,
        "tanh": tanh,
        "relu": f"max({x}, 0)",
        "leaky_relu": f"({x} > 0 ? {x} : slope * {x})",
        "sine": f"sin{x}",
    }
    slope = {
        "identity": "1",
        "logistic": f"({logistic} * (1 - {logistic}))",
        "tanh": f"(1 - {tanh} * {tanh})",
        "relu": f"({x} > 0 ? 1 : 0)",
        "leaky_relu": f"({x} > 0 ? 1 : slope)",
        "sine": f"cos{x}",
    }
    return value, slope


def _choose(branches: dict) -> str:
    names = list(ACTIVATION_NAMES)
    expression = f"({branches[names[-1]]})"
    for name in reversed(names[:-1]):
        expression = f"(fn == '{name}' ? ({branches[name]}) : {expression})"
    return expression


def activation_expressions(x: str = "datum.x") -> tuple[str, str]:
    """Vega expressions of f(x) and f′(x) for the activation named by the parameter ``fn``.

    identity: x, 1; logistic: s = 1 / (1 + exp(−x)), s(1 − s); tanh (from exp), 1 − tanh²;
    relu: max(x, 0), 1 if x > 0 else 0; leaky_relu: x if x > 0 else a·x (a is the
    parameter ``slope``), 1 if x > 0 else a; sine: sin x, cos x. At the kinks (x = 0)
    the derivative is taken from the left, as the engine does.

    Parameters
    ----------
    x : str
        A Vega expression for the net input (a field such as ``datum.x``, or a parameter).
    """
    if not isinstance(x, str) or not x.strip():
        raise TypeError("x must be a Vega expression (a non-empty string).")
    value, slope = _branches(x)
    return _choose(value), _choose(slope)


def activation_chart(function="logistic", slope=0.1, net=1.0) -> VegaChart:
    """f and f′ of an activation, marked at a net input; every choice is a control.

    Parameters
    ----------
    function : {"identity", "logistic", "tanh", "relu", "leaky_relu", "sine"}
        The starting activation (the dropdown offers all six).
    slope : float in [0, 0.5], default 0.1
        Leaky ReLU's starting slope a for negative inputs.
    net : float in [-6, 6], default 1.0
        The starting net input marked on the curves.
    """
    function = check_choice(function, ACTIVATION_NAMES, "function")
    slope = check_number(slope, "slope", *SLOPE_RANGE)
    net = check_number(net, "net", *NET_RANGE)

    import altair as alt

    params = [
        alt.param(
            name="fn",
            value=function,
            bind=alt.binding_select(
                options=list(ACTIVATION_NAMES),
                labels=[LABELS[n] for n in ACTIVATION_NAMES],
                name="activation",
            ),
        ),
        alt.param(
            name="slope",
            value=slope,
            bind=alt.binding_range(
                min=SLOPE_RANGE[0], max=SLOPE_RANGE[1], step=0.01, name="leaky slope a"
            ),
        ),
        alt.param(
            name="net",
            value=net,
            bind=alt.binding_range(min=NET_RANGE[0], max=NET_RANGE[1], step=0.1, name="net input"),
        ),
    ]
    f_curve, df_curve = activation_expressions("datum.x")
    f_net, df_net = activation_expressions("net")
    names = {"f": "f(net)", "df": "f′(net)"}
    colour = alt.Color(
        "curve:N",
        title=None,
        scale=alt.Scale(domain=list(names.values()), range=[TEAL, RED]),
        legend=alt.Legend(orient="top"),
    )
    x = alt.X("x:Q", title="net input", scale=alt.Scale(domain=list(NET_RANGE), nice=False))
    y = alt.Y("value:Q", title=None)
    name_of = f"datum.key == 'f' ? '{names['f']}' : '{names['df']}'"

    curves = (
        alt.Chart(alt.sequence(NET_RANGE[0], NET_RANGE[1] + CURVE_STEP / 2, CURVE_STEP, as_="x"))
        .transform_calculate(f=f_curve, df=df_curve)
        .transform_fold(["f", "df"])
        .transform_calculate(curve=name_of)
        .mark_line(strokeWidth=2)
        .encode(x=x, y=y, color=colour)
    )
    marked = (
        alt.Chart(alt.Data(values=[{"at": "net"}]))
        .transform_calculate(x="net", f=f_net, df=df_net)
        .transform_fold(["f", "df"])
        .transform_calculate(curve=name_of)
    )
    points = marked.mark_point(filled=True, size=90, opacity=1, stroke="black").encode(
        x=x, y=y, color=colour
    )
    rule = (
        alt.Chart(alt.Data(values=[{"at": "net"}]))
        .transform_calculate(x="net")
        .mark_rule(strokeDash=[3, 3], color="#777777")
        .encode(x=x)
    )
    readout = (
        alt.Chart(alt.Data(values=[{"at": "net"}]))
        .transform_calculate(
            f=f_net,
            df=df_net,
            text=(
                "'at net ' + format(net, '.1f') + ':  f = ' + format(datum.f, '.3f')"
                " + ',  f′ = ' + format(datum.df, '.3f')"
            ),
        )
        .mark_text(align="left", baseline="top", fontSize=13)
        .encode(x=alt.value(4), y=alt.value(4), text="text:N")
    )
    chart = (
        alt.layer(rule, curves, points, readout)
        .add_params(*params)
        .properties(width=420, height=240)
    )

    f0 = float(activation_value(function, net, slope))
    d0 = float(activation_derivative(function, net, slope))
    description = (
        "Line chart of an activation f (teal) and its derivative f′ (red) for net inputs "
        "from −6 to 6, computed in the browser, with both marked at the net input chosen "
        "by the slider under it and their values written at the top left. The dropdown "
        "picks the activation; the leaky slope slider changes leaky ReLU only. It starts "
        f"with the {LABELS[function]} at net {net:g}: f = {f0:.3f}, f′ = {d0:.3f}."
    )
    return interactive_chart(chart, description)
