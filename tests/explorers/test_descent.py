"""Chapter 1's explorer and the gradient-descent helpers behind it."""

from __future__ import annotations

import base64
import re

import numpy as np
import pytest

from widgets.explorers.descent import (
    DescentExplorer,
    critical_learning_rate,
    gradient_descent,
    line_fit_surface,
    parse_point,
)
from widgets.explorers.descent.surface import DIVERGENCE_FACTOR


@pytest.fixture(scope="module")
def surface():
    return line_fit_surface()


def _png_of(explorer) -> bytes:
    match = re.search(r'src="data:image/png;base64,([^"]+)"', explorer.figure.value)
    assert match, "the figure should be an inline PNG"
    return base64.b64decode(match.group(1))


# ----------------------------------------------------------------- the surface and the descent


def test_surface_minimum_is_least_squares_fit(surface):
    # Independent reference: NumPy's least squares for the same line fit.
    design = np.column_stack([surface.x, np.ones_like(surface.x)])
    expected, *_ = np.linalg.lstsq(design, surface.y, rcond=None)
    np.testing.assert_allclose(surface.minimum, expected, rtol=1e-10)
    _, gradient = surface.loss_and_gradient(surface.minimum)
    np.testing.assert_allclose(gradient, 0.0, atol=1e-10)


def test_gradient_matches_finite_differences(surface):
    point = np.array([0.7, -2.3])
    _, gradient = surface.loss_and_gradient(point)
    h = 1e-6
    numeric = [
        (surface.loss(point + h * e) - surface.loss(point - h * e)) / (2 * h) for e in np.eye(2)
    ]
    np.testing.assert_allclose(gradient, numeric, rtol=1e-6)


def test_grid_agrees_with_engine_loss(surface):
    for i, j in [(0, 0), (50, 80), (119, 3)]:
        assert surface.grid_loss[i, j] == pytest.approx(
            surface.loss((surface.grid_w[i, j], surface.grid_b[i, j])), rel=1e-12
        )


def test_hessian_is_the_normal_matrix(surface):
    # For ½·mean((w x + b - y)²) the Hessian is mean([[x², x], [x, 1]]).
    x = surface.x
    expected = np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])
    np.testing.assert_allclose(surface.hessian, expected, rtol=1e-9)


def test_one_step_is_the_update_rule(surface):
    run = gradient_descent(surface, (0.0, 0.0), 0.1, 1)
    _, gradient = surface.loss_and_gradient((0.0, 0.0))
    np.testing.assert_allclose(run.path[1], -0.1 * gradient)
    assert run.losses[1] < run.losses[0]


def test_critical_rate_separates_convergence_from_divergence(surface):
    critical = critical_learning_rate(surface)
    below = gradient_descent(surface, (-1, 3), 0.97 * critical, 200)
    above = gradient_descent(surface, (-1, 3), 1.03 * critical, 200)
    assert not below.diverged and below.losses[-1] < below.losses[0]
    assert above.diverged


def test_small_rate_crawls_and_moderate_rate_gets_closer(surface):
    best = surface.loss(surface.minimum)
    crawl = gradient_descent(surface, (-1, 3), 0.001, 40)
    moderate = gradient_descent(surface, (-1, 3), 0.1, 40)
    assert crawl.losses[-1] - best > moderate.losses[-1] - best
    assert np.all(np.diff(crawl.losses) < 0), "a tiny step on a bowl always goes downhill"


def test_divergence_stops_with_finite_path(surface):
    run = gradient_descent(surface, (-1, 3), 1.0, 200)
    assert run.diverged and 1 <= run.diverged_at < 200
    assert run.status == f"diverged after {run.diverged_at} steps"
    assert np.isfinite(run.path).all() and np.isfinite(run.losses).all()
    assert run.losses.max() <= DIVERGENCE_FACTOR * run.losses[0]


def test_decay_rescues_a_diverging_rate(surface):
    assert gradient_descent(surface, (-1, 3), 0.3, 60).diverged
    rescued = gradient_descent(surface, (-1, 3), 0.3, 60, decay=0.05)
    assert not rescued.diverged
    np.testing.assert_allclose(rescued.learning_rates, 0.3 / (1 + 0.05 * np.arange(60)))


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"learning_rate": 0.0}, ValueError, "learning_rate must be a positive finite number"),
        ({"learning_rate": -0.1}, ValueError, "learning_rate must be a positive finite number"),
        ({"learning_rate": float("nan")}, ValueError, "learning_rate must be a positive finite"),
        ({"learning_rate": "0.1"}, TypeError, "learning_rate must be a positive number"),
        ({"steps": 0}, ValueError, "steps must be at least 1"),
        ({"steps": 2.5}, TypeError, "steps must be a whole number"),
        ({"decay": -1.0}, ValueError, "decay must be a finite number >= 0"),
        ({"start": (1.0,)}, ValueError, "start must be two finite numbers"),
        ({"start": (1.0, float("inf"))}, ValueError, "start must be two finite numbers"),
    ],
)
def test_bad_arguments_get_clear_errors(surface, kwargs, error, message):
    """The package's rule: a wrong type raises TypeError, a wrong value ValueError."""
    arguments = {"start": (0.0, 0.0), "learning_rate": 0.1, "steps": 5, "decay": 0.0} | kwargs
    with pytest.raises(error, match=message):
        gradient_descent(surface, **arguments)


@pytest.mark.parametrize(
    "text, expected", [("-1, 3", (-1.0, 3.0)), ("(2.5 -4)", (2.5, -4.0)), (" 0,0 ", (0.0, 0.0))]
)
def test_parse_point_reads_two_numbers(text, expected):
    assert parse_point(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "1", "1, 2, 3", "1, nan", "1, inf", "one, two"])
def test_parse_point_rejects_with_a_message(text):
    with pytest.raises(ValueError, match="type two numbers"):
        parse_point(text)


# ----------------------------------------------------------------- the explorer, headless


def test_explorer_first_view_is_seeded_and_complete():
    a, b = DescentExplorer(), DescentExplorer()
    np.testing.assert_array_equal(a.path, b.path)
    assert a.path.shape == (41, 2) and a.losses.shape == (41,)
    png = _png_of(a)
    assert png.startswith(b"\x89PNG") and len(png) > 10_000
    assert 'alt="Left: contour map' in a.figure.value
    assert a.status.startswith("40 steps: loss ")
    assert a.message == ""


def test_control_change_redraws_through_the_observer():
    explorer = DescentExplorer()
    before_png, before_count = _png_of(explorer), explorer.redraw_count
    explorer.controls["learning_rate"].value = 0.2
    assert explorer.redraw_count == before_count + 1
    assert _png_of(explorer) != before_png
    np.testing.assert_allclose(
        explorer.path, gradient_descent(explorer.surface, (-1, 3), 0.2, 40).path
    )
    explorer.controls["steps"].value = 10
    assert explorer.path.shape == (11, 2)
    explorer.controls["decay"].value = 0.5
    np.testing.assert_allclose(explorer.run.learning_rates, 0.2 / (1 + 0.5 * np.arange(10)))


def test_diverging_rate_shows_diverged_not_nan():
    explorer = DescentExplorer()
    explorer.controls["learning_rate"].value = 1.0
    assert explorer.status.startswith("diverged after ")
    assert (
        "diverged after" in explorer.status_line.value
        and "nnoe-error" in explorer.status_line.value
    )
    assert "diverged" in explorer.figure.value  # said in the alt text too
    assert np.isfinite(explorer.losses).all()
    assert "nan" not in explorer.summary.value.lower()
    # The controls stay usable: back to a safe rate, back to a normal run.
    explorer.controls["learning_rate"].value = 0.05
    assert not explorer.run.diverged


def test_unreadable_start_shows_message_and_keeps_picture():
    explorer = DescentExplorer()
    png, run = _png_of(explorer), explorer.run
    explorer.controls["start"].value = "over there"
    assert "type two numbers" in explorer.message
    assert "over there" in explorer.status_line.value and "nnoe-error" in explorer.status_line.value
    assert _png_of(explorer) == png and explorer.run is run
    explorer.controls["start"].value = "4, -4"
    assert explorer.message == ""
    np.testing.assert_allclose(explorer.path[0], [4.0, -4.0])


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"learning_rate": 5.0}, ValueError),
        ({"learning_rate": 0.0}, ValueError),
        ({"steps": 500}, ValueError),
        ({"start": (1.0, "x")}, ValueError),
        ({"decay": -0.1}, ValueError),
        ({"decay": 1.5}, ValueError),
        ({"steps": 2.0}, TypeError),
    ],
)
def test_explorer_rejects_bad_constructor_arguments(kwargs, error):
    with pytest.raises(error, match=r"learning_rate|steps|start|decay"):
        DescentExplorer(**kwargs)
