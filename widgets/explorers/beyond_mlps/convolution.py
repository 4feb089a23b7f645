"""Chapter 13's convolution explorer: one 3×3 kernel slid over a digit, then ReLU and pooling.

:class:`ConvolutionExplorer` shows a test digit of scikit-learn's 8×8 digits (moved by
a pixel or two if asked), the 3×3 kernel, the feature map after ReLU and its 2×2 max
pool, side by side. The kernel is a named one (edges, blur, sharpen, identity), one of
the filters the small convolutional network of :mod:`widgets.engine.convolution`
learned, or nine numbers typed by the learner. The status gives the map's range and
what the trained network reads in the (shifted) digit.

The network is trained once per Python session (:func:`trained_network`, about a
second) and shared by every explorer made afterwards; pictures are drawn as pixels
without matplotlib, so a control change costs a few milliseconds.
"""

from __future__ import annotations

import html

import ipywidgets as ipw
import numpy as np
from sklearn.model_selection import train_test_split

from widgets.display import Explorer
from widgets.display.controls import control_look, progress_bar, slider_look
from widgets.display.images import encode_png, png_img_tag, svg_img_tag
from widgets.display.palette import DARK_GREY, LIGHT_GREY, NAVY, ramp_colours
from widgets.engine.convolution import (
    KERNELS,
    ConvNetClassifier,
    feature_maps,
    load_digit_images,
    parse_kernel,
    shift_images,
)
from widgets.engine.validation import check_choice, check_integer

__all__ = [
    "ConvolutionExplorer",
    "trained_network",
    "digit_split",
    "kernel_text",
    "KERNEL_CHOICES",
    "TYPED",
    "NETWORK_SEED",
    "NETWORK_EPOCHS",
]

#: Seed of the train/test split and of the network's weights and batches.
NETWORK_SEED = 0
#: Epochs of the explorer's network (Adam, rate 0.01, batches of 32, 8 filters).
NETWORK_EPOCHS = 15
N_FILTERS = 8
#: The dropdown's entry for the nine numbers typed in the text field.
TYPED = "typed below"
#: Every entry of the kernel dropdown.
KERNEL_CHOICES = (
    *KERNELS,
    *(f"learned filter {k + 1}" for k in range(N_FILTERS)),
    TYPED,
)
MAX_SHIFT = 2
#: Side of every picture, in pixels.
SIDE = 136

_CACHE: dict = {}


def digit_split():
    """``X_train, X_test, y_train, y_test``: the digits' 8×8 images split 75/25, stratified."""
    if "split" not in _CACHE:
        images, labels = load_digit_images()
        _CACHE["split"] = train_test_split(
            images, labels, test_size=0.25, stratify=labels, random_state=NETWORK_SEED
        )
    return _CACHE["split"]


def trained_network(progress=None) -> ConvNetClassifier:
    """The explorer's small CNN, trained on the training digits once per session.

    ``progress(epoch, epochs)`` is called after each epoch while it trains.
    """
    if "network" not in _CACHE:
        X_train, _, y_train, _ = digit_split()
        network = ConvNetClassifier(
            n_filters=N_FILTERS, max_epochs=NETWORK_EPOCHS, random_state=NETWORK_SEED
        )
        _CACHE["network"] = network.fit(X_train, y_train, progress=progress)
    return _CACHE["network"]


def kernel_text(kernel) -> str:
    """Nine numbers, row by row, rows separated by commas (what the text field shows)."""
    rows = np.asarray(kernel, dtype=float).reshape(3, 3)
    return ", ".join(" ".join(_number(v) for v in row) for row in rows)


def _number(value) -> str:
    text = f"{value:.3g}"
    return "0" if text in ("-0", "0") else text


# ---------------------------------------------------------------------- pixels


def _ink(values, top):
    """Values in [0, top] as RGB pixels from white (0) to navy (``top``)."""
    navy = np.array([int(NAVY[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)
    t = np.clip(np.asarray(values, dtype=float) / top, 0.0, 1.0)[..., None] if top > 0 else 0
    pixels = 255.0 - t * (255.0 - navy) if top > 0 else np.full((*np.shape(values), 3), 255.0)
    return np.round(pixels).astype(np.uint8)


def _grey(values):
    """Values in [0, 1] as grey pixels, white (0) to black (1), as the digits are drawn."""
    level = np.round(255 * (1 - np.clip(values, 0, 1))).astype(np.uint8)
    return np.repeat(level[..., None], 3, axis=-1)


def _enlarge(rgb, side=SIDE):
    """Nearest-neighbour enlargement to ``side`` pixels with a light grid between cells."""
    n = rgb.shape[0]
    cell = side // n
    big = np.kron(rgb, np.ones((cell, cell, 1), dtype=np.uint8))
    grid = np.array([int(LIGHT_GREY[i : i + 2], 16) for i in (1, 3, 5)], dtype=np.uint8)
    big[::cell, :] = grid
    big[:, ::cell] = grid
    big[-1, :] = grid
    big[:, -1] = grid
    return big


def _kernel_svg(kernel) -> str:
    """The 3×3 kernel as a table of its numbers on the diverging ramp (±max)."""
    kernel = np.asarray(kernel, dtype=float)
    top = float(np.abs(kernel).max()) or 1.0
    colours = ramp_colours(kernel / (1.6 * top))  # light enough for the numbers on top
    cell = SIDE // 3
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{SIDE}" height="{SIDE}" '
        f'viewBox="0 0 {SIDE} {SIDE}" font-family="sans-serif" font-size="14">'
    ]
    for r in range(3):
        for c in range(3):
            rgb = "#{:02x}{:02x}{:02x}".format(*colours[r, c].tolist())
            parts.append(
                f'<rect x="{c * cell}" y="{r * cell}" width="{cell}" height="{cell}" '
                f'fill="{rgb}" stroke="white" stroke-width="2"/>'
                f'<text x="{c * cell + cell / 2}" y="{r * cell + cell / 2 + 5}" '
                f'text-anchor="middle" fill="{DARK_GREY}">{html.escape(_number(kernel[r, c]))}'
                "</text>"
            )
    parts.append("</svg>")
    return "".join(parts)


def _panel(title: str, image: ipw.HTML) -> ipw.VBox:
    label = ipw.HTML(f'<div style="text-align:center;font-size:0.95em">{html.escape(title)}</div>')
    return ipw.VBox([label, image], layout=ipw.Layout(margin="0 0.6em 0 0"))


# ---------------------------------------------------------------------- the explorer


class ConvolutionExplorer(Explorer):
    """A digit, a 3×3 kernel, the feature map after ReLU and its 2×2 max pool.

    Controls: ``digit`` (index of a test digit), ``shift_down`` and ``shift_right``
    (move the digit by whole pixels, zeros filled in), ``kernel`` (a named kernel, a
    learned filter of the small CNN, or the typed numbers) and ``weights`` (nine
    numbers, row by row; typing here selects "typed below").
    """

    def __init__(self, digit=0, kernel="vertical edge", shift_down=0, shift_right=0):
        X_test = digit_split()[1]
        self._start = {
            "digit": check_integer(digit, "digit", low=0, high=len(X_test) - 1),
            "kernel": check_choice(kernel, KERNEL_CHOICES, "kernel"),
            "shift_down": check_integer(shift_down, "shift_down", -MAX_SHIFT, MAX_SHIFT),
            "shift_right": check_integer(shift_right, "shift_right", -MAX_SHIFT, MAX_SHIFT),
        }
        self.progress = progress_bar(NETWORK_EPOCHS, "CNN epochs")

        def tick(epoch, epochs):
            self.progress.value = epoch

        self.network = trained_network(tick)
        self.progress.value = NETWORK_EPOCHS
        self._pictures = {name: ipw.HTML() for name in ("digit", "kernel", "feature", "pooled")}
        self.kernel = np.asarray(KERNELS["identity"])
        self.bias = 0.0
        self.kernel_name = "identity"
        super().__init__()

    # ------------------------------------------------------------------ layout

    def _build_controls(self) -> dict:
        start = self._start
        look, slide = control_look("10em"), slider_look("10em")
        n_test = len(digit_split()[1])
        first = start["kernel"]
        text = "" if first == TYPED else kernel_text(self._named_kernel(first)[0])
        return {
            "digit": ipw.IntSlider(
                value=start["digit"], min=0, max=n_test - 1, description="test digit #", **slide
            ),
            "shift_down": ipw.IntSlider(
                value=start["shift_down"],
                min=-MAX_SHIFT,
                max=MAX_SHIFT,
                description="shift down (px)",
                **slide,
            ),
            "shift_right": ipw.IntSlider(
                value=start["shift_right"],
                min=-MAX_SHIFT,
                max=MAX_SHIFT,
                description="shift right (px)",
                **slide,
            ),
            "kernel": ipw.Dropdown(
                options=list(KERNEL_CHOICES), value=first, description="kernel", **look
            ),
            "weights": ipw.Text(
                value=text or kernel_text(KERNELS["identity"]),
                description="3×3 weights",
                placeholder="nine numbers, row by row",
                **look,
            ),
        }

    def _build_outputs(self) -> list:
        titles = {
            "digit": "digit",
            "kernel": "kernel",
            "feature": "map after ReLU",
            "pooled": "2×2 max pool",
        }
        row = ipw.HBox(
            [_panel(titles[name], image) for name, image in self._pictures.items()],
            layout=ipw.Layout(flex_flow="row wrap"),
        )
        return [self.progress, row]

    # ------------------------------------------------------------------ model

    def _named_kernel(self, name):
        """(kernel, bias) of a dropdown entry other than :data:`TYPED`."""
        if name in KERNELS:
            return np.asarray(KERNELS[name], dtype=float), 0.0
        k = int(name.rsplit(" ", 1)[1]) - 1
        return self.network.filters_[k, 0].copy(), float(self.network.filter_bias_[k])

    def _read(self, names) -> None:
        c = {name: control.value for name, control in self.controls.items()}
        n_test = len(digit_split()[1])
        index = check_integer(c["digit"], "digit", low=0, high=n_test - 1)
        down = check_integer(c["shift_down"], "shift_down", -MAX_SHIFT, MAX_SHIFT)
        right = check_integer(c["shift_right"], "shift_right", -MAX_SHIFT, MAX_SHIFT)
        choice = check_choice(c["kernel"], KERNEL_CHOICES, "kernel")
        if "weights" in names and "kernel" not in names or choice == TYPED:
            kernel, bias = parse_kernel(c["weights"], "3×3 weights"), 0.0
            name = TYPED
        else:
            kernel, bias = self._named_kernel(choice)
            name = choice
        # accepted: bring the model and the other control up to date
        self.index, self.shift = index, (down, right)
        self.kernel, self.bias, self.kernel_name = kernel, bias, name
        self.controls["kernel"].value = name
        if name != TYPED:
            self.controls["weights"].value = kernel_text(kernel)
        X_test, y_test = digit_split()[1], digit_split()[3]
        self.label = int(y_test[index])
        self.image = shift_images(X_test[index], down, right)
        self.maps = feature_maps(self.image, kernel, bias, padding="same")
        self.proba = self.network.predict_proba(self.image[None])[0]

    @property
    def prediction(self) -> int:
        """The class the trained CNN gives the (shifted) digit."""
        return int(self.network.classes_[int(np.argmax(self.proba))])

    @property
    def status(self) -> str:
        act, pooled = self.maps.activated, self.maps.pooled
        down, right = self.shift
        where = "unshifted" if self.shift == (0, 0) else f"shifted {down:+d} down, {right:+d} right"
        bias = f", bias {self.bias:+.2f}" if self.bias else ""
        return (
            f"digit #{self.index} (a {self.label}), {where}; kernel {self.kernel_name}{bias}: "
            f"feature map after ReLU from {act.min():.2f} to {act.max():.2f} "
            f"({int((act > 0).sum())} of {act.size} pixels above 0), pooled 4×4 max "
            f"{pooled.max():.2f}. The trained CNN reads a {self.prediction} "
            f"(probability {self.proba.max():.2f})."
        )

    # ------------------------------------------------------------------ drawing

    def _draw(self) -> None:
        act, pooled = self.maps.activated, self.maps.pooled
        top = float(act.max())
        down, right = self.shift
        shift = "" if self.shift == (0, 0) else f", moved {down:+d} px down and {right:+d} px right"
        rows = "; ".join(" ".join(_number(v) for v in row) for row in self.kernel)
        scale = f"white 0 to navy {top:.2f}" if top > 0 else "all zero: every pixel white"
        self.images = {
            "digit": png_img_tag(
                encode_png(_enlarge(_grey(self.image))),
                f"Test digit #{self.index}, a handwritten {self.label}, 8 by 8 pixels{shift}, "
                "dark ink on white.",
            ),
            "kernel": svg_img_tag(
                _kernel_svg(self.kernel),
                f"The 3 by 3 kernel '{self.kernel_name}', rows: {rows}; positive weights "
                "blue, negative orange.",
            ),
            "feature": png_img_tag(
                encode_png(_enlarge(_ink(act, top))),
                f"Feature map after ReLU, 8 by 8, {scale}; {int((act > 0).sum())} of 64 "
                f"pixels above 0, brightest at row {int(act.argmax() // 8)}, column "
                f"{int(act.argmax() % 8)}.",
            ),
            "pooled": png_img_tag(
                encode_png(_enlarge(_ink(pooled, top))),
                f"The 2 by 2 max pool of the feature map, 4 by 4, same colour scale; "
                f"{int((pooled > 0).sum())} of 16 cells above 0, largest {pooled.max():.2f}.",
            ),
        }
        for name, picture in self._pictures.items():
            picture.value = self.images[name]
