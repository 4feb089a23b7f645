"""Scaled dot-product attention: one head, its forward and backward pass, a toy task.

Chapter 13's transformer section, headless. Notation: a sequence of ``T`` tokens is a
matrix ``X`` of shape ``(T, d_model)`` (one row per token; a batch adds a leading
axis). One attention head has three weight matrices and computes

- queries ``Q = X W_q``, keys ``K = X W_k``, values ``V = X W_v``;
- scores ``S = Q Kᵀ · scale`` with ``scale = 1/√d_k`` (``d_k`` = columns of ``K``):
  ``S[i, j]`` says how well token ``j``'s key answers token ``i``'s query;
- weights ``P = softmax(S)`` row by row (each row sums to 1); a causal mask sets
  ``S[i, j] = -∞`` for ``j > i`` so a token sees only itself and earlier tokens;
- output ``O = P V``: each token's output is a weighted mean of every token's value.

What is here:

- :func:`causal_mask`, :func:`attention_weights` (the softmax of the engine,
  :func:`widgets.engine.activations.softmax`, applied to each row of scores),
  :func:`scaled_dot_product_attention` (``Q, K, V`` given);
- :func:`attention_forward` and :func:`attention_backward`: the head on ``X`` and the
  gradients of a loss with respect to ``X``, ``W_q``, ``W_k`` and ``W_v``, written out;
- :func:`softmax_backward`: the gradient through a row softmax;
- :func:`key_value_task`: a toy task that needs attention (look up the value paired
  with the queried key), :func:`train_attention_head`: one head and a linear output
  layer trained on it with Adam, :func:`mean_baseline`: an MLP on the mean of the
  tokens, which cannot solve it.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from .activations import softmax
from .estimators import MLPClassifier
from .optimizers import Adam
from .validation import as_float_array, check_finite, check_integer, check_number, check_seed

__all__ = [
    "causal_mask",
    "attention_weights",
    "softmax_backward",
    "scaled_dot_product_attention",
    "attention_weight",
    "why_scale",
    "AttentionCache",
    "attention_forward",
    "attention_backward",
    "init_head",
    "head_logits",
    "head_loss_and_gradients",
    "KeyValueTask",
    "key_value_task",
    "TrainedHead",
    "train_attention_head",
    "mean_baseline",
]


# ---------------------------------------------------------------------- checks


def _tokens(values, argument, n_columns=None):
    """``values`` as a float64 array of shape (T, d) or (batch, T, d), finite."""
    array = check_finite(as_float_array(values, argument, "an array of token vectors"), argument)
    if array.ndim not in (2, 3):
        raise ValueError(
            f"{argument} must have shape (tokens, features) or (batch, tokens, features); "
            f"got shape {array.shape}."
        )
    if n_columns is not None and array.shape[-1] != n_columns:
        raise ValueError(
            f"{argument} must have {n_columns} columns (features); got {array.shape[-1]}."
        )
    return array


def _weight(values, argument, n_rows):
    array = check_finite(as_float_array(values, argument, "a weight matrix"), argument)
    if array.ndim != 2 or array.shape[0] != n_rows:
        raise ValueError(
            f"{argument} must be a matrix with {n_rows} rows (one per input feature); "
            f"got shape {array.shape}."
        )
    return array


def _mask(mask, n_queries, n_keys):
    if mask is None:
        return None
    array = np.asarray(mask)
    if array.dtype != bool:
        raise TypeError(f"mask must be an array of booleans; got dtype {array.dtype}.")
    if array.shape != (n_queries, n_keys):
        raise ValueError(
            f"mask must have shape ({n_queries}, {n_keys}) (queries, keys); got {array.shape}."
        )
    if not array.any(axis=1).all():
        raise ValueError("mask must let every query attend to at least one key.")
    return array


# ---------------------------------------------------------------------- attention


def causal_mask(n_tokens):
    """The causal mask of ``n_tokens`` tokens: ``mask[i, j]`` is True where ``j <= i``.

    True means "may attend": token ``i`` sees itself and the tokens before it, never
    the ones after (what a language model generating text one token at a time needs).
    """
    n_tokens = check_integer(n_tokens, "n_tokens", low=1)
    return np.tri(n_tokens, dtype=bool)


def attention_weights(scores, mask=None):
    """Row softmax of attention scores: ``P[i, j] = exp(S[i, j]) / Σ_j' exp(S[i, j'])``.

    Masked entries (``mask[i, j]`` False) get the score ``-∞`` and so the weight 0. The
    softmax is the engine's (:func:`widgets.engine.activations.softmax`), which subtracts
    each row's largest score before ``exp``: no overflow, and adding a constant to a
    row changes nothing.

    Parameters
    ----------
    scores : array-like of shape (n_queries, n_keys) or (batch, n_queries, n_keys)
    mask : bool array of shape (n_queries, n_keys), optional

    Returns
    -------
    ndarray of the shape of ``scores``; each row sums to 1.
    """
    scores = check_finite(as_float_array(scores, "scores", "an array of scores"), "scores")
    if scores.ndim not in (2, 3):
        raise ValueError(
            "scores must have shape (queries, keys) or (batch, queries, keys); "
            f"got shape {scores.shape}."
        )
    mask = _mask(mask, *scores.shape[-2:])
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    flat = softmax(scores.reshape(-1, scores.shape[-1]))
    return flat.reshape(scores.shape)


def softmax_backward(weights, d_weights):
    """Gradient through a row softmax: ``dS = P ⊙ (dP − Σ_j dP ⊙ P)``, row by row.

    From ``∂P[i, j]/∂S[i, k] = P[i, j] (δ_jk − P[i, k])``: the gradient of a loss with
    respect to the scores, given its gradient ``d_weights`` with respect to the weights
    ``weights = softmax(scores)``. A masked entry has weight 0 and so gradient 0.
    """
    row = np.sum(d_weights * weights, axis=-1, keepdims=True)
    return weights * (d_weights - row)


def _default_scale(d_k):
    return 1.0 / np.sqrt(d_k)


def scaled_dot_product_attention(Q, K, V, mask=None, scale=None):
    """``softmax(Q Kᵀ · scale) V``: every query's weighted mean of the values.

    Parameters
    ----------
    Q : array-like of shape (n_queries, d_k) or (batch, n_queries, d_k)
    K : array-like of shape (n_keys, d_k) or (batch, n_keys, d_k)
    V : array-like of shape (n_keys, d_v) or (batch, n_keys, d_v)
    mask : bool array of shape (n_queries, n_keys), optional
        False where a query may not look (:func:`causal_mask`).
    scale : float > 0, optional
        Multiplies the dot products; default ``1/√d_k`` (Vaswani et al., 2017), which
        keeps the scores of random unit-variance vectors at unit variance whatever
        ``d_k``.

    Returns
    -------
    output : ndarray of shape (..., n_queries, d_v)
        ``output[i] = Σ_j weights[i, j] V[j]``.
    weights : ndarray of shape (..., n_queries, n_keys)
        The attention weights, rows summing to 1.
    """
    Q = _tokens(Q, "Q")
    K = _tokens(K, "K", Q.shape[-1])
    V = _tokens(V, "V")
    if Q.ndim != K.ndim or K.ndim != V.ndim:
        raise ValueError("Q, K and V must all be 2-D or all be 3-D (a batch).")
    if K.shape[:-1] != V.shape[:-1]:
        raise ValueError(f"K and V must have one row per key; got {K.shape} and {V.shape}.")
    scale = (
        _default_scale(Q.shape[-1])
        if scale is None
        else check_number(scale, "scale", low=0, low_inclusive=False)
    )
    scores = Q @ np.swapaxes(K, -1, -2) * scale
    weights = attention_weights(scores, mask)
    return weights @ V, weights


def attention_weight(query, keys, index=0, scale=None):
    """The weight one query gives key ``index``: ``softmax(keys · query · scale)[index]``.

    ``query`` is one vector of ``d`` numbers, ``keys`` a ``(n, d)`` matrix; ``scale``
    defaults to ``1/√d`` (:func:`scaled_dot_product_attention` with the keys as values).
    """
    query = check_finite(as_float_array(query, "query", "a vector of numbers"), "query")
    if query.ndim != 1:
        raise ValueError(f"query must be one vector; got shape {query.shape}.")
    keys = _tokens(keys, "keys", query.size)
    index = check_integer(index, "index", low=0, high=keys.shape[0] - 1)
    _, weights = scaled_dot_product_attention(query[None, :], keys, keys, scale=scale)
    return float(weights[0, index])


def why_scale(d_k, n_keys=10, n_queries=2000, seed=0):
    """What dividing by ``√d_k`` does for random queries and keys of ``d_k`` dimensions.

    Queries and keys have independent standard normal entries, so a dot product
    ``q·k`` has mean 0 and standard deviation ``√d_k``: the larger ``d_k``, the larger
    the score differences and the closer the softmax comes to putting all weight on
    one key, where its gradient vanishes. Divided by ``√d_k`` the scores have standard
    deviation 1 whatever ``d_k``.

    Returns a dict: ``score_std`` (measured standard deviation of ``q·k``),
    ``top_weight`` (mean of the largest of ``n_keys`` weights without scaling) and
    ``top_weight_scaled`` (with ``1/√d_k``).
    """
    d_k = check_integer(d_k, "d_k", low=1)
    n_keys = check_integer(n_keys, "n_keys", low=2)
    n_queries = check_integer(n_queries, "n_queries", low=1)
    rng = check_seed(seed)
    Q = rng.standard_normal((n_queries, 1, d_k))
    K = rng.standard_normal((n_queries, n_keys, d_k))
    scores = (Q @ np.swapaxes(K, -1, -2))[:, 0, :]
    plain = attention_weights(scores)
    scaled = attention_weights(scores / np.sqrt(d_k))
    return {
        "score_std": float(scores.std()),
        "top_weight": float(plain.max(axis=1).mean()),
        "top_weight_scaled": float(scaled.max(axis=1).mean()),
    }


@dataclass
class AttentionCache:
    """What :func:`attention_forward` computed, kept for :func:`attention_backward`.

    ``X`` the input, ``Q``, ``K``, ``V`` its projections, ``scores`` (``Q Kᵀ · scale``,
    before masking), ``weights`` (their row softmax, masked), ``output`` (``weights V``),
    ``scale`` and ``mask``.
    """

    X: np.ndarray
    Q: np.ndarray
    K: np.ndarray
    V: np.ndarray
    scores: np.ndarray
    weights: np.ndarray
    output: np.ndarray
    scale: float
    mask: np.ndarray | None


def attention_forward(X, W_q, W_k, W_v, mask=None):
    """One self-attention head on the tokens ``X``: ``softmax(X W_q (X W_k)ᵀ / √d_k) X W_v``.

    Parameters
    ----------
    X : array-like of shape (T, d_model) or (batch, T, d_model)
        One row per token.
    W_q, W_k : array-like of shape (d_model, d_k)
    W_v : array-like of shape (d_model, d_v)
    mask : bool array of shape (T, T), optional (:func:`causal_mask`)

    Returns
    -------
    AttentionCache
        ``cache.output`` (shape ``(..., T, d_v)``) and ``cache.weights`` (``(..., T, T)``)
        are the results; the rest is what the backward pass needs.
    """
    X = _tokens(X, "X")
    d_model = X.shape[-1]
    W_q = _weight(W_q, "W_q", d_model)
    W_k = _weight(W_k, "W_k", d_model)
    W_v = _weight(W_v, "W_v", d_model)
    if W_k.shape != W_q.shape:
        raise ValueError(
            f"W_k must have the shape of W_q, {W_q.shape} (queries and keys are compared "
            f"by dot products); got {W_k.shape}."
        )
    T = X.shape[-2]
    mask = _mask(mask, T, T)
    Q, K, V = X @ W_q, X @ W_k, X @ W_v
    scale = _default_scale(W_q.shape[1])
    scores = Q @ np.swapaxes(K, -1, -2) * scale
    weights = attention_weights(scores, mask)
    return AttentionCache(X, Q, K, V, scores, weights, weights @ V, scale, mask)


def attention_backward(d_output, cache, W_q, W_k, W_v):
    """Gradients of a loss through one attention head, given ``∂L/∂O`` (``d_output``).

    Back through each step of :func:`attention_forward` (a batch axis is summed over
    for the weight matrices)::

        dV  = Pᵀ dO                     dP = dO Vᵀ
        dS  = P ⊙ (dP − Σ_j dP ⊙ P)     (softmax_backward)
        dQ  = dS K · scale              dK = dSᵀ Q · scale
        dW_q = Xᵀ dQ    dW_k = Xᵀ dK    dW_v = Xᵀ dV
        dX  = dQ W_qᵀ + dK W_kᵀ + dV W_vᵀ

    ``X`` gets three terms because every token is used three times: as a query, as a
    key and as a value.

    Returns
    -------
    dict with keys ``"X"``, ``"W_q"``, ``"W_k"``, ``"W_v"``: arrays of their shapes.
    """
    if not isinstance(cache, AttentionCache):
        raise TypeError(
            f"cache must be the AttentionCache of attention_forward; got {type(cache).__name__}."
        )
    d_output = check_finite(as_float_array(d_output, "d_output"), "d_output")
    if d_output.shape != cache.output.shape:
        raise ValueError(
            f"d_output must have the output's shape {cache.output.shape}; got {d_output.shape}."
        )
    d_model = cache.X.shape[-1]
    W_q = _weight(W_q, "W_q", d_model)
    W_k = _weight(W_k, "W_k", d_model)
    W_v = _weight(W_v, "W_v", d_model)
    if W_q.shape[1] != cache.Q.shape[-1] or W_v.shape[1] != cache.V.shape[-1]:
        raise ValueError("W_q, W_k and W_v must be the matrices the forward pass used.")
    P, X = cache.weights, cache.X
    d_V = np.swapaxes(P, -1, -2) @ d_output
    d_P = d_output @ np.swapaxes(cache.V, -1, -2)
    d_S = softmax_backward(P, d_P)
    d_Q = d_S @ cache.K * cache.scale
    d_K = np.swapaxes(d_S, -1, -2) @ cache.Q * cache.scale
    X_t = np.swapaxes(X, -1, -2)

    def over_batch(product):
        return product.sum(axis=0) if product.ndim == 3 else product

    return {
        "X": d_Q @ W_q.T + d_K @ W_k.T + d_V @ W_v.T,
        "W_q": over_batch(X_t @ d_Q),
        "W_k": over_batch(X_t @ d_K),
        "W_v": over_batch(X_t @ d_V),
    }


# ---------------------------------------------------------------------- a head with an output


PARAMETER_NAMES = ("W_q", "W_k", "W_v", "W_o", "b_o")


def init_head(d_model, d_head, n_classes, seed=0):
    """Initial weights of a head and its output layer, each entry ``N(0, 1/fan_in)``.

    Returns a dict ``W_q, W_k, W_v`` (``d_model × d_head``), ``W_o``
    (``d_head × n_classes``) and ``b_o`` (zeros).
    """
    d_model = check_integer(d_model, "d_model", low=1)
    d_head = check_integer(d_head, "d_head", low=1)
    n_classes = check_integer(n_classes, "n_classes", low=2)
    rng = check_seed(seed)
    params = {
        name: rng.normal(0.0, 1.0 / np.sqrt(d_model), (d_model, d_head))
        for name in ("W_q", "W_k", "W_v")
    }
    params["W_o"] = rng.normal(0.0, 1.0 / np.sqrt(d_head), (d_head, n_classes))
    params["b_o"] = np.zeros(n_classes)
    return params


def head_logits(params, X, mask=None):
    """Class scores read from the last token's attention output: ``O[:, -1] W_o + b_o``.

    Returns ``(logits, cache)``; ``logits`` has shape ``(batch, n_classes)``.
    """
    cache = attention_forward(X, params["W_q"], params["W_k"], params["W_v"], mask)
    return cache.output[:, -1, :] @ params["W_o"] + params["b_o"], cache


def head_loss_and_gradients(params, X, y, mask=None):
    """Mean cross-entropy of the head's softmax output and its gradient for each parameter.

    ``L = −(1/N) Σ_n log softmax(logits_n)[y_n]``; ``∂L/∂logits = (softmax − onehot(y))/N``,
    then back through the output layer to the last token's output and
    :func:`attention_backward`.

    Returns ``(loss, grads)`` with ``grads`` a dict keyed like ``params``.
    """
    X = _tokens(X, "X")
    if X.ndim != 3:
        raise ValueError(f"X must be a batch of sequences (batch, T, d_model); got {X.shape}.")
    y = np.asarray(y)
    if y.shape != (X.shape[0],) or y.dtype.kind not in "iu":
        raise ValueError(f"y must hold one integer class per sequence ({X.shape[0]}).")
    logits, cache = head_logits(params, X, mask)
    probabilities = softmax(logits)
    n = len(y)
    loss = float(-np.mean(np.log(np.maximum(probabilities[np.arange(n), y], 1e-300))))
    d_logits = probabilities
    d_logits[np.arange(n), y] -= 1.0
    d_logits /= n
    last = cache.output[:, -1, :]
    d_output = np.zeros_like(cache.output)
    d_output[:, -1, :] = d_logits @ params["W_o"].T
    grads = attention_backward(d_output, cache, params["W_q"], params["W_k"], params["W_v"])
    grads["W_o"] = last.T @ d_logits
    grads["b_o"] = d_logits.sum(axis=0)
    return loss, grads


# ---------------------------------------------------------------------- the toy task


@dataclass
class KeyValueTask:
    """Sequences of :func:`key_value_task`.

    ``X`` (``n × (n_pairs + 1) × 3·n_symbols``): ``n_pairs`` pair tokens, then the
    query token. ``y``: the value paired with the queried key. ``keys``, ``values``
    (``n × n_pairs``): the symbols of each pair; ``query``: the queried key; ``answer``:
    the position (0 to ``n_pairs − 1``) of the matching pair.
    """

    X: np.ndarray
    y: np.ndarray
    keys: np.ndarray
    values: np.ndarray
    query: np.ndarray
    answer: np.ndarray
    n_symbols: int

    @property
    def n_pairs(self) -> int:
        return self.keys.shape[1]


def key_value_task(n_sequences=1000, n_pairs=4, n_symbols=8, seed=0):
    """A look-up task: "which value was paired with this key?"

    Each sequence holds ``n_pairs`` tokens, each a (key, value) pair of symbols
    ``0 … n_symbols − 1`` (keys all different, values all different), then a query
    token naming one of the keys. The answer is that key's value. A token is a
    vector of ``3·n_symbols`` numbers: one-hot key, one-hot value, one-hot queried key
    (a pair token has zeros in the last block, the query token zeros in the first two).

    There are no positions: the answer depends on which value sits *in the same token*
    as the queried key, not on where that token is. The mean of the tokens keeps which
    keys and values occur but not which goes with which, so no function of the mean
    can beat ``1 / n_pairs`` (it can only pick one of the values present).

    Returns
    -------
    KeyValueTask
    """
    n_sequences = check_integer(n_sequences, "n_sequences", low=1)
    n_pairs = check_integer(n_pairs, "n_pairs", low=2)
    n_symbols = check_integer(n_symbols, "n_symbols", low=n_pairs)
    rng = check_seed(seed)
    keys = np.argsort(rng.random((n_sequences, n_symbols)), axis=1)[:, :n_pairs]
    values = np.argsort(rng.random((n_sequences, n_symbols)), axis=1)[:, :n_pairs]
    answer = rng.integers(0, n_pairs, n_sequences)
    rows = np.arange(n_sequences)
    query = keys[rows, answer]
    X = np.zeros((n_sequences, n_pairs + 1, 3 * n_symbols))
    for position in range(n_pairs):
        X[rows, position, keys[:, position]] = 1.0
        X[rows, position, n_symbols + values[:, position]] = 1.0
    X[rows, n_pairs, 2 * n_symbols + query] = 1.0
    return KeyValueTask(X, values[rows, answer], keys, values, query, answer, n_symbols)


@dataclass
class TrainedHead:
    """Result of :func:`train_attention_head`.

    ``params`` the final weights; ``losses`` the training loss before each step;
    ``train_accuracy``, ``test_accuracy``; ``match_weight`` the mean attention weight
    the query token puts on the matching pair (test set); ``diverged`` True if the loss
    stopped being finite (training stopped there); ``n_steps`` the steps taken.
    """

    params: dict
    losses: np.ndarray
    train_accuracy: float
    test_accuracy: float
    match_weight: float
    diverged: bool
    n_steps: int
    seed: int = 0
    checkpoints: dict = field(default_factory=dict)

    def predict(self, X):
        """The predicted value (class) of each sequence in ``X``."""
        logits, _ = head_logits(self.params, _tokens(X, "X"))
        return logits.argmax(axis=1)

    def weights(self, X):
        """The attention weights of every sequence in ``X``: ``(batch, T, T)``."""
        _, cache = head_logits(self.params, _tokens(X, "X"))
        return cache.weights


def _accuracy(params, task):
    logits, cache = head_logits(params, task.X)
    accuracy = float(np.mean(logits.argmax(axis=1) == task.y))
    rows = np.arange(len(task.y))
    match = float(np.mean(cache.weights[rows, -1, task.answer]))
    return accuracy, match


def train_attention_head(
    train, test, d_head=8, n_steps=200, learning_rate=0.02, batch_size=200, seed=0, callback=None
):
    """Train one attention head and a linear output layer on a :class:`KeyValueTask`.

    The class scores are read from the query token's (the last token's) attention
    output, ``logits = O[−1] W_o + b_o``; the loss is the mean cross-entropy
    (:func:`head_loss_and_gradients`), minimised by Adam
    (:class:`widgets.engine.optimizers.Adam`) on mini-batches drawn in a seeded order.

    Parameters
    ----------
    train, test : KeyValueTask
    d_head : int
        Columns of ``W_q``, ``W_k``, ``W_v`` (``d_k = d_v``).
    n_steps : int
        Adam steps (one mini-batch each).
    learning_rate, batch_size : float, int
    seed : int
        Initial weights and mini-batch order.
    callback : callable, optional
        ``callback(step)`` after each step (a progress bar).

    Returns
    -------
    TrainedHead
        A run whose loss stops being finite ends there with ``diverged=True``.
    """
    for task, argument in ((train, "train"), (test, "test")):
        if not isinstance(task, KeyValueTask):
            raise TypeError(f"{argument} must be a KeyValueTask; got {type(task).__name__}.")
    d_head = check_integer(d_head, "d_head", low=1)
    n_steps = check_integer(n_steps, "n_steps", low=1)
    learning_rate = check_number(learning_rate, "learning_rate", low=0, low_inclusive=False)
    batch_size = check_integer(batch_size, "batch_size", low=1)
    seed = check_integer(seed, "seed", low=0)
    rng = np.random.default_rng([seed, 13])
    n_classes = train.n_symbols
    params = init_head(train.X.shape[-1], d_head, n_classes, seed=rng)
    names = list(PARAMETER_NAMES)
    optimizer = Adam([params[name] for name in names], lr=learning_rate)
    n = len(train.y)
    batch_size = min(batch_size, n)
    order, cursor = rng.permutation(n), 0
    losses, diverged, steps = [], False, 0
    for step in range(n_steps):
        if cursor + batch_size > n:
            order, cursor = rng.permutation(n), 0
        batch = order[cursor : cursor + batch_size]
        cursor += batch_size
        loss, grads = head_loss_and_gradients(params, train.X[batch], train.y[batch])
        if not np.isfinite(loss) or not all(np.isfinite(g).all() for g in grads.values()):
            diverged = True
            break
        losses.append(loss)
        optimizer.step([grads[name] for name in names])
        steps = step + 1
        if callback is not None:
            callback(steps)
    train_accuracy, _ = _accuracy(params, train)
    test_accuracy, match = _accuracy(params, test)
    return TrainedHead(
        params, np.array(losses), train_accuracy, test_accuracy, match, diverged, steps, seed
    )


def mean_baseline(train, test, hidden=64, max_iter=300, seed=0):
    """Test accuracy of an MLP fed the mean of each sequence's tokens (no attention).

    The mean is attention with fixed, equal weights. The engine's
    :class:`~widgets.engine.MLPClassifier` (one hidden ReLU layer of ``hidden`` units,
    Adam) is trained on ``train.X.mean(axis=1)``; returns ``(train_accuracy,
    test_accuracy)``. By construction of :func:`key_value_task` no function of the mean
    can do better than ``1 / n_pairs`` on average.
    """
    hidden = check_integer(hidden, "hidden", low=1)
    max_iter = check_integer(max_iter, "max_iter", low=1)
    seed = check_integer(seed, "seed", low=0)
    model = MLPClassifier(
        hidden_layer_sizes=(hidden,),
        max_iter=max_iter,
        learning_rate_init=0.01,
        random_state=seed,
        n_iter_no_change=max_iter,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # max_iter reached: expected
        model.fit(train.X.mean(axis=1), train.y)
    return (
        float(model.score(train.X.mean(axis=1), train.y)),
        float(model.score(test.X.mean(axis=1), test.y)),
    )
