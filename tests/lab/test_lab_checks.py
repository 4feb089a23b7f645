"""The lab's checks: they pass the engine's answers, say "Not yet" to blanks, and name
the usual mistakes.

Each wrong answer below is one a learner could write; the test asserts that the check
fails and that its message carries the hint for that mistake (a fragment of it), on
several random cases each.
"""

import numpy as np
import pytest
from sklearn.neural_network import MLPClassifier

from widgets.course.lab import checks
from widgets.course.lab import reference as ref
from widgets.course.lab.verdict import NotYet

SEEDS = [0, 1, 2]


class GlorotNormalMLP(MLPClassifier):
    def _init_coef(self, fan_in, fan_out, dtype):
        std = np.sqrt(2.0 / (fan_in + fan_out))
        coef = self._random_state.normal(0.0, std, size=(fan_in, fan_out))
        return coef.astype(dtype, copy=False), np.zeros(fan_out, dtype=dtype)


ANSWERS = {
    "check_forward": (ref.forward,),
    "check_softmax": (ref.softmax,),
    "check_cross_entropy": (ref.cross_entropy,),
    "check_output_deltas": (ref.output_delta_softmax, ref.output_delta_identity),
    "check_hidden_delta": (ref.hidden_delta,),
    "check_weight_gradients": (ref.weight_gradients,),
    "check_momentum_step": (ref.momentum_step,),
    "check_l2": (ref.l2_penalty, ref.l2_gradient),
    "check_train": (ref.train,),
    "check_init_coef": (GlorotNormalMLP,),
}


def test_every_check_is_exercised():
    assert sorted(ANSWERS) == sorted(name for name in checks.__all__ if name.startswith("check_"))


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_check_passes_the_engines_answer(name, seed):
    getattr(checks, name)(*ANSWERS[name], seed=seed)


def _blank(*args): ...


class _BlankInit(MLPClassifier):
    def _init_coef(self, fan_in, fan_out, dtype): ...


@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_check_says_not_yet_to_a_blank(name):
    blanks = [_BlankInit if name == "check_init_coef" else _blank for _ in ANSWERS[name]]
    with pytest.raises(
        NotYet, match=r"^Not yet: `\w+` returned Ellipsis|^Not yet: `\w+` returned None"
    ):
        getattr(checks, name)(*blanks, seed=0)


def test_check_says_not_yet_to_an_undefined_function():
    with pytest.raises(NotYet, match="is not defined"):
        checks.check_forward(None, seed=0)


def _fails_with(check, hint, *functions, seeds=SEEDS):
    for seed in seeds:
        with pytest.raises(NotYet) as verdict:
            check(*functions, seed=seed)
        assert hint in str(verdict.value), str(verdict.value)
        assert str(verdict.value).startswith("Not yet")


# ---------------------------------------------------------------- exercise 1


def _logistic(z):
    return 1 / (1 + np.exp(-z))


def test_forward_hints():
    def no_activation(X, W1, b1, W2, b2, activation):
        net = X @ W1 + b1
        return net, net @ W2 + b2

    def transposed(X, W1, b1, W2, b2, activation):
        hidden = np.tanh(X @ W1.T + b1)
        return hidden, hidden @ W2 + b2

    def softmaxed(X, W1, b1, W2, b2, activation):
        hidden, logits = ref.forward(X, W1, b1, W2, b2, activation)
        return hidden, ref.softmax(logits)

    def always_tanh(X, W1, b1, W2, b2, activation):
        hidden = np.tanh(X @ W1 + b1)
        return hidden, hidden @ W2 + b2

    def one_array(X, W1, b1, W2, b2, activation):
        return ref.forward(X, W1, b1, W2, b2, activation)[1]

    _fails_with(checks.check_forward, "apply the activation f", no_activation)
    _fails_with(checks.check_forward, "check the shapes", transposed)
    _fails_with(checks.check_forward, "return the logits, before softmax", softmaxed)
    _fails_with(
        checks.check_forward, "that is the tanh function; activation='logistic'", always_tanh
    )
    _fails_with(checks.check_forward, "should return two arrays", one_array)


# ---------------------------------------------------------------- exercise 2


def test_softmax_hints():
    def naive(logits):
        e = np.exp(logits)
        return e / e.sum(axis=1, keepdims=True)

    def global_shift(logits):
        e = np.exp(logits - logits.max())
        return e / e.sum(axis=1, keepdims=True)

    def by_column(logits):
        e = np.exp(logits - logits.max(axis=0))
        return e / e.sum(axis=0)

    with np.errstate(all="ignore"):
        _fails_with(checks.check_softmax, "np.exp overflows", naive)
        _fails_with(checks.check_softmax, "not the largest of the whole array", global_shift)
    _fails_with(checks.check_softmax, "each row (one sample) must sum to 1", by_column)


def test_cross_entropy_hints():
    eps = np.finfo(float).eps

    def summed(probabilities, Y):
        return -np.sum(Y * np.log(np.clip(probabilities, eps, 1 - eps)))

    def unclipped(probabilities, Y):
        return -np.sum(Y * np.log(probabilities)) / len(Y)

    def binary(probabilities, Y):
        p = np.clip(probabilities, eps, 1 - eps)
        return -np.sum(Y * np.log(p) + (1 - Y) * np.log(1 - p)) / len(Y)

    _fails_with(checks.check_cross_entropy, "average over the samples", summed)
    with np.errstate(all="ignore"):
        _fails_with(checks.check_cross_entropy, "Clip the probabilities", unclipped)
    _fails_with(checks.check_cross_entropy, "that is binary cross-entropy", binary)


# ---------------------------------------------------------------- exercises 3 and 4


def test_output_delta_hints():
    def target_minus_output(outputs, Y):
        return Y - outputs

    def with_slope(probabilities, Y):
        return probabilities * (1 - probabilities) * (probabilities - Y)

    _fails_with(
        checks.check_output_deltas,
        "The lecture's delta",
        target_minus_output,
        ref.output_delta_identity,
    )
    _fails_with(
        checks.check_output_deltas,
        "The lecture's delta",
        ref.output_delta_softmax,
        target_minus_output,
    )
    _fails_with(
        checks.check_output_deltas, "no f'(net) here", with_slope, ref.output_delta_identity
    )


def test_hidden_delta_hints():
    def missing_slope(delta_out, W2, hidden, activation):
        return delta_out @ W2.T

    def activation_applied_again(delta_out, W2, hidden, activation):
        if activation == "tanh":
            return (delta_out @ W2.T) * (1 - np.tanh(hidden) ** 2)
        return (delta_out @ W2.T) * _logistic(hidden) * (1 - _logistic(hidden))

    def transposed(delta_out, W2, hidden, activation):
        slope = 1 - hidden**2 if activation == "tanh" else hidden * (1 - hidden)
        return (delta_out @ W2) * slope

    _fails_with(checks.check_hidden_delta, "f'(net) is missing", missing_slope)
    _fails_with(
        checks.check_hidden_delta, "`hidden` already holds f(net)", activation_applied_again
    )
    _fails_with(checks.check_hidden_delta, "check the shapes", transposed)


def test_weight_gradient_hints():
    def not_averaged(X, hidden, delta_out, delta_hidden):
        n = len(X)
        return tuple(g * n for g in ref.weight_gradients(X, hidden, delta_out, delta_hidden))

    def transposed(X, hidden, delta_out, delta_hidden):
        n = len(X)
        return (
            delta_hidden.T @ X / n,
            delta_hidden.mean(axis=0),
            delta_out.T @ hidden / n,
            delta_out.mean(axis=0),
        )

    _fails_with(checks.check_weight_gradients, "divide by n", not_averaged)
    _fails_with(checks.check_weight_gradients, "has the weights' shape", transposed)


# ---------------------------------------------------------------- exercises 5 and 6


def test_momentum_hints():
    def uphill(W, grad, velocity, learning_rate, momentum):
        new = momentum * velocity + learning_rate * grad
        return W + new, new

    def old_velocity_returned(W, grad, velocity, learning_rate, momentum):
        new = momentum * velocity - learning_rate * grad
        return W + new, velocity

    def no_momentum(W, grad, velocity, learning_rate, momentum):
        return W - learning_rate * grad, momentum * velocity - learning_rate * grad

    _fails_with(checks.check_momentum_step, "The lecture writes", uphill)
    _fails_with(checks.check_momentum_step, "return the new velocity", old_velocity_returned)
    _fails_with(checks.check_momentum_step, "the momentum term is missing", no_momentum)


def test_l2_hints():
    def doubled(W, alpha, n_samples):
        return 2 * alpha * W / n_samples

    def not_divided(W, alpha, n_samples):
        return alpha * W

    def l1(W, alpha, n_samples):
        return alpha * np.sign(W) / n_samples

    def first_matrix_only(weights, alpha, n_samples):
        return alpha / 2 * np.sum(weights[0] ** 2) / n_samples

    _fails_with(checks.check_l2, "the 1/2 cancels the 2", ref.l2_penalty, doubled)
    _fails_with(checks.check_l2, "divide by n_samples", ref.l2_penalty, not_divided)
    _fails_with(checks.check_l2, "that is the L1 term", ref.l2_penalty, l1)
    _fails_with(checks.check_l2, "not the first only", first_matrix_only, ref.l2_gradient)


# ---------------------------------------------------------------- exercise 7


@pytest.mark.parametrize("mistake", sorted(ref.TRAIN_MISTAKES))
def test_train_hints(mistake):
    def wrong_train(*args):
        return ref.train_with_mistake(mistake, *args)

    _fails_with(checks.check_train, ref.TRAIN_MISTAKES[mistake], wrong_train, seeds=[0, 1])


def test_train_must_return_the_four_keys():
    def curves_only(*args):
        result = ref.train(*args)
        return {"train_loss": result["train_loss"], "val_loss": result["val_loss"]}

    _fails_with(checks.check_train, "should return a dict with the keys", curves_only, seeds=[0])


# ---------------------------------------------------------------- exercise 8


def test_init_coef_hints():
    class LectureSignature(MLPClassifier):
        def _init_coef(self, fan_in, fan_out):
            return np.zeros((fan_in, fan_out)), np.zeros(fan_out)

    class GlobalRandom(MLPClassifier):
        def _init_coef(self, fan_in, fan_out, dtype):
            std = np.sqrt(2.0 / (fan_in + fan_out))
            # The mistake under test: NumPy's global generator, not the model's.
            coef = np.random.normal(0, std, (fan_in, fan_out))  # noqa: NPY002
            return coef.astype(dtype), np.zeros(fan_out, dtype)

    class Variance(MLPClassifier):
        def _init_coef(self, fan_in, fan_out, dtype):
            var = 2.0 / (fan_in + fan_out)
            coef = self._random_state.normal(0, var, (fan_in, fan_out))
            return coef.astype(dtype), np.zeros(fan_out, dtype)

    class Transposed(MLPClassifier):
        def _init_coef(self, fan_in, fan_out, dtype):
            std = np.sqrt(2.0 / (fan_in + fan_out))
            coef = self._random_state.normal(0, std, (fan_out, fan_in))
            return coef.astype(dtype), np.zeros(fan_out, dtype)

    class Misnamed(MLPClassifier):
        def init_coef(self, fan_in, fan_out, dtype):
            return None

    class NoDtype(MLPClassifier):
        def _init_coef(self, fan_in, fan_out, dtype):
            std = np.sqrt(2.0 / (fan_in + fan_out))
            return self._random_state.normal(0, std, (fan_in, fan_out)), np.zeros(fan_out)

    _fails_with(
        checks.check_init_coef, "calls self._init_coef(fan_in, fan_out, dtype)", LectureSignature
    )
    _fails_with(checks.check_init_coef, "Draw from self._random_state", GlobalRandom)
    _fails_with(checks.check_init_coef, "not the variance", Variance)
    _fails_with(checks.check_init_coef, "one row per input", Transposed)
    _fails_with(checks.check_init_coef, "does not override `_init_coef`", Misnamed)
    _fails_with(checks.check_init_coef, "return it as `dtype`", NoDtype)
    _fails_with(checks.check_init_coef, "subclass of MLPClassifier", object)


def test_fresh_cases_differ_between_runs():
    """Without a seed, every run draws new cases: a function cannot pass by matching one."""
    seen = []

    def recording(X, W1, b1, W2, b2, activation):
        seen.append(X.copy())
        return ref.forward(X, W1, b1, W2, b2, activation)

    checks.check_forward(recording)
    checks.check_forward(recording)
    assert len(seen) == 4
    assert not any(
        np.array_equal(seen[0], other) for other in seen[1:] if other.shape == seen[0].shape
    )


def test_the_lab_pages_example_verdict_is_what_the_check_says():
    """lab/index.md quotes a check's answer to a hidden delta without f'(net), seed 0."""
    from pathlib import Path

    page = (Path(__file__).resolve().parents[2] / "lab" / "index.md").read_text()
    quoted = page.split("```text\n", 1)[1].split("```", 1)[0]

    def missing_slope(delta_out, W2, hidden, activation):
        return delta_out @ W2.T

    with pytest.raises(NotYet) as verdict:
        checks.check_hidden_delta(missing_slope, seed=0)
    assert " ".join(quoted.split()) == " ".join(str(verdict.value).split())
