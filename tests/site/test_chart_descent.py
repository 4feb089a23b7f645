"""Chapter 1's descent chart: what it draws is the engine's run, and it answers its controls.

The paths are precomputed by the engine and embedded; here the browser picks the run
and its first n steps at settings chosen in this file, and every drawn point of the path
and of the loss curve, and the status line, are compared *exactly* with a fresh run of
:func:`widgets.explorers.descent.gradient_descent` (rounded as embedded). Then the chart
is driven through every control on the built site.
"""

from __future__ import annotations

import pytest
from vegacheck import changes, control_names, drawn_marks, open_figure, range_input, texts

from widgets.explorers.descent import descent_chart, gradient_descent, line_fit_surface
from widgets.explorers.descent.descent_chart import LOG10_RATES, START, rounded

pytestmark = pytest.mark.browser
PAGE = "chapters/01_gradient_descent.html"

# (log10 rate, decay, steps): a crawl, the first view, just under and just over the
# edge 2/λ_max (cut before, at and after the divergence), a diverging rate rescued by
# decay, the largest rate with the largest decay, a single step.
SETTINGS = [
    (-3.0, 0.0, 100),
    (-1.25, 0.0, 40),
    (-0.625, 0.0, 77),
    (-0.5, 0.0, 19),
    (-0.5, 0.0, 20),
    (-0.5, 0.05, 100),
    (-0.25, 0.2, 100),
    (-0.25, 0.05, 6),
    (0.0, 1.0, 63),
    (0.0, 0.0, 3),
    (-2.0, 0.2, 1),
]


def _fresh(lograte, decay, steps):
    return gradient_descent(line_fit_surface(), START, 10.0**lograte, steps, decay)


def _status(lograte, decay, run):
    return f"η₀ = {10.0**lograte:.3g}, decay d = {decay:g}:  {run.status}"


def _marks(marks, kind, name):
    return [d for d in marks[kind] if d.get("_mark", "").startswith(name)]


def test_descent_chart_draws_the_engines_runs(chart_server, page_and_record):
    assert {s[0] for s in SETTINGS} <= set(LOG10_RATES)
    settings = [dict(lograte=r, decay=d, steps=n) for r, d, n in SETTINGS]
    drawn = drawn_marks(chart_server, page_and_record, "descent", descent_chart(), settings)
    for (lograte, decay, steps), marks in zip(SETTINGS, drawn):
        run = _fresh(lograte, decay, steps)
        setting = (lograte, decay, steps)
        path = sorted(_marks(marks, "line", "path"), key=lambda d: d["t"])
        assert [d["t"] for d in path] == list(range(len(run.path))), setting
        assert [d["weight"] for d in path] == rounded(run.path[:, 0]), setting
        assert [d["bias"] for d in path] == rounded(run.path[:, 1]), setting
        losses = sorted(_marks(marks, "line", "losses"), key=lambda d: d["t"])
        assert [d["loss"] for d in losses] == rounded(run.losses), setting
        (start,) = _marks(marks, "symbol", "start")
        assert (start["weight"], start["bias"]) == START
        (status,) = [d["_text"] for d in _marks(marks, "text", "status")]
        assert status == _status(lograte, decay, run), setting
        assert ("diverged after" in status) == run.diverged
    # the comparison can fail: a neighbouring rate draws another path
    other = _fresh(-1.125, 0.0, 40)
    first_view = sorted(_marks(drawn[1], "line", "path"), key=lambda d: d["t"])
    assert [d["weight"] for d in first_view] != rounded(other.path[:, 0])


def test_descent_chart_answers_every_control(site_url, page_and_record):
    page, record = page_and_record
    figure = open_figure(site_url, page, PAGE)
    moves = {
        "lograte": lambda: range_input(figure, "lograte").fill("-0.5"),
        "decay": lambda: figure.get_by_role("radio", name="0.05", exact=True).check(),
        "steps": lambda: range_input(figure, "steps").fill("100"),
    }
    assert set(moves) == control_names(figure), "every control of the chart is moved"
    unchanged = [name for name, move in moves.items() if not changes(page, figure, move)]
    assert unchanged == []
    (status,) = texts(figure, "status_marks")
    assert status == _status(-0.5, 0.05, _fresh(-0.5, 0.05, 100))
    # Without decay the same rate diverges, as the engine's run does.
    assert changes(page, figure, lambda: figure.get_by_role("radio", name="0", exact=True).check())
    run = _fresh(-0.5, 0.0, 100)
    assert run.diverged
    (status,) = texts(figure, "status_marks")
    assert status == _status(-0.5, 0.0, run)
    assert status.endswith(f"diverged after {run.diverged_at} steps")
    # Fewer steps than it takes to diverge: no message, as in the engine.
    fewer = run.diverged_at - 1
    assert changes(page, figure, lambda: range_input(figure, "steps").fill(str(fewer)))
    (status,) = texts(figure, "status_marks")
    assert status == _status(-0.5, 0.0, _fresh(-0.5, 0.0, fewer))
    assert "diverged" not in status
    assert record.foreign_requests == [] and record.failed_requests == []
    assert record.unexpected_console_errors() == []
