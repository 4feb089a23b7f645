"""make_optimizer: torch.optim's update rules and defaults, written element by element.

Each reference below is a plain-Python transcription of the algorithm box in
torch.optim's documentation (weight decay 0, maximize False), applied to one
scalar at a time; the engine's vectorised in-place versions must agree.
"""

import math

import numpy as np
import pytest

from widgets.engine import make_optimizer
from widgets.engine.optimizers import OPTIMIZERS, hyperparameter_names

N_STEPS = 12


def _gradients(seed=0, shapes=((3, 2), (2,))):
    rng = np.random.RandomState(seed)
    # A gradient whose sign flips now and then (exercises Rprop's branches).
    return [
        [rng.normal(size=shape) + (0.4 if step % 3 else -0.6) for shape in shapes]
        for step in range(N_STEPS)
    ]


def _run_engine(name, hyper, seed=0):
    params = [np.linspace(-1, 1, 6).reshape(3, 2), np.array([0.3, -0.2])]
    optimizer = make_optimizer(name, params, **hyper)
    for grads in _gradients(seed):
        optimizer.step(grads)
    return params


def _run_reference(update, state_factory, seed=0):
    params = [np.linspace(-1, 1, 6).reshape(3, 2), np.array([0.3, -0.2])]
    flat = [p.ravel().tolist() for p in params]
    states = [[state_factory() for _ in values] for values in flat]
    for t, grads in enumerate(_gradients(seed), start=1):
        for values, state, grad in zip(flat, states, grads):
            for i, g in enumerate(grad.ravel().tolist()):
                values[i] = update(values[i], g, state[i], t)
    return [np.array(v).reshape(p.shape) for v, p in zip(flat, params)]


def _sgd(lr, momentum=0.0, nesterov=False):
    def update(theta, g, state, t):
        if momentum:
            state["b"] = g if t == 1 else momentum * state["b"] + g
            g = g + momentum * state["b"] if nesterov else state["b"]
        return theta - lr * g

    return update


def _rprop(lr=0.01, etas=(0.5, 1.2), step_sizes=(1e-6, 50)):
    eta_minus, eta_plus = etas
    low, high = step_sizes

    def update(theta, g, state, t):
        step = state.setdefault("eta", lr)
        product = g * state.get("prev", 0.0)
        if product > 0:
            step = min(step * eta_plus, high)
        elif product < 0:
            step = max(step * eta_minus, low)
            g = 0.0
        state["eta"] = step
        state["prev"] = g
        return theta - step * (g > 0) + step * (g < 0)

    return update


def _adagrad(lr=0.01, lr_decay=0.0, eps=1e-10, initial_accumulator_value=0.0):
    def update(theta, g, state, t):
        clr = lr / (1 + (t - 1) * lr_decay)
        state["sum"] = state.get("sum", initial_accumulator_value) + g * g
        return theta - clr * g / (math.sqrt(state["sum"]) + eps)

    return update


def _rmsprop(lr=0.01, alpha=0.99, eps=1e-8, momentum=0.0, centered=False):
    def update(theta, g, state, t):
        state["v"] = alpha * state.get("v", 0.0) + (1 - alpha) * g * g
        v = state["v"]
        if centered:
            state["g_ave"] = alpha * state.get("g_ave", 0.0) + (1 - alpha) * g
            v = v - state["g_ave"] ** 2
        denominator = math.sqrt(v) + eps
        if momentum > 0:
            state["b"] = momentum * state.get("b", 0.0) + g / denominator
            return theta - lr * state["b"]
        return theta - lr * g / denominator

    return update


def _adam(lr=0.001, betas=(0.9, 0.999), eps=1e-8):
    beta_1, beta_2 = betas

    def update(theta, g, state, t):
        state["m"] = beta_1 * state.get("m", 0.0) + (1 - beta_1) * g
        state["v"] = beta_2 * state.get("v", 0.0) + (1 - beta_2) * g * g
        # Kingma & Ba's efficient form (Algorithm 1, last paragraph of sec. 2).
        lr_t = lr * math.sqrt(1 - beta_2**t) / (1 - beta_1**t)
        return theta - lr_t * state["m"] / (math.sqrt(state["v"]) + eps)

    return update


CASES = [
    ("sgd", dict(lr=0.1), _sgd(0.1)),
    ("sgd", dict(lr=0.05, momentum=0.9), _sgd(0.05, 0.9)),
    ("sgd", dict(lr=0.05, momentum=0.8, nesterov=True), _sgd(0.05, 0.8, True)),
    ("rprop", {}, _rprop()),
    (
        "rprop",
        dict(lr=0.1, etas=(0.3, 1.5), step_sizes=(0.01, 0.2)),
        _rprop(0.1, (0.3, 1.5), (0.01, 0.2)),
    ),
    ("adagrad", {}, _adagrad()),
    (
        "adagrad",
        dict(lr=0.1, lr_decay=0.05, eps=1e-6, initial_accumulator_value=0.5),
        _adagrad(0.1, 0.05, 1e-6, 0.5),
    ),
    ("rmsprop", {}, _rmsprop()),
    ("rmsprop", dict(lr=0.02, alpha=0.9, momentum=0.7), _rmsprop(0.02, 0.9, momentum=0.7)),
    (
        "rmsprop",
        dict(alpha=0.8, centered=True, eps=1e-6),
        _rmsprop(alpha=0.8, eps=1e-6, centered=True),
    ),
    ("adam", {}, _adam()),
    ("adam", dict(lr=0.01, betas=(0.8, 0.95), eps=1e-6), _adam(0.01, (0.8, 0.95), 1e-6)),
]


@pytest.mark.parametrize(
    "name, hyper, reference", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_update_rule_matches_reference(name, hyper, reference):
    engine = _run_engine(name, hyper)
    expected = _run_reference(reference, dict)
    start = [np.linspace(-1, 1, 6).reshape(3, 2), np.array([0.3, -0.2])]
    for got, want, initial in zip(engine, expected, start):
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-13)
        assert not np.allclose(got, initial)  # the parameters really moved


def test_defaults_are_torch_defaults():
    params = [np.zeros(3)]
    assert hyperparameter_names("sgd") == ["lr", "momentum", "nesterov", "lr_schedule", "power_t"]
    sgd = make_optimizer("sgd", params, lr=0.1)
    assert (sgd.momentum, sgd.nesterov) == (0.0, False)
    rprop = make_optimizer("rprop", params)
    assert (rprop.learning_rate, rprop.eta_minus, rprop.eta_plus) == (0.01, 0.5, 1.2)
    assert (rprop.step_size_min, rprop.step_size_max) == (1e-6, 50)
    adagrad = make_optimizer("adagrad", params)
    assert (
        adagrad.learning_rate,
        adagrad.lr_decay,
        adagrad.eps,
        adagrad.initial_accumulator_value,
    ) == (0.01, 0.0, 1e-10, 0.0)
    rmsprop = make_optimizer("rmsprop", params)
    assert (
        rmsprop.learning_rate,
        rmsprop.alpha,
        rmsprop.eps,
        rmsprop.momentum,
        rmsprop.centered,
    ) == (0.01, 0.99, 1e-8, 0.0, False)
    adam = make_optimizer("adam", params)
    assert (adam.learning_rate, adam.beta_1, adam.beta_2, adam.eps) == (0.001, 0.9, 0.999, 1e-8)


def test_rprop_does_not_move_after_a_sign_change():
    w = np.array([0.0])
    optimizer = make_optimizer("rprop", [w], lr=0.1)
    optimizer.step([np.array([1.0])])
    assert w[0] == pytest.approx(-0.1)
    optimizer.step([np.array([2.0])])  # same sign: step grows by 1.2
    assert w[0] == pytest.approx(-0.1 - 0.12)
    optimizer.step([np.array([-3.0])])  # sign flip: step shrinks, no move
    assert w[0] == pytest.approx(-0.22)
    optimizer.step([np.array([-3.0])])  # fresh start at the shrunken step
    assert w[0] == pytest.approx(-0.22 + 0.06)


def test_updates_are_in_place_on_the_given_arrays():
    for name in OPTIMIZERS:
        w = np.ones(4)
        same = w
        make_optimizer(name, [w], lr=0.1).step([np.full(4, 0.5)])
        assert same is w and np.all(w < 1.0)


@pytest.mark.parametrize(
    "call, error, pattern",
    [
        (lambda p: make_optimizer("adamw", p), ValueError, "name must be one of"),
        (lambda p: make_optimizer("sgd", p), TypeError, "sgd needs a learning rate"),
        (lambda p: make_optimizer("sgd", p, lr=0.0), ValueError, r"lr must be in the interval \(0"),
        (lambda p: make_optimizer("adam", p, lr=-1.0), ValueError, "lr must be in the interval"),
        (
            lambda p: make_optimizer("adam", p, weight_decay=0.1),
            TypeError,
            "unexpected hyperparameter 'weight_decay'",
        ),
        (lambda p: make_optimizer("rprop", p, etas=(1.5, 2.0)), ValueError, "etas must satisfy"),
        (lambda p: make_optimizer("rprop", p, etas=0.5), TypeError, "etas must be a pair"),
        (lambda p: make_optimizer("adam", p, betas=(0.9, 1.0)), ValueError, r"betas\[1\]"),
        (lambda p: make_optimizer("rmsprop", p, alpha=1.5), ValueError, "alpha must be in"),
        (lambda p: make_optimizer("sgd", p, lr="fast"), TypeError, "lr must be a real number"),
        (
            lambda p: make_optimizer("sgd", np.zeros(3), lr=0.1),
            TypeError,
            "params must be a list of arrays",
        ),
        (
            lambda p: make_optimizer("sgd", [[1.0, 2.0]], lr=0.1),
            TypeError,
            r"params\[0\] must be a float NumPy array",
        ),
    ],
)
def test_bad_arguments(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call([np.zeros(3)])


def test_bad_gradients():
    optimizer = make_optimizer("adam", [np.zeros(3), np.zeros(2)])
    with pytest.raises(ValueError, match="grads must hold one array per parameter"):
        optimizer.step([np.zeros(3)])
    with pytest.raises(ValueError, match=r"grads\[1\] must have shape \(2,\)"):
        optimizer.step([np.zeros(3), np.zeros(4)])


def test_sgd_schedules_follow_sklearn():
    w = np.zeros(2)
    invscaling = make_optimizer("sgd", [w], lr=0.5, lr_schedule="invscaling", power_t=0.25)
    invscaling.iteration_ends(99)
    assert invscaling.learning_rate == pytest.approx(0.5 / 100**0.25)
    adaptive = make_optimizer("sgd", [w], lr=0.5, lr_schedule="adaptive")
    assert adaptive.trigger_stopping("no improvement", verbose=False) is False
    assert adaptive.learning_rate == pytest.approx(0.1)
    adaptive.learning_rate = 1e-6
    assert adaptive.trigger_stopping("no improvement", verbose=False) is True
