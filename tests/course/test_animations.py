"""Explorer runs as GIFs: frame count, size, and a caption that matches the run."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from widgets.course.animations import (
    DPI,
    HEIGHT,
    WIDTH,
    descent_animation,
    playground_animation,
    race_animation,
)
from widgets.explorers.descent import gradient_descent, line_fit_surface
from widgets.explorers.playground import run_playground

SIZE = (round(WIDTH * DPI), round(HEIGHT * DPI))


def _frames(path):
    with Image.open(path) as image:
        assert image.format == "GIF"
        return image.n_frames, image.size


def test_descent_animation_has_a_frame_per_step(tmp_path):
    animation = descent_animation(tmp_path / "descent.gif", learning_rate=0.1, steps=6)
    assert _frames(animation.gif) == (7, SIZE) == (animation.frames, animation.size)
    run = gradient_descent(line_fit_surface(), (-1.0, 3.0), 0.1, 6)
    caption = animation.caption_file.read_text(encoding="utf-8")
    assert caption.strip() == animation.caption
    assert f"the loss is {run.losses[-1]:.4g}" in caption


def test_a_diverging_descent_stops_and_the_caption_says_so(tmp_path):
    animation = descent_animation(tmp_path / "diverged.gif", learning_rate=0.9, steps=30)
    run = gradient_descent(line_fit_surface(), (-1.0, 3.0), 0.9, 30)
    assert run.diverged
    assert _frames(animation.gif)[0] == len(run.path) < 31
    assert f"diverges after {run.diverged_at} steps" in animation.caption


def test_race_animation_frames_and_caption(tmp_path):
    animation = race_animation(
        tmp_path / "race.gif", racers=("sgd", "adam"), steps=12, every=4, fps=5
    )
    assert _frames(animation.gif) == (4, SIZE)
    assert "SGD" in animation.caption and "Adam" in animation.caption
    assert animation.caption_file.is_file()
    # the frames differ: the paths grow
    with Image.open(animation.gif) as image:
        first = np.asarray(image.convert("RGB"))
        image.seek(image.n_frames - 1)
        last = np.asarray(image.convert("RGB"))
    assert np.abs(first.astype(int) - last.astype(int)).sum() > 0


#: A small seeded Playground setting: quick to train, and learning something in 12 epochs.
PLAYGROUND = dict(dataset="circle", noise=10, hidden=(3,), learning_rate=0.1, seed=3)


def _first_and_last(path):
    with Image.open(path) as image:
        first = np.asarray(image.convert("RGB")).astype(int)
        image.seek(image.n_frames - 1)
        return first, np.asarray(image.convert("RGB")).astype(int)


def test_playground_animation_frames_and_final_losses(tmp_path):
    animation = playground_animation(tmp_path / "playground.gif", epochs=12, every=4, **PLAYGROUND)
    # epochs 0, 4, 8 and 12
    assert _frames(animation.gif) == (4, SIZE) == (animation.frames, animation.size)
    assert animation.caption_file.read_text(encoding="utf-8").strip() == animation.caption
    run = run_playground(12, **PLAYGROUND)  # an independent run of the same setting
    assert run.epoch == 12 and not run.diverged
    assert run.train_loss < run.history[0][0]
    caption = animation.caption
    assert f"after 12 epochs it ends with training loss {run.train_loss:.3f} " in caption
    assert f"and test loss {run.test_loss:.3f}." in caption
    assert f"from training loss {run.history[0][0]:.3f} " in caption
    assert "circle data set" in caption and "one hidden layer of 3 tanh neurons" in caption
    assert "seed 3" in caption and "learning rate 0.1," in caption
    first, last = _first_and_last(animation.gif)
    assert np.abs(first - last).sum() > 0  # the output and the curves change


def test_playground_animation_ends_on_the_last_epoch(tmp_path):
    animation = playground_animation(tmp_path / "p.gif", epochs=7, every=3, **PLAYGROUND)
    assert animation.frames == _frames(animation.gif)[0] == 4  # epochs 0, 3, 6 and 7
    run = run_playground(7, **PLAYGROUND)
    assert f"training loss {run.train_loss:.3f} and test loss {run.test_loss:.3f}." in (
        animation.caption
    )


def test_a_diverging_playground_run_stops_and_the_caption_says_so(tmp_path):
    setting = dict(dataset="circle", hidden=(8, 8), learning_rate=10, seed=0)
    run = run_playground(60, **setting)
    assert run.diverged and run.epoch < 60
    animation = playground_animation(tmp_path / "d.gif", epochs=60, every=50, **setting)
    assert f"stopped it after {run.epoch} epochs" in animation.caption
    assert f"training loss {run.train_loss:.3f} and test loss {run.test_loss:.3f}." in (
        animation.caption
    )
    # epoch 0, 50 if reached, and the epoch it stopped at
    assert animation.frames == _frames(animation.gif)[0] == 2 + (run.epoch > 50)


def test_bad_arguments_are_refused(tmp_path):
    with pytest.raises(ValueError, match="every"):
        race_animation(tmp_path / "x.gif", steps=10, every=0)
    with pytest.raises(ValueError, match="learning_rate"):
        descent_animation(tmp_path / "x.gif", learning_rate=-1)
    with pytest.raises(ValueError, match="every"):
        playground_animation(tmp_path / "x.gif", epochs=5, every=6)
    with pytest.raises(ValueError, match="learning_rate"):
        playground_animation(tmp_path / "x.gif", learning_rate=0.05)
