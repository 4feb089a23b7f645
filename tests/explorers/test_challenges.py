"""The chapter 12 challenge checkers: solutions pass, wrong networks fail with the right reasons."""

from __future__ import annotations

import pytest

from widgets.explorers.playground import Playground, run_playground
from widgets.explorers.playground.challenges import (
    CHALLENGES,
    CIRCLE_MIN_NEURONS,
    LINE_WIDTH,
    MAX_MISCLASSIFIED,
    TEST_LOSS_THRESHOLD,
    check_challenge,
    is_separated,
    max_error_rate,
    misclassified_share,
)

SIX = ("x1", "x2", "x1^2", "x2^2", "sin(x1)", "sin(x2)")

# One working network per challenge (chapter 12 reports the same ones over ten seeds).
SOLUTIONS = {
    1: (dict(dataset="gauss", features=("x1", "x2"), hidden=(1,)), 50),
    2: (dict(dataset="xor", features=("x1*x2",), hidden=(1,), learning_rate=0.1), 50),
    3: (dict(dataset="xor", features=("x1", "x2"), hidden=(3,)), 300),
    3.5: (
        dict(
            dataset="xor", features=("x1", "x2"), hidden=(4,), activation="relu", learning_rate=0.1
        ),
        100,
    ),
    4: (dict(dataset="circle", features=("x1^2", "x2^2"), hidden=(1,)), 50),
    4.5: (dict(dataset="circle", features=("x1", "x2"), hidden=(3,), learning_rate=0.1), 150),
    5: (dict(dataset="spiral", noise=20, train_percent=70, features=SIX, hidden=(8, 6)), 150),
}


def assert_lines_fit(result):
    for line in str(result).splitlines():
        assert len(line) <= LINE_WIDTH, line


@pytest.mark.parametrize("n", list(SOLUTIONS))
def test_a_solution_passes_and_its_untrained_start_does_not(n):
    settings, epochs = SOLUTIONS[n]
    pg = Playground(**settings)
    before = check_challenge(n, pg)
    assert not before and any("not been trained" in r for r in before.reasons)
    pg.train(epochs)
    result = check_challenge(n, pg)
    assert result, str(result)
    assert result.misclassified == misclassified_share(pg) <= MAX_MISCLASSIFIED
    assert "met after" in str(result) and f"test loss {result.test_loss:.3f}" in str(result)
    assert_lines_fit(result)
    # The loss bound is honest: the share of misclassified test points is within it.
    assert misclassified_share(pg) <= max_error_rate(result.test_loss)


def test_every_challenge_has_a_solution():
    assert set(SOLUTIONS) == set(CHALLENGES)


def test_the_loss_threshold_is_sufficient_not_necessary():
    # The noisy checkerboard drawn by the exact feature: few points wrong, a high loss.
    noisy = run_playground(
        50, dataset="xor", noise=25, features=("x1*x2",), hidden=(1,), learning_rate=0.1
    )
    result = check_challenge(2, noisy)
    assert result and result.test_loss > TEST_LOSS_THRESHOLD
    assert result.misclassified <= MAX_MISCLASSIFIED
    assert "above 0.05, so the loss alone guarantees nothing" in str(result)
    # Whenever the loss is within the threshold, the share is within 10% (the bound).
    for settings, epochs in SOLUTIONS.values():
        run = run_playground(min(epochs, 50), **settings)
        if run.test_loss <= TEST_LOSS_THRESHOLD:
            assert is_separated(misclassified_share(run))
            assert "which alone guarantees at most 10% wrong" in str(check_challenge(1, run))


def test_linear_network_on_the_spiral_fails_on_the_share():
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
    assert len(result.reasons) == 1
    assert "of the test points are wrong, more than the 10% allowed" in result.reasons[0]
    assert result.misclassified > 0.3  # a linear network can only draw one straight boundary
    assert_lines_fit(result)


def test_challenge_4_5_accepts_both_readings():
    squares = run_playground(50, dataset="circle", features=("x1^2", "x2^2"), hidden=())
    result = check_challenge(4.5, squares)
    assert result and "no hidden neuron at all" in str(result)
    settings, epochs = SOLUTIONS[4.5]
    result = check_challenge(4.5, run_playground(epochs, **settings))
    assert result and f"{CIRCLE_MIN_NEURONS} hidden neurons: the fewest" in str(result)


@pytest.mark.parametrize(
    "settings, reason",
    [
        (
            dict(dataset="circle", features=("x1", "x2"), hidden=(4,), learning_rate=0.1),
            "separates the circle with 4 hidden neurons, but fewer can do it from X₁ and X₂",
        ),
        (
            dict(dataset="circle", features=("x1^2", "x2^2"), hidden=(1,)),
            "separates the circle with 1 hidden neuron, but fewer can do it",
        ),
    ],
)
def test_challenge_4_5_asks_for_fewer_without_naming_the_number(settings, reason):
    run = run_playground(150, **settings)
    result = check_challenge(4.5, run)
    assert not result and result.misclassified <= MAX_MISCLASSIFIED
    assert any(reason in r for r in result.reasons), result.reasons
    assert_lines_fit(result)


@pytest.mark.parametrize("n", [4, 4.5])
@pytest.mark.parametrize("hidden", [(4, 2), (4,), (2,), (1,)])
def test_circle_checkers_do_not_give_the_answer_away(n, hidden):
    for epochs in (0, 100):
        text = str(check_challenge(n, run_playground(epochs, dataset="circle", hidden=hidden)))
        if "met after" in text:
            continue  # once met, the checker may say why
        assert f"at most {CIRCLE_MIN_NEURONS}" not in text
        assert f"{CIRCLE_MIN_NEURONS} hidden" not in text and "three" not in text
    assert "as few hidden neurons as you can" in CHALLENGES[4.5].title


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
        (4.5, dict(dataset="xor", hidden=(3,)), "this challenge needs circle"),
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
    text = " ".join(str(result).split())  # the report wraps its lines
    assert reason in text and "not yet" in text
    assert_lines_fit(result)


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
    assert max_error_rate(TEST_LOSS_THRESHOLD) == pytest.approx(MAX_MISCLASSIFIED)


def test_exactly_ten_percent_counts_as_separated():
    assert is_separated(25 / 250) and is_separated(0.0)
    assert not is_separated(26 / 250)
