"""Checkers for the Playground challenges of chapter 12 (the lecture's "neural net activity").

``check_challenge(n, playground)`` says whether the learner's Playground, as it is now,
meets challenge ``n``, and if not, every reason why::

    from widgets import Playground, check_challenge
    pg = Playground(dataset="gauss", hidden=(1,))
    pg.train(50)
    print(check_challenge(1, pg))       # "Challenge 1 ... met" or the reasons it is not

The challenges (1, 2, 3, 3.5, 4, 4.5 and 5, as the lecture numbers them):

1. the cluster (gauss) data with a single hidden neuron;
2. the checkerboard (xor) data with a single hidden neuron;
3. the checkerboard with only X₁ and X₂ as inputs; 3.5: the same with an activation
   other than tanh;
4. the circle data with a single hidden layer; 4.5: with only X₁ and X₂ and at most
   three hidden neurons in all (any number of layers);
5. the spiral data at noise 20 with 70% training data.

Separating means a test loss of at most :data:`TEST_LOSS_THRESHOLD` = 0.05 after some
training. The reason for that number: the loss is the mean of ½(o − t)² with targets
±1 and a tanh output, so a test point on the wrong side of the boundary (o and t of
opposite signs, |o − t| ≥ 1) adds at least ½ to the sum. A test loss of 0.05 therefore
allows at most 2 × 0.05 = 10% of the test points to be misclassified, whatever the
others do, while an untrained network, which answers about 0 everywhere, sits near 0.5.
(:func:`max_error_rate` computes the bound.)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

#: The largest test loss that counts as "separated" (at most 10% of test points wrong).
TEST_LOSS_THRESHOLD = 0.05

#: Hidden neurons allowed in challenge 4.5 (with only X₁ and X₂: three lines enclose a triangle).
CIRCLE_MIN_NEURONS = 3


@dataclass(frozen=True)
class Challenge:
    """One challenge: its number, a title, the data it needs and its own rules."""

    number: float
    title: str
    dataset: str
    noise: int | None = None  # None: any noise
    train_percent: int | None = None  # None: any ratio
    one_hidden_neuron: bool = False
    single_layer: bool = False
    only_x1_x2: bool = False
    max_hidden_neurons: int | None = None
    not_tanh: bool = False


CHALLENGES = {
    1: Challenge(
        1, "separate the cluster data with one hidden neuron", "gauss", one_hidden_neuron=True
    ),
    2: Challenge(
        2, "separate the checkerboard data with one hidden neuron", "xor", one_hidden_neuron=True
    ),
    3: Challenge(
        3, "separate the checkerboard data with only X₁ and X₂ as inputs", "xor", only_x1_x2=True
    ),
    3.5: Challenge(
        3.5, "challenge 3 with an activation other than tanh", "xor", only_x1_x2=True, not_tanh=True
    ),
    4: Challenge(
        4, "separate the circle data with a single hidden layer", "circle", single_layer=True
    ),
    4.5: Challenge(
        4.5,
        f"separate the circle data from X₁ and X₂ with at most {CIRCLE_MIN_NEURONS} hidden neurons",
        "circle",
        only_x1_x2=True,
        max_hidden_neurons=CIRCLE_MIN_NEURONS,
    ),
    5: Challenge(
        5,
        "separate the spiral data at noise 20 with 70% training data",
        "spiral",
        noise=20,
        train_percent=70,
    ),
}


@dataclass
class ChallengeResult:
    """Whether a Playground meets a challenge, and why not.

    ``bool(result)`` is ``passed``; ``str(result)`` is a short report for the learner.
    """

    challenge: Challenge
    passed: bool
    reasons: list = field(default_factory=list)
    test_loss: float = float("nan")
    epoch: int = 0

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        head = f"Challenge {self.challenge.number:g} ({self.challenge.title}): "
        if self.passed:
            return (
                head + f"met. Test loss {self.test_loss:.3f} ≤ {TEST_LOSS_THRESHOLD} "
                f"after {self.epoch} epochs, so at most {max_error_rate(self.test_loss):.1%} "
                "of the test points can be on the wrong side."
            )
        return head + "not yet.\n" + "\n".join(f"  - {reason}" for reason in self.reasons)


def max_error_rate(test_loss: float = TEST_LOSS_THRESHOLD) -> float:
    """The largest share of misclassified test points a test loss allows: 2 × loss, at most 1.

    The course's one error bound (chapter 12 and its quiz use it).

    Each misclassified point contributes at least ½(1)² = ½ to the mean of ½(o − t)².
    """
    return float(min(1.0, 2.0 * test_loss))


def _session(playground):
    session = getattr(playground, "session", playground)
    if not all(hasattr(session, name) for name in ("config", "net", "F_test", "y_test")):
        raise TypeError(
            f"playground must be a Playground (or its session); got {type(playground).__name__}."
        )
    return session


def _neurons(n):
    return f"{n} neuron{'s' if n != 1 else ''}"


def check_challenge(n, playground) -> ChallengeResult:
    """Does ``playground``, as it is now, meet challenge ``n`` (1, 2, 3, 3.5, 4, 4.5 or 5)?

    Returns
    -------
    ChallengeResult
        ``passed`` and, when it is not, one sentence per unmet condition: the data, the
        features, the layer and neuron limits, training, and the test loss (at most
        ``TEST_LOSS_THRESHOLD``).
    """
    if isinstance(n, bool) or n not in CHALLENGES:
        raise ValueError(f"n must be one of the challenges {list(CHALLENGES)}; got {n!r}.")
    challenge = CHALLENGES[n]
    session = _session(playground)
    config = session.config
    reasons = []
    if config.problem != "classification":
        reasons.append(
            f"the problem type is {config.problem}; the challenges are classification problems"
        )
    if config.dataset != challenge.dataset:
        reasons.append(
            f"the data set is {config.dataset}; this challenge needs {challenge.dataset}"
        )
    if challenge.noise is not None and config.noise != challenge.noise:
        reasons.append(f"the noise is {config.noise}; this challenge needs noise {challenge.noise}")
    if challenge.train_percent is not None and config.train_percent != challenge.train_percent:
        reasons.append(
            f"the training data is {config.train_percent}%; "
            f"this challenge needs {challenge.train_percent}%"
        )
    hidden = config.hidden
    if challenge.one_hidden_neuron and hidden != (1,):
        reasons.append(
            f"the network has hidden layers {list(hidden)}; "
            "this challenge allows one hidden layer of a single neuron"
        )
    if challenge.single_layer and len(hidden) != 1:
        reasons.append(
            f"the network has {len(hidden)} hidden layers; this challenge needs exactly one"
        )
    if challenge.max_hidden_neurons is not None and sum(hidden) > challenge.max_hidden_neurons:
        reasons.append(
            f"the network has {_neurons(sum(hidden))} in its hidden layers; "
            f"this challenge allows at most {challenge.max_hidden_neurons}"
        )
    if challenge.only_x1_x2 and not set(config.features) <= {"x1", "x2"}:
        extra = [f for f in config.features if f not in ("x1", "x2")]
        reasons.append(
            f"the inputs include {', '.join(extra)}; this challenge allows only x1 and x2"
        )
    if challenge.not_tanh and config.activation == "tanh":
        reasons.append(
            "the activation is tanh; "
            "this part asks you to try another one (relu, sigmoid or linear)"
        )
    test_loss = float("nan")
    if session.diverged:
        reasons.append("training diverged: lower the learning rate and press reset")
    elif session.epoch == 0:
        reasons.append("the network has not been trained yet (epoch 0): press play or step")
    else:
        test_loss = session.net.loss(session.F_test, session.y_test)
        if not test_loss <= TEST_LOSS_THRESHOLD:
            reasons.append(
                f"the test loss is {test_loss:.3f}; separating means at most {TEST_LOSS_THRESHOLD} "
                f"(at most {max_error_rate():.0%} of test points misclassified): "
                "train longer or change the network"
            )
    return ChallengeResult(
        challenge=challenge,
        passed=not reasons,
        reasons=reasons,
        test_loss=test_loss,
        epoch=session.epoch,
    )


def misclassified_share(playground) -> float:
    """The share of test points whose output has the wrong sign.

    A chapter's cross-check of :func:`max_error_rate`.
    """
    session = _session(playground)
    output = session.net.predict(session.F_test)
    return float(np.mean(np.sign(output) != session.y_test))
