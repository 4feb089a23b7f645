"""Chapter 10's optimizer race chart without a browser: arguments, description, controls,
and the embedded paths against fresh engine runs.

The paths are precomputed and embedded; here they are read back from the spec (the
strings of numbers the browser splits) and compared exactly with
:func:`widgets.engine.surfaces.run_optimizer` runs made in this file, rounded as the
chart rounds them (coordinates to 3 decimals, losses to 3 significant digits).
"""

from __future__ import annotations

import numpy as np
import pytest

from widgets.display.vega import site_html
from widgets.engine.surfaces import SURFACES, run_optimizer
from widgets.explorers.optimizers import RACERS, race_chart
from widgets.explorers.optimizers.race_chart import CONTOURS, RUNS, STEPS

#: Chart budget (bytes of the chart's HTML on the site).
MAX_BYTES = 500_000


@pytest.fixture(scope="module")
def chart():
    return race_chart()


def _numbers(text: str) -> list[float]:
    return [float(v) for v in text.split(",")]


def _engine(surface, engine_name, steps=STEPS, **hyper):
    run = run_optimizer(surface, engine_name, steps=steps, **hyper)
    x = [round(float(v), 3) + 0.0 for v in run.path[:, 0]]
    y = [round(float(v), 3) + 0.0 for v in run.path[:, 1]]
    gap = [float(f"{float(v):.3g}") for v in run.gaps]
    return run, x, y, gap


# (key, engine optimizer, its hyperparameters): rates written out here, the presets
# of race.PRESETS times the setting's factor (clipped to 1e-4 ... 1).
CASES = [
    ("bowl|1|sgd", "sgd", dict(lr=0.08)),
    ("rosenbrock|3|sgd", "sgd", dict(lr=0.003)),  # diverges
    ("rosenbrock|0.3|delta_bar_delta", "delta_bar_delta", dict(lr=1e-4, kappa=1e-5)),
    ("saddle|0.3|adam", "adam", dict(lr=0.015)),
    ("plateau|3|nesterov", "sgd", dict(lr=0.3, momentum=0.9, nesterov=True)),
    ("two_basins|1|momentum", "sgd", dict(lr=0.01, momentum=0.9, nesterov=False)),
    ("bowl|3|adagrad", "adagrad", dict(lr=1.0)),  # 0.5 × 3, clipped to 1
    ("plateau|0.3|rprop", "rprop", dict(lr=0.003)),
    ("two_basins|3|rmsprop", "rmsprop", dict(lr=0.03)),
]


@pytest.mark.parametrize("key, engine_name, hyper", CASES)
def test_embedded_paths_equal_a_fresh_engine_run(chart, key, engine_name, hyper):
    rows = {row["key"]: row for row in chart.spec["datasets"][RUNS]}
    row = rows[key]
    run, x, y, gap = _engine(key.split("|")[0], engine_name, **hyper)
    assert _numbers(row["x"]) == x
    assert _numbers(row["y"]) == y
    assert _numbers(row["gap"]) == gap
    assert row["points"] == len(x) == len(run.path)
    assert row["diverged"] == run.diverged_at


def test_every_run_is_embedded_once(chart):
    rows = chart.spec["datasets"][RUNS]
    keys = [row["key"] for row in rows]
    expected = {f"{s}|{r}|{label}" for s in SURFACES for r in ("0.3", "1", "3") for label in RACERS}
    assert len(keys) == len(set(keys)) == 120 and set(keys) == expected
    diverged = [row for row in rows if row["diverged"] is not None]
    assert diverged, "some settings diverge (the × 3 rates on Rosenbrock)"
    for row in rows:
        n = row["points"]
        assert len(_numbers(row["x"])) == len(_numbers(row["y"])) == len(_numbers(row["gap"])) == n
        assert n == STEPS + 1 if row["diverged"] is None else n == row["diverged"]


def test_contours_lie_on_the_surface_levels(chart):
    rows = {row["surface"]: row for row in chart.spec["datasets"][CONTOURS]}
    assert set(rows) == set(SURFACES)
    for name, row in rows.items():
        surface = SURFACES[name]
        x, y = np.array(_numbers(row["x"])), np.array(_numbers(row["y"]))
        lines = row["line"].split(",")
        assert len(x) == len(y) == len(lines) == row["points"] > 100
        assert len(set(lines)) >= 5 and x.min() >= surface.x_range[0] - 1e-3
        assert x.max() <= surface.x_range[1] + 1e-3 and y.min() >= surface.y_range[0] - 1e-3
        # Each point is on a contour of log10(loss above the lowest): along one line
        # the level hardly changes (rounding moves a point by at most 0.0007).
        level = np.log10(np.maximum(surface.function(x, y) - surface.minimum_loss, 1e-6))
        ids = np.array(lines)
        spreads = [np.ptp(level[ids == i]) for i in set(lines)]
        assert np.median(spreads) < 0.05, name


def test_description_quotes_the_engine(chart):
    # The first view: the bowl, presets, SGD, momentum, RMSprop, Adam, step 150.
    for label, engine_name, hyper in (
        ("SGD", "sgd", dict(lr=0.08)),
        ("momentum", "sgd", dict(lr=0.01, momentum=0.9)),
        ("RMSprop", "rmsprop", dict(lr=0.03)),
        ("Adam", "adam", dict(lr=0.1)),
    ):
        *_, gap = _engine("bowl", engine_name, **hyper)
        assert f"{label} {gap[-1]:.3g}" in chart.description
    assert "Nesterov" not in chart.description
    other = race_chart("rosenbrock", 3, ["sgd", "rmsprop"], 40)
    run, *_, gap = _engine("rosenbrock", "rmsprop", lr=0.03)
    assert f"RMSprop {gap[40]:.3g}" in other.description
    (sgd_run, *_) = _engine("rosenbrock", "sgd", lr=0.003)
    assert f"SGD diverged at step {sgd_run.diverged_at}" in other.description
    assert "× 3 at step 40" in other.description


def test_controls_and_their_first_values(chart):
    expected = {"surface": "bowl", "rates": "1", "step": STEPS}
    expected |= {
        f"show_{label}": label in ("sgd", "momentum", "rmsprop", "adam") for label in RACERS
    }
    assert chart.parameters == expected
    other = race_chart("saddle", 0.3, ("adam",), 7)
    assert other.parameters["surface"] == "saddle" and other.parameters["rates"] == "0.3"
    assert other.parameters["step"] == 7 and other.parameters["show_adam"] is True
    assert other.parameters["show_sgd"] is False


def test_chart_is_deterministic_and_light(chart):
    assert race_chart().spec == chart.spec
    assert len(site_html(chart.spec).encode("utf-8")) <= MAX_BYTES


@pytest.mark.parametrize(
    "arguments, error, match",
    [
        (dict(surface="valley"), ValueError, "surface"),
        (dict(surface=3), TypeError, "surface"),
        (dict(rate_factor=2), ValueError, "rate_factor"),
        (dict(rate_factor="1"), TypeError, "rate_factor"),
        (dict(show="adam"), TypeError, "show"),
        (dict(show=["adam", "lbfgs"]), ValueError, "show"),
        (dict(step=STEPS + 1), ValueError, "step"),
        (dict(step=2.5), TypeError, "step"),
    ],
)
def test_arguments_are_checked(arguments, error, match):
    with pytest.raises(error, match=match):
        race_chart(**arguments)
