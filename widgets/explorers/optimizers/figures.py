"""Chapter 10's static figures, the numbers they print, and the quiz's computed answers.

Every update below is made by the engine's optimizers (:func:`make_optimizer` or an
engine estimator); the only rule written here is Adam *without* its bias correction,
which the engine does not offer (it is the engine's Adam with the two correction
factors left out, and :func:`adam_first_steps` checks the corrected one against it).
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from ...display.figures import new_figure
from ...display.palette import BLACK, GREY, RED, TEAL
from ...engine import MLPClassifier, make_optimizer
from ...engine.surfaces import get_surface
from ...engine.sweeps import make_dataset
from ...engine.validation import check_integer, check_number
from .race import (
    PRESETS,
    RACERS,
    STYLES,
    _RaceFigure,
    draw_surface,
    race_run,
)

# --------------------------------------------------------------------------- races


def plot_race(surface, labels, steps=150, momentum=0.9, learning_rates=None):
    """The explorer's picture for ``labels`` on ``surface``; returns ``(figure, runs)``.

    Rates are the surface's presets unless ``learning_rates`` (racer → rate) says
    otherwise.
    """
    surface = get_surface(surface)
    rates = dict(PRESETS[surface.name]) | dict(learning_rates or {})
    runs = {label: race_run(surface, label, rates[label], momentum, steps) for label in RACERS}
    picture = _RaceFigure(surface)
    picture.draw(runs, set(labels), steps)
    return picture.figure, {label: runs[label] for label in labels}


def uphill_share(run) -> float:
    """The share of a run's steps that went *up* the local slope (step · gradient > 0).

    Pure gradient descent never does; momentum does whenever its velocity carries it past
    the bottom of a valley.
    """
    surface = run.surface
    steps = np.diff(run.path, axis=0)
    gradients = np.array([surface.gradient(point) for point in run.path[:-1]])
    return float(np.mean(np.einsum("ij,ij->i", steps, gradients) > 0))


def noisy_losses(name, hyper, surface="bowl", noise=1.0, steps=400, seeds=range(20)):
    """Losses of the engine's optimizer ``name`` fed noisy gradients, one row per seed.

    Each step's gradient is the exact one plus Gaussian noise of standard deviation
    ``noise`` on each weight: a stand-in for the noise of a mini-batch gradient.
    Returns an array of shape ``(n_seeds, steps)``: the loss after each step.
    """
    surface = get_surface(surface)
    noise = check_number(noise, "noise", low=0)
    steps = check_integer(steps, "steps", low=1, high=100_000)
    rows = []
    for seed in seeds:
        rng = np.random.default_rng(check_integer(seed, "seeds", low=0))
        weights = np.array(surface.start, dtype=float)
        optimizer = make_optimizer(name, [weights], **hyper)
        losses = np.empty(steps)
        for t in range(steps):
            optimizer.step([surface.gradient(weights) + noise * rng.normal(size=2)])
            losses[t] = surface.loss(weights)
        rows.append(losses)
    return np.array(rows)


# --------------------------------------------------------------------------- delta-bar-delta


def delta_bar_delta_rates(surface="bowl", steps=60, lr=0.01, kappa=0.001, phi=0.1, theta=0.7):
    """Run delta-bar-delta on ``surface``; return ``(path, rates)``, rates of shape (steps, 2).

    ``rates[t - 1]`` holds each weight's learning rate used at step ``t`` (read from the
    engine optimizer after each step).
    """
    surface = get_surface(surface)
    steps = check_integer(steps, "steps", low=1, high=10_000)
    weights = np.array(surface.start, dtype=float)
    optimizer = make_optimizer(
        "delta_bar_delta", [weights], lr=lr, kappa=kappa, phi=phi, theta=theta
    )
    path, rates = [weights.copy()], []
    for _ in range(steps):
        optimizer.step([surface.gradient(weights)])
        path.append(weights.copy())
        rates.append(optimizer.rates[0].copy())
    return np.array(path), np.array(rates)


def plot_delta_bar_delta(surface="bowl", steps=60, lr=0.01, kappa=0.001):
    """Delta-bar-delta's path and its two per-weight learning rates against the step."""
    surface = get_surface(surface)
    path, rates = delta_bar_delta_rates(surface, steps, lr, kappa)
    figure = new_figure(6.6, 3.3, layout="constrained")
    map_axes, rate_axes = figure.subplots(1, 2, width_ratios=[1, 1.1])
    draw_surface(map_axes, surface)
    colour = STYLES["delta_bar_delta"][0]
    map_axes.plot(path[:, 0], path[:, 1], "-o", color=colour, markersize=2.5, linewidth=1.4)
    map_axes.set_xlabel("weight x")
    map_axes.set_ylabel("weight y")
    map_axes.set_title(f"Path on {surface.title}", fontsize=10.5)
    t = np.arange(1, steps + 1)
    rate_axes.plot(t, rates[:, 0], color=RED, linewidth=2, label="rate of x")
    rate_axes.plot(t, rates[:, 1], color=TEAL, linewidth=2, linestyle="--", label="rate of y")
    rate_axes.axhline(lr, color=GREY, linewidth=1, linestyle=":")
    rate_axes.set_yscale("log")
    rate_axes.set_xlabel("step")
    rate_axes.set_ylabel("learning rate (log)")
    rate_axes.set_title("Each weight's own rate", fontsize=10.5)
    rate_axes.legend(fontsize=9.5, loc="upper left")
    rate_axes.grid(True, alpha=0.3)
    return figure, path, rates


# --------------------------------------------------------------------------- Adam's first steps


def adam_first_steps(gradients, lr=0.001, betas=(0.9, 0.999), eps=1e-8, bias_correction=True):
    """The size of each of Adam's steps on one weight, divided by ``lr``.

    With ``bias_correction`` the steps are the engine's (``make_optimizer("adam")``).
    Without it, the same moving averages ``m`` and ``v`` are used as they are:
    ``step = lr * m / (sqrt(v) + eps)``, which is what the correction factors
    ``1 / (1 - beta1**t)`` and ``1 / (1 - beta2**t)`` fix: both averages start at 0, so
    early on they are too small, ``v`` (with ``beta2`` near 1) far more than ``m``.
    """
    gradients = np.asarray(gradients, dtype=float).ravel()
    beta_1, beta_2 = betas
    if bias_correction:
        weight = np.zeros(1)
        optimizer = make_optimizer("adam", [weight], lr=lr, betas=betas, eps=eps)
        sizes = []
        for g in gradients:
            before = weight[0]
            optimizer.step([np.array([g])])
            sizes.append(abs(weight[0] - before) / lr)
        return np.array(sizes)
    m = v = 0.0
    sizes = []
    for g in gradients:
        m = beta_1 * m + (1 - beta_1) * g
        v = beta_2 * v + (1 - beta_2) * g * g
        sizes.append(abs(m / (np.sqrt(v) + eps)))
    return np.array(sizes)


def rmsprop_first_steps(gradients, lr=0.01, alpha=0.99):
    """The size of each of RMSprop's steps (the engine's) on one weight, divided by ``lr``."""
    weight = np.zeros(1)
    optimizer = make_optimizer("rmsprop", [weight], lr=lr, alpha=alpha)
    sizes = []
    for g in np.asarray(gradients, dtype=float).ravel():
        before = weight[0]
        optimizer.step([np.array([g])])
        sizes.append(abs(weight[0] - before) / lr)
    return np.array(sizes)


def plot_bias_correction(steps=60, seed=0):
    """Adam's step size (÷ lr) with and without bias correction, and RMSprop's, per step.

    Two gradients for one weight: a constant 1, and noisy ones (mean 1, spread 1).
    Returns the figure and a dict of the curves.
    """
    rng = np.random.default_rng(seed)
    series = {
        "constant gradient 1": np.ones(steps),
        "noisy gradient, mean 1": 1 + rng.normal(size=steps),
    }
    figure = new_figure(6.6, 3.2, layout="constrained")
    axes = figure.subplots(1, 2, sharey=True)
    curves = {}
    t = np.arange(1, steps + 1)
    for ax, (title, grads) in zip(axes, series.items()):
        with_c = adam_first_steps(grads)
        without = adam_first_steps(grads, bias_correction=False)
        rms = rmsprop_first_steps(grads)
        curves[title] = dict(corrected=with_c, uncorrected=without, rmsprop=rms)
        ax.plot(t, with_c, color=RED, linewidth=2, label="Adam")
        ax.plot(t, without, color=BLACK, linewidth=2, linestyle="--", label="Adam, no correction")
        ax.plot(t, rms, color=STYLES["rmsprop"][0], linewidth=1.6, linestyle=":", label="RMSprop")
        ax.set_title(title, fontsize=10.5)
        ax.set_xlabel("step t")
        ax.grid(True, alpha=0.3)
    axes[0].set_ylabel("step size ÷ learning rate")
    axes[0].legend(fontsize=9, loc="upper right")
    return figure, curves


# --------------------------------------------------------------------------- a real network

#: The racers on a network, each with the settings it is commonly used with (torch's
#: defaults; sgd's rate 0.01; momentum 0.9), as arguments of the engine's MLPClassifier.
NETWORK_SETTINGS = {
    "sgd": dict(solver="sgd", learning_rate_init=0.01, momentum=0.0),
    "momentum": dict(solver="sgd", learning_rate_init=0.01, momentum=0.9, nesterovs_momentum=False),
    "nesterov": dict(solver="sgd", learning_rate_init=0.01, momentum=0.9, nesterovs_momentum=True),
    "rprop": dict(solver="rprop", learning_rate_init=0.01),
    "adagrad": dict(solver="adagrad", learning_rate_init=0.01),
    "rmsprop": dict(solver="rmsprop", learning_rate_init=0.01),
    "adam": dict(solver="adam", learning_rate_init=0.001),
}


def network_race(
    seeds=range(3), epochs=40, hidden=(64,), n_train=1000, batch_size=200, settings=None
):
    """Train one digits network per racer and seed; return the losses and accuracies.

    Digits (64 pixels, 10 classes), ``n_train`` training images, the other 797 - or
    what is left - held out; a ReLU hidden layer; mini-batches of ``batch_size``; no
    early stopping (``tol=0``), so every run trains ``epochs`` epochs. ``settings``
    (racer → MLPClassifier arguments) replaces :data:`NETWORK_SETTINGS`.

    Returns
    -------
    dict
        racer → ``{"loss": (n_seeds, epochs) training losses, "accuracy": (n_seeds,)
        held-out accuracies}``.
    """
    epochs = check_integer(epochs, "epochs", low=1, high=1000)
    seeds = [check_integer(seed, "seeds", low=0) for seed in seeds]
    results = {}
    data = {seed: make_dataset("digits", 0.0, n_train, 1797 - n_train, seed) for seed in seeds}
    for label, arguments in (settings or NETWORK_SETTINGS).items():
        losses, accuracies = [], []
        for seed in seeds:
            X, y, X_val, y_val = data[seed]
            model = MLPClassifier(
                hidden,
                max_iter=epochs,
                batch_size=batch_size,
                tol=0.0,
                n_iter_no_change=epochs + 1,
                random_state=seed,
                **arguments,
            )
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                model.fit(X, y)
            losses.append(model.loss_curve_)
            accuracies.append(model.score(X_val, y_val))
        results[label] = dict(loss=np.array(losses), accuracy=np.array(accuracies))
    return results


def plot_network_race(results):
    """Training loss against epoch per racer: the mean over seeds, a band from min to max."""
    figure = new_figure(6.6, 3.8, layout="constrained")
    ax = figure.subplots()
    for label, result in results.items():
        colour, style = STYLES[label]
        loss = result["loss"]
        epochs = np.arange(1, loss.shape[1] + 1)
        ax.plot(
            epochs, loss.mean(0), linestyle=style, color=colour, linewidth=2, label=RACERS[label][1]
        )
        ax.fill_between(epochs, loss.min(0), loss.max(0), color=colour, alpha=0.15, linewidth=0)
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("training loss (log)")
    ax.set_title("Digits, one hidden layer of 64 ReLU units", fontsize=10.5)
    ax.grid(True, alpha=0.3)
    figure.legend(loc="outside right center", fontsize=9.5, frameon=False)
    return figure


# --------------------------------------------------------------------------- quiz answers


def momentum_step(gradient=0.5, learning_rate=0.1, momentum=0.9, previous_step=-0.2):
    """The weight change ``Δw(t) = -η g + μ Δw(t-1)``, made by the engine's sgd."""
    check_number(previous_step, "previous_step")
    weight = np.zeros(1)
    optimizer = make_optimizer("sgd", [weight], lr=learning_rate, momentum=momentum)
    optimizer.velocities[0][:] = previous_step  # the engine's velocity is Δw(t-1)
    optimizer.step([np.array([float(gradient)])])
    return float(weight[0])


def adagrad_step(gradients=(2.0, 1.0, 2.0), learning_rate=0.1):
    """The weight change of Adagrad's last step after ``gradients`` (engine's Adagrad)."""
    weight = np.zeros(1)
    optimizer = make_optimizer("adagrad", [weight], lr=learning_rate)
    before = 0.0
    for g in gradients:
        before = weight[0]
        optimizer.step([np.array([float(g)])])
    return float(weight[0] - before)


def adam_first_step_size(gradient=5.0, learning_rate=0.001, bias_correction=True):
    """The size of Adam's first step on one weight with this gradient."""
    return float(
        adam_first_steps([gradient], lr=learning_rate, bias_correction=bias_correction)[0]
        * learning_rate
    )


def rprop_step_after(signs=(1, 1, 1), learning_rate=0.01):
    """Rprop's step size after gradients of these signs (engine's Rprop, η+ = 1.2)."""
    weight = np.zeros(1)
    optimizer = make_optimizer("rprop", [weight], lr=learning_rate)
    for s in signs:
        optimizer.step([np.array([float(s)])])
    return float(optimizer.step_sizes[0][0])
