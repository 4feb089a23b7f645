"""Chapter 9's engine functions against closed forms, finite differences and scikit-learn."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from scipy.special import expit
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier as SkMLP

from widgets.engine.activations import derivative as engine_derivative
from widgets.engine.schedules_batches import (
    ACTIVATION_NAMES,
    activation_derivative,
    activation_value,
    best_learning_rate,
    check_option,
    dead_share,
    dead_units,
    derivative_product,
    derivative_product_at,
    digits_task,
    initial_loss,
    logistic_derivative_at,
    logistic_value_at,
    pick_rate,
    sgd_run,
    updates_per_epoch,
)

Z = np.linspace(-4.95, 4.95, 66)  # avoids the kink at 0 exactly


@pytest.mark.parametrize("slope", [0.0, 0.01, 0.2, 0.5])
def test_values_match_closed_forms(slope):
    assert np.allclose(activation_value("identity", Z), Z)
    assert np.allclose(activation_value("logistic", Z), expit(Z), atol=1e-15)
    assert np.allclose(
        activation_value("tanh", Z), (np.exp(Z) - np.exp(-Z)) / (np.exp(Z) + np.exp(-Z))
    )
    assert np.array_equal(activation_value("relu", Z), np.where(Z > 0, Z, 0.0))
    assert np.allclose(activation_value("leaky_relu", Z, slope), np.maximum(Z, slope * Z))
    assert np.allclose(activation_value("sine", Z), np.sin(Z))


@pytest.mark.parametrize("name", ACTIVATION_NAMES)
@pytest.mark.parametrize("slope", [0.01, 0.3])
def test_derivatives_match_finite_differences(name, slope):
    h = 1e-6
    numeric = (activation_value(name, Z + h, slope) - activation_value(name, Z - h, slope)) / (
        2 * h
    )
    assert np.allclose(activation_derivative(name, Z, slope), numeric, atol=1e-6)


def test_derivatives_match_np_gradient_on_a_fine_grid():
    z = np.linspace(0.3, 4.0, 2001)
    for name in ("logistic", "tanh", "sine"):
        numeric = np.gradient(activation_value(name, z), z)
        assert np.allclose(activation_derivative(name, z)[1:-1], numeric[1:-1], atol=1e-5)


@pytest.mark.parametrize("name", ["identity", "logistic", "tanh", "relu", "leaky_relu"])
def test_derivatives_agree_with_the_training_code(name):
    z = np.concatenate([Z, [0.0]])  # at the kink both take the left side
    assert np.allclose(activation_derivative(name, z, 0.01), engine_derivative(name, z))


def test_kink_values_and_extremes():
    assert activation_derivative("relu", 0.0) == 0.0
    assert activation_derivative("leaky_relu", 0.0, 0.2) == 0.2
    assert activation_derivative("leaky_relu", -50.0, 0.2) == 0.2  # never 0: never dies
    assert logistic_derivative_at(0.0) == 0.25
    assert math.isclose(logistic_derivative_at(2.0), expit(2) * (1 - expit(2)))
    big = activation_value("logistic", np.array([-800.0, 800.0]))
    assert np.array_equal(big, [0.0, 1.0])


def test_derivative_product_is_the_product_of_k_derivatives():
    for name in ACTIVATION_NAMES:
        for k in (1, 3, 10):
            expected = np.prod([activation_derivative(name, 0.7, 0.1)] * k)
            assert math.isclose(float(derivative_product(name, 0.7, k, 0.1)), expected)
    # the logistic's derivative is at most 1/4, so k layers shrink by at least 4^k
    z = np.linspace(-6, 6, 101)
    assert (derivative_product("logistic", z, 10) <= 0.25**10 + 1e-18).all()
    assert derivative_product("relu", 2.0, 50) == 1.0
    assert derivative_product("relu", -2.0, 1) == 0.0


def test_updates_per_epoch():
    assert updates_per_epoch(1000, 1) == 1000
    assert updates_per_epoch(1000, 1000) == 1
    for b in (3, 7, 16, 64, 999):
        assert updates_per_epoch(1000, b) == math.ceil(1000 / b)


def _fitted_relu_model():
    X, y, _, _ = digits_task(200, 20)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = SkMLP((8,), max_iter=5, random_state=0).fit(X, y)
    return model, X


def test_dead_units_against_a_hand_made_dead_unit():
    model, X = _fitted_relu_model()
    # Pixels are >= 0: negative incoming weights and bias make unit 3 silent.
    model.coefs_[0][:, 3] = -1.0
    model.intercepts_[0][3] = -0.5
    net = X @ model.coefs_[0] + model.intercepts_[0]
    expected = (net <= 0).all(axis=0)
    (mask,) = dead_units(model, X)
    assert mask[3] and np.array_equal(mask, expected)
    assert dead_share(model, X) == expected.mean()


def test_dead_units_bad_input():
    model, X = _fitted_relu_model()
    with pytest.raises(ValueError, match="X"):
        dead_units(model, X[:, :10])
    with pytest.raises(ValueError, match="model"):
        dead_units(object(), X)
    model.activation = "tanh"
    with pytest.raises(ValueError, match="relu"):
        dead_units(model, X)


@pytest.mark.parametrize(
    "batch_size, schedule, rate",
    [(10, "constant", 0.1), (64, "invscaling", 0.5), (100, "adaptive", 0.3)],
)
def test_sgd_run_matches_scikit_learn(batch_size, schedule, rate):
    epochs = 4
    run = sgd_run(batch_size, rate, schedule, epochs, seed=1, n_train=300)
    X, y, _, _ = digits_task(300)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        reference = SkMLP(
            (32,),
            solver="sgd",
            alpha=0.0,
            momentum=0.0,
            batch_size=batch_size,
            learning_rate=schedule,
            learning_rate_init=rate,
            max_iter=epochs,
            n_iter_no_change=10 if schedule == "adaptive" else epochs,
            random_state=1,
        ).fit(X, y)
    assert np.allclose(run.loss, reference.loss_curve_, rtol=1e-10)
    assert not run.diverged
    assert math.isclose(
        run.end_loss, -np.mean(np.log(reference.predict_proba(X)[np.arange(300), y]))
    )
    assert np.array_equal(run.updates, np.arange(1, epochs + 1) * math.ceil(300 / batch_size))
    assert np.array_equal(run.examples, np.arange(1, epochs + 1) * 300)


def test_sgd_run_reports_divergence_without_nan():
    run = sgd_run(50, 100.0, "constant", 10, seed=0)
    assert run.diverged
    assert np.isfinite(run.loss).all()
    assert run.rank_loss == math.inf
    calm = sgd_run(50, 0.1, "constant", 5, seed=0)
    assert not calm.diverged and calm.loss[-1] < calm.loss[0]


def test_invscaling_rate_follows_its_formula():
    run = sgd_run(50, 0.5, "invscaling", 3, seed=0, n_train=200)
    # scikit-learn: after each epoch eta = eta0 / (t + 1)**power_t, t = examples seen;
    # the first epoch uses eta0
    assert run.rates[0] == 0.5
    assert np.allclose(run.rates[1:], 0.5 / (200 * np.arange(1, 3) + 1) ** 0.5)


def test_pick_rate_and_best_learning_rate():
    assert pick_rate({0.1: 0.5, 0.3: 0.2, 1.0: math.inf}) == 0.3
    assert pick_rate({0.1: 0.2, 0.3: 0.2}) == 0.1
    with pytest.raises(ValueError, match="diverged"):
        pick_rate({0.1: math.inf})
    with pytest.raises(ValueError, match="losses"):
        pick_rate({})
    best, losses = best_learning_rate(100, rates=(0.01, 1.0, 300.0), epochs=5)
    assert losses[300.0] == math.inf and best == 1.0 and losses[1.0] < losses[0.01]


@pytest.mark.parametrize(
    "call, error, argument",
    [
        (lambda: activation_value("softplus", 0.0), ValueError, "name"),
        (lambda: activation_value(3, 0.0), TypeError, "name"),
        (lambda: activation_value("relu", "x"), TypeError, "net"),
        (lambda: activation_derivative("leaky_relu", 0.0, slope=2.0), ValueError, "slope"),
        (lambda: derivative_product("tanh", 0.0, 0), ValueError, "k"),
        (lambda: derivative_product("tanh", 0.0, 1.5), TypeError, "k"),
        (lambda: logistic_derivative_at(float("nan")), ValueError, "net"),
        (lambda: updates_per_epoch(100, 0), ValueError, "batch_size"),
        (lambda: updates_per_epoch(100, 101), ValueError, "batch_size"),
        (lambda: updates_per_epoch(0, 1), ValueError, "n"),
        (lambda: sgd_run(batch_size=2000), ValueError, "batch_size"),
        (lambda: sgd_run(learning_rate=0.0), ValueError, "learning_rate"),
        (lambda: sgd_run(schedule="cosine"), ValueError, "schedule"),
        (lambda: sgd_run(epochs=0), ValueError, "epochs"),
        (lambda: check_option(0.2, (0.1, 1.0), "rate"), ValueError, "rate"),
        (lambda: check_option("a", (0.1, 1.0), "rate"), TypeError, "rate"),
    ],
)
def test_bad_input_names_the_argument(call, error, argument):
    with pytest.raises(error, match=argument):
        call()


def test_initial_loss_is_the_estimators_starting_point():
    """A fit with a vanishing rate keeps the initial weights: its loss is initial_loss."""
    X, y, _, _ = digits_task(300)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = SkMLP(
            (32,),
            solver="sgd",
            alpha=0.0,
            momentum=0.0,
            learning_rate_init=1e-12,
            max_iter=1,
            random_state=2,
        ).fit(X, y)
    proba = model.predict_proba(X)
    expected = -np.mean(np.log(proba[np.arange(len(y)), y]))
    assert math.isclose(initial_loss(seed=2, n_train=300), expected, rel_tol=1e-9)


def test_a_rate_that_only_crawls_is_not_called_diverged():
    slow = sgd_run(50, 0.001, "invscaling", 10, seed=0)
    assert not slow.diverged and slow.loss[-1] < slow.initial_loss
    fast = sgd_run(50, 3.0, "constant", 10, seed=0)
    assert fast.diverged and fast.loss.max() > fast.initial_loss


def test_quiz_helpers_are_plain_floats():
    assert logistic_value_at(1.0) == pytest.approx(1 / (1 + math.exp(-1)))
    value = derivative_product_at("logistic", 0.0, 10)
    assert isinstance(value, float) and value == pytest.approx(0.25**10)
    with pytest.raises(TypeError, match="net"):
        derivative_product_at("logistic", [0.0, 1.0], 2)
