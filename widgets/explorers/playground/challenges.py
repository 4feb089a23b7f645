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
4. the circle data with a single hidden layer; 4.5: with the fewest hidden neurons
   (any number of layers). The lecture does not fix the inputs, so both readings count:
   no hidden neuron at all (the output neuron reads inputs such as X₁² and X₂²), or,
   with only X₁ and X₂, :data:`CIRCLE_MIN_NEURONS`. The checker's messages never say the
   number: finding it is the challenge;
5. the spiral data at noise 20 with 70% training data.

**Separating** means that at most :data:`MAX_MISCLASSIFIED` = 10% of the *test* points
lie on the wrong side of the network's boundary (its output has the wrong sign), after
some training. The checkers count those points directly, and print the test loss as a
second line. The loss alone can *guarantee* the same thing, but only as a sufficient
condition: the loss is the mean of ½(o − t)² with targets ±1 and a tanh output, so a
test point on the wrong side (o and t of opposite signs, |o − t| ≥ 1) adds at least ½ to
the sum, and a test loss of at most :data:`TEST_LOSS_THRESHOLD` = 0.05 allows at most
2 × 0.05 = 10% of the test points to be misclassified (:func:`max_error_rate`). The
converse fails: points on the right side but with an output short of ±1 add to the loss
too, so a network can misclassify fewer than 10% of the points with a test loss well
above 0.05 (a noisy checkerboard drawn perfectly, or a checkerboard of three tanh
neurons, whose outputs stay soft near the boundaries). An untrained network, which
answers about 0 everywhere, misclassifies about half the points, with a loss near 0.5.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field

import numpy as np

#: The largest share of misclassified test points that counts as "separated".
MAX_MISCLASSIFIED = 0.10

#: A test loss this small alone guarantees at most 10% misclassified (sufficient, not necessary).
TEST_LOSS_THRESHOLD = 0.05

#: The fewest hidden neurons that separate the circle from X₁ and X₂ alone (three lines
#: are the fewest that enclose a region). With X₁² and X₂² as inputs it is none at all.
CIRCLE_MIN_NEURONS = 3

#: Printed lines wrap at this width, so that none is clipped on the page (an output box at
#: the book's text width, inside a collapsed solution, holds about 76 characters).
LINE_WIDTH = 74

_ONLY_X1_X2 = {"x1", "x2"}


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
    not_tanh: bool = False
    fewest_hidden: bool = False  # challenge 4.5: as few hidden neurons as possible


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
        "separate the circle with as few hidden neurons as you can",
        "circle",
        fewest_hidden=True,
    ),
    5: Challenge(
        5,
        "separate the spiral data at noise 20 with 70% training data",
        "spiral",
        noise=20,
        train_percent=70,
    ),
}


def _wrap(text: str, first: str, rest: str) -> str:
    return textwrap.fill(
        text, width=LINE_WIDTH, initial_indent=first, subsequent_indent=rest, break_on_hyphens=False
    )


@dataclass
class ChallengeResult:
    """Whether a Playground meets a challenge, and why not.

    ``bool(result)`` is ``passed``; ``str(result)`` is a short report for the learner,
    in lines of at most :data:`LINE_WIDTH` characters: the challenge, then whether it is
    met (or every reason it is not), then the test loss.
    """

    challenge: Challenge
    passed: bool
    reasons: list = field(default_factory=list)
    test_loss: float = float("nan")
    misclassified: float = float("nan")
    epoch: int = 0
    note: str = ""

    def __bool__(self) -> bool:
        return self.passed

    def _loss_line(self) -> str:
        if math.isnan(self.test_loss):
            return ""
        if self.test_loss <= TEST_LOSS_THRESHOLD:
            why = f"at most {TEST_LOSS_THRESHOLD}, which alone guarantees at most 10% wrong"
        else:
            why = f"above {TEST_LOSS_THRESHOLD}, so the loss alone guarantees nothing here"
        return _wrap(f"test loss {self.test_loss:.3f} ({why})", "  ", "    ")

    def __str__(self) -> str:
        lines = [_wrap(f"Challenge {self.challenge.number:g}: {self.challenge.title}", "", "  ")]
        if self.passed:
            met = (
                f"met after {self.epoch} epochs: {self.misclassified:.1%} of the test points "
                f"wrong (at most {MAX_MISCLASSIFIED:.0%})"
            )
            lines.append(_wrap(met, "  ", "    "))
            if self.note:
                lines.append(_wrap(self.note, "  ", "    "))
        else:
            lines.append("  not yet:")
            lines += [_wrap(reason, "  - ", "    ") for reason in self.reasons]
        loss = self._loss_line()
        return "\n".join(lines + ([loss] if loss else []))


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
    return f"{n} hidden neuron{'s' if n != 1 else ''}"


def misclassified_share(playground) -> float:
    """The share of test points whose output has the wrong sign (what the checkers count)."""
    session = _session(playground)
    if not len(session.y_test):
        return float("nan")
    output = session.net.predict(session.F_test)
    return float(np.mean(np.sign(output) != session.y_test))


def is_separated(share: float) -> bool:
    """Is a share of misclassified test points within :data:`MAX_MISCLASSIFIED`?

    (With a small tolerance, so that exactly 25 of 250 points counts as 10%.)
    """
    return bool(share <= MAX_MISCLASSIFIED + 1e-12)


def _fewest_hidden(session, reasons) -> str:
    """Challenge 4.5 on a separating network: is its number of hidden neurons the fewest?

    Returns a note for the "met" line, or appends a reason (which never names the number).
    """
    n = sum(session.config.hidden)
    only_x1_x2 = set(session.config.features) <= _ONLY_X1_X2
    if n == 0:
        return "no hidden neuron at all: the fewest possible (the inputs do the bending)"
    if only_x1_x2 and n <= CIRCLE_MIN_NEURONS:
        return f"{_neurons(n)}: the fewest that can do it from X₁ and X₂ alone"
    if only_x1_x2:
        reasons.append(
            f"the network separates the circle with {_neurons(n)}, but fewer can do it "
            "from X₁ and X₂: remove a neuron and train again"
        )
    else:
        reasons.append(
            f"the network separates the circle with {_neurons(n)}, but fewer can do it: "
            "remove a neuron, or think about what your inputs already do"
        )
    return ""


def check_challenge(n, playground) -> ChallengeResult:
    """Does ``playground``, as it is now, meet challenge ``n`` (1, 2, 3, 3.5, 4, 4.5 or 5)?

    Returns
    -------
    ChallengeResult
        ``passed`` and, when it is not, one sentence per unmet condition: the data, the
        features, the layer and neuron limits, training, and the share of misclassified
        test points (at most ``MAX_MISCLASSIFIED``); the test loss is reported beside it.
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
    if challenge.only_x1_x2 and not set(config.features) <= _ONLY_X1_X2:
        extra = [f for f in config.features if f not in _ONLY_X1_X2]
        reasons.append(
            f"the inputs include {', '.join(extra)}; this challenge allows only x1 and x2"
        )
    if challenge.not_tanh and config.activation == "tanh":
        reasons.append(
            "the activation is tanh; "
            "this part asks you to try another one (relu, sigmoid or linear)"
        )
    test_loss = misclassified = float("nan")
    note = ""
    if session.diverged:
        reasons.append("training diverged: lower the learning rate and press reset")
    elif session.epoch == 0:
        reasons.append("the network has not been trained yet (epoch 0): press play or step")
    elif not len(session.y_test):
        reasons.append("there are no test points: lower the share of training data")
    else:
        test_loss = session.net.loss(session.F_test, session.y_test)
        misclassified = misclassified_share(session)
        if not is_separated(misclassified):
            reasons.append(
                f"{misclassified:.1%} of the test points are wrong, more than the "
                f"{MAX_MISCLASSIFIED:.0%} allowed: train longer or change the network"
            )
        elif challenge.fewest_hidden and not reasons:
            note = _fewest_hidden(session, reasons)
    return ChallengeResult(
        challenge=challenge,
        passed=not reasons,
        reasons=reasons,
        test_loss=test_loss,
        misclassified=misclassified,
        epoch=session.epoch,
        note=note,
    )
