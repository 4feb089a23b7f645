"""A Playground training run replayed by an epoch slider: a figure that needs no kernel.

:func:`replay_chart` trains the Playground explorer's network (its own session,
:func:`~widgets.explorers.playground.run_playground`, one epoch at a time as play mode
does) on each data set offered, and records every ``every`` epochs

- the output o(x₁, x₂) over a coarse grid of the plane (:data:`PLANE_CELLS` ² cells,
  :func:`~widgets.explorers.playground.figures.output_over_plane`),
- each hidden neuron's output over a coarser grid (:data:`THUMBNAIL_CELLS` ² cells, the
  neuron thumbnails), and
- the training and test loss (mean ½(o − t)²) after every epoch.

All of it is computed by the engine when the notebook runs and embedded in the chart,
rounded (:data:`HEAT_DECIMALS` decimals on the pictures, :data:`LOSS_DECIMALS` on the
losses). The browser only picks what to draw: an epoch slider and a data set radio
button are Vega-Lite parameters, and ``filter`` transforms keep the rows of the chosen
run and epoch. Each picture is one embedded row holding its values as an array, row by
row from the top of the plane as :func:`~widgets.explorers.playground.render.grid_points`
orders them, written as one string (:func:`picture_text`); the browser splits it,
numbers the values (``sequence``) and unrolls them (``flatten``) into cells.
"""

from __future__ import annotations

from ...display.palette import DIVERGING, HEATMAP, INK, MID_GREY, hex_colours
from ...display.vega import VegaChart, interactive_chart
from ...engine.playground import featurize
from ...engine.validation import check_choice, check_integer
from .figures import output_over_plane
from .render import DOMAIN, grid_points
from .session import run_playground

__all__ = [
    "replay_chart",
    "record_replay",
    "hidden_over_plane",
    "rounded",
    "picture_text",
    "REPLAY_DATASETS",
    "REPLAY_SETTINGS",
    "PLANE_CELLS",
    "THUMBNAIL_CELLS",
    "HEAT_DECIMALS",
    "LOSS_DECIMALS",
]

#: The data sets the radio buttons offer, and their labels.
REPLAY_DATASETS = {"circle": "circle", "xor": "checkerboard (xor)", "gauss": "two clusters"}
#: The network and training of the chapter's explorer (``Playground(dataset="circle",
#: learning_rate=0.1)``): the Playground's defaults otherwise (features X₁ and X₂,
#: hidden layers of 4 and 2 tanh neurons, batch size 10, half the points for training).
REPLAY_SETTINGS = {"learning_rate": 0.1, "seed": 0}
#: Cells along each side of the output picture and of a neuron thumbnail.
PLANE_CELLS = 25
THUMBNAIL_CELLS = 12
#: Decimals kept of each picture's values (in [−1, 1]) and of each loss.
HEAT_DECIMALS = 2
LOSS_DECIMALS = 6
#: Decimals kept of the data points' coordinates (drawn only).
POINT_DECIMALS = 2

_PLANE_SIZE = 230  # pixels
_THUMBNAIL_SIZE = 46
_THUMBNAIL_GAP = 16  # pixels between two thumbnails (room for a neuron's name)
_LOSS_HEIGHT = 130


def rounded(values, decimals: int) -> list:
    """``values`` as a list of Python floats rounded to ``decimals`` decimals (no −0.0)."""
    return [round(float(v), decimals) + 0.0 for v in values]


def picture_text(values) -> str:
    """A picture's values rounded to :data:`HEAT_DECIMALS` decimals, as one string.

    The numbers are written as Python writes floats (the shortest text that reads back
    as the same number: ``0.87``, ``-0.1``, ``1.0``), separated by commas; the browser
    splits the string and reads each number back. One string per picture keeps the
    notebook's stored output short (a list would take a line per number).
    """
    return ",".join(repr(v) for v in rounded(values, HEAT_DECIMALS))


def hidden_over_plane(session, resolution: int = THUMBNAIL_CELLS) -> list:
    """Each hidden layer's outputs over a resolution² grid of the plane (row 0 at the top).

    One array of shape (resolution², neurons) per hidden layer: what the neuron
    thumbnails draw.
    """
    points = featurize(grid_points(resolution), session.config.features)
    return session.net.layer_outputs(points)[1:-1]


def _pictures(session, dataset: str) -> list:
    """The rows of the output picture (unit 0) and of each hidden neuron (units 1, 2, …)."""
    rows = [
        {
            "d": dataset,
            "e": session.epoch,
            "u": 0,
            "v": picture_text(output_over_plane(session, PLANE_CELLS)),
        }
    ]
    for layer in hidden_over_plane(session):
        for neuron in layer.T:
            rows.append(
                {
                    "d": dataset,
                    "e": session.epoch,
                    "u": len(rows),
                    "v": picture_text(neuron),
                }
            )
    return rows


def record_replay(dataset: str, epochs: int, every: int) -> dict:
    """One recorded run of the explorer's network on ``dataset``.

    Returns
    -------
    dict
        ``pictures``: a row per recorded epoch (0, ``every``, 2·``every``, …, ``epochs``)
        and picture (unit 0 the output, then the hidden neurons layer by layer), its
        values as :func:`picture_text` writes them; ``losses``: (epoch, training loss, test
        loss) after every epoch from 0, rounded to :data:`LOSS_DECIMALS`; ``points``:
        the training points and their labels; ``session``: the trained session.
    """
    session = run_playground(0, dataset=dataset, **REPLAY_SETTINGS)
    pictures = _pictures(session, dataset)
    while session.epoch < epochs and session.train_epoch():
        if session.epoch % every == 0:
            pictures += _pictures(session, dataset)
    if session.epoch < epochs:
        raise RuntimeError(f"the {dataset} run stopped at epoch {session.epoch}: {session.status}")
    losses = [
        {"d": dataset, "e": epoch, "train": train, "test": test}
        for epoch, (train, test) in enumerate(session.history)
        for train, test in [rounded((train, test), LOSS_DECIMALS)]
    ]
    points = [
        {"d": dataset, "x": x, "y": y, "t": int(t)}
        for (x, y), t in zip((rounded(p, POINT_DECIMALS) for p in session.X_train), session.y_train)
    ]
    return {"pictures": pictures, "losses": losses, "points": points, "session": session}


def _thumbnail_places(hidden: tuple) -> list:
    """(column, row) of each hidden neuron's thumbnail: a column per layer, centred."""
    tallest = max(hidden)
    return [
        (column, (tallest - size) / 2 + neuron)
        for column, size in enumerate(hidden)
        for neuron in range(size)
    ]


def replay_chart(datasets=("circle", "xor"), epochs=40, every=2, epoch=0) -> VegaChart:
    """A Playground training run, replayed: the output over the plane, the neurons and
    the losses at the epoch an epoch slider chooses, for each data set offered.

    Parameters
    ----------
    datasets : sequence of {"circle", "xor", "gauss"}, default ("circle", "xor")
        The data sets offered (one recorded run each); the first is shown first.
    epochs : int from 1 to 100, default 40
        The length of every run.
    every : int, default 2
        A picture is recorded every ``every`` epochs (``epochs`` must be a multiple); the
        slider moves in these steps. The losses are recorded after every epoch.
    epoch : int, default 0
        The epoch shown first (a multiple of ``every``).
    """
    if isinstance(datasets, str) or not hasattr(datasets, "__iter__"):
        raise TypeError(f"datasets must be a sequence of data set names; got {datasets!r}.")
    datasets = [check_choice(name, tuple(REPLAY_DATASETS), "datasets") for name in datasets]
    if not datasets or len(set(datasets)) != len(datasets):
        raise ValueError(f"datasets must name one data set or more, each once; got {datasets}.")
    epochs = check_integer(epochs, "epochs", low=1, high=100)
    every = check_integer(every, "every", low=1, high=epochs)
    if epochs % every:
        raise ValueError(f"epochs ({epochs}) must be a multiple of every ({every}).")
    epoch = check_integer(epoch, "epoch", low=0, high=epochs)
    if epoch % every:
        raise ValueError(f"epoch must be a multiple of every ({every}); got {epoch}.")

    import altair as alt

    runs = {name: record_replay(name, epochs, every) for name in datasets}
    # Each recording is embedded once, as a named data set of the whole chart.
    datasets_of = {
        part: [row for run in runs.values() for row in run[part]]
        for part in ("pictures", "losses", "points")
    }
    pictures, losses, points = (alt.Data(name=part) for part in datasets_of)
    hidden = runs[datasets[0]]["session"].config.hidden

    params = [
        alt.param(
            name="epoch",
            value=epoch,
            bind=alt.binding_range(min=0, max=epochs, step=every, name="epoch"),
        ),
        alt.param(
            name="dataset",
            value=datasets[0],
            bind=alt.binding_radio(
                options=datasets, labels=[REPLAY_DATASETS[n] for n in datasets], name="data set"
            ),
        ),
    ]
    shown = "datum.d == dataset && datum.e == epoch"
    heat = alt.Color(
        "value:Q",
        scale=alt.Scale(
            domain=[-1, 0, 1],
            range=hex_colours([-1, 0, 1], HEATMAP),
            interpolate="rgb",  # straight through the ramp's grey, as the explorer draws
            clamp=True,
        ),
        legend=None,
    )

    def cells(units: str):
        # The chosen pictures' values, one row per cell: k its place, row by row from the top.
        return (
            alt.Chart(pictures)
            .transform_filter(f"{shown} && {units}")
            .transform_calculate(v="split(datum.v, ',')")
            .transform_calculate(k="sequence(length(datum.v))")
            .transform_flatten(["v", "k"], as_=["value", "k"])
            # each cell keeps its value as a number, and not the whole picture
            .transform_calculate(value="toNumber(datum.value)", v="null")
        )

    # The output over the plane: cell k is at grid point (column k % n, row k / n).
    n, step = PLANE_CELLS, (DOMAIN[1] - DOMAIN[0]) / (PLANE_CELLS - 1)
    plane_axis = alt.Scale(domain=list(DOMAIN), nice=False)
    output = (
        cells("datum.u == 0")
        .transform_calculate(
            x=f"{DOMAIN[0]} + (datum.k % {n}) * {step} - {step / 2}",
            x_end=f"{DOMAIN[0]} + (datum.k % {n}) * {step} + {step / 2}",
            y=f"{DOMAIN[1]} - floor(datum.k / {n}) * {step} - {step / 2}",
            y_end=f"{DOMAIN[1]} - floor(datum.k / {n}) * {step} + {step / 2}",
        )
        .mark_rect(clip=True)
        .encode(
            x=alt.X("x:Q", title="x₁", scale=plane_axis),
            x2="x_end:Q",
            y=alt.Y("y:Q", title="x₂", scale=plane_axis),
            y2="y_end:Q",
            color=heat,
        )
    )
    low, high = hex_colours([-1, 1], DIVERGING)
    dots = (
        alt.Chart(points)
        .transform_filter("datum.d == dataset")
        .mark_point(filled=True, size=22, opacity=1, stroke="white", strokeWidth=0.6)
        .encode(
            x=alt.X("x:Q", scale=plane_axis),
            y=alt.Y("y:Q", scale=plane_axis),
            fill=alt.Fill("t:N", scale=alt.Scale(domain=[-1, 1], range=[low, high]), legend=None),
        )
    )
    plane = alt.layer(output, dots).properties(
        width=_PLANE_SIZE, height=_PLANE_SIZE, title="output over the plane"
    )

    # The thumbnails: neuron u's picture at its place, in pixels; cell k as in the plane.
    places = _thumbnail_places(hidden)
    pitch = _THUMBNAIL_SIZE + _THUMBNAIL_GAP
    cell = _THUMBNAIL_SIZE / THUMBNAIL_CELLS
    columns = "[" + ", ".join(f"{c:g}" for c, _ in places) + "]"
    rows_of = "[" + ", ".join(f"{r:g}" for _, r in places) + "]"
    m = THUMBNAIL_CELLS
    left = f"{columns}[datum.u - 1] * {pitch} + (datum.k % {m}) * {cell}"
    top = f"{rows_of}[datum.u - 1] * {pitch} + {_THUMBNAIL_GAP} + floor(datum.k / {m}) * {cell}"
    width = len(hidden) * pitch - _THUMBNAIL_GAP
    height = max(hidden) * pitch
    pixels_x = alt.Scale(domain=[0, width], range=[0, width], nice=False, zero=False)
    pixels_y = alt.Scale(domain=[0, height], range=[0, height], nice=False, zero=False)
    no_axis = dict(axis=None)
    neurons = (
        cells("datum.u > 0")
        .transform_calculate(x=left, x_end=f"{left} + {cell}", y=top, y_end=f"{top} + {cell}")
        .mark_rect()
        .encode(
            x=alt.X("x:Q", scale=pixels_x, **no_axis),
            x2="x_end:Q",
            y=alt.Y("y:Q", scale=pixels_y, **no_axis),
            y2="y_end:Q",
            color=heat,
        )
    )
    names = alt.Data(
        values=[
            {
                "name": f"H{layer + 1}.{neuron + 1}",
                "x": places[u][0] * pitch,
                "y": places[u][1] * pitch + _THUMBNAIL_GAP - 3,
            }
            for u, (layer, neuron) in enumerate(
                (layer, neuron) for layer, size in enumerate(hidden) for neuron in range(size)
            )
        ]
    )
    labels = (
        alt.Chart(names)
        .mark_text(align="left", baseline="bottom", fontSize=11)
        .encode(
            x=alt.X("x:Q", scale=pixels_x, **no_axis),
            y=alt.Y("y:Q", scale=pixels_y, **no_axis),
            text="name:N",
        )
    )
    thumbnails = alt.layer(neurons, labels).properties(
        width=width, height=height, title="hidden neurons"
    )

    # The losses of the chosen run against epoch, the chosen epoch marked and written.
    names_of = {"train": "training", "test": "test"}
    colour = alt.Color(
        "loss:N",
        title=None,
        scale=alt.Scale(domain=list(names_of.values()), range=[INK, MID_GREY]),
        legend=alt.Legend(orient="right"),
    )
    epoch_axis = alt.X("e:Q", title="epoch", scale=alt.Scale(domain=[0, epochs], nice=False))
    loss_axis = alt.Y("value:Q", title="loss", scale=alt.Scale(zero=True))
    folded = (
        alt.Chart(losses)
        .transform_filter("datum.d == dataset")
        .transform_fold(["train", "test"])
        .transform_calculate(
            loss=f"datum.key == 'train' ? '{names_of['train']}' : '{names_of['test']}'"
        )
    )
    curves = folded.mark_line(strokeWidth=1.6).encode(x=epoch_axis, y=loss_axis, color=colour)
    marked = (
        folded.transform_filter("datum.e == epoch")
        .mark_point(filled=True, size=50, opacity=1)
        .encode(x=epoch_axis, y=loss_axis, color=colour)
    )
    rule = (
        alt.Chart(alt.Data(values=[{"at": "epoch"}]))
        .transform_calculate(e="epoch")
        .mark_rule(strokeDash=[3, 3], color=MID_GREY)
        .encode(x=epoch_axis)
    )
    readout = (
        alt.Chart(losses)
        .transform_filter(shown)
        .transform_calculate(
            text=(
                "'epoch ' + datum.e + ':  training loss ' + format(datum.train, '.3f')"
                " + ',  test loss ' + format(datum.test, '.3f')"
            )
        )
        .mark_text(align="right", baseline="top", fontSize=12)
        .encode(x=alt.value(_PLANE_SIZE + width + 20 - 4), y=alt.value(4), text="text:N")
        .properties(name="readout")
    )
    loss_chart = alt.layer(rule, curves, marked, readout).properties(
        width=_PLANE_SIZE + width + 20, height=_LOSS_HEIGHT
    )

    chart = (
        alt.vconcat(alt.hconcat(thumbnails, plane, spacing=20), loss_chart, spacing=16)
        .add_params(*params)
        .resolve_scale(color="independent")
        .properties(datasets=datasets_of)
    )

    first = runs[datasets[0]]["session"].history
    last = first[epochs]
    offered = " and ".join(REPLAY_DATASETS[n] for n in datasets)
    layers = " and ".join(str(size) for size in hidden)
    description = (
        "A Playground training run replayed: the network of the explorer above (inputs "
        f"x₁ and x₂, hidden layers of {layers} tanh neurons, learning rate "
        f"{REPLAY_SETTINGS['learning_rate']:g}, seed {REPLAY_SETTINGS['seed']}), trained "
        f"for {epochs} epochs and recorded by the engine every {every} epochs. The "
        "epoch slider picks the epoch: the heatmap shows the output over the plane "
        "(blue +1, orange −1) with the training points, the small heatmaps each hidden "
        "neuron's output, and the line chart the training (black) and test (grey) loss "
        "per epoch with the chosen epoch marked and both losses written. The radio "
        f"buttons choose the data set ({offered}), each its own run. It starts on the "
        f"{REPLAY_DATASETS[datasets[0]]} at epoch {epoch}: training loss "
        f"{first[epoch][0]:.3f}, test loss {first[epoch][1]:.3f}; at epoch {epochs}: "
        f"training loss {last[0]:.3f}, test loss {last[1]:.3f}."
    )
    return interactive_chart(chart, description)
