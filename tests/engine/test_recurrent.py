"""The Elman network of chapter 13: forward pass, BPTT against finite differences, tasks.

Every gradient is checked against central finite differences of the loss in float64;
the task's targets against a plain loop; training against chance on fresh sequences,
with a model that sees only the current bit as the baseline it must beat.
"""

from __future__ import annotations

import numpy as np
import pytest
from gradcheck import central_difference, relative_error

from widgets.engine.recurrent import (
    ElmanNetwork,
    accuracy,
    bit_task,
    count_elman_parameters,
    gradient_reach,
    hidden_state_gradients,
    memoryless_accuracy,
    task_targets,
    train_recurrent,
)


def _random_problem(output, n=3, length=6, n_inputs=2, n_hidden=4, n_outputs=2, seed=0):
    rng = np.random.default_rng(seed)
    network = ElmanNetwork(
        n_inputs, n_hidden, n_outputs, output, recurrent_scale=1.3, seed=seed + 1
    )
    network.b[:] = rng.normal(0, 0.3, n_hidden)
    network.c[:] = rng.normal(0, 0.3, n_outputs)
    X = rng.normal(size=(n, length, n_inputs))
    if output == "logistic":
        Y = rng.integers(0, 2, size=(n, length, n_outputs)).astype(float)
    else:
        Y = rng.normal(size=(n, length, n_outputs))
    mask = (rng.random((n, length)) < 0.7).astype(float)
    mask[0, -1] = 1.0
    h0 = rng.normal(0, 0.5, size=(n, n_hidden))
    return network, X, Y, mask, h0


# ---------------------------------------------------------------------- forward


def test_forward_matches_a_plain_loop():
    network, X, Y, mask, h0 = _random_problem("logistic")
    result = network.forward(X, h0)
    for n in range(X.shape[0]):
        h = h0[n]
        for t in range(X.shape[1]):
            h = np.tanh(network.W_x @ X[n, t] + network.W_h @ h + network.b)
            z = network.W_y @ h + network.c
            np.testing.assert_allclose(result.hidden[n, t + 1], h, rtol=1e-12)
            np.testing.assert_allclose(result.outputs[n, t], 1 / (1 + np.exp(-z)), rtol=1e-12)


def test_loss_is_the_masked_mean_of_the_textbook_losses():
    for output in ("logistic", "identity"):
        network, X, Y, mask, h0 = _random_problem(output)
        y = network.forward(X, h0).outputs
        if output == "logistic":
            terms = -(Y * np.log(y) + (1 - Y) * np.log(1 - y)).sum(axis=2)
        else:
            terms = 0.5 * ((y - Y) ** 2).sum(axis=2)
        expected = (terms * mask).sum() / mask.sum()
        assert network.loss(X, Y, mask, h0) == pytest.approx(expected, rel=1e-12)


# ---------------------------------------------------------------------- BPTT


@pytest.mark.parametrize("output", ["logistic", "identity"])
def test_bptt_gradients_of_every_weight_match_finite_differences(output):
    network, X, Y, mask, h0 = _random_problem(output)
    loss, grads, state_grad = network.gradients(X, Y, mask, h0, return_state_gradient=True)
    assert loss == pytest.approx(network.loss(X, Y, mask, h0), rel=1e-14)
    for name, grad in zip(network.PARAMETER_NAMES, grads):
        numeric = central_difference(lambda: network.loss(X, Y, mask, h0), getattr(network, name))
        assert grad.shape == getattr(network, name).shape
        assert np.abs(numeric).max() > 1e-4, name  # a real signal to compare
        assert relative_error(grad, numeric) < 1e-6, name
    numeric = central_difference(lambda: network.loss(X, Y, mask, h0), h0)
    assert relative_error(state_grad, numeric) < 1e-6


def test_gradients_without_mask_or_initial_state():
    network, X, Y, _, _ = _random_problem("identity", seed=3)
    _, grads = network.gradients(X, Y)
    numeric = central_difference(lambda: network.loss(X, Y), network.W_h)
    assert relative_error(grads[1], numeric) < 1e-6


def test_hidden_state_gradients_match_finite_differences_on_the_state():
    """∂ℓ_T/∂h_{T-k}: perturb the state at step T-k and run the rest of the sequence."""
    network, X, Y, _, _ = _random_problem("logistic", n=2, length=7, seed=5)
    norms = hidden_state_gradients(network, X, Y, per_sequence=True)
    hidden = network.forward(X).hidden
    length = X.shape[1]
    for k in range(length):
        step = length - k  # the state h_step; the rest of the sequence starts at x_{step+1}
        for n in range(X.shape[0]):
            state = hidden[n : n + 1, step].copy()
            if k == 0:
                # ℓ_T depends on h_T through the output alone
                def last_loss(state=state, n=n):
                    z = state @ network.W_y.T + network.c
                    return float((np.logaddexp(0, z) - Y[n, -1] * z).sum())

            else:

                def last_loss(state=state, n=n, step=step):
                    rest = network.forward(X[n : n + 1, step:], h0=state)
                    z = rest.net[0, -1]
                    return float((np.logaddexp(0, z) - Y[n, -1] * z).sum())

            numeric = central_difference(last_loss, state)
            assert norms[n, k] == pytest.approx(np.linalg.norm(numeric), rel=1e-6, abs=1e-12)
    relative = hidden_state_gradients(network, X, Y, relative=True, per_sequence=True)
    np.testing.assert_allclose(relative, norms / norms[:, :1], rtol=1e-12)
    np.testing.assert_allclose(hidden_state_gradients(network, X, Y), norms.mean(0))


def test_small_recurrent_weights_make_the_gradient_vanish_through_time():
    task = bit_task("delay", 50, 25, 3, seed=2)
    reach = {}
    for scale in (0.3, 1.0):
        logs = []
        for seed in range(4):
            network = ElmanNetwork(1, 16, 1, recurrent_scale=scale, seed=seed)
            norms = hidden_state_gradients(
                network, task.X, task.Y, task.mask, per_sequence=True, relative=True
            )
            logs.append(np.log10(norms[:, 20]))
        reach[scale] = float(np.mean(logs))
    # every factor ‖diag(1-h²) W_h‖ ≤ ‖W_h‖₂: twenty of them bound the small-scale reach
    bound = max(
        np.log10(np.linalg.norm(ElmanNetwork(1, 16, 1, recurrent_scale=0.3, seed=s).W_h, 2))
        for s in range(4)
    )
    assert reach[0.3] <= 20 * bound + 1e-9
    assert reach[0.3] < reach[1.0]


# ---------------------------------------------------------------------- tasks


def test_task_targets_follow_their_definition():
    rng = np.random.default_rng(0)
    bits = rng.integers(0, 2, size=(4, 12))
    for delay in (1, 3):
        targets, mask = task_targets(bits, "delay", delay)
        for n in range(4):
            for t in range(12):
                assert mask[n, t] == (t >= delay)
                if t >= delay:
                    assert targets[n, t] == bits[n, t - delay]
    for delay in (0, 2):
        targets, mask = task_targets(bits, "parity", delay)
        for n in range(4):
            for t in range(delay, 12):
                assert targets[n, t] == sum(bits[n, t - delay : t + 1]) % 2
            assert mask[n, :delay].sum() == 0


def test_bit_task_is_seeded_and_fair():
    a, b = bit_task("parity", 100, 30, 2, seed=4), bit_task("parity", 100, 30, 2, seed=4)
    np.testing.assert_array_equal(a.X, b.X)
    assert set(np.unique(a.bits)) == {0, 1}
    assert abs(a.X.mean() - 0.5) < 0.05
    assert a.X.shape == (100, 30, 1) and a.Y.shape == (100, 30, 1) and a.mask.shape == (100, 30)


def test_trained_network_remembers_and_a_memoryless_model_cannot():
    run = train_recurrent("delay", delay=3, n_updates=300, seed=0)
    assert run.diverged_at is None
    assert run.losses[-20:].mean() < 0.5 * run.losses[:20].mean()
    fresh = bit_task("delay", 300, 20, 3, seed=123)
    rnn = accuracy(run.network.predict(fresh.X), fresh.Y, fresh.mask)
    baseline = memoryless_accuracy(bit_task("delay", 100, 20, 3, seed=7), fresh)
    # chance and the best a model without memory can do, counted on the same steps
    steps = fresh.mask > 0
    majority = max(fresh.Y[steps].mean(), 1 - fresh.Y[steps].mean())
    assert baseline["table"] <= majority + 1e-12
    assert baseline["mlp"] <= majority + 0.03
    assert rnn > majority + 0.3
    assert rnn > 0.95


def test_memoryless_table_is_perfect_when_no_memory_is_needed():
    # parity of the last 1 bit (delay 0) is the current bit itself
    train, test = bit_task("parity", 20, 10, 0, seed=1), bit_task("parity", 20, 10, 0, seed=2)
    assert memoryless_accuracy(train, test)["table"] == 1.0


def test_training_is_seeded():
    a = train_recurrent("parity", delay=1, n_updates=30, seed=3)
    b = train_recurrent("parity", delay=1, n_updates=30, seed=3)
    np.testing.assert_array_equal(a.network.W_h, b.network.W_h)
    np.testing.assert_array_equal(a.losses, b.losses)


def test_a_diverging_run_stops_and_says_so(monkeypatch):
    calls = []

    def poisoned(self, X, Y, mask=None, h0=None, return_state_gradient=False):
        calls.append(1)
        loss, grads = original(self, X, Y, mask, h0)
        return (np.inf if len(calls) == 5 else loss), grads

    original = ElmanNetwork.gradients
    monkeypatch.setattr(ElmanNetwork, "gradients", poisoned)
    run = train_recurrent(n_updates=20, seed=0)
    assert run.diverged_at == 5 and len(run.losses) == 4


def test_copy_and_set_parameters():
    network = ElmanNetwork(1, 3, 1, seed=0)
    other = network.copy()
    other.W_h *= 2
    assert not np.allclose(other.W_h, network.W_h)
    network.set_parameters(other.parameters)
    np.testing.assert_array_equal(network.W_h, other.W_h)
    assert network.n_parameters == 3 + 9 + 3 + 3 + 1


# ---------------------------------------------------------------------- argument errors


@pytest.mark.parametrize(
    ("call", "error", "word"),
    [
        (lambda: ElmanNetwork(n_hidden=0), ValueError, "n_hidden"),
        (lambda: ElmanNetwork(n_hidden=2.5), TypeError, "n_hidden"),
        (lambda: ElmanNetwork(output="softmax"), ValueError, "output"),
        (lambda: ElmanNetwork(recurrent_scale=-1), ValueError, "recurrent_scale"),
        (lambda: ElmanNetwork(recurrent_scale="big"), TypeError, "recurrent_scale"),
        (lambda: ElmanNetwork(seed=-1), ValueError, "seed"),
        (lambda: ElmanNetwork(n_inputs=2).forward(np.zeros((2, 3, 1))), ValueError, "X"),
        (lambda: ElmanNetwork().forward([["a"]]), TypeError, "X"),
        (lambda: ElmanNetwork().forward(np.full((1, 3), np.nan)), ValueError, "X"),
        (lambda: ElmanNetwork().forward(np.zeros((2, 3)), h0=np.zeros((2, 2))), ValueError, "h0"),
        (lambda: ElmanNetwork().loss(np.zeros((2, 3)), np.zeros((2, 4))), ValueError, "Y"),
        (
            lambda: ElmanNetwork().loss(np.zeros((2, 3)), np.zeros((2, 3)), np.zeros((2, 3))),
            ValueError,
            "mask",
        ),
        (lambda: ElmanNetwork().set_parameters([1, 2]), ValueError, "values"),
        (lambda: task_targets([[0, 1, 2]], "delay", 1), ValueError, "bits"),
        (lambda: task_targets([[0, 1, 1]], "delay", 0), ValueError, "delay"),
        (lambda: task_targets([[0, 1, 1]], "delay", 3), ValueError, "delay"),
        (lambda: task_targets([[0, 1, 1]], "echo", 1), ValueError, "task"),
        (lambda: bit_task(n_sequences=0), ValueError, "n_sequences"),
        (lambda: bit_task(length=1.0), TypeError, "length"),
        (lambda: train_recurrent(learning_rate=0), ValueError, "learning_rate"),
        (lambda: train_recurrent(n_hidden="8"), TypeError, "n_hidden"),
        (lambda: hidden_state_gradients("net", 0, 0), TypeError, "network"),
        (lambda: memoryless_accuracy(None, None), TypeError, "train"),
        (lambda: gradient_reach(1.0, seeds=[]), ValueError, "seeds"),
        (lambda: count_elman_parameters(n_hidden=0), ValueError, "n_hidden"),
    ],
)
def test_argument_errors_name_the_argument(call, error, word):
    with pytest.raises(error, match=word):
        call()


def test_hidden_state_gradients_needs_a_target_at_the_last_step():
    task = bit_task("delay", 3, 5, 2, seed=0)
    mask = task.mask.copy()
    mask[:, -1] = 0
    with pytest.raises(ValueError, match="mask"):
        hidden_state_gradients(ElmanNetwork(), task.X, task.Y, mask)


def test_gradient_reach_is_the_log_of_the_relative_gradients():
    logs = gradient_reach(0.8, seeds=[3, 4], n_hidden=5, length=9, n_sequences=6, seed_data=2)
    assert logs.shape == (12, 9)
    task = bit_task("delay", 6, 9, 1, seed=2)
    network = ElmanNetwork(1, 5, 1, recurrent_scale=0.8, seed=4)
    norms = hidden_state_gradients(network, task.X, task.Y, task.mask, True, relative=True)
    np.testing.assert_allclose(logs[6:], np.log10(norms), rtol=1e-12)
    assert np.all(logs[:, 0] == 0.0)
    # without recurrent weights nothing reaches back
    assert np.all(np.isneginf(gradient_reach(0.0, seeds=[0], length=5, n_sequences=3)[:, 1:]))


@pytest.mark.parametrize("sizes", [(1, 8, 1), (3, 5, 2)])
def test_parameter_count_is_the_size_of_every_array(sizes):
    network = ElmanNetwork(*sizes)
    assert count_elman_parameters(*sizes) == sum(p.size for p in network.parameters)
    assert network.n_parameters == count_elman_parameters(*sizes)


def test_accuracy_counts_only_masked_steps():
    outputs = np.array([[0.9, 0.2, 0.6, 0.4]])[..., None]
    targets = np.array([[1.0, 1.0, 0.0, 0.0]])[..., None]
    mask = np.array([[1.0, 0.0, 1.0, 1.0]])
    # step 1 right, step 2 not counted, step 3 wrong, step 4 right
    assert accuracy(outputs, targets, mask) == pytest.approx(2 / 3)
