"""What the engine adds to scikit-learn: L1, dropout, leaky ReLU, init, more solvers, history_."""

import warnings

import numpy as np
import pytest
from sklearn.datasets import make_classification, make_moons
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelBinarizer

from widgets.engine import MLPClassifier, MLPRegressor, Network


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        yield


@pytest.fixture(scope="module")
def moons():
    return make_moons(200, noise=0.15, random_state=0)


def test_first_epoch_loss_includes_both_penalties(moons):
    X, y = moons
    l1, alpha = 0.3, 0.2
    # One full batch, no shuffling: the first loss is J at the initial weights.
    model = MLPClassifier(
        (5,),
        solver="sgd",
        batch_size=len(y),
        shuffle=False,
        l1=l1,
        alpha=alpha,
        max_iter=1,
        random_state=4,
    ).fit(X, y)
    network = Network([2, 5, 1], activation="relu", output="logistic", random_state=4)
    weights = np.concatenate([c.ravel() for c in network.coefs])
    data_loss = network.loss_and_gradients(X, y.reshape(-1, 1))[0]
    expected = data_loss + (l1 * np.abs(weights).sum() + 0.5 * alpha * (weights**2).sum()) / len(y)
    assert model.loss_curve_[0] == pytest.approx(expected, rel=1e-12)


def test_l1_drives_weights_to_zero(moons):
    X, y = moons
    params = dict(
        hidden_layer_sizes=(20,),
        solver="adam",
        learning_rate_init=0.02,
        max_iter=150,
        random_state=0,
    )
    plain = MLPClassifier(**params).fit(X, y)
    sparse = MLPClassifier(l1=1.0, **params).fit(X, y)
    small = lambda model: np.mean(np.abs(model.coefs_[0]) < 1e-2)  # noqa: E731
    assert np.abs(sparse.coefs_[0]).sum() < 0.6 * np.abs(plain.coefs_[0]).sum()
    assert small(sparse) > small(plain) + 0.3
    assert sparse.score(X, y) > 0.9  # still a good model


@pytest.mark.parametrize("solver", ["sgd", "adam", "rmsprop"])
def test_l1_gives_exact_zeros_with_every_stochastic_solver(moons, solver):
    X, y = moons
    params = dict(hidden_layer_sizes=(20,), solver=solver, max_iter=200, random_state=0)
    params["learning_rate_init"] = 0.2 if solver == "sgd" else 0.02
    plain = MLPClassifier(**params).fit(X, y)
    sparse = MLPClassifier(l1=1.0, **params).fit(X, y)
    exact_zeros = lambda model: sum(int((c == 0.0).sum()) for c in model.coefs_)  # noqa: E731
    assert exact_zeros(plain) == 0
    assert exact_zeros(sparse) > 0.5 * sum(c.size for c in sparse.coefs_)
    assert sparse.score(X, y) > 0.9


def test_l1_without_hidden_layer_is_the_lasso():
    # No hidden layer, identity output, full-batch SGD: the engine minimises
    # (1/2n)|y - Xw - b|^2 + (l1/n)|w|_1, scikit-learn's Lasso with alpha = l1/n.
    # Both the exact zeros and the surviving weights must agree.
    from sklearn.datasets import make_regression
    from sklearn.linear_model import Lasso

    X, y = make_regression(100, 8, n_informative=3, noise=5.0, random_state=0)
    y = y / y.std()
    n, l1 = len(y), 20.0
    model = MLPRegressor(
        hidden_layer_sizes=(),
        solver="sgd",
        learning_rate_init=0.1,
        momentum=0.0,
        batch_size=n,
        shuffle=False,
        max_iter=3000,
        tol=0.0,
        n_iter_no_change=3000,
        l1=l1,
        alpha=0.0,
        random_state=0,
    ).fit(X, y)
    lasso = Lasso(alpha=l1 / n, tol=1e-12, max_iter=100_000).fit(X, y)
    weights = model.coefs_[0].ravel()
    np.testing.assert_array_equal(weights == 0.0, lasso.coef_ == 0.0)
    assert (weights == 0.0).sum() >= 3
    np.testing.assert_allclose(weights, lasso.coef_, atol=1e-9)
    np.testing.assert_allclose(model.intercepts_[0], lasso.intercept_, atol=1e-9)


def test_l1_zero_weights_meet_the_optimality_condition(moons):
    # Full batch, converged: a weight held at zero has |dL/dw| <= l1/n (the data
    # cannot pull it out); a non-zero one has dL/dw = -(l1/n) sign(w) (here to within
    # 0.1 % of l1/n: full-batch descent approaches the optimum slowly).
    X, y = moons
    n, l1 = len(y), 2.0
    model = MLPClassifier(
        (6,),
        solver="sgd",
        learning_rate_init=0.3,
        momentum=0.0,
        batch_size=n,
        shuffle=False,
        max_iter=20_000,
        tol=0.0,
        n_iter_no_change=20_000,
        l1=l1,
        random_state=2,
    ).fit(X, y)
    network = Network([2, 6, 1], activation="relu", output="logistic")
    network.coefs, network.intercepts = model.coefs_, model.intercepts_
    _, coef_grads, _ = network.loss_and_gradients(X, y.reshape(-1, 1))
    threshold = l1 / n
    for weights, grads in zip(model.coefs_, coef_grads):
        zero = weights == 0.0
        assert np.all(np.abs(grads[zero]) <= threshold * (1 + 1e-6))
        np.testing.assert_allclose(
            grads[~zero], -threshold * np.sign(weights[~zero]), atol=1e-3 * threshold
        )
    assert sum(int((w == 0.0).sum()) for w in model.coefs_) > 0


def test_dropout_changes_training_not_prediction(moons):
    X, y = moons
    params = dict(
        hidden_layer_sizes=(16,),
        solver="adam",
        learning_rate_init=0.01,
        max_iter=30,
        random_state=1,
    )
    plain = MLPClassifier(**params).fit(X, y)
    dropped = MLPClassifier(dropout=0.5, **params).fit(X, y)
    again = MLPClassifier(dropout=0.5, **params).fit(X, y)
    other_seed = MLPClassifier(dropout=0.5, **{**params, "random_state": 2}).fit(X, y)
    assert not np.allclose(plain.coefs_[0], dropped.coefs_[0])
    np.testing.assert_array_equal(dropped.coefs_[0], again.coefs_[0])  # reproducible
    assert not np.allclose(dropped.loss_curve_, other_seed.loss_curve_)
    # Prediction is deterministic and uses every unit (no rescaling needed).
    np.testing.assert_array_equal(dropped.predict_proba(X), dropped.predict_proba(X))
    network = Network([2, 16, 1], activation="relu", output="logistic")
    network.coefs, network.intercepts = dropped.coefs_, dropped.intercepts_
    np.testing.assert_allclose(dropped.predict_proba(X)[:, 1], network.forward(X)[:, 0])
    assert dropped.score(X, y) > 0.8


def test_leaky_relu_and_solvers_learn(moons):
    X, y = moons
    for solver, options in [
        ("sgd", None),
        ("adam", None),
        ("rprop", None),
        ("adagrad", {"lr_decay": 0.0}),
        ("rmsprop", {"centered": True, "momentum": 0.5}),
    ]:
        model = MLPClassifier(
            (16, 8),
            activation="leaky_relu",
            solver=solver,
            solver_options=options,
            learning_rate_init=0.03,
            max_iter=200,
            random_state=0,
        ).fit(X, y)
        assert model.loss_curve_[-1] < 0.5 * model.loss_curve_[0], solver
        assert model.score(X, y) >= 0.9, solver


def test_solver_options_reach_the_optimizer(moons):
    X, y = moons
    params = dict(hidden_layer_sizes=(6,), solver="rprop", max_iter=5, random_state=0)
    default = MLPClassifier(**params).fit(X, y)
    tuned = MLPClassifier(solver_options={"etas": (0.3, 1.5)}, **params).fit(X, y)
    assert (tuned._optimizer.eta_minus, tuned._optimizer.eta_plus) == (0.3, 1.5)
    assert tuned._optimizer.learning_rate == params.get("learning_rate_init", 0.001)
    assert not np.allclose(default.coefs_[0], tuned.coefs_[0])


@pytest.mark.parametrize("init", ["zeros", "constant"])
def test_symmetric_init_keeps_hidden_units_identical(moons, init):
    X, y = moons
    model = MLPClassifier(
        (4,),
        activation="tanh",
        solver="sgd",
        init=init,
        init_scale=0.2,
        max_iter=20,
        random_state=0,
    ).fit(X, y)
    first = model.coefs_[0]
    assert np.allclose(first, first[:, :1])  # every hidden unit has the same weights
    assert np.allclose(model.coefs_[1], model.coefs_[1][0])


def test_normal_and_uniform_init_scale():
    X, y = make_classification(50, 30, random_state=0)
    wide = MLPClassifier(
        (200,),
        init="normal",
        init_scale=0.5,
        max_iter=1,
        solver="sgd",
        learning_rate_init=1e-12,
        random_state=0,
    ).fit(X, y)
    assert np.std(wide.coefs_[0]) == pytest.approx(0.5, rel=0.05)
    narrow = MLPClassifier(
        (200,),
        init="uniform",
        init_scale=0.01,
        max_iter=1,
        solver="sgd",
        learning_rate_init=1e-12,
        random_state=0,
    ).fit(X, y)
    assert np.abs(narrow.coefs_[0]).max() <= 0.01 + 1e-9


def test_history_with_validation_split(moons):
    X, y = moons
    seed, fraction = 3, 0.2
    model = MLPClassifier(
        (8,),
        solver="adam",
        learning_rate_init=0.01,
        early_stopping=True,
        validation_fraction=fraction,
        n_iter_no_change=5,
        max_iter=60,
        random_state=seed,
    ).fit(X, y)
    history = model.history_
    assert set(history) == {"loss", "learning_rate", "val_loss", "val_score"}
    assert all(len(values) == model.n_iter_ for values in history.values())
    assert history["loss"] == model.loss_curve_
    assert history["val_score"] == model.validation_scores_

    # Recreate scikit-learn's split (initial weights first, then the split,
    # from one RandomState) and check the validation loss of the best epoch:
    # the fitted model holds that epoch's weights.
    rng = np.random.RandomState(seed)
    Network([2, 8, 1], activation="relu", output="logistic", random_state=rng)
    y_binary = LabelBinarizer().fit_transform(y).astype(bool)
    _, X_val, _, y_val = train_test_split(
        X, y_binary, random_state=rng, test_size=fraction, stratify=y_binary
    )
    best = int(np.argmax(history["val_score"]))
    p = model.predict_proba(X_val)[:, 1]
    expected = -np.mean(np.where(y_val[:, 0], np.log(p), np.log(1 - p)))
    assert history["val_loss"][best] == pytest.approx(expected, rel=1e-9)
    assert model.score(X_val, y_val[:, 0].astype(int)) == pytest.approx(
        model.best_validation_score_
    )


def test_history_without_validation_and_for_regression():
    X, y = make_classification(60, 4, random_state=0)
    model = MLPRegressor(
        hidden_layer_sizes=(5,),
        solver="sgd",
        learning_rate="invscaling",
        learning_rate_init=0.05,
        max_iter=5,
        random_state=0,
    ).fit(X, y)
    assert set(model.history_) == {"loss", "learning_rate"}
    rates = model.history_["learning_rate"]
    assert rates[0] == 0.05 and rates[1] == pytest.approx(0.05 / (61**0.5))
    lbfgs = MLPRegressor(hidden_layer_sizes=(5,), solver="lbfgs", max_iter=15, random_state=0).fit(
        X, y
    )
    assert len(lbfgs.history_["loss"]) == lbfgs.n_iter_
    assert lbfgs.history_["loss"][-1] == pytest.approx(lbfgs.loss_)
