"""Chapter 9's batch-size explorer: on-line, mini-batch and batch training on digits.

:class:`BatchSizeExplorer` trains the chapter's network (:func:`sgd_run`: 32 ReLU
units, plain SGD, 1,000 digits, 20 epochs) at batch sizes 1 (on-line), 4, 16, 64,
256 and 1,000 (the full set: batch training), each at the learning rate that suits
it, and draws the loss against epochs, weight updates or examples seen. The rate
rule: for each batch size, the rate of a grid (0.003 to 10, steps of about ×3) whose
final weights have the lowest training loss after 20 epochs at seed 0
(:func:`pick_rate`); or one rate (0.1) for all. Curves are the mean of seeds 0, 1, 2.

The grid search takes 48 runs (about 15 s on two cores), too long for an explorer's
first view, so its result is kept in :data:`TUNED_RATES`; :func:`measured_rate` repeats
the search, the chapter prints it, and a test checks that the table is what the search
finds now. The explorer trains only the runs it draws (a progress bar counts them) and
caches them.
"""

from __future__ import annotations

import ipywidgets as ipw
import numpy as np

from widgets.display import Explorer
from widgets.display.controls import progress_bar, slider_look
from widgets.display.figures import new_figure
from widgets.display.images import figure_png, png_img_tag
from widgets.display.palette import AMBER, GREEN, GREY, NAVY, RED, TEAL
from widgets.engine.schedules_batches import (
    check_option,
    pick_rate,
    sgd_run,
    updates_per_epoch,
)
from widgets.engine.validation import check_choice

__all__ = [
    "BatchSizeExplorer",
    "BATCH_SIZES",
    "RATE_GRID",
    "RULES",
    "AXES",
    "EPOCHS",
    "SEEDS",
    "N_TRAIN",
    "tuned_rate",
    "measured_rate",
    "TUNED_RATES",
    "batch_runs",
    "comparison",
]

N_TRAIN = 1000
BATCH_SIZES = (1, 4, 16, 64, 256, N_TRAIN)
RATE_GRID = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
EPOCHS = 20
SEEDS = (0, 1, 2)
FIXED_RATE = 0.1
RULES = ("tuned per batch size", f"{FIXED_RATE:g} for all")
AXES = ("epochs", "weight updates", "examples seen")
COLOURS = dict(zip(BATCH_SIZES, (RED, AMBER, GREEN, TEAL, NAVY, GREY)))
#: Batch size -> the rate :func:`measured_rate` picks (checked against it by the tests).
TUNED_RATES = {1: 0.03, 4: 0.3, 16: 0.3, 64: 1.0, 256: 1.0, N_TRAIN: 1.0}

_RUNS: dict = {}


def _run(batch_size, rate, seed):
    key = (batch_size, rate, seed)
    if key not in _RUNS:
        _RUNS[key] = sgd_run(batch_size, rate, "constant", EPOCHS, seed, n_train=N_TRAIN)
    return _RUNS[key]


def grid_losses(batch_size) -> dict:
    """Rate → ``rank_loss`` at seed 0 for every rate of :data:`RATE_GRID` (cached runs)."""
    return {rate: _run(batch_size, rate, 0).rank_loss for rate in RATE_GRID}


def measured_rate(batch_size) -> float:
    """The grid's best rate for ``batch_size`` (:func:`pick_rate` on :func:`grid_losses`)."""
    return pick_rate(grid_losses(batch_size))


def tuned_rate(batch_size) -> float:
    """The rate the explorer uses for ``batch_size``: :data:`TUNED_RATES`, the stored
    result of :func:`measured_rate`."""
    return TUNED_RATES[check_option(batch_size, BATCH_SIZES, "batch_size")]


def rate_for(batch_size, rule) -> float:
    return tuned_rate(batch_size) if rule == RULES[0] else FIXED_RATE


def batch_runs(batch_size, rule=RULES[0]) -> list:
    """The runs of seeds 0, 1, 2 at ``batch_size`` and the rate ``rule`` gives it."""
    rate = rate_for(batch_size, rule)
    return [_run(batch_size, rate, seed) for seed in SEEDS]


def comparison(rule=RULES[0], progress=None) -> dict:
    """Batch size → (rate, runs) for every batch size; ``progress(done, total)`` ticks."""
    done, total = 0, len(BATCH_SIZES) * len(SEEDS)
    result = {}
    for b in BATCH_SIZES:
        result[b] = (rate_for(b, rule), batch_runs(b, rule))
        done += len(SEEDS)
        if progress:
            progress(done, total)
    return result


def _name(b) -> str:
    if b == 1:
        return "1 (on-line)"
    if b == N_TRAIN:
        return f"{N_TRAIN:,} (batch)"
    return str(b)


def _updates(b) -> str:
    n = updates_per_epoch(N_TRAIN, b)
    return f"{n:,} update{'s' if n > 1 else ''}"


def _loss_text(runs) -> str:
    ends = np.array([r.end_loss for r in runs])
    if any(r.diverged for r in runs) or not np.isfinite(ends).all():
        n = sum(r.diverged for r in runs)
        return f"diverged ({n} of {len(runs)} seeds)"
    return f"{ends.mean():.3f} (seeds {ends.min():.3f}–{ends.max():.3f})"


class BatchSizeExplorer(Explorer):
    """Loss of on-line, mini-batch and batch training against epochs, updates or examples.

    Controls: ``axis`` (epochs, weight updates, examples seen), ``rule`` (each batch
    size at its tuned rate, or 0.1 for all) and ``batch_size`` (the one the status
    line and the thick curve describe).
    """

    deferred_controls = ()

    def __init__(self, axis="epochs", rule=RULES[0], batch_size=1):
        self._start = {
            "axis": check_choice(axis, AXES, "axis"),
            "rule": check_choice(rule, RULES, "rule"),
            "batch_size": check_option(batch_size, BATCH_SIZES, "batch_size"),
        }
        self.progress = progress_bar(1, "runs")
        self.figure = ipw.HTML()
        self.table = ipw.HTML()
        self.setting = None
        self._figures: dict = {}
        super().__init__()

    def _build_controls(self) -> dict:
        s = self._start
        style = {"description_width": "9em"}
        return {
            "axis": ipw.ToggleButtons(
                options=list(AXES), value=s["axis"], description="loss against", style=style
            ),
            "rule": ipw.ToggleButtons(
                options=list(RULES), value=s["rule"], description="learning rate", style=style
            ),
            "batch_size": ipw.SelectionSlider(
                options=list(BATCH_SIZES),
                value=s["batch_size"],
                description="batch size",
                **slider_look("9em"),
            ),
        }

    def _build_outputs(self) -> list:
        return [self.progress, self.figure, self.table]

    def _read(self, names) -> None:
        c = {name: control.value for name, control in self.controls.items()}
        setting = (
            check_choice(c["axis"], AXES, "axis"),
            check_choice(c["rule"], RULES, "rule"),
            check_option(c["batch_size"], BATCH_SIZES, "batch_size"),
        )

        def tick(done, total):
            self.progress.max, self.progress.value = total, done

        self.result = comparison(setting[1], tick)
        self.setting = setting

    @property
    def diverged(self):
        return self.setting is not None and any(r.diverged for r in self.runs)

    @property
    def runs(self):
        return self.result[self.setting[2]][1]

    @property
    def status(self) -> str:
        _, rule, b = self.setting
        rate, runs = self.result[b]
        full = self.result[N_TRAIN][1]
        how = "best of the grid" if rule == RULES[0] else "the same for all"
        text = (
            f"batch size {_name(b)}, η = {rate:g} ({how}): "
            f"{_updates(b)} an epoch; after {EPOCHS} epochs "
            f"the training loss is {_loss_text(runs)}"
        )
        if b != N_TRAIN:
            text += f"; batch training reaches {_loss_text(full)}"
        return text

    def _draw(self) -> None:
        if self.setting not in self._figures:
            self._figures[self.setting] = self._figure()
        self.images = {"loss": png_img_tag(*self._figures[self.setting])}
        self.figure.value = self.images["loss"]
        self.table.value = self._table()

    def _figure(self):
        axis, rule, chosen = self.setting
        figure = new_figure(6.8, 3.2, layout="constrained")
        ax = figure.add_subplot()
        for b in BATCH_SIZES:
            rate, runs = self.result[b]
            finite = [r for r in runs if not r.diverged and len(r.loss) == EPOCHS]
            label = f"{_name(b)}, η = {rate:g}"
            if not finite:
                ax.plot([], [], color=COLOURS[b], label=label + " (diverged)")
                continue
            loss = np.mean([r.loss for r in finite], axis=0)
            x = {"epochs": np.arange(1, EPOCHS + 1), "weight updates": finite[0].updates}
            x = x.get(axis, finite[0].examples)
            thick = b == chosen
            ax.plot(
                x,
                loss,
                "o-" if thick else "-",
                color=COLOURS[b],
                markersize=3,
                linewidth=3 if thick else 1.5,
                label=label,
                zorder=3 if thick else 2,
            )
        ax.set_yscale("log")
        if axis == "weight updates":
            ax.set_xscale("log")
        ax.set_xlabel(
            {"epochs": "epoch", "weight updates": "weight updates (log scale)"}.get(
                axis, "examples seen (= epochs × 1,000)"
            ),
            fontsize=10,
        )
        ax.set_ylabel("training loss (log scale)", fontsize=10)
        ax.set_title(f"plain SGD on 1,000 digits, mean of {len(SEEDS)} seeds", fontsize=10)
        ax.tick_params(labelsize=9)
        figure.legend(fontsize=9, loc="outside right center", frameon=False, title="batch size")
        parts = []
        for b in BATCH_SIZES:
            parts.append(
                f"{_name(b)} at η = {self.result[b][0]:g}: {_loss_text(self.result[b][1])}"
            )
        alt = (
            f"Training loss against {axis} for batch sizes 1 to 1,000 ({rule}); after "
            f"{EPOCHS} epochs: " + "; ".join(parts) + "."
        )
        return figure_png(figure), alt

    def _table(self) -> str:
        rows = []
        for b in BATCH_SIZES:
            rate, runs = self.result[b]
            accuracy = [r.validation_accuracy for r in runs if r.validation_accuracy is not None]
            acc = f"{np.mean(accuracy):.3f}" if len(accuracy) == len(runs) else "—"
            rows.append(
                f"<tr><td>{_name(b)}</td><td>{rate:g}</td>"
                f"<td>{updates_per_epoch(N_TRAIN, b):,}</td>"
                f"<td>{EPOCHS * updates_per_epoch(N_TRAIN, b):,}</td>"
                f"<td>{_loss_text(runs)}</td><td>{acc}</td></tr>"
            )
        head = (
            "<tr><th>batch size</th><th>η</th><th>updates / epoch</th>"
            f"<th>updates in {EPOCHS} epochs</th><th>training loss after {EPOCHS} epochs</th>"
            "<th>validation accuracy</th></tr>"
        )
        return (
            '<table style="font-size:13px;border-collapse:collapse" cellpadding="3">'
            + head
            + "".join(rows)
            + "</table>"
        )
