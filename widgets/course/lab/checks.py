"""The Neural Net Lab's checks: each runs a learner's function on fresh random cases.

Every ``check_*`` function takes the learner's function (or class), runs it on
new random cases (different shapes and values each run, edge values such as
huge logits included), compares the result with the engine's answer
(:mod:`widgets.course.lab.reference`) and raises :class:`~.verdict.NotYet`
with a message that names the entry that differs and, for the usual mistakes,
what the mistake is. The lab's otter tests (``lab/tests/``) call them; they
also run on their own: ``check_softmax(softmax)``.

``seed`` fixes the cases (the course's own tests use it); by default every run
draws new ones, so that a function cannot pass by matching one case.
"""

import numpy as np

from widgets.engine.activations import get_hidden_activation

from . import reference as ref
from .verdict import NotYet, call_learner, call_text, compare, same

__all__ = [
    "NotYet",
    "check_cross_entropy",
    "check_forward",
    "check_hidden_delta",
    "check_init_coef",
    "check_l2",
    "check_momentum_step",
    "check_output_deltas",
    "check_softmax",
    "check_train",
    "check_weight_gradients",
]

SHAPE_HINT = (
    "check the shapes: X is (n, d), W1 is (d, h), W2 is (h, k); a layer's net input is "
    "`inputs @ W + b`, and going back through a layer multiplies by `W.T`."
)


def _network_case(rng, activation=None):
    """Random sizes (all different, so that a transposed matrix cannot fit) and weights."""
    n, d, h, k = rng.permutation([3, 4, 5, 6]) + rng.integers(0, 2) * 4
    case = {
        "X": rng.normal(size=(n, d)),
        "W1": rng.normal(scale=0.8, size=(d, h)),
        "b1": rng.normal(scale=0.5, size=h),
        "W2": rng.normal(scale=0.8, size=(h, k)),
        "b2": rng.normal(scale=0.5, size=k),
        "activation": activation or str(rng.choice(ref.LAB_ACTIVATIONS)),
    }
    Y = np.eye(k)[rng.integers(0, k, size=n)]
    return case, Y


def _f(activation, z):
    """The hidden activation ``f`` applied to ``z``, as the engine computes it."""
    return get_hidden_activation(activation)(z)


# ----------------------------------------------------------------- exercise 1


def check_forward(forward, seed=None):
    """Exercise 1: ``forward(X, W1, b1, W2, b2, activation) -> (hidden, logits)``."""
    rng = np.random.default_rng(seed)
    for activation in ref.LAB_ACTIVATIONS:
        args, _ = _network_case(rng, activation)
        call = call_text("forward", args)
        result = call_learner(forward, "forward", args, SHAPE_HINT)
        if not (isinstance(result, (tuple, list)) and len(result) == 2):
            raise NotYet(
                f"Not yet: {call} should return two arrays, `hidden, logits`; "
                f"it returned {type(result).__name__}."
            )
        X, W1, b1, W2, b2 = (args[key] for key in ("X", "W1", "b1", "W2", "b2"))
        hidden, logits = ref.forward(X, W1, b1, W2, b2, activation)
        other = "logistic" if activation == "tanh" else "tanh"
        net1 = X @ W1 + b1
        compare(
            result[0],
            hidden,
            "hidden (the first array returned)",
            call,
            mistakes=[
                (net1, "that is the net input X @ W1 + b1: apply the activation f to it."),
                (_f(other, net1), f"that is the {other} function; activation={activation!r}."),
                (_f(activation, X @ W1), "the bias b1 is missing: f(X @ W1 + b1)."),
            ],
        )
        compare(
            result[1],
            logits,
            "logits (the second array returned)",
            call,
            mistakes=[
                (
                    _f(activation, logits),
                    "the output layer's net input goes to softmax as it "
                    "is: do not apply the hidden activation to it.",
                ),
                (
                    ref.softmax(logits),
                    "return the logits, before softmax: softmax is "
                    "exercise 2, and the loss needs it separately.",
                ),
                (hidden @ W2, "the bias b2 is missing: hidden @ W2 + b2."),
                (
                    net1 @ W2 + b2,
                    "the output layer takes the hidden activations f(net), "
                    "not the hidden net input.",
                ),
            ],
        )


# ----------------------------------------------------------------- exercise 2


def _same_nan_pattern(got, reference):
    """Whether ``got`` is NaN exactly where ``reference`` is (and somewhere)."""
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return False
    return (
        got.shape == reference.shape
        and np.isnan(reference).any()
        and np.array_equal(~np.isfinite(got), np.isnan(reference))
    )


def check_softmax(softmax, seed=None):
    """Exercise 2a: ``softmax(logits)``, row by row, stable for huge logits."""
    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(3, 7)), int(rng.integers(3, 6))
    cases = [
        ("ordinary logits", rng.normal(scale=2.0, size=(n, k))),
        # Rows whose largest logits are far apart: exp overflows without the
        # shift, and a shift by the largest logit of the whole array underflows.
        (
            "huge logits",
            np.array([[1000.0, 999.0, 998.0], [-1000.0, -1001.0, -1003.0]]) + rng.integers(0, 50),
        ),
        ("a row of equal logits", np.full((1, k), 800.0)),
    ]
    for label, logits in cases:
        args = {"logits": logits}
        call = call_text("softmax", args)
        got = call_learner(softmax, "softmax", args)
        expected = ref.softmax(logits)
        column = np.exp(logits - logits.max(axis=0)) / np.exp(logits - logits.max(axis=0)).sum(
            axis=0
        )
        with np.errstate(all="ignore"):
            global_shift = np.exp(logits - logits.max())
            global_shift = global_shift / global_shift.sum(axis=1, keepdims=True)
        compare(
            got,
            expected,
            f"softmax of {label}",
            call,
            mistakes=[
                (
                    column,
                    "each row (one sample) must sum to 1: sum over axis=1 with keepdims=True.",
                ),
                (
                    np.exp(logits - logits.max(axis=1, keepdims=True)),
                    "divide by each row's sum of exponentials.",
                ),
            ],
            nonfinite_hint=(
                "np.exp overflows above about 709. Subtract each row's largest logit first "
                "(logits - logits.max(axis=1, keepdims=True)): softmax does not change when "
                "one number is subtracted from a whole row."
                if not _same_nan_pattern(got, global_shift)
                else "subtract each row's own largest logit (axis=1, keepdims=True), not the "
                "largest of the whole array: a row far below it underflows to 0 / 0."
            ),
        )


def check_cross_entropy(cross_entropy, seed=None):
    """Exercise 2b: ``cross_entropy(probabilities, Y)``, the mean over samples."""
    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(4, 8)), int(rng.integers(3, 6))
    Y = np.eye(k)[rng.integers(0, k, size=n)]
    probabilities = ref.softmax(rng.normal(scale=1.5, size=(n, k)))
    # Saturated rows, as softmax gives for huge logits: exact 0s and 1s.
    saturated = ref.softmax(np.array([[800.0] + [0.0] * (k - 1), [0.0] * (k - 1) + [800.0]]))
    Y_saturated = np.zeros((2, k))
    Y_saturated[0, 0] = Y_saturated[1, 0] = 1.0  # the second row is confidently wrong
    for label, P, T in (
        ("", probabilities, Y),
        (" with probabilities of exactly 0 and 1", saturated, Y_saturated),
    ):
        args = {"probabilities": P, "Y": T}
        call = call_text("cross_entropy", args)
        got = call_learner(cross_entropy, "cross_entropy", args)
        expected = ref.cross_entropy(P, T)
        with np.errstate(all="ignore"):
            clipped = np.clip(P, np.finfo(float).eps, 1 - np.finfo(float).eps)
            terms = -(T * np.log(clipped)).sum(axis=1)
            binary = -(T * np.log(clipped) + (1 - T) * np.log(1 - clipped)).sum(axis=1).mean()
        compare(
            got,
            expected,
            f"the cross-entropy{label}",
            call,
            mistakes=[
                (terms.sum(), "average over the samples (divide by n), as the loss curves do."),
                (-terms.mean(), "the sign: ln p is negative, so L = -mean(sum(Y * ln P))."),
                (terms.mean() / k, "sum over the classes, then average over the samples only."),
                (
                    binary,
                    "that is binary cross-entropy, with (1 - y) ln(1 - p) terms; with "
                    "softmax, only the true class's -ln p counts.",
                ),
            ],
            nonfinite_hint=(
                "ln(0) is -inf, and 0 * ln(0) is nan. Clip the probabilities to "
                "[eps, 1 - eps] first, eps = np.finfo(float).eps, as scikit-learn does."
            ),
        )


# ----------------------------------------------------------------- exercise 3


def check_output_deltas(output_delta_softmax, output_delta_identity, seed=None):
    """Exercise 3: the output deltas, per sample, for the two canonical pairs."""
    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(4, 8)), int(rng.integers(3, 6))
    Y = np.eye(k)[rng.integers(0, k, size=n)]
    P = ref.softmax(rng.normal(scale=1.5, size=(n, k)))
    sign_hint = (
        "the sign. The lecture's delta, (t - z) f'(net), points downhill and is added; "
        "this lab's delta is the derivative of the loss, dL/dnet = output - target, "
        "which gradient descent subtracts."
    )
    args = {"probabilities": P, "Y": Y}
    call = call_text("output_delta_softmax", args)
    compare(
        call_learner(output_delta_softmax, "output_delta_softmax", args),
        ref.output_delta_softmax(P, Y),
        "the softmax output delta",
        call,
        mistakes=[
            (Y - P, sign_hint),
            (
                P * (1 - P) * (P - Y),
                "no f'(net) here: with softmax and cross-entropy the "
                "derivative of softmax cancels against the loss's 1/p, leaving P - Y.",
            ),
            ((P - Y) / n, "one delta per sample: averaging over samples comes in the gradients."),
        ],
    )
    outputs = rng.normal(size=(n, k))
    targets = rng.normal(size=(n, k))
    args = {"outputs": outputs, "Y": targets}
    call = call_text("output_delta_identity", args)
    compare(
        call_learner(output_delta_identity, "output_delta_identity", args),
        ref.output_delta_identity(outputs, targets),
        "the identity output delta",
        call,
        mistakes=[
            (targets - outputs, sign_hint),
            (
                2 * (outputs - targets),
                "the loss is half the squared error, (1/2)(o - y)^2, whose derivative is o - y.",
            ),
            ((outputs - targets) / n, "one delta per sample: averaging comes in the gradients."),
        ],
    )


# ----------------------------------------------------------------- exercise 4


def check_hidden_delta(hidden_delta, seed=None):
    """Exercise 4a: ``hidden_delta(delta_out, W2, hidden, activation)``."""
    rng = np.random.default_rng(seed)
    for activation in ref.LAB_ACTIVATIONS:
        case, Y = _network_case(rng, activation)
        hidden, logits = ref.forward(
            case["X"], case["W1"], case["b1"], case["W2"], case["b2"], activation
        )
        delta_out = ref.output_delta_softmax(ref.softmax(logits), Y)
        args = {
            "delta_out": delta_out,
            "W2": case["W2"],
            "hidden": hidden,
            "activation": activation,
        }
        call = call_text("hidden_delta", args)
        got = call_learner(hidden_delta, "hidden_delta", args, SHAPE_HINT)
        back = delta_out @ case["W2"].T
        slope_of_a = (
            1 - np.tanh(hidden) ** 2
            if activation == "tanh"
            else _f("logistic", hidden) * (1 - _f("logistic", hidden))
        )
        other = hidden * (1 - hidden) if activation == "tanh" else 1 - hidden**2
        expected = ref.hidden_delta(delta_out, case["W2"], hidden, activation)
        compare(
            got,
            expected,
            "the hidden delta",
            call,
            mistakes=[
                (
                    back,
                    "f'(net) is missing: multiply delta_out @ W2.T, element by element, "
                    "by the activation's derivative at each hidden unit.",
                ),
                (
                    back * slope_of_a,
                    "`hidden` already holds f(net): write f' through it, "
                    + (
                        "1 - hidden**2 for tanh"
                        if activation == "tanh"
                        else "hidden * (1 - hidden) for the logistic function"
                    )
                    + ", instead of applying f again.",
                ),
                (
                    back * other,
                    f"that is the derivative of the other function; activation={activation!r}.",
                ),
                (-expected, "the sign: the hidden delta is (delta_out @ W2.T) * f'(net)."),
            ],
        )


def check_weight_gradients(weight_gradients, seed=None):
    """Exercise 4b: ``weight_gradients(X, hidden, delta_out, delta_hidden)``.

    The learner's four gradients must equal the engine's back-propagation
    (:meth:`~widgets.engine.network.Network.loss_and_gradients`) of the same network.
    """
    rng = np.random.default_rng(seed)
    case, Y = _network_case(rng)
    X, W1, b1, W2, b2, activation = case.values()
    hidden, logits = ref.forward(X, W1, b1, W2, b2, activation)
    delta_out = ref.output_delta_softmax(ref.softmax(logits), Y)
    delta_hidden = ref.hidden_delta(delta_out, W2, hidden, activation)
    args = {"X": X, "hidden": hidden, "delta_out": delta_out, "delta_hidden": delta_hidden}
    call = call_text("weight_gradients", args)
    got = call_learner(weight_gradients, "weight_gradients", args, SHAPE_HINT)
    if not (isinstance(got, (tuple, list)) and len(got) == 4):
        raise NotYet(
            f"Not yet: {call} should return four arrays, `dW1, db1, dW2, db2`; "
            f"it returned {type(got).__name__}."
        )
    expected = ref.network_gradients(X, Y, W1, b1, W2, b2, activation)
    n = len(X)
    for name, got_one, want, inputs, delta in (
        ("dW1", got[0], expected[0], X, delta_hidden),
        ("db1", got[1], expected[1], None, delta_hidden),
        ("dW2", got[2], expected[2], hidden, delta_out),
        ("db2", got[3], expected[3], None, delta_out),
    ):
        if inputs is not None:
            mistakes = [
                (inputs.T @ delta, "average over the samples: divide by n."),
                (
                    delta.T @ inputs / n,
                    f"{name} has the weights' shape (inputs, units): inputs.T @ delta / n.",
                ),
            ]
        else:
            mistakes = [
                (delta.sum(axis=0), "average over the samples: divide by n."),
                (delta.mean(axis=1), "average each unit's delta over the samples: axis=0."),
            ]
        compare(got_one, want, name, call, mistakes=mistakes)


# ----------------------------------------------------------------- exercise 5

MOMENTUM_SIGN_HINT = (
    "the sign. The lecture writes Δw(t) = C δ z + α Δw(t-1) with its δ = -dL/dnet; with "
    "the gradient grad = dL/dW the same step is Δw(t) = -learning_rate * grad + "
    "momentum * Δw(t-1), and then W + Δw(t)."
)


def check_momentum_step(momentum_step, seed=None):
    """Exercise 5: ``momentum_step(W, grad, velocity, learning_rate, momentum)``.

    Three steps in a row, each fed the velocity the learner's previous step
    returned, against the engine's :class:`~widgets.engine.optimizers.SGD`.
    """
    rng = np.random.default_rng(seed)
    shape = (int(rng.integers(2, 5)), int(rng.integers(2, 5)))
    W = rng.normal(size=shape)
    velocity = np.zeros(shape)
    learning_rate = round(float(rng.uniform(0.05, 0.5)), 3)
    momentum = round(float(rng.uniform(0.5, 0.95)), 2)
    engine_W, engine_velocity = W.copy(), velocity.copy()
    for step in range(3):
        grad = rng.normal(size=shape)
        args = {
            "W": W,
            "grad": grad,
            "velocity": velocity,
            "learning_rate": learning_rate,
            "momentum": momentum,
        }
        call = call_text("momentum_step", args)
        got = call_learner(momentum_step, "momentum_step", args)
        if not (isinstance(got, (tuple, list)) and len(got) == 2):
            raise NotYet(
                f"Not yet: {call} should return two arrays, `new_W, new_velocity`; "
                f"it returned {type(got).__name__}."
            )
        expected_W, expected_velocity = ref.momentum_step(
            engine_W, grad, engine_velocity, learning_rate, momentum
        )
        at = f" (step {step + 1} of 3)"
        compare(
            got[1],
            expected_velocity,
            "new_velocity" + at,
            call,
            mistakes=[
                (momentum * velocity + learning_rate * grad, MOMENTUM_SIGN_HINT),
                (velocity, "return the new velocity Δw(t): the next step needs it as Δw(t-1)."),
                (
                    -learning_rate * grad + velocity,
                    "the previous step is scaled by the momentum: + momentum * velocity.",
                ),
                (
                    -learning_rate * (grad + momentum * velocity),
                    "the momentum scales the "
                    "previous step Δw(t-1) only, not the learning rate times it.",
                ),
            ],
        )
        compare(
            got[0],
            expected_W,
            "new_W" + at,
            call,
            mistakes=[
                (W - got[1], "add the step: W + Δw(t) (Δw already points downhill)."),
                (
                    W - learning_rate * grad,
                    "the momentum term is missing from the update: "
                    "W + Δw(t), with Δw(t) = -learning_rate * grad + momentum * velocity.",
                ),
            ],
        )
        # The next step starts from the learner's own results, as a loop would.
        W, velocity = np.asarray(got[0], float), np.asarray(got[1], float)
        engine_W, engine_velocity = expected_W, expected_velocity


# ----------------------------------------------------------------- exercise 6


def check_l2(l2_penalty, l2_gradient, seed=None):
    """Exercise 6: ``l2_penalty(weights, alpha, n)`` and ``l2_gradient(W, alpha, n)``."""
    rng = np.random.default_rng(seed)
    weights = [
        rng.normal(size=(int(rng.integers(2, 5)), int(rng.integers(2, 5)))) for _ in range(2)
    ]
    alpha, n = round(float(rng.uniform(0.01, 1.0)), 3), int(rng.integers(10, 100))
    W = weights[0]
    args = {"W": W, "alpha": alpha, "n_samples": n}
    call = call_text("l2_gradient", args)
    compare(
        call_learner(l2_gradient, "l2_gradient", args),
        ref.l2_gradient(W, alpha, n),
        "the L2 gradient",
        call,
        mistakes=[
            (
                2 * alpha * W / n,
                "the penalty is alpha/2 * sum(W**2), so its derivative is "
                "alpha * W (the 1/2 cancels the 2).",
            ),
            (
                alpha * W,
                "divide by n_samples: scikit-learn adds alpha/2 * sum(W**2) / n to the mean loss.",
            ),
            (alpha * np.sign(W) / n, "that is the L1 term (sign(W)); L2's is alpha * W / n."),
            (
                -alpha * W / n,
                "the sign: the penalty grows with |W|, so its gradient is +alpha * W / n "
                "(descent then shrinks W).",
            ),
        ],
    )
    args = {"weights": weights, "alpha": alpha, "n_samples": n}
    call = call_text("l2_penalty", args)
    squares = sum(float((w**2).sum()) for w in weights)
    compare(
        call_learner(l2_penalty, "l2_penalty", args),
        ref.l2_penalty(weights, alpha, n),
        "the L2 penalty",
        call,
        mistakes=[
            (alpha * squares / n, "the penalty is alpha / 2 * sum(W**2) / n: the 1/2 is missing."),
            (alpha / 2 * squares, "divide by n_samples, as scikit-learn does."),
            (
                alpha / 2 * float((weights[0] ** 2).sum()) / n,
                "sum over every weight matrix in `weights`, not the first only.",
            ),
        ],
    )


# ----------------------------------------------------------------- exercise 7


def _training_case(rng):
    """A small problem whose validation loss turns up within a few dozen epochs.

    The validation labels are random, so that fitting the training set makes the
    validation loss rise: early stopping has something to stop.
    """
    d, h, k = 2, int(rng.integers(5, 9)), 3
    n_train, n_val = int(rng.integers(20, 31)), int(rng.integers(15, 26))
    X_train, X_val = rng.normal(size=(n_train, d)), rng.normal(size=(n_val, d))
    Y_train = np.eye(k)[(X_train[:, 0] > 0).astype(int) + (X_train[:, 1] > 0.5)]
    Y_val = np.eye(k)[rng.integers(0, k, size=n_val)]
    params = (
        rng.normal(scale=0.5, size=(d, h)),
        np.zeros(h),
        rng.normal(scale=0.5, size=(h, k)),
        np.zeros(k),
    )
    return {
        "X_train": X_train,
        "Y_train": Y_train,
        "X_val": X_val,
        "Y_val": Y_val,
        "params": params,
        "learning_rate": 0.3,
        "momentum": 0.8,
        "alpha": round(float(rng.uniform(0.5, 2.0)), 2),
        "max_epochs": 80,
        "patience": int(rng.integers(3, 6)),
        "activation": str(rng.choice(ref.LAB_ACTIVATIONS)),
    }


def check_train(train, seed=None):
    """Exercise 7: ``train(X_train, Y_train, X_val, Y_val, params, learning_rate, momentum,
    alpha, max_epochs, patience, activation)``, against the engine's loop."""
    rng = np.random.default_rng(seed)
    while True:  # a case where training stops early, after its best epoch
        case = _training_case(rng)
        expected = ref.train(**case)
        if len(expected["val_loss"]) < case["max_epochs"] and expected["best_epoch"] > 0:
            break
    call = call_text("train", case)
    got = call_learner(train, "train", case, SHAPE_HINT)
    keys = ("params", "train_loss", "val_loss", "best_epoch")
    if not isinstance(got, dict) or any(key not in got for key in keys):
        raise NotYet(
            f"Not yet: {call} should return a dict with the keys {list(keys)}; it returned "
            + (f"a dict with {sorted(got)}." if isinstance(got, dict) else f"{type(got).__name__}.")
        )
    params = got["params"]
    if not (isinstance(params, (tuple, list)) and len(params) == 4):
        raise NotYet(f"Not yet: `params` from {call} should be the four arrays (W1, b1, W2, b2).")
    parts = _training_parts(got)
    expected_parts = _training_parts(expected)
    if all(same(part, want) for part, want in zip(parts.values(), expected_parts.values())):
        return
    # A wrong loop is recognised by the known mistake whose every value it repeats; the
    # verdict then shows the first value where that mistake departs from the right loop.
    for mistake, hint in ref.TRAIN_MISTAKES.items():
        wrong_parts = _training_parts(ref.train_with_mistake(mistake, **case))
        if all(same(part, wrong) for part, wrong in zip(parts.values(), wrong_parts.values())):
            for what, want in expected_parts.items():
                if not same(wrong_parts[what], want):
                    compare(parts[what], want, what, call, mistakes=[(wrong_parts[what], hint)])
    for what, want in expected_parts.items():
        compare(parts[what], want, what, call)


def _training_parts(result):
    """A training run's values, in the order a verdict reports them."""
    return {
        "train_loss (one value per epoch)": result["train_loss"],
        "val_loss (one value per epoch)": result["val_loss"],
        "best_epoch (counted from 0)": result["best_epoch"],
        **{
            f"the returned {name}": value
            for name, value in zip(("W1", "b1", "W2", "b2"), result["params"])
        },
    }


# ----------------------------------------------------------------- exercise 8

INIT_SIGNATURE_HINT = (
    "scikit-learn (since 1.2) calls self._init_coef(fan_in, fan_out, dtype): the lecture's "
    "slide shows the older signature without dtype."
)


def check_init_coef(model_class, seed=None):
    """Exercise 8: an ``MLPClassifier`` subclass whose ``_init_coef`` draws Glorot-normal weights.

    ``_init_coef(fan_in, fan_out, dtype)`` must return weights drawn as
    ``self._random_state.normal(0, sqrt(2 / (fan_in + fan_out)), (fan_in, fan_out))``
    and zero biases, both of ``dtype``.
    """
    from sklearn.neural_network import MLPClassifier

    rng = np.random.default_rng(seed)
    if not (isinstance(model_class, type) and issubclass(model_class, MLPClassifier)):
        raise NotYet(
            "Not yet: define the class as a subclass of MLPClassifier: "
            "`class GlorotNormalMLP(MLPClassifier):`."
        )
    if model_class._init_coef is MLPClassifier._init_coef:
        raise NotYet(
            "Not yet: the class does not override `_init_coef` (its name starts "
            "with an underscore), so scikit-learn's own uniform draw is used."
        )
    fan_in, fan_out = (int(v) for v in rng.permutation([2, 3, 5, 7])[:2] + rng.integers(0, 3))
    state = int(rng.integers(0, 2**31))
    for dtype in (np.float64, np.float32):
        model = model_class(hidden_layer_sizes=(fan_out,), random_state=state)
        model._random_state = np.random.RandomState(state)
        args = {"fan_in": fan_in, "fan_out": fan_out, "dtype": dtype}
        call = call_text("_init_coef", args)
        got = call_learner(model._init_coef, "_init_coef", args, INIT_SIGNATURE_HINT)
        if not (isinstance(got, (tuple, list)) and len(got) == 2):
            raise NotYet(f"Not yet: {call} should return `coef_init, intercept_init`.")
        model_again = model_class(hidden_layer_sizes=(fan_out,), random_state=state)
        model_again._random_state = np.random.RandomState(state)
        again = model_again._init_coef(fan_in, fan_out, dtype)
        if not np.array_equal(np.asarray(again[0]), np.asarray(got[0])):
            raise NotYet(
                "Not yet: two models with the same random_state drew different weights. "
                "Draw from self._random_state (not np.random), so that random_state "
                "makes a run repeatable."
            )
        coef, intercept = ref.glorot_normal_init(
            np.random.RandomState(state), fan_in, fan_out, dtype
        )
        std = np.sqrt(2.0 / (fan_in + fan_out))
        uniform_bound = np.sqrt(6.0 / (fan_in + fan_out))
        compare(
            got[0],
            coef,
            "coef_init",
            call,
            mistakes=[
                (
                    np.random.RandomState(state).normal(0, std, (fan_out, fan_in)),
                    "the weights' shape is (fan_in, fan_out): one row per input.",
                ),
                (
                    np.random.RandomState(state).normal(0, std**2, (fan_in, fan_out)),
                    "normal(loc, scale) takes the standard deviation, "
                    "sqrt(2 / (fan_in + fan_out)), not the variance.",
                ),
                (
                    np.random.RandomState(state).uniform(
                        -uniform_bound, uniform_bound, (fan_in, fan_out)
                    ),
                    "that is scikit-learn's own uniform draw: use self._random_state.normal.",
                ),
            ],
        )
        compare(got[1], intercept, "intercept_init", call, mistakes=[])
        for name, value in zip(("coef_init", "intercept_init"), got):
            if np.asarray(value).dtype != dtype:
                raise NotYet(
                    f"Not yet: {name} from {call} has dtype {np.asarray(value).dtype}; "
                    f"return it as `dtype` (.astype(dtype))."
                )
