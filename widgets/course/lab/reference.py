"""The engine's answers to the Neural Net Lab's exercises.

Every function here computes what one exercise asks for, through the engine
(:mod:`widgets.engine`): the forward pass and the gradients come from
:class:`~widgets.engine.network.Network`, softmax and the hidden derivatives from
:mod:`widgets.engine.activations`, the loss from :mod:`widgets.engine.losses`, the
momentum step from :class:`~widgets.engine.optimizers.SGD`, the L2 term from
:mod:`widgets.engine.regularizers`. The lab's checks compare a learner's function
with these; Lab 2 imports the Lab 1 answers from here, so that it does not depend
on Lab 1 being finished.

Notation (the lab's and the engine's): ``X`` is (n, d); the hidden layer has
weights ``W1`` (d, h) and biases ``b1`` (h,); the output layer ``W2`` (h, k) and
``b2`` (k,). A *delta* is the derivative of one sample's loss with respect to a
layer's net input, one row per sample.
"""

import numpy as np

from widgets.engine.activations import get_hidden_activation
from widgets.engine.activations import softmax as engine_softmax
from widgets.engine.losses import categorical_cross_entropy
from widgets.engine.network import Network
from widgets.engine.optimizers import SGD
from widgets.engine.regularizers import add_penalty_gradient, penalty

__all__ = [
    "TRAIN_MISTAKES",
    "cross_entropy",
    "forward",
    "glorot_normal_init",
    "hidden_delta",
    "l2_gradient",
    "l2_penalty",
    "momentum_step",
    "output_delta_identity",
    "output_delta_softmax",
    "softmax",
    "train",
    "train_with_mistake",
    "weight_gradients",
]

LAB_ACTIVATIONS = ("logistic", "tanh")


def _network(W1, b1, W2, b2, activation, output="identity"):
    """The engine's network holding these weights: layers (d, h, k)."""
    W1, W2 = np.asarray(W1, dtype=float), np.asarray(W2, dtype=float)
    net = Network([W1.shape[0], W1.shape[1], W2.shape[1]], activation=activation, output=output)
    net.coefs = [W1, W2]
    net.intercepts = [np.asarray(b1, dtype=float), np.asarray(b2, dtype=float)]
    return net


def forward(X, W1, b1, W2, b2, activation="tanh"):
    """Forward pass of a one-hidden-layer network, up to the output's net input.

    .. math:: H = f(X W_1 + b_1), \\qquad Z = H W_2 + b_2

    Returns
    -------
    hidden : ndarray of shape (n, h)
        The hidden activations ``H``.
    logits : ndarray of shape (n, k)
        The output layer's net input ``Z`` (softmax turns it into probabilities).
    """
    X = np.asarray(X, dtype=float)
    hidden = get_hidden_activation(activation)(X @ np.asarray(W1) + np.asarray(b1))
    logits = _network(W1, b1, W2, b2, activation).forward(X)
    return hidden, logits


def softmax(logits):
    """Row-wise softmax, computed after subtracting each row's largest logit.

    .. math:: p_{ik} = \\frac{e^{z_{ik} - m_i}}{\\sum_j e^{z_{ij} - m_i}}, \\qquad
              m_i = \\max_j z_{ij}
    """
    return engine_softmax(np.asarray(logits, dtype=float))


def cross_entropy(probabilities, Y):
    """Mean categorical cross-entropy, with ``p`` clipped to ``[eps, 1 - eps]``.

    .. math:: L = -\\frac{1}{n} \\sum_i \\sum_k y_{ik} \\ln p_{ik}
    """
    return float(
        categorical_cross_entropy(np.asarray(Y, dtype=float), np.asarray(probabilities, float))
    )


def output_delta_softmax(probabilities, Y):
    """Delta of a softmax output under cross-entropy: ``P - Y`` (no f' factor)."""
    return np.asarray(probabilities, dtype=float) - np.asarray(Y, dtype=float)


def output_delta_identity(outputs, Y):
    """Delta of an identity output under half squared error: ``(O - Y) * 1``."""
    return np.asarray(outputs, dtype=float) - np.asarray(Y, dtype=float)


def hidden_delta(delta_out, W2, hidden, activation="tanh"):
    """Delta of the hidden layer: ``(delta_out W2^T) * f'(net)``.

    ``f'`` is written through the hidden activations ``H = f(net)``: ``1 - H**2``
    for tanh, ``H (1 - H)`` for the logistic function (the engine's derivative).
    """
    back = np.asarray(delta_out, dtype=float) @ np.asarray(W2, dtype=float).T
    get_hidden_activation(activation).derivative_inplace(np.asarray(hidden, dtype=float), back)
    return back


def weight_gradients(X, hidden, delta_out, delta_hidden):
    """Gradients of the mean loss, averaged over the ``n`` samples.

    .. math:: \\frac{\\partial L}{\\partial W_2} = \\frac{H^T \\delta_2}{n}, \\quad
              \\frac{\\partial L}{\\partial b_2} = \\frac{1}{n}\\sum_i \\delta_{2,i}, \\quad
              \\frac{\\partial L}{\\partial W_1} = \\frac{X^T \\delta_1}{n}, \\quad
              \\frac{\\partial L}{\\partial b_1} = \\frac{1}{n}\\sum_i \\delta_{1,i}

    Returns ``(dW1, db1, dW2, db2)``.
    """
    X, hidden = np.asarray(X, dtype=float), np.asarray(hidden, dtype=float)
    delta_out, delta_hidden = np.asarray(delta_out, float), np.asarray(delta_hidden, float)
    n = len(X)
    return (
        X.T @ delta_hidden / n,
        delta_hidden.sum(axis=0) / n,
        hidden.T @ delta_out / n,
        delta_out.sum(axis=0) / n,
    )


def network_gradients(X, Y, W1, b1, W2, b2, activation="tanh", alpha=0.0):
    """The engine's gradients of softmax cross-entropy: ``(dW1, db1, dW2, db2)``.

    The whole back-propagation in one call of
    :meth:`~widgets.engine.network.Network.loss_and_gradients`, with the L2
    term ``alpha * W / n`` included when ``alpha`` is not zero.
    """
    net = _network(W1, b1, W2, b2, activation, output="softmax")
    _, (dW1, dW2), (db1, db2) = net.loss_and_gradients(X, Y, l2=alpha)
    return dW1, db1, dW2, db2


def momentum_step(W, grad, velocity, learning_rate, momentum):
    """One step of gradient descent with momentum (the engine's SGD).

    The lecture's rule ``Δw(t) = C δ z + α Δw(t-1)``, written with the gradient
    ``∂L/∂w = -δ z``:

    .. math:: \\Delta w(t) = -C \\, \\frac{\\partial L}{\\partial w}
              + \\alpha \\, \\Delta w(t-1), \\qquad w \\leftarrow w + \\Delta w(t)

    Returns ``(new_W, new_velocity)``; the arguments are not modified.
    """
    W = np.array(W, dtype=float)
    optimizer = SGD([W], lr=learning_rate, momentum=momentum)
    if momentum:
        optimizer.velocities[0][...] = velocity
    optimizer.step([np.asarray(grad, dtype=float)])
    new_velocity = optimizer.velocities[0].copy() if momentum else -learning_rate * grad
    return W, new_velocity


def l2_gradient(W, alpha, n_samples):
    """The L2 penalty's term in the gradient of the mean loss: ``alpha * W / n``."""
    W = np.asarray(W, dtype=float)
    return add_penalty_gradient(W, np.zeros_like(W), l2=alpha) / n_samples


def l2_penalty(weights, alpha, n_samples):
    """The L2 penalty added to the mean loss: ``alpha / 2 * sum(W**2) / n`` over all weights."""
    return float(penalty([np.asarray(W, dtype=float) for W in weights], l2=alpha) / n_samples)


def glorot_normal_init(random_state, fan_in, fan_out, dtype=np.float64):
    """Weights drawn from N(0, 2 / (fan_in + fan_out)), biases zero.

    The draw is ``random_state.normal(0, sqrt(2 / (fan_in + fan_out)), (fan_in, fan_out))``,
    what the lab's ``_init_coef`` override asks for.
    """
    std = np.sqrt(2.0 / (fan_in + fan_out))
    coef = random_state.normal(0.0, std, size=(fan_in, fan_out)).astype(dtype, copy=False)
    return coef, np.zeros(fan_out, dtype=dtype)


# The usual mistakes in a training loop, which the lab's check recognises by
# running them: each name switches one step of :func:`train` to its wrong form.
TRAIN_MISTAKES = {
    "returns_last": "it returns the last epoch's parameters: keep a copy of the best "
    "epoch's (lowest validation loss) and return those.",
    "stops_late": "it stops one epoch late: stop as soon as `patience` epochs in a row "
    "have brought no new best (waited >= patience).",
    "stops_early": "it stops one epoch early: an epoch without a new best adds one to the "
    "count, and training stops when the count reaches `patience`.",
    "no_l2_gradient": "alpha has no effect on the updates: add l2_gradient(W, alpha, n) to "
    "the gradients of W1 and W2.",
    "l2_on_biases": "the biases are penalised too: the L2 term goes on the weights W1 and W2 "
    "only (as in scikit-learn).",
    "no_penalty_in_loss": "the training loss leaves out the penalty: record cross-entropy "
    "+ l2_penalty([W1, W2], alpha, n), the objective that is minimised.",
    "velocity_reset": "the momentum is lost between epochs: keep each parameter's velocity "
    "and pass it back in at the next epoch.",
    "validates_on_train": "the validation loss is computed on the training data: use X_val, Y_val.",
}


def train(
    X_train,
    Y_train,
    X_val,
    Y_val,
    params,
    learning_rate=0.1,
    momentum=0.9,
    alpha=0.0,
    max_epochs=200,
    patience=10,
    activation="tanh",
):
    """Full-batch gradient descent with momentum, L2 and early stopping (patience).

    Each epoch: forward pass on the training set, its objective (cross-entropy
    plus the L2 penalty), back-propagation, the L2 term added to the weights'
    gradients (not the biases'), one momentum step per parameter; then the
    validation cross-entropy. The best validation loss so far (strictly lower to
    count) keeps a copy of the parameters; training stops after ``patience``
    epochs in a row without a new best.

    Returns
    -------
    dict with ``params`` (the best epoch's ``(W1, b1, W2, b2)``), ``train_loss``
    and ``val_loss`` (one value per epoch run) and ``best_epoch`` (0-based).
    """
    return train_with_mistake(
        None,
        X_train,
        Y_train,
        X_val,
        Y_val,
        params,
        learning_rate,
        momentum,
        alpha,
        max_epochs,
        patience,
        activation,
    )


def train_with_mistake(
    mistake,
    X_train,
    Y_train,
    X_val,
    Y_val,
    params,
    learning_rate,
    momentum,
    alpha,
    max_epochs,
    patience,
    activation,
):
    """:func:`train`, or with ``mistake`` (a key of :data:`TRAIN_MISTAKES`) its wrong form."""
    if mistake is not None and mistake not in TRAIN_MISTAKES:
        raise ValueError(
            f"mistake must be None or one of {sorted(TRAIN_MISTAKES)}; got {mistake!r}."
        )
    params = [np.array(p, dtype=float) for p in params]
    velocities = [np.zeros_like(p) for p in params]
    n = len(X_train)
    grad_alpha = 0.0 if mistake == "no_l2_gradient" else alpha
    loss_alpha = 0.0 if mistake == "no_penalty_in_loss" else alpha
    X_check, Y_check = (X_train, Y_train) if mistake == "validates_on_train" else (X_val, Y_val)
    limit = {"stops_late": patience + 1, "stops_early": patience - 1}.get(mistake, patience)
    train_loss, val_loss = [], []
    best, best_params, best_epoch, waited = np.inf, None, -1, 0
    for epoch in range(max_epochs):
        W1, b1, W2, b2 = params
        hidden, logits = forward(X_train, W1, b1, W2, b2, activation)
        probabilities = softmax(logits)
        train_loss.append(
            cross_entropy(probabilities, Y_train) + l2_penalty([W1, W2], loss_alpha, n)
        )
        delta_out = output_delta_softmax(probabilities, Y_train)
        delta_hidden = hidden_delta(delta_out, W2, hidden, activation)
        grads = list(weight_gradients(X_train, hidden, delta_out, delta_hidden))
        for i in (0, 1, 2, 3) if mistake == "l2_on_biases" else (0, 2):
            grads[i] = grads[i] + l2_gradient(params[i], grad_alpha, n)
        if mistake == "velocity_reset":
            velocities = [np.zeros_like(p) for p in params]
        for i, (param, grad) in enumerate(zip(params, grads)):
            params[i], velocities[i] = momentum_step(
                param, grad, velocities[i], learning_rate, momentum
            )
        _, check_logits = forward(X_check, *params, activation)
        val_loss.append(cross_entropy(softmax(check_logits), Y_check))
        if val_loss[-1] < best:
            best, best_params, best_epoch, waited = (
                val_loss[-1],
                [p.copy() for p in params],
                epoch,
                0,
            )
        else:
            waited += 1
            if waited >= limit:
                break
    if mistake == "returns_last":
        best_params = params
    return {
        "params": tuple(best_params),
        "train_loss": train_loss,
        "val_loss": val_loss,
        "best_epoch": best_epoch,
    }
