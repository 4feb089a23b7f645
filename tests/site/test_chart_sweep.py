"""Chapter 5's hidden-node sweep chart: what it draws is the engine's sweep, and it
answers its controls.

The accuracies are precomputed and embedded, so what the browser draws must equal a
fresh engine run (``make_dataset`` and ``width_sweep``, outside the explorer's cache)
rounded to the chart's decimals, exactly: every point of both curves, the best width's
diamond and the text written above the chart, at settings chosen in this file. Then
the chart is driven through every control on the built site.
"""

from __future__ import annotations

import pytest
from vegacheck import changes, control_names, drawn_marks, open_figure, range_input, texts

from widgets.engine.sweeps import WIDTHS, best_width, make_dataset, width_sweep
from widgets.explorers.network_size import DECIMALS, best_label, width_sweep_chart

pytestmark = pytest.mark.browser
PAGE = "chapters/05_network_size.html"
# (noise, α): low noise, the noisiest with a moderate penalty, a strong penalty (every
# width alike: the best is the smallest), the start.
SETTINGS = [(0.05, 1e-4), (0.45, 0.1), (0.35, 10.0), (0.15, 0.1), (0.25, 1e-4)]


def engine_view(noise, alpha):
    """What the chart should draw at (noise, α): set → width → accuracy, the best width,
    its accuracy and the label, from a sweep trained here."""
    data = make_dataset("moons", noise, 200, 400, 0)
    sweep = width_sweep(*data, alpha=alpha, seed=0, max_iter=200)
    curves = {
        name: {w: round(float(a), DECIMALS) for w, a in zip(WIDTHS, values)}
        for name, values in (
            ("training", sweep.train_accuracy),
            ("validation", sweep.validation_accuracy),
        )
    }
    width = best_width(WIDTHS, sweep.validation_accuracy)
    score = curves["validation"][width]
    return curves, width, score, best_label(width, score)


def _by_set(items):
    out = {}
    for d in items:
        assert d["width"] not in out.setdefault(d["set"], {}), d
        out[d["set"]][d["width"]] = d["accuracy"]
    return out


def test_sweep_chart_draws_the_engine_accuracies(chart_server, page_and_record):
    settings = [{"noise": n, "alpha": a} for n, a in SETTINGS]
    drawn = drawn_marks(chart_server, page_and_record, "sweep", width_sweep_chart(), settings)
    labels = set()
    for (noise, alpha), marks in zip(SETTINGS, drawn):
        curves, width, score, label = engine_view(noise, alpha)
        symbols = {}
        for d in marks["symbol"]:
            symbols.setdefault(d["_mark"], []).append(d)
        assert _by_set(symbols["accuracy_points_marks"]) == curves, (noise, alpha)
        assert _by_set(marks["line"]) == curves, (noise, alpha)
        (diamond,) = symbols["best_point_marks"]
        assert (diamond["width"], diamond["accuracy"]) == (width, score), (noise, alpha)
        (rule,) = marks["rule"]
        assert rule["width"] == width
        (text,) = [d["_text"] for d in marks["text"]]
        assert text == label, (noise, alpha)
        labels.add(text)
    assert len(labels) == len(SETTINGS), "each setting writes its own best width"


def test_sweep_chart_answers_every_control(site_url, page_and_record):
    page, record = page_and_record
    figure = open_figure(site_url, page, PAGE)
    assert texts(figure, "best_label_marks") == [engine_view(0.25, 1e-4)[3]]
    moves = {
        "noise": lambda: range_input(figure, "noise").fill("0.45"),
        "alpha": lambda: figure.get_by_role("radio", name="0.1").check(),
    }
    assert set(moves) == control_names(figure), "every control of the chart is moved"
    unchanged = [name for name, move in moves.items() if not changes(page, figure, move)]
    assert unchanged == []
    # The best width written at the final setting is the engine's.
    assert texts(figure, "best_label_marks") == [engine_view(0.45, 0.1)[3]]
    # Every noise level of the slider draws something else.
    for noise in ("0.35", "0.25", "0.15", "0.05"):
        move = lambda noise=noise: range_input(figure, "noise").fill(noise)  # noqa: E731
        assert changes(page, figure, move), noise
    assert changes(page, figure, lambda: figure.get_by_role("radio", name="10").check())
    assert texts(figure, "best_label_marks") == [engine_view(0.05, 10.0)[3]]
    # (and the check can fail: choosing the α already chosen changes nothing)
    assert not changes(page, figure, lambda: figure.get_by_role("radio", name="10").check(), 1_500)
    assert record.foreign_requests == [] and record.failed_requests == []
    assert record.unexpected_console_errors() == []
