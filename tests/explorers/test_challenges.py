"""The chapter 12 challenge checkers: solutions pass, wrong networks fail with the right reasons."""

from __future__ import annotations

import pytest

from widgets.explorers.playground import Playground
from widgets.explorers.playground.challenges import (
    CHALLENGES,
    TEST_LOSS_THRESHOLD,
    check_challenge,
    max_error_rate,
    misclassified_share,
)

# One working network per challenge (the chapter shows the same ones behind "show a solution").
SOLUTIONS = {
    1: (dict(dataset="gauss", features=("x1", "x2"), hidden=(1,)), 50),
    2: (dict(dataset="xor", features=("x1*x2",), hidden=(1,), learning_rate=0.1), 50),
    3: (dict(dataset="xor", features=("x1", "x2"), hidden=(4, 2), learning_rate=0.1), 150),
    3.5: (
        dict(
            dataset="xor", features=("x1", "x2"), hidden=(4,), activation="relu", learning_rate=0.1
        ),
        100,
    ),
    4: (dict(dataset="circle", features=("x1^2", "x2^2"), hidden=(1,)), 50),
    4.5: (dict(dataset="circle", features=("x1", "x2"), hidden=(3,), learning_rate=0.1), 150),
    5: (
        dict(
            dataset="spiral",
            noise=20,
            train_percent=70,
            features=("x1", "x2", "x1^2", "x2^2", "sin(x1)", "sin(x2)"),
            hidden=(8, 6),
        ),
        300,
    ),
}


@pytest.mark.parametrize("n", list(SOLUTIONS))
def test_a_solution_passes_and_its_untrained_start_does_not(n):
    settings, epochs = SOLUTIONS[n]
    pg = Playground(**settings)
    before = check_challenge(n, pg)
    assert not before and any("not been trained" in r for r in before.reasons)
    pg.train(epochs)
    result = check_challenge(n, pg)
    assert result, str(result)
    assert result.test_loss <= TEST_LOSS_THRESHOLD and "met" in str(result)
    # The loss bound is honest: the share of misclassified test points is within it.
    assert misclassified_share(pg) <= max_error_rate(result.test_loss)


def test_every_challenge_has_a_solution():
    assert set(SOLUTIONS) == set(CHALLENGES)


def test_linear_network_on_the_spiral_fails_on_the_loss():
    pg = Playground(
        dataset="spiral",
        noise=20,
        train_percent=70,
        activation="linear",
        hidden=(8, 8),
        features=("x1", "x2"),
    )
    pg.train(100)
    result = check_challenge(5, pg)
    assert not result
    assert len(result.reasons) == 1 and result.reasons[0].startswith("the test loss is")
    assert result.test_loss > 0.3  # a linear network can only draw one straight boundary


@pytest.mark.parametrize(
    "n, settings, reason",
    [
        (1, dict(dataset="gauss", hidden=(2,)), "one hidden layer of a single neuron"),
        (1, dict(dataset="circle", hidden=(1,)), "this challenge needs gauss"),
        (2, dict(dataset="xor", hidden=(1, 1)), "one hidden layer of a single neuron"),
        (3, dict(dataset="xor", features=("x1", "x2", "x1*x2")), "the inputs include x1*x2"),
        (3.5, dict(dataset="xor"), "the activation is tanh"),
        (
            4,
            dict(dataset="circle", hidden=(3, 2)),
            "has 2 hidden layers; this challenge needs exactly one",
        ),
        (
            4.5,
            dict(dataset="circle", hidden=(4,)),
            "4 neurons in its hidden layers; this challenge allows at most 3",
        ),
        (
            4.5,
            dict(dataset="circle", hidden=(2,), features=("x1^2", "x2^2")),
            "allows only x1 and x2",
        ),
        (5, dict(dataset="spiral", noise=10, train_percent=70), "this challenge needs noise 20"),
        (5, dict(dataset="spiral", noise=20, train_percent=50), "this challenge needs 70%"),
        (5, dict(problem="regression"), "the problem type is regression"),
    ],
)
def test_each_rule_is_checked_and_explained(n, settings, reason):
    pg = Playground(**settings)
    pg.train(2)
    result = check_challenge(n, pg)
    assert not result
    assert any(reason in r for r in result.reasons), result.reasons
    assert reason in str(result) and "not yet" in str(result)


def test_diverged_run_fails():
    pg = Playground(dataset="circle", hidden=(4,), learning_rate=10)
    pg.train(30)
    assert pg.diverged
    assert any("diverged" in r for r in check_challenge(4, pg).reasons)


def test_checker_reads_the_playground_as_it_is_now():
    pg = Playground(dataset="gauss", hidden=(1,))
    pg.train(30)
    assert check_challenge(1, pg)
    pg.controls["hidden"].value = (1, 1)  # changing the network restarts it
    result = check_challenge(1, pg)
    assert not result and len(result.reasons) == 2


def test_bad_arguments():
    with pytest.raises(ValueError, match="n must be one of the challenges"):
        check_challenge(6, Playground())
    with pytest.raises(ValueError, match="n must be one of the challenges"):
        check_challenge(True, Playground())
    with pytest.raises(TypeError, match="playground must be a Playground"):
        check_challenge(1, "my network")


def test_threshold_bound():
    assert max_error_rate() == pytest.approx(0.10)
    assert max_error_rate(0.7) == 1.0
