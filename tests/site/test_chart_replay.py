"""Chapter 2's Playground replay: what it draws is the engine's run, and it answers its
controls.

The pictures and losses are precomputed by the engine and embedded; here the drawn
cells, points and losses are read back at epochs and data sets chosen in this file and
compared exactly with a fresh Playground run rounded as the chart rounds them, then
the chart is driven through every control on the built site.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from vegacheck import changes, control_names, drawn_marks, number, open_figure, range_input, texts

from widgets.engine.playground import featurize
from widgets.explorers.playground import run_playground
from widgets.explorers.playground.figures import output_over_plane
from widgets.explorers.playground.render import grid_points
from widgets.explorers.playground.replay_chart import (
    HEAT_DECIMALS,
    LOSS_DECIMALS,
    PLANE_CELLS,
    REPLAY_SETTINGS,
    THUMBNAIL_CELLS,
    replay_chart,
    rounded,
)

pytestmark = pytest.mark.browser
PAGE = "chapters/02_architecture.html"
# (data set, epoch): not the first view only, both data sets, the run's two ends.
SETTINGS = [("circle", 14), ("xor", 40), ("circle", 0), ("xor", 6)]


@pytest.fixture(scope="module")
def chart():
    return replay_chart()


def _fresh(dataset, epoch):
    return run_playground(epoch, dataset=dataset, **REPLAY_SETTINGS)


def _readout(text):
    return [number(v) for v in re.findall(r"[\u2212-]?\d+(?:\.\d+)?", text)]


def test_replay_draws_the_engine_run(chart, chart_server, page_and_record):
    settings = [{"dataset": d, "epoch": e} for d, e in SETTINGS]
    drawn = drawn_marks(chart_server, page_and_record, "replay", chart, settings)
    for (dataset, epoch), marks in zip(SETTINGS, drawn):
        session = _fresh(dataset, epoch)
        rects = marks["rect"]
        output = sorted((d["k"], d["value"]) for d in rects if d["u"] == 0)
        assert [k for k, _ in output] == list(range(PLANE_CELLS**2))
        assert [v for _, v in output] == rounded(
            output_over_plane(session, PLANE_CELLS), HEAT_DECIMALS
        ), (dataset, epoch)
        # Each cell is drawn at its grid point (row 0 at the top of the plane).
        centres = np.array(
            [[d["x"] + d["x_end"], d["y"] + d["y_end"]] for d in rects if d["u"] == 0]
        )
        order = np.argsort([d["k"] for d in rects if d["u"] == 0])
        assert np.allclose(centres[order] / 2, grid_points(PLANE_CELLS))
        # Every hidden neuron's thumbnail, layer by layer.
        net = session.net
        grid = featurize(grid_points(THUMBNAIL_CELLS), session.config.features)
        hidden = net.layer_outputs(grid)[1:-1]
        expected = [rounded(column, HEAT_DECIMALS) for layer in hidden for column in layer.T]
        for unit, values in enumerate(expected, start=1):
            cells = sorted((d["k"], d["value"]) for d in rects if d["u"] == unit)
            assert [v for _, v in cells] == values, (dataset, epoch, unit)
        assert {d["u"] for d in rects} == set(range(len(expected) + 1))
        # The training points of this data set only.
        dots = marks["symbol"]
        points = [d for d in dots if "t" in d]
        assert len(points) == len(session.y_train)
        assert [d["t"] for d in points] == session.y_train.astype(int).tolist()
        # The losses: both curves, the marked epoch and the readout.
        train, test = session.history[-1]
        curve = sorted((d["e"], d["key"], d["value"]) for d in marks["line"])
        assert len(curve) == 2 * (40 + 1)
        marked = {d["key"]: d["value"] for d in dots if "key" in d}
        assert marked == {
            "train": rounded([train], LOSS_DECIMALS)[0],
            "test": rounded([test], LOSS_DECIMALS)[0],
        }
        (readout,) = [d["_text"] for d in marks["text"] if d["_text"].startswith("epoch")]
        assert _readout(readout) == [epoch, round(train, 3), round(test, 3)], readout


def test_replay_answers_every_control(site_url, page_and_record):
    page, record = page_and_record
    figure = open_figure(site_url, page, PAGE)
    moves = {
        "epoch": lambda: range_input(figure, "epoch").fill("24"),
        "dataset": lambda: figure.get_by_role("radio", name="checkerboard (xor)").check(),
    }
    assert set(moves) == control_names(figure), "every control of the chart is moved"
    unchanged = [name for name, move in moves.items() if not changes(page, figure, move)]
    assert unchanged == []
    session = _fresh("xor", 24)
    (readout,) = [t for t in texts(figure) if t.startswith("epoch")]
    assert _readout(readout) == pytest.approx(
        [24, session.train_loss, session.test_loss], abs=5e-4
    ), readout
    # The circle again draws something else, and so does every other epoch tried.
    assert changes(page, figure, lambda: figure.get_by_role("radio", name="circle").check())
    for epoch in ("0", "40", "2"):
        assert changes(page, figure, lambda e=epoch: range_input(figure, "epoch").fill(e)), epoch
    # (and the check can fail: the same epoch again changes nothing)
    assert not changes(page, figure, lambda: range_input(figure, "epoch").fill("2"), 1_500)
    assert record.foreign_requests == [] and record.failed_requests == []
    assert record.unexpected_console_errors() == []
