"""Chapter 14's figure: the four panels of one training run (loss, accuracy, gradients,
saturation), used by the diagnose-the-run explorer and by the chapter."""

from __future__ import annotations

import numpy as np

from widgets.display.figures import new_figure
from widgets.display.palette import (
    AMBER,
    DARK_GOLD,
    ERROR,
    GREEN,
    GREY,
    MAGENTA,
    NAVY,
    PURPLE,
    RED,
    TEAL,
)
from widgets.engine.diagnosis import CAUSES, FIXES, Run


def settings_text(settings: dict) -> str:
    """The run's settings in one line, as a practitioner would read them off a script."""
    layers = " × ".join([str(settings["width"])] * settings["depth"])
    init = (
        "Glorot"
        if settings["init"] == "glorot"
        else f"{settings['init']} (scale {settings['init_scale']:g})"
    )
    solver = settings["solver"]
    if solver == "sgd":
        solver = f"SGD (momentum {settings['momentum']:g})"
    return (
        f"{settings['dataset']}, {settings['n_train']} training points; hidden {layers} "
        f"{settings['activation']}; init {init}; {solver}, η = "
        f"{settings['learning_rate_init']:g}; alpha = {settings['alpha']:g}; "
        f"batch {settings['batch_size']}; {settings['epochs']} epochs"
    )


def plot_run(run: Run, title: str, reference: Run | None = None, width=6.4, height=4.6):
    """Four panels of one run against the epoch: losses, accuracies, gradient norms, saturation.

    Top left: training (solid) and validation (dashed) loss; top right: their
    accuracies; bottom left: each layer's weight-gradient norm (log scale, layer 1
    next to the inputs); bottom right: the saturated share of the first hidden layer.
    A diverged run is drawn up to its last finite epoch and says so in red.
    ``reference`` (the run before a fix) is drawn underneath in light grey: its
    training loss, training accuracy, first and last layers' gradient norms and
    saturated share.
    """
    figure = new_figure(width, height)
    axes = figure.subplots(2, 2, sharex=True)
    epochs = run.epochs
    (loss_ax, acc_ax), (grad_ax, sat_ax) = axes
    if reference is not None:
        before = {"color": "#bbbbbb", "linewidth": 2.5, "zorder": 0}
        loss_ax.plot(reference.epochs, reference.loss, label="before the fix", **before)
        acc_ax.plot(reference.epochs, reference.train_accuracy, **before)
        for layer in (0, -1):
            grad_ax.plot(
                reference.epochs, np.maximum(reference.grad_norms[:, layer], 1e-12), **before
            )
        sat_ax.plot(reference.epochs, reference.saturated, **before)
    loss_ax.plot(epochs, run.loss, color=NAVY, label="training")
    loss_ax.plot(epochs, run.val_loss, color=RED, linestyle="--", label="validation")
    loss_ax.set_ylabel("loss")
    acc_ax.plot(epochs, run.train_accuracy, color=NAVY)
    acc_ax.plot(epochs, run.val_accuracy, color=RED, linestyle="--")
    acc_ax.set_ylim(0.4, 1.02)
    acc_ax.set_ylabel("accuracy")
    n_layers = run.grad_norms.shape[1]
    colours = [AMBER, TEAL, GREEN, PURPLE, MAGENTA, DARK_GOLD]
    for layer in range(n_layers):
        norms = np.maximum(run.grad_norms[:, layer], 1e-12)
        if layer == n_layers - 1:
            label, colour = "output layer", GREY
        else:
            label, colour = f"layer {layer + 1}", colours[layer % len(colours)]
        grad_ax.plot(epochs, norms, color=colour, label=label)
    grad_ax.set_yscale("log")
    grad_ax.set_ylabel("gradient norm")
    sat_ax.plot(epochs, run.saturated, color=NAVY)
    sat_ax.set_ylim(-0.02, 1.02)
    sat_ax.set_ylabel("saturated share")
    for ax in (grad_ax, sat_ax):
        ax.set_xlabel("epoch")
    for ax in axes.flat:
        ax.tick_params(labelsize=9)
        ax.yaxis.label.set_size(10)
        ax.xaxis.label.set_size(10)
    if run.diverged:
        loss_ax.set_title(f"diverged at epoch {run.diverged_at}", color=ERROR, fontsize=10)
    # One legend above the panels, so that no label sits on a curve.
    handles, labels = loss_ax.get_legend_handles_labels()
    more_handles, more_labels = grad_ax.get_legend_handles_labels()
    handles, labels = handles + more_handles, labels + more_labels
    columns = min(len(labels), 5)
    rows = -(-len(labels) // columns)
    figure.suptitle(title, fontsize=11, y=0.995)
    top = 0.94
    figure.legend(
        handles,
        labels,
        loc="upper center",
        bbox_to_anchor=(0.5, top),
        ncol=columns,
        fontsize=9,
        frameon=False,
    )
    figure.tight_layout(rect=(0, 0, 1, top - 0.03 * rows))
    return figure


def describe_run(run: Run, what: str, reference: Run | None = None) -> str:
    """Alt text for :func:`plot_run`: the numbers the four panels show."""
    n_layers = run.grad_norms.shape[1]
    end = len(run.loss) - 1
    text = (
        f"{what}: four panels against epochs 0 to {end}. Training loss from "
        f"{run.loss[0]:.3g} to {run.loss[-1]:.3g} (lowest {run.loss.min():.3g}), "
        f"validation loss from {run.val_loss[0]:.3g} to {run.val_loss[-1]:.3g}. "
        f"Accuracy at the end: training {run.train_accuracy[-1]:.0%}, validation "
        f"{run.val_accuracy[-1]:.0%}. Gradient norms at the start, layer 1 to output "
        f"({n_layers} layers): "
        + ", ".join(f"{norm:.2g}" for norm in run.grad_norms[0])
        + f". Saturated share of the first hidden layer: {run.saturated[0]:.0%} at the "
        f"start, {run.saturated[-1]:.0%} at the end."
    )
    if run.diverged:
        text += f" The run diverged at epoch {run.diverged_at}."
    if reference is not None:
        text += (
            f" In light grey, the run before the fix: training loss from "
            f"{reference.loss[0]:.3g} to {reference.loss[-1]:.3g}, training accuracy "
            f"{reference.train_accuracy[-1]:.0%} at the end."
        )
    return text


def cause_options() -> list:
    """(label, key) pairs of the causes, for a dropdown."""
    return [(label, key) for key, (label, _, _) in CAUSES.items()]


def fix_options() -> list:
    """(label, key) pairs of the fixes, for a dropdown."""
    return [(label, key) for key, (label, _) in FIXES.items()]
