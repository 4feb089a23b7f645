"""Explorer runs as GIFs: frame count, size, and a caption that matches the run."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from widgets.course.animations import DPI, HEIGHT, WIDTH, descent_animation, race_animation
from widgets.explorers.descent import gradient_descent, line_fit_surface

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


def test_bad_arguments_are_refused(tmp_path):
    with pytest.raises(ValueError, match="every"):
        race_animation(tmp_path / "x.gif", steps=10, every=0)
    with pytest.raises(ValueError, match="learning_rate"):
        descent_animation(tmp_path / "x.gif", learning_rate=-1)
