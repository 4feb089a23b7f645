"""L1 against L2 as an interactive figure that needs no kernel (Vega-Lite, in the browser).

:func:`penalty_chart` draws two things side by side with the same controls:

- **the weights of trained networks**: the histogram of the 304 weights of the
  :class:`~widgets.explorers.regularization.RegularizationExplorer`'s L1 and L2 networks
  at one λ, with the weights that are exactly 0.0 counted apart (a gold bar at 0 and the
  count written above it, the explorer's own test: ``count_exact_zeros``). The networks
  are those of the explorer's cache for every λ of its slider (``10**-3`` to ``10**1`` in
  quarter steps of log₁₀ λ, rounded to 3 significant digits as the explorer does),
  trained by :func:`~widgets.explorers.regularization.train_setting` when the notebook
  runs, binned, and embedded; the browser only picks the rows of the λ and penalty chosen;
- **one weight's decay**: a weight with no data gradient stepped by its penalty alone,
  the rules of :func:`widgets.engine.penalties.decay_path` in closed form, computed in
  the browser by the Vega expressions of :data:`DECAY_EXPRESSIONS` (with
  :math:`s = \\eta\\lambda`):

  .. math:: w_k^{L1} = \\operatorname{sign}(w_0)\\max(|w_0| - k s, 0), \\qquad
            w_k^{L2} = w_0 (1 - s)^k

  and the step at which the L1 weight reaches exactly 0, :math:`\\lceil |w_0| / s
  \\rceil` (:func:`~widgets.engine.penalties.l1_steps_to_zero`).

``tests/explorers/test_chart_penalty.py`` compares the embedded histograms with a fresh
engine run; ``tests/site/test_chart_penalty.py`` compares what Chromium draws with the
engine.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from ...display.palette import GOLD, GREY, NAVY, RED, TEAL
from ...display.vega import VegaChart, interactive_chart
from ...engine.exceptions import DivergenceError
from ...engine.penalties import (
    count_exact_zeros,
    fit_penalised,
    l1_steps_to_zero,
    l1_weight_after,
    l2_weight_after,
)
from ...engine.sweeps import make_dataset
from ...engine.validation import check_choice, check_integer, check_number
from .widget import (
    _RUNS,
    DATA_SETS,
    HIDDEN,
    LAM_RANGE,
    MAX_ITER,
    N_TEST,
    N_TRAIN,
    PenaltyRun,
)

__all__ = [
    "penalty_chart",
    "penalty_chart_lambda",
    "DECAY_EXPRESSIONS",
    "PENALTY_CHART_LOG_LAMBDAS",
    "PENALTY_CHART_KINDS",
    "HISTOGRAM_BINS",
    "DECAY_STEPS",
    "EMBEDDED_DIGITS",
]

#: log₁₀ λ of the networks embedded: the explorer's λ slider (quarter steps).
LOG_LAMBDA_STEP = 0.25
PENALTY_CHART_LOG_LAMBDAS = tuple(
    k * LOG_LAMBDA_STEP
    for k in range(
        round(math.log10(LAM_RANGE[0]) / LOG_LAMBDA_STEP),
        round(math.log10(LAM_RANGE[1]) / LOG_LAMBDA_STEP) + 1,
    )
)
#: The penalty radio: one histogram, the other, or both side by side.
PENALTY_CHART_KINDS = ("l1", "l2", "both")
KIND_LABELS = {"l1": "L1", "l2": "L2", "both": "both"}
#: Bins of each histogram of non-zero weights, over [−top, top] (top: the largest |w|
#: of the L1 and L2 networks of that λ), as the explorer's histograms.
HISTOGRAM_BINS = 30
#: Significant digits of the embedded bin edges and accuracies.
EMBEDDED_DIGITS = 4
#: Steps of the one-weight decay panel.
DECAY_STEPS = 100
DECAY_WIDTH = 500
W0_RANGE = (-1.0, 1.0)
ETA_RANGE = (0.1, 1.0)
DECAY_LAM_RANGE = (0.005, 0.1)

_S = "(eta * decay_lam)"
_STEPS_RATIO = f"(abs(w0) / {_S})"

#: The calculate transforms of the decay panel: each row is one step ``datum.k``;
#: ``w0``, ``eta`` and ``decay_lam`` are the controls' parameters.
DECAY_EXPRESSIONS = {
    "L1": f"(w0 >= 0 ? 1 : -1) * max(abs(w0) - datum.k * {_S}, 0)",
    "L2": f"w0 * pow(1 - {_S}, datum.k)",
}
#: The step at which the L1 weight is exactly 0 (a ratio within 1e-9 of a whole number
#: counts as that number, as in :func:`~widgets.engine.penalties.l1_steps_to_zero`).
L1_ZERO_STEP = (
    f"abs({_STEPS_RATIO} - round({_STEPS_RATIO})) <= 1e-9 * max(1, {_STEPS_RATIO})"
    f" ? round({_STEPS_RATIO}) : ceil({_STEPS_RATIO})"
)


def penalty_chart_lambda(log_lam: float) -> float:
    """λ of the networks at ``log_lam`` = log₁₀ λ: ``10**log_lam`` to 3 significant
    digits, the key of the explorer's cache (0.316 for −0.5)."""
    log_lam = check_number(log_lam, "log_lam", -3.0, 1.0)
    return float(f"{10.0**log_lam:.3g}")


def _rounded(value: float) -> float:
    return float(f"{value:.{EMBEDDED_DIGITS}g}")


def _histogram_rows(log_lam, runs):
    """The embedded rows of one λ: for each penalty its non-empty bins (``part="bin"``),
    its exact zeros (``"zero"``, a bar one bin wide at 0) and its summary (``"label"``)."""
    weights = {
        penalty: np.concatenate([c.ravel() for c in runs[penalty].model.coefs_])
        for penalty in ("l1", "l2")
        if not runs[penalty].diverged
    }
    top = max((float(np.abs(w).max()) for w in weights.values()), default=1.0)
    top = max(top, 1e-6)
    edges = np.linspace(-top, top, HISTOGRAM_BINS + 1)
    half = _rounded(top / HISTOGRAM_BINS)
    rows = []
    for penalty in ("l1", "l2"):
        run, name = runs[penalty], KIND_LABELS[penalty]
        common = {"g": log_lam, "pen": name}
        if run.diverged:
            rows.append(
                common
                | {
                    "part": "label",
                    "lo": _rounded(edges[0]),
                    "hi": _rounded(edges[-1]),
                    "zeros": -1,
                }
            )
            continue
        w = weights[penalty]
        counts, _ = np.histogram(w[w != 0.0], bins=edges)
        for i in np.flatnonzero(counts):
            rows.append(
                common
                | {
                    "part": "bin",
                    "lo": _rounded(edges[i]),
                    "hi": _rounded(edges[i + 1]),
                    "n": int(counts[i]),
                }
            )
        if run.zeros:
            rows.append(common | {"part": "zero", "lo": -half, "hi": half, "n": run.zeros})
        rows.append(
            common
            | {
                "part": "label",
                "lo": _rounded(edges[0]),
                "hi": _rounded(edges[-1]),
                "zeros": run.zeros,
                "total": run.weights,
                "acc": _rounded(run.test_accuracy),
            }
        )
    return rows


def _penalty_run(data, penalty, lam, seed):
    """One network of the explorer's setting, as :func:`train_setting` trains it."""
    X, y, X_test, y_test = data
    try:
        with np.errstate(all="ignore"):
            model = fit_penalised(X, y, penalty, lam, hidden=HIDDEN, seed=seed, max_iter=MAX_ITER)
    except DivergenceError:
        return PenaltyRun(penalty, None, 0.0, 0.0, 0, 0)
    zeros, total = count_exact_zeros(model.coefs_)
    return PenaltyRun(
        penalty,
        model,
        float(np.mean(model.predict(X) == y)),
        float(np.mean(model.predict(X_test) == y_test)),
        zeros,
        total,
    )


@functools.lru_cache(maxsize=4)
def _network_rows(data, noise, seed):
    """The embedded rows of every λ, and the runs: the explorer's cached networks where
    it has them (the setting it shows), else the L1 and L2 networks trained here (its
    unpenalised network does not depend on λ and is not needed)."""
    points = make_dataset(data, noise, N_TRAIN, N_TEST, seed)
    rows, summary = [], {}
    for log_lam in PENALTY_CHART_LOG_LAMBDAS:
        lam = penalty_chart_lambda(log_lam)
        cached = _RUNS.get((data, noise, lam, seed))
        if cached is not None:
            runs = cached["runs"]
        else:
            runs = {penalty: _penalty_run(points, penalty, lam, seed) for penalty in ("l1", "l2")}
        rows += _histogram_rows(log_lam, runs)
        summary[log_lam] = runs
    return rows, summary


def _histograms(alt, rows, total):
    """The histogram panels: one column per penalty shown."""
    x = alt.X("lo:Q", title="weight", scale=alt.Scale(nice=False, zero=False))
    y = alt.Y(
        "n:Q",
        title="number of weights (log scale)",
        scale=alt.Scale(type="symlog", constant=1, domain=[0, 4 * total]),
        axis=alt.Axis(values=[0, 1, 3, 10, 30, 100, 300], format="d"),
    )
    bins = (
        alt.Chart()
        .transform_filter("datum.part == 'bin'")
        .mark_bar(color=NAVY, stroke="white", strokeWidth=0.5)
        .encode(x=x, x2="hi:Q", y=y, y2=alt.datum(0))
    )
    # (aria=False: the count written above says how many weights are 0, and with none
    # this layer is an empty SVG group, which screen readers and axe see as an
    # unlabelled image.)
    zeros = (
        alt.Chart()
        .transform_filter("datum.part == 'zero'")
        .mark_bar(color=GOLD, stroke=GREY, strokeWidth=1, aria=False)
        .encode(x=x, x2="hi:Q", y=y, y2=alt.datum(0))
    )
    label = alt.Chart().transform_filter("datum.part == 'label'")
    # Invisible, from −top to top: the same weight axis whichever penalties are shown.
    extent = label.mark_rule(opacity=0).encode(x=x, x2="hi:Q", y=alt.value(0))
    title = label.mark_text(align="left", baseline="top", fontSize=13, fontWeight="bold").encode(
        x=alt.value(4),
        y=alt.value(4),
        text="title:N",
    )
    count = (
        label.mark_text(align="left", baseline="top", fontSize=12)
        .encode(x=alt.value(4), y=alt.value(21), text="count:N")
        .properties(name="zero_count")
    )
    return (
        alt.layer(extent, bins, zeros, title, count, data=alt.Data(values=rows))
        .transform_filter(
            "(kind == 'both' || datum.pen == (kind == 'l1' ? 'L1' : 'L2'))"
            " && abs(datum.g - log_lam) < 0.01"
        )
        .transform_calculate(
            title="datum.pen + ', λ = ' + format(pow(10, datum.g), '.3~g')",
            count=(
                "datum.zeros < 0 ? 'diverged' : datum.zeros + ' of ' + datum.total"
                " + ' weights exactly 0, test acc. ' + format(datum.acc, '.2f')"
            ),
        )
        .properties(width=250, height=170)
        .facet(
            column=alt.Column(
                "pen:N", sort=["L1", "L2"], title=None, header=alt.Header(labels=False)
            )
        )
    )


def _decay(alt):
    """The one-weight panel: the L1 and L2 paths over :data:`DECAY_STEPS` steps."""
    colour = alt.Color(
        "rule:N",
        title=None,
        scale=alt.Scale(domain=["L1", "L2"], range=[RED, TEAL]),
        legend=alt.Legend(orient="right"),
    )
    shown = "kind == 'both' || datum.rule == (kind == 'l1' ? 'L1' : 'L2')"
    paths = (
        alt.Chart(alt.sequence(0, DECAY_STEPS + 1, 1, as_="k"))
        .transform_calculate(**DECAY_EXPRESSIONS)
        .transform_fold(["L1", "L2"], as_=["rule", "w"])
        .transform_filter(shown)
        .mark_line(strokeWidth=2)
        .encode(
            x=alt.X("k:Q", title="step", scale=alt.Scale(domain=[0, DECAY_STEPS], nice=False)),
            y=alt.Y("w:Q", title="one weight", scale=alt.Scale(domain=list(W0_RANGE), nice=False)),
            color=colour,
        )
    )
    zero_step = f"({L1_ZERO_STEP})"
    after = DECAY_EXPRESSIONS["L2"].replace("datum.k", str(DECAY_STEPS))
    readouts = (
        alt.Chart(alt.Data(values=[{"rule": "L1", "line": 0}, {"rule": "L2", "line": 1}]))
        .transform_filter(shown)
        .transform_calculate(
            top="4 + 16 * (kind == 'both' ? datum.line : 0)",
            zero_step=zero_step,
            l2_after=after,
            text=(
                "datum.rule == 'L1' ? 'L1: w − ηλ·sign(w), exactly 0 from step '"
                " + datum.zero_step"
                " : 'L2: w·(1 − ηλ), ' + format(datum.l2_after, '.3~g')"
                f" + ' after {DECAY_STEPS} steps, never 0'"
            ),
        )
        .mark_text(align="right", baseline="top", fontSize=12)
        .encode(
            x=alt.value(DECAY_WIDTH - 4),
            y=alt.Y("top:Q", axis=None, scale=None),
            text="text:N",
        )
        .properties(name="decay_readout")
    )
    return alt.layer(paths, readouts).properties(
        width=DECAY_WIDTH, height=170, title="one weight's decay, no data gradient"
    )


def penalty_chart(
    data="moons",
    noise=0.3,
    seed=0,
    kind="both",
    log_lam=-0.5,
    w0=1.0,
    eta=1.0,
    decay_lam=0.03,
) -> VegaChart:
    """Weight histograms of L1 and L2 networks at a chosen λ, and one weight's decay.

    Parameters
    ----------
    data, noise, seed :
        The explorer's setting whose networks are embedded (its data set, noise and
        seed): ``data`` one of ``"moons"``, ``"circles"``, ``"xor"``, ``"spirals"``,
        ``noise`` in [0, 0.5], ``seed`` from 0 to 4.
    kind : {"l1", "l2", "both"}, default "both"
        The starting choice of the penalty radio.
    log_lam : float, default −0.5
        The starting log₁₀ λ of the networks, one of :data:`PENALTY_CHART_LOG_LAMBDAS`
        (−3 to 1 in steps of 0.25; −0.5 is the explorer's λ = 0.316).
    w0 : float in [−1, 1], default 1
        The decaying weight's start.
    eta : float in [0.1, 1], default 1
        The learning rate η of the decay panel.
    decay_lam : float in [0.005, 0.1], default 0.03 (the lecture's)
        λ of the decay panel: each step is :math:`s = \\eta\\lambda`.

    Returns
    -------
    VegaChart
        Its description quotes the starting zero counts and decay, from the engine.
    """
    data = check_choice(data, DATA_SETS, "data")
    noise = check_number(noise, "noise", low=0.0, high=0.5)
    seed = check_integer(seed, "seed", low=0, high=4)
    kind = check_choice(kind, PENALTY_CHART_KINDS, "kind")
    log_lam = check_number(log_lam, "log_lam", -3.0, 1.0)
    if log_lam not in PENALTY_CHART_LOG_LAMBDAS:
        raise ValueError(f"log_lam must be a multiple of {LOG_LAMBDA_STEP}; got {log_lam!r}.")
    w0 = check_number(w0, "w0", *W0_RANGE)
    eta = check_number(eta, "eta", *ETA_RANGE)
    decay_lam = check_number(decay_lam, "decay_lam", *DECAY_LAM_RANGE)

    import altair as alt

    rows, summary = _network_rows(data, round(noise, 3), seed)
    total = max((run.weights for runs in summary.values() for run in runs.values()), default=1)
    params = [
        alt.param(
            name="kind",
            value=kind,
            bind=alt.binding_radio(
                options=list(PENALTY_CHART_KINDS),
                labels=[KIND_LABELS[k] for k in PENALTY_CHART_KINDS],
                name="penalty",
            ),
        ),
        alt.param(
            name="log_lam",
            value=log_lam,
            bind=alt.binding_range(
                min=PENALTY_CHART_LOG_LAMBDAS[0],
                max=PENALTY_CHART_LOG_LAMBDAS[-1],
                step=LOG_LAMBDA_STEP,
                name="networks: log₁₀ λ",
            ),
        ),
        alt.param(
            name="w0",
            value=w0,
            bind=alt.binding_range(min=W0_RANGE[0], max=W0_RANGE[1], step=0.05, name="decay: w₀"),
        ),
        alt.param(
            name="eta",
            value=eta,
            bind=alt.binding_range(
                min=ETA_RANGE[0], max=ETA_RANGE[1], step=0.05, name="decay: learning rate η"
            ),
        ),
        alt.param(
            name="decay_lam",
            value=decay_lam,
            bind=alt.binding_range(
                min=DECAY_LAM_RANGE[0], max=DECAY_LAM_RANGE[1], step=0.005, name="decay: λ"
            ),
        ),
    ]
    chart = alt.vconcat(_histograms(alt, rows, total), _decay(alt)).resolve_legend(
        color="independent"
    )
    # (set directly: Altair's add_params would rename the concatenated views' marks)
    chart.params = [p.param for p in params]

    runs = summary[log_lam]
    counts = "; ".join(
        f"{KIND_LABELS[p]}: "
        + (
            "diverged"
            if runs[p].diverged
            else f"{runs[p].zeros} of {runs[p].weights} weights exactly 0, test accuracy "
            f"{runs[p].test_accuracy:.2f}"
        )
        for p in ("l1", "l2")
        if kind in (p, "both")
    )
    lam = penalty_chart_lambda(log_lam)
    s = eta * decay_lam
    shown = [p for p in ("l1", "l2") if kind in (p, "both")]
    decay = []
    if "l1" in shown:
        decay.append(f"L1 exactly 0 from step {l1_steps_to_zero(w0, decay_lam, eta)}")
    if "l2" in shown:
        after = l2_weight_after(w0, decay_lam, DECAY_STEPS, eta)
        decay.append(f"L2 {after:.3g} after {DECAY_STEPS} steps")
    first = l1_weight_after(w0, decay_lam, 1, eta)
    description = (
        f"Top: histograms of the weights of the explorer's networks ({data}, noise "
        f"{noise:g}, seed {seed}) trained with an L1 or an L2 penalty, the weights that "
        "are exactly 0 as a gold bar at 0, with their count written above; the radio "
        "buttons show L1, L2 or both side by side and the slider picks λ from 0.001 to "
        f"10. It starts at λ = {lam:g}: {counts}. Bottom: one weight with no data "
        "gradient stepped by the penalty alone, computed in the browser: L1 subtracts "
        "η·λ·sign(w) each step and stops at 0, L2 multiplies it by 1 − η·λ; sliders set "
        f"the start w₀, η and λ. It starts at w₀ = {w0:g}, η = {eta:g}, λ = {decay_lam:g} "
        f"(step s = {s:g}, L1 {first:g} after one step): " + ", ".join(decay) + "."
    )
    return interactive_chart(chart, description)
