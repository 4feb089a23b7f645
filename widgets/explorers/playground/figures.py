"""Figures and small computations for the Playground chapters (2 and 12).

The figures are matplotlib figures on their own Agg canvas
(:func:`widgets.display.figures.new_figure`), returned for a notebook cell to display.
They draw the same pictures as the explorer: the output over the plane in the original's
orange–white–blue ramp, lightened as the explorer's heatmaps are
(:data:`~widgets.display.palette.HEATMAP`), the data points in its full colours, and each
neuron's output. Every figure fits the book's text width (at most 6.8 inches at 100 dpi,
so it is shown unscaled) and writes no text smaller than 10 pt.

The chapters' small computations are here too (results over several seeds are in
:mod:`.seeds`): how straight a neuron's boundary is
(:func:`neuron_linearity`), the single layer a linear network collapses into, and the
counts of chapter 2's "exponential number of variations": the pieces that lines cut the
plane into and the colourings of those pieces that a network can draw
(:func:`colourings_drawn`).

Counting a network's weights and biases is the engine's
:func:`widgets.engine.count_parameters`; the error bound of a test loss is
:func:`widgets.explorers.playground.challenges.max_error_rate`.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
from scipy.optimize import linprog

from ...display.figures import new_figure
from ...display.palette import HEATMAP, WHITE, ramp_colours
from ...engine.playground import PlaygroundNet, featurize
from ...engine.validation import check_integer
from .render import DOMAIN, grid_points

FIGURE_RESOLUTION = 80
#: Widest figure (inches at 100 dpi): the book's text is about 690 px wide.
MAX_WIDTH = 6.8
#: Smallest text in a figure (points).
FONT_SIZE = 10


def _session(playground):
    return getattr(playground, "session", playground)


def plane_image(ax, values, title=None, resolution=FIGURE_RESOLUTION):
    """Draw ``values`` over the input plane on ``ax`` in the Playground's colour ramp.

    ``values`` holds one number per grid point (``resolution`` × ``resolution``, row by
    row), as :func:`output_over_plane` returns them.
    """
    ax.imshow(
        ramp_colours(values.reshape(resolution, resolution), HEATMAP),
        extent=(*DOMAIN, *DOMAIN),
        interpolation="bilinear",
    )
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title, fontsize=FONT_SIZE)


def output_over_plane(playground, resolution=FIGURE_RESOLUTION) -> np.ndarray:
    """The network's output over a resolution² grid of the plane (row 0 at the top)."""
    session = _session(playground)
    return session.net.predict(featurize(grid_points(resolution), session.config.features))


def plot_outputs(playgrounds, titles, show_points=True):
    """One output heatmap per Playground, with its training points and test loss.

    Up to three side by side; four as a 2×2 grid, more in rows of three, so the figure
    keeps to the text width.
    """
    playgrounds, titles = list(playgrounds), list(titles)
    n = len(playgrounds)
    columns = n if n <= 3 else 2 if n == 4 else 3
    rows = math.ceil(n / columns)
    side = min(3.0, MAX_WIDTH / columns)
    figure = new_figure(side * columns, (side + 0.45) * rows, layout="constrained")
    axes = np.array(figure.subplots(rows, columns, squeeze=False)).ravel()
    for ax in axes[n:]:
        ax.set_axis_off()
    for ax, playground, title in zip(axes, playgrounds, titles):
        session = _session(playground)
        plane_image(ax, output_over_plane(session))
        if show_points:
            ax.scatter(
                session.X_train[:, 0],
                session.X_train[:, 1],
                c=ramp_colours(session.y_train) / 255.0,
                s=9,
                edgecolors=WHITE,
                linewidths=0.5,
            )
        ax.set_xlim(*DOMAIN)
        ax.set_ylim(*DOMAIN)
        ax.set_title(f"{title}\ntest loss {session.test_loss:.3f}", fontsize=FONT_SIZE)
    return figure


def layer_pre_activations(playground, resolution=FIGURE_RESOLUTION) -> list:
    """Each layer's total inputs z = a·W + b over the grid, hidden layers and output."""
    session = _session(playground)
    net = session.net
    outputs = net.layer_outputs(featurize(grid_points(resolution), session.config.features))
    return [a @ w + b for a, w, b in zip(outputs[:-1], net.weights, net.biases)]


def neuron_linearity(playground, resolution=FIGURE_RESOLUTION) -> list:
    """For each neuron, how much of its total input a plane a·x₁ + b·x₂ + c explains (R², 0 to 1).

    A neuron fed X₁ and X₂ directly computes f(w₁x₁ + w₂x₂ + b): its total input *is* such
    a plane (R² = 1), so its boundary is a straight line, a first-order feature. A neuron
    of a later layer adds up curved functions, and the plane explains less: it has built
    a higher-order feature. The plane is one of x₁ and x₂, whatever the network's inputs:
    a first-layer neuron fed X₁² or sin X₁ is curved in the plane too (R² below 1).
    """
    points = grid_points(resolution)
    design = np.column_stack([points, np.ones(len(points))])
    result = []
    for z in layer_pre_activations(playground, resolution):
        coefficients, *_ = np.linalg.lstsq(design, z, rcond=None)
        residual = z - design @ coefficients
        spread = ((z - z.mean(axis=0)) ** 2).sum(axis=0)
        explained = 1.0 - (residual**2).sum(axis=0) / np.where(spread > 0, spread, 1.0)
        # 0 to 1 (no −0.000 from rounding); a constant input is a plane: R² = 1.
        result.append(np.where(spread > 0, np.clip(explained, 0.0, 1.0), 1.0))
    return result


#: Most neuron pictures stacked in one column of :func:`plot_neurons`.
NEURONS_PER_COLUMN = 4


def plot_neurons(playground, resolution=FIGURE_RESOLUTION):
    """Every hidden neuron's output over the plane, layer by layer, and the output last.

    A layer takes one column of up to four pictures (a wider layer, several columns).
    Each picture's title gives the neuron (H2.1: layer 2, neuron 1) and the R² of
    :func:`neuron_linearity`.
    """
    session = _session(playground)
    net = session.net
    outputs = net.layer_outputs(featurize(grid_points(resolution), session.config.features))[1:]
    linearity = neuron_linearity(playground, resolution)
    rows = min(NEURONS_PER_COLUMN, max(a.shape[1] for a in outputs))
    panels = []  # (layer, neuron) for each column, top to bottom
    for layer, activity in enumerate(outputs):
        neurons = list(range(activity.shape[1]))
        for start in range(0, len(neurons), rows):
            panels.append([(layer, r) for r in neurons[start : start + rows]])
    columns = len(panels)
    side = min(1.6, (MAX_WIDTH - 0.1) / columns)
    figure = new_figure(side * columns + 0.1, (side + 0.05) * rows + 0.1, layout="constrained")
    axes = np.array(figure.subplots(rows, columns, squeeze=False))
    for c, column in enumerate(panels):
        for r in range(rows):
            ax = axes[r, c]
            if r >= len(column):
                ax.set_axis_off()
                continue
            layer, neuron = column[r]
            name = "output" if layer == len(outputs) - 1 else f"H{layer + 1}.{neuron + 1}"
            r2 = linearity[layer][neuron]
            plane_image(ax, outputs[layer][:, neuron], f"{name}  R² {r2:.2f}", resolution)
    return figure


def collapse_linear_network(net: PlaygroundNet):
    """The single layer (W, b) a network with linear hidden neurons is equal to.

    With f(z) = z every hidden layer is a matrix product plus a bias, and a chain of those
    is again one: W = W₁W₂…W_L, b = (…(b₁W₂ + b₂)W₃ …) + b_L. Only the output's tanh remains.
    """
    if net.activation != "linear":
        raise ValueError(
            "net must have linear hidden neurons to collapse; "
            f"its activation is {net.activation!r}."
        )
    W, b = net.weights[0], net.biases[0]
    for w_next, b_next in zip(net.weights[1:], net.biases[1:]):
        W, b = W @ w_next, b @ w_next + b_next
    return W, b


# --------------------------------------------------------------------------- several seeds


def linearity_table(runs) -> str:
    """The R² of :func:`neuron_linearity` per layer over several runs: lowest, median, highest.

    ``runs``: Playgrounds or sessions, or a :class:`~.seeds.SeedReport` (its ``sessions``).
    """
    runs = getattr(runs, "sessions", runs)
    by_layer = [neuron_linearity(run) for run in runs]
    names = [f"hidden layer {layer}" for layer in range(1, len(by_layer[0]))] + ["output"]
    head = f"R² of a plane fit, {len(runs)} seeds"
    width = max(len(head), *(len(name) for name in names))
    lines = [f"{head:{width}}  lowest  median  highest"]
    for layer, name in enumerate(names):
        values = np.concatenate([r2[layer] for r2 in by_layer])
        lines.append(
            f"{name:{width}}  {values.min():6.3f}  {np.median(values):6.3f}  {values.max():7.3f}"
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------- pieces and colourings


def max_regions(lines: int) -> int:
    """The most pieces ``lines`` straight lines can cut the plane into: 1 + k + k(k − 1)/2."""
    return 1 + lines + lines * (lines - 1) // 2


def random_lines(lines: int, seed: int = 0):
    """``lines`` random straight lines, as first-layer neurons draw them: (normals, offsets).

    Line i is where normals[i]·x + offsets[i] = 0: a unit normal at a random angle and an
    offset from −3 to 3, so it passes through the middle of the [−6, 6]² window.
    """
    lines = check_integer(lines, "lines", low=1)
    rng = np.random.default_rng(check_integer(seed, "seed", low=0))
    angles = rng.uniform(0, np.pi, lines)
    normals = np.column_stack([np.cos(angles), np.sin(angles)])
    offsets = rng.uniform(-3, 3, lines)
    return normals, offsets


def count_regions(lines: int, seed: int = 0, resolution: int = 400) -> int:
    """Pieces of the [−6, 6]² window cut by ``lines`` random lines (:func:`random_lines`).

    Each line is where a first-layer neuron's tanh(w·x + b) changes sign. Counted as the
    distinct on/off patterns of the neurons over a fine grid of the window: lines that
    cross outside it leave fewer pieces inside than :func:`max_regions`.
    """
    normals, offsets = random_lines(lines, seed)
    signs = (grid_points(resolution) @ normals.T + offsets) > 0
    patterns = signs @ (1 << np.arange(lines, dtype=np.int64))
    return int(len(np.unique(patterns)))


def piece_codes(normals, offsets) -> np.ndarray:
    """The on/off code (±1 per line) of every piece that lines cut the whole plane into.

    Lines in general position (no two parallel, no three through one point): every piece
    has a corner where two lines cross, and the four pieces around a crossing differ in
    those two lines' signs only, so the codes around all crossings are all the pieces.
    """
    normals, offsets = np.asarray(normals, float), np.asarray(offsets, float)
    if len(offsets) == 1:
        return np.array([[-1], [1]])
    codes = set()
    for i, j in itertools.combinations(range(len(offsets)), 2):
        crossing = np.linalg.solve(normals[[i, j]], -offsets[[i, j]])
        signs = np.sign(normals @ crossing + offsets).astype(int)
        for si, sj in itertools.product((-1, 1), repeat=2):
            signs[i], signs[j] = si, sj
            codes.add(tuple(signs.tolist()))
    return np.array(sorted(codes))


def _piece_centres(normals, offsets, codes):
    """A point deep inside each piece, and how far it is from the nearest line.

    The centre of the largest disk inside the piece (cut to a box around every crossing,
    as a piece may be unbounded), found by a small linear program.
    """
    k = len(offsets)
    crossings = [
        np.linalg.solve(normals[[i, j]], -offsets[[i, j]])
        for i, j in itertools.combinations(range(k), 2)
    ]
    box = 1.0 + max([np.abs(c).max() for c in crossings] + [np.abs(offsets).max()])
    centres, depths = [], []
    for code in codes:
        # maximise r subject to code_i (n_i·x + b_i) ≥ r and |x| ≤ box: variables x1, x2, r
        A = np.column_stack([-code[:, None] * normals, np.ones(k)])
        result = linprog(
            [0, 0, -1],
            A_ub=A,
            b_ub=code * offsets,
            bounds=[(-box, box), (-box, box), (0, None)],
            method="highs",
        )
        centres.append(result.x[:2])
        depths.append(result.x[2])
    return np.array(centres), float(min(depths))


def _one_neuron_weights(codes, colours):
    """Weights (w, c) with colours·(codes·w + c) ≥ 1, or None if no single neuron has them."""
    A = -colours[:, None] * np.column_stack([codes, np.ones(len(codes))])
    result = linprog(
        np.zeros(codes.shape[1] + 1),
        A_ub=A,
        b_ub=-np.ones(len(codes)),
        bounds=[(None, None)] * (codes.shape[1] + 1),
        method="highs",
    )
    return (result.x[:-1], result.x[-1]) if result.status == 0 else None


def colourings_drawn(lines: int, seed: int = 0, extra_layer: bool = False) -> int:
    """How many of the 2^pieces colourings of the pieces a network on these lines draws.

    The lines are :func:`random_lines`, drawn by a first hidden layer of ``lines`` tanh
    neurons (steep enough to be fully on or off inside every piece). Each colouring gives
    every piece blue or orange; it counts as drawn when a Playground network
    (:class:`~widgets.engine.playground.PlaygroundNet`, X₁ and X₂ in) built for it
    colours a point deep inside every piece right.

    - ``extra_layer=False``: the output neuron reads the lines directly. It draws a
      colouring only if one weighted sum of the on/off codes, w·code + c, has the piece's
      colour as its sign in every piece; a small linear program finds such (w, c) or
      proves there is none. For two crossing lines the checkerboard has none.
    - ``extra_layer=True``: a second hidden layer has one neuron per piece of the rarer
      colour (at most ⌊pieces/2⌋), each switched on in its piece only (a piece's code is
      a corner of the cube of codes, which one plane cuts off from the others); the
      output is on where any of them is. This draws every colouring.
    """
    normals, offsets = random_lines(lines, seed)
    codes = piece_codes(normals, offsets)
    centres, depth = _piece_centres(normals, offsets, codes)
    steep = 6.0 / depth  # tanh(6) ≈ 1 − 10⁻⁵: every line neuron fully on or off
    first = (steep * normals.T, steep * offsets)
    drawn = 0
    # A colouring and its reverse (blue and orange swapped) are drawn alike, with every
    # weight after the first layer negated: try those whose first piece is orange, count two.
    for rest in itertools.product((-1.0, 1.0), repeat=len(codes) - 1):
        colours = np.array((-1.0, *rest))
        if extra_layer:
            rare = 1.0 if np.sum(colours > 0) <= np.sum(colours < 0) else -1.0
            pieces = codes[colours == rare]
            width = max(1, len(pieces))
            W2, b2 = np.zeros((lines, width)), np.full(width, -6.0)
            for j, code in enumerate(pieces):  # on (≈ +1) where the code matches, else −1
                W2[:, j], b2[j] = 6.0 * code, -6.0 * (lines - 1)
            net = PlaygroundNet(2, (lines, width))
            W3 = np.full((width, 1), 6.0 * rare)
            b3 = np.array([6.0 * rare * (width - 1) if len(pieces) else -6.0 * rare])
            weights, biases = [first[0], W2, W3], [first[1], b2, b3]
        else:
            found = _one_neuron_weights(codes, colours)
            if found is None:
                continue
            w, c = found
            net = PlaygroundNet(2, (lines,))
            weights, biases = [first[0], 6.0 * w[:, None]], [first[1], np.array([6.0 * c])]
        for sign in (1.0, -1.0):
            net.weights = weights[:-1] + [sign * weights[-1]]
            net.biases = biases[:-1] + [sign * biases[-1]]
            drawn += bool(np.all(np.sign(net.predict(centres)) == sign * colours))
    return drawn


def labelings(regions: int) -> int:
    """Ways to give each of ``regions`` pieces one of two classes: 2^regions."""
    return 2**regions


def binomial(n: int, k: int) -> int:
    return math.comb(n, k)
