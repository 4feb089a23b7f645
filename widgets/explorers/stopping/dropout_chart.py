"""Dropout as an interactive figure that needs no kernel (Vega-Lite, embedded runs).

:func:`dropout_chart` draws the dropout explorer's first setting
(:class:`~widgets.explorers.stopping.dropout.DropoutExplorer`: moons, 100 training
points, 20 % of their labels flipped, two hidden layers of 64 units, three seeds):
training and test accuracy against the drop probability ``p`` of
:data:`~widgets.explorers.stopping.dropout.PS` (mean over the seeds, their range
shaded), and the gap between them as bars. The chosen ``p`` (radio buttons, a
Vega-Lite parameter) is marked and its numbers are written on top.

Nothing is computed in the browser: the accuracies are the explorer's own sweep
(:func:`widgets.engine.stopping.dropout_sweep`, cached per setting, so the chart adds
no training when the explorer has run), summarised by :func:`dropout_rows` when the
notebook runs and embedded; the browser only picks the row of the chosen ``p``.
``tests/explorers/test_dropout_chart.py`` compares the embedded numbers with a fresh
engine run exactly.
"""

from __future__ import annotations

import inspect

import numpy as np

from ...display.palette import GOLD, GREY, LIGHT_GREY, NAVY, TEAL
from ...display.vega import VegaChart, interactive_chart
from ...engine.stopping import inverted_dropout_scale
from ...engine.validation import check_number
from .dropout import PS, SEEDS, DropoutExplorer, _sweep
from .early_stopping_chart import rounded

__all__ = ["dropout_chart", "dropout_rows", "dropout_setting"]

_SERIES = {"training": NAVY, "test": TEAL}


def dropout_setting() -> tuple:
    """The explorer's cache key of its first setting: ``(n_train, noise, layers, width)``,
    read from the signature of :class:`DropoutExplorer` (so the chart shows, and reuses,
    the sweep the explorer shows when it opens)."""
    start = {
        name: parameter.default
        for name, parameter in inspect.signature(DropoutExplorer).parameters.items()
    }
    return (start["n_train"], round(start["noise"], 3), start["layers"], start["width"])


def dropout_rows(train=None, test=None) -> list:
    """The embedded data: one row per drop probability of :data:`PS`.

    ``train`` and ``test`` are accuracies of shape ``(len(SEEDS), len(PS))``; by default
    the explorer's sweep at :func:`dropout_setting` (trained by
    :func:`widgets.engine.stopping.dropout_sweep` unless the explorer's cache holds it).
    Each row holds ``p``, ``scale`` = 1 / (1 − p) (:func:`inverted_dropout_scale`),
    ``train`` and ``test`` (means over the seeds), ``gap`` = mean over the seeds of
    (training − test accuracy), and ``train_lo``, ``train_hi``, ``test_lo``,
    ``test_hi`` (the seeds' range), all :func:`rounded`.
    """
    if train is None and test is None:
        train, test = _sweep(dropout_setting())
    train, test = np.asarray(train, dtype=float), np.asarray(test, dtype=float)
    if train.shape != test.shape or train.ndim != 2 or train.shape[1] != len(PS):
        raise ValueError(
            f"train and test must both have shape (seeds, {len(PS)}); got "
            f"{train.shape} and {test.shape}."
        )
    gap = (train - test).mean(axis=0)
    return [
        {
            "p": p,
            "scale": rounded(inverted_dropout_scale(p)),
            "train": rounded(train[:, j].mean()),
            "test": rounded(test[:, j].mean()),
            "gap": rounded(gap[j]),
            "train_lo": rounded(train[:, j].min()),
            "train_hi": rounded(train[:, j].max()),
            "test_lo": rounded(test[:, j].min()),
            "test_hi": rounded(test[:, j].max()),
        }
        for j, p in enumerate(PS)
    ]


# The sentence written above the panels (a Vega expression on the chosen row).
READOUT = (
    "'p = ' + format(datum.p, '.1f') + ' (kept units ×' + format(datum.scale, '.2f')"
    " + '): training ' + format(datum.train, '.3f') + ', test ' + format(datum.test, '.3f')"
    " + ', gap ' + format(datum.gap, '+.3f') + ' (mean of " + str(len(SEEDS)) + " seeds)'"
)


def dropout_chart(p=0.5) -> VegaChart:
    """Training and test accuracy against the drop probability, and their gap.

    Parameters
    ----------
    p : float, one of :data:`~widgets.explorers.stopping.dropout.PS`, default 0.5
        The starting drop probability (marked; the radio buttons offer every one).

    Returns
    -------
    VegaChart
        Its description quotes the accuracies at every ``p`` and the first view's gap,
        from the engine.
    """
    p = check_number(p, "p", low=0.0, high=PS[-1])
    if p not in PS:
        raise ValueError(f"p must be one of {list(PS)}; got {p!r}.")

    import altair as alt

    rows = dropout_rows()
    param = alt.param(
        name="p",
        value=p,
        bind=alt.binding_radio(options=list(PS), name="drop probability p"),
    )
    data = alt.Chart(alt.NamedData(name="accuracies"))
    chosen = data.transform_filter("datum.p == p")
    x = alt.X(
        "p:Q",
        title="drop probability p",
        scale=alt.Scale(domain=[0, PS[-1]], nice=False),
        axis=alt.Axis(values=list(PS), format=".1f"),
    )
    low = min(min(row["train_lo"], row["test_lo"]) for row in rows)
    bottom = round(max(0.0, float(np.floor(20 * low)) / 20 - 0.05), 2)
    y_scale = alt.Scale(domain=[bottom, 1.0], nice=False)
    y = alt.Y("value:Q", title="accuracy", scale=y_scale)
    colour = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(domain=list(_SERIES), range=list(_SERIES.values())),
        legend=alt.Legend(orient="top"),
    )
    long = data.transform_fold(["train", "test"], as_=["key", "value"]).transform_calculate(
        series="datum.key == 'train' ? 'training' : 'test'",
        lo="datum.key == 'train' ? datum.train_lo : datum.test_lo",
        hi="datum.key == 'train' ? datum.train_hi : datum.test_hi",
    )
    band = long.mark_area(opacity=0.15).encode(
        x=x, y=alt.Y("lo:Q", scale=y_scale, title="accuracy"), y2="hi:Q", color=colour
    )
    lines = long.mark_line(point=True, strokeWidth=2).encode(x=x, y=y, color=colour)
    marker = chosen.mark_rule(color=GOLD, strokeWidth=2.5).encode(x=x)
    dots = (
        chosen.transform_fold(["train", "test"], as_=["key", "value"])
        .transform_calculate(series="datum.key == 'train' ? 'training' : 'test'")
        .mark_point(filled=True, size=110, opacity=1, stroke="black")
        .encode(x=x, y=y, color=colour)
    )
    accuracy = alt.layer(band, marker, lines, dots).properties(width=330, height=210)
    gap_bars = (
        data.transform_calculate(picked="datum.p == p ? 'chosen p' : 'other p'")
        .mark_bar(size=22)
        .encode(
            x=alt.X("p:O", title="drop probability p", axis=alt.Axis(labelAngle=0, format=".1f")),
            y=alt.Y("gap:Q", title="gap: training − test"),
            color=alt.Color(
                "picked:N",
                scale=alt.Scale(domain=["chosen p", "other p"], range=[GOLD, LIGHT_GREY]),
                legend=None,
            ),
            stroke=alt.value(GREY),
        )
        .properties(width=170, height=210)
    )
    readout = (
        chosen.transform_calculate(text=READOUT)
        .mark_text(align="left", baseline="middle", fontSize=13)
        .encode(x=alt.value(0), y=alt.value(10), text="text:N")
        .properties(width=520, height=20, view=alt.ViewBackground(stroke=None))
    )
    chart = (
        alt.vconcat(
            readout,
            alt.hconcat(accuracy, gap_bars, spacing=30).resolve_scale(color="independent"),
            spacing=8,
        )
        .add_params(param)
        .properties(datasets={"accuracies": rows})
    )

    train, test = _sweep(dropout_setting())
    j = PS.index(p)
    n_train, noise, layers, width = dropout_setting()
    description = (
        f"Two charts of networks with {layers} hidden layers of {width} units trained "
        f"on {n_train} moons points, {noise:.0%} of their labels flipped "
        f"({len(SEEDS)} seeds). Left, line chart: training and test accuracy against "
        f"the drop probability p from 0 to {PS[-1]:g} (mean over the seeds, their range "
        "shaded): training "
        + ", ".join(f"{v:.2f}" for v in train.mean(0))
        + "; test "
        + ", ".join(f"{v:.2f}" for v in test.mean(0))
        + ". Right, bar chart: the gap, training minus test accuracy, for each p. "
        "The radio buttons choose the p marked in gold, whose numbers are written on "
        f"top. It starts at p = {p:g}: training {train[:, j].mean():.3f}, test "
        f"{test[:, j].mean():.3f}, gap {(train[:, j] - test[:, j]).mean():+.3f}."
    )
    return interactive_chart(chart, description)
