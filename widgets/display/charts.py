"""Small charts any explorer can reuse, drawn without matplotlib (fast enough for every frame).

- :func:`heatmap_png` / :func:`heatmap_data_uri`: a grid of values in [−1, 1] as pixels
  through the palette's lightened diverging ramp, :data:`~widgets.display.palette.HEATMAP`
  (one pixel per value; the browser scales it), so points drawn on top in the full
  colours stand out;
- :func:`line_chart_svg`: a few lines against their index, on a shared axis from 0 to
  the largest value, as a small SVG (the Playground's loss chart).

Put the result in an ``<img>`` with :func:`widgets.display.images.svg_img_tag` or
:func:`~widgets.display.images.png_img_tag`, which require alt text.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np

from .images import data_uri, encode_png
from .palette import HEATMAP, LIGHT_GREY, WHITE, ramp_colours


def heatmap_png(values, ramp: np.ndarray = HEATMAP) -> bytes:
    """PNG of a 2-D array of values in [−1, 1] (row 0 at the top), coloured through ``ramp``."""
    return encode_png(ramp_colours(values, ramp))


def heatmap_data_uri(values, ramp: np.ndarray = HEATMAP) -> str:
    """:func:`heatmap_png` as a ``data:`` URI, for an SVG ``<image>``."""
    return data_uri(heatmap_png(values, ramp), "image/png")


@dataclass(frozen=True)
class Line:
    """One line of :func:`line_chart_svg`: its values (one per step), colour and label."""

    values: np.ndarray
    colour: str
    label: str


def line_chart_svg(lines, size=(320, 80), max_points: int = 300) -> str:
    """A small SVG chart of ``lines`` (a sequence of :class:`Line`) against their index.

    Every line shares one vertical scale, from 0 at the bottom to the largest value at
    the top (1 when there is nothing above 0). Lines are drawn in order, so a later line
    sits on top. The legend is a strip above the plotting area, a short stroke and the
    label of each line from the top one on, so it never covers a line. A long line is
    thinned evenly to at most ``max_points`` points, its last point kept. Non-finite
    values are drawn at the top edge. Text is 11 px.
    """
    width, height = size
    left, bottom = 4, 4
    top = 20 if lines else 6  # the legend's strip
    n = len(lines[0].values) if lines else 0
    values = np.array([np.asarray(line.values, dtype=float) for line in lines]).reshape(
        len(lines), n
    )
    finite = values[np.isfinite(values)]
    top_value = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    values = np.nan_to_num(values, nan=top_value, posinf=top_value, neginf=0.0)
    index = np.unique(np.linspace(0, n - 1, min(n, max_points)).round().astype(int))
    xs = left + (width - 2 * left) * (index / max(n - 1, 1))
    polylines = []
    for line, row in zip(lines, values):
        ys = top + (height - top - bottom) * (1 - row[index] / top_value)
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys))
        polylines.append(
            f'<polyline points="{coords}" fill="none" stroke="{line.colour}" stroke-width="1.5"/>'
        )
    legend, x = [], 6.0
    for line in reversed(lines):
        label = html.escape(line.label)
        legend.append(
            f'<line x1="{x:.1f}" y1="10" x2="{x + 14:.1f}" y2="10" stroke="{line.colour}" '
            f'stroke-width="2"/><text x="{x + 18:.1f}" y="14" fill="{line.colour}">{label}</text>'
        )
        x += 18 + 6.5 * len(line.label) + 12  # about 6.5 px a character at 11 px
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">'
        f'<rect x="0.5" y="0.5" width="{width - 1}" height="{height - 1}" fill="{WHITE}" '
        f'stroke="{LIGHT_GREY}"/>'
        f'<line x1="{left}" y1="{top - 0.5}" x2="{width - left}" y2="{top - 0.5}" '
        f'stroke="{LIGHT_GREY}"/>'
        f"{''.join(legend)}{''.join(polylines)}</svg>"
    )
