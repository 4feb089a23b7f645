"""Chapter 6's static figures: one run's curves, the learning curve, dropout over seeds."""

from __future__ import annotations

import numpy as np

from widgets.display.figures import new_figure
from widgets.display.palette import GOLD, GREY, NAVY, RED, TEAL

__all__ = ["plot_curves", "plot_learning_curve", "plot_dropout_sweep"]


def plot_curves(curves, decision=None):
    """Loss (training, validation) and accuracy (training, validation, test) per epoch.

    With a :class:`~widgets.engine.stopping.StoppingDecision`, a dashed line marks the
    epoch the rule stops after and a gold line the epoch whose weights it keeps.
    """
    epochs = np.arange(1, curves.n_epochs + 1)
    figure = new_figure(6.8, 2.8, layout="constrained")
    loss_ax, acc_ax = figure.subplots(1, 2)
    loss_ax.plot(epochs, curves.loss, color=NAVY, label="training")
    loss_ax.plot(epochs, curves.val_loss, color=RED, label="validation")
    acc_ax.plot(epochs, curves.train_score, color=NAVY, label="training")
    acc_ax.plot(epochs, curves.val_score, color=RED, label="validation")
    acc_ax.plot(epochs, curves.test_score, color=TEAL, label="test")
    loss_ax.set_ylabel("loss", fontsize=10)
    acc_ax.set_ylabel("accuracy", fontsize=10)
    for axes in (loss_ax, acc_ax):
        axes.set_xlabel("epoch", fontsize=10)
        axes.tick_params(labelsize=10)
        if decision is not None:
            if decision.stopped:
                axes.axvline(
                    decision.stop_epoch,
                    color=GREY,
                    linestyle="--",
                    linewidth=1.3,
                    label="rule stops",
                )
            axes.axvline(decision.best_epoch, color=GOLD, linewidth=2.2, label="weights kept")
    loss_ax.set_title("loss", fontsize=10)
    acc_ax.set_title("accuracy", fontsize=10)
    handles, labels = acc_ax.get_legend_handles_labels()
    figure.legend(handles, labels, loc="outside lower center", ncol=5, fontsize=10, frameon=False)
    return figure


def plot_learning_curve(sizes, train, validation):
    """Accuracy against training-set size (log axis): mean over rows, range shaded."""
    figure = new_figure(6.0, 2.9, layout="constrained")
    axes = figure.subplots()
    for values, colour, marker, label in (
        (np.asarray(train), NAVY, "o", "training"),
        (np.asarray(validation), RED, "s", "validation"),
    ):
        axes.fill_between(sizes, values.min(0), values.max(0), color=colour, alpha=0.15)
        axes.plot(sizes, values.mean(0), marker + "-", color=colour, label=label)
    axes.set_xscale("log", base=2)
    axes.set_xticks(sizes, [str(s) for s in sizes])
    axes.set_xlabel("training examples", fontsize=10)
    axes.set_ylabel("accuracy", fontsize=10)
    axes.tick_params(labelsize=10)
    axes.legend(fontsize=10, loc="lower right")
    return figure


def plot_dropout_sweep(ps, train, test, title=""):
    """Training and test accuracy against the drop probability: mean, range shaded."""
    figure = new_figure(6.0, 2.9, layout="constrained")
    axes = figure.subplots()
    for values, colour, marker, label in (
        (np.asarray(train), NAVY, "o", "training"),
        (np.asarray(test), TEAL, "s", "test"),
    ):
        axes.fill_between(ps, values.min(0), values.max(0), color=colour, alpha=0.15)
        axes.plot(ps, values.mean(0), marker + "-", color=colour, label=label)
    axes.set_xticks(ps)
    axes.set_xlabel("drop probability p", fontsize=10)
    axes.set_ylabel("accuracy", fontsize=10)
    axes.tick_params(labelsize=10)
    if title:
        axes.set_title(title, fontsize=10)
    axes.legend(fontsize=10, loc="lower left")
    return figure
