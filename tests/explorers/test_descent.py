"""Chapter 1's explorer and the gradient-descent helpers behind it."""

from __future__ import annotations

import base64
import re

import numpy as np
import pytest
from matplotlib.text import Text

from widgets.display.images import figure_png
from widgets.explorers import descent
from widgets.explorers.descent import (
    DescentExplorer,
    centred_weights,
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


def test_hessian_is_the_same_at_every_point(surface):
    # The chapter's point: the valley's shape does not depend on the weights.
    for point in [(0.0, 0.0), (3.0, -4.0), (-1.0, 3.0), (1.4, 2.2)]:
        np.testing.assert_allclose(surface.hessian_at(point), surface.hessian, atol=1e-9)


def test_centring_keeps_the_line_and_rounds_the_valley(surface):
    centred = line_fit_surface(centred=True)
    np.testing.assert_allclose(centred.x.mean(), 0.0, atol=1e-12)
    np.testing.assert_allclose(centred.y, surface.y)
    # The same best line: w* unchanged, b* = the mean of y = b* + w*·mean x.
    w_star, b_star = surface.minimum
    np.testing.assert_allclose(centred.minimum, [w_star, surface.y.mean()], rtol=1e-10)
    np.testing.assert_allclose(centred.minimum[1], b_star + w_star * surface.x.mean())
    # The Hessian becomes diag(var x, 1).
    np.testing.assert_allclose(centred.hessian, np.diag([surface.x.var(), 1.0]), atol=1e-9)
    assert surface.condition_number > 40 and centred.condition_number < 1.3
    np.testing.assert_allclose(
        critical_learning_rate(centred=True), 2.0 / max(surface.x.var(), 1.0), rtol=1e-9
    )
    # The map shows the centred minimum.
    assert centred.b_range[0] < centred.minimum[1] < centred.b_range[1]


@pytest.mark.parametrize("point", [(-1.0, 3.0), (0.0, 0.0), (4.0, -4.0)])
def test_centred_weights_draw_the_same_line(surface, point):
    centred = line_fit_surface(centred=True)
    assert centred.loss(centred_weights(point)) == pytest.approx(surface.loss(point), rel=1e-12)


def test_centring_speeds_descent_up(surface):
    target = 1.01 * surface.minimum_loss
    raw = gradient_descent(surface, (-1.0, 3.0), 0.25, 200)
    centred = line_fit_surface(centred=True)
    fast = gradient_descent(centred, centred_weights((-1.0, 3.0)), 0.25, 200)
    assert fast.steps_to_reach(target) < raw.steps_to_reach(target) / 3
    assert gradient_descent(surface, (-1.0, 3.0), 1.0, 50).diverged
    assert not gradient_descent(centred, centred_weights((-1.0, 3.0)), 1.0, 50).diverged


@pytest.mark.parametrize("point", [(0.0, 0.0), (0.8, 0.3), (4.0, -4.0)])
def test_valley_offsets_split_the_loss(surface, point):
    across, along = surface.valley_offsets(point)
    low, high = surface.curvatures
    excess = surface.loss(point) - surface.minimum_loss
    assert excess == pytest.approx(0.5 * (high * across**2 + low * along**2), rel=1e-9)


def test_one_step_from_the_origin_moves_b_away_but_lowers_the_loss(surface):
    # The chapter's example: the step goes mostly across the valley.
    run = gradient_descent(surface, (0.0, 0.0), 0.1, 1)
    b_star = surface.minimum[1]
    assert abs(run.path[1][1] - b_star) > abs(0.0 - b_star)
    assert run.losses[1] < run.losses[0] / 10
    (across0, along0), (across1, along1) = map(surface.valley_offsets, run.path)
    assert abs(across1) < 0.3 * abs(across0) and abs(along1) > 0.95 * abs(along0)


def test_steps_to_reach(surface):
    run = gradient_descent(surface, (-1.0, 3.0), 0.1, 30)
    assert run.steps_to_reach(run.losses[0]) == 0
    assert run.steps_to_reach(surface.minimum_loss / 2) is None
    k = run.steps_to_reach(run.losses[10])
    assert k <= 10 and run.losses[k] <= run.losses[10]


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


def test_summary_does_not_give_the_critical_rate_away():
    # "Things to try" and the quiz ask for it; the caption must not print it.
    critical = critical_learning_rate()
    explorer = DescentExplorer()
    for rate in (0.05, 0.25, 1.0):
        explorer.controls["learning_rate"].value = rate
        text = explorer.summary.value + explorer.status
        for digits in (2, 3, 4):
            assert f"{critical:.{digits}f}" not in text


# ----------------------------------------------------------------- legible figures

#: The book's text column at a 1280-pixel-wide window, in pixels; a wider picture shrinks.
TEXT_WIDTH_PX = 672
MIN_POINTS = 9.0


def _chapter_figures():
    yield "plot_data_and_lines", descent.plot_data_and_lines([(0, 0), (1, 0), (1.5, -1)])
    yield "plot_loss_slice", descent.plot_loss_slice()
    yield "plot_surface", descent.plot_surface()
    yield "plot_learning_rates", descent.plot_learning_rates([0.01, 0.1, 0.25, 0.3])[0]
    yield "plot_centring", descent.plot_centring()[0]
    yield (
        "plot_loss_curves",
        descent.plot_loss_curves([(0.3, 0), (0.3, 0.05), (0.1, 0), (0.25, 0)])[0],
    )
    yield "DescentExplorer", DescentExplorer()._figure.figure


@pytest.mark.parametrize("name, figure", list(_chapter_figures()), ids=lambda v: str(v)[:20])
def test_figures_are_legible_at_the_text_width(name, figure):
    """No text under 9 pt as shown in the book's column (a wide picture is scaled down)."""
    figure.canvas.draw()
    width_px = figure.get_figwidth() * figure.dpi
    shrink = min(1.0, TEXT_WIDTH_PX / width_px)
    small = [
        (t.get_text(), t.get_fontsize())
        for t in figure.findobj(Text)
        if t.get_visible() and t.get_text().strip() and t.get_fontsize() * shrink < MIN_POINTS
    ]
    assert not small, f"{name}: text under {MIN_POINTS} pt at the text width: {small}"
    # The picture as the chapter stores it (cropped to what is drawn) fits the column, so
    # it is shown at its own size.
    png = figure_png(figure)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(png[16:20], "big") <= TEXT_WIDTH_PX, name


def test_legends_print_the_chapter_precision(surface):
    # The chapter prints w* and b* to four decimals; the figures label them the same way.
    w_star, b_star = surface.minimum
    labels = [
        t.get_text()
        for f in (descent.plot_loss_slice(), descent.plot_surface())
        for t in f.findobj(Text)
    ]
    assert any(f"w = {w_star:.4f}" in label for label in labels)
    assert any(f"w* = {w_star:.4f}, b* = {b_star:.4f}" in label for label in labels)
