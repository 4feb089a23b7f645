"""Explorer runs as animated GIFs for slides: ``make animations`` (``_build/animations/``).

Each animation replays one setting of an explorer step by step, with the explorer's own
engine computations and colours, and is written with matplotlib's ``PillowWriter`` (GIF;
Pillow is pinned by the course, no ffmpeg needed). Beside each ``NAME.gif`` goes a
``NAME.txt`` caption: what the animation shows and the numbers it ends on, computed by
the same run, ready to paste under a slide or use as the picture's alt text.

- :func:`descent_animation`: chapter 1's gradient descent on the line fit's loss surface,
  the path over the contour map and the loss per step;
- :func:`race_animation`: chapter 10's optimizer race, the racers' paths on a 2-D surface
  and their loss above the lowest per step.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from matplotlib.animation import FuncAnimation, PillowWriter

from widgets.display.figures import new_figure
from widgets.display.palette import BLACK, GOLD, NAVY, RED, WHITE
from widgets.engine.surfaces import get_surface
from widgets.engine.validation import check_integer, check_number
from widgets.explorers.descent import gradient_descent, line_fit_surface
from widgets.explorers.descent.figures import draw_contours
from widgets.explorers.optimizers import PRESETS, RACERS, race_run
from widgets.explorers.optimizers.race import FLOOR, STYLES, draw_surface

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


def make_animations(out_dir) -> list[Animation]:
    """The animations for slides: the descent explorer's default run and a run at a rate
    that zig-zags, and the optimizer race on the explorer's default surface."""
    out_dir = Path(out_dir)
    return [
        descent_animation(out_dir / "descent_path.gif"),
        descent_animation(out_dir / "descent_zigzag.gif", learning_rate=0.25, steps=30),
        race_animation(out_dir / "optimizer_race.gif"),
    ]
