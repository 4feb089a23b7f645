"""Gradient descent as an interactive figure that needs no kernel (Vega-Lite, in the browser).

:func:`descent_chart` draws the descent path on the contour map of the explorer's loss
surface (:func:`~.surface.line_fit_surface`) and the loss after each step. Its controls
are Vega-Lite parameters: the learning rate (a slider over ``log10 η₀``, on the grid
:data:`LOG10_RATES`), the decay (radio buttons, :data:`DECAYS`) and the number of steps
(a slider, 1 to :data:`MAX_STEPS`).

A descent path is not a closed formula, so nothing is computed in the browser: when the
notebook runs, the engine's :func:`~.surface.gradient_descent` is run once for every
(rate, decay) of the grid for :data:`MAX_STEPS` steps (:func:`descent_runs`), and the
runs are embedded, their numbers rounded to :data:`DIGITS` significant digits
(:func:`embedded_runs`). The browser only picks the run of the chosen rate and decay
and keeps its first ``n`` steps: a run of ``n`` steps is the first ``n`` steps of the
longer run, and it has diverged when the longer run diverged at step ``k ≤ n`` (the
engine's rule, :data:`~.surface.DIVERGENCE_FACTOR`). The status line is the engine's
:attr:`~.surface.DescentRun.status`, written by the browser from the embedded losses.
"""

from __future__ import annotations

import functools
import json
import math

import numpy as np

from ...display.palette import DARK_GOLD, DARK_GOLD_TEXT, ERROR, GOLD, INK, NAVY, RED
from ...display.vega import VegaChart, interactive_chart
from ...engine.validation import check_integer, check_number
from .figures import draw_contours
from .surface import LEARNING_RATE_RANGE, gradient_descent, line_fit_surface

__all__ = [
    "DECAYS",
    "DIGITS",
    "LOG10_RATES",
    "MAX_STEPS",
    "START",
    "descent_chart",
    "descent_runs",
    "embedded_runs",
    "rounded",
]

#: Rate grid: ``η₀ = 10**e`` for e from −3 to 0 in steps of 1/8 (25 rates, the
#: explorer's range). An eighth is exact in binary, so the slider's values are too.
RATES_PER_DECADE = 8
_DECADES = [round(math.log10(limit)) for limit in LEARNING_RATE_RANGE]
LOG10_RATES = tuple(
    _DECADES[0] + k / RATES_PER_DECADE
    for k in range((_DECADES[1] - _DECADES[0]) * RATES_PER_DECADE + 1)
)
#: The decays offered: none; one that rescues the rates just over the edge; two larger.
DECAYS = (0.0, 0.05, 0.2, 1.0)
#: The most steps the slider offers; every run is precomputed this long.
MAX_STEPS = 100
#: The explorer's starting point (w, b).
START = (-1.0, 3.0)
#: Significant digits of every embedded number.
DIGITS = 4
# The map's contour lines keep every n-th vertex (they stay smooth at the chart's size).
_CONTOUR_STRIDE = 2
# Width of the loss panel, in pixels.
LOSS_WIDTH = 240


def rounded(values, digits: int = DIGITS):
    """``values`` rounded to ``digits`` significant digits, as Python floats (a list for
    an array), exactly as they are embedded: ``float(f"{v:.{digits}g}")``."""
    if np.ndim(values) == 0:
        return float(f"{float(values):.{digits}g}")
    return [float(f"{float(v):.{digits}g}") for v in np.asarray(values).ravel()]


def _key(rate_index: int, decay_index: int) -> int:
    return rate_index * len(DECAYS) + decay_index


# The same key in the browser, from the parameters lograte and decay.
_KEY_EXPRESSION = (
    f"round((lograte - ({LOG10_RATES[0]})) * {RATES_PER_DECADE}) * {len(DECAYS)}"
    f" + indexof({json.dumps(list(DECAYS))}, decay)"
)


def descent_runs(start=START) -> dict:
    """The engine's run for every (rate, decay) of the grid, from ``start``, MAX_STEPS long.

    Computed once per start point (cached: the chart and its description share them).

    Returns
    -------
    dict of (int, int) -> DescentRun
        ``(k, j)`` → :func:`~.surface.gradient_descent` on the explorer's surface with
        ``η₀ = 10**LOG10_RATES[k]``, decay ``DECAYS[j]`` and ``MAX_STEPS`` steps.
    """
    return _runs_from(tuple(float(v) for v in start))


@functools.cache
def _runs_from(start: tuple) -> dict:
    surface = line_fit_surface()
    return {
        (k, j): gradient_descent(surface, start, 10.0**e, MAX_STEPS, decay)
        for k, e in enumerate(LOG10_RATES)
        for j, decay in enumerate(DECAYS)
    }


def embedded_runs(start=START) -> list[dict]:
    """The rows the chart embeds, one per run of :func:`descent_runs`.

    Each row: ``key`` (``k·len(DECAYS) + j``), ``rate`` (η₀ as written, 3 significant
    digits), ``w``, ``b``, ``L`` (the path's weights and losses, rounded by
    :func:`rounded`) and ``diverged`` (the step after which the run diverged, or None).
    """
    rows = []
    for (k, j), run in descent_runs(start).items():
        rows.append(
            {
                "key": _key(k, j),
                "rate": f"{10.0 ** LOG10_RATES[k]:.3g}",
                "w": rounded(run.path[:, 0]),
                "b": rounded(run.path[:, 1]),
                "L": rounded(run.losses),
                "diverged": run.diverged_at,
            }
        )
    return rows


def _contour_rows(surface) -> list[dict]:
    """The explorer's contour lines (:func:`~.figures.draw_contours`) as rows
    ``line, order, w, b`` (every :data:`_CONTOUR_STRIDE`-th vertex, 3 decimals)."""
    from matplotlib.figure import Figure

    contours = draw_contours(Figure().subplots(), surface)
    rows, line = [], 0
    for segments in contours.allsegs:
        for segment in segments:
            keep = segment[::_CONTOUR_STRIDE]
            if len(segment) % _CONTOUR_STRIDE != 1:
                keep = np.vstack([keep, segment[-1:]])
            for order, (w, b) in enumerate(keep):
                rows.append(
                    {"line": line, "order": order, "w": round(float(w), 3), "b": round(float(b), 3)}
                )
            line += 1
    return rows


# A five-pointed star, for the minimum (Vega has no star symbol).
_STAR = (
    "M0,-1L0.2245,-0.309L0.9511,-0.309L0.3633,0.118L0.5878,0.809L0,0.382"
    "L-0.5878,0.809L-0.3633,0.118L-0.9511,-0.309L-0.2245,-0.309Z"
)


# The loss axis: a tick and a grid line at each power of ten (a log axis's default
# marks every 1…9 × 10ᵏ), labelled 0.01, 0.1, 1, 10, 100, then 10³ … 10⁹.
_POWERS_OF_TEN = [10.0**e for e in range(-2, 10)]
_POWER_LABEL = (
    "datum.value < 1000 ? format(datum.value, '~g') : "
    "'10' + ['⁰','¹','²','³','⁴','⁵','⁶','⁷','⁸','⁹'][round(log(datum.value) / LN10)]"
)


def _python_g(expression: str) -> str:
    """A Vega expression writing the number ``expression`` as Python's ``f"{x:.4g}"``
    does (d3's ``~g`` trims the zeros as Python does; Python pads the exponent)."""
    return f"replace(format({expression}, '.{DIGITS}~g'), 'e+', 'e+0')"


def descent_chart(learning_rate=0.05, decay=0.0, steps=40, start=START) -> VegaChart:
    """The descent path on the loss surface's contour map and the loss per step.

    Parameters
    ----------
    learning_rate : float in [0.001, 1], default 0.05
        The starting learning rate η₀; the chart starts at the grid rate nearest to it
        on the log scale (``10**e``, e a multiple of 1/8).
    decay : float, one of :data:`DECAYS`, default 0
        The starting decay d (step t uses ``η₀ / (1 + d·t)``).
    steps : int in [1, MAX_STEPS], default 40
        The starting number of steps.
    start : tuple of float, default (-1, 3)
        The starting weights (w, b) of every run.

    Returns
    -------
    VegaChart
        Its description quotes the first view's run, computed by the engine.
    """
    learning_rate = check_number(learning_rate, "learning_rate", *LEARNING_RATE_RANGE)
    decay = check_number(decay, "decay", low=0)
    if decay not in DECAYS:
        raise ValueError(f"decay must be one of {list(DECAYS)}; got {decay!r}.")
    steps = check_integer(steps, "steps", 1, MAX_STEPS)
    k = int(round((np.log10(learning_rate) - LOG10_RATES[0]) * RATES_PER_DECADE))
    runs = descent_runs(start)

    import altair as alt

    surface = line_fit_surface()
    params = [
        alt.param(
            name="lograte",
            value=LOG10_RATES[k],
            bind=alt.binding_range(
                min=LOG10_RATES[0],
                max=LOG10_RATES[-1],
                step=1 / RATES_PER_DECADE,
                name="log₁₀ learning rate",
            ),
        ),
        alt.param(
            name="decay",
            value=decay,
            bind=alt.binding_radio(options=list(DECAYS), name="decay d"),
        ),
        alt.param(
            name="steps",
            value=steps,
            bind=alt.binding_range(min=1, max=MAX_STEPS, step=1, name="steps"),
        ),
    ]
    # The big data sets are named and given once, at the top level: as inline data in
    # each layer, Altair would copy them at every step of building the chart.
    datasets = {"descent_runs": embedded_runs(start), "contours": _contour_rows(surface)}
    lookup = alt.LookupData(
        data=alt.NamedData(name="descent_runs"),
        key="key",
        fields=["rate", "w", "b", "L", "diverged"],
    )
    # Step t of the chosen run, for t = 0 … steps (and not past a divergence).
    path = (
        alt.Chart(alt.sequence(0, MAX_STEPS + 1, as_="t"))
        .transform_calculate(key=_KEY_EXPRESSION)
        .transform_lookup(lookup="key", from_=lookup)
        .transform_filter("datum.t <= steps && datum.t < length(datum.L)")
        .transform_calculate(
            weight="datum.w[datum.t]", bias="datum.b[datum.t]", loss="datum.L[datum.t]"
        )
    )
    w_axis = alt.X(
        "weight:Q",
        title="weight w",
        scale=alt.Scale(domain=list(surface.w_range), nice=False),
    )
    b_axis = alt.Y(
        "bias:Q",
        title="bias b",
        scale=alt.Scale(domain=list(surface.b_range), nice=False),
    )
    contours = (
        alt.Chart(alt.NamedData(name="contours"))
        .transform_calculate(weight="datum.w", bias="datum.b")
        .mark_line(color=NAVY, strokeWidth=0.8, opacity=0.6, clip=True)
        .encode(x=w_axis, y=b_axis, detail="line:N", order="order:Q")
        .properties(name="contours")
    )
    w_star, b_star = surface.minimum
    minimum = (
        alt.Chart(alt.Data(values=[{"weight": rounded(w_star), "bias": rounded(b_star)}]))
        .mark_point(
            shape=_STAR, size=220, filled=True, fill=GOLD, stroke="black", strokeWidth=1, opacity=1
        )
        .encode(x=w_axis, y=b_axis)
        .properties(name="minimum")
    )
    path_line = (
        path.mark_line(
            color=RED, strokeWidth=1.5, clip=True, point=alt.OverlayMarkDef(size=12, color=RED)
        )
        .encode(x=w_axis, y=b_axis, order="t:Q")
        .properties(name="path")
    )
    start_dot = (
        path.transform_filter("datum.t == 0")
        .mark_point(size=70, filled=True, fill="white", stroke=RED, strokeWidth=2, opacity=1)
        .encode(x=w_axis, y=b_axis)
        .properties(name="start")
    )
    surface_map = alt.layer(contours, minimum, path_line, start_dot).properties(
        width=280,
        height=240,
        title="Loss over w and b: the path (red), the minimum (star)",
    )

    floor = rounded(surface.minimum_loss)
    loss_curve = (
        path.mark_line(color=RED, strokeWidth=1.5, point=alt.OverlayMarkDef(size=12, color=RED))
        .encode(
            x=alt.X("t:Q", title="step"),
            y=alt.Y(
                "loss:Q",
                title="loss (log scale)",
                scale=alt.Scale(type="log"),
                axis=alt.Axis(values=_POWERS_OF_TEN, labelExpr=_POWER_LABEL),
            ),
        )
        .properties(name="losses")
    )
    minimum_rule = (
        alt.Chart(alt.Data(values=[{"loss": floor}]))
        .mark_rule(color=DARK_GOLD, strokeDash=[4, 3])
        .encode(y="loss:Q")
    )
    minimum_label = (
        alt.Chart(alt.Data(values=[{"loss": floor}]))
        .mark_text(
            align="right", baseline="bottom", dx=-4, dy=-3, fontSize=11, color=DARK_GOLD_TEXT
        )
        .encode(y="loss:Q", x=alt.value(LOSS_WIDTH), text=alt.value("minimum loss"))
    )
    loss_panel = alt.layer(minimum_rule, minimum_label, loss_curve).properties(
        width=LOSS_WIDTH, height=240, title="Loss after each step"
    )

    # The status line: the chosen rate and decay, then the engine's run.status.
    status_text = (
        "'η₀ = ' + datum.rate + ', decay d = ' + decay + ':  ' + "
        "(datum.diverged && datum.diverged <= steps"
        " ? 'diverged after ' + datum.diverged + ' steps'"
        f" : steps + ' steps: loss ' + {_python_g('datum.L[0]')}"
        f" + ' → ' + {_python_g('datum.L[steps]')})"
    )
    status = (
        alt.Chart(alt.Data(values=[{"line": "status"}]))
        .transform_calculate(key=_KEY_EXPRESSION)
        .transform_lookup(lookup="key", from_=lookup)
        .transform_calculate(
            text=status_text,
            failed="datum.diverged && datum.diverged <= steps ? 1 : 0",
        )
        .mark_text(align="left", baseline="middle", fontSize=14, fontWeight="bold")
        .encode(
            x=alt.value(0),
            y=alt.value(10),
            text="text:N",
            color=alt.condition("datum.failed == 1", alt.value(ERROR), alt.value(INK)),
        )
        .properties(width=560, height=20, name="status")
    )
    chart = (
        alt.vconcat(status, alt.hconcat(surface_map, loss_panel))
        .add_params(*params)
        .configure_view(stroke=None)
        .properties(datasets=datasets)
    )

    first = gradient_descent(surface, start, 10.0 ** LOG10_RATES[k], steps, decay)
    edge = min(10.0**e for i, e in enumerate(LOG10_RATES) if runs[i, 0].diverged)
    description = (
        "Two panels computed by the engine for 25 learning rates from 0.001 to 1 "
        f"and the decays {', '.join(f'{d:g}' for d in DECAYS)}, each run for up to "
        f"{MAX_STEPS} steps from w = {start[0]:g}, b = {start[1]:g}: left, the descent "
        "path on the contour map of the loss over weight w and bias b, with the minimum "
        f"at w = {w_star:.2f}, b = {b_star:.2f} marked by a star; right, the loss after "
        "each step on a log scale, with the minimum loss as a dashed line. The sliders "
        "pick the learning rate (on a log scale) and the number of steps, the radio "
        "buttons the decay; a line above the panels gives the run's outcome. The first "
        f"view: η₀ = {10.0 ** LOG10_RATES[k]:.3g}, decay {decay:g}, {first.status}. "
        f"Without decay, the rates from {edge:.3g} up diverge."
    )
    return interactive_chart(chart, description)
