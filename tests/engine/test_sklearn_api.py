"""The estimators are well-behaved scikit-learn citizens."""

import pickle
import warnings

import numpy as np
import pytest
from sklearn import neural_network as sk
from sklearn.base import clone
from sklearn.datasets import make_classification, make_regression
from sklearn.exceptions import ConvergenceWarning, SkipTestWarning
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import check_estimator

from widgets.engine import MLPClassifier, MLPRegressor

# Checks scikit-learn skips by itself in this environment, with its reason.
# No check is excluded by us: every check that runs must pass.
SKIPPED_BY_SKLEARN = {
    "check_sample_weights_pandas_series": "pandas is not installed",
    "check_classifier_data_not_an_array": "pandas is not installed",
    "check_regressor_data_not_an_array": "pandas is not installed",
    "check_classifiers_multilabel_output_format_decision_function": (
        "does not have a decision_function method"
    ),
}

EXTRAS = dict(l1=0.0, dropout=0.0, init="glorot", init_scale=0.1, solver_options=None)


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        yield


@pytest.mark.parametrize(
    "estimator",
    [
        MLPClassifier(),
        MLPRegressor(),
        MLPClassifier(activation="leaky_relu", l1=1e-3, init="uniform"),
    ],
    ids=["classifier", "regressor", "classifier-extras"],
)
def test_check_estimator_passes(estimator):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SkipTestWarning)  # asserted below
        results = check_estimator(estimator, on_fail=None)
    assert len(results) > 50
    failed = [
        (r["check_name"], str(r["exception"])[:300]) for r in results if r["status"] == "failed"
    ]
    assert failed == []
    for result in results:
        if result["status"] == "skipped":
            reason = SKIPPED_BY_SKLEARN[result["check_name"]]
            assert reason in str(result["exception"])
        else:
            assert result["status"] == "passed"


def test_sklearn_skips_the_same_checks_for_its_own_mlp():
    # The skipped checks are environmental (no pandas) or not applicable,
    # not a weakness of ours: scikit-learn's own MLP gets the same skips.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SkipTestWarning)
        for ours, theirs in [
            (MLPClassifier(max_iter=50), sk.MLPClassifier(max_iter=50)),
            (MLPRegressor(max_iter=50), sk.MLPRegressor(max_iter=50)),
        ]:
            skipped = [
                {
                    r["check_name"]
                    for r in check_estimator(est, on_fail=None)
                    if r["status"] == "skipped"
                }
                for est in (ours, theirs)
            ]
            assert skipped[0] == skipped[1]
            assert skipped[0] <= set(SKIPPED_BY_SKLEARN)


@pytest.mark.parametrize(
    "ours, theirs", [(MLPClassifier, sk.MLPClassifier), (MLPRegressor, sk.MLPRegressor)]
)
def test_same_constructor_parameters_and_defaults_as_sklearn(ours, theirs):
    expected = theirs().get_params()
    actual = ours().get_params()
    assert {k: v for k, v in actual.items() if k not in EXTRAS} == expected
    assert {k: actual[k] for k in EXTRAS} == EXTRAS
    # Same positional parameters, in the same order.
    assert (
        ours.__init__.__code__.co_varnames[1 : ours.__init__.__code__.co_argcount]
        == theirs.__init__.__code__.co_varnames[1 : theirs.__init__.__code__.co_argcount]
    )


def test_clone_pickle_pipeline_gridsearch_cross_val_score():
    X, y = make_classification(120, 5, random_state=0)
    model = MLPClassifier(
        (6,), solver="adam", learning_rate_init=0.01, max_iter=100, random_state=0, l1=1e-3
    )
    copy = clone(model)
    assert copy.get_params() == model.get_params() and not hasattr(copy, "coefs_")

    fitted = clone(model).fit(X, y)
    restored = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(restored.predict_proba(X), fitted.predict_proba(X))
    restored.partial_fit(X, y)  # training continues from the unpickled weights
    assert restored.n_iter_ == 1

    pipeline = make_pipeline(StandardScaler(), model)
    scores = cross_val_score(pipeline, X, y, cv=3)
    assert scores.shape == (3,) and np.all((scores >= 0) & (scores <= 1))
    assert np.mean(scores) > 0.6  # it learned something

    search = GridSearchCV(
        pipeline,
        {"mlpclassifier__alpha": [1e-4, 1e-1], "mlpclassifier__activation": ["relu", "leaky_relu"]},
        cv=2,
    )
    search.fit(X, y)
    assert search.best_params_["mlpclassifier__activation"] in ("relu", "leaky_relu")
    assert search.predict(X).shape == (120,)

    Xr, yr = make_regression(100, 3, noise=1.0, random_state=0)
    regressor = make_pipeline(
        StandardScaler(),
        MLPRegressor(hidden_layer_sizes=(8,), solver="lbfgs", max_iter=200, random_state=0),
    )
    assert cross_val_score(regressor, Xr, yr / 100, cv=3).mean() > 0.8


def test_coefs_can_be_replaced_after_fit():
    X, y = make_classification(60, 3, n_informative=2, n_redundant=0, random_state=0)
    model = MLPClassifier((4,), max_iter=5, random_state=0).fit(X, y)
    model.coefs_ = [np.zeros_like(c) for c in model.coefs_]
    model.intercepts_ = [np.zeros_like(c) for c in model.intercepts_]
    np.testing.assert_allclose(model.predict_proba(X), 0.5)
    # partial_fit starts from the replaced weights.
    model.partial_fit(X, y)
    assert np.abs(model.coefs_[0]).max() < 0.1


def test_partial_fit_unavailable_for_lbfgs():
    assert not hasattr(MLPClassifier(solver="lbfgs"), "partial_fit")
    assert not hasattr(MLPRegressor(solver="lbfgs"), "partial_fit")
    assert hasattr(MLPClassifier(solver="rprop"), "partial_fit")
