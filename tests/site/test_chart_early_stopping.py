"""Chapter 6's early-stopping chart: what it draws is the engine's run and rule, and it
answers its controls.

The curves and the rule's decisions are precomputed by the engine and embedded; here
the drawn curves, the two marked epochs and the sentence on top are read back at
settings chosen in this file and compared exactly with a fresh engine run
(:func:`widgets.engine.stopping.epoch_curves`, :func:`~widgets.engine.stopping.stopping_rule`),
then the chart is driven through every control on the built site.
"""

from __future__ import annotations

import functools
import re

import pytest
from vegacheck import changes, control_names, drawn_marks, open_figure, range_input, texts

from widgets.engine.stopping import epoch_curves, label_noise_data, stopping_rule
from widgets.explorers.stopping import early_stopping_chart
from widgets.explorers.stopping.early_stopping_chart import rounded

pytestmark = pytest.mark.browser
PAGE = "chapters/06_when_to_stop.html"
SERIES = {"loss": "training", "vloss": "validation", "tacc": "training", "vacc": "validation"}


@functools.cache
def fresh_run(fraction):
    """The explorer's first setting at ``fraction``, trained afresh by the engine."""
    data = label_noise_data("moons", 0.2, n_train=200, n_test=500, seed=0)
    return epoch_curves(*data, (128, 128), fraction, 300, learning_rate_init=0.01, seed=0)


def expected_sentence(fraction, patience):
    run = fresh_run(fraction)
    d = stopping_rule(run.val_score, patience, 1e-4)
    where = (
        f"the rule stops after epoch {d.stop_epoch}"
        if d.stopped
        else f"the rule never fires in {d.stop_epoch} epochs"
    )
    # (two lines, drawn as one text mark; compared without the line break)
    return (
        f"{where}, keeps epoch {d.best_epoch}validation accuracy there {d.best_score:.3f}, "
        f"test {run.test_score[d.best_epoch - 1]:.3f}  ({run.n_train} training, "
        f"{run.n_validation} validation examples)"
    )


SETTINGS = [
    dict(fraction=0.1, patience=3),
    dict(fraction=0.5, patience=50),
    dict(fraction=0.3, patience=17),
]


def test_early_stopping_chart_draws_the_engine_run_and_rule(chart_server, page_and_record):
    drawn = drawn_marks(
        chart_server, page_and_record, "early_stopping", early_stopping_chart(), SETTINGS
    )
    for setting, marks in zip(SETTINGS, drawn):
        fraction, patience = setting["fraction"], setting["patience"]
        run = fresh_run(fraction)
        decision = stopping_rule(run.val_score, patience, 1e-4)
        # Every point of the five curves: the engine's values, rounded as embedded.
        drawn_points = sorted((d["key"], d["e"], d["value"]) for d in marks["line"])
        expected = sorted(
            (key, epoch + 1, rounded(getattr(run, field)[epoch]))
            for key, field in (
                ("loss", "loss"),
                ("vloss", "val_loss"),
                ("tacc", "train_score"),
                ("vacc", "val_score"),
                ("test", "test_score"),
            )
            for epoch in range(300)
        )
        assert drawn_points == expected, setting
        assert {d["series"] for d in marks["line"] if d["key"] in SERIES} == {
            "training",
            "validation",
        }
        # The rules: the kept epoch in both panels, the stop too when the rule fired.
        rules = sorted((d["best"], d["stop"], d["fired"]) for d in marks["rule"])
        per_panel = 2 if decision.stopped else 1
        assert rules == [(decision.best_epoch, decision.stop_epoch, decision.stopped)] * (
            2 * per_panel
        ), setting
        sentences = [
            d["_text"].replace("\n", "") for d in marks["text"] if "examples" in d["_text"]
        ]
        assert sentences == [expected_sentence(fraction, patience)], setting
    # (the settings differ in what the rule does: the checks above can fail)
    assert len({d["text"][0]["_text"] for d in drawn}) == len(SETTINGS)


def test_early_stopping_chart_answers_every_control(site_url, page_and_record):
    page, record = page_and_record
    figure = open_figure(site_url, page, PAGE, 0)
    moves = {
        "fraction": lambda: range_input(figure, "fraction").fill("0.5"),
        "patience": lambda: range_input(figure, "patience").fill("25"),
    }
    assert set(moves) == control_names(figure), "every control of the chart is moved"
    unchanged = [name for name, move in moves.items() if not changes(page, figure, move)]
    assert unchanged == []
    (sentence,) = [text for text in texts(figure) if "examples" in text]
    assert sentence == expected_sentence(0.5, 25)
    stop = int(re.search(r"stops after epoch (\d+)", sentence).group(1))
    assert stop == stopping_rule(fresh_run(0.5).val_score, 25, 1e-4).stop_epoch
    assert record.foreign_requests == [] and record.failed_requests == []
    assert record.unexpected_console_errors() == []
