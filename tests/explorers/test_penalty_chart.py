"""Chapter 7's L1-against-L2 chart, without a browser: its arguments, its controls, its
description's numbers, and the embedded histograms against a fresh engine run.

The histograms are precomputed when the notebook runs; here the networks of a few λ
chosen in this file are trained again with the engine and binned independently, and
the embedded rows must equal them exactly (bin edges to the 4 significant digits the
chart embeds). What the browser draws is checked in ``tests/site/test_chart_penalty.py``.
"""

from __future__ import annotations

import numpy as np
import pytest

from widgets.engine.penalties import (
    count_exact_zeros,
    fit_penalised,
    l1_steps_to_zero,
    l2_weight_after,
)
from widgets.engine.sweeps import make_dataset
from widgets.explorers.regularization import (
    HIDDEN,
    LAM_RANGE,
    MAX_ITER,
    N_TEST,
    N_TRAIN,
    PENALTY_CHART_LOG_LAMBDAS,
    RegularizationExplorer,
    penalty_chart,
    penalty_chart_lambda,
)


def rounded(value):
    return float(f"{value:.4g}")


def fresh_rows(log_lam, data="moons", noise=0.3, seed=0):
    """The rows the chart should embed for one λ, from networks trained here."""
    lam = float(f"{10.0**log_lam:.3g}")
    X, y, X_test, y_test = make_dataset(data, noise, N_TRAIN, N_TEST, seed)
    models = {
        name: fit_penalised(X, y, penalty, lam, hidden=HIDDEN, seed=seed, max_iter=MAX_ITER)
        for name, penalty in (("L1", "l1"), ("L2", "l2"))
    }
    flat = {name: np.concatenate([c.ravel() for c in m.coefs_]) for name, m in models.items()}
    top = max(max(float(np.max(np.abs(w))) for w in flat.values()), 1e-6)
    edges = np.linspace(-top, top, 31)
    rows = []
    for name, model in models.items():
        w = flat[name]
        zeros, total = count_exact_zeros(model.coefs_)
        assert zeros == int(np.sum(w == 0.0))
        counts, _ = np.histogram(w[w != 0.0], bins=edges)
        assert counts.sum() + zeros == total == 304
        base = {"g": log_lam, "pen": name}
        for i in range(30):
            if counts[i]:
                rows.append(
                    base
                    | {
                        "part": "bin",
                        "lo": rounded(edges[i]),
                        "hi": rounded(edges[i + 1]),
                        "n": int(counts[i]),
                    }
                )
        if zeros:
            rows.append(
                base
                | {"part": "zero", "lo": -rounded(top / 30), "hi": rounded(top / 30), "n": zeros}
            )
        accuracy = float(np.mean(model.predict(X_test) == y_test))
        rows.append(
            base
            | {
                "part": "label",
                "lo": rounded(-top),
                "hi": rounded(top),
                "zeros": zeros,
                "total": total,
                "acc": rounded(accuracy),
            }
        )
    return rows


@pytest.fixture(scope="module")
def chart():
    return penalty_chart()


def _embedded(chart):
    (histograms, _) = chart.spec["vconcat"]
    return histograms["data"]["values"]


def test_the_grid_is_the_explorers_lambda_slider():
    # The explorer's λ slider (a FloatLogSlider) and the key of its cache: the chart
    # embeds exactly those λ, and reuses the networks the explorer has trained.
    explorer = RegularizationExplorer()
    slider = explorer.controls["lam"]
    steps = round((slider.max - slider.min) / slider.step)
    expected = tuple(slider.min + k * slider.step for k in range(steps + 1))
    assert expected == PENALTY_CHART_LOG_LAMBDAS
    assert [penalty_chart_lambda(g) for g in expected] == [
        float(f"{10.0**g:.3g}") for g in expected
    ]
    assert penalty_chart_lambda(-0.5) == explorer.lam == 0.316
    assert penalty_chart_lambda(-3.0) == LAM_RANGE[0] and penalty_chart_lambda(1.0) == LAM_RANGE[1]


@pytest.mark.parametrize("log_lam", [-3.0, -1.25, -0.5, 0.5, 1.0])
def test_embedded_histograms_equal_a_fresh_engine_run(chart, log_lam):
    embedded = [row for row in _embedded(chart) if row["g"] == log_lam]
    assert embedded == fresh_rows(log_lam)


def test_every_lambda_is_embedded_with_all_304_weights(chart):
    rows = _embedded(chart)
    assert {row["g"] for row in rows} == set(PENALTY_CHART_LOG_LAMBDAS)
    for log_lam in PENALTY_CHART_LOG_LAMBDAS:
        for pen in ("L1", "L2"):
            mine = [r for r in rows if r["g"] == log_lam and r["pen"] == pen]
            (label,) = [r for r in mine if r["part"] == "label"]
            assert sum(r["n"] for r in mine if r["part"] in ("bin", "zero")) == 304
            assert label["total"] == 304
    # L2 never makes an exact zero; L1 removes every weight at λ = 10.
    assert all(r["zeros"] == 0 for r in rows if r["part"] == "label" and r["pen"] == "L2")
    (last,) = [r for r in rows if r["part"] == "label" and r["pen"] == "L1" and r["g"] == 1.0]
    assert last["zeros"] == 304


def test_description_quotes_the_engine(chart):
    X, y, X_test, y_test = make_dataset("moons", 0.3, N_TRAIN, N_TEST, 0)
    for penalty, name in (("l1", "L1"), ("l2", "L2")):
        model = fit_penalised(X, y, penalty, 0.316, hidden=HIDDEN, seed=0, max_iter=MAX_ITER)
        zeros, total = count_exact_zeros(model.coefs_)
        accuracy = np.mean(model.predict(X_test) == y_test)
        assert (
            f"{name}: {zeros} of {total} weights exactly 0, test accuracy {accuracy:.2f}"
            in chart.description
        )
    assert "λ = 0.316" in chart.description
    assert f"exactly 0 from step {l1_steps_to_zero(1.0, 0.03, 1.0)}" in chart.description
    assert "from step 34" in chart.description
    assert f"L2 {l2_weight_after(1.0, 0.03, 100, 1.0):.3g} after 100 steps" in chart.description
    assert "0.0476" in chart.description


def test_controls(chart):
    assert chart.parameters == {
        "kind": "both",
        "log_lam": -0.5,
        "w0": 1.0,
        "eta": 1.0,
        "decay_lam": 0.03,
    }
    binds = {p["name"]: p["bind"] for p in chart.spec["params"]}
    assert binds["kind"]["input"] == "radio" and binds["kind"]["options"] == ["l1", "l2", "both"]
    assert (binds["log_lam"]["min"], binds["log_lam"]["max"], binds["log_lam"]["step"]) == (
        -3.0,
        1.0,
        0.25,
    )
    assert all(binds[n]["input"] == "range" for n in ("log_lam", "w0", "eta", "decay_lam"))


def test_chart_is_the_same_on_every_run(chart):
    # nbval compares the chapter's stored output with a fresh run.
    assert penalty_chart().spec == chart.spec


def test_small_enough_for_the_page(chart):
    assert len(chart.to_html().encode("utf-8")) <= 300_000


@pytest.mark.parametrize(
    "arguments, error, match",
    [
        (dict(data="blobs"), ValueError, "data"),
        (dict(data=3), TypeError, "data"),
        (dict(noise=0.6), ValueError, "noise"),
        (dict(seed=5), ValueError, "seed"),
        (dict(seed=1.0), TypeError, "seed"),
        (dict(kind="elastic"), ValueError, "kind"),
        (dict(log_lam=-0.4), ValueError, "log_lam"),
        (dict(log_lam=1.25), ValueError, "log_lam"),
        (dict(w0=1.5), ValueError, "w0"),
        (dict(eta=0.0), ValueError, "eta"),
        (dict(decay_lam=0.2), ValueError, "decay_lam"),
        (dict(decay_lam="0.03"), TypeError, "decay_lam"),
    ],
)
def test_argument_errors(arguments, error, match):
    with pytest.raises(error, match=match):
        penalty_chart(**arguments)
