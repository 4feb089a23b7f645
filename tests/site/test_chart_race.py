"""Chapter 10's optimizer race chart: what it draws is the engine's runs, and it answers
every control.

The paths are precomputed and embedded; here the points of the drawn paths, the loss
curves, the current positions and the written losses are read back in Chromium at
settings chosen in this file and compared exactly with fresh
:func:`widgets.engine.surfaces.run_optimizer` runs rounded as the chart rounds them,
then the chart is driven through every control on the built site.
"""

from __future__ import annotations

import re

import pytest
from vegacheck import changes, control_names, drawn_marks, number, open_figure, range_input, texts

from widgets.engine.surfaces import run_optimizer
from widgets.explorers.optimizers import RACERS, race_chart

pytestmark = pytest.mark.browser
PAGE = "chapters/10_optimizers.html"

# Engine settings of the racers at the rates chosen below (presets × factor, written out).
ENGINE = {
    ("rosenbrock", "3"): {
        "sgd": ("sgd", dict(lr=0.003)),
        "adam": ("adam", dict(lr=0.3)),
        "rprop": ("rprop", dict(lr=0.03)),
        "nesterov": ("sgd", dict(lr=0.003, momentum=0.9, nesterov=True)),
        "adagrad": ("adagrad", dict(lr=1.0)),
        "delta_bar_delta": ("delta_bar_delta", dict(lr=0.0009, kappa=0.00009)),
    },
    ("saddle", "0.3"): {
        "momentum": ("sgd", dict(lr=0.006, momentum=0.9, nesterov=False)),
        "adagrad": ("adagrad", dict(lr=0.03)),
        "rmsprop": ("rmsprop", dict(lr=0.003)),
    },
    ("two_basins", "1"): {
        "delta_bar_delta": ("delta_bar_delta", dict(lr=0.01, kappa=0.001)),
        "adam": ("adam", dict(lr=0.05)),
    },
}
SHOWN = {
    ("rosenbrock", "3"): ("sgd", "adam", "rprop"),
    ("saddle", "0.3"): ("momentum", "adagrad", "rmsprop"),
    ("two_basins", "1"): ("delta_bar_delta", "adam"),
}
STEPS_CHOSEN = {("rosenbrock", "3"): 37, ("saddle", "0.3"): 5, ("two_basins", "1"): 150}


def _rounded(surface, label, key):
    name, hyper = ENGINE[key][label]
    run = run_optimizer(surface, name, steps=150, **hyper)
    x = [round(float(v), 3) + 0.0 for v in run.path[:, 0]]
    y = [round(float(v), 3) + 0.0 for v in run.path[:, 1]]
    gap = [float(f"{float(v):.3g}") for v in run.gaps]
    return run, x, y, gap


def _settings():
    settings = []
    for (surface, rates), shown in SHOWN.items():
        setting = dict(surface=surface, rates=rates, step=STEPS_CHOSEN[surface, rates])
        setting |= {f"show_{label}": label in shown for label in RACERS}
        settings.append(setting)
    return settings


def _by_mark(items, name):
    return [item for item in items if item.get("_mark", "").startswith(name)]


def test_race_chart_draws_the_engine_runs(chart_server, page_and_record):
    settings = _settings()
    drawn = drawn_marks(chart_server, page_and_record, "race", race_chart(), settings)
    for setting, marks in zip(settings, drawn):
        key = (setting["surface"], setting["rates"])
        step = setting["step"]
        paths = _by_mark(marks["line"], "paths")
        curves = _by_mark(marks["line"], "curves")
        positions = _by_mark(marks["symbol"], "positions")
        assert {p["racer"] for p in paths} == set(SHOWN[key]), setting
        readout = [d["_text"] for d in _by_mark(marks["text"], "readout")]
        assert len(readout) == len(SHOWN[key])
        for label in SHOWN[key]:
            run, x, y, gap = _rounded(setting["surface"], label, key)
            last = min(step, len(x) - 1)
            mine = sorted((p for p in paths if p["racer"] == label), key=lambda p: p["t"])
            assert [p["t"] for p in mine] == list(range(last + 1)), (setting, label)
            assert [p["x"] for p in mine] == x[: last + 1], (setting, label)
            assert [p["y"] for p in mine] == y[: last + 1], (setting, label)
            loss = sorted((p for p in curves if p["racer"] == label), key=lambda p: p["t"])
            assert [p["gap"] for p in loss] == gap[: last + 1], (setting, label)
            (here,) = [p for p in positions if p["racer"] == label]
            assert (here["t"], here["x"], here["y"]) == (last, x[last], y[last])
            title = RACERS[label][1]
            (line,) = [t for t in readout if t.startswith(title + ":")]
            if run.diverged and step >= run.diverged_at:
                assert line == f"{title}: diverged at step {run.diverged_at}"
            else:
                assert number(line.split(": ")[1]) == pytest.approx(gap[last], rel=5e-3), line
    # the settings reach a run that diverged, and one that did not by the chosen step
    rosenbrock = drawn[0]
    assert any("diverged" in d["_text"] for d in rosenbrock["text"])


def test_race_chart_answers_every_control(site_url, page_and_record):
    page, record = page_and_record
    figure = open_figure(site_url, page, PAGE)

    def box(label):
        return figure.locator(f".vega-bind input[type=checkbox][name='show_{label}']")

    moves = {
        "surface": lambda: figure.locator(".vega-bind select").select_option("rosenbrock"),
        "rates": lambda: figure.get_by_role("radio", name="presets × 3").check(),
        **{f"show_{label}": (lambda label=label: box(label).click()) for label in RACERS},
        "step": lambda: range_input(figure, "step").fill("37"),
    }
    assert set(moves) == control_names(figure), "every control of the chart is moved"
    unchanged = [name for name, move in moves.items() if not changes(page, figure, move)]
    assert unchanged == []
    # Every box was clicked once: Nesterov, Rprop, Adagrad and delta-bar-delta are ticked.
    shown = ("nesterov", "rprop", "adagrad", "delta_bar_delta")
    written = texts(figure)
    assert "Loss above the lowest after step 37:" in written
    for label in shown:
        name, hyper = ENGINE["rosenbrock", "3"][label]
        run = run_optimizer("rosenbrock", name, steps=150, **hyper)
        title = RACERS[label][1]
        (line,) = [t for t in written if t.startswith(title + ":")]
        if run.diverged and run.diverged_at <= 37:
            assert line == f"{title}: diverged at step {run.diverged_at}"
        else:
            value = number(re.sub(r"^.*: ", "", line))
            assert value == pytest.approx(float(run.gaps[37]), rel=5e-3), line
    # The step slider replays the race: back to step 0, every loss is the start's.
    assert changes(page, figure, lambda: range_input(figure, "step").fill("0"))
    assert "Loss above the lowest after step 0:" in texts(figure)
    # (and the check can fail: ticking nothing new leaves the marks as they are)
    assert not changes(page, figure, lambda: range_input(figure, "step").fill("0"), 1_500)
    assert record.foreign_requests == [] and record.failed_requests == []
    assert record.unexpected_console_errors() == []
