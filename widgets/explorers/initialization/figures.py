"""Chapter 3's static figures: signal propagation, the wrong-but-confident output, and a
training run whose loss drops twice. Every number is computed by the engine."""

from __future__ import annotations

import numpy as np
from sklearn.datasets import make_moons

from ...display.figures import new_figure
from ...display.palette import GREY, NAVY, RED, SERIES, TEAL
from ...engine.activations import derivative, logistic
from ...engine.statistics import layer_stds, make_network, train_and_record

__all__ = [
    "signal_propagation",
    "plot_signal_propagation",
    "wrong_but_confident",
    "error_signal",
    "plot_wrong_but_confident",
    "two_drop_runs",
    "plot_loss_drops",
]


def signal_propagation(
    activation="tanh",
    scheme="glorot",
    multiplier=1.0,
    seeds=(0, 1, 2),
    depth=10,
    width=100,
    n_samples=500,
):
    """Std of activations per hidden layer and of weight gradients per layer, one row per
    seed, for a ``depth``-hidden-layer network of ``width`` units at initialization.

    Inputs and targets are standard normal (the seed draws them and the weights); the
    output is linear with squared error.
    """
    act, grad = [], []
    for seed in seeds:
        rng = np.random.RandomState(100 + seed)
        X = rng.normal(size=(n_samples, width))
        Y = rng.normal(size=(n_samples, 1))
        sizes = [width, *([width] * depth), 1]
        net = make_network(sizes, scheme, activation, multiplier, "identity", seed)
        a, g = layer_stds(net, X, Y)
        act.append(a)
        grad.append(g)
    return np.array(act), np.array(grad)


def plot_signal_propagation(settings, activation="tanh", seeds=(0, 1, 2)):
    """Two panels: std of activations and of weight gradients, layer by layer, log scale.

    ``settings`` is a list of ``(label, scheme, multiplier)``; each is drawn for every
    seed (thin lines, one colour per setting).
    """
    figure = new_figure(6.8, 3.4, layout="constrained")
    left, right = figure.subplots(1, 2)
    for (label, scheme, multiplier), colour in zip(settings, SERIES):
        act, grad = signal_propagation(activation, scheme, multiplier, seeds)
        for k in range(len(seeds)):
            left.plot(
                np.arange(1, act.shape[1] + 1),
                act[k],
                color=colour,
                marker="o",
                markersize=3,
                linewidth=1,
                label=label if k == 0 else None,
            )
            right.plot(
                np.arange(1, grad.shape[1] + 1),
                grad[k],
                color=colour,
                marker="o",
                markersize=3,
                linewidth=1,
                label=label if k == 0 else None,
            )
    for ax, title in ((left, "activations"), (right, "weight gradients")):
        ax.set_yscale("log")
        ax.set_xlabel("layer", fontsize=10)
        ax.set_title(f"std of {title}", fontsize=10)
        ax.tick_params(labelsize=10)
    left.legend(fontsize=9)
    return figure


def wrong_but_confident(net_inputs, target=1.0):
    """A single logistic output with squared error, as its net input varies.

    Returns ``(z, error, signal)``: the output ``z = f(net)``, the error
    ``E = (t - z)^2 / 2`` and the error signal ``(t - z) f'(net)`` (minus dE/dnet).
    """
    net_inputs = np.asarray(net_inputs, dtype=float)
    z = logistic(net_inputs)
    error = 0.5 * (target - z) ** 2
    signal = (target - z) * derivative("logistic", net_inputs)
    return z, error, signal


def plot_wrong_but_confident(target=1.0):
    """Error and error signal of one sigmoid output with squared error, target 1."""
    net = np.linspace(-10, 4, 281)
    z, error, signal = wrong_but_confident(net, target)
    figure = new_figure(6.6, 3.2, layout="constrained")
    ax = figure.subplots()
    ax.plot(net, error, color=NAVY, linewidth=2, label="error $(t-z)^2/2$")
    ax.plot(net, signal, color=RED, linewidth=2, label="error signal $(t-z)f'(net)$")
    ax.axvspan(-10, -3.64, color=GREY, alpha=0.15, label="saturated (slope < 10% of max)")
    ax.set_xlabel("net input of the output unit (target t = 1)", fontsize=10)
    ax.legend(fontsize=9, loc="upper right")
    ax.tick_params(labelsize=10)
    return figure


def two_drop_runs(seeds=(0, 1, 2, 3), epochs=3000, learning_rate=0.5):
    """Train 2-8-1 logistic networks from small weights (``N(0, 0.01^2)``) on two moons.

    Full-batch SGD with momentum 0.9. Returns a list of
    :class:`~widgets.engine.statistics.TrainingRecord`, one per seed.
    """
    X, y = make_moons(200, noise=0.1, random_state=0)
    Y = y.reshape(-1, 1).astype(float)
    records = []
    for seed in seeds:
        net = make_network([2, 8, 1], "normal", "logistic", 0.1, random_state=seed)
        records.append(train_and_record(net, X, Y, epochs, learning_rate))
    return records


def plot_loss_drops(records, seeds):
    """Loss per epoch (top) and saturated share of the hidden layer (bottom), per seed."""
    figure = new_figure(6.8, 4.2, layout="constrained")
    top, bottom = figure.subplots(2, 1, sharex=True)
    colours = [NAVY, RED, TEAL, *SERIES[3:]]
    for record, seed, colour in zip(records, seeds, colours):
        top.plot(record.losses, color=colour, linewidth=1.5, label=f"seed {seed}")
        bottom.plot(record.saturation[:, 0], color=colour, linewidth=1.5)
    top.set_ylabel("training loss", fontsize=10)
    bottom.set_ylabel("saturated share", fontsize=10)
    bottom.set_xlabel("epoch", fontsize=10)
    top.legend(fontsize=9, ncol=2)
    for ax in (top, bottom):
        ax.tick_params(labelsize=10)
    return figure


def error_signal(net_input=-5.0, target=1.0):
    """The error signal ``(t - z) f'(net)`` of one logistic output with squared error."""
    return float(wrong_but_confident(np.array([net_input]), target)[2][0])
