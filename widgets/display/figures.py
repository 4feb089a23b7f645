"""Shared drawing helpers for the explorers.

Explorers draw with matplotlib's Agg canvas directly (no pyplot state, no display
machinery) and hand the picture to an ``ipywidgets.HTML`` as an ``<img>`` with alt text:
the PNG travels in the saved widget state, so the static site shows it, and a screen
reader gets a description of what the picture shows right now.
"""

from __future__ import annotations

import base64
import html
import io

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

# Light compression: the PNG is re-encoded on every redraw, and level 1 is several
# times faster than the default 6 for a few kB more.
_PNG_OPTIONS = {"compress_level": 1}


class CourseFigure(Figure):
    """A matplotlib figure that displays itself in a notebook as a PNG.

    Figures made through pyplot are shown by the inline backend at the end of a cell,
    and shown again if they are the cell's value (as under nbval). These are not
    registered with pyplot: a notebook shows one exactly when it is displayed, once.
    """

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", bbox_inches="tight", pad_inches=0.08)
        return buffer.getvalue()


def new_figure(width: float, height: float, dpi: int = 100, **figure_kwargs) -> CourseFigure:
    """A figure bound to its own Agg canvas (so it can be drawn without pyplot)."""
    figure = CourseFigure(figsize=(width, height), dpi=dpi, **figure_kwargs)
    FigureCanvasAgg(figure)
    return figure


def png_img_tag(png: bytes, alt: str, width: int | None = None) -> str:
    """An ``<img>`` element that carries ``png`` inline, with escaped alt text."""
    size = f' width="{width}"' if width else ""
    encoded = base64.b64encode(png).decode("ascii")
    return f'<img src="data:image/png;base64,{encoded}" alt="{html.escape(alt, quote=True)}"{size} style="max-width:100%;height:auto">'


def status_html(text: str, error: bool = False) -> str:
    """A status line (an explorer's "diverged" or "could not read" message)."""
    kind = "nnoe-status nnoe-error" if error else "nnoe-status"
    role = ' role="alert"' if error else ""
    return f'<span class="{kind}"{role}>{html.escape(text)}</span>'


class BlittedFigure:
    """Redraw a figure fast by repainting only what changes.

    The parts that never change (a colour map, contours, titles) are drawn once and kept
    as pixels; each :meth:`png` restores those pixels, draws the moving ``artists`` and
    the whole of each ``axes`` whose limits change, and encodes the canvas as PNG. The
    figure's layout must be final (no layout engine) before this is made.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        A figure from :func:`new_figure`.
    artists : list of matplotlib.artist.Artist
        Artists that move between redraws, drawn in this order on top.
    axes : list of matplotlib.axes.Axes
        Axes redrawn whole every time (their ticks change).
    """

    def __init__(self, figure: Figure, artists, axes=()):
        self.figure, self.artists, self.axes = figure, list(artists), list(axes)
        hidden = self.artists + self.axes
        visible = [item.get_visible() for item in hidden]
        for item in hidden:
            item.set_visible(False)
        figure.canvas.draw()
        self.background = figure.canvas.copy_from_bbox(figure.bbox)
        for item, was_visible in zip(hidden, visible):
            item.set_visible(was_visible)

    def png(self) -> bytes:
        canvas = self.figure.canvas
        canvas.restore_region(self.background)
        renderer = canvas.get_renderer()
        for axes in self.axes:
            axes.draw(renderer)
        for artist in self.artists:
            if artist.get_visible():
                artist.draw(renderer)
        buffer = io.BytesIO()
        # RGB, not RGBA: the canvas is opaque, and a quarter less data encodes faster.
        Image.fromarray(np.asarray(canvas.buffer_rgba())[..., :3]).save(
            buffer, format="png", **_PNG_OPTIONS
        )
        return buffer.getvalue()
