"""Bad input gets a ValueError/TypeError that names the argument."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

from widgets.engine import (
    DivergenceError,
    MLPClassifier,
    MLPRegressor,
    count_parameters,
    validation,
)
from widgets.engine.network import parameter_layout
from widgets.engine.playground import PlaygroundNet

RNG = np.random.RandomState(0)
X = RNG.randn(20, 3)
Y = np.arange(20) % 2


def _with_nan(values):
    values = values.copy()
    values[3, 1] = np.nan
    return values


def _with_inf(values):
    values = values.copy()
    values[5, 0] = np.inf
    return values


FIT_CASES = [
    # (description, estimator, X, y, error, pattern)
    ("NaN in X", MLPClassifier(), _with_nan(X), Y, ValueError, "X contains NaN"),
    ("inf in X", MLPClassifier(), _with_inf(X), Y, ValueError, "X contains infinity"),
    ("NaN in y", MLPRegressor(), X, np.where(Y > 0, np.nan, 1.0), ValueError, "y contains NaN"),
    (
        "inf in y",
        MLPRegressor(),
        X,
        np.where(Y > 0, np.inf, 1.0),
        ValueError,
        "y contains infinity",
    ),
    (
        "lengths differ",
        MLPClassifier(),
        X,
        Y[:-1],
        ValueError,
        "X, y and sample_weight must have the same number of samples; X has 20, y has 19",
    ),
    (
        "1-D X",
        MLPClassifier(),
        X[:, 0],
        Y,
        ValueError,
        "X must be a non-empty 2-D array.*Expected 2D array, got 1D",
    ),
    (
        "empty X",
        MLPClassifier(),
        X[:0],
        Y[:0],
        ValueError,
        "X must be a non-empty 2-D array.*0 sample",
    ),
    (
        "strings in X",
        MLPClassifier(),
        np.full((20, 3), "a"),
        Y,
        ValueError,
        "X must be a non-empty 2-D array of numbers",
    ),
    (
        "strings in y",
        MLPRegressor(),
        X,
        np.array(list("abcdefghijklmnopqrst")),
        ValueError,
        "y must contain numbers",
    ),
    (
        "single class",
        MLPClassifier(),
        X,
        np.zeros(20),
        ValueError,
        "y must contain at least 2 classes.*only one class: 0.0",
    ),
    (
        "unknown activation",
        MLPClassifier(activation="sigmoid"),
        X,
        Y,
        ValueError,
        "'activation' parameter of MLPClassifier must be a str among",
    ),
    (
        "unknown solver",
        MLPRegressor(solver="newton"),
        X,
        Y,
        ValueError,
        "'solver' parameter of MLPRegressor must be a str among",
    ),
    (
        "unknown init",
        MLPClassifier(init="lecun"),
        X,
        Y,
        ValueError,
        "'init' parameter of MLPClassifier must be a str among",
    ),
    (
        "zero learning rate",
        MLPClassifier(learning_rate_init=0.0),
        X,
        Y,
        ValueError,
        r"'learning_rate_init' parameter of MLPClassifier must be a float "
        r"in the range \(0.0, inf\)",
    ),
    (
        "negative learning rate",
        MLPRegressor(learning_rate_init=-0.1),
        X,
        Y,
        ValueError,
        "'learning_rate_init' parameter",
    ),
    (
        "dropout 1",
        MLPClassifier(dropout=1.0),
        X,
        Y,
        ValueError,
        r"'dropout' parameter of MLPClassifier must be a float in the range \[0.0, 1.0\)",
    ),
    ("negative dropout", MLPClassifier(dropout=-0.2), X, Y, ValueError, "'dropout' parameter"),
    (
        "negative l1",
        MLPClassifier(l1=-1.0),
        X,
        Y,
        ValueError,
        r"'l1' parameter of MLPClassifier must be a float in the range \[0.0, inf\)",
    ),
    ("negative alpha", MLPRegressor(alpha=-1.0), X, Y, ValueError, "'alpha' parameter"),
    (
        "zero hidden units",
        MLPClassifier(hidden_layer_sizes=(3, 0)),
        X,
        Y,
        ValueError,
        "hidden_layer_sizes must contain positive integers; got 0",
    ),
    (
        "fractional hidden units",
        MLPClassifier(hidden_layer_sizes=(3, 2.5)),
        X,
        Y,
        TypeError,
        "hidden_layer_sizes must contain positive integers; got 2.5",
    ),
    (
        "text hidden sizes",
        MLPClassifier(hidden_layer_sizes="abc"),
        X,
        Y,
        ValueError,
        "'hidden_layer_sizes' parameter",
    ),
    (
        "unknown solver option",
        MLPClassifier(solver="rprop", solver_options={"foo": 1}),
        X,
        Y,
        ValueError,
        "solver_options for solver='rprop' accepts",
    ),
    (
        "bad solver option value",
        MLPClassifier(solver="rprop", solver_options={"etas": (2.0, 3.0)}),
        X,
        Y,
        ValueError,
        "solver_options: etas must satisfy",
    ),
    (
        "solver options for sgd",
        MLPClassifier(solver="sgd", solver_options={"alpha": 1}),
        X,
        Y,
        ValueError,
        "solver_options is only used by",
    ),
    (
        "dropout with lbfgs",
        MLPClassifier(solver="lbfgs", dropout=0.5),
        X,
        Y,
        ValueError,
        "dropout requires a stochastic solver",
    ),
    (
        "negative poisson targets",
        MLPRegressor(loss="poisson"),
        X,
        Y - 0.5,
        ValueError,
        "y must be non-negative",
    ),
]


@pytest.mark.parametrize(
    "description, estimator, X_bad, y_bad, error, pattern",
    FIT_CASES,
    ids=[case[0] for case in FIT_CASES],
)
def test_bad_fit_input(description, estimator, X_bad, y_bad, error, pattern):
    estimator.set_params(max_iter=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        with pytest.raises(error, match=pattern):
            estimator.fit(X_bad, y_bad)


def test_bad_sample_weight_length():
    with pytest.raises(ValueError, match="sample_weight has 3"):
        MLPClassifier(max_iter=2).fit(X, Y, sample_weight=np.ones(3))


@pytest.mark.parametrize("method", ["predict", "predict_proba"])
def test_wrong_number_of_features_at_predict(method):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = MLPClassifier(max_iter=2).fit(X, Y)
    with pytest.raises(ValueError, match="X has 2 features, but MLPClassifier is expecting 3"):
        getattr(model, method)(X[:, :2])
    with pytest.raises(ValueError, match="X must be a non-empty 2-D array"):
        getattr(model, method)(X[0])
    with pytest.raises(ValueError, match="X contains NaN"):
        getattr(model, method)(_with_nan(X))


def test_divergence_stops_with_the_epoch():
    X_big, y_big = X * 100, Y * 1e3
    model = MLPRegressor(
        solver="sgd", learning_rate_init=10.0, momentum=0.9, max_iter=50, random_state=0
    )
    with pytest.raises(DivergenceError, match=r"diverged at epoch (\d+)") as caught:
        model.fit(X_big, y_big)
    assert isinstance(caught.value, ValueError)
    epoch = caught.value.epoch
    assert 1 <= epoch < 50
    assert f"epoch {epoch}:" in str(caught.value)
    assert not np.isfinite(caught.value.loss)
    # Training stopped at that epoch: the recorded curve is the finite part.
    assert len(model.loss_curve_) == epoch - 1
    assert np.all(np.isfinite(model.loss_curve_))


# ----------------------------------------------------------------- validation.py
# One exception type per mistake: wrong type -> TypeError, wrong value -> ValueError.


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: validation.check_integer(2.0, "k", 1, 5), TypeError, "k must be a whole number"),
        (lambda: validation.check_integer(True, "k", 1, 5), TypeError, "k must be a whole number"),
        (lambda: validation.check_integer(9, "k", 1, 5), ValueError, "k must be from 1 to 5"),
        (lambda: validation.check_integer(0, "k", low=1), ValueError, "k must be at least 1"),
        (lambda: validation.check_number("1", "x", 0, 1), TypeError, "x must be a number"),
        (lambda: validation.check_number(np.nan, "x", 0, 1), ValueError, "x must be between"),
        (lambda: validation.check_number(2, "x", 0, 1), ValueError, "x must be between 0 and 1"),
        (lambda: validation.check_number(0, "x", 0, low_inclusive=False), ValueError, "positive"),
        (lambda: validation.check_seed(-1), ValueError, "seed must be a non-negative integer"),
        (lambda: validation.check_seed(1.5), TypeError, "seed must be None, a non-negative"),
        (lambda: validation.check_dtype("int64"), ValueError, "dtype must be float32 or float64"),
        (lambda: validation.check_dtype(3), TypeError, "dtype must be numpy.float32"),
        (lambda: validation.check_choice(3, ["a"], "opt"), TypeError, "opt must be a string"),
        (lambda: validation.check_choice("b", ["a"], "opt"), ValueError, "opt must be one of"),
        (lambda: validation.as_float_array(["a"], "X"), TypeError, "X must be an array"),
        (lambda: validation.as_float_array([[1], [1, 2]], "X"), ValueError, "X must be an array"),
        (lambda: validation.check_finite(np.array([np.inf]), "X"), ValueError, "NaN or infinite"),
        (lambda: validation.check_finite(np.zeros(0), "X"), ValueError, "must not be empty"),
    ],
)
def test_validation_uses_one_exception_type_per_mistake(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_check_choice_may_allow_none():
    assert validation.check_choice(None, ["L1", "L2"], "reg", allow_none=True) is None
    with pytest.raises(ValueError, match=r"reg must be one of \[None, 'L1', 'L2'\]"):
        validation.check_choice("L3", ["L1", "L2"], "reg", allow_none=True)


@pytest.mark.parametrize("layer_sizes", [[2, 1], [3, 4, 1], [7, 8, 8, 8, 8, 8, 8, 1]])
def test_one_parameter_count(layer_sizes):
    assert parameter_layout(layer_sizes)[2] == count_parameters(layer_sizes)
    net = PlaygroundNet(layer_sizes[0], tuple(layer_sizes[1:-1]), seed=0)
    expected = sum(w.size for w in net.weights) + sum(b.size for b in net.biases)
    assert net.n_parameters == count_parameters(layer_sizes) == expected
