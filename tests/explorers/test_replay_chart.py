"""Chapter 2's Playground replay (no browser): its arguments, its controls, its
description's numbers, and the embedded recording equals a fresh engine run exactly."""

from __future__ import annotations

import pytest

from widgets.engine.playground import featurize
from widgets.explorers.playground import replay_chart, run_playground
from widgets.explorers.playground.figures import output_over_plane
from widgets.explorers.playground.render import grid_points
from widgets.explorers.playground.replay_chart import (
    HEAT_DECIMALS,
    LOSS_DECIMALS,
    PLANE_CELLS,
    REPLAY_SETTINGS,
    THUMBNAIL_CELLS,
    picture_text,
    rounded,
)


@pytest.fixture(scope="module")
def chart():
    return replay_chart()


def _fresh(dataset, epoch):
    # An independent run: trained from scratch to ``epoch`` in one call.
    return run_playground(epoch, dataset=dataset, **REPLAY_SETTINGS)


def _numbers(text):
    return [float(v) for v in text.split(",")]


@pytest.mark.parametrize(("dataset", "epoch"), [("circle", 0), ("circle", 22), ("xor", 40)])
def test_embedded_pictures_equal_a_fresh_run(chart, dataset, epoch):
    session = _fresh(dataset, epoch)
    rows = sorted(
        (row["u"], row["v"])
        for row in chart.spec["datasets"]["pictures"]
        if row["d"] == dataset and row["e"] == epoch
    )
    grid = featurize(grid_points(THUMBNAIL_CELLS), session.config.features)
    hidden = session.net.layer_outputs(grid)[1:-1]
    expected = [rounded(output_over_plane(session, PLANE_CELLS), HEAT_DECIMALS)] + [
        rounded(neuron, HEAT_DECIMALS) for layer in hidden for neuron in layer.T
    ]
    assert [u for u, _ in rows] == list(range(1 + 4 + 2))
    assert [_numbers(v) for _, v in rows] == expected
    assert len(expected[0]) == PLANE_CELLS**2 and len(expected[1]) == THUMBNAIL_CELLS**2
    # (and the comparison can fail: the next recorded epoch is another picture)
    later = _fresh(dataset, epoch + 2)
    assert rounded(output_over_plane(later, PLANE_CELLS), HEAT_DECIMALS) != expected[0]


def test_embedded_losses_and_points_equal_a_fresh_run(chart):
    losses = chart.spec["datasets"]["losses"]
    points = chart.spec["datasets"]["points"]
    for dataset in ("circle", "xor"):
        session = _fresh(dataset, 40)
        embedded = [(r["e"], r["train"], r["test"]) for r in losses if r["d"] == dataset]
        assert embedded == [
            (e, *rounded(pair, LOSS_DECIMALS)) for e, pair in enumerate(session.history)
        ]
        drawn = [(r["x"], r["y"], r["t"]) for r in points if r["d"] == dataset]
        assert [t for *_, t in drawn] == session.y_train.astype(int).tolist()
        assert [(x, y) for x, y, _ in drawn] == [tuple(rounded(p, 2)) for p in session.X_train]
    # Pictures every 2 epochs, losses after every epoch.
    assert sorted({r["e"] for r in chart.spec["datasets"]["pictures"]}) == list(range(0, 41, 2))


def test_picture_text_reads_back_as_the_rounded_values():
    values = [0.874999, -0.004, 1.0, -1.0, 0.1 + 0.2, -0.0]
    assert picture_text(values) == "0.87,0.0,1.0,-1.0,0.3,0.0"  # no "-0.0"
    assert _numbers(picture_text(values)) == rounded(values, HEAT_DECIMALS)


def test_controls_and_description(chart):
    assert chart.parameters == {"epoch": 0, "dataset": "circle"}
    (epoch,) = [p for p in chart.spec["params"] if p["name"] == "epoch"]
    assert epoch["bind"] == {"input": "range", "min": 0, "max": 40, "step": 2, "name": "epoch"}
    (dataset,) = [p for p in chart.spec["params"] if p["name"] == "dataset"]
    assert dataset["bind"]["options"] == ["circle", "xor"]
    start, end = _fresh("circle", 0), _fresh("circle", 40)
    assert (
        f"at epoch 0: training loss {start.train_loss:.3f}, test loss {start.test_loss:.3f}"
        in chart.description
    )
    assert (
        f"at epoch 40: training loss {end.train_loss:.3f}, test loss {end.test_loss:.3f}"
        in chart.description
    )
    assert "hidden layers of 4 and 2 tanh neurons, learning rate 0.1" in chart.description


def test_chart_weight_and_determinism(chart):
    # The chart's HTML on the site stays well under the 1 MB this figure is allowed.
    assert len(chart.to_html().encode("utf-8")) < 500_000
    assert (
        replay_chart(datasets=("gauss",), epochs=4).spec
        == replay_chart(datasets=("gauss",), epochs=4).spec
    )


def test_argument_errors():
    with pytest.raises(ValueError, match="datasets"):
        replay_chart(datasets=("spiral",))
    with pytest.raises(ValueError, match="datasets"):
        replay_chart(datasets=("circle", "circle"))
    with pytest.raises(ValueError, match="datasets"):
        replay_chart(datasets=())
    with pytest.raises(TypeError, match="datasets"):
        replay_chart(datasets="circle")
    with pytest.raises(ValueError, match="epochs"):
        replay_chart(epochs=101)
    with pytest.raises(TypeError, match="epochs"):
        replay_chart(epochs=40.0)
    with pytest.raises(ValueError, match="multiple"):
        replay_chart(epochs=41)
    with pytest.raises(ValueError, match="multiple"):
        replay_chart(epoch=3)
    with pytest.raises(ValueError, match="epoch"):
        replay_chart(epoch=42)
