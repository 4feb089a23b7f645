"""Chapter 11's explorer: a cross-validated grid over two hyperparameters.

:class:`GridSearchExplorer` scores every cell of a 6 × 6 grid over a pair of
hyperparameters of the engine's ``MLPClassifier`` by 3-fold cross-validation on 450
digits (:func:`widgets.engine.search.grid_scores`, the numbers ``GridSearchCV``
reports), draws the mean scores as a heatmap with each cell's spread over the folds,
marks the best cell, and draws the one-at-a-time search
(:func:`widgets.engine.search.one_at_a_time`) from a starting cell as a path on the
same grid. A grid trains 108 networks (about 1.5 s on two cores); each grid is cached
for the session, so moving the start or the order redraws at once.
"""

from __future__ import annotations

import ipywidgets as ipw

from widgets.display import Explorer
from widgets.display.controls import progress_bar
from widgets.display.figures import new_figure
from widgets.display.images import figure_png, png_img_tag
from widgets.display.palette import GOLD, GREY, RED, WHITE
from widgets.engine.search import (
    LABELS,
    PAIRS,
    VALUES,
    grid_scores,
    one_at_a_time,
    search_data,
)
from widgets.engine.validation import check_choice, check_integer

__all__ = ["GridSearchExplorer", "cached_grid", "plot_grid", "value_label", "N_DATA", "CV", "SEEDS"]

#: Digits in the search, folds, and the seeds the explorer offers.
N_DATA, CV, SEEDS = 450, 3, 3

_GRIDS: dict = {}
_FIGURES: dict = {}


def cached_grid(pair, seed=0, progress=None):
    """The :class:`~widgets.engine.search.GridResult` of ``pair`` for ``seed``, cached.

    ``seed`` draws the 450 digits, the folds and the initial weights.
    """
    pair = check_choice(pair, tuple(PAIRS), "pair")
    seed = check_integer(seed, "seed", low=0, high=SEEDS - 1)
    key = (pair, seed)
    if key not in _GRIDS:
        X, y = search_data(N_DATA, seed)
        px, py = PAIRS[pair]
        _GRIDS[key] = grid_scores(X, y, px, VALUES[px], py, VALUES[py], CV, seed, None, progress)
    return _GRIDS[key]


def value_label(param, value) -> str:
    """How a value of ``param`` is written on an axis: 16, 0.03, 1e-04, 0.95."""
    if param == "hidden_layer_sizes":
        return str(value[0])
    if param == "alpha":
        return f"{value:.0e}".replace("e-0", "e-").replace("e+0", "e")
    return f"{value:g}"


class GridSearchExplorer(Explorer):
    """Heatmap of cross-validated accuracy over two hyperparameters; the manual search.

    Controls: ``pair`` (which two hyperparameters), ``start_x`` and ``start_y`` (the
    cell the one-at-a-time search starts from: an index into each axis's values),
    ``first`` (which hyperparameter it tunes first), ``passes`` (how often it tunes each:
    1 is the lecture's single pass, 0 means until nothing changes) and ``seed``.
    """

    def __init__(
        self,
        pair="hidden units × learning rate",
        start_x=0,
        start_y=0,
        first="x",
        passes=0,
        seed=0,
    ):
        self._start = {
            "pair": check_choice(pair, tuple(PAIRS), "pair"),
            "start_x": check_integer(start_x, "start_x", low=0, high=5),
            "start_y": check_integer(start_y, "start_y", low=0, high=5),
            "first": check_choice(first, ("x", "y"), "first"),
            "passes": check_integer(passes, "passes", low=0, high=3),
            "seed": check_integer(seed, "seed", low=0, high=SEEDS - 1),
        }
        self.progress = progress_bar(36, "cells")
        self.figure = ipw.HTML()
        self.pair, self.seed = self._start["pair"], self._start["seed"]
        self.start = (self._start["start_y"], self._start["start_x"])
        self.first, self.passes = self._start["first"], self._start["passes"]
        super().__init__()

    # ------------------------------------------------------------------ controls

    def _options(self, param):
        return [(value_label(param, v), i) for i, v in enumerate(VALUES[param])]

    def _build_controls(self) -> dict:
        start = self._start
        style = {"description_width": "11em"}
        layout = ipw.Layout(width="30em", max_width="100%")
        px, py = PAIRS[start["pair"]]
        return {
            "pair": ipw.Dropdown(
                options=list(PAIRS),
                value=start["pair"],
                description="grid",
                style=style,
                layout=layout,
            ),
            "start_x": ipw.Dropdown(
                options=self._options(px),
                value=start["start_x"],
                description=f"start: {LABELS[px]}",
                style=style,
                layout=layout,
            ),
            "start_y": ipw.Dropdown(
                options=self._options(py),
                value=start["start_y"],
                description=f"start: {LABELS[py]}",
                style=style,
                layout=layout,
            ),
            "first": ipw.ToggleButtons(
                options=[(f"{LABELS[px]} first", "x"), (f"{LABELS[py]} first", "y")],
                value=start["first"],
                description="tune",
                style=style,
            ),
            "passes": ipw.IntSlider(
                value=start["passes"],
                min=0,
                max=3,
                description="passes (0: until stable)",
                style=style,
                layout=layout,
                continuous_update=False,
            ),
            "seed": ipw.IntSlider(
                value=start["seed"],
                min=0,
                max=SEEDS - 1,
                description="seed",
                style=style,
                layout=layout,
                continuous_update=False,
            ),
        }

    def _build_outputs(self) -> list:
        return [self.progress, self.figure]

    # ------------------------------------------------------------------ model

    def _relabel(self, pair):
        """Axis names and values of the start controls follow the pair."""
        px, py = PAIRS[pair]
        c = self.controls
        for name, param in (("start_x", px), ("start_y", py)):
            index = c[name].value
            c[name].options = self._options(param)
            c[name].value = index
            c[name].description = f"start: {LABELS[param]}"
        first = c["first"].value
        c["first"].options = [(f"{LABELS[px]} first", "x"), (f"{LABELS[py]} first", "y")]
        c["first"].value = first

    def _read(self, names) -> None:
        c = {name: control.value for name, control in self.controls.items()}
        pair = check_choice(c["pair"], tuple(PAIRS), "pair")
        seed = check_integer(c["seed"], "seed", low=0, high=SEEDS - 1)
        start = (
            check_integer(c["start_y"], "start_y", low=0, high=5),
            check_integer(c["start_x"], "start_x", low=0, high=5),
        )
        first = check_choice(c["first"], ("x", "y"), "first")
        passes = check_integer(c["passes"], "passes", low=0, high=3)
        if (pair, seed) not in _GRIDS:
            self.progress.value = 0

            def tick(done, total):
                self.progress.value = done
                self.progress.description = f"cell {min(done + 1, total)}/{total}"

            cached_grid(pair, seed, tick)
        self.progress.value, self.progress.description = 36, "cached"
        if "pair" in names:
            self._relabel(pair)
        self.pair, self.seed, self.start, self.first, self.passes = (
            pair,
            seed,
            start,
            first,
            passes,
        )

    @property
    def grid(self):
        """The :class:`~widgets.engine.search.GridResult` shown (from the cache)."""
        return cached_grid(self.pair, self.seed)

    @property
    def search(self):
        """The one-at-a-time search of the current start, order and passes."""
        return one_at_a_time(self.grid.mean, self.start, self.first, self.passes or None)

    def _describe(self, cell) -> str:
        g = self.grid
        row, column = cell
        return (
            f"{LABELS[g.param_x]} {value_label(g.param_x, g.values_x[column])}, "
            f"{LABELS[g.param_y]} {value_label(g.param_y, g.values_y[row])}"
        )

    @property
    def status(self) -> str:
        g, s = self.grid, self.search
        best, end = g.best, s.end
        mean, std = g.mean, g.std
        if end == best:
            verdict = "it finds the best cell"
        elif mean[end] == mean[best]:
            verdict = "it ties with the best cell"
        else:
            verdict = f"it misses the best by {mean[best] - mean[end]:.3f}"
        return (
            f"best: {self._describe(best)}: {mean[best]:.3f} ± {std[best]:.3f} "
            f"({CV}-fold CV). One at a time from {self._describe(self.start)} ends at "
            f"{self._describe(end)}: {mean[end]:.3f}, after {len(s.evaluated)} of "
            f"{mean.size} cells; {verdict}."
        )

    # ------------------------------------------------------------------ drawing

    def _draw(self) -> None:
        key = (self.pair, self.seed, self.start, self.first, self.passes)
        if key not in _FIGURES:
            _FIGURES[key] = self._figure()
            if len(_FIGURES) > 200:
                _FIGURES.pop(next(iter(_FIGURES)))
        self.images = {"grid": png_img_tag(*_FIGURES[key])}
        self.figure.value = self.images["grid"]

    def _passes_text(self) -> str:
        if not self.passes:
            return "until nothing changes"
        return f"{self.passes} pass{'es' if self.passes > 1 else ''} over each"

    def _figure(self):
        g, s = self.grid, self.search
        title = (
            f"gold: best cell; red: one at a time, {self._passes_text()} "
            "(● start, ■ end); grey: cells it scored"
        )
        figure = plot_grid(g, s.moves, s.evaluated, title)
        moves = " → ".join(f"({self._describe(c)})" for c in s.moves)
        alt = (
            f"Heatmap of {CV}-fold cross-validated accuracy over {LABELS[g.param_x]} "
            f"(columns) and {LABELS[g.param_y]} (rows), from {g.mean.min():.2f} to "
            f"{g.mean.max():.2f}; the best cell, {self._describe(g.best)}, is outlined in "
            f"gold. The one-at-a-time path ({self._passes_text()}): {moves}."
        )
        return figure_png(figure), alt


def plot_grid(grid, moves=None, evaluated=None, title=None):
    """Heatmap of ``grid`` (a GridResult): mean ± std per cell, best cell, a search path.

    ``moves`` is the list of (row, column) cells of a one-at-a-time search; cells in
    ``evaluated`` that the search looked at get a dot in their corner.
    """
    mean, std = grid.mean, grid.std
    n_y, n_x = mean.shape
    figure = new_figure(6.8, 4.6, layout="constrained")
    ax = figure.subplots()
    image = ax.imshow(mean, cmap="viridis", vmin=0.0, vmax=1.0, origin="lower", aspect="auto")
    for i in range(n_y):
        for j in range(n_x):
            colour = "black" if mean[i, j] > 0.6 else WHITE
            ax.text(
                j,
                i,
                f"{mean[i, j]:.3f}\n±{std[i, j]:.3f}",
                ha="center",
                va="center",
                fontsize=9,
                color=colour,
            )
            if evaluated and (i, j) in evaluated:
                ax.plot(j - 0.38, i + 0.36, "o", color=GREY, markersize=4)
    bi, bj = grid.best
    ax.add_patch(_rectangle((bj - 0.5, bi - 0.5), edgecolor=GOLD, linewidth=3.5))
    if moves:
        # The path runs through each cell's lower right corner, clear of its numbers.
        cols = [c + 0.36 for _, c in moves]
        rows = [r - 0.34 for r, _ in moves]
        for c0, r0, c1, r1 in zip(cols[:-1], rows[:-1], cols[1:], rows[1:]):
            ax.annotate(
                "",
                xy=(c1, r1),
                xytext=(c0, r0),
                arrowprops={"arrowstyle": "-|>", "color": RED, "linewidth": 2.5},
            )
        ax.plot(cols[0], rows[0], "o", color=RED, markersize=9, markeredgecolor=WHITE)
        ax.plot(cols[-1], rows[-1], "s", color=RED, markersize=9, markeredgecolor=WHITE)
    ax.set_xticks(range(n_x), [value_label(grid.param_x, v) for v in grid.values_x])
    ax.set_yticks(range(n_y), [value_label(grid.param_y, v) for v in grid.values_y])
    ax.set_xlabel(LABELS[grid.param_x], fontsize=10)
    ax.set_ylabel(LABELS[grid.param_y], fontsize=10)
    ax.tick_params(labelsize=10)
    bar = figure.colorbar(image, ax=ax, shrink=0.9)
    bar.set_label("mean CV accuracy", fontsize=10)
    bar.ax.tick_params(labelsize=9)
    ax.set_title(title or "gold: best cell; red: one at a time (● start, ■ end)", fontsize=10)
    return figure


def _rectangle(corner, **kwargs):
    from matplotlib.patches import Rectangle

    return Rectangle(corner, 1.0, 1.0, fill=False, **kwargs)
