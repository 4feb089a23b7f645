"""The chapter 10 explorer, :class:`OptimizerRace`: eight update rules raced on 2-D surfaces.

Every step of every path is one call of the engine's ``make_optimizer(...).step`` (through
:func:`widgets.engine.surfaces.run_optimizer`), on a surface with an exact gradient.

Headless use (tests, benchmarks)::

    race = OptimizerRace(surface="rosenbrock")
    race.controls["lr_adam"].value = 0.1       # redraws, as moving the slider does
    race.runs["adam"].losses, race.status
"""

from __future__ import annotations

import math
from functools import lru_cache

import ipywidgets as ipw
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.ticker import LogLocator, NullFormatter, NullLocator

from ...display import Explorer
from ...display.figures import BlittedFigure, new_figure
from ...display.images import png_img_tag
from ...display.palette import (
    AMBER,
    BLACK,
    DARK_GOLD,
    ERROR,
    GOLD,
    GREEN,
    MAGENTA,
    NAVY,
    PURPLE,
    RED,
    SEQUENTIAL_CMAP,
    TEAL,
    WHITE,
)
from ...engine.surfaces import SURFACES, get_surface, run_optimizer
from ...engine.validation import check_choice, check_integer, check_number

# --------------------------------------------------------------------------- the racers

#: The racers, in the order of the controls: label → (engine name, display name).
RACERS = {
    "sgd": ("sgd", "SGD"),
    "momentum": ("sgd", "momentum"),
    "nesterov": ("sgd", "Nesterov"),
    "rprop": ("rprop", "Rprop"),
    "adagrad": ("adagrad", "Adagrad"),
    "rmsprop": ("rmsprop", "RMSprop"),
    "adam": ("adam", "Adam"),
    "delta_bar_delta": ("delta_bar_delta", "delta-bar-delta"),
}

#: A colour and a line style per racer (8 curves; the styles tell apart colours that a
#: reader with a colour-vision deficiency may confuse).
STYLES = {
    "sgd": (BLACK, "-"),
    "momentum": (RED, "-"),
    "nesterov": (AMBER, "--"),
    "rprop": (TEAL, "-"),
    "adagrad": (GREEN, "--"),
    "rmsprop": (PURPLE, "-"),
    "adam": (MAGENTA, "--"),
    "delta_bar_delta": (DARK_GOLD, ":"),
}

#: Learning rates that give every racer a fair start on each surface (found by a sweep
#: over 1e-4 ... 1; a rate from the slider replaces them).
PRESETS = {
    "bowl": dict(
        sgd=0.08,
        momentum=0.01,
        nesterov=0.01,
        rprop=0.1,
        adagrad=0.5,
        rmsprop=0.03,
        adam=0.1,
        delta_bar_delta=0.03,
    ),
    "rosenbrock": dict(
        sgd=0.001,
        momentum=0.001,
        nesterov=0.001,
        rprop=0.01,
        adagrad=0.5,
        rmsprop=0.01,
        adam=0.1,
        delta_bar_delta=0.0003,
    ),
    "saddle": dict(
        sgd=0.1,
        momentum=0.02,
        nesterov=0.02,
        rprop=0.01,
        adagrad=0.1,
        rmsprop=0.01,
        adam=0.05,
        delta_bar_delta=0.05,
    ),
    "plateau": dict(
        sgd=0.1,
        momentum=0.1,
        nesterov=0.1,
        rprop=0.01,
        adagrad=0.5,
        rmsprop=0.03,
        adam=0.05,
        delta_bar_delta=0.1,
    ),
    "two_basins": dict(
        sgd=0.01,
        momentum=0.01,
        nesterov=0.01,
        rprop=0.01,
        adagrad=0.1,
        rmsprop=0.01,
        adam=0.05,
        delta_bar_delta=0.01,
    ),
}

LEARNING_RATE_RANGE = (1e-4, 1.0)
MOMENTUM_RANGE = (0.0, 0.99)
MAX_STEPS = 500
#: delta-bar-delta's additive increase κ, as a fraction of its initial rate.
KAPPA_FRACTION = 0.1
#: "Reached the minimum": the loss within this of the lowest loss.
TOLERANCE = 1e-3
#: Loss gaps below this are drawn at it (a log axis cannot show 0).
FLOOR = 1e-12


def racer_settings(label: str, lr: float, momentum: float = 0.9):
    """``(engine name, hyperparameters)`` of racer ``label`` at learning rate ``lr``.

    ``momentum`` is μ of the momentum and Nesterov racers; delta-bar-delta's κ is
    :data:`KAPPA_FRACTION` × ``lr``. Every other hyperparameter is torch's default.
    """
    label = check_choice(label, RACERS, "label")
    lr = check_number(lr, "lr", low=0, low_inclusive=False)
    momentum = check_number(momentum, "momentum", low=0, high=MOMENTUM_RANGE[1])
    name = RACERS[label][0]
    hyper = {"lr": lr}
    if label in ("momentum", "nesterov"):
        hyper.update(momentum=momentum, nesterov=label == "nesterov")
    elif label == "delta_bar_delta":
        hyper["kappa"] = KAPPA_FRACTION * lr
    return name, hyper


@lru_cache(maxsize=512)
def _cached_run(surface: str, label: str, lr: float, momentum: float, steps: int):
    name, hyper = racer_settings(label, lr, momentum)
    return run_optimizer(surface, name, steps=steps, **hyper)


def race_run(surface, label, lr, momentum=0.9, steps=200):
    """Racer ``label``'s run on ``surface`` (cached: a run is computed once to
    :data:`MAX_STEPS` steps and cut to ``steps``)."""
    surface = get_surface(surface).name
    steps = check_integer(steps, "steps", low=0, high=MAX_STEPS)
    racer_settings(label, lr, momentum)  # checks the arguments
    return _cached_run(surface, label, float(lr), float(momentum), MAX_STEPS).head(steps)


# --------------------------------------------------------------------------- drawing


def surface_image(surface):
    """``(X, Y, G)``: the surface's loss above its lowest loss on a grid, floored at 1e-6."""
    X, Y, F = surface.grid(160)
    return X, Y, np.maximum(F - surface.minimum_loss, 1e-6)


def draw_surface(ax, surface, background: bool = True):
    """Contours of ``log10`` of the loss above the lowest, the minimum and marked points."""
    X, Y, G = surface_image(surface)
    log_gap = np.log10(G)
    if background:
        ax.imshow(
            log_gap,
            origin="lower",
            extent=(*surface.x_range, *surface.y_range),
            aspect="auto",
            cmap=SEQUENTIAL_CMAP,
            alpha=0.45,
        )
    ax.contour(X, Y, log_gap, levels=14, colors=NAVY, linewidths=0.5, alpha=0.5)
    ax.plot(
        *surface.minimum,
        marker="*",
        markersize=13,
        color=GOLD,
        markeredgecolor=BLACK,
        linestyle="none",
        zorder=4,
    )
    for _, point in surface.others:
        ax.plot(
            *point,
            marker="*",
            markersize=11,
            color=WHITE,
            markeredgecolor=BLACK,
            linestyle="none",
            zorder=4,
        )
    ax.set_xlim(*surface.x_range)
    ax.set_ylim(*surface.y_range)


def legend_handles(labels=tuple(RACERS)):
    """One legend entry per racer, in its colour and line style."""
    return [
        Line2D([], [], color=STYLES[label][0], linestyle=STYLES[label][1], linewidth=2)
        for label in labels
    ], [RACERS[label][1] for label in labels]


class _RaceFigure:
    """One surface's picture: the map with the paths, and the loss above the lowest per step.

    Made once per surface; a redraw moves the paths and redraws the loss panel.
    """

    def __init__(self, surface):
        self.surface = surface
        self.figure = new_figure(6.6, 3.9, layout="constrained")
        self.map_axes, self.loss_axes = self.figure.subplots(1, 2, width_ratios=[1.05, 1])
        ax = self.map_axes
        draw_surface(ax, surface)
        ax.set_xlabel("weight x")
        ax.set_ylabel("weight y")
        ax.set_title(f"Paths on {surface.title}", fontsize=10.5)
        self.paths, self.ends = {}, {}
        for label in RACERS:
            colour, style = STYLES[label]
            (self.paths[label],) = ax.plot(
                [], [], linestyle=style, color=colour, linewidth=1.6, zorder=3
            )
            (self.ends[label],) = ax.plot(
                [], [], "o", color=colour, markeredgecolor=WHITE, markersize=6, zorder=5
            )
        (self.start,) = ax.plot(
            *surface.start, "o", color=WHITE, markeredgecolor=BLACK, markersize=7, zorder=5
        )
        self.diverged_text = ax.text(
            0.03,
            0.04,
            "",
            transform=ax.transAxes,
            color=ERROR,
            fontsize=9.5,
            fontweight="bold",
            bbox=dict(facecolor=WHITE, edgecolor=ERROR, alpha=0.9),
            zorder=6,
        )
        lx = self.loss_axes
        self.curves = {}
        for label in RACERS:
            colour, style = STYLES[label]
            (self.curves[label],) = lx.plot([], [], linestyle=style, color=colour, linewidth=1.6)
        lx.set_yscale("log")
        lx.yaxis.set_major_locator(LogLocator(numticks=6))
        lx.yaxis.set_minor_locator(NullLocator())
        lx.yaxis.set_minor_formatter(NullFormatter())
        lx.set_xlabel("step")
        lx.set_ylabel("loss above the lowest (log)")
        lx.set_title("Loss after each step", fontsize=10.5)
        lx.grid(True, which="major", alpha=0.3)
        lx.set_xlim(0, MAX_STEPS)
        lx.set_ylim(FLOOR, 1e4)
        # Laid out once with the full legend (two rows of four). The legend then lists
        # only the racers drawn; it is part of the still background, which is captured
        # again only when the set of racers drawn changes.
        handles, names = legend_handles()
        legend = self.figure.legend(
            handles, names, loc="outside lower center", ncol=4, fontsize=9.5, frameon=False
        )
        self.figure.canvas.draw()
        self.figure.set_layout_engine("none")
        self._legend_top = (
            legend.get_window_extent().transformed(self.figure.transFigure.inverted()).y1
        )
        legend.remove()
        self.legend = None
        self._legend_labels = None
        self._moving = [*self.paths.values(), *self.ends.values(), self.start, self.diverged_text]
        self.blitter = None

    def _set_legend(self, labels) -> None:
        """Show a legend of ``labels`` and capture the still background with it."""
        labels = tuple(labels)
        if labels == self._legend_labels and self.blitter is not None:
            return
        if self.legend is not None:
            self.legend.remove()
            self.legend = None
        if labels:
            handles, names = legend_handles(labels)
            self.legend = self.figure.legend(
                handles,
                names,
                loc="upper center",
                bbox_to_anchor=(0.5, self._legend_top),
                ncol=4,
                fontsize=9.5,
                frameon=False,
            )
        self._legend_labels = labels
        self.blitter = BlittedFigure(self.figure, self._moving, axes=[self.loss_axes])

    def draw(self, runs: dict, shown, steps: int) -> bytes:
        top = 1.0
        bottom = 1.0
        diverged = []
        for label in RACERS:
            visible = label in shown
            run = runs[label]
            path, curve, end = self.paths[label], self.curves[label], self.ends[label]
            for artist in (path, curve, end):
                artist.set_visible(visible)
            if not visible:
                continue
            path.set_data(run.path[:, 0], run.path[:, 1])
            end.set_data(run.path[-1:, 0], run.path[-1:, 1])
            end.set_marker("X" if run.diverged else "o")
            gaps = np.maximum(run.gaps, FLOOR)
            curve.set_data(np.arange(len(gaps)), gaps)
            top, bottom = max(top, gaps.max()), min(bottom, gaps.min())
            if run.diverged:
                diverged.append(f"{RACERS[label][1]} (step {run.diverged_at})")
        self._set_legend([label for label in RACERS if label in shown])
        text = "diverged: " + ", ".join(diverged) if diverged else ""
        self.diverged_text.set_text(text)
        self.diverged_text.set_visible(bool(diverged))
        lx = self.loss_axes
        lx.set_xlim(0, max(steps, 1))
        low = 10.0 ** math.floor(math.log10(bottom))
        high = 10.0 ** math.ceil(math.log10(top))
        lx.set_ylim(low, high if high > low else low * 10)
        return self.blitter.png()


# --------------------------------------------------------------------------- explorer

_CELL = '<td style="padding:0.15em 0.7em;text-align:left">{}</td>'


class OptimizerRace(Explorer):
    """Eight update rules of the engine raced on a 2-D surface.

    An explorer on the :class:`~widgets.display.Explorer` base (its docstring states the
    contract). Each racer's path is computed by :func:`widgets.engine.surfaces.run_optimizer`
    (``make_optimizer``'s rules, torch's defaults apart from the learning rate).

    Parameters
    ----------
    surface : {"bowl", "rosenbrock", "saddle", "plateau", "two_basins"}, default "bowl"
    steps : int, default 150
        Steps of each run, 10 to :data:`MAX_STEPS`.
    momentum : float, default 0.9
        μ of the momentum and Nesterov racers, 0 to 0.99.
    show : iterable of str, default ("sgd", "momentum", "rmsprop", "adam")
        The racers drawn (keys of :data:`RACERS`).
    learning_rates : dict, optional
        Racer → learning rate, replacing the surface's presets (:data:`PRESETS`).

    Attributes
    ----------
    controls : dict
        ``surface``, ``steps``, ``momentum``, and per racer ``show_<racer>`` (a
        checkbox) and ``lr_<racer>`` (a log slider). Choosing a surface loads its
        preset learning rates.
    buttons : dict
        ``play``: an ``ipywidgets.Play``; each tick draws the paths a few steps further
        (:meth:`play`), starting over once the end is shown.
    runs : dict
        Racer → the :class:`~widgets.engine.surfaces.OptimizerRun` on display (cut at
        the frame shown), for every racer, drawn or not.
    frame : int
        The last step shown.
    """

    def __init__(
        self,
        surface="bowl",
        steps=150,
        momentum=0.9,
        show=("sgd", "momentum", "rmsprop", "adam"),
        learning_rates=None,
    ):
        surface = get_surface(surface).name
        steps = check_integer(steps, "steps", low=10, high=MAX_STEPS)
        momentum = check_number(momentum, "momentum", low=0, high=MOMENTUM_RANGE[1])
        if isinstance(show, str):
            raise TypeError("show must be a list of racer names, not a single string.")
        show = [check_choice(label, RACERS, "show") for label in show]
        rates = dict(PRESETS[surface])
        if learning_rates is not None:
            if not isinstance(learning_rates, dict):
                raise TypeError(
                    "learning_rates must be a dict racer -> rate; got "
                    f"{type(learning_rates).__name__}."
                )
            for label, rate in learning_rates.items():
                check_choice(label, RACERS, "learning_rates")
                low, high = LEARNING_RATE_RANGE
                rates[label] = check_number(rate, f"learning_rates[{label!r}]", low=low, high=high)
        self._initial = dict(
            surface=surface, steps=steps, momentum=momentum, show=set(show), rates=rates
        )
        self._figures = {}
        self.frame = steps
        self.runs = {}
        super().__init__()

    # ------------------------------------------------------------------ controls

    def _build_controls(self) -> dict:
        initial = self._initial
        wide = ipw.Layout(width="21em", max_width="100%")
        style = {"description_width": "6em"}
        controls = {
            "surface": ipw.Dropdown(
                options=[(surface.title, name) for name, surface in SURFACES.items()],
                value=initial["surface"],
                description="surface",
                style=style,
                layout=wide,
            ),
            "steps": ipw.IntSlider(
                value=initial["steps"],
                min=10,
                max=MAX_STEPS,
                step=10,
                description="steps",
                continuous_update=False,
                style=style,
                layout=wide,
            ),
            "momentum": ipw.FloatSlider(
                value=initial["momentum"],
                min=MOMENTUM_RANGE[0],
                max=MOMENTUM_RANGE[1],
                step=0.01,
                description="momentum μ",
                readout_format=".2f",
                continuous_update=False,
                style=style,
                layout=wide,
            ),
        }
        low, high = (math.log10(v) for v in LEARNING_RATE_RANGE)
        for label, (_, title) in RACERS.items():
            controls[f"show_{label}"] = ipw.Checkbox(
                value=label in initial["show"],
                description=title,
                indent=False,
                layout=ipw.Layout(width="9em"),
            )
            controls[f"lr_{label}"] = ipw.FloatLogSlider(
                value=initial["rates"][label],
                base=10,
                min=low,
                max=high,
                step=0.1,
                readout_format=".2g",
                description="η",
                continuous_update=False,
                style={"description_width": "1.2em"},
                layout=ipw.Layout(width="14em"),
                tooltip=f"learning rate of {title}",
            )
        return controls

    def _build_buttons(self) -> dict:
        return {
            "play": ipw.Play(
                value=0,
                min=0,
                max=10**9,
                step=1,
                interval=120,
                show_repeat=False,
                description="play",
                tooltip="play / pause: draw the paths step by step",
            )
        }

    def _build_view(self) -> ipw.Box:
        c = self.controls
        racers = [
            ipw.HBox([c[f"show_{label}"], c[f"lr_{label}"]], layout=ipw.Layout(width="24em"))
            for label in RACERS
        ]
        grid = ipw.GridBox(
            racers,
            layout=ipw.Layout(grid_template_columns="repeat(auto-fill, 24em)", width="100%"),
        )
        self.figure = ipw.HTML()
        self.table = ipw.HTML()
        top = ipw.HBox(
            [ipw.VBox([c["surface"], c["steps"], c["momentum"]]), self.buttons["play"]],
            layout=ipw.Layout(flex_flow="row wrap", align_items="flex-start"),
        )
        return ipw.VBox([top, grid, self.status_line, self.figure, self.table])

    # ------------------------------------------------------------------ model

    @property
    def surface(self):
        return SURFACES[self.controls["surface"].value]

    @property
    def shown(self) -> list:
        return [label for label in RACERS if self.controls[f"show_{label}"].value]

    def _read(self, names) -> None:
        controls = self.controls
        if "surface" in names and len(names) < len(controls):
            # A new surface loads its presets (the first draw keeps the constructor's).
            for label, rate in PRESETS[controls["surface"].value].items():
                controls[f"lr_{label}"].value = rate
        self._steps = int(controls["steps"].value)
        self.frame = self._steps
        self._compute()

    def _compute(self) -> None:
        controls = self.controls
        surface = self.surface
        momentum = float(controls["momentum"].value)
        self.runs = {
            label: race_run(
                surface, label, float(controls[f"lr_{label}"].value), momentum, self.frame
            )
            for label in RACERS
        }

    def play(self) -> None:
        """One frame of the animation: a few steps further (from the start after the end)."""

        def advance():
            chunk = max(1, self._steps // 50)
            self.frame = (
                chunk if self.frame >= self._steps else min(self._steps, self.frame + chunk)
            )
            self._compute()

        self._update(advance)

    # ------------------------------------------------------------------ drawing

    def _draw(self) -> None:
        surface = self.surface
        figure = self._figures.get(surface.name)
        if figure is None:
            figure = self._figures[surface.name] = _RaceFigure(surface)
        png = figure.draw(self.runs, set(self.shown), self._steps)
        self.images["figure"] = png_img_tag(png, self._describe())
        self.figure.value = self.images["figure"]
        self.table.value = self._table_html()

    def _outcome(self, label: str) -> str:
        run = self.runs[label]
        if run.diverged:
            return f"diverged at step {run.diverged_at}"
        reached = run.steps_to(TOLERANCE)
        return f"{run.gaps[-1]:.3g} above the lowest" + (
            f", within {TOLERANCE:g} at step {reached}" if reached is not None else ""
        )

    def _describe(self) -> str:
        surface = self.surface
        shown = self.shown
        if not shown:
            runs = "no optimizer is ticked, so no path is drawn"
        else:
            runs = "; ".join(f"{RACERS[label][1]}: {self._outcome(label)}" for label in shown)
        return (
            f"Left: contour map of {surface.title} over weights x and y, the lowest point "
            f"starred at ({surface.minimum[0]:.2f}, {surface.minimum[1]:.2f}), every path "
            f"starting at ({surface.start[0]:g}, {surface.start[1]:g}). Right: the loss "
            f"above the lowest against the step, log scale. After {self.frame} steps, {runs}."
        )

    def _table_html(self) -> str:
        rows = []
        for label, (_, title) in RACERS.items():
            colour, _ = STYLES[label]
            drawn = label in self.shown
            rate = self.controls[f"lr_{label}"].value
            style = "" if drawn else ' class="nnoe-muted"'
            swatch = f'<span style="color:{colour}">&#9644;</span> ' if drawn else ""
            cells = (f"{swatch}{title}", f"{rate:.2g}", self._outcome(label))
            rows.append(f"<tr{style}>" + "".join(_CELL.format(c) for c in cells) + "</tr>")
        head = "".join(
            _CELL.format(f"<b>{name}</b>")
            for name in ("optimizer", "η", "loss at the last step shown")
        )
        return (
            '<table style="border-collapse:collapse;margin-top:0.5em">'
            '<caption class="nnoe-caption" style="caption-side:top;text-align:left">'
            f"After {self.frame} "
            "steps (grey rows are not drawn)</caption>"
            f"<tr>{head}</tr>" + "".join(rows) + "</table>"
        )

    @property
    def status(self) -> str:
        surface = self.surface
        shown = self.shown
        head = f"{surface.title}, step {self.frame} of {self._steps}"
        if not shown:
            return f"{head}: no optimizer ticked; tick one to race it."
        finite = [label for label in shown if not self.runs[label].diverged]
        parts = [head]
        if finite:
            best = min(finite, key=lambda label: self.runs[label].gaps[-1])
            parts.append(
                f"lowest: {RACERS[best][1]}, {self.runs[best].gaps[-1]:.3g} above the minimum"
            )
        diverged = [RACERS[label][1] for label in shown if self.runs[label].diverged]
        if diverged:
            parts.append("diverged: " + ", ".join(diverged))
        return "; ".join(parts)

    @property
    def diverged(self) -> bool:
        return any(self.runs[label].diverged for label in self.shown)
