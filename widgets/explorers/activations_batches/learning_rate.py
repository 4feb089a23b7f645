"""Chapter 9's learning-rate explorer: plain SGD on digits at any rate and schedule.

:class:`LearningRateExplorer` trains an engine ``MLPClassifier`` (one hidden layer of
32 ReLU units, ``solver="sgd"``, no momentum, no L2 penalty, batches of 50) on 1,000
digits (:func:`widgets.engine.schedules_batches.sgd_run`) at a learning rate from a
log slider and one of scikit-learn's schedules (constant, invscaling, adaptive), and
draws the loss per epoch beside three reference rates (0.01, 0.1, 1) and the rate
each epoch used. A run whose loss becomes infinite or ends above where it started is
reported as "diverged". Runs are cached.
"""

from __future__ import annotations

import ipywidgets as ipw
import numpy as np

from widgets.display import Explorer
from widgets.display.controls import control_look, slider_look
from widgets.display.figures import new_figure
from widgets.display.images import figure_png, png_img_tag
from widgets.display.palette import AMBER, ERROR, GREEN, NAVY, TEAL
from widgets.engine.schedules_batches import SCHEDULES, sgd_run
from widgets.engine.validation import check_choice, check_integer, check_number

__all__ = ["LearningRateExplorer", "cached_run", "RATE_RANGE", "EPOCHS", "REFERENCE_RATES"]

#: Learning rates on the slider (log scale).
RATE_RANGE = (1e-3, 10.0)
#: Epochs of every run.
EPOCHS = 30
#: Batch size of every run.
BATCH = 50
#: Rates drawn in grey for comparison.
REFERENCE_RATES = (0.01, 0.1, 1.0)

_RUNS: dict = {}


def cached_run(learning_rate, schedule="constant", seed=0):
    """:func:`sgd_run` (batch 50, 30 epochs) at this setting, computed once."""
    key = (float(f"{learning_rate:.4g}"), schedule, int(seed))
    if key not in _RUNS:
        _RUNS[key] = sgd_run(BATCH, key[0], schedule, EPOCHS, seed)
    return _RUNS[key]


def describe(run) -> str:
    """One line on a run: where its loss went, or how it diverged."""
    if run.diverged_epoch is not None:
        return f"diverged: the loss became infinite at epoch {run.diverged_epoch}"
    if run.diverged:
        epoch = int(np.argmax(run.loss > run.initial_loss)) + 1
        return (
            f"diverged: the loss rose above the untrained network's "
            f"{run.initial_loss:.3g} (to {run.loss[epoch - 1]:.3g} at epoch {epoch})"
        )
    return (
        f"loss {run.loss[0]:.3g} (epoch 1) → {run.loss[-1]:.3g} (epoch {len(run.loss)}), "
        f"validation accuracy {run.validation_accuracy:.3f}"
    )


class LearningRateExplorer(Explorer):
    """Loss per epoch of plain SGD on digits at one learning rate and schedule.

    Controls: ``rate`` (the initial learning rate η₀, 0.001 to 10, log scale),
    ``schedule`` (constant; invscaling: η₀/(t + 1)^0.5 after each epoch, t the
    examples seen so far; adaptive:
    η divided by 5 after 10 epochs without improvement) and ``seed``.
    """

    def __init__(self, rate=0.1, schedule="constant", seed=0):
        self._start = {
            "rate": check_number(rate, "rate", *RATE_RANGE),
            "schedule": check_choice(schedule, SCHEDULES, "schedule"),
            "seed": check_integer(seed, "seed", 0, 2),
        }
        self.figure = ipw.HTML()
        self.setting = None
        self._figures: dict = {}
        super().__init__()

    def _build_controls(self) -> dict:
        s = self._start
        look, common = control_look("9em"), slider_look("9em")
        return {
            "rate": ipw.FloatLogSlider(
                value=s["rate"],
                base=10,
                min=np.log10(RATE_RANGE[0]),
                max=np.log10(RATE_RANGE[1]),
                step=0.25,
                readout_format=".3g",
                description="learning rate η₀",
                **common,
            ),
            "schedule": ipw.ToggleButtons(
                options=list(SCHEDULES),
                value=s["schedule"],
                description="schedule",
                style=look["style"],
            ),
            "seed": ipw.IntSlider(value=s["seed"], min=0, max=2, description="seed", **common),
        }

    def _build_outputs(self) -> list:
        return [self.figure]

    def _read(self, names) -> None:
        c = {name: control.value for name, control in self.controls.items()}
        setting = (
            float(f"{check_number(c['rate'], 'rate', *RATE_RANGE):.4g}"),
            check_choice(c["schedule"], SCHEDULES, "schedule"),
            check_integer(c["seed"], "seed", 0, 2),
        )
        cached_run(*setting)
        for rate in REFERENCE_RATES:
            cached_run(rate, setting[1], setting[2])
        self.setting = setting

    @property
    def run(self):
        return cached_run(*self.setting)

    @property
    def diverged(self):
        return self.setting is not None and self.run.diverged

    @property
    def status(self) -> str:
        rate, schedule, seed = self.setting
        return f"η₀ = {rate:.3g}, {schedule}, seed {seed}: " + describe(self.run)

    def _draw(self) -> None:
        if self.setting not in self._figures:
            self._figures[self.setting] = self._figure()
        self.images = {"loss": png_img_tag(*self._figures[self.setting])}
        self.figure.value = self.images["loss"]

    def _figure(self):
        rate, schedule, seed = self.setting
        run = self.run
        figure = new_figure(6.8, 3.2, layout="constrained")
        loss_ax, rate_ax = figure.subplots(1, 2, width_ratios=[1.6, 1])
        styles = ((":", TEAL), ("--", AMBER), ("-.", GREEN))
        for reference, (line, colour) in zip(REFERENCE_RATES, styles):
            ref = cached_run(reference, schedule, seed)
            if len(ref.loss) and reference != rate:
                label = f"η₀ = {reference:g}" + (" (diverged)" if ref.diverged else "")
                epochs = np.arange(1, len(ref.loss) + 1)
                loss_ax.plot(epochs, ref.loss, line, color=colour, linewidth=1.5, label=label)
        colour = ERROR if run.diverged else NAVY
        if len(run.loss):
            epochs = np.arange(1, len(run.loss) + 1)
            label = f"η₀ = {rate:.3g}" + (" (diverged)" if run.diverged else "")
            loss_ax.plot(epochs, run.loss, "o-", color=colour, markersize=3, label=label)
            rate_ax.plot(epochs, run.rates, "o-", color=colour, markersize=3)
        if run.diverged_epoch is not None:
            loss_ax.text(
                0.5,
                0.5,
                f"diverged at epoch {run.diverged_epoch}",
                transform=loss_ax.transAxes,
                ha="center",
                color=ERROR,
                fontsize=11,
            )
        loss_ax.set_yscale("log")
        loss_ax.set_xlim(0, EPOCHS + 1)
        loss_ax.set_xlabel("epoch", fontsize=10)
        loss_ax.set_ylabel("training loss (log scale)", fontsize=10)
        loss_ax.set_title(f"plain SGD on digits, {schedule}", fontsize=10)
        figure.legend(fontsize=9, loc="outside lower center", ncol=4, frameon=False)
        rate_ax.set_yscale("log")
        rate_ax.set_xlim(0, EPOCHS + 1)
        rate_ax.set_xlabel("epoch", fontsize=10)
        rate_ax.set_title("learning rate used", fontsize=10)
        for ax in (loss_ax, rate_ax):
            ax.tick_params(labelsize=9)
        alt = (
            f"Training loss per epoch of plain SGD on digits at η₀ = {rate:.3g} with the "
            f"{schedule} schedule, beside η₀ = 0.01, 0.1 and 1: {describe(run)}."
        )
        return figure_png(figure), alt
