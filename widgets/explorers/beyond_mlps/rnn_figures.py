"""Pictures of chapter 13's recurrent network: the unrolled network and the gradient's reach.

- :func:`unrolled_svg`: the network unrolled over a sequence, one column per step: the
  input bit, the hidden state as a column of coloured cells (a heat map of
  :math:`h_t`, orange −1, grey 0, blue +1), the arrow carrying it to the next step, the
  output as a bar against the target (teal right, red wrong, grey no target);
- :func:`reach_svg`: the gradient of the last step's loss with respect to the hidden
  state k steps earlier, relative to k = 0, on a log scale;
- :func:`plot_unrolled_idea`, :func:`plot_gradient_reach`: the chapter's static
  figures (matplotlib, displayed once as PNG).
"""

from __future__ import annotations

import html

import numpy as np
from matplotlib.patches import FancyBboxPatch

from widgets.display.figures import new_figure
from widgets.display.palette import (
    AMBER,
    DARK_GOLD_TEXT,
    DARK_GREY,
    GOLD,
    GREY,
    HEATMAP,
    LIGHT_GREY,
    NAVY,
    NODE_EDGE,
    RED,
    TEAL,
    WHITE,
    hex_colours,
)

__all__ = [
    "unrolled_svg",
    "reach_svg",
    "REACH_FLOOR",
    "plot_unrolled_idea",
    "plot_gradient_reach",
]

#: The reach chart's lowest power of ten (smaller values are drawn on the floor).
REACH_FLOOR = -10
REACH_CEILING = 2
FONT = 14  # px; the pictures are shown at most at their own width (≥ 9 pt at 680 px)


def _svg_open(width, height):
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="{FONT}">'
        f'<rect width="{width}" height="{height}" fill="{WHITE}"/>'
    )


def unrolled_svg(bits, hidden, outputs, targets, mask, width=680) -> str:
    """SVG of the network unrolled over one sequence.

    Parameters
    ----------
    bits : array (T,) of 0/1
        The inputs :math:`x_1 … x_T`.
    hidden : array (T, H)
        :math:`h_1 … h_T` (values in [−1, 1]).
    outputs : array (T,)
        :math:`y_t` in [0, 1].
    targets, mask : arrays (T,)
        The target bits and whether a step has one.
    """
    bits = np.asarray(bits).astype(int)
    hidden = np.asarray(hidden, dtype=float)
    outputs = np.clip(np.nan_to_num(np.asarray(outputs, dtype=float), nan=0.5), 0.0, 1.0)
    targets, mask = np.asarray(targets), np.asarray(mask)
    length, units = hidden.shape
    left = 92
    step = min(34.0, (width - left - 10) / length)
    cell = min(12.0, 96.0 / units)
    top_in, size_in = 30, min(22.0, step - 4)
    top_h = 68
    bottom_h = top_h + cell * units
    top_out, height_out = bottom_h + 22, 52
    y_target = top_out + height_out + 22
    height = int(y_target + 30)
    parts = [_svg_open(width, height)]
    labels = (
        (top_in + size_in / 2 + 5, "input x"),
        ((top_h + bottom_h) / 2 + 5, "hidden h"),
        (top_out + height_out / 2 + 5, "output y"),
        (y_target + 5, "target"),
    )
    for y, text in labels:
        parts.append(f'<text x="6" y="{y:.1f}" fill="{DARK_GREY}">{text}</text>')
    parts.append(
        f'<text x="{left}" y="16" fill="{DARK_GREY}">steps t = 1 … {length}. h: orange −1, '
        f"grey 0, blue +1. y: bar, target: black line</text>"
    )
    colours = np.array(hex_colours(hidden.T.ravel(), HEATMAP)).reshape(units, length)
    digit_size = FONT if step >= 18 else 12
    for t in range(length):
        x0 = left + t * step
        cx = x0 + step / 2
        # input bit
        fill = NAVY if bits[t] else WHITE
        ink = WHITE if bits[t] else DARK_GREY
        parts.append(
            f'<rect x="{cx - size_in / 2:.1f}" y="{top_in}" width="{size_in:.1f}" '
            f'height="{size_in:.1f}" fill="{fill}" stroke="{NODE_EDGE}"/>'
            f'<text x="{cx:.1f}" y="{top_in + size_in / 2 + 5:.1f}" text-anchor="middle" '
            f'fill="{ink}" font-size="{digit_size}">{bits[t]}</text>'
            f'<line x1="{cx:.1f}" y1="{top_in + size_in}" x2="{cx:.1f}" y2="{top_h - 2}" '
            f'stroke="{GREY}" stroke-width="1"/>'
        )
        # hidden state column
        column_width = max(step - 8, 4)
        for unit in range(units):
            parts.append(
                f'<rect x="{x0 + 4:.1f}" y="{top_h + unit * cell:.1f}" '
                f'width="{column_width:.1f}" height="{cell:.1f}" '
                f'fill="{colours[unit, t]}" stroke="{WHITE}" stroke-width="0.5"/>'
            )
        if t + 1 < length:  # the recurrence: h_t goes on to step t + 1
            ya = (top_h + bottom_h) / 2
            xa, xb = x0 + 4 + column_width, x0 + step + 4
            parts.append(
                f'<line x1="{xa:.1f}" y1="{ya:.1f}" x2="{xb:.1f}" y2="{ya:.1f}" '
                f'stroke="{DARK_GREY}" stroke-width="1.6"/>'
                f'<polygon points="{xb:.1f},{ya:.1f} {xb - 3.5:.1f},{ya - 3:.1f} '
                f'{xb - 3.5:.1f},{ya + 3:.1f}" fill="{DARK_GREY}"/>'
            )
        # output bar against the target
        if mask[t]:
            right = (outputs[t] > 0.5) == bool(targets[t])
            colour = TEAL if right else RED
        else:
            colour = LIGHT_GREY
        bar = height_out * outputs[t]
        parts.append(
            f'<rect x="{x0 + 4:.1f}" y="{top_out}" width="{column_width:.1f}" '
            f'height="{height_out}" fill="none" stroke="{LIGHT_GREY}"/>'
            f'<rect x="{x0 + 4:.1f}" y="{top_out + height_out - bar:.1f}" '
            f'width="{column_width:.1f}" height="{bar:.1f}" fill="{colour}"/>'
        )
        if mask[t]:
            y_mark = top_out + height_out * (1 - targets[t])
            parts.append(
                f'<line x1="{x0 + 1:.1f}" y1="{y_mark:.1f}" x2="{x0 + step - 1:.1f}" '
                f'y2="{y_mark:.1f}" stroke="{DARK_GREY}" stroke-width="2.5"/>'
            )
            text, ink = str(int(targets[t])), colour
        else:
            text, ink = "–", GREY
        parts.append(
            f'<text x="{cx:.1f}" y="{y_target + 5:.1f}" text-anchor="middle" fill="{ink}" '
            f'font-size="{digit_size}">{text}</text>'
        )
    y_half = top_out + height_out / 2
    parts.append(
        f'<line x1="{left}" y1="{y_half:.1f}" x2="{left + length * step:.1f}" y2="{y_half:.1f}" '
        f'stroke="{GREY}" stroke-width="0.8" stroke-dasharray="3,3"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


def reach_svg(curves, delay, size=(680, 240)) -> str:
    """SVG of the gradient's reach: relative norm against steps back k, log scale.

    Parameters
    ----------
    curves : list of (values, colour, label)
        ``values[k]`` is the norm k steps back relative to k = 0.
    delay : int or None
        Steps back the task's answer lies; a gold line marks it.
    """
    width, height = size
    left, right, top, bottom = 64, 14, 34, 44
    n = max(len(values) for values, _, _ in curves)
    inner_w, inner_h = width - left - right, height - top - bottom

    def x_of(k):
        return left + inner_w * k / max(n - 1, 1)

    def y_of(log_value):
        clipped = min(max(log_value, REACH_FLOOR), REACH_CEILING)
        return top + inner_h * (REACH_CEILING - clipped) / (REACH_CEILING - REACH_FLOOR)

    parts = [_svg_open(width, height)]
    for power in range(REACH_FLOOR, REACH_CEILING + 1, 2):
        y = y_of(power)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
            f'stroke="{LIGHT_GREY}"/><text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" '
            f'fill="{GREY}">1e{power}</text>'
        )
    for k in range(0, n, 5 if n > 12 else 1):
        parts.append(
            f'<text x="{x_of(k):.1f}" y="{height - bottom + 16}" text-anchor="middle" '
            f'fill="{GREY}">{k}</text>'
        )
    parts.append(
        f'<text x="{left + inner_w / 2:.1f}" y="{height - 8}" text-anchor="middle" '
        f'fill="{DARK_GREY}">steps back k</text>'
    )
    if delay is not None and delay < n:
        x = x_of(delay)
        parts.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{height - bottom}" '
            f'stroke="{GOLD}" stroke-width="2.5"/><text x="{x + 4:.1f}" y="{top + 14}" '
            f'fill="{DARK_GOLD_TEXT}">k = {delay}: where the answer is</text>'
        )
    legend_x = left
    for values, colour, label in curves:
        values = np.asarray(values, dtype=float)
        with np.errstate(divide="ignore"):
            logs = np.log10(np.where(values > 0, values, 10.0 ** (REACH_FLOOR - 1)))
        points = " ".join(f"{x_of(k):.1f},{y_of(v):.1f}" for k, v in enumerate(logs))
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.2"/>'
        )
        parts.append(
            f'<line x1="{legend_x}" y1="14" x2="{legend_x + 18}" y2="14" stroke="{colour}" '
            f'stroke-width="3"/><text x="{legend_x + 22}" y="19" fill="{DARK_GREY}">'
            f"{html.escape(label)}</text>"
        )
        legend_x += 34 + 7.8 * len(label)
    parts.append(
        f'<text x="14" y="{top + inner_h / 2:.1f}" fill="{DARK_GREY}" text-anchor="middle" '
        f'transform="rotate(-90 14 {top + inner_h / 2:.1f})">gradient left</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


# ---------------------------------------------------------------------- static figures


def plot_unrolled_idea(steps=4):
    """The recurrent network folded (a loop on the hidden layer) and unrolled over time."""
    figure = new_figure(7.4, 2.6)
    axes = figure.add_axes([0, 0, 1, 1])
    axes.set_xlim(0, 12.2)
    axes.set_ylim(0, 4.2)
    axes.axis("off")

    def node(x, y, text, colour):
        axes.add_patch(
            FancyBboxPatch(
                (x - 0.42, y - 0.3),
                0.84,
                0.6,
                boxstyle="round,pad=0.05",
                facecolor=colour,
                edgecolor=NODE_EDGE,
            )
        )
        axes.text(x, y, text, ha="center", va="center", fontsize=12, color=DARK_GREY)

    def arrow(x0, y0, x1, y1, colour=DARK_GREY, style="-|>", **kwargs):
        axes.annotate(
            "",
            xy=(x1, y1),
            xytext=(x0, y0),
            arrowprops=dict(arrowstyle=style, color=colour, lw=1.6, **kwargs),
        )

    light_blue, light_gold, light_teal = "#dbe7f3", "#fcefc4", "#d3ecef"
    # folded
    node(1.0, 0.7, "$x_t$", light_blue)
    node(1.0, 2.1, "$h_t$", light_gold)
    node(1.0, 3.5, "$y_t$", light_teal)
    arrow(1.0, 1.0, 1.0, 1.78)
    arrow(1.0, 2.42, 1.0, 3.18)
    arrow(1.45, 2.25, 1.45, 1.95, connectionstyle="arc3,rad=-2.6", colour=RED)
    axes.text(2.05, 2.1, "$W_h$", fontsize=11, color=RED, va="center")
    axes.text(1.0, 0.12, "folded", ha="center", fontsize=11, color=GREY)
    axes.text(3.0, 2.1, "=", fontsize=20, ha="center", va="center", color=DARK_GREY)
    # unrolled
    xs = [4.6 + 2.0 * i for i in range(steps)]
    names = ["1", "2", "3", "4", "5", "6"][:steps]
    for x, name in zip(xs, names):
        node(x, 0.7, f"$x_{name}$", light_blue)
        node(x, 2.1, f"$h_{name}$", light_gold)
        node(x, 3.5, f"$y_{name}$", light_teal)
        arrow(x, 1.0, x, 1.78)
        arrow(x, 2.42, x, 3.18)
    axes.text(3.55, 2.1, "$h_0$", fontsize=12, ha="center", va="center", color=GREY)
    arrow(3.8, 2.1, xs[0] - 0.47, 2.1, colour=RED)
    for a, b in zip(xs[:-1], xs[1:]):
        arrow(a + 0.47, 2.1, b - 0.47, 2.1, colour=RED)
        axes.text((a + b) / 2, 2.3, "$W_h$", fontsize=11, color=RED, ha="center")
    axes.text(
        (xs[0] + xs[-1]) / 2,
        0.12,
        "unrolled: the same weights at every step",
        ha="center",
        fontsize=11,
        color=GREY,
    )
    return figure


def plot_gradient_reach(reach):
    """Share of the last step's gradient left k steps back, log scale, one curve per scale.

    ``reach`` maps a recurrent weight scale g to the array of
    :func:`widgets.engine.recurrent.gradient_reach` (rows: streams, columns: k). Each
    curve is the mean of :math:`\\log_{10}` over the rows (a geometric mean), the band
    the 10th to 90th percentile.
    """
    figure = new_figure(6.6, 3.2, layout="constrained")
    axes = figure.subplots()
    for (scale, logs), colour in zip(reach.items(), (TEAL, NAVY, AMBER, RED)):
        steps = np.arange(logs.shape[1])
        low, high = np.percentile(logs, [10, 90], axis=0)
        axes.fill_between(steps, 10.0**low, 10.0**high, color=colour, alpha=0.15, lw=0)
        axes.plot(steps, 10.0 ** logs.mean(axis=0), color=colour, lw=2, label=f"g = {scale:g}")
    axes.axhline(1.0, color=GREY, lw=0.8, ls=":")
    axes.set_yscale("log")
    axes.set_xlabel("steps back k", fontsize=10)
    axes.set_ylabel("share of the gradient left", fontsize=10)
    axes.tick_params(labelsize=10)
    axes.legend(
        fontsize=10,
        loc="lower left",
        ncol=2,
        frameon=False,
        title="recurrent scale",
        title_fontsize=10,
    )
    return figure
