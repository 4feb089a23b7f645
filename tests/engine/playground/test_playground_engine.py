"""The Playground engine: data rules, and training equal to the original's per-example rule.

The reference below is a plain transcription of TensorFlow Playground's training loop
(``nn.ts`` forwardProp/backProp/updateWeights driven by ``playground.ts`` oneStep):
scalar loops over neurons and links, one example at a time. The engine must give the
same weights, to floating-point rounding, for batch sizes that do and do not divide
the training set, with and without L1/L2.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from widgets.engine.playground import (
    DIVERGENCE_LIMIT,
    FEATURES,
    DivergenceError,
    PlaygroundNet,
    featurize,
    make_data,
    shuffled_order,
    split,
)

# ----------------------------------------------------------------- the reference


def _act(name):
    if name == "tanh":
        return math.tanh, lambda x: 1 - math.tanh(x) ** 2
    if name == "relu":
        return (lambda x: max(0.0, x)), (lambda x: 0.0 if x <= 0 else 1.0)
    if name == "sigmoid":

        def sig(x):
            return 1 / (1 + math.exp(-x))

        return sig, (lambda x: sig(x) * (1 - sig(x)))
    return (lambda x: x), (lambda x: 1.0)


class ReferenceNet:
    """The original's node-and-link network, transcribed with Python floats."""

    def __init__(self, weights, biases, activation, problem):
        self.w = [
            [[float(v) for v in row] for row in np.asarray(W)] for W in weights
        ]  # w[l][i][j]: i -> j
        self.b = [[float(v) for v in B] for B in biases]
        self.acts = [_act(activation)] * (len(weights) - 1) + [
            _act("tanh" if problem == "classification" else "linear")
        ]
        self.acc_w = [[[0.0] * len(r) for r in W] for W in self.w]
        self.n_w = [[[0] * len(r) for r in W] for W in self.w]
        self.dead = [[[False] * len(r) for r in W] for W in self.w]
        self.acc_b = [[0.0] * len(B) for B in self.b]
        self.n_b = [[0] * len(B) for B in self.b]

    def forward(self, x):
        self.outputs = [list(x)]
        self.totals = []
        for layer, (W, B) in enumerate(zip(self.w, self.b)):
            f = self.acts[layer][0]
            totals, outs = [], []
            for j in range(len(B)):
                total = B[j]
                for i in range(len(W)):
                    total += W[i][j] * self.outputs[-1][i]
                totals.append(total)
                outs.append(f(total))
            self.totals.append(totals)
            self.outputs.append(outs)
        return self.outputs[-1][0]

    def backward(self, target):
        output_der = [self.outputs[-1][0] - target]
        for layer in range(len(self.w) - 1, -1, -1):
            der = self.acts[layer][1]
            input_der = [
                output_der[j] * der(self.totals[layer][j]) for j in range(len(self.b[layer]))
            ]
            for j, d in enumerate(input_der):
                self.acc_b[layer][j] += d
                self.n_b[layer][j] += 1
            for j, d in enumerate(input_der):
                for i in range(len(self.w[layer])):
                    if self.dead[layer][i][j]:
                        continue
                    self.acc_w[layer][i][j] += d * self.outputs[layer][i]
                    self.n_w[layer][i][j] += 1
            if layer > 0:
                output_der = [
                    sum(self.w[layer][i][j] * input_der[j] for j in range(len(input_der)))
                    for i in range(len(self.w[layer]))
                ]

    def update(self, lr, reg, rate):
        for layer in range(len(self.w)):
            for j in range(len(self.b[layer])):
                if self.n_b[layer][j] > 0:
                    self.b[layer][j] -= lr * self.acc_b[layer][j] / self.n_b[layer][j]
                    self.acc_b[layer][j] = 0.0
                    self.n_b[layer][j] = 0
                for i in range(len(self.w[layer])):
                    if self.dead[layer][i][j]:
                        continue
                    w = self.w[layer][i][j]
                    reg_der = (
                        0.0
                        if reg is None
                        else (w if reg == "L2" else (-1.0 if w < 0 else 1.0 if w > 0 else 0.0))
                    )
                    if self.n_w[layer][i][j] > 0:
                        w = w - (lr / self.n_w[layer][i][j]) * self.acc_w[layer][i][j]
                        new = w - lr * rate * reg_der
                        if reg == "L1" and w * new < 0:
                            self.w[layer][i][j] = 0.0
                            self.dead[layer][i][j] = True
                        else:
                            self.w[layer][i][j] = new
                        self.acc_w[layer][i][j] = 0.0
                        self.n_w[layer][i][j] = 0

    def epoch(self, X, y, lr, batch, reg, rate):
        for i, (x, t) in enumerate(zip(X, y)):
            self.forward(x)
            self.backward(t)
            if (i + 1) % batch == 0:
                self.update(lr, reg, rate)


# ----------------------------------------------------------------- training equivalence


# 150 training points for the classification sets, 120 for regression: batch sizes 10, 1,
# 30 and 4 divide them, 7, 13 and 9 leave examples over for the next epoch.
CASES = [
    # dataset, features, hidden, activation, batch, regularization, rate, learning rate
    ("circle", ("x1", "x2"), (4, 2), "tanh", 10, None, 0.0, 0.03),
    ("xor", ("x1", "x2", "x1*x2"), (3,), "relu", 7, "L1", 0.03, 0.1),
    ("spiral", FEATURES, (5, 3, 2), "tanh", 1, "L2", 0.03, 0.03),
    ("gauss", ("x1", "x2"), (2,), "sigmoid", 13, "L2", 0.3, 0.3),
    ("circle", ("x1^2", "x2^2"), (), "linear", 30, "L1", 0.1, 0.01),
    ("plane", ("x1", "x2"), (3, 3), "relu", 4, "L1", 0.003, 0.01),
    ("multigauss", ("x1", "x2", "sin(x1)", "sin(x2)"), (6, 4), "tanh", 9, None, 0.0, 0.1),
]


@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]}-{c[3]}-b{c[4]}-{c[5]}" for c in CASES])
def test_train_epoch_equals_the_per_example_rule(case):
    dataset, features, hidden, activation, batch, reg, rate, lr = case
    problem = "regression" if dataset in ("plane", "multigauss") else "classification"
    X, y = make_data(
        dataset, n_samples=None if problem == "classification" else 300, noise=10, seed=3
    )
    X_train, y_train, _, _ = split(
        X, y, train_percent=30 if problem == "classification" else 40, seed=4
    )
    inputs = featurize(X_train, features)
    net = PlaygroundNet(len(features), hidden, activation, problem, seed=5)
    reference = ReferenceNet(net.weights, net.biases, activation, problem)
    for _ in range(3):  # leftovers must carry from one epoch into the next
        net.train_epoch(
            inputs, y_train, learning_rate=lr, batch_size=batch, regularization=reg, reg_rate=rate
        )
        reference.epoch(inputs.tolist(), y_train.tolist(), lr, batch, reg, rate)
    for layer, (W, B) in enumerate(zip(net.weights, net.biases)):
        np.testing.assert_allclose(W, reference.w[layer], rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(B, reference.b[layer], rtol=1e-9, atol=1e-12)
        np.testing.assert_array_equal(net.dead[layer], reference.dead[layer])
    # Something happened: the weights moved, and under L1 some weights died.
    # One update per full batch of each epoch; leftovers join the next epoch's first batch.
    assert net.updates == 3 * (inputs.shape[0] // batch)
    if (dataset, reg) == ("xor", "L1"):
        assert any(d.any() for d in net.dead), "this case should kill some weights"


def test_dividing_batch_has_no_leftovers_and_output_equals_reference():
    X, y = make_data("circle", n_samples=40, seed=1)
    net = PlaygroundNet(2, (3,), "tanh", seed=2)
    reference = ReferenceNet(net.weights, net.biases, "tanh", "classification")
    net.train_epoch(X, y, batch_size=8)
    reference.epoch(X.tolist(), y.tolist(), 0.03, 8, None, 0.0)
    assert net._acc_count == 0 and net.updates == 5
    outputs = [reference.forward(x) for x in X.tolist()]
    np.testing.assert_allclose(net.predict(X), outputs, rtol=1e-12)


def test_dead_weight_stays_zero_and_still_counts_in_forward_pass():
    X, y = make_data("gauss", n_samples=60, seed=0)
    net = PlaygroundNet(2, (2,), "tanh", seed=0)
    for _ in range(5):
        net.train_epoch(X, y, learning_rate=0.1, batch_size=5, regularization="L1", reg_rate=0.1)
    dead = net.dead[0]
    assert dead.any() and not dead.all()
    assert np.all(net.weights[0][dead] == 0.0)
    before = [w.copy() for w in net.weights]
    net.train_epoch(X, y, learning_rate=0.1, batch_size=5, regularization="L1", reg_rate=3.0)
    assert np.all(net.weights[0][dead] == 0.0)
    # The forward pass is the plain formula with those zeros in it.
    hidden = np.tanh(X @ net.weights[0] + net.biases[0])
    np.testing.assert_allclose(
        net.predict(X), np.tanh(hidden @ net.weights[1] + net.biases[1])[:, 0]
    )
    assert any(not np.array_equal(a, b) for a, b in zip(before, net.weights))


def test_last_update_reports_the_step_it_applied():
    X, y = make_data("xor", n_samples=50, seed=0)
    net = PlaygroundNet(2, (3,), "tanh", seed=0)
    net.train_epoch(X, y, learning_rate=0.1, batch_size=7, regularization="L2", reg_rate=0.1)
    u = net.last_update
    assert u.count == 7 and u.learning_rate == 0.1
    for layer in range(2):
        np.testing.assert_allclose(u.gradient_step[layer], 0.1 / 7 * u.accumulated[layer])
        np.testing.assert_allclose(u.penalty_step[layer], 0.1 * 0.1 * u.weights_before[layer])
        np.testing.assert_allclose(
            u.weights_after[layer],
            u.weights_before[layer] - u.gradient_step[layer] - u.penalty_step[layer],
        )
        # The leftover (50 - 49 = 1 example) has been accumulated since: weights are the new ones.
        np.testing.assert_array_equal(net.weights[layer], u.weights_after[layer])


def test_initial_weights_follow_the_original():
    net = PlaygroundNet(3, (4, 2), seed=7)
    rng = np.random.default_rng(7)
    expected = [rng.random((4, 3)).T - 0.5, rng.random((2, 4)).T - 0.5, rng.random((1, 2)).T - 0.5]
    for W, E in zip(net.weights, expected):
        np.testing.assert_array_equal(W, E)
    assert all(np.all(b == 0.1) for b in net.biases)
    assert all(np.all(np.abs(W) <= 0.5) for W in net.weights)
    zero = PlaygroundNet(3, (4, 2), seed=7, init_zero=True)
    assert all(not W.any() for W in zero.weights) and all(not b.any() for b in zero.biases)
    assert PlaygroundNet(2, (4, 2), seed=1).n_parameters == 25


def test_loss_is_half_mean_squared_error_and_outputs_bounded():
    X, y = make_data("spiral", seed=0)
    net = PlaygroundNet(2, (4, 2), seed=0)
    out = net.predict(X)
    assert out.shape == (500,) and np.all(np.abs(out) < 1)
    assert net.loss(X, y) == pytest.approx(np.mean(0.5 * (out - y) ** 2))
    reg = PlaygroundNet(2, (4, 2), problem="regression", seed=0)
    hidden = np.tanh(np.tanh(X @ reg.weights[0] + 0.1) @ reg.weights[1] + 0.1)
    np.testing.assert_allclose(reg.predict(X), (hidden @ reg.weights[2] + 0.1)[:, 0])


def test_weights_are_assignable_with_checked_shapes():
    net = PlaygroundNet(2, (3,), seed=0)
    net.weights = [np.ones((2, 3)), np.ones((3, 1))]
    net.biases = [np.zeros(3), np.zeros(1)]
    np.testing.assert_allclose(net.predict(np.array([[1.0, 1.0]])), np.tanh(3 * np.tanh(2.0)))
    with pytest.raises(ValueError, match=r"weights\[1\] must have shape \(3, 1\)"):
        net.weights = [np.ones((2, 3)), np.ones((1, 3))]
    with pytest.raises(ValueError, match="weights must be a list of 2 arrays"):
        net.weights = [np.ones((2, 3))]
    with pytest.raises(ValueError, match=r"biases\[0\] must not contain NaN"):
        net.biases = [np.full(3, np.nan), np.zeros(1)]


def test_divergence_stops_and_keeps_the_last_finite_weights():
    X, y = make_data("plane", n_samples=200, seed=0)
    net = PlaygroundNet(2, (8, 8, 8), "relu", "regression", seed=0)
    with pytest.raises(DivergenceError, match="diverged"):
        for _ in range(50):
            net.train_epoch(X, y, learning_rate=10, batch_size=1)
    assert all(np.isfinite(w).all() and np.abs(w).max() <= DIVERGENCE_LIMIT for w in net.weights)
    assert np.isfinite(net.loss(X, y))


# ----------------------------------------------------------------- the data sets


def test_default_sizes_and_labels():
    for name in ("circle", "xor", "gauss", "spiral"):
        X, y = make_data(name, seed=0)
        assert X.shape == (500, 2) and set(np.unique(y)) == {-1.0, 1.0}
    for name in ("plane", "multigauss"):
        X, y = make_data(name, seed=0)
        assert X.shape == (1200, 2) and np.unique(y).size > 100


def test_circle_geometry_and_noise_only_flips_labels():
    X, y = make_data("circle", noise=0, seed=1)
    r = np.hypot(X[:, 0], X[:, 1])
    assert np.all(r[:250] < 2.5) and np.all((r[250:] >= 3.5) & (r[250:] <= 5))
    np.testing.assert_array_equal(y, np.where(r < 2.5, 1.0, -1.0))
    X_noisy, y_noisy = make_data("circle", noise=50, seed=1)
    np.testing.assert_array_equal(X_noisy, X)  # the same uniforms: noise never moves a point
    assert 0 < np.mean(y_noisy != y) < 0.5


def test_circle_reproduces_the_uniform_stream():
    # Per point the original draws r, angle, noise x, noise y (all positives, then all negatives).
    X, y = make_data("circle", n_samples=6, noise=30, seed=9)
    u = np.random.default_rng(9).random(24).reshape(6, 4)
    r = np.r_[u[:3, 0] * 2.5, u[3:, 0] * 1.5 + 3.5]
    angle = u[:, 1] * 2 * np.pi
    np.testing.assert_allclose(X, np.column_stack([r * np.sin(angle), r * np.cos(angle)]))
    nx, ny = X[:, 0] + (u[:, 2] * 10 - 5) * 0.3, X[:, 1] + (u[:, 3] * 10 - 5) * 0.3
    np.testing.assert_array_equal(y, np.where(np.sqrt(nx**2 + ny**2) < 2.5, 1, -1))


def test_xor_padding_and_labels():
    X, y = make_data("xor", noise=0, seed=2)
    assert np.all(np.abs(X) >= 0.3) and np.all(np.abs(X) <= 5.3)
    np.testing.assert_array_equal(y, np.where(X[:, 0] * X[:, 1] >= 0, 1.0, -1.0))
    _, y_noisy = make_data("xor", noise=50, seed=2)
    assert 0 < np.mean(y_noisy != y) < 0.5


def test_gauss_centres_and_variance_from_noise():
    X, y = make_data("gauss", n_samples=4000, noise=0, seed=3)
    np.testing.assert_allclose(X[y > 0].mean(axis=0), [2, 2], atol=0.06)
    np.testing.assert_allclose(X[y < 0].mean(axis=0), [-2, -2], atol=0.06)
    np.testing.assert_allclose(X[y > 0].var(axis=0), [0.5, 0.5], rtol=0.1)
    X, y = make_data("gauss", n_samples=4000, noise=50, seed=3)
    np.testing.assert_allclose(
        X[y > 0].var(axis=0), [4.0, 4.0], rtol=0.1
    )  # linear map [0, .5] -> [.5, 4]


def test_spiral_points_follow_the_arms():
    X, y = make_data("spiral", noise=0, seed=0)
    i = np.arange(250)
    r, t = 5 * i / 250, 1.75 * i / 250 * 2 * np.pi
    np.testing.assert_allclose(X[:250], np.column_stack([r * np.sin(t), r * np.cos(t)]), atol=1e-12)
    np.testing.assert_allclose(
        X[250:], np.column_stack([r * np.sin(t + np.pi), r * np.cos(t + np.pi)]), atol=1e-12
    )
    assert np.all(y[:250] == 1) and np.all(y[250:] == -1)
    X_noisy, _ = make_data("spiral", noise=20, seed=0)
    shift = np.abs(X_noisy - X)
    assert shift.max() <= 0.2 and shift.mean() > 0.05  # U(-1, 1)·0.2 moves the points


def test_plane_and_multigauss_labels():
    X, y = make_data("plane", noise=0, seed=4)
    assert np.all(np.abs(X) <= 6)
    np.testing.assert_allclose(y, X.sum(axis=1) / 10)
    X, y = make_data("multigauss", noise=0, seed=4)
    centres = np.array(
        [[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]]
    )
    for point, label in zip(X[:50], y[:50]):
        values = [s * min(max(1 - np.hypot(*(point - c)) / 2, 0), 1) for *c, s in centres]
        best = 0.0
        for v in values:
            if abs(v) > abs(best):
                best = v
        assert label == pytest.approx(best)


def test_split_is_the_original_shuffle_then_a_cut():
    X = np.arange(20.0).reshape(10, 2)
    y = np.arange(10.0)
    X_train, y_train, X_test, y_test = split(X, y, train_percent=70, seed=0)
    assert len(y_train) == 7 and len(y_test) == 3
    # Fisher-Yates from the end with the same uniforms.
    u = np.random.default_rng(0).random(10)
    order = list(range(10))
    for k, counter in enumerate(range(10, 0, -1)):
        index = math.floor(u[k] * counter)
        order[counter - 1], order[index] = order[index], order[counter - 1]
    np.testing.assert_array_equal(np.r_[y_train, y_test], order)
    np.testing.assert_array_equal(shuffled_order(10, 0), order)
    assert len(split(*make_data("spiral", seed=0), train_percent=70, seed=0)[1]) == 350


def test_featurize_columns():
    X = np.array([[1.0, 2.0], [-0.5, 3.0]])
    F = featurize(X, ["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"])
    np.testing.assert_allclose(F[1], [-0.5, 3.0, 0.25, 9.0, -1.5, np.sin(-0.5), np.sin(3.0)])
    np.testing.assert_allclose(featurize(X, ["x2", "x1"]), X[:, ::-1])


def test_seeds_make_data_reproducible():
    a, b = make_data("gauss", noise=15, seed=11), make_data("gauss", noise=15, seed=11)
    np.testing.assert_array_equal(a[0], b[0])
    assert not np.array_equal(a[0], make_data("gauss", noise=15, seed=12)[0])


# ----------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: make_data("moons"), ValueError, "dataset must be one of"),
        (lambda: make_data(3), TypeError, "dataset must be a string"),
        (lambda: make_data("circle", noise=55), ValueError, "noise must be between 0 and 50"),
        (lambda: make_data("circle", noise=-5), ValueError, "noise must be between 0 and 50"),
        (lambda: make_data("circle", noise="20"), TypeError, "noise must be a number"),
        (
            lambda: make_data("circle", n_samples=2.5),
            TypeError,
            "n_samples must be a whole number at least 2",
        ),
        (lambda: make_data("circle", n_samples=1), ValueError, "n_samples must be at least 2"),
        # A negative seed is a wrong value (ValueError), a text seed a wrong type.
        (lambda: make_data("circle", seed=-1), ValueError, "seed must be a non-negative integer"),
        (lambda: make_data("circle", seed="1"), TypeError, "seed must be None, a non-negative"),
        (lambda: PlaygroundNet(2, seed=-1), ValueError, "seed must be a non-negative integer"),
        (lambda: featurize(np.zeros((3, 2)), ["x1", 2]), TypeError, "feature names"),
        (lambda: split(np.full((3, 2), "a"), np.zeros(3)), TypeError, "X must be an array"),
        (lambda: split([[0, 1], [2]], np.zeros(2)), ValueError, "X must be an array"),
        (lambda: PlaygroundNet(2, activation=3), TypeError, "activation must be a string"),
        (lambda: PlaygroundNet(2.0), TypeError, "n_inputs must be a whole number"),
        (
            lambda: split(np.zeros((10, 2)), np.zeros(10), train_percent=95),
            ValueError,
            "train_percent must be between 10 and 90",
        ),
        (
            lambda: split(np.zeros((10, 2)), np.zeros(10), train_percent=5),
            ValueError,
            "train_percent must be between 10 and 90",
        ),
        (lambda: split(np.zeros((10, 2)), np.zeros(9)), ValueError, "10 labels expected, got 9"),
        (lambda: split(np.zeros((0, 2)), np.zeros(0)), ValueError, "X must not be empty"),
        (lambda: split(np.full((3, 2), np.nan), np.zeros(3)), ValueError, "X must not contain NaN"),
        (
            lambda: split(np.zeros((3, 3)), np.zeros(3)),
            ValueError,
            r"X must have shape \(n_samples, 2\)",
        ),
        (lambda: split(np.zeros((3, 2)), [0, np.inf, 1]), ValueError, "y must not contain NaN"),
        (lambda: featurize(np.zeros((3, 2)), ["x3"]), ValueError, "unknown feature 'x3'"),
        (lambda: featurize(np.zeros((3, 2)), "x1"), TypeError, "features must be a list"),
        (lambda: featurize(np.zeros((3, 2)), ["x1", "x1"]), ValueError, "must not repeat"),
        (lambda: featurize(np.zeros((3, 2)), []), ValueError, "at least one feature"),
        (
            lambda: PlaygroundNet(2, (4, 2), activation="softplus"),
            ValueError,
            "activation must be one of",
        ),
        (lambda: PlaygroundNet(2, (4, 9)), ValueError, "1 to 8 neurons"),
        (lambda: PlaygroundNet(2, (1,) * 7), ValueError, "at most 6 hidden layers"),
        (lambda: PlaygroundNet(2, (4, 2.0)), TypeError, "whole numbers of neurons"),
        (lambda: PlaygroundNet(0), ValueError, "n_inputs must be from 1 to 7"),
        (lambda: PlaygroundNet(2, problem="ranking"), ValueError, "problem must be one of"),
    ],
)
def test_bad_input_gets_a_clear_error(call, error, message):
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"batch_size": 0}, ValueError, "batch_size must be from 1 to 30"),
        ({"batch_size": 31}, ValueError, "batch_size must be from 1 to 30"),
        ({"batch_size": 2.0}, TypeError, "batch_size must be a whole number"),
        ({"learning_rate": 0}, ValueError, "learning_rate must be a positive"),
        ({"learning_rate": "fast"}, TypeError, "learning_rate must be a positive number"),
        ({"regularization": "L3"}, ValueError, "regularization must be one of"),
        ({"regularization": 1}, TypeError, "regularization must be a string"),
        ({"reg_rate": -0.1}, ValueError, "reg_rate must be a finite number >= 0"),
    ],
)
def test_train_epoch_rejects_bad_settings(kwargs, error, message):
    net = PlaygroundNet(2, (2,), seed=0)
    with pytest.raises(error, match=message):
        net.train_epoch(np.zeros((5, 2)), np.ones(5), **kwargs)


def test_train_epoch_rejects_bad_data():
    net = PlaygroundNet(2, (2,), seed=0)
    with pytest.raises(ValueError, match=r"X must have shape \(n_samples, 2\)"):
        net.train_epoch(np.zeros((5, 3)), np.ones(5))
    with pytest.raises(ValueError, match="5 labels expected, got 4"):
        net.train_epoch(np.zeros((5, 2)), np.ones(4))
    with pytest.raises(ValueError, match="X must not contain NaN"):
        net.train_epoch(np.full((5, 2), np.nan), np.ones(5))
    with pytest.raises(ValueError, match="X must not be empty"):
        net.predict(np.zeros((0, 2)))
