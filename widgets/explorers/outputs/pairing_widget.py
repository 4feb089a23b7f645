"""The output/loss pairing explorer: loss and error signal against the net input."""

from __future__ import annotations

import html

import ipywidgets as ipw
import numpy as np

from ...display import Explorer
from ...display.images import svg_img_tag
from ...display.palette import DARK_GREY, GREY, LIGHT_GREY, NAVY, RED, TEAL
from ...engine.validation import check_number
from .pairing import PAIRINGS, all_pairings, pairing_sweep

NET_RANGE = (-8.0, 8.0)
COLOURS = dict(zip(PAIRINGS, (RED, NAVY, TEAL)))
LOSS_TOP = 3.0
DELTA_LIMIT = 1.25


def _panel(x0, width, height, nets, series, y_low, y_high, title, marker_net, markers):
    """One SVG panel: polylines clipped to [y_low, y_high], a vertical marker line."""
    top, bottom, left = 26, 30, 36
    plot_w, plot_h = width - left - 8, height - top - bottom
    lo, hi = nets[0], nets[-1]

    def px(v):
        return x0 + left + plot_w * (v - lo) / (hi - lo)

    def py(v):
        return top + plot_h * (1 - (np.clip(v, y_low, y_high) - y_low) / (y_high - y_low))

    parts = [
        f'<text x="{x0 + left + plot_w / 2:.1f}" y="16" text-anchor="middle" '
        f'font-size="13" fill="{DARK_GREY}">{html.escape(title)}</text>',
        f'<rect x="{x0 + left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" '
        f'stroke="{LIGHT_GREY}"/>',
    ]
    for value in (y_low, (y_low + y_high) / 2, y_high):
        parts.append(
            f'<text x="{x0 + left - 4}" y="{py(value) + 4:.1f}" text-anchor="end" '
            f'font-size="11" fill="{GREY}">{value:g}</text>'
        )
    if y_low < 0 < y_high:
        parts.append(
            f'<line x1="{px(lo):.1f}" x2="{px(hi):.1f}" y1="{py(0):.1f}" y2="{py(0):.1f}" '
            f'stroke="{GREY}" stroke-dasharray="3,3"/>'
        )
    for value in (lo, 0.0, hi):
        parts.append(
            f'<text x="{px(value):.1f}" y="{top + plot_h + 14}" text-anchor="middle" '
            f'font-size="11" fill="{GREY}">{value:g}</text>'
        )
    parts.append(
        f'<text x="{x0 + left + plot_w / 2:.1f}" y="{height - 3}" text-anchor="middle" '
        f'font-size="12" fill="{DARK_GREY}">net input (logit)</text>'
    )
    for values, colour in series:
        inside = (values >= y_low - 1e-9) & (values <= y_high + 1e-9)
        points = " ".join(
            f"{px(a):.1f},{py(b):.1f}" for a, b, ok in zip(nets, values, inside) if ok
        )
        if points:
            parts.append(
                f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
    parts.append(
        f'<line x1="{px(marker_net):.1f}" x2="{px(marker_net):.1f}" y1="{top}" '
        f'y2="{top + plot_h}" stroke="{DARK_GREY}" stroke-width="1"/>'
    )
    for value, colour in markers:
        if y_low <= value <= y_high:
            parts.append(
                f'<circle cx="{px(marker_net):.1f}" cy="{py(value):.1f}" r="4" '
                f'fill="{colour}" stroke="white"/>'
            )
    return "".join(parts)


class PairingExplorer(Explorer):
    """Loss and error signal of one output unit for three output/loss pairings.

    Parameters
    ----------
    target : float, default 1.0
        The target t, between 0 and 1.
    net : float, default -4.0
        The net input marked on the curves, between -8 and 8.

    Attributes
    ----------
    controls : dict
        ``target`` and ``net``.
    sweeps : tuple of PairingSweep
        Each pairing over the whole range (from the engine's back-propagation).
    at_net : tuple of PairingSweep
        Each pairing at the marked net input alone.
    """

    def __init__(self, target=1.0, net=-4.0):
        self._initial = (
            check_number(target, "target", low=0, high=1),
            check_number(net, "net", *NET_RANGE),
        )
        super().__init__()

    def _build_controls(self) -> dict:
        target, net = self._initial
        style = {"description_width": "8em"}
        layout = ipw.Layout(width="30em", max_width="100%")
        return {
            "target": ipw.FloatSlider(
                value=target,
                min=0.0,
                max=1.0,
                step=0.05,
                readout_format=".2f",
                description="target t",
                continuous_update=False,
                style=style,
                layout=layout,
            ),
            "net": ipw.FloatSlider(
                value=net,
                min=NET_RANGE[0],
                max=NET_RANGE[1],
                step=0.1,
                readout_format=".1f",
                description="net input",
                continuous_update=False,
                style=style,
                layout=layout,
            ),
        }

    def _build_outputs(self) -> list:
        self.figure = ipw.HTML()
        self.table = ipw.HTML()
        return [self.figure, self.table]

    def _read(self, names) -> None:
        self.target = float(self.controls["target"].value)
        self.net = float(self.controls["net"].value)
        self.sweeps = all_pairings(self.target, *NET_RANGE)
        self.at_net = tuple(pairing_sweep(p, self.target, [self.net]) for p in PAIRINGS)

    @property
    def status(self) -> str:
        parts = [
            f"{s.pairing}: loss {s.losses[0]:.3f}, delta {s.deltas[0]:+.3f}" for s in self.at_net
        ]
        return f"t = {self.target:g}, net = {self.net:g}: " + "; ".join(parts)

    def _draw(self) -> None:
        nets = self.sweeps[0].nets
        width, height = 660, 250
        left = _panel(
            0,
            width / 2,
            height,
            nets,
            [(s.losses, COLOURS[s.pairing]) for s in self.sweeps],
            0.0,
            LOSS_TOP,
            "loss L",
            self.net,
            [(s.losses[0], COLOURS[s.pairing]) for s in self.at_net],
        )
        right = _panel(
            width / 2,
            width / 2,
            height,
            nets,
            [(s.deltas, COLOURS[s.pairing]) for s in self.sweeps],
            -DELTA_LIMIT,
            DELTA_LIMIT,
            "error signal δ = −∂L/∂net",
            self.net,
            [(s.deltas[0], COLOURS[s.pairing]) for s in self.at_net],
        )
        legend, x = [], 10
        for pairing in PAIRINGS:
            legend.append(
                f'<rect x="{x}" y="{height + 6}" width="14" height="4" '
                f'fill="{COLOURS[pairing]}"/><text x="{x + 18}" y="{height + 12}" '
                f'font-size="12" fill="{DARK_GREY}">{html.escape(pairing)}</text>'
            )
            x += 18 + 7 * len(pairing) + 16
        svg = (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 20}" '
            f'viewBox="0 0 {width} {height + 20}" font-family="sans-serif">'
            f'<rect width="{width}" height="{height + 20}" fill="white"/>'
            f"{left}{right}{''.join(legend)}</svg>"
        )
        described = "; ".join(
            f"{s.pairing} has loss {s.losses[0]:.3f} and error signal {s.deltas[0]:+.3f}"
            for s in self.at_net
        )
        alt = (
            f"Two panels against the net input from -8 to 8, for target t = {self.target:g}. "
            "Left: the loss of each pairing (clipped at 3). Right: the error signal, the "
            "negative gradient of the loss with respect to the net input (clipped at ±1.25). "
            f"At the marked net input {self.net:g}: {described}."
        )
        self.images["figure"] = svg_img_tag(svg, alt)
        self.figure.value = self.images["figure"]
        rows = "".join(
            f"<tr><td>{s.pairing}</td><td>{s.outputs[0]:.4f}</td><td>{s.losses[0]:.4f}</td>"
            f"<td>{s.deltas[0]:+.4f}</td></tr>"
            for s in self.at_net
        )
        self.table.value = (
            "<table class='nnoe-table'><tr><th>pairing</th><th>output z</th><th>loss</th>"
            f"<th>error signal δ</th></tr>{rows}</table>"
        )
