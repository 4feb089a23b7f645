"""Chapter 13's attention pictures: the query among the keys (blitted), a head's pattern.

- :class:`QueryFigure`: three panels for :class:`~.attention.AttentionExplorer`: the
  keys as points with the query as an arrow, the scores and softmax weights as bars,
  the values with the output (their weighted mean) as a star. Only what moves is
  redrawn.
- :func:`plot_pattern`: a trained head's attention weights on a few sequences of the
  look-up task, one heat map each (rows: the token that asks, columns: the token
  looked at).
- :func:`plot_sharpening`: the weights of one query at growing lengths (the chapter's
  predict-first figure).
- :func:`token_labels`: how a look-up sequence's tokens are written (``c:5``, ``c?``).
"""

from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D

from ...display.figures import BlittedFigure, new_figure
from ...display.images import figure_png
from ...display.palette import DARK_GREY, GOLD, GREY, NAVY, RED, SEQUENTIAL_CMAP, TEAL

__all__ = ["QueryFigure", "PatternFigure", "plot_pattern", "plot_sharpening", "token_labels"]

#: Letters naming the key symbols of the look-up task (values are digits).
KEY_LETTERS = "abcdefghijklmnop"


def token_labels(task, index):
    """Labels of sequence ``index`` of a look-up task: ``"c:5"`` is key c with value 5,
    the last token ``"c?"`` asks for c's value."""
    keys, values = task.keys[index], task.values[index]
    labels = [f"{KEY_LETTERS[k]}:{v}" for k, v in zip(keys, values)]
    return labels + [f"{KEY_LETTERS[task.query[index]]}?"]


class QueryFigure:
    """Keys and query | scores and weights | values and output; blitted.

    ``keys`` and ``values`` are ``(n, 2)`` arrays, ``names`` their ``n`` labels, ``reach``
    the half-width of the key panel (the longest query).
    """

    def __init__(self, keys, values, names, reach):
        n = len(names)
        figure = new_figure(6.8, 2.6)
        figure.subplots_adjust(left=0.05, right=0.99, top=0.88, bottom=0.17, wspace=0.3)
        key_ax, bar_ax, value_ax = figure.subplots(1, 3, width_ratios=(1, 1.35, 1))
        key_ax.set_xlim(-reach, reach)
        key_ax.set_ylim(-reach, reach)
        key_ax.set_aspect("equal")
        key_ax.axhline(0, color=GREY, linewidth=0.5)
        key_ax.axvline(0, color=GREY, linewidth=0.5)
        key_ax.scatter(keys[:, 0], keys[:, 1], s=46, color=NAVY, zorder=3)
        for (x, y), name in zip(keys, names):
            key_ax.annotate(
                name, (x, y), xytext=(4, 4), textcoords="offset points", fontsize=10, color=NAVY
            )
        key_ax.set_title("keys and the query", fontsize=10)
        self.query = Line2D([0, 1], [0, 0], color=RED, linewidth=2.2, zorder=4)
        self.query_head = Line2D([1], [0], marker="o", color=RED, markersize=6, zorder=4)
        key_ax.add_line(self.query)
        key_ax.add_line(self.query_head)

        positions = np.arange(n)
        bar_ax.set_xlim(-0.6, n - 0.4)
        bar_ax.set_ylim(0, 1.18)
        bar_ax.set_xticks(positions, names)
        bar_ax.set_ylabel("weight", fontsize=10)
        bar_ax.set_title("softmax weights (scores above)", fontsize=10)
        self.bars = bar_ax.bar(positions, np.zeros(n), color=TEAL, width=0.6)
        self.score_texts = [
            bar_ax.text(i, 0.02, "", ha="center", va="bottom", fontsize=9, color=DARK_GREY)
            for i in positions
        ]

        span = float(np.abs(values).max()) * 1.3
        value_ax.set_xlim(-span, span)
        value_ax.set_ylim(-span, span)
        value_ax.set_aspect("equal")
        value_ax.axhline(0, color=GREY, linewidth=0.5)
        value_ax.axvline(0, color=GREY, linewidth=0.5)
        value_ax.scatter(values[:, 0], values[:, 1], s=46, marker="s", color=NAVY, zorder=3)
        for (x, y), name in zip(values, names):
            value_ax.annotate(
                name, (x, y), xytext=(4, 4), textcoords="offset points", fontsize=10, color=NAVY
            )
        value_ax.set_title("values and the output", fontsize=10)
        self.spokes = []
        for x, y in values:
            spoke = Line2D([0, x], [0, y], color=GOLD, linewidth=1.0, zorder=2)
            value_ax.add_line(spoke)
            self.spokes.append(spoke)
        self.output = Line2D(
            [0], [0], marker="*", color=GOLD, markeredgecolor=DARK_GREY, markersize=15, zorder=5
        )
        value_ax.add_line(self.output)
        for axes in (key_ax, bar_ax, value_ax):
            axes.tick_params(labelsize=9)
        self.values = values
        moving = [
            self.query,
            self.query_head,
            *self.bars,
            *self.score_texts,
            *self.spokes,
            self.output,
        ]
        self.blitted = BlittedFigure(figure, moving)

    def png(self, query, scores, weights, output) -> bytes:
        """The picture for ``query`` (2 numbers), its ``scores`` and ``weights`` (n each)
        and the ``output`` (2 numbers)."""
        self.query.set_data([0, query[0]], [0, query[1]])
        self.query_head.set_data([query[0]], [query[1]])
        for bar, text, score, weight in zip(self.bars, self.score_texts, scores, weights):
            bar.set_height(weight)
            text.set_y(weight + 0.02)
            text.set_text(f"{score:.2f}")
        for spoke, (x, y), weight in zip(self.spokes, self.values, weights):
            spoke.set_data([output[0], x], [output[1], y])
            spoke.set_linewidth(0.3 + 4.0 * weight)
        self.output.set_data([output[0]], [output[1]])
        return self.blitted.png()


def plot_pattern(weights, labels, titles=None, width=6.8):
    """Heat maps of attention weights, one per sequence (``weights``: ``(k, T, T)``).

    Row ``i`` is the token that asks (the query), column ``j`` the token it looks at;
    white is 0 and dark blue 1; the last row, the query token, is outlined with its
    weights written in.
    """
    weights = np.asarray(weights)
    k, T = weights.shape[0], weights.shape[1]
    figure = new_figure(width, 3.0, layout="constrained")
    axes_row = np.atleast_1d(figure.subplots(1, k))
    for i, axes in enumerate(axes_row):
        axes.imshow(weights[i], cmap=SEQUENTIAL_CMAP.removesuffix("_r"), vmin=0, vmax=1)
        axes.set_xticks(range(T), labels[i], fontsize=9, rotation=90)
        axes.set_yticks(range(T), labels[i], fontsize=9)
        axes.add_patch(
            _outline(T - 1, T, colour=RED),
        )
        for col in range(T):
            value = weights[i, T - 1, col]
            axes.text(
                col,
                T - 1,
                f"{value:.2f}",
                ha="center",
                va="center",
                fontsize=9,
                color="white" if value > 0.5 else DARK_GREY,
            )
        if titles is not None:
            axes.set_title(titles[i], fontsize=10)
        if i == 0:
            axes.set_ylabel("token asking (query)", fontsize=10)
        axes.set_xlabel("token looked at (key)", fontsize=10)
    return figure


class PatternFigure:
    """One sequence's heat map of attention weights, redrawn in place for the next one.

    The figure is made once with a fixed layout; :meth:`png` swaps the weights, the
    token labels and the numbers of the outlined last row (the query token).
    """

    def __init__(self, n_tokens):
        T = n_tokens
        figure = new_figure(3.9, 2.8)
        axes = figure.add_axes((0.2, 0.25, 0.47, 0.65))
        self.image = axes.imshow(
            np.zeros((T, T)), cmap=SEQUENTIAL_CMAP.removesuffix("_r"), vmin=0, vmax=1
        )
        axes.add_patch(_outline(T - 1, T, colour=RED))
        axes.set_xticks(range(T))
        axes.set_yticks(range(T))
        axes.tick_params(labelsize=9)
        axes.set_ylabel("token asking", fontsize=10)
        axes.set_xlabel("token looked at", fontsize=10)
        self.texts = [
            axes.text(col, T - 1, "", ha="center", va="center", fontsize=9) for col in range(T)
        ]
        colorbar_axes = figure.add_axes((0.72, 0.25, 0.03, 0.65))
        colorbar = figure.colorbar(self.image, cax=colorbar_axes)
        colorbar.ax.tick_params(labelsize=9)
        colorbar.set_label("weight", fontsize=10)
        self.axes, self.figure = axes, figure

    def png(self, weights, labels, title) -> bytes:
        """The picture of ``weights`` (``T × T``) with token ``labels`` and a ``title``."""
        self.image.set_data(weights)
        self.axes.set_xticklabels(labels, rotation=90)
        self.axes.set_yticklabels(labels)
        self.axes.set_title(title, fontsize=10)
        for col, text in enumerate(self.texts):
            value = weights[-1, col]
            text.set_text(f"{value:.2f}")
            text.set_color("white" if value > 0.5 else DARK_GREY)
        return figure_png(self.figure)


def _outline(row, n_columns, colour):
    from matplotlib.patches import Rectangle

    return Rectangle(
        (-0.5, row - 0.5), n_columns, 1, fill=False, edgecolor=colour, linewidth=2.0, zorder=3
    )


def plot_sharpening(lengths, weights, names):
    """Each token's weight (one line per token) against the query's length."""
    figure = new_figure(5.6, 2.8, layout="constrained")
    axes = figure.subplots()
    colours = (RED, TEAL, NAVY, GOLD, GREY)
    styles = ("-", "--", "-.", ":", "-")
    weights = np.asarray(weights)
    for j, name in enumerate(names):
        axes.plot(
            lengths,
            weights[:, j],
            styles[j % 5],
            color=colours[j % 5],
            linewidth=2,
            label=name,
        )
    axes.set_xlabel("length of the query (same direction)", fontsize=10)
    axes.set_ylabel("softmax weight", fontsize=10)
    axes.set_ylim(0, 1.02)
    axes.tick_params(labelsize=10)
    axes.legend(fontsize=9.5, title="token", title_fontsize=9.5, loc="upper left", ncol=5)
    return figure
