"""Chapter 7's L1-against-L2 chart: what it draws is the engine's, and it answers its
controls.

The histograms are precomputed: the bars and zero counts Chromium draws at settings
chosen here must equal, exactly, those of networks trained afresh with the engine. The
one-weight decay is computed in the browser: every point of both paths is compared with
:func:`widgets.engine.penalties.decay_path` to 1e-9, and the written step to zero and
final L2 weight with :func:`~widgets.engine.penalties.l1_steps_to_zero` and
:func:`~widgets.engine.penalties.l2_weight_after`. Then the chart is driven through every
control on the built site.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from vegacheck import changes, close, control_names, drawn_marks, open_figure, range_input, texts

from widgets.engine.penalties import (
    count_exact_zeros,
    decay_path,
    fit_penalised,
    l1_steps_to_zero,
    l2_weight_after,
)
from widgets.engine.sweeps import make_dataset
from widgets.explorers.regularization import HIDDEN, MAX_ITER, N_TEST, N_TRAIN, penalty_chart

pytestmark = pytest.mark.browser
PAGE = "chapters/07_regularization.html"
STEPS = 100


def engine_networks(log_lam):
    """Penalty name → (non-zero weights histogram as {(lo, hi): count}, zeros, total,
    test accuracy) of the explorer's networks at 10**log_lam, trained here."""
    lam = float(f"{10.0**log_lam:.3g}")
    X, y, X_test, y_test = make_dataset("moons", 0.3, N_TRAIN, N_TEST, 0)
    models = {
        name: fit_penalised(X, y, penalty, lam, hidden=HIDDEN, seed=0, max_iter=MAX_ITER)
        for name, penalty in (("L1", "l1"), ("L2", "l2"))
    }
    flat = {name: np.concatenate([c.ravel() for c in m.coefs_]) for name, m in models.items()}
    top = max(max(float(np.max(np.abs(w))) for w in flat.values()), 1e-6)
    edges = np.linspace(-top, top, 31)
    result = {}
    for name, model in models.items():
        w = flat[name]
        counts, _ = np.histogram(w[w != 0.0], bins=edges)
        bins = {
            (float(f"{edges[i]:.4g}"), float(f"{edges[i + 1]:.4g}")): int(counts[i])
            for i in np.flatnonzero(counts)
        }
        zeros, total = count_exact_zeros(model.coefs_)
        result[name] = (bins, zeros, total, float(np.mean(model.predict(X_test) == y_test)))
    return result


def zero_count_text(zeros, total, accuracy):
    return f"{zeros} of {total} weights exactly 0, test acc. {accuracy:.2f}"


def zero_counts(figure):
    """The zero counts written in the histogram panels shown."""
    return [t for t in texts(figure) if "weights exactly 0" in t]


def _settings():
    return [
        dict(kind="both", log_lam=-0.5, w0=1.0, eta=1.0, decay_lam=0.03),  # the first view
        dict(kind="l1", log_lam=-1.25, w0=0.6, eta=0.5, decay_lam=0.02),  # |w0|/s = 60
        dict(kind="l2", log_lam=-3.0, w0=-0.85, eta=0.35, decay_lam=0.1),
        dict(kind="both", log_lam=0.5, w0=0.0, eta=0.1, decay_lam=0.005),  # w0 = 0
        dict(kind="both", log_lam=1.0, w0=-1.0, eta=1.0, decay_lam=0.1),
    ]


def test_penalty_chart_draws_the_engines_histograms_and_decay(chart_server, page_and_record):
    settings = _settings()
    drawn = drawn_marks(chart_server, page_and_record, "penalty", penalty_chart(), settings)
    for setting, marks in zip(settings, drawn):
        shown = ["L1", "L2"] if setting["kind"] == "both" else [setting["kind"].upper()]
        engine = engine_networks(setting["log_lam"])
        rects = [d for d in marks["rect"] if d["part"] in ("bin", "zero")]
        assert {d["pen"] for d in rects} == set(shown), setting
        labels = [d for d in marks["text"] if d.get("part") == "label"]
        for name in shown:
            bins, zeros, total, accuracy = engine[name]
            drawn_bins = {
                (d["lo"], d["hi"]): d["n"] for d in rects if d["pen"] == name and d["part"] == "bin"
            }
            assert drawn_bins == bins, (setting, name)
            drawn_zeros = [d["n"] for d in rects if d["pen"] == name and d["part"] == "zero"]
            assert drawn_zeros == ([zeros] if zeros else []), (setting, name)
            written = {d["_text"] for d in labels if d["pen"] == name}
            assert zero_count_text(zeros, total, accuracy) in written, (setting, written)
        # The decay: every point of each path shown, against the engine's step-by-step rule.
        lines = marks["line"]
        assert {d["rule"] for d in lines} == set(shown), setting
        w0, eta, lam = setting["w0"], setting["eta"], setting["decay_lam"]
        for name in shown:
            points = sorted((d for d in lines if d["rule"] == name), key=lambda d: d["k"])
            assert [d["k"] for d in points] == list(range(STEPS + 1))
            expected = decay_path(w0, lam, STEPS, name.lower(), learning_rate=eta)
            assert close([d["w"] for d in points], expected), (setting, name)
        readout = " ".join(d["_text"] for d in marks["text"] if "rule" in d)
        if "L1" in shown:
            step = l1_steps_to_zero(w0, lam, eta)
            assert f"exactly 0 from step {step} " in readout + " ", (setting, readout)
        if "L2" in shown:
            after = float(
                re.search(r"([\u2212-]?[\d.e\u2212-]+) after", readout)
                .group(1)
                .replace("\u2212", "-")
            )
            assert after == pytest.approx(l2_weight_after(w0, lam, STEPS, eta), rel=5e-3, abs=1e-12)
    # The first view's L1 weight reaches 0 at step 34, the second setting's at 60.
    assert "step 34" in " ".join(d["_text"] for d in drawn[0]["text"] if "rule" in d)
    assert "step 60" in " ".join(d["_text"] for d in drawn[1]["text"] if "rule" in d)


def test_penalty_chart_answers_every_control(site_url, page_and_record):
    page, record = page_and_record
    figure = open_figure(site_url, page, PAGE)
    moves = {
        "kind": lambda: figure.get_by_role("radio", name="L1").check(),
        "log_lam": lambda: range_input(figure, "log_lam").fill("-1.25"),
        "w0": lambda: range_input(figure, "w0").fill("-0.5"),
        "eta": lambda: range_input(figure, "eta").fill("0.5"),
        "decay_lam": lambda: range_input(figure, "decay_lam").fill("0.05"),
    }
    assert set(moves) == control_names(figure), "every control of the chart is moved"
    unchanged = [name for name, move in moves.items() if not changes(page, figure, move)]
    assert unchanged == []
    # The zero count drawn now (L1 at λ = 0.0562) is the engine's.
    bins, zeros, total, accuracy = engine_networks(-1.25)["L1"]
    assert 0 < zeros < total
    assert zero_counts(figure) == [zero_count_text(zeros, total, accuracy)]
    # and the decay readout: w0 = −0.5, s = 0.5 · 0.05 reaches 0 at step 20.
    (readout,) = [t for t in texts(figure) if t.startswith("L1:")]
    assert readout.endswith(f"from step {l1_steps_to_zero(-0.5, 0.05, 0.5)}") and "20" in readout
    # Both penalties again: two zero counts, L2's none.
    assert changes(page, figure, lambda: figure.get_by_role("radio", name="both").check())
    l2 = engine_networks(-1.25)["L2"]
    assert sorted(zero_counts(figure)) == sorted(
        [zero_count_text(zeros, total, accuracy), zero_count_text(*l2[1:])]
    )
    # (and the check can fail: moving λ to where it already is changes nothing)
    assert not changes(page, figure, lambda: range_input(figure, "log_lam").fill("-1.25"), 1_500)
    assert record.foreign_requests == [] and record.failed_requests == []
    assert record.unexpected_console_errors() == []
