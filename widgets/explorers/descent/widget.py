"""The chapter 1 explorer, :class:`DescentExplorer`: gradient descent on a two-weight loss surface.

Headless use (tests, benchmarks)::

    explorer = DescentExplorer()
    explorer.controls["learning_rate"].value = 0.5    # redraws, as a click would
    explorer.path, explorer.losses, explorer.status
"""

from __future__ import annotations

import math

import ipywidgets as ipw
import numpy as np
from matplotlib.ticker import FuncFormatter, NullLocator

from ...display import Explorer
from ...display.figures import BlittedFigure, new_figure
from ...display.images import png_img_tag
from ...display.palette import (
    BLACK,
    DARK_GOLD,
    DARK_GOLD_TEXT,
    ERROR,
    GOLD,
    RED,
    SEQUENTIAL_CMAP,
    WHITE,
)
from ...engine.validation import check_integer, check_number
from .figures import draw_contours
from .surface import (
    LEARNING_RATE_RANGE,
    MAX_DECAY,
    MAX_STEPS,
    DescentRun,
    LossSurface,
    gradient_descent,
    line_fit_surface,
    parse_point,
)

# --------------------------------------------------------------------------- drawing

_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _short_power_of_ten(value: float, _position=None) -> str:
    """A log axis's tick label, never wider than four characters: 0.01, 0.1, 1, 10, 100, 10³."""
    if value <= 0:
        return ""
    exponent = round(math.log10(value))
    if -2 <= exponent <= 2:
        return f"{value:g}"
    return "10" + str(exponent).translate(_SUPERSCRIPTS)


class _DescentFigure:
    """The explorer's picture: the contour map with the path, and the loss per step.

    The figure and its static parts (colour map, contours, minimum) are made once; a
    redraw only moves the path and the loss curve, then renders to PNG.
    """

    def __init__(self, surface: LossSurface):
        self.surface = surface
        # 660 px wide: shown at its own size in the book's text column (no text shrinks
        # below 9 pt there).
        self.figure = new_figure(6.6, 3.4, layout="constrained")
        self.map_axes, self.loss_axes = self.figure.subplots(1, 2, width_ratios=[1.1, 1])
        ax = self.map_axes
        log_loss = np.log10(surface.grid_loss)
        extent = (*surface.w_range, *surface.b_range)
        ax.imshow(
            log_loss, origin="lower", extent=extent, aspect="auto", cmap=SEQUENTIAL_CMAP, alpha=0.9
        )
        draw_contours(ax, surface)
        w_star, b_star = surface.minimum
        ax.plot(
            [w_star],
            [b_star],
            marker="*",
            markersize=14,
            color=GOLD,
            markeredgecolor=BLACK,
            linestyle="none",
            label="minimum",
        )
        (self.path_line,) = ax.plot(
            [], [], "-o", color=RED, markersize=3, linewidth=1.5, label="descent path"
        )
        (self.start_marker,) = ax.plot(
            [], [], "o", color=WHITE, markeredgecolor=RED, markersize=8, label="start"
        )
        ax.set_xlim(*surface.w_range)
        ax.set_ylim(*surface.b_range)
        ax.set_xlabel("weight w")
        ax.set_ylabel("bias b")
        ax.set_title("Loss over w and b (darker = lower)", fontsize=11)
        ax.legend(loc="upper right", fontsize=9, framealpha=0.9)
        self.diverged_text = ax.text(
            0.03,
            0.05,
            "",
            transform=ax.transAxes,
            color=ERROR,
            fontsize=11,
            fontweight="bold",
            bbox=dict(facecolor=WHITE, edgecolor=ERROR, alpha=0.9),
        )
        lx = self.loss_axes
        (self.loss_line,) = lx.plot([], [], "-o", color=RED, markersize=3)
        lx.set_yscale("log")
        # Plain-text tick labels and no minor ticks: mathtext labels (10^k) are re-typeset
        # on every redraw and cost more than all the rest of the loss panel.
        lx.yaxis.set_minor_locator(NullLocator())
        lx.yaxis.set_major_formatter(FuncFormatter(_short_power_of_ten))
        lx.set_xlabel("step")
        lx.set_ylabel("loss (log scale)")
        lx.set_title("Loss after each step", fontsize=11)
        floor = surface.minimum_loss
        lx.axhline(floor, color=DARK_GOLD, linestyle="--", linewidth=1)
        # A label on the line rather than a legend box: one text, cheap to redraw.
        lx.annotate(
            "minimum loss",
            (1.0, floor),
            xycoords=("axes fraction", "data"),
            xytext=(-4, 4),
            textcoords="offset points",
            ha="right",
            va="bottom",
            fontsize=9.5,
            color=DARK_GOLD_TEXT,
        )
        lx.grid(True, which="major", alpha=0.3)
        # Lay the figure out once, then freeze it: constrained layout would otherwise
        # run on every redraw and cost more than all the rest of the drawing. It is laid
        # out with the widest tick labels a run can show, so none is ever clipped.
        lx.set_xlim(0, MAX_STEPS)
        lx.set_ylim(0.01, 100)
        self.figure.canvas.draw()
        self.figure.set_layout_engine("none")
        # The legend is redrawn after the path so the path never covers it.
        self.blitter = BlittedFigure(
            self.figure,
            [self.path_line, self.start_marker, self.diverged_text, ax.get_legend()],
            axes=[self.loss_axes],
        )

    def draw(self, run: DescentRun, steps: int) -> bytes:
        self.path_line.set_data(run.path[:, 0], run.path[:, 1])
        self.start_marker.set_data(run.path[:1, 0], run.path[:1, 1])
        self.diverged_text.set_text(
            f"diverged after {run.diverged_at} steps" if run.diverged else ""
        )
        self.diverged_text.set_visible(run.diverged)
        self.loss_line.set_data(np.arange(len(run.losses)), run.losses)
        floor = self.surface.minimum_loss
        self.loss_axes.set_xlim(0, max(steps, 1))
        self.loss_axes.set_ylim(floor * 0.5, max(run.losses.max(), floor) * 2.0)
        return self.blitter.png()

    def describe(self, run: DescentRun) -> str:
        """Alt text: what the picture shows for this run."""
        w0, b0 = run.path[0]
        w1, b1 = run.path[-1]
        outcome = (
            f"the run diverged after {run.diverged_at} steps, the loss growing without bound"
            if run.diverged
            else f"after {len(run.path) - 1} steps the path ends at w = {w1:.2f}, "
            f"b = {b1:.2f} with loss {run.losses[-1]:.3g}"
        )
        w_star, b_star = self.surface.minimum
        return (
            "Left: contour map of the loss over weight w and bias b, "
            f"with its minimum at w = {w_star:.2f}, b = {b_star:.2f}, "
            f"and the descent path starting at w = {w0:.2f}, b = {b0:.2f}; {outcome}. "
            f"Right: the loss after each step on a log scale, starting at {run.losses[0]:.3g}."
        )


# --------------------------------------------------------------------------- explorer


class DescentExplorer(Explorer):
    """Gradient descent on a two-weight loss surface, one control per idea.

    An explorer on the :class:`~widgets.display.Explorer` base (its docstring states the
    contract).

    Parameters
    ----------
    start : tuple of float, default (-1.0, 3.0)
        Starting weights (w, b).
    learning_rate : float, default 0.05
        Initial learning rate η₀, between 0.001 and 1 (the slider is logarithmic).
    steps : int, default 40
        Number of steps, 1 to 200.
    decay : float, default 0.0
        Learning-rate decay d, 0 to 1: step t uses η₀ / (1 + d·t).

    Attributes
    ----------
    controls : dict of str -> ipywidgets.Widget
        ``start`` (text), ``learning_rate``, ``steps``, ``decay``. Setting a value
        redraws, exactly as moving the control in the notebook does.
    run : DescentRun
        The run on display. ``path``, ``losses`` and ``status`` are shortcuts to it.
    message : str
        The error shown for unreadable input (empty when the input is fine).
    figure, summary : ipywidgets.HTML
        The picture (``images["figure"]``) and a sentence on where the run ended.
    widget : ipywidgets.VBox
        The whole explorer; displaying the explorer displays it.
    """

    def __init__(self, start=(-1.0, 3.0), learning_rate=0.05, steps=40, decay=0.0):
        self.surface = line_fit_surface()
        # The constructor's arguments obey the same rules as the controls.
        gradient_descent(self.surface, start, learning_rate, steps, decay)
        low, high = LEARNING_RATE_RANGE
        check_number(learning_rate, "learning_rate", low=low, high=high)
        check_integer(steps, "steps", low=1, high=MAX_STEPS)
        check_number(decay, "decay", low=0, high=MAX_DECAY)
        self._initial = dict(start=start, learning_rate=learning_rate, steps=steps, decay=decay)
        self._figure = _DescentFigure(self.surface)
        super().__init__()

    def _build_controls(self) -> dict:
        initial = self._initial
        style = {"description_width": "9em"}
        layout = ipw.Layout(width="30em", max_width="100%")
        return {
            "start": ipw.Text(
                value=f"{initial['start'][0]:g}, {initial['start'][1]:g}",
                description="start (w, b)",
                continuous_update=False,
                style=style,
                layout=layout,
                tooltip="Starting weight and bias, as two numbers",
            ),
            "learning_rate": ipw.FloatLogSlider(
                value=initial["learning_rate"],
                base=10,
                min=math.log10(LEARNING_RATE_RANGE[0]),
                max=math.log10(LEARNING_RATE_RANGE[1]),
                step=0.05,
                readout_format=".3g",
                description="learning rate η",
                continuous_update=False,
                style=style,
                layout=layout,
            ),
            "steps": ipw.IntSlider(
                value=initial["steps"],
                min=1,
                max=MAX_STEPS,
                description="steps",
                continuous_update=False,
                style=style,
                layout=layout,
            ),
            "decay": ipw.FloatSlider(
                value=initial["decay"],
                min=0.0,
                max=MAX_DECAY,
                step=0.01,
                description="decay d",
                readout_format=".2f",
                continuous_update=False,
                style=style,
                layout=layout,
            ),
        }

    def _build_outputs(self) -> list:
        # Stacked under the controls, not beside them: the book's text column is narrow,
        # and the sliders need their full width to be usable.
        self.figure = ipw.HTML()
        self.summary = ipw.HTML()
        return [self.summary, self.figure]

    # The run on display, for tests and for the chapter's text.
    @property
    def path(self) -> np.ndarray:
        return self.run.path

    @property
    def losses(self) -> np.ndarray:
        return self.run.losses

    @property
    def status(self) -> str:
        return self.run.status

    @property
    def diverged(self) -> bool:
        return self.run.diverged

    def _read(self, names) -> None:
        """Run gradient descent with the controls' values (a bad start point raises)."""
        start = parse_point(self.controls["start"].value)
        self._steps = int(self.controls["steps"].value)
        self.run = gradient_descent(
            self.surface,
            start,
            float(self.controls["learning_rate"].value),
            self._steps,
            float(self.controls["decay"].value),
        )

    def _draw(self) -> None:
        png = self._figure.draw(self.run, self._steps)
        self.images["figure"] = png_img_tag(png, self._figure.describe(self.run))
        self.figure.value = self.images["figure"]
        self.summary.value = self._summary_html()

    def _summary_html(self) -> str:
        run, surface = self.run, self.surface
        w_star, b_star = surface.minimum
        last_rate = (
            run.learning_rates[-1]
            if len(run.learning_rates)
            else self.controls["learning_rate"].value
        )
        if run.diverged:
            where = (
                f"It stopped at step {run.diverged_at}: "
                "each step overshot the valley by more than the last."
            )
        else:
            w1, b1 = run.path[-1]
            where = f"It ends at w = {w1:.4f}, b = {b1:.4f}, loss {run.losses[-1]:.4g}."
        # The critical rate is not given here: finding it is one of the chapter's
        # "Things to try" and a quiz question (critical_learning_rate computes it).
        return (
            f"<p>The best weights are w* = {w_star:.4f}, b* = {b_star:.4f} "
            f"(loss {surface.minimum_loss:.4g}). {where} "
            f"Last step's learning rate: {last_rate:.3g}.</p>"
        )
