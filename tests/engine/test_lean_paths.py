"""The training loop's fast paths give exactly the numbers of the readable ones.

The estimators train through ``widgets.engine._fast.FastPath``; learners read
``widgets.engine.network.Network``. Training with either must give bit for bit
the same gradients and weights (``np.array_equal``, not ``allclose``): that is
what lets the readable network stand for what the estimators compute.
``FastPath.training_pass`` must fill the gradients bit for bit as
``FastPath.backprop`` does, ``SGD.stepper`` must update the parameters bit for
bit as ``SGD.step`` does, and the trainer's chunks must cover the samples in
order. (End-to-end parity with scikit-learn is in test_parity.py.)

The readable side is driven through the network's private ``_forward`` and
``_backward``: the training-form gradient
(``delta = a_L - Y`` summed over outputs, as scikit-learn trains) that the
public ``loss_and_gradients`` rescales for the identity output.
"""

import numpy as np
import pytest
import scipy.sparse as sp

from widgets.engine import MLPClassifier, Network
from widgets.engine._fast import FastPath
from widgets.engine.optimizers import SGD
from widgets.engine.training import MiniBatchTrainer

OUTPUT_TARGETS = {
    "logistic": lambda rng, n, k: (rng.rand(n, k) < 0.5).astype(float),
    "softmax": lambda rng, n, k: np.eye(k)[rng.randint(k, size=n)],
    "identity": lambda rng, n, k: rng.normal(size=(n, k)),
}
ACTIVATIONS = ["relu", "tanh", "logistic", "identity", "leaky_relu"]
OUTPUTS = [("logistic", 1), ("logistic", 3), ("softmax", 3), ("identity", 2)]
LEARNING_RATE = 0.1


def _readable_step(network, X, Y, l1=0.0, l2=0.0, sample_weight=None, masks=None):
    """One gradient step of the readable network; return its loss and output."""
    n = X.shape[0] if sample_weight is None else sample_weight.sum()
    inputs, activations = network._forward(X, masks)
    network._backward(inputs, activations, Y, n, l1, l2, sample_weight, masks)
    loss = network.data_loss(Y, activations[-1], sample_weight)
    if l1 or l2:
        loss += network.penalty(l1, l2) / n
    network.params -= LEARNING_RATE * network.grads
    return loss, activations[-1]


def _networks(n_inputs, hidden, n_outputs, activation, output, dtype):
    return [
        Network(
            [n_inputs, *hidden, n_outputs],
            activation=activation,
            output=output,
            random_state=1,
            dtype=dtype,
        )
        for _ in range(2)
    ]


def _assert_identical(actual, expected):
    np.testing.assert_array_equal(actual, expected, strict=True)
    assert np.array_equal(actual, expected)


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("output, n_outputs", OUTPUTS)
@pytest.mark.parametrize("hidden", [(), (5,), (4, 3), (64,)])
@pytest.mark.parametrize("l2", [0.0, 1e-3])
@pytest.mark.parametrize("n_rows", [1, 7, 200])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_fast_training_pass_trains_as_the_readable_network(
    activation, output, n_outputs, hidden, l2, n_rows, dtype
):
    # The estimators' common case: dense X, no dropout, sample weights or l1.
    # (64 hidden units and 200 rows make products large enough for np.matmul,
    # the smaller ones go to np.dot: both must give the readable ``@``'s bits.)
    rng = np.random.RandomState(0)
    readable, fast_network = _networks(3, hidden, n_outputs, activation, output, dtype)
    fast = FastPath(fast_network)
    train_batch = fast.training_pass(fast.workspace(n_rows), l2)
    fast_output = np.empty((n_rows, n_outputs), dtype)
    for _ in range(3):  # several batches through the same work arrays
        X = rng.normal(size=(n_rows, 3)).astype(dtype)
        Y = OUTPUT_TARGETS[output](rng, n_rows, n_outputs).astype(dtype)
        _, readable_output = _readable_step(readable, X, Y, l2=l2)
        train_batch(X, Y, fast_output)
        fast_network.params -= LEARNING_RATE * fast_network.grads
        _assert_identical(fast_output, readable_output)
        _assert_identical(fast_network.grads, readable.grads)
        _assert_identical(fast_network.params, readable.params)


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("output, n_outputs", OUTPUTS)
@pytest.mark.parametrize(
    "l1, l2, dropout, weighted, sparse",
    [
        (0.0, 0.0, False, False, False),
        (0.0, 1e-3, False, False, False),
        (1e-3, 0.0, False, False, False),
        (1e-3, 1e-2, False, False, False),
        (0.0, 1e-3, True, False, False),
        (0.0, 1e-3, False, True, False),
        (1e-3, 1e-3, True, True, False),
        (0.0, 1e-3, False, False, True),
        (1e-3, 0.0, True, True, True),
    ],
)
@pytest.mark.parametrize("hidden, n_rows", [((5,), 7), ((4, 3), 1), ((64,), 200)])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_fast_backprop_trains_as_the_readable_network(
    activation, output, n_outputs, l1, l2, dropout, weighted, sparse, hidden, n_rows, dtype
):
    # The general fast path: dropout, sample weights, l1, sparse X, with the loss.
    rng = np.random.RandomState(0)
    readable, fast_network = _networks(3, hidden, n_outputs, activation, output, dtype)
    fast = FastPath(fast_network)
    workspace = fast.workspace(n_rows, dropout)
    for _ in range(3):
        X = rng.normal(size=(n_rows, 3)).astype(dtype)
        if sparse:
            X[X < 0.3] = 0.0
            X = sp.csr_matrix(X)
        Y = OUTPUT_TARGETS[output](rng, n_rows, n_outputs).astype(dtype)
        weights = rng.uniform(0.5, 2.0, size=n_rows).astype(dtype) if weighted else None
        masks = (
            [(rng.rand(n_rows, units) < 0.7) / dtype(0.7) for units in hidden] if dropout else None
        )
        masks = None if masks is None else [m.astype(dtype) for m in masks]
        readable_loss, readable_output = _readable_step(readable, X, Y, l1, l2, weights, masks)
        fast_loss = fast.backprop(X, Y, workspace, l1, l2, weights, masks)
        fast_network.params -= LEARNING_RATE * fast_network.grads
        if dtype == np.float64:
            assert fast_loss == readable_loss
        else:
            # The reported loss (not the weights) may differ in the last float32
            # bit: the fast path sums its loss terms as scikit-learn's training
            # loop does, the readable one calls the loss function of losses.py.
            assert fast_loss == pytest.approx(readable_loss, rel=1e-6)
        _assert_identical(workspace.activations[-1], readable_output)
        _assert_identical(fast_network.grads, readable.grads)
        _assert_identical(fast_network.params, readable.params)


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("output, n_outputs", OUTPUTS)
@pytest.mark.parametrize("hidden", [(), (5,), (4, 3)])
@pytest.mark.parametrize("l2", [0.0, 1e-3])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_training_pass_is_backprop(activation, output, n_outputs, hidden, l2, dtype):
    rng = np.random.RandomState(0)
    n_rows = 7
    networks = _networks(3, hidden, n_outputs, activation, output, dtype)
    general, lean = (FastPath(network) for network in networks)
    train_batch = lean.training_pass(lean.workspace(n_rows), l2)
    outputs = [np.empty((n_rows, n_outputs), dtype) for _ in range(2)]
    for _ in range(3):  # several batches through the same work arrays
        X = rng.normal(size=(n_rows, 3)).astype(dtype)
        Y = OUTPUT_TARGETS[output](rng, n_rows, n_outputs).astype(dtype)
        assert (
            general.backprop(
                X, Y, general.workspace(n_rows), 0.0, l2, compute_loss=False, output=outputs[0]
            )
            is None
        )
        assert train_batch(X, Y, outputs[1]) is None
        _assert_identical(networks[1].grads, networks[0].grads)
        _assert_identical(outputs[1], outputs[0])
        # Move the parameters so that the next batch sees new weights.
        for network in networks:
            network.params -= 0.1 * network.grads


def test_public_gradients_are_the_training_gradients():
    # loss_and_gradients is the readable passes plus the 1/K of the averaged
    # squared error; with one output it is exactly the training gradient.
    rng = np.random.RandomState(0)
    X, Y = rng.normal(size=(9, 3)), rng.normal(size=(9, 1))
    readable, fast_network = _networks(3, (4,), 1, "tanh", "identity", np.float64)
    loss, coef_grads, intercept_grads = readable.loss_and_gradients(X, Y, l1=0.01, l2=0.1)
    fast = FastPath(fast_network)
    fast_loss = fast.backprop(X, Y, fast.workspace(9), 0.01, 0.1)
    assert loss == fast_loss
    _assert_identical(
        np.concatenate([g.ravel() for g in coef_grads + intercept_grads]), fast_network.grads
    )


@pytest.mark.parametrize(
    "momentum, nesterov", [(0.9, True), (0.9, False), (0.0, False), (0.5, True)]
)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_sgd_stepper_is_step(momentum, nesterov, dtype):
    rng = np.random.RandomState(0)
    start = rng.normal(size=6).astype(dtype)
    params = [start.copy(), start.copy()]
    grads = [np.empty(6, dtype) for _ in range(2)]
    optimizers = [
        SGD([p], lr=0.05, momentum=momentum, nesterov=nesterov, lr_schedule="invscaling")
        for p in params
    ]
    general, lean = optimizers
    for epoch in range(3):
        # A new stepper each epoch (as the trainer makes them); the learning
        # rate changes between epochs and once within an epoch.
        step = lean.stepper([grads[1]])
        for index in range(5):
            grads[0][...] = grads[1][...] = rng.normal(size=6)
            if epoch == 1 and index == 2:
                for optimizer in optimizers:
                    optimizer.learning_rate = 0.02
            general.step([grads[0]])
            step()
            np.testing.assert_array_equal(params[1], params[0], strict=True)
        for optimizer in optimizers:
            optimizer.iteration_ends(10 * (epoch + 1))
    assert lean.n_steps == general.n_steps == 15
    np.testing.assert_array_equal(lean.velocities[0], general.velocities[0], strict=True)


@pytest.mark.parametrize(
    "n_samples, batch_size", [(500, 10), (503, 10), (37, 5), (5, 5), (3, 1), (1000, 7), (64, 200)]
)
def test_chunks_cover_the_samples_in_order(n_samples, batch_size):
    batch_size = min(batch_size, n_samples)
    network = Network([2, 3, 1], output="logistic", random_state=0)
    X = np.zeros((n_samples, 2))
    Y = np.zeros((n_samples, 1), bool)
    trainer = MiniBatchTrainer(
        network,
        SGD([network.params], lr=0.1),
        X,
        Y,
        None,
        batch_size,
        True,
        np.random.RandomState(0),
        l2=1e-4,
        hard_targets=True,
    )
    covered = []
    for start, stop, layout in trainer._chunks:
        assert stop - start == layout.rows
        assert layout.train_batch is not None
        covered.extend(
            (start + offset, start + offset + layout.batch_length) for offset in layout.offsets
        )
    expected = [
        (start, min(start + batch_size, n_samples)) for start in range(0, n_samples, batch_size)
    ]
    assert covered == expected
    # Chunks of full batches differ in length by at most one batch.
    full = [
        stop - start for start, stop, layout in trainer._chunks if layout.batch_length == batch_size
    ]
    assert max(full) - min(full) <= batch_size
    # Layouts of the same batch length share one training pass.
    passes = {layout.batch_length: layout.train_batch for _, _, layout in trainer._chunks}
    assert all(
        layout.train_batch is passes[layout.batch_length] for _, _, layout in trainer._chunks
    )


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_lean_and_general_loops_agree():
    # dropout=0.0 takes the lean loop; a dropout too small to drop anything
    # (keep probability rounds to 1) still takes the general one.
    rng = np.random.RandomState(0)
    X = rng.normal(size=(120, 3))
    y = (X[:, 0] + X[:, 1] ** 2 > 0.5).astype(int)
    params = dict(
        hidden_layer_sizes=(4, 2),
        solver="sgd",
        batch_size=10,
        max_iter=5,
        tol=0.0,
        n_iter_no_change=100,
        random_state=0,
    )
    lean = MLPClassifier(**params).fit(X, y)
    general = MLPClassifier(dropout=1e-20, **params).fit(X, y)
    assert lean.loss_curve_ == general.loss_curve_
    for a, b in zip(lean.coefs_ + lean.intercepts_, general.coefs_ + general.intercepts_):
        np.testing.assert_array_equal(a, b, strict=True)
