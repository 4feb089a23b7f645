"""Chapter 13's attention engine: every gradient against finite differences, the softmax's
properties, permutation equivariance, the causal mask, the toy task and its training."""

import numpy as np
import pytest
from gradcheck import central_difference, relative_error
from scipy.special import softmax as scipy_softmax

from widgets.engine.attention import (
    AttentionCache,
    attention_backward,
    attention_forward,
    attention_weight,
    attention_weights,
    causal_mask,
    head_loss_and_gradients,
    init_head,
    key_value_task,
    mean_baseline,
    scaled_dot_product_attention,
    softmax_backward,
    train_attention_head,
)


def _problem(batch, T=5, d_model=4, d_k=3, d_v=2, seed=0):
    rng = np.random.default_rng(seed)
    shape = (T, d_model) if batch is None else (batch, T, d_model)
    X = rng.normal(size=shape)
    W = {
        "W_q": rng.normal(size=(d_model, d_k)),
        "W_k": rng.normal(size=(d_model, d_k)),
        "W_v": rng.normal(size=(d_model, d_v)),
    }
    G = rng.normal(size=shape[:-1] + (d_v,))  # loss = Σ G ⊙ output
    return X, W, G


@pytest.mark.parametrize("batch", [None, 3])
@pytest.mark.parametrize("masked", [False, True])
def test_attention_backward_matches_finite_differences(batch, masked):
    X, W, G = _problem(batch)
    mask = causal_mask(X.shape[-2]) if masked else None

    def loss():
        return float(np.sum(G * attention_forward(X, **W, mask=mask).output))

    cache = attention_forward(X, **W, mask=mask)
    grads = attention_backward(G, cache, **W)
    arrays = {"X": X, **W}
    for name, array in arrays.items():
        numeric = central_difference(loss, array)
        assert grads[name].shape == array.shape
        assert relative_error(grads[name], numeric) < 1e-6, name


def test_softmax_backward_matches_finite_differences():
    rng = np.random.default_rng(1)
    S = rng.normal(size=(4, 6)) * 2
    G = rng.normal(size=(4, 6))

    def loss():
        return float(np.sum(G * attention_weights(S)))

    numeric = central_difference(loss, S)
    assert relative_error(softmax_backward(attention_weights(S), G), numeric) < 1e-6


@pytest.mark.parametrize("masked", [False, True])
def test_head_gradients_match_finite_differences(masked):
    task = key_value_task(6, n_pairs=3, n_symbols=4, seed=3)
    params = init_head(task.X.shape[-1], 3, 4, seed=2)
    params["b_o"] += np.random.default_rng(0).normal(size=4)
    mask = causal_mask(task.X.shape[1]) if masked else None
    _, grads = head_loss_and_gradients(params, task.X, task.y, mask)
    for name, array in params.items():
        numeric = central_difference(
            lambda: head_loss_and_gradients(params, task.X, task.y, mask)[0], array
        )
        assert relative_error(grads[name], numeric) < 1e-6, name


def test_attention_agrees_with_an_independent_formula():
    rng = np.random.default_rng(2)
    Q, K, V = rng.normal(size=(3, 4)), rng.normal(size=(5, 4)), rng.normal(size=(5, 2))
    output, weights = scaled_dot_product_attention(Q, K, V)
    expected = scipy_softmax(Q @ K.T / 2.0, axis=1)  # √d_k = √4 = 2
    np.testing.assert_allclose(weights, expected, rtol=1e-12)
    np.testing.assert_allclose(output, expected @ V, rtol=1e-12)
    # an explicit scale replaces 1/√d_k
    _, sharp = scaled_dot_product_attention(Q, K, V, scale=3.0)
    np.testing.assert_allclose(sharp, scipy_softmax(3.0 * Q @ K.T, axis=1), rtol=1e-12)


def test_attention_weight_of_one_query():
    keys = [[2.0, 0.0], [0.0, 2.0], [0.0, 0.0]]
    scores = np.array([2.0, 0.0, 0.0]) / np.sqrt(2.0)
    assert attention_weight([1.0, 0.0], keys) == pytest.approx(scipy_softmax(scores)[0])
    assert attention_weight([1.0, 0.0], keys, index=2, scale=1.0) == pytest.approx(
        1 / (np.exp(2.0) + 2)
    )
    with pytest.raises(ValueError, match="index"):
        attention_weight([1.0, 0.0], keys, index=3)
    with pytest.raises(ValueError, match="keys"):
        attention_weight([1.0, 0.0, 0.0], keys)


def test_weights_rows_sum_to_one_and_masked_entries_are_zero():
    rng = np.random.default_rng(3)
    scores = rng.normal(size=(2, 6, 6)) * 5
    for mask in (None, causal_mask(6)):
        P = attention_weights(scores, mask)
        np.testing.assert_allclose(P.sum(axis=-1), 1.0, rtol=1e-12)
        assert (P >= 0).all()
    P = attention_weights(scores, causal_mask(6))
    assert np.all(P[:, ~causal_mask(6)] == 0.0)
    np.testing.assert_allclose(P[:, 0, 0], 1.0)  # the first token sees only itself


def test_adding_a_constant_to_a_score_row_changes_nothing_and_large_scores_do_not_overflow():
    rng = np.random.default_rng(4)
    scores = rng.normal(size=(4, 5))
    shifts = np.array([[0.0], [3.0], [-50.0], [700.0]])  # exp(700 + x) alone overflows
    shifted = attention_weights(scores + shifts)
    assert np.isfinite(shifted).all()
    np.testing.assert_allclose(shifted, attention_weights(scores), rtol=1e-10)
    np.testing.assert_allclose(attention_weights(scores), scipy_softmax(scores, axis=1))


def test_attention_without_positions_is_permutation_equivariant():
    X, W, _ = _problem(None, T=6)
    permutation = np.array([3, 0, 5, 1, 4, 2])
    out = attention_forward(X, **W).output
    out_permuted = attention_forward(X[permutation], **W).output
    np.testing.assert_allclose(out_permuted, out[permutation], rtol=1e-12)
    # the causal mask gives positions a meaning: the same shuffle changes the result
    masked = attention_forward(X, **W, mask=causal_mask(6)).output
    masked_permuted = attention_forward(X[permutation], **W, mask=causal_mask(6)).output
    assert not np.allclose(masked_permuted, masked[permutation])


def test_causal_mask_hides_later_tokens():
    X, W, _ = _problem(None, T=5)
    changed = X.copy()
    changed[3:] += 10.0
    before = attention_forward(X, **W, mask=causal_mask(5)).output
    after = attention_forward(changed, **W, mask=causal_mask(5)).output
    np.testing.assert_allclose(after[:3], before[:3], rtol=1e-12)
    assert not np.allclose(after[3:], before[3:])
    np.testing.assert_array_equal(causal_mask(3), [[1, 0, 0], [1, 1, 0], [1, 1, 1]])


def test_longer_query_gives_sharper_weights():
    K = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0]])
    q = np.array([[1.0, 0.5]])
    tops = [scaled_dot_product_attention(c * q, K, K)[1].max() for c in (0.5, 1, 2, 4, 8, 16)]
    assert np.all(np.diff(tops) > 0)
    assert tops[-1] > 0.99


def test_key_value_task_structure_and_why_the_mean_cannot_solve_it():
    task = key_value_task(50, n_pairs=4, n_symbols=8, seed=5)
    assert task.X.shape == (50, 5, 24)
    rows = np.arange(50)
    assert (task.keys[rows, task.answer] == task.query).all()
    assert (task.values[rows, task.answer] == task.y).all()
    for n in range(50):
        assert len(set(task.keys[n])) == 4 and len(set(task.values[n])) == 4
    # swapping two pairs' values keeps the mean of the tokens but changes the answer
    X = task.X[0].copy()
    a, b = task.answer[0], (task.answer[0] + 1) % 4
    swapped = X.copy()
    swapped[[a, b], 8:16] = X[[b, a], 8:16]
    np.testing.assert_array_equal(swapped.mean(axis=0), X.mean(axis=0))
    assert np.argmax(swapped[a, 8:16]) != task.y[0]


def test_trained_head_solves_the_task_and_the_mean_baseline_does_not():
    train, test = key_value_task(1000, seed=1), key_value_task(500, seed=2)
    head = train_attention_head(train, test, n_steps=200, seed=0)
    assert not head.diverged and head.n_steps == 200
    assert head.losses[-1] < 0.1 * head.losses[0]
    # accuracy recomputed here from the returned weights
    assert np.mean(head.predict(test.X) == test.y) == head.test_accuracy
    assert head.test_accuracy > 0.95
    weights = head.weights(test.X)
    np.testing.assert_allclose(weights.sum(axis=-1), 1.0)
    match = weights[np.arange(500), -1, test.answer]
    assert np.mean(match) == pytest.approx(head.match_weight)
    assert np.mean(weights[:, -1].argmax(axis=1) == test.answer) > 0.95
    _, baseline = mean_baseline(train, test, max_iter=100, seed=0)
    assert baseline < 0.4  # 1/4 is the best any function of the mean can do on average
    again = train_attention_head(train, test, n_steps=200, seed=0)
    np.testing.assert_array_equal(again.losses, head.losses)


def test_a_too_large_learning_rate_is_reported_as_diverged_or_finite():
    train = key_value_task(100, seed=1)
    head = train_attention_head(train, train, n_steps=30, learning_rate=1e6, seed=0)
    assert np.isfinite(head.losses).all()
    assert head.diverged == (head.n_steps < 30)


def test_argument_errors_name_the_argument():
    X, W, G = _problem(None)
    with pytest.raises(ValueError, match="X"):
        attention_forward(np.zeros(4), **W)
    with pytest.raises(ValueError, match="W_q"):
        attention_forward(X, np.zeros((3, 3)), W["W_k"], W["W_v"])
    with pytest.raises(ValueError, match="W_k"):
        attention_forward(X, W["W_q"], np.zeros((4, 2)), W["W_v"])
    with pytest.raises(TypeError, match="mask"):
        attention_forward(X, **W, mask=np.ones((5, 5)))
    with pytest.raises(ValueError, match="mask"):
        attention_forward(X, **W, mask=np.ones((4, 4), dtype=bool))
    with pytest.raises(ValueError, match="mask"):
        attention_weights(np.zeros((2, 2)), np.array([[True, False], [False, False]]))
    with pytest.raises(ValueError, match="X"):
        attention_forward(np.full((5, 4), np.nan), **W)
    with pytest.raises(TypeError, match="cache"):
        attention_backward(G, {"output": G}, **W)
    cache = attention_forward(X, **W)
    assert isinstance(cache, AttentionCache)
    with pytest.raises(ValueError, match="d_output"):
        attention_backward(G[:, :1], cache, **W)
    with pytest.raises(ValueError, match="W_v"):
        attention_backward(G, cache, W["W_q"], W["W_k"], np.zeros((3, 2)))
    with pytest.raises(ValueError, match="forward pass"):
        attention_backward(G, cache, W["W_q"], W["W_k"], np.zeros((4, 5)))
    with pytest.raises(ValueError, match="K"):
        scaled_dot_product_attention(np.zeros((2, 3)), np.zeros((2, 4)), np.zeros((2, 1)))
    with pytest.raises(ValueError, match="scale"):
        scaled_dot_product_attention(np.zeros((2, 3)), np.zeros((2, 3)), np.zeros((2, 1)), scale=0)
    with pytest.raises(ValueError, match="n_tokens"):
        causal_mask(0)
    with pytest.raises(TypeError, match="n_pairs"):
        key_value_task(10, n_pairs=2.5)
    with pytest.raises(ValueError, match="n_symbols"):
        key_value_task(10, n_pairs=4, n_symbols=3)
    with pytest.raises(TypeError, match="train"):
        train_attention_head(X, X)
    task = key_value_task(10)
    with pytest.raises(ValueError, match="learning_rate"):
        train_attention_head(task, task, learning_rate=-1.0)
