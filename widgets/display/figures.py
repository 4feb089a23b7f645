"""Matplotlib figures for the explorers and the chapters, drawn without pyplot.

Explorers draw with matplotlib's Agg canvas directly (no pyplot state, no display
machinery) and hand the picture to an ``ipywidgets.HTML`` through the image pipeline
(:mod:`widgets.display.images`). Chapters' static figures are :class:`CourseFigure`
objects, which a notebook displays as PNG exactly once.
"""

from __future__ import annotations

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .images import canvas_png, figure_png


class CourseFigure(Figure):
    """A matplotlib figure that displays itself in a notebook as a PNG.

    Figures made through pyplot are shown by the inline backend at the end of a cell,
    and shown again if they are the cell's value (as under nbval). These are not
    registered with pyplot: a notebook shows one exactly when it is displayed, once.
    """

    def _repr_png_(self) -> bytes:
        return figure_png(self)


def new_figure(width: float, height: float, dpi: int = 100, **figure_kwargs) -> CourseFigure:
    """A figure bound to its own Agg canvas (so it can be drawn without pyplot)."""
    figure = CourseFigure(figsize=(width, height), dpi=dpi, **figure_kwargs)
    FigureCanvasAgg(figure)
    return figure


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
        return canvas_png(canvas)
