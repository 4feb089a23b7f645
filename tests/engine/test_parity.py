"""The engine's estimators reproduce scikit-learn's MLPs number for number.

Every test fits scikit-learn's estimator and ours with the same arguments
and random_state and compares everything that training produces: the loss
curve, the number of epochs, the weights, the validation scores and the
predictions. The grid is small data and few epochs so that it runs quickly;
it covers every activation, both stochastic solvers, every learning-rate
schedule, (Nesterov) momentum, batch sizes, shuffling, early stopping with
its (stratified) validation split, the stopping rules, and binary,
multiclass, multilabel and (multi-output) regression targets.
"""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn import neural_network as sk
from sklearn.datasets import make_classification, make_multilabel_classification, make_regression
from sklearn.exceptions import ConvergenceWarning

from widgets.engine import MLPClassifier, MLPRegressor

RTOL = 1e-6  # the promise; in practice the weights agree bit for bit


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        yield


def _binary():
    return make_classification(80, 4, n_informative=3, n_redundant=0, random_state=0)


def _multiclass():
    return make_classification(90, 5, n_informative=4, n_redundant=0, n_classes=3, random_state=1)


def _multilabel():
    return make_multilabel_classification(70, 5, n_classes=3, random_state=2)


def _regression(n_targets=1):
    X, y = make_regression(80, 4, n_targets=n_targets, noise=5.0, random_state=3)
    return X, y / 100.0


TASKS = {
    "binary": (MLPClassifier, sk.MLPClassifier, _binary),
    "multiclass": (MLPClassifier, sk.MLPClassifier, _multiclass),
    "multilabel": (MLPClassifier, sk.MLPClassifier, _multilabel),
    "regression": (MLPRegressor, sk.MLPRegressor, _regression),
    "regression-2": (MLPRegressor, sk.MLPRegressor, lambda: _regression(2)),
}


def _assert_same_fit(ours, theirs, X):
    assert ours.n_iter_ == theirs.n_iter_
    assert ours.t_ == theirs.t_
    np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=RTOL, atol=0)
    np.testing.assert_allclose(ours.loss_, theirs.loss_, rtol=RTOL)
    for mine, reference in zip(ours.coefs_ + ours.intercepts_, theirs.coefs_ + theirs.intercepts_):
        np.testing.assert_allclose(mine, reference, rtol=RTOL, atol=1e-12)
    if theirs.validation_scores_ is None:
        assert ours.validation_scores_ is None
        assert ours.best_loss_ == pytest.approx(theirs.best_loss_, rel=RTOL)
    else:
        np.testing.assert_allclose(ours.validation_scores_, theirs.validation_scores_, rtol=RTOL)
        assert ours.best_validation_score_ == pytest.approx(theirs.best_validation_score_, rel=RTOL)
        assert ours.best_loss_ is None and theirs.best_loss_ is None
    assert ours.out_activation_ == theirs.out_activation_
    assert ours.n_layers_ == theirs.n_layers_
    assert ours.n_outputs_ == theirs.n_outputs_
    assert ours.n_features_in_ == theirs.n_features_in_
    if hasattr(theirs, "predict_proba"):
        np.testing.assert_array_equal(ours.classes_, theirs.classes_)
        np.testing.assert_allclose(
            ours.predict_proba(X), theirs.predict_proba(X), rtol=RTOL, atol=1e-12
        )
        np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))
    else:
        np.testing.assert_allclose(ours.predict(X), theirs.predict(X), rtol=RTOL, atol=1e-12)


def _fit_both(task, **params):
    ours_class, their_class, make_data = TASKS[task]
    X, y = make_data()
    params = {"random_state": 7, "max_iter": 12, **params}
    ours = ours_class(**params).fit(X, y)
    theirs = their_class(**params).fit(X, y)
    return ours, theirs, X


GRID = [
    # (task, parameters)
    ("binary", dict(solver="sgd")),
    ("binary", dict(solver="adam", activation="tanh")),
    (
        "binary",
        dict(
            solver="sgd",
            activation="logistic",
            momentum=0.5,
            nesterovs_momentum=False,
            batch_size=13,
        ),
    ),
    ("binary", dict(solver="sgd", activation="identity", momentum=0.0)),
    ("binary", dict(solver="sgd", learning_rate="invscaling", power_t=0.3, learning_rate_init=0.1)),
    ("binary", dict(solver="adam", early_stopping=True, validation_fraction=0.25)),
    ("binary", dict(solver="sgd", shuffle=False, alpha=0.1)),
    ("binary", dict(solver="adam", alpha=0.0, batch_size=1, max_iter=3)),
    ("multiclass", dict(solver="sgd", hidden_layer_sizes=(7, 5))),
    (
        "multiclass",
        dict(
            solver="adam",
            hidden_layer_sizes=(6,),
            activation="logistic",
            beta_1=0.8,
            beta_2=0.99,
            epsilon=1e-6,
        ),
    ),
    (
        "multiclass",
        dict(
            solver="sgd",
            learning_rate="adaptive",
            tol=0.05,
            n_iter_no_change=2,
            learning_rate_init=0.2,
            max_iter=25,
        ),
    ),
    ("multiclass", dict(solver="sgd", early_stopping=True, activation="tanh", batch_size=16)),
    ("multiclass", dict(solver="adam", shuffle=False, hidden_layer_sizes=(5, 4, 3))),
    ("multiclass", dict(solver="adam", hidden_layer_sizes=())),
    ("multilabel", dict(solver="adam", hidden_layer_sizes=(8,))),
    ("multilabel", dict(solver="sgd", activation="tanh", early_stopping=True)),
    ("regression", dict(solver="sgd", learning_rate_init=0.01)),
    ("regression", dict(solver="adam", activation="tanh", alpha=0.01)),
    (
        "regression",
        dict(
            solver="sgd",
            learning_rate="invscaling",
            activation="logistic",
            learning_rate_init=0.05,
            batch_size=20,
        ),
    ),
    ("regression", dict(solver="adam", early_stopping=True, validation_fraction=0.2)),
    (
        "regression",
        dict(
            solver="sgd",
            learning_rate="adaptive",
            early_stopping=True,
            tol=0.5,
            n_iter_no_change=1,
            learning_rate_init=0.01,
            max_iter=20,
        ),
    ),
    ("regression-2", dict(solver="adam", hidden_layer_sizes=(6, 3))),
    (
        "regression-2",
        dict(solver="sgd", nesterovs_momentum=False, shuffle=False, learning_rate_init=0.01),
    ),
]


@pytest.mark.parametrize("task, params", GRID, ids=[f"{t}-{i}" for i, (t, _) in enumerate(GRID)])
def test_training_matches_sklearn(task, params):
    ours, theirs, X = _fit_both(task, **params)
    _assert_same_fit(ours, theirs, X)


def test_stopping_rule_is_exercised_and_matches():
    # Large tol: the loss "stops improving" quickly and training stops early.
    ours, theirs, X = _fit_both("binary", solver="adam", tol=1.0, n_iter_no_change=2, max_iter=50)
    assert theirs.n_iter_ < 50  # the rule really fired
    _assert_same_fit(ours, theirs, X)


def test_adaptive_learning_rate_is_divided_by_five_like_sklearn():
    ours, theirs, X = _fit_both(
        "multiclass",
        solver="sgd",
        learning_rate="adaptive",
        tol=0.05,
        n_iter_no_change=2,
        learning_rate_init=0.2,
        max_iter=25,
    )
    assert theirs._optimizer.learning_rate < 0.2  # the schedule really acted
    assert ours._optimizer.learning_rate == pytest.approx(theirs._optimizer.learning_rate)
    lrs = ours.history_["learning_rate"]
    ratios = {round(a / b, 12) for a, b in zip(lrs, lrs[1:]) if a != b}
    assert ratios == {5.0}
    _assert_same_fit(ours, theirs, X)


def test_early_stopping_restores_best_weights_like_sklearn():
    ours, theirs, X = _fit_both(
        "multiclass",
        solver="sgd",
        early_stopping=True,
        n_iter_no_change=2,
        tol=0.0,
        learning_rate_init=0.3,
        max_iter=40,
    )
    assert len(theirs.validation_scores_) < 40
    _assert_same_fit(ours, theirs, X)
    assert len(ours.history_["val_score"]) == ours.n_iter_
    assert ours.history_["val_score"] == ours.validation_scores_


def test_lbfgs_matches_sklearn():
    for task in ("binary", "multiclass", "regression"):
        ours_class, their_class, make_data = TASKS[task]
        X, y = make_data()
        params = dict(solver="lbfgs", random_state=0, max_iter=30, alpha=0.01)
        ours, theirs = ours_class(**params).fit(X, y), their_class(**params).fit(X, y)
        assert ours.n_iter_ == theirs.n_iter_
        assert ours.loss_ == pytest.approx(theirs.loss_, rel=RTOL)
        for a, b in zip(ours.coefs_ + ours.intercepts_, theirs.coefs_ + theirs.intercepts_):
            np.testing.assert_allclose(a, b, rtol=RTOL, atol=1e-12)
        assert len(ours.history_["loss"]) == ours.n_iter_


def test_sample_weight_matches_sklearn():
    X, y = _multiclass()
    weights = np.random.RandomState(0).uniform(0.2, 2.0, size=len(y))
    params = dict(solver="sgd", random_state=3, max_iter=8, batch_size=16)
    ours = MLPClassifier(**params).fit(X, y, sample_weight=weights)
    theirs = sk.MLPClassifier(**params).fit(X, y, sample_weight=weights)
    _assert_same_fit(ours, theirs, X)


def test_sparse_and_float32_inputs_match_sklearn():
    X, y = _binary()
    params = dict(solver="adam", random_state=5, max_iter=6)
    X_sparse = sp.csr_matrix(np.where(np.abs(X) > 0.7, X, 0.0))
    _assert_same_fit(
        MLPClassifier(**params).fit(X_sparse, y),
        sk.MLPClassifier(**params).fit(X_sparse, y),
        X_sparse,
    )
    X32 = X.astype(np.float32)
    ours = MLPClassifier(**params).fit(X32, y)
    theirs = sk.MLPClassifier(**params).fit(X32, y)
    assert ours.coefs_[0].dtype == np.float32 == theirs.coefs_[0].dtype
    np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=1e-5)
    for a, b in zip(ours.coefs_, theirs.coefs_):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)


def test_partial_fit_and_warm_start_match_sklearn():
    X, y = _multiclass()
    params = dict(solver="sgd", random_state=2, hidden_layer_sizes=(6,))
    ours, theirs = MLPClassifier(**params), sk.MLPClassifier(**params)
    for start in (0, 30, 60):
        batch = slice(start, start + 30)
        ours.partial_fit(X[batch], y[batch], classes=np.unique(y))
        theirs.partial_fit(X[batch], y[batch], classes=np.unique(y))
    _assert_same_fit(ours, theirs, X)

    params = dict(solver="adam", random_state=4, warm_start=True, max_iter=4)
    ours, theirs = MLPRegressor(**params), sk.MLPRegressor(**params)
    X, y = _regression()
    for _ in range(3):
        ours.fit(X, y)
        theirs.fit(X, y)
    _assert_same_fit(ours, theirs, X)


def test_poisson_regression_matches_sklearn():
    X, y = _regression()
    y = np.exp(y)  # positive counts-like targets
    params = dict(loss="poisson", solver="adam", random_state=0, max_iter=10)
    ours, theirs = MLPRegressor(**params).fit(X, y), sk.MLPRegressor(**params).fit(X, y)
    _assert_same_fit(ours, theirs, X)


def test_initial_weights_equal_sklearn_for_every_activation():
    X, y = _multiclass()
    for activation in ("identity", "logistic", "tanh", "relu"):
        params = dict(
            activation=activation,
            hidden_layer_sizes=(9, 4),
            random_state=11,
            max_iter=1,
            solver="sgd",
            learning_rate_init=1e-300,
            momentum=0.0,
        )
        ours, theirs = MLPClassifier(**params).fit(X, y), sk.MLPClassifier(**params).fit(X, y)
        for a, b in zip(ours.coefs_ + ours.intercepts_, theirs.coefs_ + theirs.intercepts_):
            np.testing.assert_array_equal(a, b)
