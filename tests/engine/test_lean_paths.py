"""The training loop's lean paths give exactly the numbers of the general ones.

``Network.training_pass`` must fill the gradients bit for bit as
``Network.backprop`` does, ``SGD.stepper`` must update the parameters bit for
bit as ``SGD.step`` does, and the trainer's chunks must cover the samples in
order. (End-to-end parity with scikit-learn is in test_parity.py.)
"""

import numpy as np
import pytest

from widgets.engine import MLPClassifier, Network
from widgets.engine.optimizers import SGD
from widgets.engine.training import MiniBatchTrainer

OUTPUT_TARGETS = {
    "logistic": lambda rng, n, k: (rng.rand(n, k) < 0.5).astype(float),
    "softmax": lambda rng, n, k: np.eye(k)[rng.randint(k, size=n)],
    "identity": lambda rng, n, k: rng.normal(size=(n, k)),
}


@pytest.mark.parametrize("activation", ["relu", "tanh", "logistic", "identity", "leaky_relu"])
@pytest.mark.parametrize(
    "output, n_outputs", [("logistic", 1), ("logistic", 3), ("softmax", 3), ("identity", 2)]
)
@pytest.mark.parametrize("hidden", [(), (5,), (4, 3)])
@pytest.mark.parametrize("l2", [0.0, 1e-3])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_training_pass_is_backprop(activation, output, n_outputs, hidden, l2, dtype):
    rng = np.random.RandomState(0)
    n_rows = 7
    networks = [
        Network(
            [3, *hidden, n_outputs],
            activation=activation,
            output=output,
            random_state=1,
            dtype=dtype,
        )
        for _ in range(2)
    ]
    general, lean = networks
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
        np.testing.assert_array_equal(lean.grads, general.grads, strict=True)
        np.testing.assert_array_equal(outputs[1], outputs[0], strict=True)
        # Move the parameters so that the next batch sees new weights.
        for network in networks:
            network.params -= 0.1 * network.grads


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
