"""The diagnose-the-run cases: each shows its symptom by its criterion, and its fix removes it."""

from __future__ import annotations

import math

import numpy as np
import pytest

from widgets.engine.diagnosis import (
    CASES,
    CAUSES,
    FIXES,
    Run,
    case_settings,
    diagnose,
    fixed_settings,
    has_symptom,
    measure,
    train_run,
)
from widgets.engine.landscape import network_from_classifier

KINDS = list(CASES)


@pytest.fixture(scope="module")
def runs():
    """The first six cases (one per cause) and each with its remedy applied."""
    out = {}
    for k, kind in enumerate(KINDS):
        settings = case_settings(k)
        out[kind] = (train_run(settings), train_run(fixed_settings(settings, CAUSES[kind][2])))
    return out


def test_the_sequence_cycles_through_every_cause_then_reseeds():
    kinds = [case_settings(k)["cause"] for k in range(2 * len(KINDS))]
    assert kinds == KINDS * 2
    assert [case_settings(k)["seed"] for k in (0, len(KINDS) - 1, len(KINDS))] == [0, 0, 1]
    assert set(CAUSES) == set(CASES) and {c[2] for c in CAUSES.values()} <= set(FIXES)


@pytest.mark.parametrize("kind", KINDS)
def test_each_case_shows_its_symptom_and_its_fix_removes_it(runs, kind):
    run, fixed = runs[kind]
    symptom = CAUSES[kind][1]
    assert has_symptom(run, symptom), measure(run)
    assert not has_symptom(fixed, symptom), measure(fixed)
    assert not fixed.diverged


def test_the_measured_numbers_behind_the_symptoms(runs):
    # Recomputed here from the raw curves, not through measure().
    high, fixed = runs["rate_too_high"]
    assert high.loss[-10:].mean() > 2 * high.loss.min()
    assert fixed.loss[-10:].mean() < 2 * fixed.loss.min()
    low, _ = runs["rate_too_low"]
    assert low.loss[-1] > 0.5 * low.loss[0] and np.all(np.diff(low.loss) <= 1e-9)
    small, more = runs["too_few_units"]
    assert small.train_accuracy[-1] < 0.85 <= more.train_accuracy[-1]
    over, l2 = runs["no_regularization"]
    assert over.train_accuracy[-1] - over.val_accuracy[-1] > 0.1
    assert over.val_loss[-1] > 1.5 * over.val_loss.min()
    assert l2.val_loss[-1] < over.val_loss[-1]
    saturated, glorot = runs["saturating_init"]
    assert saturated.saturated[0] > 0.5 and glorot.saturated[0] < 0.1
    assert saturated.loss[10] > math.log(2) > glorot.loss[10]
    deep, relu = runs["deep_sigmoid"]
    assert deep.grad_norms[0, 0] < 1e-2 * deep.grad_norms[0, -1]
    assert relu.grad_norms[0, 0] > 1e-2 * relu.grad_norms[0, -1]
    assert deep.loss[-1] > relu.loss[-1]


def test_a_run_records_the_estimators_own_training():
    # Epoch 0 is the estimator's initial network; the last epoch its final weights.
    from widgets.engine import MLPClassifier
    from widgets.engine.sweeps import make_dataset

    settings = {**case_settings(0), "learning_rate_init": 0.1, "epochs": 3}
    run = train_run(settings)
    assert isinstance(run, Run) and len(run.loss) == 4 and run.grad_norms.shape == (4, 2)
    X, y, X_val, y_val = make_dataset("moons", 0.2, 200, 400, 0)
    model = MLPClassifier(
        (16,),
        activation="tanh",
        solver="sgd",
        learning_rate_init=0.1,
        momentum=0.9,
        nesterovs_momentum=False,
        batch_size=20,
        random_state=np.random.RandomState(0),
    )
    model.partial_fit(X, y, classes=[0, 1])
    first = network_from_classifier(model)
    assert run.train_accuracy[1] == pytest.approx(np.mean((first.forward(X)[:, 0] > 0.5) == y))
    from sklearn.metrics import log_loss

    assert run.val_loss[1] == pytest.approx(log_loss(y_val, first.forward(X_val)[:, 0]))


def test_a_diverging_run_stops_and_says_so():
    settings = {**case_settings(0), "activation": "relu", "learning_rate_init": 1e9}
    run = train_run({**settings, "epochs": 5})
    assert run.diverged and run.diverged_at == len(run.loss)  # epochs 0 .. diverged_at - 1
    assert has_symptom(run, "instability") and not has_symptom(run, "crawling")
    assert np.isfinite(run.loss).all() and np.isfinite(run.grad_norms).all()


def test_diagnose_judges_cause_and_fix_by_measurement(runs):
    run, fixed = runs["rate_too_high"]
    right = diagnose(run, fixed, "rate_too_high", "lower_rate")
    assert right.cause_right and right.fix_works and right.fix_is_the_remedy
    assert "Right" in right.explanation
    assert right.new_symptoms == []
    wrong = diagnose(run, run, "too_few_units", "lower_rate")
    assert not wrong.cause_right and not wrong.fix_works
    assert "underfitting" in wrong.explanation
    # ReLU units stop the jumping but leave a dead network: a symptom traded for others.
    dead = train_run(fixed_settings(run.settings, "relu_units"))
    traded = diagnose(run, dead, "rate_too_high", "relu_units")
    assert traded.fix_works and not traded.fix_is_the_remedy
    assert traded.new_symptoms and "But it now shows" in traded.explanation
    assert dead.train_accuracy[-1] < 0.6  # it separates nothing


def test_arguments_are_checked():
    with pytest.raises(ValueError, match="fix"):
        fixed_settings(case_settings(0), "more_data")
    with pytest.raises(ValueError, match="k"):
        case_settings(-1)
    with pytest.raises(ValueError, match="symptom"):
        has_symptom(train_run({**case_settings(0), "epochs": 1}), "boredom")
    with pytest.raises(TypeError, match="run"):
        measure("a run")
    with pytest.raises(ValueError, match="settings lacks \\['seed'\\]"):
        train_run({k: v for k, v in case_settings(0).items() if k != "seed"})
    with pytest.raises(TypeError, match="settings"):
        train_run([("epochs", 3)])
