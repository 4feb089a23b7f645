"""Explorer runs as animated GIFs for slides: ``make animations`` (``_build/animations/``).

Each animation replays one setting of an explorer step by step, with the explorer's own
engine computations and colours, and is written with matplotlib's ``PillowWriter`` (GIF;
Pillow is pinned by the course, no ffmpeg needed). Beside each ``NAME.gif`` goes a
``NAME.txt`` caption: what the animation shows and the numbers it ends on, computed by
the same run, ready to paste under a slide or use as the picture's alt text.

- :func:`descent_animation`: chapter 1's gradient descent on the line fit's loss surface,
  the path over the contour map and the loss per step;
- :func:`race_animation`: chapter 10's optimizer race, the racers' paths on a 2-D surface
  and their loss above the lowest per step;
- :func:`playground_animation`: a seeded Playground training run (chapters 2 and 12), the
  network's output over the plane with the training points every few epochs and the
  training and test loss per epoch.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from matplotlib.animation import FuncAnimation, PillowWriter

from widgets.display.figures import new_figure
from widgets.display.palette import BLACK, GOLD, INK, MID_GREY, NAVY, RED, WHITE, ramp_colours
from widgets.engine.surfaces import get_surface
from widgets.engine.validation import check_integer, check_number
from widgets.explorers.descent import gradient_descent, line_fit_surface
from widgets.explorers.descent.figures import draw_contours
from widgets.explorers.optimizers import PRESETS, RACERS, race_run
from widgets.explorers.optimizers.race import FLOOR, STYLES, draw_surface
from widgets.explorers.playground import run_playground
from widgets.explorers.playground.figures import output_over_plane, plane_image
from widgets.explorers.playground.render import DOMAIN, FEATURE_LABELS, POINT_STROKES

#: Size of every animation, in inches at :data:`DPI` (640 × 320 pixels).
WIDTH, HEIGHT, DPI = 6.4, 3.2, 100


@dataclass(frozen=True)
class Animation:
    """An animation written to disk: the GIF, its caption file and what they hold."""

    gif: Path
    caption_file: Path
    caption: str
    frames: int
    size: tuple  # (width, height) in pixels


def _save(figure, update, frames: int, path: Path, fps: int, caption: str) -> Animation:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    animation = FuncAnimation(figure, update, frames=frames, blit=False, repeat=False)
    animation.save(path, writer=PillowWriter(fps=fps), dpi=DPI)
    caption_file = path.with_suffix(".txt")
    caption_file.write_text(caption + "\n", encoding="utf-8")
    size = (round(WIDTH * DPI), round(HEIGHT * DPI))
    return Animation(path, caption_file, caption, frames, size)


def descent_animation(
    path, start=(-1.0, 3.0), learning_rate=0.05, steps=40, decay=0.0, fps=8
) -> Animation:
    """Gradient descent on chapter 1's surface, one frame per step (and the start).

    The arguments are those of :class:`~widgets.explorers.descent.DescentExplorer`
    (its defaults too). A run that diverges is shown up to its last finite step and the
    caption says so.
    """
    fps = check_integer(fps, "fps", low=1, high=50)
    surface = line_fit_surface()
    run = gradient_descent(surface, start, learning_rate, steps, decay)
    n = len(run.path)
    figure = new_figure(WIDTH, HEIGHT, dpi=DPI, layout="constrained")
    map_axes, loss_axes = figure.subplots(1, 2, width_ratios=[1.1, 1])
    draw_contours(map_axes, surface, alpha=0.7)
    map_axes.plot(*surface.minimum, marker="*", markersize=12, color=GOLD, markeredgecolor=BLACK)
    map_axes.plot(*run.path[0], "o", color=WHITE, markeredgecolor=RED, markersize=6)
    map_axes.set_xlim(*surface.w_range)
    map_axes.set_ylim(*surface.b_range)
    map_axes.set_xlabel("weight w")
    map_axes.set_ylabel("bias b")
    (trail,) = map_axes.plot([], [], "-o", color=RED, markersize=2.5, linewidth=1.2)
    loss_axes.set_yscale("log")
    loss_axes.set_xlim(0, max(steps, 1))
    low, high = run.losses.min(), run.losses.max()
    loss_axes.set_ylim(low / 1.5, high * 1.5)
    loss_axes.set_xlabel("step")
    loss_axes.set_ylabel("training loss")
    loss_axes.axhline(surface.minimum_loss, color=NAVY, linewidth=0.8, linestyle=":")
    (curve,) = loss_axes.plot([], [], color=RED, linewidth=1.5)
    title = figure.suptitle("")

    def update(frame):
        trail.set_data(run.path[: frame + 1, 0], run.path[: frame + 1, 1])
        curve.set_data(np.arange(frame + 1), run.losses[: frame + 1])
        title.set_text(
            f"Gradient descent, learning rate {learning_rate:g}: step {frame}, "
            f"loss {run.losses[frame]:.4g}"
        )
        return trail, curve, title

    ending = (
        f"it diverges after {run.diverged_at} steps"
        if run.diverged
        else f"after {n - 1} steps the loss is {run.losses[-1]:.4g} "
        f"(lowest possible {surface.minimum_loss:.4g})"
    )
    caption = (
        f"Gradient descent on the loss surface of a line fit (chapter 1), from w = "
        f"{run.path[0][0]:g}, b = {run.path[0][1]:g} with learning rate {learning_rate:g}"
        f"{f' decaying by {decay:g} per step' if decay else ''}. Left: the path of the "
        f"weights over the contour map of the loss, the star marking the minimum; right: "
        f"the training loss per step on a log scale. Starting from loss "
        f"{run.losses[0]:.4g}, {ending}."
    )
    return _save(figure, update, n, path, fps, caption)


def race_animation(
    path,
    surface="bowl",
    racers=("sgd", "momentum", "rmsprop", "adam"),
    steps=150,
    every=3,
    momentum=0.9,
    fps=12,
) -> Animation:
    """The optimizer race of chapter 10 on ``surface``, a frame every ``every`` steps.

    The racers and their learning rates are the explorer's
    (:class:`~widgets.explorers.optimizers.OptimizerRace` and its presets).
    """
    steps = check_integer(steps, "steps", low=1, high=500)
    every = check_integer(every, "every", low=1, high=steps)
    fps = check_integer(fps, "fps", low=1, high=50)
    momentum = check_number(momentum, "momentum", low=0, high=0.99)
    field = get_surface(surface)
    rates = {label: PRESETS[field.name][label] for label in racers}
    runs = {label: race_run(field.name, label, rates[label], momentum, steps) for label in racers}
    figure = new_figure(WIDTH, HEIGHT, dpi=DPI, layout="constrained")
    map_axes, loss_axes = figure.subplots(1, 2, width_ratios=[1.05, 1])
    draw_surface(map_axes, field)
    map_axes.set_xlabel("weight x")
    map_axes.set_ylabel("weight y")
    loss_axes.set_yscale("log")
    loss_axes.set_xlim(0, steps)
    loss_axes.set_xlabel("step")
    loss_axes.set_ylabel("loss above the lowest")
    gaps = {
        label: np.maximum(np.asarray(run.losses) - field.minimum_loss, FLOOR)
        for label, run in runs.items()
    }
    every_gap = np.concatenate(list(gaps.values()))
    loss_axes.set_ylim(max(every_gap.min(), FLOOR) / 2, every_gap.max() * 2)
    lines = {}
    for label in racers:
        colour, style = STYLES[label]
        (trail,) = map_axes.plot([], [], color=colour, linestyle=style, linewidth=1.6)
        (curve,) = loss_axes.plot(
            [], [], color=colour, linestyle=style, linewidth=1.6, label=RACERS[label][1]
        )
        lines[label] = trail, curve
    loss_axes.legend(loc="upper right", fontsize=7, frameon=False)
    title = figure.suptitle("")
    frames = steps // every + 1

    def update(frame):
        shown = frame * every
        for label, (trail, curve) in lines.items():
            run = runs[label]
            k = min(shown, len(run.path) - 1)
            trail.set_data(run.path[: k + 1, 0], run.path[: k + 1, 1])
            curve.set_data(np.arange(k + 1), gaps[label][: k + 1])
        title.set_text(f"Optimizer race on the {field.title.lower()}: step {shown}")
        return title

    finals = "; ".join(
        f"{RACERS[label][1]} (rate {rates[label]:g}) "
        + (
            "diverged"
            if getattr(run, "diverged", False)
            else f"ends {gaps[label][-1]:.2g} above the lowest loss"
        )
        for label, run in runs.items()
    )
    caption = (
        f"The optimizer race of chapter 10 on the {field.title.lower()}: {steps} steps of "
        f"{', '.join(RACERS[label][1] for label in racers)} from the same start, each at the "
        f"learning rate the explorer presets for this surface (momentum {momentum:g}). Left: "
        f"their paths over the contours of the loss, the star marking the minimum; right: "
        f"the loss above the lowest per step, on a log scale. {finals}."
    )
    return _save(figure, update, frames, path, fps, caption)


def playground_animation(path, epochs=150, every=5, fps=10, **settings) -> Animation:
    """A Playground training run, a frame at epoch 0 and every ``every`` epochs after.

    ``settings`` are the :class:`~widgets.explorers.playground.Playground`'s keywords
    (``dataset``, ``noise``, ``hidden``, ``learning_rate``, ``seed``, ...), with its
    defaults: the circle, features X₁ and X₂, hidden layers of 4 and 2 tanh neurons,
    learning rate 0.03, seed 0. The run is the explorer's own session
    (:func:`~widgets.explorers.playground.run_playground`), trained one epoch at a time as
    play mode does, so ``run_playground(epochs, **settings)`` ends on the same numbers.
    Left, the network's output over the plane as the chapters' figures draw it, with the
    training points (and the test points, outlined in black, with
    ``show_test_data=True``); right, the training (black) and test (grey) loss per epoch,
    the colours of the explorer's loss chart. A run that diverges stops there, as the
    explorer does, and the caption says so.
    """
    epochs = check_integer(epochs, "epochs", low=1, high=2000)
    every = check_integer(every, "every", low=1, high=epochs)
    fps = check_integer(fps, "fps", low=1, high=50)
    session = run_playground(0, **settings)
    config = session.config
    shown = [(0, output_over_plane(session))]
    while session.epoch < epochs and session.train_epoch():
        if session.epoch % every == 0 or session.epoch == epochs:
            shown.append((session.epoch, output_over_plane(session)))
    if shown[-1][0] != session.epoch:  # diverged between two frames: show where it stopped
        shown.append((session.epoch, output_over_plane(session)))
    history = np.array(session.history)
    figure = new_figure(WIDTH, HEIGHT, dpi=DPI, layout="constrained")
    plane_axes, loss_axes = figure.subplots(1, 2, width_ratios=[1, 1.15])
    point_sets = [(session.X_train, session.y_train, POINT_STROKES["train"])]
    if config.show_test_data:
        point_sets.append((session.X_test, session.y_test, POINT_STROKES["test"]))
    for X, y, stroke in point_sets:
        plane_axes.scatter(
            X[:, 0],
            X[:, 1],
            c=ramp_colours(y) / 255.0,
            s=7,
            edgecolors=stroke,
            linewidths=0.4,
            zorder=2,
        )
    loss_axes.set_xlim(0, epochs)
    loss_axes.set_ylim(0, 1.05 * max(float(np.nanmax(history)), 1e-3))
    loss_axes.set_xlabel("epoch")
    loss_axes.set_ylabel("loss")
    (train_curve,) = loss_axes.plot([], [], color=INK, linewidth=1.4, label="training")
    (test_curve,) = loss_axes.plot([], [], color=MID_GREY, linewidth=1.4, label="test")
    loss_axes.legend(loc="upper right", fontsize=8, frameon=False)
    title = figure.suptitle("")

    def update(frame):
        epoch, output = shown[frame]
        for image in list(plane_axes.images):
            image.remove()
        plane_image(plane_axes, output)
        plane_axes.set_xlim(*DOMAIN)
        plane_axes.set_ylim(*DOMAIN)
        train_curve.set_data(np.arange(epoch + 1), history[: epoch + 1, 0])
        test_curve.set_data(np.arange(epoch + 1), history[: epoch + 1, 1])
        title.set_text(f"Playground, {config.dataset} data: epoch {epoch}")
        loss_axes.set_title(
            f"training loss {history[epoch, 0]:.3f}, test loss {history[epoch, 1]:.3f}",
            fontsize=9,
        )
        return train_curve, test_curve, title

    features = ", ".join(FEATURE_LABELS[name] for name in config.features)
    sizes = [str(n) for n in config.hidden]
    neurons = f"{config.activation} neurons"
    hidden = (
        "no hidden layer"
        if not sizes
        else f"one hidden layer of {sizes[0]} {neurons}"
        if len(sizes) == 1
        else f"hidden layers of {', '.join(sizes[:-1])} and {sizes[-1]} {neurons}"
    )
    regularization = (
        f", {config.regularization} regularization at rate {config.reg_rate:g}"
        if config.regularization
        else ""
    )
    colour = (
        "their class's colour"
        if config.problem == "classification"
        else "the colour of their target value"
    )
    start = f"from training loss {history[0, 0]:.3f} and test loss {history[0, 1]:.3f}"
    final = f"training loss {history[-1, 0]:.3f} and test loss {history[-1, 1]:.3f}"
    ending = (
        f"Starting {start}, the run diverged and the explorer stopped it after "
        f"{session.epoch} epochs, with {final}."
        if session.diverged
        else f"Starting {start}, after {session.epoch} epochs it ends with {final}."
    )
    caption = (
        f"A TensorFlow Playground training run (chapters 2 and 12): the {config.dataset} "
        f"data set ({config.problem}, noise {config.noise}%, {config.train_percent}% of the "
        f"points for training, seed {config.seed}), features {features}, {hidden}, "
        f"learning rate {config.learning_rate:g}, batch size {config.batch_size}"
        f"{regularization}. Left: the network's output over the plane every {every} epochs "
        f"(blue +1, orange −1) with the training points in {colour}; right: the training "
        f"(black) and test (grey) loss per epoch. {ending}"
    )
    return _save(figure, update, len(shown), path, fps, caption)


def make_animations(out_dir) -> list[Animation]:
    """The animations for slides: the descent explorer's default run and a run at a rate
    that zig-zags, the optimizer race on the explorer's default surface, and the
    Playground's default setting (the circle) trained for 150 epochs."""
    out_dir = Path(out_dir)
    return [
        descent_animation(out_dir / "descent_path.gif"),
        descent_animation(out_dir / "descent_zigzag.gif", learning_rate=0.25, steps=30),
        race_animation(out_dir / "optimizer_race.gif"),
        playground_animation(out_dir / "playground_training.gif"),
    ]
