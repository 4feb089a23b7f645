"""Chapter 6's engine: the early-stopping rule against scikit-learn, dropout's expectation.

The rule (:func:`stopping_rule`) is written from scikit-learn's description; these tests
check it against ``sklearn.neural_network.MLPClassifier(early_stopping=True)`` itself
(its ``n_iter_``, ``validation_scores_``, ``best_validation_score_`` and the weights it
keeps), and :func:`epoch_curves` against the engine's estimator, epoch for epoch.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.neural_network import MLPClassifier as SklearnMLP

from widgets.engine import MLPClassifier
from widgets.engine.stopping import (
    dropout_expectation,
    dropout_mask,
    dropout_sweep,
    epoch_curves,
    inverted_dropout_scale,
    label_noise_data,
    learning_curve_scores,
    one_pass_or_repeats,
    restored_epoch,
    stopping_epoch,
    stopping_rule,
)
from widgets.engine.sweeps import make_dataset

# ---------------------------------------------------------------------- the rule by hand


def test_rule_counts_epochs_without_a_gain_of_tol():
    # counts after each epoch: 0, 0, 1, 2, 3 -> with patience 2 it stops after epoch 5
    decision = stopping_rule([0.5, 0.6, 0.6, 0.6, 0.6, 0.9], n_iter_no_change=2, tol=1e-4)
    assert decision.counts == [0, 0, 1, 2, 3]
    assert (decision.stop_epoch, decision.best_epoch, decision.stopped) == (5, 2, True)
    assert decision.best_score == 0.6
    # patience 3: the 0.9 of epoch 6 arrives in time and becomes the best
    decision = stopping_rule([0.5, 0.6, 0.6, 0.6, 0.6, 0.9], n_iter_no_change=3)
    assert (decision.stop_epoch, decision.best_epoch, decision.stopped) == (6, 6, False)


def test_a_gain_below_tol_is_kept_but_does_not_reset_the_count():
    # epoch 3 beats epoch 2 by 0.005 < tol = 0.01: its weights are kept, the count grows
    decision = stopping_rule([0.70, 0.80, 0.805, 0.80, 0.79], n_iter_no_change=2, tol=0.01)
    assert decision.counts == [0, 0, 1, 2, 3]
    assert (decision.stop_epoch, decision.best_epoch) == (5, 3)
    assert stopping_epoch([0.70, 0.80, 0.805, 0.80, 0.79], 2, 0.01) == 5
    assert restored_epoch([0.70, 0.80, 0.805, 0.80, 0.79], 2, 0.01) == 3


def test_ties_keep_the_first_best_epoch():
    assert restored_epoch([0.5, 0.8, 0.8, 0.8], n_iter_no_change=1) == 2


# ---------------------------------------------------------------------- against scikit-learn

SETTINGS = [
    # (data, label noise, n, hidden, validation fraction, patience, tol, seed)
    ("moons", 0.2, 200, (32,), 0.3, 10, 1e-4, 0),
    ("moons", 0.2, 200, (32, 32), 0.3, 10, 1e-4, 1),
    ("moons", 0.0, 120, (16,), 0.2, 5, 1e-4, 2),
    ("xor", 0.1, 160, (32,), 0.25, 3, 0.01, 3),
    ("circles", 0.2, 100, (64,), 0.5, 20, 1e-4, 4),
    ("spirals", 0.1, 200, (32,), 0.1, 10, 0.0, 5),
]


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: f"{s[0]}-{s[3]}-seed{s[-1]}")
def test_chosen_epoch_is_scikit_learns(setting):
    name, noise, n, hidden, fraction, patience, tol, seed = setting
    X, y, X_test, y_test = label_noise_data(name, noise, n, 300, seed=seed)
    curves = epoch_curves(X, y, X_test, y_test, hidden, fraction, 200, 0.01, seed=seed)
    decision = stopping_rule(curves.val_score, patience, tol)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = SklearnMLP(
            hidden,
            learning_rate_init=0.01,
            early_stopping=True,
            validation_fraction=fraction,
            n_iter_no_change=patience,
            tol=tol,
            max_iter=200,
            random_state=seed,
        ).fit(X, y)
    assert reference.n_iter_ == decision.stop_epoch
    np.testing.assert_allclose(
        reference.validation_scores_, curves.val_score[: decision.stop_epoch], atol=1e-12
    )
    assert reference.best_validation_score_ == pytest.approx(decision.best_score, abs=1e-12)
    # scikit-learn keeps the weights of the best epoch, not of the last: its test
    # accuracy is the one recorded after epoch best_epoch.
    assert reference.score(X_test, y_test) == pytest.approx(
        curves.test_score[decision.best_epoch - 1], abs=1e-12
    )


def test_scikit_learn_restores_the_best_weights_not_the_last():
    # A run where the kept and the last epoch differ, and so do their predictions.
    X, y, X_test, y_test = label_noise_data("moons", 0.2, 200, 500, seed=0)
    curves = epoch_curves(X, y, X_test, y_test, (64, 64), 0.3, 300, 0.01, seed=0)
    decision = stopping_rule(curves.val_score, 10, 1e-4)
    assert decision.best_epoch < decision.stop_epoch
    kept, last = (
        curves.test_score[decision.best_epoch - 1],
        curves.test_score[decision.stop_epoch - 1],
    )
    assert kept != last
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = SklearnMLP(
            (64, 64),
            learning_rate_init=0.01,
            early_stopping=True,
            validation_fraction=0.3,
            max_iter=300,
            random_state=0,
        ).fit(X, y)
    assert reference.score(X_test, y_test) == pytest.approx(kept, abs=1e-12)


@pytest.mark.parametrize("dropout", [0.0, 0.3])
def test_epoch_curves_repeat_the_engine_estimator_epoch_for_epoch(dropout):
    X, y, X_test, y_test = label_noise_data("moons", 0.2, 150, 200, seed=7)
    curves = epoch_curves(
        X, y, X_test, y_test, (32,), 0.3, 60, 0.01, alpha=1e-3, dropout=dropout, seed=7
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = MLPClassifier(
            (32,),
            learning_rate_init=0.01,
            alpha=1e-3,
            early_stopping=True,
            validation_fraction=0.3,
            n_iter_no_change=1000,
            max_iter=60,
            dropout=dropout,
            random_state=7,
        ).fit(X, y)
    np.testing.assert_array_equal(model.history_["val_score"], curves.val_score)
    np.testing.assert_allclose(model.history_["loss"], curves.loss, rtol=1e-12)
    np.testing.assert_allclose(model.history_["val_loss"], curves.val_loss, rtol=1e-10)
    # the estimator keeps the best epoch's weights: its test accuracy is recorded there
    best = restored_epoch(curves.val_score, 1000)
    assert model.score(X_test, y_test) == pytest.approx(curves.test_score[best - 1])


# ---------------------------------------------------------------------- dropout


@pytest.mark.parametrize("p", [0.2, 0.5, 0.8])
def test_inverted_dropout_keeps_the_expected_activation(p):
    activations = np.random.default_rng(0).uniform(-2, 3, 40)
    n = 20000
    mean, standard_error = dropout_expectation(activations, p, n_masks=n, seed=1)
    # The standard error from the formula |a| sqrt(p / ((1-p) n)) ...
    np.testing.assert_allclose(standard_error, np.abs(activations) * np.sqrt(p / ((1 - p) * n)))
    # ... and each mean within 4.5 of them of a (all 40 fall inside with probability
    # above 0.9997 under the central limit theorem).
    z = (mean - activations) / standard_error
    assert np.abs(z).max() < 4.5
    # The test bites: without the 1/(1-p) scaling the mean is (1-p) a, far outside.
    unscaled = mean * (1 - p)
    assert np.abs((unscaled - activations) / standard_error).max() > 20


def test_a_mask_drops_a_share_p_and_scales_the_rest():
    p = 0.3
    mask = dropout_mask(100000, p, np.random.RandomState(0))
    np.testing.assert_allclose(np.unique(mask), [0.0, 1 / 0.7])
    dropped = np.mean(mask == 0)
    # binomial standard deviation sqrt(p(1-p)/n) = 0.00145; allow 5 of them
    assert abs(dropped - p) < 5 * np.sqrt(p * (1 - p) / 100000)
    assert inverted_dropout_scale(0.5) == 2.0
    assert inverted_dropout_scale(0.0) == 1.0


def test_prediction_uses_no_mask():
    X, y, X_test, _ = label_noise_data("moons", 0.2, 100, 50, seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = MLPClassifier((16,), dropout=0.5, max_iter=20, random_state=0).fit(X, y)
    first = model.predict_proba(X_test)
    np.testing.assert_array_equal(first, model.predict_proba(X_test))


def test_dropout_sweep_matches_single_fits():
    X, y, X_test, y_test = label_noise_data("moons", 0.2, 60, 100, seed=2)
    train, test = dropout_sweep(X, y, X_test, y_test, (0.0, 0.5), (16,), (2,), 30)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = MLPClassifier(
            (16,),
            learning_rate_init=0.01,
            max_iter=30,
            n_iter_no_change=30,
            dropout=0.5,
            random_state=2,
        ).fit(X, y)
    assert train[0, 1] == model.score(X, y) and test[0, 1] == model.score(X_test, y_test)


# ---------------------------------------------------------------------- data, more data


def test_label_noise_flips_exactly_the_stated_share_of_training_labels_only():
    X, y, X_test, y_test = label_noise_data("moons", 0.2, 200, 100, seed=3)
    X0, y0, X0_test, y0_test = make_dataset("moons", 0.2, 200, 100, 3)
    np.testing.assert_array_equal(X, X0)
    assert np.sum(y != y0) == 40
    np.testing.assert_array_equal(y_test, y0_test)


def test_learning_curve_scores_shapes_and_the_gap():
    sizes, train, validation = learning_curve_scores(
        "moons", 0.3, (20, 320), (32,), n_splits=2, seeds=(0, 1), max_iter=200
    )
    assert list(sizes) == [20, 320] and train.shape == validation.shape == (4, 2)
    gap = (train - validation).mean(axis=0)
    assert gap[0] > gap[1]  # more data: the gap between the curves closes


def test_one_pass_or_repeats_reports_both_runs():
    results = one_pass_or_repeats(n_updates=200, n_small=50, batch_size=5)
    assert set(results) == {"one pass over fresh data", "repeats of a small set"}
    assert results["one pass over fresh data"][2] == 1
    assert results["repeats of a small set"][2] == 20


# ---------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "call, error, word",
    [
        (lambda: stopping_rule([]), ValueError, "validation_scores"),
        (lambda: stopping_rule([0.5, np.nan]), ValueError, "validation_scores"),
        (lambda: stopping_rule([0.5], n_iter_no_change=0), ValueError, "n_iter_no_change"),
        (lambda: stopping_rule([0.5], n_iter_no_change=2.5), TypeError, "n_iter_no_change"),
        (lambda: stopping_rule([0.5], tol=-1), ValueError, "tol"),
        (lambda: inverted_dropout_scale(1.0), ValueError, "p"),
        (lambda: inverted_dropout_scale("half"), TypeError, "p"),
        (lambda: inverted_dropout_scale(-0.1), ValueError, "p"),
        (lambda: dropout_expectation([1.0, np.inf], 0.5), ValueError, "activations"),
        (lambda: dropout_expectation([1.0], 0.5, n_masks=0), ValueError, "n_masks"),
        (lambda: label_noise_data(label_noise=0.7), ValueError, "label_noise"),
        (lambda: label_noise_data(name="digits"), ValueError, "name"),
        (lambda: learning_curve_scores(train_sizes=()), ValueError, "train_sizes"),
        (lambda: one_pass_or_repeats(n_updates=7, n_small=10, batch_size=3), ValueError, "n_small"),
        (
            lambda: epoch_curves([[0, 0], [1, 1], [2, 2]], [0, 1, 2], [[0, 0]], [0]),
            ValueError,
            "y",
        ),
        (
            lambda: epoch_curves(*make_dataset("moons", 0.1, 40, 20, 0), validation_fraction=0),
            ValueError,
            "validation_fraction",
        ),
        (
            lambda: epoch_curves(*make_dataset("moons", 0.1, 40, 20, 0), max_iter=0),
            ValueError,
            "max_iter",
        ),
        (
            lambda: dropout_sweep(*make_dataset("moons", 0.1, 40, 20, 0), ps=(1.2,)),
            ValueError,
            "ps",
        ),
    ],
)
def test_bad_input_is_refused_by_name(call, error, word):
    with pytest.raises(error, match=word):
        call()
