"""A small SVG bar chart shared by this chapter's explorers (fast enough for every frame)."""

from __future__ import annotations

import html

from ...display.palette import DARK_GREY, GREY, LIGHT_GREY


def bars_svg(groups, series, labels, top=1.0, size=(620, 200), value_format="{:.2f}") -> str:
    """Grouped vertical bars as an SVG document.

    Parameters
    ----------
    groups : sequence of str
        One label per group (a class), written under its bars.
    series : sequence of (values, colour)
        One bar per group for each series, side by side, in this order.
    labels : sequence of str
        The legend: one label per series.
    top : float
        The value at the top of the axis (0 is at the bottom).
    """
    width, height = size
    left, right, bottom, legend = 34, 8, 22, 22
    plot_h = height - bottom - legend
    n_groups, n_series = len(groups), len(series)
    group_w = (width - left - right) / max(n_groups, 1)
    bar_w = min(44.0, 0.85 * group_w / max(n_series, 1))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="white"/>',
    ]
    for fraction in (0.0, 0.5, 1.0):
        y = legend + plot_h * (1 - fraction)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
            f'stroke="{LIGHT_GREY}"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" fill="{GREY}">'
            f"{fraction * top:g}</text>"
        )
    for g, name in enumerate(groups):
        x0 = left + g * group_w + (group_w - n_series * bar_w) / 2
        for s, (values, colour) in enumerate(series):
            value = float(values[g])
            h = plot_h * min(max(value / top, 0.0), 1.0)
            x = x0 + s * bar_w
            parts.append(
                f'<rect x="{x:.1f}" y="{legend + plot_h - h:.1f}" width="{bar_w - 2:.1f}" '
                f'height="{h:.1f}" fill="{colour}"/>'
            )
            parts.append(
                f'<text x="{x + bar_w / 2 - 1:.1f}" y="{legend + plot_h - h - 3:.1f}" '
                f'text-anchor="middle" font-size="11" fill="{DARK_GREY}">'
                f"{html.escape(value_format.format(value))}</text>"
            )
        parts.append(
            f'<text x="{left + (g + 0.5) * group_w:.1f}" y="{height - 6}" '
            f'text-anchor="middle" fill="{DARK_GREY}">{html.escape(name)}</text>'
        )
    x = left
    for label, (_, colour) in zip(labels, series):
        parts.append(
            f'<rect x="{x}" y="5" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + 16}" y="15" fill="{DARK_GREY}">{html.escape(label)}</text>'
        )
        x += 16 + 7 * len(label) + 14
    parts.append("</svg>")
    return "".join(parts)
