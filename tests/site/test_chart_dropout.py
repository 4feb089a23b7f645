"""Chapter 6's dropout chart: what it draws is the engine's sweep, and it answers its
control.

The accuracies are precomputed by the engine and embedded; here the drawn points, the
gap bars and the sentence on top are read back at every drop probability and compared
exactly with a fresh :func:`widgets.engine.stopping.dropout_sweep`, then the chart (the
second of its page) is driven through its control on the built site.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest
from vegacheck import changes, control_names, drawn_marks, open_figure, texts

from widgets.engine.stopping import dropout_sweep, inverted_dropout_scale, label_noise_data
from widgets.explorers.stopping import dropout_chart
from widgets.explorers.stopping.dropout import PS
from widgets.explorers.stopping.early_stopping_chart import rounded

pytestmark = pytest.mark.browser
PAGE = "chapters/06_when_to_stop.html"


@functools.cache
def fresh_sweep():
    """The explorer's first setting trained afresh by the engine (three seeds)."""
    train, test = [], []
    for seed in (0, 1, 2):
        data = label_noise_data("moons", 0.2, n_train=100, n_test=500, seed=seed)
        a, b = dropout_sweep(*data, PS, (64, 64), (seed,), max_iter=200)
        train.append(a[0])
        test.append(b[0])
    return np.array(train), np.array(test)


def expected_sentence(p):
    train, test = fresh_sweep()
    j = PS.index(p)
    gap = (train[:, j] - test[:, j]).mean()
    # (Vega writes a minus sign, U+2212, in a negative number.)
    return (
        f"p = {p:.1f} (kept units ×{inverted_dropout_scale(p):.2f}): training "
        f"{train[:, j].mean():.3f}, test {test[:, j].mean():.3f}, gap {gap:+.3f} (mean of 3 "
        "seeds)"
    ).replace("gap -", "gap \u2212")


def test_dropout_chart_draws_the_engine_sweep(chart_server, page_and_record):
    settings = [dict(p=p) for p in (0.8, 0.0, 0.4, 0.5, 0.2, 0.6)]
    drawn = drawn_marks(chart_server, page_and_record, "dropout", dropout_chart(), settings)
    train, test = fresh_sweep()
    means = {"train": train.mean(0), "test": test.mean(0)}
    for setting, marks in zip(settings, drawn):
        p = setting["p"]
        j = PS.index(p)
        # The two lines: their points are the engine's means at every p.
        points = {(d["key"], d["p"]): d["value"] for d in marks["line"]}
        assert points == {
            (key, q): rounded(means[key][k]) for key in means for k, q in enumerate(PS)
        }
        # The two dots at the chosen p (the lines' own points are the other symbols).
        dots = [(d["key"], d["value"]) for d in marks["symbol"] if d["p"] == p]
        assert sorted(dots) == sorted([(key, rounded(means[key][j])) for key in means] * 2), setting
        assert len(marks["symbol"]) == 2 * len(PS) + 2
        # The gold bar is the chosen p's gap, the others grey.
        bars = {d["p"]: (d["picked"], d["gap"]) for d in marks["rect"]}
        gaps = (train - test).mean(0)
        assert bars == {
            q: ("chosen p" if q == p else "other p", rounded(gaps[k])) for k, q in enumerate(PS)
        }
        (rule,) = marks["rule"]
        assert rule["p"] == p and rule["train"] == rounded(means["train"][j])
        (sentence,) = [d["_text"] for d in marks["text"]]
        assert sentence == expected_sentence(p), setting


def test_dropout_chart_answers_its_control(site_url, page_and_record):
    page, record = page_and_record
    figure = open_figure(site_url, page, PAGE, 1)
    moves = {"p": lambda: figure.get_by_role("radio", name="0.8", exact=True).check()}
    assert set(moves) == control_names(figure), "every control of the chart is moved"
    unchanged = [name for name, move in moves.items() if not changes(page, figure, move)]
    assert unchanged == []
    (sentence,) = texts(figure)
    assert sentence == expected_sentence(0.8)
    for p in (0.0, 0.2):
        assert changes(
            page, figure, lambda p=p: figure.get_by_role("radio", name=f"{p:g}", exact=True).check()
        )
        assert texts(figure) == [expected_sentence(p)]
    assert record.foreign_requests == [] and record.failed_requests == []
    assert record.unexpected_console_errors() == []
