"""Chapter 6's explorers: their status numbers against independent fits (the Explorer
contract is checked by ``tests/explorers/test_every_explorer.py``)."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
from sklearn.neural_network import MLPClassifier as SklearnMLP

from widgets.engine import MLPClassifier
from widgets.engine.stopping import label_noise_data
from widgets.explorers.stopping import (
    DropoutExplorer,
    EarlyStoppingExplorer,
    explain_rule,
    network_svg,
    stopping_data,
)
from widgets.explorers.stopping.dropout import DROPOUT_EPOCHS, N_TEST, SEEDS
from widgets.explorers.stopping.early_stopping import EPOCHS, LEARNING_RATE

# ---------------------------------------------------------------------- early stopping


@pytest.mark.parametrize(
    "settings",
    [
        {},
        {"patience": 3, "seed": 1},
        {"data": "xor", "layers": 1, "width": 32, "validation_fraction": 0.2, "seed": 2},
        {"noise": 0.0, "n_train": 120, "tol": 0.01, "seed": 3},
    ],
)
def test_early_stopping_status_is_scikit_learns_run(settings):
    explorer = EarlyStoppingExplorer(**settings)
    c = {name: control.value for name, control in explorer.controls.items()}
    X, y, X_test, y_test = stopping_data(c["data"], c["noise"], c["n_train"], c["seed"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = SklearnMLP(
            (c["width"],) * c["layers"],
            learning_rate_init=LEARNING_RATE,
            early_stopping=True,
            validation_fraction=c["validation_fraction"],
            n_iter_no_change=c["patience"],
            tol=c["tol"],
            max_iter=EPOCHS,
            random_state=c["seed"],
        ).fit(X, y)
    decision = explorer.decision
    assert decision.stop_epoch == reference.n_iter_
    assert decision.best_score == pytest.approx(reference.best_validation_score_)
    test_there = reference.score(X_test, y_test)
    assert explorer.test_at_best == pytest.approx(test_there)
    status = explorer.status
    if decision.stopped:
        assert f"stops after epoch {reference.n_iter_}," in status
    assert f"validation {reference.best_validation_score_:.3f}" in status
    assert f"test accuracy {test_there:.3f} there" in status


def test_the_rule_is_spelled_out_with_the_live_numbers():
    explorer = EarlyStoppingExplorer()
    d = explorer.decision
    text = explain_rule(explorer.curves, d)
    assert f"came at epoch {d.best_epoch}" in text
    assert f"stops after epoch {d.stop_epoch}" in text
    shown = [float(s) for s in re.search(r"scored ([0-9., ]+):", text)[1].split(", ")]
    np.testing.assert_allclose(
        shown,
        explorer.curves.val_score[d.stop_epoch - d.n_iter_no_change - 1 : d.stop_epoch],
        atol=5e-4,
    )
    assert all(s < d.best_score + d.tol for s in shown)


def test_patience_only_reapplies_the_rule_to_the_cached_run():
    explorer = EarlyStoppingExplorer()
    curves = explorer.curves
    explorer.controls["patience"].value = 30
    assert explorer.curves is curves
    assert explorer.decision.stop_epoch >= 31


def test_early_stopping_refuses_bad_arguments_by_name():
    with pytest.raises(ValueError, match="width"):
        EarlyStoppingExplorer(width=5)
    with pytest.raises(ValueError, match="patience"):
        EarlyStoppingExplorer(patience=0)
    with pytest.raises(TypeError, match="n_train"):
        EarlyStoppingExplorer(n_train=100.5)


# ---------------------------------------------------------------------- dropout


def test_dropout_status_agrees_with_independent_fits():
    explorer = DropoutExplorer(p=0.4, layers=1, width=32, n_train=60, noise=0.1)
    train, test = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for seed in SEEDS:
            X, y, X_test, y_test = label_noise_data("moons", 0.1, 60, N_TEST, seed=seed)
            model = MLPClassifier(
                (32,),
                learning_rate_init=0.01,
                max_iter=DROPOUT_EPOCHS,
                n_iter_no_change=DROPOUT_EPOCHS,
                dropout=0.4,
                random_state=seed,
            ).fit(X, y)
            train.append(model.score(X, y))
            test.append(model.score(X_test, y_test))
    assert explorer.at_p() == pytest.approx(
        (np.mean(train), np.mean(test), np.mean(train) - np.mean(test))
    )
    assert f"training {np.mean(train):.3f}" in explorer.status
    assert f"test {np.mean(test):.3f}" in explorer.status


def test_the_drawn_mask_is_an_inverted_dropout_mask_and_resamples():
    explorer = DropoutExplorer(p=0.5)
    before = [m.copy() for m in explorer.masks]
    for mask in before:
        assert set(np.unique(mask)) <= {0.0, 2.0}
    kept = [int((m > 0).sum()) for m in before]
    alt = explorer.images["network"]
    assert f"kept {kept[0]} of 64, {kept[1]} of 64" in alt
    explorer.buttons["resample"].click()
    after = explorer.masks
    assert any(not np.array_equal(a, b) for a, b in zip(before, after))
    assert explorer.images["network"] != alt


def test_network_drawing_counts_kept_units():
    svg = network_svg([np.array([0.0, 2.0, 2.0, 0.0, 2.0])])
    assert "3 of 5 kept" in svg and "kept units ×2.00" in svg


def test_dropout_refuses_bad_arguments_by_name():
    with pytest.raises(ValueError, match="p"):
        DropoutExplorer(p=0.9)
    with pytest.raises(ValueError, match="layers"):
        DropoutExplorer(layers=3)
    with pytest.raises(ValueError, match="noise"):
        DropoutExplorer(noise=0.6)
