"""Chapter 5's hidden-node sweep as an interactive figure that needs no kernel (Vega-Lite).

:func:`width_sweep_chart` draws the training and validation accuracy of one hidden layer
of 1, 2, 4 … 128 ReLU units against the width, and marks and writes the width with the
best validation accuracy. Its controls are the data's noise (a slider over
:data:`NOISE_LEVELS`, levels of the explorer's noise slider) and the L2 penalty α
(radio buttons over :data:`ALPHAS`, values of the explorer's α slider).

Nothing is trained in the browser: when the notebook runs, every setting of the grid
``NOISE_LEVELS × ALPHAS`` is swept by the engine through the explorer's own cache
(:func:`widgets.explorers.network_size.widget.cached_sweep`, so the setting the explorer has
just shown is not trained again), the accuracies are embedded as the spec's dataset
``accuracy`` (rounded to :data:`DECIMALS` decimals) and each setting's best width
(:func:`widgets.engine.sweeps.best_width`) as its dataset ``best``, and the chart's
``filter`` transforms (:data:`SWEEP_FILTER`) pick the rows of the setting the controls
name. ``tests/explorers/test_chart_sweep.py``
compares the embedded rows with a fresh engine run, exactly.
"""

from __future__ import annotations

from ...display.palette import GOLD, GREY, NAVY, RED
from ...display.vega import VegaChart, interactive_chart
from ...engine.sweeps import DATASETS, WIDTHS, best_width
from ...engine.validation import check_choice, check_integer, check_number
from .widget import cached_sweep

__all__ = [
    "ALPHAS",
    "DECIMALS",
    "NOISE_LEVELS",
    "SWEEP_FILTER",
    "best_label",
    "sweep_rows",
    "width_sweep_chart",
]

#: The noise levels of the slider: every other level of the explorer's (step 0.05),
#: including its starting 0.25.
NOISE_LEVELS = (0.05, 0.15, 0.25, 0.35, 0.45)
#: The L2 penalties of the radio buttons: almost none (the explorer's start), moderate,
#: and so strong that every width draws the same nearly straight boundary.
ALPHAS = (1e-4, 0.1, 10.0)
#: Decimals of the embedded accuracies (a fraction of 200 or 400 points: exact at 4).
DECIMALS = 4
#: The sets, in the legend's order, with their colours and point shapes.
SETS = {"training": (NAVY, "circle"), "validation": (RED, "square")}

#: Keeps the rows of the setting the controls name: ``noise`` and ``alpha`` are the
#: parameters (a slider's value may differ from the level in the last bits).
SWEEP_FILTER = "abs(datum.noise - noise) < 1e-6 && datum.alpha == alpha"


def best_label(width: int, accuracy: float) -> str:
    """The text written above the chart: the best validation width and its accuracy."""
    units = "unit" if width == 1 else "units"
    return f"best validation accuracy: {accuracy:.3f}, with {width} hidden {units}"


def sweep_rows(data="moons", n_train=200, seed=0):
    """The embedded grid: one engine sweep per (noise, α) of the chart's controls.

    Each sweep is ``cached_sweep(data, noise, n_train, alpha, seed)``: widths 1 … 128,
    400 validation points, L-BFGS for up to 200 iterations (100 for digits), as the
    explorer trains them.

    Returns
    -------
    accuracy : list of dict
        One row per setting, width and set: ``noise``, ``alpha``, ``width``, ``set``
        (``"training"`` or ``"validation"``) and ``accuracy``, the fraction of correct
        labels ``mean(predict(X) == y)`` rounded to :data:`DECIMALS` decimals.
    best : list of dict
        One row per setting: ``noise``, ``alpha``, ``width`` (the smallest width with
        the highest validation accuracy), its rounded ``accuracy`` and ``label``
        (:func:`best_label`).
    """
    accuracy, best = [], []
    for alpha in ALPHAS:
        for noise in NOISE_LEVELS:
            _, sweep = cached_sweep(data, noise, n_train, alpha, seed)
            setting = {"noise": noise, "alpha": alpha}
            for name, values in (
                ("training", sweep.train_accuracy),
                ("validation", sweep.validation_accuracy),
            ):
                accuracy += [
                    {
                        **setting,
                        "width": int(width),
                        "set": name,
                        "accuracy": round(float(a), DECIMALS),
                    }
                    for width, a in zip(sweep.widths, values)
                ]
            width = best_width(sweep.widths, sweep.validation_accuracy)
            score = round(
                float(sweep.validation_accuracy[list(sweep.widths).index(width)]), DECIMALS
            )
            best.append(
                {**setting, "width": width, "accuracy": score, "label": best_label(width, score)}
            )
    return accuracy, best


def width_sweep_chart(noise=0.25, alpha=1e-4, data="moons", n_train=200, seed=0) -> VegaChart:
    """Training and validation accuracy against hidden units, noise and α on controls.

    Parameters
    ----------
    noise : float, one of :data:`NOISE_LEVELS`, default 0.25
        The starting noise (the explorer's).
    alpha : float, one of :data:`ALPHAS`, default 1e-4
        The starting L2 penalty (the explorer's).
    data : {"moons", "circles", "xor", "spirals", "digits"}, default "moons"
        The task of every sweep (:func:`widgets.engine.sweeps.make_dataset`).
    n_train : int in [20, 400], default 200
        Training points of every sweep.
    seed : int in [0, 4], default 0
        Seeds the data and the initial weights of every sweep.

    Returns
    -------
    VegaChart
        Its data are the :func:`sweep_rows` of the grid ``NOISE_LEVELS × ALPHAS``
        (15 sweeps of 8 networks, trained by the engine unless the explorer's cache
        holds them); its description quotes the starting setting's accuracies.
    """
    noise = check_number(noise, "noise", low=0.0, high=0.5)
    if noise not in NOISE_LEVELS:
        raise ValueError(f"noise must be one of {list(NOISE_LEVELS)}; got {noise!r}.")
    alpha = check_number(alpha, "alpha", low=0.0)
    if alpha not in ALPHAS:
        raise ValueError(f"alpha must be one of {list(ALPHAS)}; got {alpha!r}.")
    data = check_choice(data, DATASETS, "data")
    n_train = check_integer(n_train, "n_train", low=20, high=400)
    seed = check_integer(seed, "seed", low=0, high=4)

    import altair as alt

    accuracy, best = sweep_rows(data, n_train, seed)
    params = [
        alt.param(
            name="noise",
            value=noise,
            bind=alt.binding_range(
                min=NOISE_LEVELS[0],
                max=NOISE_LEVELS[-1],
                step=round(NOISE_LEVELS[1] - NOISE_LEVELS[0], 6),
                name="noise",
            ),
        ),
        alt.param(
            name="alpha",
            value=alpha,
            bind=alt.binding_radio(
                options=list(ALPHAS), labels=[f"{a:g}" for a in ALPHAS], name="L2 α"
            ),
        ),
    ]
    lowest = min(row["accuracy"] for row in accuracy)
    x = alt.X(
        "width:Q",
        title="hidden units (one layer; log scale)",
        scale=alt.Scale(type="log", base=2, domain=[WIDTHS[0], WIDTHS[-1]]),
        axis=alt.Axis(values=list(WIDTHS), format="d"),
    )
    y = alt.Y(
        "accuracy:Q",
        title="accuracy",
        scale=alt.Scale(domain=[min(0.75, int(lowest * 20) / 20), 1.0]),
    )
    colour = alt.Color(
        "set:N",
        title=None,
        scale=alt.Scale(domain=list(SETS), range=[c for c, _ in SETS.values()]),
        legend=alt.Legend(orient="right"),
    )
    shape = alt.Shape(
        "set:N",
        title=None,
        scale=alt.Scale(domain=list(SETS), range=[s for _, s in SETS.values()]),
    )
    curves = alt.Chart(alt.Data(name="accuracy")).transform_filter(SWEEP_FILTER)
    lines = curves.mark_line(strokeWidth=2).encode(x=x, y=y, color=colour, detail="set:N")
    points = curves.mark_point(filled=True, size=60, opacity=1).encode(
        x=x, y=y, color=colour, shape=shape
    )
    chosen = alt.Chart(alt.Data(name="best")).transform_filter(SWEEP_FILTER)
    rule = chosen.mark_rule(strokeDash=[4, 3], color=GREY).encode(x=x)
    star = chosen.mark_point(
        shape="diamond", filled=True, size=260, color=GOLD, stroke=GREY, strokeWidth=1, opacity=1
    ).encode(x=x, y=y)
    label = chosen.mark_text(align="left", baseline="bottom", fontSize=13).encode(
        x=alt.value(0), y=alt.value(-8), text="label:N"
    )
    chart = (
        alt.layer(
            rule.properties(name="best_rule"),
            lines.properties(name="accuracy_lines"),
            points.properties(name="accuracy_points"),
            star.properties(name="best_point"),
            label.properties(name="best_label"),
        )
        .add_params(*params)
        .properties(width=420, height=240, datasets={"accuracy": accuracy, "best": best})
    )

    start = {(row["noise"], row["alpha"]): row for row in best}[(noise, alpha)]
    shown = [r for r in accuracy if r["noise"] == noise and r["alpha"] == alpha]
    train = ", ".join(f"{r['accuracy']:.3f}" for r in shown if r["set"] == "training")
    validation = ", ".join(f"{r['accuracy']:.3f}" for r in shown if r["set"] == "validation")
    description = (
        "Line chart of the training (navy circles) and validation (red squares) accuracy "
        f"of one hidden layer of 1, 2, 4 … 128 ReLU units against the width (log scale), "
        f"on {data} with {n_train} training and 400 validation points, seed {seed}, each "
        "network trained by the engine when the notebook ran. The noise slider "
        f"({NOISE_LEVELS[0]:g} to {NOISE_LEVELS[-1]:g}) and the L2 α buttons "
        f"({', '.join(f'{a:g}' for a in ALPHAS)}) pick one of the "
        f"{len(NOISE_LEVELS) * len(ALPHAS)} sweeps; a gold diamond and a dashed line mark "
        "the width with the best validation accuracy, written above the chart. It starts "
        f"at noise {noise:g} and α = {alpha:g}: training {train}; validation {validation}; "
        f"{start['label']}."
    )
    return interactive_chart(chart, description)
