"""Output/loss pairings as an interactive figure that needs no kernel (Vega-Lite).

:func:`pairing_chart` draws, for one output unit and a target ``t``, the loss and the
error signal ``δ = −∂L/∂net`` of the three pairings of :data:`.pairing.PAIRINGS` as
curves over the net input (the logit) from −8 to 8, marks them at the net input of a
slider and writes each pairing's output, loss and error signal there. The net input,
the target and the pairing drawn in full (the other two are drawn faintly) are
Vega-Lite parameters; every number is computed in the browser by the Vega expressions
of :data:`PAIRING_EXPRESSIONS`, in the order of the engine's forward and backward pass
as :func:`widgets.explorers.outputs.pairing_sweep` runs them:

- sigmoid + squared error: ``z = 1 / (1 + exp(−net))``, ``L = ½ (z − t)²``,
  ``∂L/∂net = ((z − t) · z) · (1 − z)``;
- softmax + cross-entropy (two classes, logits ``net`` and 0): with ``m = max(net, 0)``,
  ``a = exp(net − m)``, ``b = exp(0 − m)``: ``z = a / (a + b)``,
  ``L = (0 − t ln z) + (0 − (1 − t) ln (b / (a + b)))`` (``0 ln 0 = 0``),
  ``∂L/∂net = z − t``;
- identity + squared error: ``z = net``, ``L = ½ (z − t)²``, ``∂L/∂net = z − t``;

and ``δ = 0 − ∂L/∂net``. ``tests/site/test_chart_pairing.py`` compares every drawn
point with the engine to 1e-9.
"""

from __future__ import annotations

from ...display.palette import DARK_GREY, GREY, NAVY, RED, TEAL
from ...display.vega import VegaChart, interactive_chart
from ...engine.validation import check_choice, check_number
from .pairing import PAIRINGS, pairing_sweep

__all__ = ["PAIRING_EXPRESSIONS", "PAIRING_CURVE_STEPS", "pairing_chart"]

#: The net inputs of the curves: ``i / 10`` for ``i`` from −80 to 80.
PAIRING_CURVE_STEPS = 10
NET_RANGE = (-8.0, 8.0)
TARGET_RANGE = (0.0, 1.0)
#: The loss and error-signal axes (the curves are clipped to them, as the explorer's).
LOSS_TOP = 3.0
DELTA_LIMIT = 1.25
#: Each pairing's colour, as in the pairing explorer.
COLOURS = dict(zip(PAIRINGS, (RED, NAVY, TEAL)))

_SIGMOID_SE, _SOFTMAX_CE, _IDENTITY_SE = PAIRINGS


def _xlogy(x: str, y: str) -> str:
    return f"({x} == 0 ? 0 : {x} * log({y}))"


#: The calculate transforms of a row, in order: ``datum.net`` is its net input,
#: ``datum.pairing`` its pairing; ``t`` is the target parameter.
PAIRING_EXPRESSIONS = {
    "m": "max(datum.net, 0)",
    "a": "exp(datum.net - datum.m)",
    "b": "exp(0 - datum.m)",
    "z": (
        f"datum.pairing == '{_IDENTITY_SE}' ? datum.net"
        f" : datum.pairing == '{_SOFTMAX_CE}' ? datum.a / (datum.a + datum.b)"
        " : 1 / (1 + exp(-datum.net))"
    ),
    "loss": (
        f"datum.pairing == '{_SOFTMAX_CE}'"
        f" ? (0 - {_xlogy('t', 'datum.z')})"
        f" + (0 - {_xlogy('(1 - t)', 'datum.b / (datum.a + datum.b)')})"
        " : 0.5 * ((datum.z - t) * (datum.z - t))"
    ),
    "gradient": (
        f"datum.pairing == '{_SIGMOID_SE}'"
        " ? ((datum.z - t) * datum.z) * (1 - datum.z) : datum.z - t"
    ),
    "delta": "0 - datum.gradient",
}


def pairing_chart(pairing=_SIGMOID_SE, target=1.0, net=-4.0) -> VegaChart:
    """Loss and error signal of each output/loss pairing over the net input, marked at one.

    Parameters
    ----------
    pairing : one of :data:`.pairing.PAIRINGS`, default "sigmoid + squared error"
        The pairing drawn in full at the start (the others are drawn faintly).
    target : float in [0, 1], default 1.0
        The starting target t.
    net : float in [-8, 8], default -4.0
        The starting net input marked on the curves.

    Returns
    -------
    VegaChart
        Displayed by a notebook cell; its description quotes each pairing's loss and
        error signal at the starting point, computed by the engine's back-propagation.
    """
    pairing = check_choice(pairing, PAIRINGS, "pairing")
    target = check_number(target, "target", *TARGET_RANGE)
    net = check_number(net, "net", *NET_RANGE)

    import altair as alt

    params = [
        alt.param(
            name="pairing",
            value=pairing,
            bind=alt.binding_radio(options=list(PAIRINGS), name="pairing"),
        ),
        alt.param(
            name="t",
            value=target,
            bind=alt.binding_range(
                min=TARGET_RANGE[0], max=TARGET_RANGE[1], step=0.05, name="target t"
            ),
        ),
        alt.param(
            name="net",
            value=net,
            bind=alt.binding_range(
                min=NET_RANGE[0], max=NET_RANGE[1], step=0.1, name="net input (logit)"
            ),
        ),
    ]
    names = ", ".join(f"'{p}'" for p in PAIRINGS)
    points = int(round((NET_RANGE[1] - NET_RANGE[0]) * PAIRING_CURVE_STEPS)) + 1
    low = int(round(NET_RANGE[0] * PAIRING_CURVE_STEPS))
    curves = (
        alt.Chart(alt.sequence(0, len(PAIRINGS) * points, as_="i"))
        .transform_calculate(
            pairing=f"[{names}][floor(datum.i / {points})]",
            net=f"(datum.i % {points} + {low}) / {PAIRING_CURVE_STEPS}",
        )
        .transform_calculate(**PAIRING_EXPRESSIONS)
    )
    marked = (
        alt.Chart(alt.Data(values=[{"pairing": p} for p in PAIRINGS]))
        .transform_calculate(net="net")
        .transform_calculate(**PAIRING_EXPRESSIONS)
    )
    colour = alt.Color(
        "pairing:N",
        title=None,
        sort=list(PAIRINGS),
        scale=alt.Scale(domain=list(PAIRINGS), range=[COLOURS[p] for p in PAIRINGS]),
        legend=alt.Legend(
            orient="top",
            symbolType="stroke",
            symbolOpacity=1,
            symbolStrokeWidth=3,
            labelFontSize=12,
        ),
    )
    no_frame = alt.ViewBackground(stroke=None)
    chosen = "datum.pairing == pairing"
    x = alt.X("net:Q", title="net input (logit)", scale=alt.Scale(domain=list(NET_RANGE)))
    rule = (
        alt.Chart(alt.Data(values=[{"at": "net"}]))
        .transform_calculate(net="net")
        .mark_rule(strokeDash=[3, 3], color=GREY)
        .encode(x=x)
    )

    def panel(field, title, domain, *below):
        # Vega names each mark "<name>_marks" (the tests read them by name).
        y = alt.Y(f"{field}:Q", title=title, scale=alt.Scale(domain=domain, nice=False))
        faint = (
            curves.mark_line(strokeWidth=1.5, opacity=0.35, clip=True)
            .encode(x=x, y=y, color=colour)
            .properties(name=f"{field}_faint")
        )
        full = (
            curves.transform_filter(chosen)
            .mark_line(strokeWidth=3, clip=True)
            .encode(x=x, y=y, color=colour)
            .properties(name=f"{field}_full")
        )
        dots = (
            marked.mark_point(filled=True, opacity=1, stroke=DARK_GREY, clip=True)
            .encode(
                x=x,
                y=y,
                color=colour,
                size=alt.condition(chosen, alt.value(120), alt.value(40)),
            )
            .properties(name=f"{field}_dots")
        )
        return alt.layer(*below, rule, faint, full, dots).properties(width=280, height=220)

    zero = (
        alt.Chart(alt.Data(values=[{"y": 0}]))
        .mark_rule(color=GREY, strokeWidth=0.5)
        .encode(y="y:Q")
    )
    loss_panel = panel("loss", "loss L", [0.0, LOSS_TOP])
    delta_panel = panel("delta", "error signal δ = −∂L/∂net", [-DELTA_LIMIT, DELTA_LIMIT], zero)
    written = marked.transform_calculate(
        text=(
            "datum.pairing + ':  z = ' + format(datum.z, '.3f')"
            " + ',  loss = ' + format(datum.loss, '.3f')"
            " + ',  δ = ' + format(datum.delta, '+.3f')"
        )
    )
    row = alt.Y("pairing:N", sort=list(PAIRINGS), axis=None)
    readout = alt.layer(
        written.transform_filter(chosen)
        .mark_text(align="left", baseline="middle", fontSize=13, fontWeight="bold")
        .encode(x=alt.value(0), y=row, text="text:N")
        .properties(name="values_chosen"),
        written.transform_filter(f"!({chosen})")
        .mark_text(align="left", baseline="middle", fontSize=13)
        .encode(x=alt.value(0), y=row, text="text:N")
        .properties(name="values_other"),
    ).properties(width=620, height=66, view=no_frame)
    heading = (
        alt.Chart(alt.Data(values=[{"at": "net"}]))
        .transform_calculate(
            text="'at net input ' + format(net, '.1f') + ', target t = ' + format(t, '.2f')"
        )
        .mark_text(align="left", baseline="top", fontSize=13, fontWeight="bold")
        .encode(x=alt.value(0), y=alt.value(0), text="text:N")
        .properties(name="heading", width=620, height=16, view=no_frame)
    )
    chart = alt.vconcat(
        heading, readout, alt.hconcat(loss_panel, delta_panel, spacing=24), spacing=4
    ).add_params(*params)

    at_net = {p: pairing_sweep(p, target, [net]) for p in PAIRINGS}
    values = "; ".join(
        f"{p}: loss {s.losses[0]:.3f}, error signal {s.deltas[0]:+.3f}" for p, s in at_net.items()
    )
    description = (
        "Two line charts against the net input (the logit) from −8 to 8, computed in the "
        "browser for one output unit: left the loss, right the error signal δ = −∂L/∂net "
        "(clipped at 3 and ±1.25), one curve per output/loss pairing (sigmoid + squared "
        "error red, softmax + cross-entropy navy, identity + squared error teal), the "
        "pairing chosen by the radio buttons drawn in full; the net input slider moves "
        "the marked points, the target slider changes every curve, and each pairing's "
        f"output, loss and error signal at the marked point are written above. It starts "
        f"at net {net:g} with target {target:g}: {values}."
    )
    return interactive_chart(chart, description)
