"""The optimizer race as an interactive figure that needs no kernel.

:func:`race_chart` draws the race of :class:`~widgets.explorers.optimizers.OptimizerRace`
in the browser: the racers' paths on the contour map of a surface (left) and the loss
above the lowest against the step (right, log scale), with each racer's loss at the
chosen step written beside them. The surface (a dropdown), the racers drawn (one
checkbox each), the learning rates (the explorer's presets, or the presets × 0.3 or × 3:
radio buttons) and the step (a slider: moving it replays the race) are Vega-Lite
parameters.

Nothing is computed in the browser but the choice of rows: every path is the engine's
(:func:`widgets.engine.surfaces.run_optimizer` with the explorer's
:func:`~widgets.explorers.optimizers.racer_settings`, μ = 0.9), run for :data:`STEPS`
steps on every surface at every rate setting when the chart is made, rounded
(coordinates to :data:`COORDINATE_DECIMALS` decimals, losses to
:data:`LOSS_DIGITS` significant digits) and embedded, one row per run
(:func:`race_rows`). The browser crosses the steps 0 … :data:`STEPS` with the racers
(a ``sequence`` and a ``fold``), looks each racer's run up by its key
``"surface|rates|racer"`` and reads the step's point from its arrays. The contour map is
precomputed likewise (:func:`contour_rows`): the contours of log10 of the loss above
the lowest that the explorer draws, thinned.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ...display.palette import BLACK, GOLD, GREY, NAVY, WHITE
from ...display.vega import VegaChart, interactive_chart
from ...engine.surfaces import SURFACES, get_surface, run_optimizer
from ...engine.validation import check_choice, check_integer, check_number
from .race import (
    FLOOR,
    LEARNING_RATE_RANGE,
    PRESETS,
    RACERS,
    STYLES,
    racer_settings,
    surface_image,
)

__all__ = [
    "race_chart",
    "race_rows",
    "contour_rows",
    "race_learning_rate",
    "round_coordinate",
    "round_loss",
    "run_key",
    "RATE_FACTORS",
    "STEPS",
    "MOMENTUM",
]

#: The race's length: the step slider runs from 0 to this (the explorer's first view).
STEPS = 150
#: μ of the momentum and Nesterov racers (the explorer's default).
MOMENTUM = 0.9
#: The rate settings: key (the radio button's value) → factor on the explorer's presets.
RATE_FACTORS = {"0.3": 0.3, "1": 1.0, "3": 3.0}
#: Embedded coordinates are rounded to this many decimals (a thousandth of a weight:
#: well below a pixel on the map).
COORDINATE_DECIMALS = 3
#: Embedded losses (above the lowest) keep this many significant digits (the chart
#: writes 3).
LOSS_DIGITS = 3
#: Contours: grid size of the map's loss and the least distance between two kept points
#: of a contour line, as a fraction of the map's width.
CONTOUR_GRID = 160
CONTOUR_LEVELS = 14
CONTOUR_SPACING = 0.015
#: The racers drawn at first (the explorer's default).
DEFAULT_SHOWN = ("sgd", "momentum", "rmsprop", "adam")
#: Width of a panel, and of a column of the written losses (pixels): the figure
#: fits the page's text column (about 690 pixels).
PANEL = 240
READOUT_COLUMN = 290
#: The names of the embedded datasets.
RUNS, CONTOURS = "race_runs", "race_contours"
#: Log-axis labels: powers of ten only, written 1e-6, 1e2 (others left blank).
_POWER_LABEL = (
    "abs(log(datum.value) / LN10 - round(log(datum.value) / LN10)) < 1e-6"
    " ? replace(format(datum.value, '.0e'), 'e+', 'e') : ''"
)
_DASHES = {"-": [1, 0], "--": [6, 3], ":": [2, 2]}


def round_coordinate(value: float) -> float:
    """A weight as embedded: rounded to :data:`COORDINATE_DECIMALS` decimals (no −0.0)."""
    return round(float(value), COORDINATE_DECIMALS) + 0.0


def round_loss(value: float) -> float:
    """A loss as embedded: :data:`LOSS_DIGITS` significant digits (``float(f"{v:.3g}")``)."""
    return float(f"{float(value):.{LOSS_DIGITS}g}")


def run_key(surface: str, rates: str, label: str) -> str:
    """The key of a run's row: ``"surface|rates|racer"`` (the browser builds the same)."""
    return f"{surface}|{rates}|{label}"


def _rates_key(rate_factor) -> str:
    factor = check_number(rate_factor, "rate_factor", low=0, low_inclusive=False)
    for key, value in RATE_FACTORS.items():
        if factor == value:
            return key
    raise ValueError(f"rate_factor must be one of {list(RATE_FACTORS.values())}; got {factor!r}.")


def race_learning_rate(surface, label: str, rate_factor=1.0) -> float:
    """Racer ``label``'s learning rate on ``surface``: the explorer's preset × ``rate_factor``.

    η = clip(preset × factor, 10⁻⁴, 1), the range of the explorer's rate sliders
    (:data:`~widgets.explorers.optimizers.race.LEARNING_RATE_RANGE`).
    """
    surface = get_surface(surface).name
    label = check_choice(label, RACERS, "label")
    factor = RATE_FACTORS[_rates_key(rate_factor)]
    low, high = LEARNING_RATE_RANGE
    return float(min(high, max(low, PRESETS[surface][label] * factor)))


@lru_cache(maxsize=1)
def race_rows() -> tuple:
    """One row per (surface, rate setting, racer): the run the chart embeds.

    Each row is ``{"key": run_key(...), "x": [...], "y": [...], "gap": [...],
    "diverged": step or None, "points": n + 1}``: the path's weights (rounded by
    :func:`round_coordinate`) and the loss above the surface's lowest at steps 0 … n
    (rounded by :func:`round_loss`), n = :data:`STEPS`, or fewer for a run that
    diverged (the engine stops it at its last finite point). Computed once
    (5 surfaces × 3 settings × 8 racers = 120 runs of 150 steps).
    """
    rows = []
    for surface in SURFACES:
        for rates, factor in RATE_FACTORS.items():
            for label in RACERS:
                lr = race_learning_rate(surface, label, factor)
                name, hyper = racer_settings(label, lr, MOMENTUM)
                run = run_optimizer(surface, name, steps=STEPS, **hyper)
                rows.append(
                    {
                        "key": run_key(surface, rates, label),
                        "x": [round_coordinate(v) for v in run.path[:, 0]],
                        "y": [round_coordinate(v) for v in run.path[:, 1]],
                        "gap": [round_loss(v) for v in run.gaps],
                        "diverged": run.diverged_at,
                        "points": len(run.path),
                    }
                )
    return tuple(rows)


def packed(values) -> str:
    """Numbers as embedded: one string, ``"v0,v1,..."``, each written ``f"{v:g}"``.

    A string is read once by the browser (``split`` and ``toNumber``) and checked
    quickly by Altair's schema validation, which takes minutes over the 120 runs'
    arrays of numbers. ``f"{v:g}"`` keeps six significant digits: every digit of a
    rounded coordinate (at most 5) or loss (3).
    """
    return ",".join(f"{float(v):g}" for v in values)


def packed_rows(rows) -> list:
    """``rows`` with each list of numbers :func:`packed` into a string."""
    return [
        {name: packed(value) if isinstance(value, list) else value for name, value in row.items()}
        for row in rows
    ]


def _contour_levels(values: np.ndarray) -> np.ndarray:
    """The levels matplotlib's ``contour(..., levels=14)`` picks (as the explorer draws)."""
    from matplotlib.ticker import MaxNLocator

    low, high = float(values.min()), float(values.max())
    levels = MaxNLocator(CONTOUR_LEVELS + 1).tick_values(low, high)
    return levels[(levels > low) & (levels < high)]


def _thinned(line: np.ndarray, spacing: float) -> np.ndarray:
    """The points of ``line`` at least ``spacing`` from the last kept one, and its end."""
    kept = [line[0]]
    for point in line[1:-1]:
        if np.hypot(*(point - kept[-1])) >= spacing:
            kept.append(point)
    kept.append(line[-1])
    return np.array(kept)


@lru_cache(maxsize=1)
def contour_rows() -> tuple:
    """One row per surface: its contour lines, ``{"surface", "x", "y", "line"}``.

    The contours of log10 of the loss above the lowest (floored at 1e-6) on the
    explorer's grid (:func:`~widgets.explorers.optimizers.race.surface_image`), at the
    levels matplotlib chooses for the explorer's map, thinned to points at least
    :data:`CONTOUR_SPACING` × the map's width apart and rounded like the paths;
    ``line[i]`` numbers the contour line point i belongs to.
    """
    import contourpy

    rows = []
    for name, surface in SURFACES.items():
        X, Y, G = surface_image(surface)
        log_gap = np.log10(G)
        generator = contourpy.contour_generator(X, Y, log_gap)
        spacing = CONTOUR_SPACING * (surface.x_range[1] - surface.x_range[0])
        xs, ys, lines = [], [], []
        for level in _contour_levels(log_gap):
            for line in generator.lines(level):
                if len(line) < 2:
                    continue
                points = _thinned(np.asarray(line), spacing)
                xs += [round_coordinate(v) for v in points[:, 0]]
                ys += [round_coordinate(v) for v in points[:, 1]]
                lines += [len(set(lines))] * len(points)
        rows.append({"surface": name, "x": xs, "y": ys, "line": lines, "points": len(xs)})
    return tuple(rows)


def _choice_expression(parameter_of: dict, field: str) -> str:
    """``(datum.field == 'a' && p_a) || ...``: whether the row's racer is ticked."""
    return " || ".join(f"(datum.{field} == '{label}' && {p})" for label, p in parameter_of.items())


def _by_surface(values: dict, default) -> str:
    """A Vega expression: ``values[surface]`` for the parameter ``surface``."""
    expression = repr(default)
    for name, value in values.items():
        expression = f"(surface == '{name}' ? {value!r} : {expression})"
    return expression


def _named(**layers) -> list:
    """The layers, each named (Vega names its marks after them: the tests read them)."""
    return [layer.properties(name=name) for name, layer in layers.items()]


def race_chart(surface="bowl", rate_factor=1.0, show=DEFAULT_SHOWN, step=STEPS) -> VegaChart:
    """The optimizer race on a surface, replayed by a step slider; every choice is a control.

    Parameters
    ----------
    surface : {"bowl", "rosenbrock", "saddle", "plateau", "two_basins"}, default "bowl"
        The starting surface (the dropdown offers all five).
    rate_factor : {0.3, 1, 3}, default 1
        The starting learning rates: the explorer's presets for the surface × this
        (:func:`race_learning_rate`).
    show : iterable of str, default ("sgd", "momentum", "rmsprop", "adam")
        The racers ticked at first (keys of ``RACERS``).
    step : int, default 150
        The starting step, 0 to :data:`STEPS`.
    """
    surface = get_surface(surface).name
    rates = _rates_key(rate_factor)
    if isinstance(show, str):
        raise TypeError("show must be a list of racer names, not a single string.")
    shown = {check_choice(label, RACERS, "show") for label in show}
    step = check_integer(step, "step", low=0, high=STEPS)

    import altair as alt

    show_param = {label: f"show_{label}" for label in RACERS}
    params = [
        alt.param(
            name="surface",
            value=surface,
            bind=alt.binding_select(
                options=list(SURFACES),
                labels=[s.title for s in SURFACES.values()],
                name="surface",
            ),
        ),
        alt.param(
            name="rates",
            value=rates,
            bind=alt.binding_radio(
                options=list(RATE_FACTORS),
                labels=[f"presets × {key}" if key != "1" else "presets" for key in RATE_FACTORS],
                name="learning rates",
            ),
        ),
        *(
            alt.param(
                name=show_param[label],
                value=label in shown,
                bind=alt.binding_checkbox(name=title),
            )
            for label, (_, title) in RACERS.items()
        ),
        alt.param(
            name="step",
            value=step,
            bind=alt.binding_range(min=0, max=STEPS, step=1, name="step"),
        ),
    ]
    ranges = {
        "x_low": {n: s.x_range[0] for n, s in SURFACES.items()},
        "x_high": {n: s.x_range[1] for n, s in SURFACES.items()},
        "y_low": {n: s.y_range[0] for n, s in SURFACES.items()},
        "y_high": {n: s.y_range[1] for n, s in SURFACES.items()},
    }
    derived = [
        alt.param(name=name, expr=_by_surface(values, 0.0)) for name, values in ranges.items()
    ]

    titles = {label: title for label, (_, title) in RACERS.items()}
    names = list(titles.values())
    colour = alt.Color(
        "name:N",
        title=None,
        scale=alt.Scale(domain=names, range=[STYLES[label][0] for label in RACERS]),
        legend=None,
    )
    dash = alt.StrokeDash(
        "name:N",
        scale=alt.Scale(domain=names, range=[_DASHES[STYLES[label][1]] for label in RACERS]),
        legend=None,
    )
    map_x = alt.X(
        "x:Q",
        title="weight x",
        scale=alt.Scale(domain=[alt.expr("x_low"), alt.expr("x_high")], nice=False, zero=False),
    )
    map_y = alt.Y(
        "y:Q",
        title="weight y",
        scale=alt.Scale(domain=[alt.expr("y_low"), alt.expr("y_high")], nice=False, zero=False),
    )

    # The two tables are top-level datasets, named: every layer looks them up.
    runs, contours = alt.NamedData(name=RUNS), alt.NamedData(name=CONTOURS)

    # Every step × every racer: a sequence crossed with the racers by a fold (its
    # "order" is the racer's place in the explorer's list), ticked racers only; then
    # the racer's run, looked up by key, gives the point and the loss of the step.
    racers = (
        alt.Chart(alt.sequence(0, STEPS + 1, as_="t"))
        .transform_calculate(**{label: str(i) for i, label in enumerate(RACERS)})
        .transform_fold(list(RACERS), as_=["racer", "order"])
        .transform_filter(_choice_expression(show_param, "racer"))
        .transform_calculate(key="surface + '|' + rates + '|' + datum.racer")
        .transform_lookup(lookup="key", from_=alt.LookupData(data=runs, key="key"), as_="run")
        .transform_filter("datum.t < datum.run.points")
        .transform_calculate(
            x="toNumber(split(datum.run.x, ',')[datum.t])",
            y="toNumber(split(datum.run.y, ',')[datum.t])",
            gap="toNumber(split(datum.run.gap, ',')[datum.t])",
        )
        .transform_calculate(
            drawn_gap=f"max(datum.gap, {FLOOR!r})",
            last="datum.run.points - 1",
            diverged="datum.run.diverged",
            # (then the run's strings are let go: every row would carry them)
            run="null",
            name=" : ".join(
                f"datum.racer == '{label}' ? '{title}'" for label, title in titles.items()
            )
            + " : ''",
        )
    )
    so_far = racers.transform_filter("datum.t <= step")
    now = racers.transform_filter("datum.t == min(step, datum.last)").transform_calculate(
        out="datum.diverged != null && step >= datum.diverged"
    )

    contour_lines = (
        alt.Chart(alt.sequence(0, max(row["points"] for row in contour_rows()), as_="i"))
        .transform_calculate(surface="surface")
        .transform_lookup(
            lookup="surface", from_=alt.LookupData(data=contours, key="surface"), as_="map"
        )
        .transform_filter("datum.i < datum.map.points")
        .transform_calculate(
            x="toNumber(split(datum.map.x, ',')[datum.i])",
            y="toNumber(split(datum.map.y, ',')[datum.i])",
            line="split(datum.map.line, ',')[datum.i]",
        )
        .mark_line(color=NAVY, strokeWidth=0.7, opacity=0.45, clip=True)
        .encode(x=map_x, y=map_y, detail="line:N", order="i:Q")
    )
    marked = [
        {"surface": name, "x": s.minimum[0], "y": s.minimum[1], "kind": "minimum"}
        for name, s in SURFACES.items()
    ]
    marked += [
        {"surface": name, "x": point[0], "y": point[1], "kind": what}
        for name, s in SURFACES.items()
        for what, point in s.others
    ]
    starts = [{"surface": name, "x": s.start[0], "y": s.start[1]} for name, s in SURFACES.items()]
    stars = (
        alt.Chart(alt.Data(values=marked))
        .transform_filter("datum.surface == surface")
        .mark_point(shape="diamond", filled=True, size=140, stroke=BLACK, strokeWidth=1, opacity=1)
        .encode(
            x=map_x,
            y=map_y,
            fill=alt.condition("datum.kind == 'minimum'", alt.value(GOLD), alt.value(WHITE)),
            tooltip=["kind:N"],
        )
    )
    start = (
        alt.Chart(alt.Data(values=starts))
        .transform_filter("datum.surface == surface")
        .mark_point(filled=True, size=70, fill=WHITE, stroke=BLACK, strokeWidth=1.2, opacity=1)
        .encode(x=map_x, y=map_y)
    )
    paths = so_far.mark_line(strokeWidth=2, clip=True).encode(
        x=map_x, y=map_y, color=colour, strokeDash=dash, detail="racer:N", order="t:Q"
    )
    positions = now.mark_point(filled=True, size=80, stroke=WHITE, strokeWidth=1, clip=True).encode(
        x=map_x,
        y=map_y,
        color=colour,
        shape=alt.condition("datum.out", alt.value("cross"), alt.value("circle")),
    )
    surface_map = alt.layer(
        *_named(contours=contour_lines, stars=stars, start=start, paths=paths, positions=positions)
    ).properties(width=PANEL, height=PANEL, title="Paths on the loss surface")

    step_x = alt.X("t:Q", title="step", scale=alt.Scale(domain=[0, STEPS], nice=False))
    loss_y = alt.Y(
        "drawn_gap:Q",
        title="loss above the lowest (log)",
        scale=alt.Scale(type="log"),
        axis=alt.Axis(labelExpr=_POWER_LABEL, grid=True, gridOpacity=0.4),
    )
    ahead = racers.mark_line(strokeWidth=1, opacity=0.2).encode(
        x=step_x, y=loss_y, color=colour, detail="racer:N", order="t:Q"
    )
    curves = so_far.mark_line(strokeWidth=2).encode(
        x=step_x, y=loss_y, color=colour, strokeDash=dash, detail="racer:N", order="t:Q"
    )
    dots = now.mark_point(filled=True, size=60, opacity=1).encode(x=step_x, y=loss_y, color=colour)
    rule = (
        alt.Chart(alt.Data(values=[{"at": "step"}]))
        .transform_calculate(t="step")
        .mark_rule(strokeDash=[3, 3], color=GREY)
        .encode(x=step_x)
    )
    loss_panel = alt.layer(*_named(ahead=ahead, rule=rule, curves=curves, dots=dots)).properties(
        width=PANEL, height=PANEL, title="Loss after each step"
    )

    heading = (
        alt.Chart(alt.Data(values=[{"at": "step"}]))
        .transform_calculate(text="'Loss above the lowest after step ' + step + ':'")
        .mark_text(align="left", baseline="top", fontSize=12, fontWeight="bold")
        .encode(x=alt.value(0), y=alt.value(0), text="text:N")
    )
    # The written losses, in dark ink (some racers' colours are too light for text),
    # each after a square of the racer's colour; two columns, in the explorer's order.
    placed = (
        now.transform_calculate(
            text=(
                "datum.name + ': ' + (datum.out ? 'diverged at step ' + datum.diverged"
                " : datum.gap > 0 && datum.gap < 1e-3 ? format(datum.gap, '.2e')"
                " : format(datum.gap, '.3g'))"
            ),
            row="toNumber(datum.order)",
        )
        .transform_window(rank="row_number()", sort=[alt.SortField("row")])
        .transform_calculate(
            left=f"{READOUT_COLUMN} * ((datum.rank - 1) % 2)",
            top="20 + 18 * floor((datum.rank - 1) / 2)",
        )
    )
    readout = placed.mark_text(align="left", baseline="top", fontSize=12, dx=16).encode(
        x=alt.X("left:Q", scale=None), y=alt.Y("top:Q", scale=None), text="text:N"
    )
    swatches = placed.mark_point(
        shape="square", filled=True, size=90, opacity=1, xOffset=6, yOffset=7
    ).encode(x=alt.X("left:Q", scale=None), y=alt.Y("top:Q", scale=None), color=colour)
    readout_panel = alt.layer(
        *_named(heading=heading, swatches=swatches, readout=readout)
    ).properties(width=2 * READOUT_COLUMN, height=92, view=alt.ViewBackground(stroke=None))

    chart = (
        alt.vconcat(alt.hconcat(surface_map, loss_panel), readout_panel)
        .add_params(*params, *derived)
        .resolve_scale(color="shared")
    )

    figure = interactive_chart(chart, _description(surface, rates, shown, step))
    # The tables join the spec after Altair's schema check, which would take 20 s over
    # them (it walks them once per alternative of the top-level spec); they are lists
    # of flat rows of strings and integers, which Vega-Lite reads as inline datasets.
    datasets = {RUNS: packed_rows(race_rows()), CONTOURS: packed_rows(contour_rows())}
    return VegaChart({**figure.spec, "datasets": datasets})


def _description(surface: str, rates: str, shown: set, step: int) -> str:
    surface_ = SURFACES[surface]
    rows = {row["key"]: row for row in race_rows()}
    parts = []
    for label, (_, title) in RACERS.items():
        if label not in shown:
            continue
        row = rows[run_key(surface, rates, label)]
        diverged = row["diverged"]
        if diverged is not None and step >= diverged:
            parts.append(f"{title} diverged at step {diverged}")
        else:
            gap = row["gap"][min(step, len(row["gap"]) - 1)]
            parts.append(f"{title} {gap:.3g}")
    setting = "the explorer's preset learning rates" + ("" if rates == "1" else f" × {rates}")
    runs = "; ".join(parts) if parts else "no racer is ticked"
    return (
        "Left: contour map of a loss surface over weights x and y with the paths of the "
        "ticked optimizers up to the chosen step and their positions at it; right: the "
        "loss above the lowest against the step (log scale); below: each optimizer's loss "
        "at that step. The paths are the engine's, precomputed. The dropdown picks the "
        "surface, the checkboxes the optimizers, the radio buttons the learning rates, and "
        f"the step slider replays the race. It starts on {surface_.title} with {setting} "
        f"at step {step}: {runs}."
    )
