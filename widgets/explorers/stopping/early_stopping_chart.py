"""Early stopping as an interactive figure that needs no kernel (Vega-Lite, embedded runs).

:func:`early_stopping_chart` draws the per-epoch curves of the early-stopping explorer's
first setting (moons, 200 examples, 20 % flipped labels, two layers of 128 units, seed
0; :class:`~widgets.explorers.stopping.early_stopping.EarlyStoppingExplorer`) for each
validation fraction of :data:`CHART_FRACTIONS`, and marks the epoch the rule stops at
and the epoch whose weights it keeps. The validation fraction and the patience are
sliders (Vega-Lite parameters).

Nothing is computed in the browser: the curves are the explorer's own runs
(:func:`widgets.engine.stopping.epoch_curves`, cached per setting), and the rule's
decision for every (fraction, patience) pair is :func:`widgets.engine.stopping.stopping_rule`
applied to that run's validation accuracy, both computed when the notebook runs and
embedded (:func:`early_stopping_rows`); the browser only picks the rows of the chosen
fraction and patience. ``tests/explorers/test_early_stopping_chart.py`` compares the
embedded numbers with a fresh engine run exactly.
"""

from __future__ import annotations

import inspect

from ...display.palette import GOLD, GREY, NAVY, RED, TEAL
from ...display.vega import VegaChart, interactive_chart
from ...engine.stopping import stopping_rule
from ...engine.validation import check_integer, check_number
from .early_stopping import EPOCHS, EarlyStoppingExplorer, _run

__all__ = [
    "CHART_FRACTIONS",
    "CHART_PATIENCES",
    "CHART_TOL",
    "early_stopping_chart",
    "early_stopping_rows",
    "explorer_setting",
    "rounded",
]

#: The validation fractions offered: the ends and the middle of the explorer's slider
#: (each is one more 300-epoch run when the notebook executes, about 1.3 s).
CHART_FRACTIONS = (0.1, 0.3, 0.5)
FRACTION_STEP = 0.2
#: The patiences offered: the explorer's slider, 1 to 50.
CHART_PATIENCES = tuple(range(1, 51))
#: The rule's tolerance: the explorer's default.
CHART_TOL = 1e-4
#: Significant digits of the embedded losses and accuracies.
SIGNIFICANT_DIGITS = 4

_SERIES = {"training": NAVY, "validation": RED, "test": TEAL}


def rounded(value) -> float:
    """``value`` to :data:`SIGNIFICANT_DIGITS` significant digits, as embedded."""
    return float(f"{float(value):.{SIGNIFICANT_DIGITS}g}")


def explorer_setting(validation_fraction) -> tuple:
    """The explorer's cache key of its first setting with this validation fraction.

    The explorer's defaults (data, examples, label noise, layers, width, seed) are read
    from the signature of :class:`EarlyStoppingExplorer`, so the chart shows the runs
    the explorer shows when it opens (and reuses them from its cache).
    """
    start = {
        name: parameter.default
        for name, parameter in inspect.signature(EarlyStoppingExplorer).parameters.items()
    }
    fraction = check_number(validation_fraction, "validation_fraction", low=0.1, high=0.5)
    return (
        start["data"],
        start["n_train"],
        round(start["noise"], 3),
        start["layers"],
        start["width"],
        round(fraction, 3),
        start["seed"],
    )


def early_stopping_rows(fractions=CHART_FRACTIONS, patiences=CHART_PATIENCES, tol=CHART_TOL):
    """The embedded data: per-epoch curves and the rule's decisions.

    For each validation fraction, the explorer's run at its first setting
    (:func:`explorer_setting`; trained by :func:`widgets.engine.stopping.epoch_curves`
    unless the explorer's cache holds it) gives one curve row per epoch, and
    :func:`widgets.engine.stopping.stopping_rule` on its validation accuracies gives
    one decision row per patience. Losses and accuracies are :func:`rounded`.

    Returns
    -------
    curves : list of dict
        ``f`` (validation fraction), ``e`` (epoch from 1), ``loss`` (training loss),
        ``vloss`` (validation loss), ``tacc``, ``vacc``, ``test`` (training, validation
        and test accuracy after the epoch).
    decisions : list of dict
        ``f``, ``p`` (patience), ``stop`` (the last epoch trained), ``fired`` (whether
        the rule fired before the last epoch), ``best`` (the epoch whose weights are
        kept), ``bval`` and ``btest`` (validation and test accuracy of that epoch),
        ``nt`` and ``nv`` (training and validation examples).
    """
    fractions = [check_number(f, "fractions", low=0.1, high=0.5) for f in fractions]
    patiences = [check_integer(p, "patiences", low=1) for p in patiences]
    if not fractions or not patiences:
        raise ValueError("fractions and patiences must each name at least one value.")
    tol = check_number(tol, "tol", low=0.0)
    curves, decisions = [], []
    for fraction in fractions:
        run = _run(explorer_setting(fraction))
        f = round(fraction, 3)
        for epoch in range(run.n_epochs):
            curves.append(
                {
                    "f": f,
                    "e": epoch + 1,
                    "loss": rounded(run.loss[epoch]),
                    "vloss": rounded(run.val_loss[epoch]),
                    "tacc": rounded(run.train_score[epoch]),
                    "vacc": rounded(run.val_score[epoch]),
                    "test": rounded(run.test_score[epoch]),
                }
            )
        for patience in patiences:
            decision = stopping_rule(run.val_score, patience, tol)
            decisions.append(
                {
                    "f": f,
                    "p": patience,
                    "stop": decision.stop_epoch,
                    "fired": decision.stopped,
                    "best": decision.best_epoch,
                    "bval": rounded(decision.best_score),
                    "btest": rounded(run.test_score[decision.best_epoch - 1]),
                    "nt": run.n_train,
                    "nv": run.n_validation,
                }
            )
    return curves, decisions


# The sentence written above the curves (a Vega expression on a decision row).
READOUT = (
    "(datum.fired ? 'the rule stops after epoch ' + format(datum.stop, 'd')"
    " : 'the rule never fires in ' + format(datum.stop, 'd') + ' epochs')"
    " + ', keeps epoch ' + format(datum.best, 'd') + '\\n' + 'validation accuracy there '"
    " + format(datum.bval, '.3f') + ', test ' + format(datum.btest, '.3f') + '  ('"
    " + format(datum.nt, 'd') + ' training, ' + format(datum.nv, 'd') + ' validation examples)'"
)


def early_stopping_chart(validation_fraction=0.3, patience=10) -> VegaChart:
    """Loss and accuracy per epoch, with the epoch early stopping stops at and keeps.

    Parameters
    ----------
    validation_fraction : float, one of :data:`CHART_FRACTIONS`, default 0.3
        The starting share of the 200 examples held out for validation.
    patience : int in [1, 50], default 10
        The starting patience ``n_iter_no_change``: the rule stops after
        ``patience + 1`` epochs in a row whose validation accuracy does not beat the best
        so far by ``tol`` = :data:`CHART_TOL`.

    Returns
    -------
    VegaChart
        Its description quotes the first view's decision, from the engine.
    """
    fraction = check_number(validation_fraction, "validation_fraction", low=0.1, high=0.5)
    if round(fraction, 3) not in CHART_FRACTIONS:
        raise ValueError(
            f"validation_fraction must be one of {list(CHART_FRACTIONS)}; got {fraction!r}."
        )
    patience = check_integer(patience, "patience", low=CHART_PATIENCES[0], high=CHART_PATIENCES[-1])

    import altair as alt

    curves, decisions = early_stopping_rows()
    params = [
        alt.param(
            name="fraction",
            value=round(fraction, 3),
            bind=alt.binding_range(
                min=CHART_FRACTIONS[0],
                max=CHART_FRACTIONS[-1],
                step=FRACTION_STEP,
                name="validation fraction",
            ),
        ),
        alt.param(
            name="patience",
            value=patience,
            bind=alt.binding_range(
                min=CHART_PATIENCES[0], max=CHART_PATIENCES[-1], step=1, name="patience"
            ),
        ),
    ]
    # (A slider's value may carry a rounding error: compare the fraction with a margin.)
    of_fraction = "abs(datum.f - fraction) < 1e-6"
    width = 520
    colour = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(domain=list(_SERIES), range=list(_SERIES.values())),
        legend=alt.Legend(orient="top"),
    )
    x = alt.X("e:Q", title="epoch", scale=alt.Scale(domain=[0, EPOCHS + 1], nice=False, zero=False))
    series = "datum.key == 'loss' || datum.key == 'tacc' ? 'training' : "
    series += "datum.key == 'test' ? 'test' : 'validation'"
    decision = (
        alt.Chart(alt.NamedData(name="decisions"))
        .transform_filter(of_fraction)
        .transform_filter("datum.p == patience")
    )
    after_stop = (
        decision.transform_calculate(start="datum.stop + 0.5", end=f"{EPOCHS + 0.5}")
        .mark_rect(color=GREY, opacity=0.12)
        .encode(x=alt.X("start:Q"), x2="end:Q")
    )
    stop_rule = (
        decision.transform_filter("datum.fired")
        .mark_rule(color=GREY, strokeDash=[5, 4], strokeWidth=1.5)
        .encode(x=alt.X("stop:Q"))
    )
    kept_rule = decision.mark_rule(color=GOLD, strokeWidth=2.5).encode(x=alt.X("best:Q"))

    def panel(keys, title, scale):
        lines = (
            alt.Chart(alt.NamedData(name="curves"))
            .transform_filter(of_fraction)
            .transform_fold(keys, as_=["key", "value"])
            .transform_calculate(series=series)
            .mark_line(strokeWidth=1.6)
            .encode(x=x, y=alt.Y("value:Q", title=title, scale=scale), color=colour)
        )
        return alt.layer(after_stop, lines, stop_rule, kept_rule).properties(
            width=width, height=150
        )

    readout = (
        decision.transform_calculate(text=READOUT)
        .mark_text(align="left", baseline="top", fontSize=13, lineBreak="\n", lineHeight=17)
        .encode(x=alt.value(0), y=alt.value(0), text="text:N")
        .properties(width=width, height=34, view=alt.ViewBackground(stroke=None))
    )
    key = (
        alt.Chart(alt.Data(values=[{"text": "dashed: the rule stops; gold: weights kept"}]))
        .mark_text(align="left", baseline="middle", fontSize=12, color=GREY)
        .encode(x=alt.value(0), y=alt.value(10), text="text:N")
        .properties(width=width, height=20, view=alt.ViewBackground(stroke=None))
    )
    # Each data set once, named (every layer refers to it by name).
    chart = (
        alt.vconcat(
            readout,
            panel(["loss", "vloss"], "loss", alt.Scale(zero=True)),
            panel(["tacc", "vacc", "test"], "accuracy", alt.Scale(zero=False)),
            key,
            spacing=8,
        )
        .add_params(*params)
        .properties(datasets={"curves": curves, "decisions": decisions})
    )

    run = _run(explorer_setting(fraction))
    first = stopping_rule(run.val_score, patience, CHART_TOL)
    where = (
        f"stops after epoch {first.stop_epoch}"
        if first.stopped
        else f"never fires in {first.stop_epoch} epochs"
    )
    kept_test = run.test_score[first.best_epoch - 1]
    description = (
        "Two line charts against epochs 1 to 300 of one network (moons, 200 examples, "
        "20 % flipped labels, two hidden layers of 128): above, the training and "
        "validation loss; below, the training, validation and test accuracy. A dashed "
        "line marks the epoch the early-stopping rule stops at (the epochs after it "
        "shaded), a gold line the epoch whose weights it keeps, and the sentence on top "
        "gives both. The sliders set the validation fraction (0.1, 0.3 or 0.5: another "
        "run each) "
        "and the patience (1 to 50). It starts at validation fraction "
        f"{fraction:g} and patience {patience}: {run.n_train} training and "
        f"{run.n_validation} validation examples; the rule {where} and keeps epoch "
        f"{first.best_epoch} (validation accuracy {first.best_score:.3f}, test "
        f"{kept_test:.3f})."
    )
    return interactive_chart(chart, description)
