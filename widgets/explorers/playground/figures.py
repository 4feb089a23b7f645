"""Figures and small computations for the Playground chapters (2 and 12).

The figures are matplotlib figures on their own Agg canvas
(:func:`widgets.display.figures.new_figure`), returned for a notebook cell to display.
They draw the same pictures as the explorer:
the output over the plane in the original's orange–white–blue ramp (the palette's
:data:`~widgets.display.palette.DIVERGING`), the data points, and each neuron's output.

Counting a network's weights and biases is the engine's
:func:`widgets.engine.count_parameters`; the error bound of a test loss is
:func:`widgets.explorers.playground.challenges.max_error_rate`.
"""

from __future__ import annotations

import math

import numpy as np

from ...display.figures import new_figure
from ...display.palette import WHITE, ramp_colours
from ...engine.playground import PlaygroundNet, featurize
from .render import DOMAIN, grid_points

FIGURE_RESOLUTION = 80


def _session(playground):
    return getattr(playground, "session", playground)


def _plane_image(ax, values, title=None, resolution=FIGURE_RESOLUTION):
    ax.imshow(
        ramp_colours(values.reshape(resolution, resolution)),
        extent=(*DOMAIN, *DOMAIN),
        interpolation="bilinear",
    )
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title, fontsize=9)


def output_over_plane(playground, resolution=FIGURE_RESOLUTION) -> np.ndarray:
    """The network's output over a resolution² grid of the plane (row 0 at the top)."""
    session = _session(playground)
    return session.net.predict(featurize(grid_points(resolution), session.config.features))


def plot_outputs(playgrounds, titles, show_points=True):
    """One output heatmap per Playground, side by side, with its training points and losses."""
    figure = new_figure(3.0 * len(playgrounds), 3.35, layout="constrained")
    axes = np.atleast_1d(figure.subplots(1, len(playgrounds)))
    for ax, playground, title in zip(axes, playgrounds, titles):
        session = _session(playground)
        _plane_image(ax, output_over_plane(session))
        if show_points:
            ax.scatter(
                session.X_train[:, 0],
                session.X_train[:, 1],
                c=ramp_colours(session.y_train) / 255.0,
                s=7,
                edgecolors=WHITE,
                linewidths=0.4,
            )
        ax.set_xlim(*DOMAIN)
        ax.set_ylim(*DOMAIN)
        ax.set_title(f"{title}\ntest loss {session.test_loss:.3f}", fontsize=9)
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
    a higher-order feature.
    """
    points = grid_points(resolution)
    design = np.column_stack([points, np.ones(len(points))])
    result = []
    for z in layer_pre_activations(playground, resolution):
        coefficients, *_ = np.linalg.lstsq(design, z, rcond=None)
        residual = z - design @ coefficients
        spread = ((z - z.mean(axis=0)) ** 2).sum(axis=0)
        result.append(
            np.where(
                spread > 0, 1.0 - (residual**2).sum(axis=0) / np.where(spread > 0, spread, 1.0), 1.0
            )
        )
    return result


def plot_neurons(playground, resolution=FIGURE_RESOLUTION):
    """Every hidden neuron's output over the plane, one column per layer, and the output last.

    Each panel's title gives the neuron and the R² of :func:`neuron_linearity`.
    """
    session = _session(playground)
    net = session.net
    outputs = net.layer_outputs(featurize(grid_points(resolution), session.config.features))[1:]
    linearity = neuron_linearity(playground, resolution)
    rows, columns = max(a.shape[1] for a in outputs), len(outputs)
    figure = new_figure(1.55 * columns + 0.3, 1.5 * rows + 0.3, layout="constrained")
    axes = np.array(figure.subplots(rows, columns, squeeze=False))
    for c, (activity, r2) in enumerate(zip(outputs, linearity)):
        for r in range(rows):
            ax = axes[r, c]
            if r >= activity.shape[1]:
                ax.set_axis_off()
                continue
            name = "output" if c == columns - 1 else f"H{c + 1}.{r + 1}"
            _plane_image(ax, activity[:, r], f"{name}  R² {r2[r]:.2f}", resolution)
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


def max_regions(lines: int) -> int:
    """The most pieces ``lines`` straight lines can cut the plane into: 1 + k + k(k − 1)/2."""
    return 1 + lines + lines * (lines - 1) // 2


def count_regions(lines: int, seed: int = 0, resolution: int = 400) -> int:
    """Pieces of the [−6, 6]² plane cut by ``lines`` random first-layer neurons.

    Each neuron splits the plane where tanh(w·x + b) changes sign.

    Counted as the distinct on/off patterns of the neurons over a fine grid; random
    lines in general position through the middle of the plane come close to :func:`max_regions`.
    """
    rng = np.random.default_rng(seed)
    angles = rng.uniform(0, np.pi, lines)
    normals = np.column_stack([np.cos(angles), np.sin(angles)])
    offsets = rng.uniform(-3, 3, lines)
    signs = (grid_points(resolution) @ normals.T + offsets) > 0
    return int(len(np.unique(np.packbits(signs, axis=1), axis=0)))


def labelings(regions: int) -> int:
    """Ways to give each of ``regions`` pieces one of two classes: 2^regions."""
    return 2**regions


def binomial(n: int, k: int) -> int:
    return math.comb(n, k)
