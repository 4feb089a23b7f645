"""The course's one palette: every colour an explorer or figure draws with, by name.

Explorers and figures name a colour from here instead of writing a literal, so the
pictures of every chapter agree (the descent path is the same red everywhere, the
minimum the same gold) and a colour is changed in one place.

- plain colours, as strings matplotlib and SVG both read (``"#d1495b"``, ``"white"``);
- :data:`SERIES`: the order in which several curves of one plot take their colours;
- the diverging ramp of TensorFlow Playground (orange for −1, light grey for 0, blue for
  +1) as a lookup table, and :func:`ramp_colours`, which turns values in [−1, 1] into RGB
  pixels through it: data points and links are drawn in these full colours;
- :data:`HEATMAP`: the same ramp lightened, for what is drawn *behind* the points (an
  output heatmap, a neuron's thumbnail: :func:`widgets.display.charts.heatmap_png`), as
  the original paints its heatmaps at alpha 160/255 over white, so that a point stays
  visible on the region of its own colour;
- :data:`SEQUENTIAL_CMAP`: the matplotlib colour map of a loss surface (darker = lower).
"""

from __future__ import annotations

import numpy as np

# --------------------------------------------------------------------------- plain colours

WHITE = "white"
BLACK = "black"
INK = "#000000"  # lines and text in the small SVG charts
NAVY = "#1b3a5c"  # contour lines, a loss curve, training data
GOLD = "#f2b705"  # the minimum (a star)
RED = "#d1495b"  # the descent path; the first of several curves
AMBER = "#edae49"
TEAL = "#00798c"
GREEN = "#66a182"
PURPLE = "#7b3294"  # two more curves for plots with many series (the optimizer race)
MAGENTA = "#e7298a"
DARK_GOLD = "#b8860b"  # a reference line (the lowest loss)
DARK_GOLD_TEXT = "#8a6500"  # its label: the same hue, dark enough to read
ERROR = "#b00020"  # "diverged": the same red as the status line's error (assets/course.css)
GREY = "#555555"  # a neutral reference line; axis tick labels in SVG
MID_GREY = "#777777"  # the second line of a small chart (test loss)
LIGHT_GREY = "#dddddd"  # a chart's frame
DARK_GREY = "#333333"  # text in a diagram
NODE_EDGE = "#999999"  # outline of a neuron in the network diagram
BIAS_EDGE = "#666666"  # outline of a bias square
THUMBNAIL_BACKGROUND = (247, 247, 247)  # RGB behind a data set's thumbnail

#: Colours of several curves in one plot, in order.
SERIES = (RED, AMBER, TEAL, GREEN)

#: Matplotlib colour map of a loss surface: darker is lower.
SEQUENTIAL_CMAP = "Blues_r"

# --------------------------------------------------------------------------- the diverging ramp

#: TensorFlow Playground's ends and middle of its diverging ramp, as RGB.
RAMP_LOW, RAMP_MID, RAMP_HIGH = (0xF5, 0x93, 0x22), (0xE8, 0xEA, 0xEB), (0x08, 0x77, 0xBD)


def diverging_ramp(low=RAMP_LOW, mid=RAMP_MID, high=RAMP_HIGH, size: int = 256) -> np.ndarray:
    """A diverging colour map as a (size, 3) uint8 lookup table over [−1, 1]."""
    t = np.linspace(-1.0, 1.0, size)[:, None]
    low, mid, high = (np.array(c, dtype=float) for c in (low, mid, high))
    colours = np.where(t < 0, mid + (mid - low) * t, mid + (high - mid) * t)
    return np.round(colours).astype(np.uint8)


#: The Playground's orange–grey–blue ramp: entry 0 is −1, the last entry +1.
DIVERGING = diverging_ramp()


def lighten(ramp: np.ndarray, alpha: float, background=(255, 255, 255)) -> np.ndarray:
    """``ramp`` painted at opacity ``alpha`` over ``background``: a lighter lookup table."""
    colours = alpha * ramp.astype(float) + (1.0 - alpha) * np.array(background, dtype=float)
    return np.round(colours).astype(np.uint8)


#: Opacity of TensorFlow Playground's heatmaps over its white page (160 of 255).
HEATMAP_ALPHA = 160 / 255

#: The ramp of heatmaps and neuron thumbnails: :data:`DIVERGING` at :data:`HEATMAP_ALPHA`
#: over white. Points keep :data:`DIVERGING`'s full colours, so each one shows on the
#: lighter region of its own colour (a correctly classified point), as in the original.
HEATMAP = lighten(DIVERGING, HEATMAP_ALPHA)


def ramp_colours(values, ramp: np.ndarray = DIVERGING) -> np.ndarray:
    """RGB pixels (uint8, shape ``values.shape + (3,)``) for values in [−1, 1].

    Values outside [−1, 1] are clipped; NaN is drawn as 0 (the ramp's middle), so a
    picture never shows garbage for a diverged number.
    """
    values = np.nan_to_num(np.asarray(values, dtype=float), nan=0.0, posinf=1.0, neginf=-1.0)
    scale = 0.5 * (len(ramp) - 1)
    index = np.rint((np.clip(values, -1.0, 1.0) + 1.0) * scale).astype(np.intp)
    return ramp[index]


def hex_colours(values, ramp: np.ndarray = DIVERGING) -> list:
    """``"#rrggbb"`` strings for values in [−1, 1] through ``ramp`` (for SVG strokes and fills)."""
    return ["#{:02x}{:02x}{:02x}".format(*rgb) for rgb in ramp_colours(values, ramp).tolist()]
