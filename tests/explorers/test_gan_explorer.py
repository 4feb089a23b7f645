"""Chapter 13's GAN explorer: the picture and the status follow the controls and the engine."""

import re

import numpy as np
import pytest

from widgets.engine.gan import mode_coverage, train_gan
from widgets.explorers.beyond_mlps import gan as gan_module
from widgets.explorers.beyond_mlps.gan import RECORD_EVERY, STEPS, GanExplorer


def percentages(text):
    return [int(p) for p in re.findall(r"(\d+)% near", text)]


@pytest.fixture(scope="module")
def explorer():
    return GanExplorer()


def test_first_view_is_the_engine_run(explorer):
    # an independent run of the engine with the explorer's settings
    run = train_gan(
        "two modes", steps=STEPS, lr_generator=0.001, lr_discriminator=0.005,
        record_every=RECORD_EVERY, seed=0,
    )  # fmt: skip
    assert explorer.shown_step == STEPS
    expected = mode_coverage(run.final_samples, (-2, 2), 0.5)
    np.testing.assert_allclose(explorer.coverage, expected)
    assert percentages(explorer.status) == [round(100 * s) for s in expected]
    assert f"D(x) from {run.d_curves[-1].min():.2f} to {run.d_curves[-1].max():.2f}" in (
        explorer.status
    )
    d_mean = run.d_loss[-25:].mean()
    assert f"D {d_mean:.2f}" in explorer.status
    assert explorer.progress.value == explorer.progress.max


def test_scrubbing_redraws_without_training(explorer, monkeypatch):
    calls = []
    monkeypatch.setattr(gan_module, "train_gan", lambda *a, **k: calls.append(1))
    before = explorer.images["gan"]
    explorer.controls["step"].value = 0
    assert explorer.shown_step == 0 and explorer.index == 0
    assert explorer.status.startswith("step 0 of")
    assert "losses" not in explorer.status  # nothing trained yet at step 0
    assert explorer.images["gan"] != before
    explorer.controls["step"].value = 500
    run = explorer.run
    np.testing.assert_allclose(explorer.coverage, run.coverage[500 // RECORD_EVERY])
    assert "step 500" in explorer.images["gan"]  # the alt text names the step shown
    assert calls == []
    explorer.controls["step"].value = STEPS


def test_the_target_and_rates_change_the_run(explorer):
    explorer.controls["target"].value = "one mode"
    assert len(percentages(explorer.status)) == 1 and "near +2" in explorer.status
    assert "1 bump(s) at +2" in explorer.images["gan"]
    explorer.set(target="two modes", lr_discriminator=0.02)
    run = train_gan(
        "two modes", steps=STEPS, lr_generator=0.001, lr_discriminator=0.02,
        record_every=RECORD_EVERY, seed=0,
    )  # fmt: skip
    np.testing.assert_allclose(explorer.coverage, run.coverage[-1])
    covered = int((run.coverage[-1] >= 0.1).sum())
    verdict = {1: "only one mode covered", 2: "both modes covered"}[covered]
    assert verdict in explorer.status
    explorer.set(lr_discriminator=0.005)


def test_a_diverged_run_says_so_without_nan(explorer):
    diverged = train_gan(
        steps=50, optimizer="sgd", lr_generator=1e30, lr_discriminator=1e30,
        activation="relu", record_every=RECORD_EVERY, seed=0,
    )  # fmt: skip
    assert diverged.diverged
    key = ("two modes", 0.001, 0.005, 1, 4)
    gan_module._RUNS[key] = diverged
    try:
        explorer.controls["seed"].value = 4
        assert explorer.diverged
        assert explorer.status.startswith(f"diverged at step {diverged.diverged_step}")
        assert "nan" not in explorer.status.lower()
        assert explorer.shown_step <= diverged.n_steps
    finally:
        del gan_module._RUNS[key]
        gan_module._FIGURES.pop(key, None)
        explorer.controls["seed"].value = 0


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"target": "ring"}, ValueError),
        ({"lr_generator": 0.003}, ValueError),
        ({"lr_discriminator": "fast"}, TypeError),
        ({"d_steps": 4}, ValueError),
        ({"seed": 1.5}, TypeError),
        ({"step": STEPS + 1}, ValueError),
    ],
)
def test_keyword_arguments_are_checked(kwargs, error):
    with pytest.raises(error, match=next(iter(kwargs))):
        GanExplorer(**kwargs)
