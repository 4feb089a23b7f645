"""Chapter 13's autoencoder pictures: digit strips, the error against k, the code scatter.

Shared by :class:`~widgets.explorers.beyond_mlps.autoencoder.AutoencoderExplorer` and
the chapter's static figures. Nothing here trains: every number comes from
:mod:`widgets.engine.autoencoder`.
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import to_rgb
from matplotlib.patches import FancyArrowPatch, Polygon, Rectangle

from widgets.display.figures import new_figure
from widgets.display.palette import (
    AMBER,
    BLACK,
    DARK_GOLD,
    DARK_GREY,
    GREEN,
    GREY,
    LIGHT_GREY,
    MAGENTA,
    NAVY,
    PURPLE,
    RED,
    TEAL,
)

__all__ = [
    "DIGIT_COLOURS",
    "digit_strip",
    "scatter_pixels",
    "plot_reconstructions",
    "plot_error_vs_size",
    "draw_error_vs_size",
    "plot_latent_scatter",
    "draw_latent_scatter",
    "plot_autoencoder_diagram",
]

#: One colour per digit class 0–9, all from the course's palette.
DIGIT_COLOURS = (RED, AMBER, TEAL, GREEN, PURPLE, MAGENTA, NAVY, DARK_GOLD, GREY, BLACK)


def digit_strip(images, scale=5, gap=2) -> np.ndarray:
    """RGB pixels (uint8) of 8×8 digits side by side: ink 1 is black, 0 white.

    ``images``: (n, 64) pixel values, clipped to [0, 1] (a reconstruction may overshoot);
    each pixel becomes a ``scale``×``scale`` block, digits ``gap`` blocks apart.
    """
    images = np.clip(np.nan_to_num(np.asarray(images, dtype=float)), 0.0, 1.0)
    n = len(images)
    size = 8 * scale
    width = n * size + (n - 1) * gap * scale
    grey = np.full((size, width), 255, dtype=np.uint8)
    for index, image in enumerate(images):
        block = np.kron(image.reshape(8, 8), np.ones((scale, scale)))
        left = index * (size + gap * scale)
        grey[:, left : left + size] = np.round(255 * (1.0 - block)).astype(np.uint8)
    return np.repeat(grey[:, :, None], 3, axis=2)


def scatter_pixels(codes, labels, size=240, radius=3, margin=8) -> np.ndarray:
    """RGB pixels (uint8) of a scatter of 2-D ``codes``, each a disc in its digit's colour.

    Drawn straight into an array (no axes, no text: the explorer puts the key beside it
    in HTML), so that the explorer can redraw it in a millisecond. The codes are scaled
    to fill the square; a light frame marks its edge.
    """
    codes = np.nan_to_num(np.asarray(codes, dtype=float))
    low, high = codes.min(axis=0), codes.max(axis=0)
    span = np.where(high > low, high - low, 1.0)
    inner = size - 2 * margin - 1
    columns = np.rint(margin + (codes[:, 0] - low[0]) / span[0] * inner).astype(int)
    rows = np.rint(size - 1 - margin - (codes[:, 1] - low[1]) / span[1] * inner).astype(int)
    pixels = np.full((size, size, 3), 255, dtype=np.uint8)
    frame = np.array(to_rgb(LIGHT_GREY)) * 255
    pixels[[0, -1], :] = frame
    pixels[:, [0, -1]] = frame
    offsets = [
        (dy, dx)
        for dy in range(-radius, radius + 1)
        for dx in range(-radius, radius + 1)
        if dy * dy + dx * dx <= radius * radius
    ]
    colours = np.array([to_rgb(c) for c in DIGIT_COLOURS]) * 255
    order = np.random.default_rng(0).permutation(len(codes))  # no class always on top
    for dy, dx in offsets:
        r = np.clip(rows[order] + dy, 1, size - 2)
        c = np.clip(columns[order] + dx, 1, size - 2)
        pixels[r, c] = colours[np.asarray(labels)[order]]
    return pixels


def plot_reconstructions(originals, rows):
    """Originals in the top row, each entry of ``rows`` (label → reconstructions) below."""
    n, labels = len(originals), ["original", *rows]
    figure = new_figure(0.55 * n + 1.4, 0.62 * len(labels), layout="constrained")
    axes = figure.subplots(len(labels), n, squeeze=False)
    for r, images in enumerate([originals, *rows.values()]):
        for c in range(n):
            ax = axes[r, c]
            ax.imshow(
                np.clip(images[c].reshape(8, 8), 0, 1),
                cmap="gray_r",
                vmin=0,
                vmax=1,
                interpolation="nearest",
            )
            ax.set_xticks([])
            ax.set_yticks([])
        axes[r, 0].set_ylabel(labels[r], fontsize=10, rotation=0, ha="right", va="center")
    return figure


def draw_error_vs_size(axes, sizes, autoencoder, pca, highlight=None):
    """Held-out error against ``k`` (log axis): autoencoder per seed and mean, PCA.

    ``autoencoder``: (len(sizes), n_seeds) errors; ``pca``: (len(sizes),) errors.
    """
    sizes = np.asarray(sizes)
    autoencoder = np.atleast_2d(np.asarray(autoencoder, dtype=float).T).T
    if autoencoder.shape[1] > 1:
        axes.fill_between(
            sizes, autoencoder.min(1), autoencoder.max(1), color=RED, alpha=0.15, linewidth=0
        )
        for column in autoencoder.T:
            axes.plot(sizes, column, "o", color=RED, markersize=3, alpha=0.6)
    axes.plot(sizes, autoencoder.mean(1), "o-", color=RED, label="autoencoder")
    axes.plot(sizes, pca, "s--", color=NAVY, label="PCA")
    if highlight is not None:
        axes.axvline(highlight, color=GREY, linewidth=6, alpha=0.25, zorder=0)
    axes.set_xscale("log", base=2)
    axes.set_xlim(sizes.min() / 1.35, sizes.max() * 1.35)
    axes.set_xticks(sizes, [str(k) for k in sizes])
    axes.minorticks_off()
    axes.set_xlabel("code size k", fontsize=10)
    axes.set_ylabel("test error per pixel", fontsize=10)
    axes.tick_params(labelsize=10)
    axes.legend(fontsize=10, frameon=False)


def plot_error_vs_size(sizes, autoencoder, pca, highlight=None):
    """:func:`draw_error_vs_size` as a figure of its own."""
    figure = new_figure(4.6, 2.8, layout="constrained")
    draw_error_vs_size(figure.subplots(), sizes, autoencoder, pca, highlight)
    return figure


def draw_latent_scatter(axes, codes, labels, title=""):
    """Each point a digit's 2-number code, drawn as the digit itself in its colour."""
    codes = np.asarray(codes, dtype=float)
    for digit in range(10):
        chosen = labels == digit
        axes.scatter(
            codes[chosen, 0],
            codes[chosen, 1],
            marker=f"${digit}$",
            s=40,
            color=DIGIT_COLOURS[digit],
            linewidths=0,
            label=str(digit),
        )
    axes.set_xlabel("code 1", fontsize=10)
    axes.set_ylabel("code 2", fontsize=10)
    axes.tick_params(labelsize=9)
    if title:
        axes.set_title(title, fontsize=10)
    legend = axes.legend(
        loc="center left",
        bbox_to_anchor=(1.0, 0.5),
        fontsize=10,
        frameon=False,
        handletextpad=0.2,
        markerscale=1.3,
        title="digit",
        title_fontsize=10,
    )
    return legend


def plot_latent_scatter(panels, labels):
    """One scatter per ``(title, codes)`` in ``panels``, two to a row; the colour key
    fills the next free cell (or sits beside a single panel)."""
    n = len(panels)
    columns = 1 if n == 1 else 2
    rows = (n + 1 + columns - 1) // columns if n > 1 else 1
    width = 4.6 if n == 1 else 6.6
    figure = new_figure(width, 3.0 * rows, layout="constrained")
    axes = figure.subplots(rows, columns, squeeze=False).ravel()
    for index, (title, codes) in enumerate(panels):
        legend = draw_latent_scatter(axes[index], codes, labels, title)
        if n > 1:
            legend.remove()
    if n > 1:
        key = axes[n]
        key.axis("off")
        handles, names = axes[0].get_legend_handles_labels()
        key.legend(
            handles,
            names,
            loc="center",
            ncol=2,
            fontsize=11,
            frameon=False,
            markerscale=1.5,
            title="digit",
            title_fontsize=11,
        )
        for extra in axes[n + 1 :]:
            extra.axis("off")
    return figure


def plot_autoencoder_diagram(digit, code, reconstruction, layer_sizes=(64, 32, 2, 32, 64)):
    """The encoder narrowing to the code and the decoder widening back, with the numbers.

    ``digit`` and ``reconstruction`` are 64 pixels; ``code`` the ``k`` numbers between.
    Each layer is a bar whose height follows its number of units.
    """
    figure = new_figure(6.9, 2.75)
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 10.4)
    ax.set_ylim(-2.35, 1.75)
    ax.axis("off")
    image_extent = 0.9
    ax.imshow(
        np.clip(digit.reshape(8, 8), 0, 1),
        cmap="gray_r",
        vmin=0,
        vmax=1,
        extent=(0.1, 0.1 + 2 * image_extent, -image_extent, image_extent),
        interpolation="nearest",
    )
    ax.imshow(
        np.clip(reconstruction.reshape(8, 8), 0, 1),
        cmap="gray_r",
        vmin=0,
        vmax=1,
        extent=(8.5, 8.5 + 2 * image_extent, -image_extent, image_extent),
        interpolation="nearest",
    )
    ax.text(1.0, -1.2, "input x\n64 pixels", ha="center", va="top", fontsize=10)
    ax.text(9.4, -1.2, "reconstruction x̂\n64 numbers", ha="center", va="top", fontsize=10)
    xs = np.linspace(2.6, 7.8, len(layer_sizes))
    heights = [0.25 + 1.1 * np.sqrt(units / max(layer_sizes)) for units in layer_sizes]
    bottleneck = int(np.argmin(layer_sizes))
    for position, (x, h, units) in enumerate(zip(xs, heights, layer_sizes)):
        colour = AMBER if position == bottleneck else (TEAL if position < bottleneck else PURPLE)
        ax.add_patch(Rectangle((x - 0.14, -h), 0.28, 2 * h, facecolor=colour, edgecolor=DARK_GREY))
        ax.text(x, -h - 0.12, str(units), ha="center", va="top", fontsize=10)
    for (x0, h0), (x1, h1) in zip(zip(xs[:-1], heights[:-1]), zip(xs[1:], heights[1:])):
        ax.add_patch(
            Polygon(
                [(x0 + 0.14, h0), (x1 - 0.14, h1), (x1 - 0.14, -h1), (x0 + 0.14, -h0)],
                facecolor=GREY,
                alpha=0.18,
                edgecolor="none",
            )
        )
    for start, end in (((2.0, 0), (xs[0] - 0.18, 0)), ((xs[-1] + 0.18, 0), (8.45, 0))):
        ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=12))
    ax.text((xs[0] + xs[bottleneck]) / 2, 1.45, "encoder", ha="center", fontsize=11, color=TEAL)
    ax.text((xs[bottleneck] + xs[-1]) / 2, 1.45, "decoder", ha="center", fontsize=11, color=PURPLE)
    numbers = ", ".join(f"{value:.2f}".replace("-", "\u2212") for value in code)
    ax.text(
        xs[bottleneck],
        -1.95,
        f"code z = ({numbers})",
        ha="center",
        va="top",
        fontsize=10,
        color=DARK_GREY,
    )
    ax.plot(
        [xs[bottleneck], xs[bottleneck]],
        [-heights[bottleneck] - 0.5, -1.9],
        color=DARK_GREY,
        linewidth=0.8,
    )
    return figure
