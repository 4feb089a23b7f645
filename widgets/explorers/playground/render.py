"""Drawing the Playground: NumPy-composed images and SVG strings, no matplotlib.

One play-mode frame redraws everything: the 100×100 output heatmap with the data points,
a thumbnail of every neuron's output, the links (coloured by weight sign, thickened by
weight size) and the loss chart. Matplotlib is far too slow for that at 30 frames a
second, so the pictures are built here directly:

* values are coloured through the original's orange–white–blue diverging ramp (−1
  orange, 0 light grey, +1 blue; :mod:`widgets.display.palette`): heatmaps and neuron
  thumbnails in its lightened form (:data:`~widgets.display.palette.HEATMAP`, the
  original's alpha 160/255 over white), data points and links in its full colours, so
  a correctly classified point stays visible on its own colour; pixels are encoded as
  PNG (:mod:`widgets.display.charts`, :mod:`widgets.display.images`);
* each panel is an SVG string (heatmap and thumbnails embedded as PNG data URIs, points,
  links and lines as SVG elements) shown as an ``<img>`` with alt text describing what
  it shows now.

:func:`compute_view` gathers the numbers of one frame (the "rendered view's data" that
tests read); the ``render_*`` functions turn them into SVG. The sizes here (the
heatmap's, the network drawing's width, a neuron's and a row's) are those of the
explorer's columns (:mod:`.widget`), which fit the book's text width: every text drawn
is at least 11 px.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...display.charts import Line, heatmap_data_uri, line_chart_svg
from ...display.images import encode_png
from ...display.palette import (
    BIAS_EDGE,
    BLACK,
    GREY,
    HEATMAP,
    HEATMAP_ALPHA,
    INK,
    MID_GREY,
    NODE_EDGE,
    RAMP_HIGH,
    RAMP_LOW,
    RAMP_MID,
    THUMBNAIL_BACKGROUND,
    WHITE,
    hex_colours,
    lighten,
    ramp_colours,
)
from ...engine.playground import FEATURES, featurize

#: The picture's domain, [−6, 6]² as in the original.
DOMAIN = (-6.0, 6.0)
HEATMAP_RESOLUTION = 100
THUMBNAIL_RESOLUTION = 20


def grid_points(resolution: int) -> np.ndarray:
    """Points of a resolution×resolution grid over the domain, row by row from the top (x2 = 6)."""
    axis = np.linspace(*DOMAIN, resolution)
    x1, x2 = np.meshgrid(axis, axis[::-1])
    return np.column_stack([x1.ravel(), x2.ravel()])


_GRID_FEATURES: dict = {}


def grid_features(features: tuple, resolution: int) -> np.ndarray:
    """The features of the grid points (cached: they change only with the features)."""
    key = (tuple(features), resolution)
    if key not in _GRID_FEATURES:
        _GRID_FEATURES[key] = featurize(grid_points(resolution), features)
    return _GRID_FEATURES[key]


# --------------------------------------------------------------------------- the frame's data


@dataclass
class View:
    """The numbers one frame draws.

    Attributes
    ----------
    output : ndarray (100, 100)
        The network's output over the domain (row 0 at x2 = 6).
    nodes : list of ndarray (n_nodes, 20, 20)
        Each layer's neuron outputs over the domain, inputs first (features scaled to
        [−1, 1] by their largest size on the grid), output last.
    weights, biases, dead : list of ndarray
        Copies of the network's parameters at this frame.
    history : ndarray (epochs + 1, 2)
        Training and test loss after each epoch.
    epoch : int
    discretize : bool
    """

    output: np.ndarray
    nodes: list
    weights: list
    biases: list
    dead: list
    history: np.ndarray
    epoch: int
    discretize: bool


def compute_view(session, discretize: bool = False) -> View:
    features = session.config.features
    net = session.net
    output = net.predict(grid_features(features, HEATMAP_RESOLUTION)).reshape(
        HEATMAP_RESOLUTION, HEATMAP_RESOLUTION
    )
    layers = net.layer_outputs(grid_features(features, THUMBNAIL_RESOLUTION))
    inputs = layers[0]
    scale = np.max(np.abs(inputs), axis=0)
    layers[0] = inputs / np.where(scale > 0, scale, 1.0)
    shape = (THUMBNAIL_RESOLUTION, THUMBNAIL_RESOLUTION)
    nodes = [layer.T.reshape(layer.shape[1], *shape) for layer in layers]
    return View(
        output=output,
        nodes=nodes,
        weights=[w.copy() for w in net.weights],
        biases=[b.copy() for b in net.biases],
        dead=[d.copy() for d in net.dead],
        history=np.array(session.history),
        epoch=session.epoch,
        discretize=discretize,
    )


# --------------------------------------------------------------------------- output panel

#: Side of the output heatmap (px): the output column is this plus the axis labels.
OUTPUT_SIZE = 192
#: Outline of the training points and of the test points.
POINT_STROKES = {"train": WHITE, "test": BLACK}
POINT_RADIUS = 2.6
_OUTPUT_MARGIN = (24, 6, 6, 18)  # left, top, right, bottom (px): room for the axis labels
#: Width of the output column's pictures (heatmap with its axes, loss chart, legend).
OUTPUT_WIDTH = _OUTPUT_MARGIN[0] + OUTPUT_SIZE + _OUTPUT_MARGIN[2]


def _to_pixels(points: np.ndarray, size: int, left: float, top: float) -> np.ndarray:
    scale = size / (DOMAIN[1] - DOMAIN[0])
    return np.column_stack(
        [left + (points[:, 0] - DOMAIN[0]) * scale, top + (DOMAIN[1] - points[:, 1]) * scale]
    )


def points_svg(X: np.ndarray, y: np.ndarray, stroke: str, size: int = OUTPUT_SIZE) -> str:
    """SVG circles for labelled points: filled in the label's full colour, outlined.

    The circles are grouped by colour (for two classes, one group each), so that a
    saved notebook carries each colour once rather than once a point. Drawn once per
    data set, then reused by every frame.
    """
    left, top = _OUTPUT_MARGIN[:2]
    pixels = _to_pixels(X, size, left, top)
    fills = hex_colours(y)
    groups: dict = {}
    for (px, py), fill in zip(pixels.tolist(), fills):
        groups.setdefault(fill, []).append(
            f'<circle cx="{px:.1f}" cy="{py:.1f}" r="{POINT_RADIUS}"/>'
        )
    parts = [f'<g stroke="{stroke}" stroke-width="1" clip-path="url(#plot)">']
    for fill in sorted(groups):
        parts.append(f'<g fill="{fill}">{"".join(groups[fill])}</g>')
    parts.append("</g>")
    return "".join(parts)


def render_output(view: View, points: str) -> str:
    """The output heatmap (sign only when discretized) with the points on top, and axes.

    The heatmap is drawn in the lightened ramp (:data:`~widgets.display.palette.HEATMAP`),
    the points in full colour.
    """
    values = np.where(view.output >= 0, 1.0, -1.0) if view.discretize else view.output
    heatmap = heatmap_data_uri(values, HEATMAP)
    left, top, right, bottom = _OUTPUT_MARGIN
    width, height = left + OUTPUT_SIZE + right, top + OUTPUT_SIZE + bottom
    ticks = []
    for value in (-6, -3, 0, 3, 6):
        x = left + (value - DOMAIN[0]) / (DOMAIN[1] - DOMAIN[0]) * OUTPUT_SIZE
        y = top + (DOMAIN[1] - value) / (DOMAIN[1] - DOMAIN[0]) * OUTPUT_SIZE
        ticks.append(f'<text x="{x:.1f}" y="{height - 4}" text-anchor="middle">{value}</text>')
        ticks.append(f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{value}</text>')
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11" fill="{GREY}">'
        f'<defs><clipPath id="plot"><rect x="{left}" y="{top}" '
        f'width="{OUTPUT_SIZE}" height="{OUTPUT_SIZE}"/></clipPath></defs>'
        f'<image x="{left}" y="{top}" width="{OUTPUT_SIZE}" height="{OUTPUT_SIZE}" '
        f'preserveAspectRatio="none" href="{heatmap}"/>'
        f'<rect x="{left - 0.5}" y="{top - 0.5}" width="{OUTPUT_SIZE + 1}" '
        f'height="{OUTPUT_SIZE + 1}" fill="none" stroke="{NODE_EDGE}"/>'
        f"{points}{''.join(ticks)}</svg>"
    )


#: The lightened ramp's three colours (−1, 0, 1), as a lookup table of three entries.
HEATMAP_STOPS = lighten(np.array([RAMP_LOW, RAMP_MID, RAMP_HIGH]), HEATMAP_ALPHA)


def render_colour_legend(width: int = OUTPUT_WIDTH) -> str:
    """The colour scale under the heatmap: the lightened ramp from −1 to 1, with ticks.

    The ramp is linear between its three colours, so an SVG gradient with three stops
    draws it exactly.
    """
    left, right = _OUTPUT_MARGIN[0], _OUTPUT_MARGIN[2]
    inner = width - left - right
    low, mid, high = hex_colours([-1.0, 0.0, 1.0], HEATMAP_STOPS)
    ticks = "".join(
        f'<text x="{left + (value + 1) / 2 * inner:.1f}" y="30" text-anchor="{anchor}">'
        f"{label}</text>"
        for value, label, anchor in ((-1, "−1", "start"), (0, "0", "middle"), (1, "1", "end"))
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="34" '
        f'viewBox="0 0 {width} 34" font-family="sans-serif" font-size="11" fill="{GREY}">'
        f'<defs><linearGradient id="ramp"><stop offset="0" stop-color="{low}"/>'
        f'<stop offset="0.5" stop-color="{mid}"/><stop offset="1" stop-color="{high}"/>'
        f'</linearGradient></defs><rect x="{left}" y="4" width="{inner}" height="12" '
        f'fill="url(#ramp)" stroke="{NODE_EDGE}"/>{ticks}</svg>'
    )


COLOUR_LEGEND_ALT = (
    "Colour scale from -1 (orange) through 0 (light grey) to 1 (blue): "
    "the colours of the data's labels, of each neuron's output and of the weights."
)


def describe_output(view: View, problem: str, n_train: int, n_test: int, show_test: bool) -> str:
    positive = float(np.mean(view.output >= 0))
    kind = (
        "blue where the network answers +1 and orange where it answers -1"
        if problem == "classification"
        else "blue for high predicted values, orange for low"
    )
    shown = f"{n_train} training points" + (
        f" and {n_test} test points (black outline)" if show_test else ""
    )
    train, test = view.history[-1]
    return (
        f"Output of the network over the plane from -6 to 6 after {view.epoch} epochs, "
        f"{'as its sign only' if view.discretize else 'as a colour'}: {kind}; "
        f"{positive:.0%} of the plane is on the blue side. "
        f"{shown} are drawn on top in their label's colour. "
        f"Test loss {test:.3f}, training loss {train:.3f}."
    )


# --------------------------------------------------------------------------- network panel

NODE = 26  # px, a neuron's thumbnail
ROW = 32  # px from one neuron of a column to the next
#: Width of the network drawing (px): the feature column, the hidden layers, the output.
NETWORK_WIDTH = 256
#: Space above the first row (px), so the outlines are not cut.
NETWORK_TOP = 3
#: Opacity of a feature's thumbnail while it is not fed to the network.
UNUSED_FEATURE_OPACITY = 0.3
FEATURE_LABELS = {
    "x1": "X₁",
    "x2": "X₂",
    "x1^2": "X₁²",
    "x2^2": "X₂²",
    "x1*x2": "X₁X₂",
    "sin(x1)": "sin(X₁)",
    "sin(x2)": "sin(X₂)",
}


def link_width(weights):
    """Stroke width of links: |w| from 0 to 5 mapped to 1 to 10 px, clamped (as the original)."""
    return 1.0 + 9.0 * np.minimum(np.abs(weights), 5.0) / 5.0


def network_columns(n_hidden: int, width: int = NETWORK_WIDTH) -> tuple:
    """Left edge (px) of each column of the drawing, and the step between two columns.

    The columns are the features, each of the ``n_hidden`` hidden layers and the output,
    evenly spaced over ``width``: the explorer puts each layer's +/− buttons above its
    column with the same numbers.
    """
    first, last = 2.0, width - NODE - 2.0
    step = (last - first) / (n_hidden + 1)
    return [first + c * step for c in range(n_hidden + 2)], step


def network_layout(hidden, features, width: int = NETWORK_WIDTH) -> tuple:
    """(x, y) of each node's top-left corner, column by column, and the drawing's height.

    The first column holds every feature of the Playground in its order (one row each,
    whether fed to the network or not), as the original's feature column; the hidden
    layers hang from the top row; the output sits level with the middle of the nodes
    that feed it.
    """
    xs, _ = network_columns(len(hidden), width)
    columns = [[(xs[0], NETWORK_TOP + r * ROW) for r in range(len(FEATURES))]]
    for c, size in enumerate(hidden, start=1):
        columns.append([(xs[c], NETWORK_TOP + r * ROW) for r in range(size)])
    feeding = (
        columns[-1]
        if hidden
        else [columns[0][FEATURES.index(f)] for f in features] or columns[0][:1]
    )
    columns.append([(xs[-1], float(np.mean([y for _, y in feeding])))])
    rows = max(len(FEATURES), *hidden) if hidden else len(FEATURES)
    return columns, int(NETWORK_TOP + (rows - 1) * ROW + NODE + 3)


_TILE_PAD = 1  # px of edge pixels around each thumbnail in the sprite, so smoothing never bleeds

_FEATURE_TILES: dict = {}


def feature_thumbnails(resolution: int = THUMBNAIL_RESOLUTION) -> np.ndarray:
    """Every feature over the domain (features, resolution, resolution), scaled to [−1, 1]
    by its largest size on the grid, as :func:`compute_view` scales the network's inputs."""
    if resolution not in _FEATURE_TILES:
        values = featurize(grid_points(resolution), FEATURES)
        scale = np.max(np.abs(values), axis=0)
        values = values / np.where(scale > 0, scale, 1.0)
        _FEATURE_TILES[resolution] = values.T.reshape(len(FEATURES), resolution, resolution)
    return _FEATURE_TILES[resolution]


def thumbnail_sprite(nodes) -> tuple:
    """Every neuron's thumbnail stacked in one image (one PNG encode per frame, not one per neuron).

    Returns the PNG data URI and the height of one padded tile.
    """
    tiles = np.concatenate(nodes)
    padded = np.pad(tiles, ((0, 0), (_TILE_PAD, _TILE_PAD), (_TILE_PAD, _TILE_PAD)), mode="edge")
    tile = padded.shape[1]
    return heatmap_data_uri(padded.reshape(-1, tile), HEATMAP), tile


def render_network(view: View, features: tuple, width: int = NETWORK_WIDTH) -> str:
    """Every feature (faded when not fed in), the hidden neurons and the output, each with
    its thumbnail, and every link (colour: the weight's sign, width: its size)."""
    hidden = [layer.shape[0] for layer in view.nodes[1:-1]]
    columns, height = network_layout(hidden, features, width)
    # The first column draws every feature: the fed ones from the view, the others as
    # they would be fed (the same scaling).
    tiles = feature_thumbnails(view.nodes[0].shape[1]).copy()
    used = [FEATURES.index(f) for f in features]
    tiles[used] = view.nodes[0]
    sprite, tile = thumbnail_sprite([tiles, *view.nodes[1:]])
    inner = tile - 2 * _TILE_PAD
    # The positions of the nodes the links join: the fed features only.
    linked = [[columns[0][k] for k in used], *columns[1:]]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"><defs><image id="sprite" width="{tile}" '
        f'height="{tile * len(tiles) + tile * sum(hidden) + tile}" preserveAspectRatio="none" '
        f'href="{sprite}"/></defs>'
    ]
    # Links first, so the neurons sit on top of them.
    parts.append('<g fill="none" stroke-linecap="round" stroke-opacity="0.85">')
    for layer, W in enumerate(view.weights):
        colours = hex_colours(W.ravel())
        dead = view.dead[layer].ravel().tolist()
        widths = link_width(W.ravel()).tolist()
        n_out = W.shape[1]
        for i, (x1, y1) in enumerate(linked[layer]):
            sx, sy = x1 + NODE, y1 + NODE / 2
            for j, (x2, y2) in enumerate(linked[layer + 1]):
                k = i * n_out + j
                ey = y2 + NODE / 2
                mx = (sx + x2) / 2
                dash = ' stroke-dasharray="2 3"' if dead[k] else ""
                parts.append(
                    f'<path d="M{sx:.1f} {sy:.1f}C{mx:.1f} {sy:.1f} {mx:.1f} {ey:.1f} '
                    f'{x2:.1f} {ey:.1f}" stroke="{colours[k]}" '
                    f'stroke-width="{widths[k]:.2f}"{dash}/>'
                )
    parts.append("</g>")
    index = 0
    for layer, column in enumerate(columns):
        bias_colours = hex_colours(view.biases[layer - 1]) if layer else None
        for k, (x, y) in enumerate(column):
            top = index * tile + _TILE_PAD
            faded = layer == 0 and k not in used
            opacity = f' opacity="{UNUSED_FEATURE_OPACITY}"' if faded else ""
            parts.append(
                f'<svg x="{x:.1f}" y="{y:.1f}" width="{NODE}" height="{NODE}" '
                f'viewBox="{_TILE_PAD} {top} {inner} {inner}"{opacity}><use href="#sprite"/>'
                f'</svg><rect x="{x:.1f}" y="{y:.1f}" width="{NODE}" height="{NODE}" '
                f'fill="none" stroke="{NODE_EDGE}"{opacity}/>'
            )
            index += 1
            if layer:
                # The bias, as a small square coloured by its value.
                parts.append(
                    f'<rect x="{x - 4:.1f}" y="{y + NODE - 5:.1f}" width="6" height="6" '
                    f'fill="{bias_colours[k]}" stroke="{BIAS_EDGE}" stroke-width="0.5"/>'
                )
    parts.append("</svg>")
    return "".join(parts)


def describe_network(view: View, features: tuple) -> str:
    hidden = [layer.shape[0] for layer in view.nodes[1:-1]]
    shape = (
        "no hidden layer"
        if not hidden
        else f"{len(hidden)} hidden layer{'s' if len(hidden) != 1 else ''} of "
        + ", ".join(str(h) for h in hidden)
        + " neurons"
    )
    labels = [FEATURE_LABELS[f] for f in features]
    weights = np.concatenate([w.ravel() for w in view.weights])
    largest = weights[np.argmax(np.abs(weights))]
    dead = int(sum(d.sum() for d in view.dead))
    text = (
        f"Network diagram: inputs {', '.join(labels)}, then {shape}, then one output neuron. "
        "The first column shows all seven features, those not fed to the network faded. "
        "Each neuron shows a small picture of its output over the input plane, "
        "blue for positive and orange for negative. "
        "Links are blue for positive weights and orange for negative ones, "
        "thicker for larger weights; "
        f"{weights.size} weights, the largest {largest:+.2f}"
    )
    if dead:
        text += f"; {dead} weights removed by L1 regularization are dashed"
    return text + "."


# --------------------------------------------------------------------------- loss chart

CHART_SIZE = (OUTPUT_WIDTH, 64)


def render_loss_chart(history: np.ndarray) -> str:
    """Training (black) and test (grey) loss against the epoch, both from epoch 0."""
    history = np.asarray(history, dtype=float)
    return line_chart_svg(
        [Line(history[:, 1], MID_GREY, "test"), Line(history[:, 0], INK, "training")],
        size=CHART_SIZE,
    )


def describe_loss_chart(history: np.ndarray) -> str:
    train, test = history[:, 0], history[:, 1]
    return (
        f"Loss chart over {len(history) - 1} epochs: "
        f"training loss (black) from {train[0]:.3f} to {train[-1]:.3f}, "
        f"test loss (grey) from {test[0]:.3f} to {test[-1]:.3f}."
    )


# --------------------------------------------------------------------------- data set thumbnails


def dataset_thumbnail(X: np.ndarray, y: np.ndarray, size: int = 40) -> bytes:
    """A small PNG of a data set: each point a pixel in its label's colour on a light background."""
    image = np.full((size, size, 3), THUMBNAIL_BACKGROUND, dtype=np.uint8)
    pixels = np.clip(_to_pixels(X, size, 0, 0).astype(int), 0, size - 1)
    image[pixels[:, 1], pixels[:, 0]] = ramp_colours(y)
    return encode_png(image)


__all__ = [
    "compute_view",
    "render_output",
    "render_network",
    "render_loss_chart",
    "render_colour_legend",
    "describe_output",
    "describe_network",
    "describe_loss_chart",
    "points_svg",
    "dataset_thumbnail",
    "View",
    "grid_points",
    "link_width",
    "network_columns",
    "network_layout",
    "POINT_STROKES",
]
