"""The Playground explorer: TensorFlow Playground in a notebook, plus what it lacks.

One line in a notebook::

    from widgets import Playground
    Playground(dataset="spiral", noise=20, train_percent=70)

Every control and display of the original (see ``playground-spec.md`` in the course's
planning folder): play/pause, step, reset, regenerate, the data set picker with
thumbnails, noise, ratio, batch size, feature toggles, add/remove layers and neurons,
learning rate, activation, regularization and its rate, problem type, show test data,
discretize output, the epoch counter, test and training loss, the loss chart, the output
heatmap with the points, a thumbnail of every neuron's output and links drawn by weight
sign and size. Laid out as the original: the toolbar on top, then the columns data |
features | hidden layers | output side by side (within the book's text width), the
feature toggles beside the drawing's feature column, the layer buttons above the
network and each layer's neuron buttons above its column. Beyond the original:

* your own 2-D data: ``Playground(X=points, y=labels)``;
* a learning-rule panel: for a chosen weight, the last update with its numbers
  (summed derivative, gradient term, penalty term, new value);
* a shareable configuration (``to_json()`` / ``Playground.from_config(text)``, and a
  "share" panel), with ``hide=(...)`` to hide controls for a classroom exercise.

Headless use (tests, benchmarks, chapters)::

    pg = Playground()
    pg.controls["learning_rate"].value = 0.1  # exactly what choosing it in the notebook does
    pg.step(5)  # 5 play-mode frames: an epoch and a full redraw each
    pg.epoch, pg.train_loss, pg.test_loss, pg.config, pg.view

A frame trains one epoch and redraws everything through the Explorer base's one redraw
path (:meth:`widgets.display.Explorer._update`): the same path for ``step()``, the step
button, each tick of the play button, every control and ``set()``.
"""

from __future__ import annotations

import functools
import html
import json

import ipywidgets as w
import numpy as np
import traitlets
from ipywidgets.widgets.widget_bool import ToggleButtonStyle
from ipywidgets.widgets.widget_string import HTMLStyle

from ...display import Explorer, status_html
from ...display.images import png_img_tag, svg_img_tag
from ...engine.playground import (
    DATASETS,
    FEATURES,
    LEARNING_RATES,
    MAX_HIDDEN_LAYERS,
    MAX_NEURONS_PER_LAYER,
    REG_RATES,
    make_data,
)
from ...engine.playground.net import ACTIVATIONS
from ...engine.validation import check_integer
from .render import (
    COLOUR_LEGEND_ALT,
    FEATURE_LABELS,
    NETWORK_TOP,
    NETWORK_WIDTH,
    NODE,
    OUTPUT_WIDTH,
    POINT_STROKES,
    ROW,
    compute_view,
    dataset_thumbnail,
    describe_loss_chart,
    describe_network,
    describe_output,
    network_columns,
    points_svg,
    render_colour_legend,
    render_loss_chart,
    render_network,
    render_output,
)
from .session import (
    CONTROL_NAMES,
    CUSTOM,
    DEFAULT_DATASET,
    PROBLEMS,
    PlaygroundConfig,
    PlaygroundSession,
)

# Milliseconds between two play-mode frames: 30 frames a second.
PLAY_INTERVAL_MS = 33
# The Play widget counts frames up to this, far more than anyone will watch.
PLAY_MAX = 10**9


def format_epoch(epoch: int) -> str:
    """The original's counter: six digits with a thousands separator, 000,626."""
    return f"{epoch:07,}"


# --------------------------------------------------------------------------- the layout

# The original's columns, side by side under the toolbar: data | features | hidden layers |
# output. Their widths (px) and gaps add up to 664, inside the book's text width: on the
# site a widget area is 688 px wide (672 in the dark theme, which pads it; JupyterLab's
# is wider); on a narrower screen the columns wrap. The features and hidden layers share
# one drawing (render.NETWORK_WIDTH): the feature toggles sit left of it, one per row of
# the drawing, and each layer's +/− buttons above its column.
DATA_WIDTH = 120
TOGGLE_WIDTH = 54
OUTPUT_COLUMN_WIDTH = OUTPUT_WIDTH
GAP = 6
#: Width of the "Features" heading over the toggles and the drawing's feature column; the
#: layer editor starts right of it, so its first column is never left of its edge.
FEATURES_HEADING_WIDTH = 85


def _px(value: float) -> str:
    return f"{value:.0f}px"


_SLIDER_TEXT = {
    "train_percent": "training data: {}%",
    "noise": "noise: {}%",
    "batch_size": "batch size: {}",
}


def _slider_text(name: str, value: int) -> str:
    """A data slider's name with its value, shown above it (it has no separate readout)."""
    return _SLIDER_TEXT[name].format(value)


# --------------------------------------------------------------------------- composite controls


class FeaturePicker(w.VBox):
    """One toggle per input feature, in a column level with the drawing's feature rows;
    ``value`` is the tuple of selected features.

    The features come in the Playground's order, whatever order they were picked in.
    """

    value = traitlets.Tuple()

    def __init__(self, value=("x1", "x2")):
        # One layout and one style for all the toggles: a saved notebook stores each once.
        layout = w.Layout(
            width=_px(TOGGLE_WIDTH - 4),
            height=_px(NODE),
            margin=f"0 4px {_px(ROW - NODE)} 0",
            padding="0",
        )
        style = ToggleButtonStyle()
        self.buttons = {
            name: w.ToggleButton(
                value=name in value,
                description=FEATURE_LABELS[name],
                tooltip=f"feed {FEATURE_LABELS[name]} to the network",
                layout=layout,
                style=style,
            )
            for name in FEATURES
        }
        super().__init__(
            list(self.buttons.values()),
            layout=w.Layout(width=_px(TOGGLE_WIDTH), padding=f"{_px(NETWORK_TOP)} 0 0 0"),
        )
        self.add_class("nnoe-pg-features")
        self._updating = False
        self.value = tuple(name for name in FEATURES if name in value)
        for button in self.buttons.values():
            button.observe(self._on_toggle, names="value")

    def _on_toggle(self, change):
        if not self._updating:
            self.value = tuple(name for name, button in self.buttons.items() if button.value)

    @traitlets.observe("value")
    def _show_value(self, change):
        self._updating = True
        try:
            for name, button in self.buttons.items():
                button.value = name in change["new"]
        finally:
            self._updating = False


def feature_labels_html() -> str:
    """The features' names level with the drawing's rows (shown when the toggles are hidden)."""
    rows = "".join(
        f'<div style="height:{NODE}px;line-height:{NODE}px;margin-bottom:{ROW - NODE}px">'
        f"{html.escape(FEATURE_LABELS[name])}</div>"
        for name in FEATURES
    )
    style = f"padding-top:{NETWORK_TOP}px;text-align:right;padding-right:6px"
    return f'<div style="{style}">{rows}</div>'


class DatasetPicker(w.GridBox):
    """The data sets as the original shows them: a thumbnail each, two to a row, with a
    toggle under it; ``value`` is the chosen name, ``options`` the names on offer.

    The grid's children are, row by row, two thumbnails then their two toggles.
    """

    value = traitlets.Unicode()
    options = traitlets.List()

    def __init__(self, options, value, thumbnail):
        self._thumbnail = thumbnail  # name -> the <img> of its thumbnail
        self.buttons = {}
        self._updating = False
        cell = (DATA_WIDTH - GAP) // 2
        # One layout and one style for all the toggles, one layout for all the thumbnails.
        self._button_layout = w.Layout(width="100%", height="22px", padding="0", margin="0 0 4px 0")
        self._button_style = ToggleButtonStyle(font_size="11px")
        self._image_layout = w.Layout(margin="0 auto")
        self._image_style = HTMLStyle()
        super().__init__(
            layout=w.Layout(
                grid_template_columns=f"repeat(2, {cell}px)",
                grid_gap=f"2px {GAP}px",
                justify_items="center",
            )
        )
        self.options = list(options)
        self.value = value

    @traitlets.observe("options")
    def _build_cells(self, change):
        old = self.children
        self.buttons = {}
        images = []
        for name in change["new"]:
            button = w.ToggleButton(
                value=name == self.value,
                description=name,
                tooltip=f"use the {name} data set",
                style=self._button_style,
                layout=self._button_layout,
            )
            button.observe(lambda change, name=name: self._on_toggle(name, change), names="value")
            self.buttons[name] = button
            # line-height 0: no gap under the picture, so its toggle sits right below it.
            images.append(
                w.HTML(
                    f'<div style="line-height:0">{self._thumbnail(name)}</div>',
                    layout=self._image_layout,
                    style=self._image_style,
                )
            )
        buttons = list(self.buttons.values())
        cells = []
        for k in range(0, len(buttons), 2):
            cells += images[k : k + 2] + buttons[k : k + 2]
            if len(buttons[k : k + 2]) == 1:  # an odd last row: its toggle under its picture
                cells.insert(
                    len(cells) - 1, w.HTML(layout=self._image_layout, style=self._image_style)
                )
        self.children = cells
        # Close the replaced widgets (their layout and style are shared and stay).
        for widget in old:
            widget.close()

    def _on_toggle(self, name, change):
        if self._updating:
            return
        if change["new"]:
            self.value = name
        else:  # the chosen data set stays chosen when clicked again
            self._show(self.value)

    @traitlets.observe("value")
    def _show_value(self, change):
        self._show(change["new"])

    def _show(self, value):
        self._updating = True
        try:
            for name, button in self.buttons.items():
                button.value = name == value
        finally:
            self._updating = False


class LayerEditor(w.VBox):
    """Add and remove hidden layers and neurons; ``value`` is the tuple of layer sizes.

    The layer buttons and count sit above the network; each layer's +/− buttons and its
    size sit above that layer's column of the drawing (:func:`network_columns`), which
    starts ``drawing_left`` px right of this editor's left edge.

    A change of the layers makes new columns of buttons; they share one layout and one
    style each (made once), since a saved notebook keeps every widget ever made.
    """

    value = traitlets.Tuple()

    def __init__(self, value=(4, 2), drawing_left=0.0):
        self.drawing_left = drawing_left
        button = dict(layout=w.Layout(width="26px", height="24px", padding="0"))
        self.add_layer = w.Button(description="+", tooltip="add a hidden layer", **button)
        self.remove_layer = w.Button(
            description="−", tooltip="remove the last hidden layer", **button
        )
        self.label = w.HTML()
        self.layers = w.HBox(layout=w.Layout(flex_flow="row nowrap", margin="2px 0 0 0"))
        self._shared = dict(
            button_layout=w.Layout(height="22px", padding="0", margin="0 1px"),
            button_style=w.ButtonStyle(),
            row_layout=w.Layout(justify_content="center"),
            column_layout=w.Layout(align_items="center", margin="0"),
            html_layout=w.Layout(),
            html_style=HTMLStyle(),
        )
        super().__init__(
            [
                w.HBox(
                    [self.add_layer, self.remove_layer, self.label],
                    layout=w.Layout(align_items="center"),
                ),
                self.layers,
            ],
            layout=w.Layout(width=_px(NETWORK_WIDTH + drawing_left)),
        )
        self.add_layer.on_click(lambda _: self._change_layers(+1))
        self.remove_layer.on_click(lambda _: self._change_layers(-1))
        self.value = tuple(value)

    def _change_layers(self, delta):
        sizes = list(self.value)
        if delta > 0 and len(sizes) < MAX_HIDDEN_LAYERS:
            sizes.append(2)  # a new layer starts with 2 neurons, as in the original
        elif delta < 0 and sizes:
            sizes.pop()
        self.value = tuple(sizes)

    def _change_neurons(self, layer, delta):
        sizes = list(self.value)
        sizes[layer] = min(max(sizes[layer] + delta, 1), MAX_NEURONS_PER_LAYER)
        self.value = tuple(sizes)

    @traitlets.observe("value")
    def _show_value(self, change):
        sizes = change["new"]
        n = len(sizes)
        self.label.value = f"<b>{n} hidden layer{'s' if n != 1 else ''}</b>"
        self.add_layer.disabled = n >= MAX_HIDDEN_LAYERS
        self.remove_layer.disabled = n == 0
        xs, step = network_columns(n)
        if n:
            first_centre = self.drawing_left + xs[1] + NODE / 2
            self.layers.layout.margin = f"2px 0 0 {_px(max(first_centre - step / 2, 0))}"
        shared = self._shared
        shared["button_layout"].width = _px(min(24, int((step - 4) // 2)))
        shared["column_layout"].width = f"{step:.2f}px"
        columns = []
        for k, size in enumerate(sizes):
            plus = w.Button(
                description="+",
                tooltip=f"add a neuron to hidden layer {k + 1}",
                disabled=size >= MAX_NEURONS_PER_LAYER,
                layout=shared["button_layout"],
                style=shared["button_style"],
            )
            minus = w.Button(
                description="−",
                tooltip=f"remove a neuron from hidden layer {k + 1}",
                disabled=size <= 1,
                layout=shared["button_layout"],
                style=shared["button_style"],
            )
            plus.on_click(lambda _, k=k: self._change_neurons(k, +1))
            minus.on_click(lambda _, k=k: self._change_neurons(k, -1))
            column = w.VBox(
                [
                    w.HBox([plus, minus], layout=shared["row_layout"]),
                    w.HTML(
                        _layer_size_html(size, step),
                        layout=shared["html_layout"],
                        style=shared["html_style"],
                    ),
                ],
                layout=shared["column_layout"],
            )
            column.add_class("nnoe-pg-layer")
            columns.append(column)
        old = self.layers.children
        self.layers.children = columns
        # Close the replaced widgets (their layouts and styles are shared and stay).
        for column in old:
            for widget in (
                *column.children[0].children,
                column.children[1],
                column.children[0],
                column,
            ):
                widget.close()


def _layer_size_html(size: int, step: float) -> str:
    """A layer's size under its buttons: "4 neurons", on two lines or as the bare number
    when the columns are narrow (six layers)."""
    noun = "neuron" if size == 1 else "neurons"
    text = f"{size} {noun}" if step >= 56 else f"{size}<br>{noun}" if step >= 44 else f"{size}"
    return (
        f'<div style="font-size:11px;line-height:1.2;text-align:center" '
        f'title="{size} {noun}">{text}</div>'
    )


# --------------------------------------------------------------------------- the explorer


@functools.cache
def _builtin_thumbnail(name):
    X, y = make_data(name, noise=0, seed=0)
    return png_img_tag(dataset_thumbnail(X, y), f"thumbnail of the {name} data set", width=40)


def _node_names(layer_sizes, features):
    names = [[FEATURE_LABELS[f] for f in features]]
    for layer, size in enumerate(layer_sizes[1:-1], start=1):
        names.append([f"H{layer}.{k + 1}" for k in range(size)])
    names.append(["output"])
    return names


class Playground(Explorer):
    """TensorFlow Playground as an explorer on the :class:`~widgets.display.Explorer` base.

    Parameters
    ----------
    dataset, noise, train_percent, batch_size, features, hidden, activation, \
learning_rate, regularization, reg_rate, problem, seed, show_test_data, discretize, hide
        The controls' starting values; see
        :class:`~widgets.explorers.playground.session.PlaygroundConfig`. Defaults are the
        original's: circle, noise 0, ratio 50, batch 10, X₁ and X₂, hidden layers of 4
        and 2 tanh neurons, learning rate 0.03, no regularization.
    X, y : arrays, optional
        Your own data: X of shape (n, 2), y with two classes (classification) or numbers
        (``problem="regression"``). The data set picker then offers "custom".

    Attributes
    ----------
    controls : dict of str -> ipywidgets widget
        Every setting, by configuration name. Setting a control's ``value`` does exactly
        what changing it in the notebook does.
    buttons : dict of str -> ipywidgets widget
        ``play`` (an ``ipywidgets.Play``: each tick is one frame, :meth:`step`),
        ``step``, ``reset``, ``regenerate`` (the methods of the same names).
    session : PlaygroundSession
        Data, split, network, epoch and loss history.
    view : View
        The numbers the last frame drew (output grid, neuron thumbnails, weights, history).
    images : dict of str -> str
        The last frame's pictures: ``output``, ``network``, ``loss_chart``.
    frames : int
        Frames drawn so far.
    widget : ipywidgets.VBox
        The whole explorer; displaying the Playground displays it.
    """

    css_classes = ("nnoe-explorer", "nnoe-playground")
    # They act from the next update on (or rebuild the same seeded network): until the
    # network trains, the pictures stay as they are.
    deferred_controls = ("batch_size", "learning_rate", "regularization", "reg_rate")

    def __init__(
        self,
        dataset=None,
        noise=0,
        train_percent=50,
        batch_size=10,
        features=("x1", "x2"),
        hidden=(4, 2),
        activation="tanh",
        learning_rate=0.03,
        regularization=None,
        reg_rate=0.0,
        problem="classification",
        seed=0,
        show_test_data=False,
        discretize=False,
        hide=(),
        X=None,
        y=None,
    ):
        if (X is not None or y is not None) and dataset is None:
            dataset = CUSTOM
        config = PlaygroundConfig(
            dataset=dataset,
            noise=noise,
            train_percent=train_percent,
            batch_size=batch_size,
            features=tuple(features) if not isinstance(features, str) else features,
            hidden=hidden,
            activation=activation,
            learning_rate=learning_rate,
            regularization=regularization,
            reg_rate=reg_rate,
            problem=problem,
            seed=seed,
            show_test_data=show_test_data,
            discretize=discretize,
            hide=hide,
        )
        self.session = PlaygroundSession(config, X, y)
        self._dataset_for = dict(DEFAULT_DATASET)
        self._dataset_for[config.problem] = config.dataset
        self._points_cache = {}
        super().__init__()

    @classmethod
    def from_config(cls, config, X=None, y=None) -> Playground:
        """A Playground from a configuration: a dict, a JSON string or a PlaygroundConfig."""
        if isinstance(config, str):
            config = PlaygroundConfig.from_json(config)
        elif isinstance(config, dict):
            config = PlaygroundConfig.from_dict(config)
        elif not isinstance(config, PlaygroundConfig):
            raise TypeError(
                "config must be a dict, a JSON string or a PlaygroundConfig; "
                f"got {type(config).__name__}."
            )
        return cls(**config.to_dict(), X=X, y=y)

    # ------------------------------------------------------------------ construction

    def _build_buttons(self) -> dict:
        small = w.Layout(width="auto", margin="0 2px")
        return {
            "reset": w.Button(
                description="↺ reset",
                tooltip="new initial weights, same data (epoch 0)",
                layout=small,
            ),
            "play": w.Play(
                value=0,
                min=0,
                max=PLAY_MAX,
                step=1,
                interval=PLAY_INTERVAL_MS,
                show_repeat=False,
                description="play",
                tooltip="play / pause: one epoch per frame",
                layout=w.Layout(width="72px", margin="0 2px"),
            ),
            "step": w.Button(description="step", tooltip="train one epoch", layout=small),
            "regenerate": w.Button(
                description="regenerate",
                tooltip="new data (the seed moves on)",
                layout=w.Layout(width=_px(DATA_WIDTH), margin="6px 0 0 0"),
            ),
        }

    def _build_controls(self) -> dict:
        config = self.session.config
        # The data column's sliders: the name and value on a line of their own, the slider
        # under it (the row wraps), as in the original ("noise: 0%"); the description
        # follows the value (:meth:`_sync_controls`) and names the slider for screen readers.
        slider = dict(
            continuous_update=False, readout=False, style={"description_width": "initial"}
        )

        def slider_layout():
            return w.Layout(
                width=_px(DATA_WIDTH), height="auto", flex_flow="row wrap", margin="6px 0 0 0"
            )

        # The menus: the name above the menu, as in the original (the row wraps).
        def menu(width, margin="0 5px"):
            return dict(
                style={"description_width": "initial"},
                layout=w.Layout(
                    width=_px(width), height="auto", flex_flow="row wrap", margin=margin
                ),
            )

        return {
            "dataset": DatasetPicker([config.dataset], config.dataset, self._thumbnail),
            "noise": w.IntSlider(
                value=config.noise,
                min=0,
                max=50,
                step=5,
                description=_slider_text("noise", config.noise),
                layout=slider_layout(),
                **slider,
            ),
            "train_percent": w.IntSlider(
                value=config.train_percent,
                min=10,
                max=90,
                step=10,
                description=_slider_text("train_percent", config.train_percent),
                layout=slider_layout(),
                **slider,
            ),
            "batch_size": w.IntSlider(
                value=config.batch_size,
                min=1,
                max=30,
                description=_slider_text("batch_size", config.batch_size),
                layout=slider_layout(),
                **slider,
            ),
            "features": FeaturePicker(config.features),
            "hidden": LayerEditor(
                config.hidden, drawing_left=TOGGLE_WIDTH - FEATURES_HEADING_WIDTH
            ),
            "learning_rate": w.Dropdown(
                options=[(f"{r:g}", r) for r in LEARNING_RATES],
                value=config.learning_rate,
                description="learning rate",
                **menu(80),
            ),
            "activation": w.Dropdown(
                options=list(ACTIVATIONS),
                value=config.activation,
                description="activation",
                **menu(72),
            ),
            "regularization": w.Dropdown(
                options=[("none", "none"), ("L1", "L1"), ("L2", "L2")],
                value=config.regularization or "none",
                description="regularization",
                **menu(92),
            ),
            "reg_rate": w.Dropdown(
                options=[(f"{r:g}", r) for r in REG_RATES],
                value=config.reg_rate,
                description="regularization rate",
                **menu(112),
            ),
            "problem": w.Dropdown(
                options=list(PROBLEMS),
                value=config.problem,
                description="problem type",
                **menu(DATA_WIDTH, margin="2px 0 4px 0"),
            ),
            "show_test_data": w.Checkbox(
                value=config.show_test_data,
                description="show test data",
                indent=False,
                layout=w.Layout(width="auto"),
            ),
            "discretize": w.Checkbox(
                value=config.discretize,
                description="discretize output",
                indent=False,
                layout=w.Layout(width="auto"),
            ),
        }

    def _build_view(self) -> w.Box:
        row = w.Layout(width="auto")
        style = {"description_width": "initial"}
        # The HTML displays share one style, and where they can one layout: a saved
        # notebook stores every widget model, so fewer models keep the chapters small.
        html_style = HTMLStyle()

        def html(value="", layout=None):
            return w.HTML(value, style=html_style, layout=layout or w.Layout())

        picture = w.Layout(width=_px(OUTPUT_COLUMN_WIDTH), margin="0")
        self.epoch_label = html(layout=w.Layout(margin="0 6px"))
        self.loss_label = html()
        self.output_image = html(layout=picture)
        self.network_image = html(layout=w.Layout(width=_px(NETWORK_WIDTH), margin="0"))
        self.loss_chart = html(layout=picture)
        self.colour_legend = html(
            svg_img_tag(render_colour_legend(), COLOUR_LEGEND_ALT), layout=picture
        )
        self.rule_weight = w.Dropdown(description="weight", style=style, layout=row)
        self.rule_text = html()
        self.share_text = w.Textarea(
            layout=w.Layout(width="100%", height="7em"), description="configuration", style=style
        )
        self.share_apply = w.Button(
            description="apply", tooltip="load the configuration typed above", layout=row
        )
        self.share_message = html()
        controls, buttons = self.controls, self.buttons

        heading_layout = w.Layout(margin="0")

        def heading(text):
            return html(f"<b>{text}</b>", layout=heading_layout)

        # The toolbar: the buttons, the epoch counter, and the menus with their names above.
        toolbar = w.HBox(
            [
                w.HBox(
                    [buttons["reset"], buttons["play"], buttons["step"], self.epoch_label],
                    layout=w.Layout(align_items="center", margin="0 6px 0 0"),
                ),
                controls["learning_rate"],
                controls["activation"],
                controls["regularization"],
                controls["reg_rate"],
            ],
            layout=w.Layout(flex_flow="row wrap", align_items="flex-end"),
        )
        data_column = w.VBox(
            [
                heading("Data"),
                controls["problem"],
                controls["dataset"],
                controls["train_percent"],
                controls["noise"],
                controls["batch_size"],
                buttons["regenerate"],
            ],
            layout=w.Layout(width=_px(DATA_WIDTH), margin=f"0 {GAP}px 0 0"),
        )
        # Features and hidden layers: the headings and the layer editor on top, then the
        # feature toggles beside the drawing, row for row.
        self.features_box = w.VBox([controls["features"]], layout=w.Layout(margin="0"))
        # The features' names, drawn (and filled in) only when the toggles are hidden.
        self.feature_labels = html(layout=w.Layout(width=_px(TOGGLE_WIDTH), margin="0"))
        self.features_heading = html(layout=w.Layout(width=_px(FEATURES_HEADING_WIDTH), margin="0"))
        network_column = w.VBox(
            [
                w.HBox(
                    [
                        self.features_heading,
                        controls["hidden"],
                    ],
                    layout=w.Layout(align_items="flex-start"),
                ),
                w.HBox(
                    [self.features_box, self.feature_labels, self.network_image],
                    layout=w.Layout(align_items="flex-start", margin="4px 0 0 0"),
                ),
            ],
            layout=w.Layout(width=_px(TOGGLE_WIDTH + NETWORK_WIDTH), margin=f"0 {GAP}px 0 0"),
        )
        data_column.add_class("nnoe-pg-data")
        network_column.add_class("nnoe-pg-network")
        output_column = w.VBox(
            [
                heading("Output"),
                self.loss_label,
                self.loss_chart,
                self.output_image,
                self.colour_legend,
                controls["show_test_data"],
                controls["discretize"],
            ],
            layout=w.Layout(width=_px(OUTPUT_COLUMN_WIDTH)),
        )
        output_column.add_class("nnoe-pg-output")
        self.learning_rule_panel = w.VBox(
            [
                html("<b>Learning rule</b>: the last update of one weight"),
                self.rule_weight,
                self.rule_text,
            ]
        )
        self.share_panel = w.Accordion(
            [w.VBox([self.share_text, w.HBox([self.share_apply, self.share_message])])],
            titles=("Share this configuration",),
        )
        self.share_panel.selected_index = None
        # What each hideable name hides.
        self._hideable = {
            **buttons,
            **controls,
            "features": self.features_box,
            "learning_rule": self.learning_rule_panel,
            "share": self.share_panel,
        }
        assert set(self._hideable) == set(CONTROL_NAMES)
        self._watch(self.rule_weight)
        self.share_apply.on_click(self._on_share_apply)
        self._sync_controls(self.session.config)
        return w.VBox(
            [
                toolbar,
                self.status_line,
                w.HBox(
                    [data_column, network_column, output_column],
                    layout=w.Layout(flex_flow="row wrap", align_items="flex-start"),
                ),
                self.learning_rule_panel,
                self.share_panel,
            ]
        )

    def control_extremes(self) -> dict:
        """As the base's, plus the composite controls: no feature and no hidden layer
        (the first refused), every feature, the most layers of the most neurons."""
        values = super().control_extremes()
        values["features"] = [(), FEATURES, ("x1",)]
        values["hidden"] = [(), (MAX_NEURONS_PER_LAYER,) * MAX_HIDDEN_LAYERS, (1,)]
        return values

    # ------------------------------------------------------------------ config <-> controls

    def _dataset_options(self, problem):
        names = [name for name, kind in DATASETS.items() if kind == problem]
        return names + ([CUSTOM] if self.session.has_custom_data else [])

    def _sync_controls(self, config):
        with self.quiet():
            options = self._dataset_options(config.problem)
            if list(self.controls["dataset"].options) != options:
                self.controls["dataset"].options = options
            for name, control in self.controls.items():
                value = getattr(config, name)
                if name == "regularization":
                    value = value or "none"
                if control.value != value:
                    control.value = value
            for name in _SLIDER_TEXT:
                self.controls[name].description = _slider_text(name, getattr(config, name))
            self.controls["noise"].disabled = config.dataset == CUSTOM
            self.share_text.value = json.dumps(config.to_dict(), sort_keys=True, indent=1)
            for name, widget in self._hideable.items():
                widget.layout.display = "none" if name in config.hide else None
            # Without the toggles, the features' names stay beside the drawing.
            toggles = "features" not in config.hide
            self.feature_labels.layout.display = "none" if toggles else None
            self.feature_labels.value = "" if toggles else feature_labels_html()
            self.features_heading.value = "<b>Features</b>" + (
                '<div style="font-size:11px;line-height:1.25">Which inputs to feed in?</div>'
                if toggles
                else ""
            )

    def _thumbnail(self, name) -> str:
        """The <img> of a data set's thumbnail (the picker shows one per data set)."""
        if name == CUSTOM:
            X, y = self.session.custom_data
            return png_img_tag(dataset_thumbnail(X, y), "thumbnail of your own data", width=40)
        return _builtin_thumbnail(name)

    def _config_from_controls(self) -> PlaygroundConfig:
        values = {name: control.value for name, control in self.controls.items()}
        values["regularization"] = (
            None if values["regularization"] == "none" else values["regularization"]
        )
        old = self.session.config
        if values["problem"] != old.problem:
            # Switching problem type switches to that type's data set.
            self._dataset_for[old.problem] = old.dataset
            values["dataset"] = self._dataset_for[values["problem"]]
        return old.replace(**values).validate()

    def _read(self, names) -> None:
        self._apply_config(self._config_from_controls())

    def _apply_config(self, config: PlaygroundConfig) -> None:
        """Move the session to ``config``, redoing only what its changes require."""
        old = self.session.config
        try:
            rebuilt = self.session.apply(config)
        except (ValueError, TypeError):
            self._sync_controls(old)
            raise
        if config.dataset != CUSTOM or self.session.has_custom_data:
            self._dataset_for[config.problem] = config.dataset
        if rebuilt != "none" or (
            self.session.diverged and config.learning_rate != old.learning_rate
        ):
            if rebuilt == "none":
                self.session.reset()  # a diverged run restarts when the learning rate changes
            self.pause()
        self._sync_controls(config)

    def set(self, **changes) -> Playground:
        """Change several settings at once (names as in the configuration) and redraw once."""
        config = self.session.config.replace(**changes).validate()
        self._update(lambda: self._apply_config(config))
        if self.message:
            raise ValueError(self.message)
        return self

    def _on_share_apply(self, _):
        try:
            config = PlaygroundConfig.from_json(self.share_text.value)
        except (ValueError, TypeError) as error:
            self.share_message.value = status_html(str(error), error=True)
            return
        self.share_message.value = ""
        self._update(lambda: self._apply_config(config))

    # ------------------------------------------------------------------ the play loop

    def pause(self):
        self.buttons["play"].playing = False

    def _press(self, name: str) -> None:
        # Each tick of the Play widget is one frame.
        self.step() if name == "play" else super()._press(name)

    def step(self, epochs: int = 1) -> Playground:
        """Run ``epochs`` play-mode frames: train one epoch, then redraw everything, each time."""
        epochs = check_integer(epochs, "epochs", low=1)
        for _ in range(epochs):
            self._update(self.session.train_epoch)
            if self.session.diverged:
                self.pause()
                break
        return self

    def train(self, epochs: int) -> Playground:
        """Train ``epochs`` epochs and redraw once at the end (faster than ``step``)."""
        epochs = check_integer(epochs, "epochs", low=1)
        self._update(lambda: self.session.train(epochs))
        if self.session.diverged:
            self.pause()
        return self

    def reset(self) -> Playground:
        """New initial weights, same data; epoch 0 (the ↺ button)."""
        self.pause()
        self._update(self.session.reset)
        return self

    def regenerate(self) -> Playground:
        """New data: the seed moves on by one; the network starts again."""
        self.pause()
        self._update(lambda: self._sync_controls(self.session.regenerate()))
        return self

    # ------------------------------------------------------------------ drawing

    def _points(self):
        session, config = self.session, self.session.config
        key = (id(session.X_train), len(session.X_train), config.show_test_data)
        if key not in self._points_cache:
            self._points_cache.clear()
            svg = points_svg(session.X_train, session.y_train, POINT_STROKES["train"])
            if config.show_test_data and len(session.X_test):
                svg += points_svg(session.X_test, session.y_test, POINT_STROKES["test"])
            self._points_cache[key] = svg
        return self._points_cache[key]

    def _draw(self):
        """Redraw every display from the session: one frame."""
        session, config = self.session, self.session.config
        self.view = view = compute_view(session, config.discretize)
        n_train, n_test = len(session.y_train), len(session.y_test)
        self.images = {
            "output": svg_img_tag(
                render_output(view, self._points()),
                describe_output(view, config.problem, n_train, n_test, config.show_test_data),
            ),
            "network": svg_img_tag(
                render_network(view, config.features), describe_network(view, config.features)
            ),
            "loss_chart": svg_img_tag(
                render_loss_chart(view.history), describe_loss_chart(view.history)
            ),
        }
        self.output_image.value = self.images["output"]
        self.network_image.value = self.images["network"]
        self.loss_chart.value = self.images["loss_chart"]
        self.epoch_label.value = (
            '<span class="nnoe-epoch" style="display:inline-block;line-height:1.25">'
            f"Epoch<br><b>{format_epoch(session.epoch)}</b></span>"
        )
        self.loss_label.value = (
            f"Test loss <b>{session.test_loss:.3f}</b><br>"
            f"Training loss <b>{session.train_loss:.3f}</b>"
        )
        self._draw_rule()

    def _rule_options(self):
        sizes = self.session.net.layer_sizes
        names = _node_names(sizes, self.session.config.features)
        return [
            (f"{names[layer][i]} → {names[layer + 1][j]}", (layer, i, j))
            for layer in range(len(sizes) - 1)
            for i in range(sizes[layer])
            for j in range(sizes[layer + 1])
        ]

    def _draw_rule(self):
        options = self._rule_options()
        keys = [o[1] for o in options]
        if [o[1] for o in self.rule_weight.options] != keys:
            # The network's shape changed: keep the chosen weight if it still exists.
            previous = self.rule_weight.value
            with self.quiet():
                self.rule_weight.options = options
                self.rule_weight.value = previous if previous in keys else keys[0]
        self.rule_text.value = learning_rule_html(
            self.session.net, self.rule_weight.value, self.session.epoch
        )

    # ------------------------------------------------------------------ reading the state

    @property
    def frames(self) -> int:
        return self.redraw_count

    @property
    def epoch(self) -> int:
        return self.session.epoch

    @property
    def train_loss(self) -> float:
        return self.session.train_loss

    @property
    def test_loss(self) -> float:
        return self.session.test_loss

    @property
    def diverged(self):
        """Why training stopped (a sentence), or None while it has not diverged."""
        return self.session.diverged

    @property
    def config(self) -> PlaygroundConfig:
        return self.session.config.replace()

    @property
    def net(self):
        return self.session.net

    def to_dict(self) -> dict:
        return self.session.config.to_dict()

    def to_json(self) -> str:
        return self.session.config.to_json()

    @property
    def status(self) -> str:
        """One line: the epoch and both losses, or why training stopped."""
        return self.session.status

    def summary(self) -> str:
        """The settings and the state, in two lines (for a chapter's printed output)."""
        return self.session.summary()


def learning_rule_html(net, key, epoch) -> str:
    """The learning-rule panel: the last update of weight ``key = (layer, i, j)``, in numbers."""
    if key is None:
        return ""
    layer, i, j = key
    update = net.last_update
    if net.dead[layer][i, j] and not (update is not None and update.died[layer][i, j]):
        return (
            "<p>This weight is <b>dead</b>: an L1 step pushed it across zero, "
            "so it was set to 0 and is frozen "
            "(still used as 0 in the forward pass, never updated again).</p>"
        )
    if update is None:
        return (
            f"<p>No update yet (epoch {epoch}). Press <i>step</i>: "
            "after every batch each weight moves by "
            f"w ← w − (η/k)·Σ ∂E/∂w − η·λ·R′(w).</p>"
        )
    w0 = update.weights_before[layer][i, j]
    total = update.accumulated[layer][i, j]
    gradient = update.gradient_step[layer][i, j]
    penalty = update.penalty_step[layer][i, j]
    w1 = update.weights_after[layer][i, j]
    rate, lam, k = update.learning_rate, update.reg_rate, update.count
    if update.regularization == "L1":
        slope = f"sign({w0:.6g}) = {np.sign(w0):+.0f}"
    elif update.regularization == "L2":
        slope = f"w = {w0:.6g}"
    else:
        slope = None
    rows = [
        ("weight before, w", f"{w0:.6g}"),
        (f"Σ ∂E/∂w over the batch (k = {k} examples)", f"{total:.6g}"),
        ("gradient term (η/k)·Σ ∂E/∂w", f"{rate:g}/{k} × {total:.6g} = {gradient:.6g}"),
        (
            "penalty term η·λ·R′(w)",
            f"{rate:g} × {lam:g} × {slope} = {penalty:.6g}" if slope else "0 (no regularization)",
        ),
        ("new weight, w − gradient term − penalty term", f"{w1:.6g}"),
    ]
    died = update.died[layer][i, j]
    table = "".join(
        f"<tr><td>{html.escape(a)}</td>"
        f"<td style='text-align:right;font-family:monospace'>{html.escape(b)}</td></tr>"
        for a, b in rows
    )
    note = "<p><b>Crossed zero under L1: set to 0 and frozen.</b></p>" if died else ""
    return (
        f"<p>Last update, in epoch {epoch} (η = {rate:g}, λ = {lam:g}):</p>"
        f"<table>{table}</table>{note}"
    )
