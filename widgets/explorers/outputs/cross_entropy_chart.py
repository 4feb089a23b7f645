"""Cross-entropy, term by term, as an interactive figure that needs no kernel (Vega-Lite).

:func:`cross_entropy_chart` draws, for four classes, the target ``t``, the prediction
``z`` and each term ``−t ln z`` as bars, lists them in a small table, and writes the
total ``H(t, z)`` with its split into the target's entropy ``H(t)`` and the KL gap.
The controls are Vega-Lite parameters: four raw predictions (sliders, normalised in the
browser: ``z_k = q_k / (q_1 + q_2 + q_3 + q_4)``), the target class (radio buttons), a
softening of the target (``t = (1 − ε)·one-hot + ε/4``) and the unit (nats or bits).
Every number is computed in the browser by the Vega expressions of
:data:`CROSS_ENTROPY_EXPRESSIONS` and :data:`CROSS_ENTROPY_TOTALS`, in the order of
:func:`widgets.explorers.outputs.cross_entropy_table` (the cross-entropy explorer's
table):

.. math:: \\text{term}_k = (0 - t_k \\ln z_k) \\cdot c, \\qquad
          H(t, z) = \\sum_k \\text{term}_k, \\qquad
          H(t) = -c \\sum_k t_k \\ln t_k, \\qquad
          D_{KL} = c \\sum_k (t_k \\ln t_k - t_k \\ln z_k)

with ``0 ln 0 = 0`` (SciPy's ``xlogy``) and ``c = 1`` (nats) or ``1 / ln 2`` (bits).
The engine's :func:`~widgets.engine.losses.cross_entropy_terms` does not clip, and no
clipping is needed here: a raw prediction is at least 0.01, so every ``z`` is in
(0, 1). ``tests/site/test_chart_cross_entropy.py`` compares the drawn numbers with the
engine to 1e-9.
"""

from __future__ import annotations

import numpy as np

from ...display.palette import AMBER, NAVY, RED
from ...display.vega import VegaChart, interactive_chart
from ...engine.validation import (
    as_float_array,
    check_choice,
    check_finite,
    check_integer,
    check_number,
)
from .cross_entropy import UNITS, cross_entropy_table

__all__ = [
    "CROSS_ENTROPY_CHART_CLASSES",
    "CROSS_ENTROPY_EXPRESSIONS",
    "CROSS_ENTROPY_TOTALS",
    "chart_target",
    "cross_entropy_chart",
]

#: The number of classes the figure draws.
CROSS_ENTROPY_CHART_CLASSES = 4
#: The range of a raw (not yet normalised) prediction: above 0, so that ln z is finite.
RAW_RANGE = (0.01, 1.0)
#: The range of the target's softening ε.
SOFT_RANGE = (0.0, 1.0)
#: The three quantities drawn for each class, by field, as the legend and table name them.
QUANTITIES = {"t": "target t", "z": "prediction z", "term": "−t ln z"}

_CLASSES = CROSS_ENTROPY_CHART_CLASSES
_XLOGY_TZ = "(datum.t == 0 ? 0 : datum.t * log(datum.z))"
_XLOGY_TT = "(datum.t == 0 ? 0 : datum.t * log(datum.t))"

#: The calculate transforms of each class's row, in order (``datum.k`` is the class,
#: 1 to 4; ``q1`` … ``q4``, ``target``, ``soft`` and ``unit`` are the parameters).
CROSS_ENTROPY_EXPRESSIONS = {
    "q": "datum.k == 1 ? q1 : datum.k == 2 ? q2 : datum.k == 3 ? q3 : q4",
    "z": "datum.q / (" + " + ".join(f"q{k}" for k in range(1, _CLASSES + 1)) + ")",
    "t": f"(datum.k == target ? 1 - soft : 0) + soft / {_CLASSES}",
    "factor": "unit == 'bits' ? 1 / log(2) : 1",
    "term": f"(0 - {_XLOGY_TZ}) * datum.factor",
    "t_ln_t": _XLOGY_TT,
    "gap_term": f"{_XLOGY_TT} - {_XLOGY_TZ}",
}

#: After summing ``term``, ``t_ln_t`` and ``gap_term`` over the classes (fields
#: ``total``, ``sum_t_ln_t``, ``sum_gap``): the target's entropy and the KL gap.
CROSS_ENTROPY_TOTALS = {
    "entropy": "(0 - datum.sum_t_ln_t) * datum.factor",
    "kl": "datum.sum_gap * datum.factor",
}


def chart_target(target_class, soft, classes=CROSS_ENTROPY_CHART_CLASSES) -> np.ndarray:
    """The chart's target: ``t = (1 − ε)·one-hot(target_class) + ε / classes``.

    Computed in the browser's order: ``(1 − ε) + ε/classes`` for the target class and
    ``0 + ε/classes`` for the others.

    Parameters
    ----------
    target_class : int
        The correct class, 1 to ``classes``.
    soft : float
        ε in [0, 1]: 0 is the one-hot target, 1 the uniform one.
    classes : int, default 4
    """
    classes = check_integer(classes, "classes", 2, None)
    target_class = check_integer(target_class, "target_class", 1, classes)
    soft = check_number(soft, "soft", *SOFT_RANGE)
    return np.array(
        [((1 - soft) if k == target_class else 0) + soft / classes for k in range(1, classes + 1)]
    )


def cross_entropy_chart(
    predictions=(0.2, 0.5, 0.2, 0.1), target_class=2, soft=0.0, unit="nats"
) -> VegaChart:
    """Bars and a table of ``t``, ``z`` and ``−t ln z`` for four classes, and their total.

    Parameters
    ----------
    predictions : sequence of 4 floats, default (0.2, 0.5, 0.2, 0.1)
        The starting raw predictions, each in [0.01, 1]; the chart divides them by
        their sum.
    target_class : int, default 2
        The starting correct class, 1 to 4.
    soft : float, default 0.0
        The starting softening ε of the target, in [0, 1].
    unit : {"nats", "bits"}, default "nats"

    Returns
    -------
    VegaChart
        Displayed by a notebook cell; its description quotes the starting terms and
        total, computed by the engine.
    """
    q = check_finite(
        as_float_array(predictions, "predictions", "a list of 4 numbers"), "predictions"
    )
    if q.shape != (_CLASSES,):
        raise ValueError(f"predictions must be a list of {_CLASSES} numbers; got shape {q.shape}.")
    for value in q:
        check_number(float(value), "predictions", *RAW_RANGE)
    target = chart_target(target_class, soft)
    unit = check_choice(unit, UNITS, "unit")

    import altair as alt

    no_frame = alt.ViewBackground(stroke=None)
    params = [
        alt.param(
            name=f"q{k + 1}",
            value=float(q[k]),
            bind=alt.binding_range(
                min=RAW_RANGE[0], max=RAW_RANGE[1], step=0.01, name=f"raw prediction {k + 1}"
            ),
        )
        for k in range(_CLASSES)
    ]
    params += [
        alt.param(
            name="target",
            value=int(target_class),
            bind=alt.binding_radio(options=list(range(1, _CLASSES + 1)), name="target class"),
        ),
        alt.param(
            name="soft",
            value=float(soft),
            bind=alt.binding_range(
                min=SOFT_RANGE[0], max=SOFT_RANGE[1], step=0.05, name="soften target ε"
            ),
        ),
        alt.param(
            name="unit", value=unit, bind=alt.binding_radio(options=list(UNITS), name="unit")
        ),
    ]
    rows = [{"k": k, "class": f"class {k}"} for k in range(1, _CLASSES + 1)]
    per_class = (
        alt.Chart(alt.Data(values=rows))
        .transform_calculate(**CROSS_ENTROPY_EXPRESSIONS)
        .transform_joinaggregate(
            total="sum(term)", sum_t_ln_t="sum(t_ln_t)", sum_gap="sum(gap_term)"
        )
        .transform_calculate(**CROSS_ENTROPY_TOTALS)
    )
    quantity_of = (
        " : ".join(
            f"datum.key == '{field}' ? '{name}'" for field, name in list(QUANTITIES.items())[:-1]
        )
        + f" : '{QUANTITIES['term']}'"
    )
    folded = per_class.transform_fold(list(QUANTITIES)).transform_calculate(
        quantity=quantity_of, text="format(datum.value, '.3f')"
    )
    order = list(QUANTITIES.values())
    colour = alt.Color(
        "quantity:N",
        title=None,
        sort=order,
        scale=alt.Scale(domain=order, range=[NAVY, AMBER, RED]),
        legend=alt.Legend(orient="top"),
    )
    bars = (
        folded.mark_bar()
        .encode(
            x=alt.X("class:N", title=None, sort=None, axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("quantity:N", sort=order),
            y=alt.Y("value:Q", title="t and z; −t ln z in the unit"),
            color=colour,
        )
        .properties(name="bars", width=300, height=220)
    )
    table = (
        folded.mark_text(fontSize=13, align="right", dx=24)
        .encode(
            x=alt.X(
                "quantity:N",
                sort=order,
                title=None,
                axis=alt.Axis(
                    orient="top", labelAngle=0, ticks=False, domain=False, labelFontSize=12
                ),
            ),
            y=alt.Y(
                "class:N",
                sort=None,
                title=None,
                axis=alt.Axis(ticks=False, domain=False, labelFontSize=12),
            ),
            text="text:N",
        )
        .properties(name="table", width=240, height=120, view=no_frame)
    )
    readout = (
        per_class.transform_filter("datum.k == 1")
        .transform_calculate(
            text=(
                "'cross-entropy H(t, z) = ' + format(datum.total, '.3f') + ' ' + unit"
                " + '  =  H(t) ' + format(datum.entropy, '.3f')"
                " + '  +  KL gap ' + format(datum.kl, '.3f')"
            )
        )
        .mark_text(align="left", baseline="top", fontSize=14, fontWeight="bold")
        .encode(x=alt.value(0), y=alt.value(4), text="text:N")
        .properties(name="total", width=560, height=24, view=no_frame)
    )
    chart = alt.vconcat(readout, alt.hconcat(bars, table, spacing=30), spacing=6).add_params(
        *params
    )

    z = q / q.sum()
    numbers = cross_entropy_table(target, z, unit)
    description = (
        "Grouped bar chart of four classes, with a table beside it: for each class the "
        "target t (navy), the prediction z (amber) and the cross-entropy term −t ln z "
        "(red), computed in the browser; above them the total H(t, z), split into the "
        "target's entropy H(t) and the KL gap. Four sliders set raw predictions, which "
        "are divided by their sum; radio buttons choose the target class and the unit; "
        "a slider softens the target to (1 − ε)·one-hot + ε/4. It starts with "
        f"predictions {', '.join(f'{v:.3f}' for v in z)}, target "
        f"{', '.join(f'{v:g}' for v in target)}: terms "
        f"{', '.join(f'{v:.3f}' for v in numbers.terms)} {unit}, total "
        f"{numbers.total:.3f} = H(t) {numbers.target_entropy:.3f} + KL "
        f"{numbers.gap:.3f} {unit}."
    )
    return interactive_chart(chart, description)
