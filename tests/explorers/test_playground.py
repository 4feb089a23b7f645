"""The Playground explorer, headless: controls, frames, divergence, own data, rules, sharing."""

from __future__ import annotations

import base64
import io
import json
import re

import numpy as np
import pytest
from PIL import Image

from widgets.display.palette import DIVERGING, HEATMAP
from widgets.engine.playground import PlaygroundNet, featurize, make_data, split
from widgets.explorers.playground import Playground
from widgets.explorers.playground.render import grid_points
from widgets.explorers.playground.session import CONTROL_NAMES, PlaygroundConfig
from widgets.explorers.playground.widget import format_epoch


def _svg(tag_html: str) -> str:
    match = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', tag_html)
    assert match, "each picture should be an inline SVG image"
    return base64.b64decode(match.group(1)).decode("utf-8")


def _alt(tag_html: str) -> str:
    match = re.search(r'alt="([^"]*)"', tag_html)
    assert match
    return match.group(1)


def _heatmap_pixels(pg) -> np.ndarray:
    svg = _svg(pg.output_image.value)
    png = re.search(r'href="data:image/png;base64,([^"]+)"', svg).group(1)
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(png))).convert("RGB"))


def _engine_run(config: PlaygroundConfig, epochs: int):
    """The same run built straight from the engine, by the documented seeding rule."""
    seed = config.seed
    X, y = make_data(config.dataset, noise=config.noise, seed=np.random.default_rng([seed, 0, 0]))
    X_train, y_train, X_test, y_test = split(
        X, y, config.train_percent, seed=np.random.default_rng([seed, 1, 0])
    )
    net = PlaygroundNet(
        len(config.features),
        config.hidden,
        config.activation,
        config.problem,
        seed=np.random.default_rng([seed, 2, 0]),
    )
    F_train, F_test = featurize(X_train, config.features), featurize(X_test, config.features)
    for _ in range(epochs):
        net.train_epoch(
            F_train,
            y_train,
            config.learning_rate,
            config.batch_size,
            config.regularization,
            config.reg_rate,
        )
    return net.loss(F_train, y_train), net.loss(F_test, y_test), net


# ----------------------------------------------------------------- first view


def test_first_view_is_seeded_complete_and_described():
    a, b = Playground(), Playground()
    for name in ("output", "network", "loss_chart"):
        assert a.images[name] == b.images[name]
    assert (
        a.epoch == 0
        and a.epoch_label.value.count(format_epoch(0)) == 1
        and format_epoch(626) == "000,626"
    )
    assert "Output of the network over the plane" in _alt(a.output_image.value)
    assert "Network diagram: inputs X₁, X₂, then 2 hidden layers of 4, 2 neurons" in _alt(
        a.network_image.value
    )
    assert _alt(a.loss_chart.value).startswith("Loss chart over 0 epochs")
    assert f"Test loss <b>{a.test_loss:.3f}</b>" in a.loss_label.value
    # The original's defaults.
    assert a.config == PlaygroundConfig(
        dataset="circle",
        noise=0,
        train_percent=50,
        batch_size=10,
        features=("x1", "x2"),
        hidden=(4, 2),
        activation="tanh",
        learning_rate=0.03,
    )
    assert set(a.controls) | set(a.buttons) | {"learning_rule", "share"} == set(CONTROL_NAMES)


def test_view_data_is_the_network_over_the_grid():
    pg = Playground(dataset="xor", features=("x1", "x2", "x1*x2"), hidden=(3,))
    pg.step(3)
    expected = pg.net.predict(featurize(grid_points(100), ("x1", "x2", "x1*x2"))).reshape(100, 100)
    np.testing.assert_allclose(pg.view.output, expected)
    assert [layer.shape[0] for layer in pg.view.nodes] == [3, 3, 1]
    # The heatmap is those values through the lightened palette: row 0 is the top of the
    # plane (x2 = 6).
    pixels = _heatmap_pixels(pg)
    assert pixels.shape == (100, 100, 3)
    index = np.rint((np.clip(expected, -1, 1) + 1) * 127.5).astype(int)
    np.testing.assert_array_equal(pixels, HEATMAP[index])
    svg = _svg(pg.network_image.value)
    assert svg.count("<path ") == 3 * 3 + 3 * 1  # one link per weight
    # A thumbnail for each of the seven features (the four not fed in faded), each hidden
    # neuron and the output.
    assert svg.count("<use ") == 7 + 3 + 1
    assert svg.count('<svg x="') == 7 + 3 + 1 and svg.count('opacity="0.3"><use') == 4


def test_heatmap_is_lighter_than_the_points():
    """The original's look: the background at alpha 160/255 over white, points in full colour."""
    np.testing.assert_array_equal(HEATMAP[0], [249, 187, 116])  # orange, lightened
    np.testing.assert_array_equal(HEATMAP[-1], [100, 170, 214])  # blue, lightened
    assert (HEATMAP.astype(int) >= DIVERGING.astype(int)).all()  # never darker
    svg = _svg(Playground().output_image.value)
    fills = re.findall(r'<g fill="#([0-9a-f]{6})">((?:<circle [^>]*/>)+)</g>', svg)
    assert {fill for fill, _ in fills} == {"f59322", "0877bd"}, "the points' full colours"
    assert sum(circles.count("<circle") for _, circles in fills) == 250


def test_points_and_show_test_data():
    pg = Playground(train_percent=70)
    assert _svg(pg.output_image.value).count("<circle") == 350
    pg.controls["show_test_data"].value = True
    svg = _svg(pg.output_image.value)
    assert svg.count("<circle") == 500 and svg.count('stroke="black"') == 1
    assert "150 test points" in _alt(pg.output_image.value)


def test_discretize_draws_only_the_sign():
    pg = Playground()
    pg.step(2)
    pg.controls["discretize"].value = True
    colours = {tuple(c) for c in _heatmap_pixels(pg).reshape(-1, 3)}
    assert colours <= {tuple(HEATMAP[0]), tuple(HEATMAP[-1])}
    assert pg.epoch == 2, "drawing options do not restart training"


# ----------------------------------------------------------------- frames


def test_step_trains_exactly_like_the_engine():
    pg = Playground(dataset="spiral", noise=20, train_percent=70, seed=3)
    frames = pg.frames
    pg.step(4)
    assert pg.epoch == 4 and pg.frames == frames + 4 and len(pg.session.history) == 5
    train, test, net = _engine_run(pg.config, 4)
    assert pg.train_loss == pytest.approx(train, rel=1e-12) and pg.test_loss == pytest.approx(
        test, rel=1e-12
    )
    for a, b in zip(pg.net.weights, net.weights):
        np.testing.assert_allclose(a, b, rtol=1e-12)
    assert _alt(pg.loss_chart.value).startswith("Loss chart over 4 epochs")


def test_play_ticks_are_frames_and_stop_is_not():
    pg = Playground()
    play = pg.buttons["play"]
    play.value += 1
    play.value += 1
    assert pg.epoch == 2
    play.value = 0  # the Play widget's stop button rewinds
    assert pg.epoch == 2
    pg.buttons["step"].click()
    assert pg.epoch == 3


def test_learning_rate_applies_live_but_architecture_restarts():
    pg = Playground()
    pg.step(3)
    weights = [w.copy() for w in pg.net.weights]
    pg.controls["learning_rate"].value = 0.1
    assert pg.epoch == 3 and all(np.array_equal(a, b) for a, b in zip(weights, pg.net.weights))
    pg.controls["reg_rate"].value = 0.01
    assert pg.epoch == 3
    for name, value in [("activation", "relu"), ("batch_size", 5), ("regularization", "L2")]:
        pg.step(1)
        pg.controls[name].value = value
        assert pg.epoch == 0, name
    pg.step(1)
    pg.controls["features"].value = ("x1", "x2", "x1^2")
    assert pg.epoch == 0 and pg.net.n_inputs == 3
    pg.controls["hidden"].value = (5,)
    assert pg.net.layer_sizes == (3, 5, 1)
    # Going back to an earlier shape gives back the same initial weights (same seed, same resets).
    first = Playground(
        features=("x1", "x2", "x1^2"),
        hidden=(5,),
        activation="relu",
        batch_size=5,
        regularization="L2",
        learning_rate=0.1,
        reg_rate=0.01,
    )
    np.testing.assert_array_equal(first.net.weights[0], pg.net.weights[0])


def test_data_controls():
    pg = Playground()
    X = pg.session.X.copy()
    pg.controls["dataset"].value = "spiral"
    assert not np.array_equal(X, pg.session.X) and pg.session.config.dataset == "spiral"
    pg.controls["train_percent"].value = 80
    assert len(pg.session.y_train) == 400
    pg.controls["noise"].value = 25
    assert pg.session.config.noise == 25
    pg.controls["problem"].value = "regression"
    assert pg.session.config.dataset == "plane" and len(pg.session.X) == 1200
    assert list(pg.controls["dataset"].options) == ["plane", "multigauss"]
    pg.controls["problem"].value = "classification"
    assert pg.session.config.dataset == "spiral", "each problem type remembers its data set"


def test_reset_and_regenerate():
    pg = Playground()
    pg.step(2)
    X, w = pg.session.X.copy(), pg.net.weights[0].copy()
    pg.buttons["reset"].click()
    assert (
        pg.epoch == 0
        and np.array_equal(X, pg.session.X)
        and not np.array_equal(w, pg.net.weights[0])
    )
    pg.buttons["regenerate"].click()
    assert pg.config.seed == 1 and not np.array_equal(X, pg.session.X)


def test_layer_editor_buttons_and_limits():
    pg = Playground()
    editor = pg.controls["hidden"]
    editor.add_layer.click()
    assert pg.config.hidden == (4, 2, 2)
    editor.layers.children[0].children[0].children[0].click()  # "+" on layer 1
    assert pg.config.hidden == (5, 2, 2)
    editor.layers.children[1].children[0].children[1].click()  # "−" on layer 2
    assert pg.config.hidden == (5, 1, 2)
    assert (
        editor.layers.children[1].children[0].children[1].disabled
    )  # a layer keeps at least one neuron
    for _ in range(5):
        editor.add_layer.click()
    assert len(pg.config.hidden) == 6 and editor.add_layer.disabled
    for _ in range(6):
        editor.remove_layer.click()
    assert pg.config.hidden == () and pg.net.layer_sizes == (2, 1) and editor.remove_layer.disabled


def test_feature_toggles_and_an_empty_selection():
    pg = Playground()
    picker = pg.controls["features"]
    picker.buttons["sin(x1)"].value = True
    assert pg.config.features == ("x1", "x2", "sin(x1)")
    picker.buttons["x1"].value = False
    picker.buttons["x2"].value = False
    picker.buttons["sin(x1)"].value = False  # nothing left to feed the network
    assert "at least one feature" in pg.message and "nnoe-error" in pg.status_line.value
    assert pg.config.features == ("sin(x1)",), "the last valid network stays"
    picker.buttons["x1"].value = True
    assert pg.message == "" and pg.config.features == ("x1",)


# ----------------------------------------------------------------- divergence


def test_learning_rate_10_shows_diverged_and_controls_stay_usable():
    pg = Playground(learning_rate=10)
    pg.buttons["play"].playing = True
    pg.step(40)
    assert pg.diverged and pg.diverged.startswith("diverged at epoch")
    assert "nnoe-error" in pg.status_line.value and "diverged" in pg.status_line.value
    assert pg.buttons["play"].playing is False
    epoch = pg.epoch
    pg.step(3)
    assert pg.epoch == epoch, "a diverged run does not train on"
    for image in pg.images.values():
        assert "nan" not in _svg(image).lower() and "nan" not in _alt(image).lower()
    assert np.isfinite(pg.session.history).all()
    pg.controls["learning_rate"].value = 0.03
    assert pg.diverged is None and pg.epoch == 0
    pg.step(5)
    assert pg.epoch == 5 and pg.train_loss < 0.6


def test_exploding_regression_is_stopped_without_nan():
    pg = Playground(
        problem="regression", activation="relu", hidden=(8, 8), learning_rate=10, batch_size=1
    )
    pg.step(5)
    assert pg.diverged and "grew without bound" in pg.diverged
    assert all(np.isfinite(w).all() for w in pg.net.weights)
    assert "nan" not in pg.images["output"].lower()


# ----------------------------------------------------------------- beyond the original


def test_own_data():
    rng = np.random.default_rng(0)
    X = rng.uniform(-5, 5, size=(120, 2))
    y = (X[:, 0] > 1).astype(int)  # labels 0/1
    pg = Playground(X=X, y=y, train_percent=60)
    assert pg.config.dataset == "custom" and "custom" in pg.controls["dataset"].options
    assert set(np.unique(pg.session.y)) == {-1.0, 1.0}
    np.testing.assert_array_equal(pg.session.y, np.where(y == 1, 1.0, -1.0))
    assert pg.controls["noise"].disabled and len(pg.session.y_train) == 72
    pg.step(30)
    assert pg.test_loss < pg.session.history[0][1]
    pg.controls["dataset"].value = "gauss"
    pg.controls["dataset"].value = "custom"
    np.testing.assert_array_equal(pg.session.X, X)
    reg = Playground(X=X, y=X[:, 0] / 5, problem="regression")
    assert reg.net.problem == "regression"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"X": np.zeros((10, 3)), "y": np.zeros(10)}, r"X must have shape \(n_samples, 2\)"),
        ({"X": np.zeros((10, 2)), "y": np.zeros(9)}, "10 labels expected, got 9"),
        ({"X": np.full((10, 2), np.nan), "y": np.zeros(10)}, "X must not contain NaN"),
        ({"X": np.zeros((10, 2)), "y": np.arange(10)}, "exactly two classes"),
        ({"X": np.zeros((10, 2))}, "give both X and y"),
        ({"dataset": "custom"}, "needs your own data"),
    ],
)
def test_own_data_is_checked(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Playground(**kwargs)


def test_learning_rule_panel_shows_the_update_just_applied():
    pg = Playground(regularization="L2", reg_rate=0.01)
    assert "No update yet" in pg.rule_text.value
    pg.step(1)
    pg.rule_weight.value = (1, 2, 1)  # H1.3 -> H2.2
    update = pg.net.last_update
    text = pg.rule_text.value
    w0, grad, pen, w1 = (
        update.weights_before[1][2, 1],
        update.gradient_step[1][2, 1],
        update.penalty_step[1][2, 1],
        update.weights_after[1][2, 1],
    )
    assert pen == pytest.approx(0.03 * 0.01 * w0) and w1 == pytest.approx(w0 - grad - pen)
    for number in (w0, grad, pen, w1):
        assert f"{number:.6g}" in text
    assert w1 == pg.net.weights[1][2, 1]
    labels = [label for label, _ in pg.rule_weight.options]
    assert (
        labels[0] == "X₁ → H1.1"
        and labels[-1] == "H2.2 → output"
        and len(labels) == 2 * 4 + 4 * 2 + 2
    )


def test_learning_rule_panel_reports_an_l1_death():
    pg = Playground(dataset="gauss", regularization="L1", reg_rate=0.3, learning_rate=0.1)
    pg.step(3)
    dead = np.argwhere(pg.net.dead[0])
    assert len(dead)
    pg.rule_weight.value = (0, *map(int, dead[0]))
    assert "dead" in pg.rule_text.value or "Crossed zero" in pg.rule_text.value


def test_configuration_round_trip_and_hidden_controls():
    pg = Playground(
        dataset="spiral",
        noise=20,
        train_percent=70,
        hidden=(6, 6, 2),
        features=("x1", "x2", "sin(x1)"),
        learning_rate=0.01,
        regularization="L1",
        reg_rate=0.001,
        seed=4,
        hide=("features", "hidden"),
    )
    text = pg.to_json()
    assert json.loads(text)["hide"] == ["features", "hidden"]
    copy = Playground.from_config(text)
    assert copy.config == pg.config and copy.images == pg.images
    assert Playground.from_config(pg.to_dict()).images == pg.images
    assert pg.features_box.layout.display == "none"  # the toggles with their heading
    assert (
        pg.controls["hidden"].layout.display == "none"
        and pg.controls["noise"].layout.display is None
    )
    assert json.loads(pg.share_text.value) == pg.to_dict()


def test_share_panel_applies_and_reports_bad_text():
    pg = Playground()
    config = pg.to_dict() | {"dataset": "xor", "hidden": [3]}
    pg.share_text.value = json.dumps(config)
    pg.share_apply.click()
    assert pg.config.dataset == "xor" and pg.config.hidden == (3,)
    assert pg.controls["dataset"].value == "xor" and pg.controls["hidden"].value == (3,)
    pg.share_text.value = "{not json"
    pg.share_apply.click()
    assert "could not read" in pg.share_message.value
    pg.share_text.value = json.dumps(config | {"noise": 55})
    pg.share_apply.click()
    assert "noise must be from 0 to 50" in pg.share_message.value
    assert pg.config.noise == 0


def test_set_changes_several_settings_with_one_redraw():
    pg = Playground()
    frames = pg.frames
    pg.set(dataset="xor", features=["x1*x2"], hidden=[], activation="linear")
    assert pg.frames == frames + 1 and pg.net.layer_sizes == (1, 1)
    assert pg.controls["features"].value == ("x1*x2",) and pg.controls["dataset"].value == "xor"


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"dataset": "moons"}, ValueError, "dataset must be one of"),
        ({"dataset": "plane"}, ValueError, "regression data set"),
        ({"noise": 55}, ValueError, "noise must be from 0 to 50"),
        ({"noise": 12.5}, TypeError, "noise must be a whole number"),
        ({"noise": "5"}, TypeError, "noise must be a whole number"),
        ({"noise": 12}, ValueError, "noise must be a multiple of 5"),
        ({"train_percent": 95}, ValueError, "train_percent must be from 10 to 90"),
        ({"batch_size": 0}, ValueError, "batch_size must be from 1 to 30"),
        ({"features": ["x3"]}, ValueError, "unknown feature"),
        ({"hidden": (9,)}, ValueError, "1 to 8 neurons"),
        ({"activation": "softmax"}, ValueError, "activation must be one of"),
        (
            {"learning_rate": 0.05},
            ValueError,
            "learning_rate must be one of the Playground's values",
        ),
        ({"regularization": "L3"}, ValueError, "regularization must be one of"),
        ({"reg_rate": 0.2}, ValueError, "reg_rate must be one of"),
        ({"problem": "ranking"}, ValueError, "problem must be one of"),
        ({"seed": -1}, ValueError, "seed must be at least 0"),
        ({"seed": 1.5}, TypeError, "seed must be a whole number"),
        ({"activation": 3}, TypeError, "activation must be a string"),
        ({"learning_rate": "fast"}, TypeError, "learning_rate must be a real number"),
        ({"hide": ["everything"]}, ValueError, "hide: unknown control"),
    ],
)
def test_constructor_rejects_bad_settings(kwargs, error, message):
    with pytest.raises(error, match=message):
        Playground(**kwargs)


def test_config_rejects_unknown_keys():
    with pytest.raises(ValueError, match="unknown configuration keys"):
        Playground.from_config({"dataset": "xor", "colour": "red"})
    with pytest.raises(TypeError, match="config must be"):
        Playground.from_config(42)


# ----------------------------------------------------------------- layout


def test_columns_fit_the_books_text_width():
    """Data | features and hidden layers | output, side by side within the site's text width
    (a widget area is 688 px wide, 672 px in the dark theme)."""
    from widgets.explorers.playground import widget

    pg = Playground()
    row = pg.widget.children[2]
    widths = [int(column.layout.width.removesuffix("px")) for column in row.children]
    gaps = 2 * widget.GAP
    assert len(widths) == 3 and sum(widths) + gaps <= 672
    toolbar = pg.widget.children[0]
    assert pg.buttons["step"] in toolbar.children[0].children  # the toolbar is on top


def test_layer_buttons_sit_above_their_columns():
    from widgets.explorers.playground import widget
    from widgets.explorers.playground.render import NODE, network_columns

    for hidden in [(4, 2), (1,), (8,) * 6, (3, 5, 2)]:
        pg = Playground(hidden=hidden)
        editor = pg.controls["hidden"]
        xs, step = network_columns(len(hidden))
        left = float(editor.layers.layout.margin.split()[-1].removesuffix("px"))
        for k, column in enumerate(editor.layers.children):
            assert float(column.layout.width.removesuffix("px")) == pytest.approx(step, abs=0.01)
            centre = left + (k + 0.5) * step  # in the editor's coordinates
            drawing = centre - editor.drawing_left  # in the drawing's coordinates
            assert drawing == pytest.approx(xs[k + 1] + NODE / 2, abs=0.6), (hidden, k)
        assert editor.drawing_left == widget.TOGGLE_WIDTH - widget.FEATURES_HEADING_WIDTH


def test_every_text_drawn_is_at_least_11_px():
    pg = Playground(hidden=(8,) * 6, show_test_data=True)
    pg.step(2)
    for name, tag in pg.images.items():
        sizes = [float(v) for v in re.findall(r'font-size="([\d.]+)"', _svg(tag))]
        assert all(size >= 11 for size in sizes), (name, sizes)
    editor_text = "".join(c.children[1].value for c in pg.controls["hidden"].layers.children)
    assert re.findall(r"font-size:(\d+)px", editor_text) == ["11"] * 6


def test_feature_toggles_are_level_with_the_drawings_rows():
    from widgets.explorers.playground.render import NETWORK_TOP, NODE, ROW

    pg = Playground()
    picker = pg.controls["features"]
    assert picker.layout.padding.startswith(f"{NETWORK_TOP}px")
    for button in picker.buttons.values():
        assert button.layout.height == f"{NODE}px"
        assert button.layout.margin.split()[2] == f"{ROW - NODE}px"
    assert pg.feature_labels.layout.display == "none"
    hidden = Playground(hide=("features",))
    assert (
        hidden.features_box.layout.display == "none"
        and hidden.feature_labels.layout.display is None
    )
    assert "sin(X₂)" in hidden.feature_labels.value


def test_dataset_picker_shows_thumbnails_and_keeps_one_chosen():
    pg = Playground()
    picker = pg.controls["dataset"]
    assert list(picker.options) == ["circle", "xor", "gauss", "spiral"]
    # Row by row: two thumbnails, then their two toggles.
    images, toggles = (
        picker.children[0:2] + picker.children[4:6],
        picker.children[2:4] + picker.children[6:8],
    )
    assert all("<img" in image.value for image in images)
    assert list(toggles) == list(picker.buttons.values())
    picker.buttons["xor"].value = True  # a click on "xor"
    assert pg.config.dataset == "xor" and picker.value == "xor"
    assert [b.value for b in picker.buttons.values()] == [False, True, False, False]
    picker.buttons["xor"].value = False  # a click on the chosen one: it stays chosen
    assert pg.config.dataset == "xor" and picker.buttons["xor"].value
    pg.controls["problem"].value = "regression"
    assert list(picker.buttons) == ["plane", "multigauss"] and picker.buttons["plane"].value
    # With your own data, a third: its toggle under its thumbnail (a blank beside it).
    rng = np.random.default_rng(0)
    X = rng.uniform(-5, 5, size=(50, 2))
    own = Playground(X=X, y=X[:, 0] / 5, problem="regression").controls["dataset"]
    assert list(own.options) == ["plane", "multigauss", "custom"]
    assert "your own data" in own.children[4].value and own.children[5].value == ""
    assert own.children[6] is own.buttons["custom"]


def test_data_sliders_show_their_value_in_their_name():
    pg = Playground(noise=25)
    assert pg.controls["noise"].description == "noise: 25%"
    pg.controls["train_percent"].value = 70
    assert pg.controls["train_percent"].description == "training data: 70%"
    pg.set(batch_size=3)
    assert pg.controls["batch_size"].description == "batch size: 3"
