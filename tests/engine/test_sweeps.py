"""Chapter 5's engine module: data sets, width sweep, doubling rule, training without biases."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.datasets import make_moons
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.neural_network import MLPClassifier as SklearnMLP

from widgets.engine.sweeps import (
    WIDTHS,
    best_width,
    doubling_rule,
    fit_network,
    make_dataset,
    off_centre_blobs,
    width_sweep,
)


@pytest.mark.parametrize("name", ["moons", "circles", "xor", "spirals", "digits"])
def test_datasets_have_the_asked_sizes(name):
    X_train, y_train, X_val, y_val = make_dataset(name, 0.1, 30, 40, seed=2)
    assert X_train.shape == (30, 64 if name == "digits" else 2)
    assert X_val.shape[0] == len(y_val) == 40 and len(y_train) == 30
    assert np.isfinite(X_train).all()


def test_moons_are_scikit_learns():
    X_train, y_train, X_val, _ = make_dataset("moons", 0.2, 50, 30, seed=4)
    X, y = make_moons(80, noise=0.2, random_state=4)
    np.testing.assert_array_equal(np.vstack([X_train, X_val]), X)
    np.testing.assert_array_equal(y_train, y[:50])


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"name": "iris"}, ValueError),
        ({"noise": -0.1}, ValueError),
        ({"noise": "loud"}, TypeError),
        ({"n_train": 5}, ValueError),
        ({"n_train": 2.5}, TypeError),
        ({"name": "digits", "n_train": 1500, "n_validation": 400}, ValueError),
    ],
)
def test_make_dataset_checks_its_arguments(kwargs, error):
    with pytest.raises(error, match="n_train" if "n_validation" in kwargs else next(iter(kwargs))):
        make_dataset(**kwargs)


def test_sweep_matches_scikit_learns_mlp():
    # Independent reference: scikit-learn's own MLPClassifier, same settings.
    data = make_dataset("moons", 0.25, 100, 200, seed=1)
    sweep = width_sweep(*data, widths=(2, 8, 32), alpha=1e-3, seed=1, max_iter=100)
    for width, train, validation in zip(
        sweep.widths, sweep.train_accuracy, sweep.validation_accuracy
    ):
        ref = SklearnMLP((width,), solver="lbfgs", alpha=1e-3, max_iter=100, random_state=1)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # not converged at max_iter
            ref.fit(data[0], data[1])
        assert train == pytest.approx(accuracy_score(data[1], ref.predict(data[0])), abs=0.011)
        assert validation == pytest.approx(accuracy_score(data[3], ref.predict(data[2])), abs=0.011)
    assert (sweep.seconds > 0).all() and len(sweep.models) == 3


def test_sweep_reports_progress_and_checks_arguments():
    data = make_dataset("xor", 0.1, 20, 20, seed=0)
    seen = []
    width_sweep(*data, widths=(1, 2), max_iter=5, progress=lambda i, w: seen.append((i, w)))
    assert seen == [(0, 1), (1, 2)]
    with pytest.raises(ValueError, match="widths"):
        width_sweep(*data, widths=(0,))
    with pytest.raises(ValueError, match="alpha"):
        width_sweep(*data, alpha=-1.0)


def test_doubling_rule_by_hand():
    scores = [0.80, 0.81, 0.85, 0.90, 0.905, 0.91, 0.91, 0.90]
    assert doubling_rule(WIDTHS, scores, n_inputs=2, threshold=0.01) == 8
    assert doubling_rule(WIDTHS, scores, n_inputs=2, threshold=0.0) == 64
    assert doubling_rule(WIDTHS, scores, n_inputs=2, threshold=0.1) == 4
    assert doubling_rule(WIDTHS, scores, n_inputs=64, threshold=0.0) == 128  # capped
    assert doubling_rule(WIDTHS, scores, n_inputs=3, threshold=0.1) == 8  # log2 6 nearer 3
    assert best_width(WIDTHS, scores) == 32  # the smallest of the tied best
    with pytest.raises(ValueError, match="threshold"):
        doubling_rule(WIDTHS, scores, 2, threshold=-0.1)
    with pytest.raises(ValueError):
        doubling_rule(WIDTHS, scores[:3], 2)


@pytest.mark.parametrize("biases", [True, False])
def test_fit_network_without_hidden_layer_is_logistic_regression(biases):
    # Independent reference: scikit-learn's LogisticRegression minimises
    # C * sum(log loss) + |w|^2 / 2, the engine mean(log loss) + alpha |w|^2 / (2n):
    # the same minimum for C = 1 / alpha.
    X, y = off_centre_blobs(120, seed=3)
    alpha = 0.5
    network = fit_network(X, y, hidden=(), biases=biases, alpha=alpha, max_iter=2000)
    ref = LogisticRegression(C=1 / alpha, fit_intercept=biases, tol=1e-10, max_iter=10000)
    ref.fit(X, y)
    np.testing.assert_allclose(network.coefs[0][:, 0], ref.coef_[0], rtol=1e-3, atol=1e-4)
    expected_bias = ref.intercept_[0] if biases else 0.0
    assert network.intercepts[0][0] == pytest.approx(expected_bias, rel=1e-3, abs=1e-4)


def test_a_relu_network_without_biases_keeps_its_biases_zero_and_sees_only_directions():
    X, y = off_centre_blobs(200, seed=0)
    network = fit_network(X, y, (8,), biases=False, seed=0)
    assert all((b == 0).all() for b in network.intercepts)
    p1, p3 = network.forward(X)[:, 0], network.forward(3 * X)[:, 0]
    # The logit of 3x is 3 times the logit of x.
    np.testing.assert_allclose(np.log(p3 / (1 - p3)), 3 * np.log(p1 / (1 - p1)), rtol=1e-6)
    with_biases = fit_network(X, y, (8,), biases=True, seed=0)
    X_val, y_val = off_centre_blobs(400, seed=1)
    accuracy = np.mean((with_biases.forward(X_val)[:, 0] > 0.5) == y_val)
    without = np.mean((network.forward(X_val)[:, 0] > 0.5) == y_val)
    assert accuracy > 0.98 and without < 0.75


def test_off_centre_blobs_and_fit_network_check_arguments():
    X, y = off_centre_blobs(50, centres=(1.0, 5.0), spread=0.0, seed=2)
    np.testing.assert_array_equal(X, np.where(y[:, None] == 1, 5.0, 1.0) * np.ones((50, 2)))
    with pytest.raises(ValueError, match="n"):
        off_centre_blobs(1)
    with pytest.raises(ValueError, match="y"):
        fit_network(X, y + 2)
