"""Chapter 6's dropout chart, without a browser: its argument, the embedded accuracies
against a fresh engine sweep, its description and its control.

The drawn chart is checked in Chromium by tests/site/test_chart_dropout.py.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest

from widgets.engine.stopping import dropout_sweep, inverted_dropout_scale, label_noise_data
from widgets.explorers.stopping import dropout_chart
from widgets.explorers.stopping.dropout import PS, SEEDS
from widgets.explorers.stopping.dropout_chart import dropout_rows
from widgets.explorers.stopping.early_stopping_chart import rounded


@functools.cache
def fresh_sweep():
    """The explorer's first setting trained afresh by the engine (not through the
    explorer's cache): moons, 100 points, 20 % flipped labels, two layers of 64, 200
    epochs, seeds 0, 1, 2 (each seed its own data)."""
    train, test = [], []
    for seed in (0, 1, 2):
        data = label_noise_data("moons", 0.2, n_train=100, n_test=500, seed=seed)
        a, b = dropout_sweep(*data, PS, (64, 64), (seed,), max_iter=200)
        train.append(a[0])
        test.append(b[0])
    return np.array(train), np.array(test)


@pytest.fixture(scope="module")
def chart():
    return dropout_chart()


def test_arguments_are_checked():
    with pytest.raises(ValueError, match="p must be one of"):
        dropout_chart(0.3)
    with pytest.raises(ValueError, match="p"):
        dropout_chart(0.9)
    with pytest.raises(TypeError, match="p"):
        dropout_chart("half")
    with pytest.raises(ValueError, match="shape"):
        dropout_rows(np.zeros((3, 5)), np.zeros((3, 5)))


def test_embedded_rows_are_a_fresh_engine_sweep(chart):
    train, test = fresh_sweep()
    assert SEEDS == (0, 1, 2) and PS == (0.0, 0.2, 0.4, 0.5, 0.6, 0.8)
    (embedded,) = chart.spec["datasets"].values()
    expected = [
        {
            "p": p,
            "scale": rounded(1 / (1 - p)),
            "train": rounded(train[:, j].mean()),
            "test": rounded(test[:, j].mean()),
            "gap": rounded((train[:, j] - test[:, j]).mean()),
            "train_lo": rounded(train[:, j].min()),
            "train_hi": rounded(train[:, j].max()),
            "test_lo": rounded(test[:, j].min()),
            "test_hi": rounded(test[:, j].max()),
        }
        for j, p in enumerate(PS)
    ]
    assert embedded == expected
    # (dropout changes the gap here, and the seeds disagree: the test can fail)
    assert len({row["gap"] for row in embedded}) == len(PS)
    assert all(row["train_lo"] < row["train_hi"] for row in embedded)
    assert [row["scale"] for row in embedded] == [rounded(inverted_dropout_scale(p)) for p in PS]


def test_description_quotes_the_engine(chart):
    train, test = fresh_sweep()
    j = PS.index(0.5)
    text = chart.description
    assert "training " + ", ".join(f"{v:.2f}" for v in train.mean(0)) in text
    assert "test " + ", ".join(f"{v:.2f}" for v in test.mean(0)) in text
    gap = (train[:, j] - test[:, j]).mean()
    assert text.endswith(
        f"p = 0.5: training {train[:, j].mean():.3f}, test {test[:, j].mean():.3f}, gap {gap:+.3f}."
    )


def test_control_is_the_radio_of_the_explorers_probabilities(chart):
    assert chart.parameters == {"p": 0.5}
    (param,) = chart.spec["params"]
    assert param["bind"] == {"input": "radio", "options": list(PS), "name": "drop probability p"}
    assert dropout_chart(0.0).parameters == {"p": 0.0}
