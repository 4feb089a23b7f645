"""Chapter 13's CNN section: the figure of kernels applied to a digit and the comparison table.

- :func:`kernel_gallery`: one digit through several 3×3 kernels: each kernel with its
  numbers, the feature map after ReLU and its 2×2 max pool;
- :func:`learned_filters`: the filters a trained :class:`ConvNetClassifier` learned;
- :func:`comparison_table`: :func:`widgets.engine.convolution.shift_comparison`'s
  result as a text table (mean and range over the seeds).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from matplotlib.colors import LinearSegmentedColormap, ListedColormap

from widgets.display.figures import new_figure
from widgets.display.palette import DARK_GREY, DIVERGING, NAVY, WHITE
from widgets.engine.convolution import KERNELS, feature_maps

__all__ = ["kernel_gallery", "learned_filters", "comparison_table", "GALLERY_KERNELS"]

#: The kernels of the chapter's figure, in order.
GALLERY_KERNELS = ("horizontal edge", "vertical edge", "blur", "sharpen")


#: The palette's diverging ramp (orange negative, blue positive), as the explorer draws kernels.
KERNEL_CMAP = ListedColormap(DIVERGING / 255.0)
#: White for 0 to navy for the largest value: feature maps after ReLU, as in the explorer.
MAP_CMAP = LinearSegmentedColormap.from_list("white_navy", [WHITE, NAVY])


def _weight_text(value) -> str:
    fraction = Fraction(float(value)).limit_denominator(9)
    if abs(float(fraction) - value) < 1e-9:
        return str(fraction)
    return f"{value:.2g}"


def _kernel_axes(axes, kernel, title=None, numbers=True):
    top = float(np.abs(kernel).max()) or 1.0
    # a ±1.6·max scale keeps the colours light enough for the numbers on top
    scale = 1.6 * top if numbers else top
    axes.imshow(kernel, cmap=KERNEL_CMAP, vmin=-scale, vmax=scale)
    if numbers:
        for (r, c), value in np.ndenumerate(kernel):
            axes.text(
                c, r, _weight_text(value), ha="center", va="center", fontsize=9.5, color=DARK_GREY
            )
    if title:
        axes.set_title(title, fontsize=10)


def _plain(axes):
    axes.set_xticks([])
    axes.set_yticks([])


def kernel_gallery(image, names=GALLERY_KERNELS):
    """A figure: the digit, then for each kernel of ``names`` its weights, map and pool.

    Feature maps are drawn after ReLU (white 0, dark the largest value of that map);
    each pooled map shares its feature map's scale. Returns the figure and a dict
    name → :class:`~widgets.engine.convolution.FeatureMaps`.
    """
    names = list(names)
    columns = len(names) + 1
    figure = new_figure(6.8, 4.4, layout="constrained")
    grid = figure.subplots(3, columns)
    maps = {}
    for row in grid:
        for axes in row:
            _plain(axes)
    grid[1, 0].imshow(image, cmap="gray_r", vmin=0, vmax=1)
    grid[1, 0].set_title("digit (8×8)", fontsize=10)
    grid[0, 0].axis("off")
    grid[2, 0].axis("off")
    grid[0, 1].set_ylabel("kernel", fontsize=10)
    grid[1, 1].set_ylabel("after ReLU", fontsize=10)
    grid[2, 1].set_ylabel("2×2 max pool", fontsize=10)
    for column, name in enumerate(names, start=1):
        result = maps[name] = feature_maps(image, KERNELS[name])
        top = float(result.activated.max()) or 1.0
        _kernel_axes(grid[0, column], KERNELS[name], name)
        grid[1, column].imshow(result.activated, cmap=MAP_CMAP, vmin=0, vmax=top)
        grid[1, column].set_title(f"max {top:.2f}", fontsize=9.5)
        grid[2, column].imshow(result.pooled, cmap=MAP_CMAP, vmin=0, vmax=top)
    return figure, maps


def learned_filters(network):
    """A figure: the 3×3 filters of a trained network, each on its own ±max scale."""
    filters = network.filters_[:, 0]
    figure = new_figure(6.8, 1.5, layout="constrained")
    axes = figure.subplots(1, len(filters))
    for k, (ax, kernel) in enumerate(zip(np.atleast_1d(axes), filters)):
        _kernel_axes(ax, kernel, f"filter {k + 1}", numbers=False)
        _plain(ax)
    return figure


def comparison_table(result) -> str:
    """The accuracy table of a :class:`~widgets.engine.convolution.ShiftComparison`.

    One row per model: its number of weights and biases, then for each shift the mean
    test accuracy over the seeds with the lowest and highest seed in brackets.
    """
    labels = ["unshifted" if s == "none" else s for s in result.shift_labels]
    lines = [f"{'model':7}{'weights':>8}" + "".join(f"{label:>21}" for label in labels)]
    for model, count, stats in result.summary():
        cells = "".join(f"  {mean:.3f} ({low:.3f}–{high:.3f})" for mean, low, high in stats)
        lines.append(f"{model:7}{count:8d}{cells}")
    seeds = ", ".join(map(str, result.seeds))
    lines.append(f"test accuracy: mean over seeds {seeds} (lowest–highest);")
    lines.append("a shifted column averages moves up, down, left and right")
    return "\n".join(lines)
