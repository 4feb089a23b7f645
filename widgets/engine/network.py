"""A fully connected feed-forward network: forward pass and back-propagation.

Notation (used in all docstrings of this module): layer ``l = 1..L`` has
weights ``W_l`` of shape ``(n_in, n_out)`` and biases ``b_l`` of shape
``(n_out,)``. With ``a_0 = X`` the forward pass computes

.. math:: z_l = a_{l-1} W_l + b_l, \\qquad a_l = f(z_l)

with ``f`` the hidden activation for hidden layers and the output activation
for the last layer. The training objective for targets ``Y`` over ``n``
samples is

.. math:: J = L(Y, a_L) + \\frac{1}{n}\\left(\\frac{l_2}{2}\\sum W^2
          + l_1 \\sum |W|\\right)

with ``L`` the output's canonical loss (:mod:`widgets.engine.losses`).
Back-propagation starts from ``delta_L = a_L - Y`` (true for every canonical
output/loss pair) and goes back with
``delta_{l-1} = (delta_l W_l^T) * f'(z_{l-1})``, so that

.. math:: \\frac{\\partial J}{\\partial W_l} = \\frac{a_{l-1}^T \\delta_l
          + l_2 W_l + l_1 \\operatorname{sign}(W_l)}{n}, \\qquad
          \\frac{\\partial J}{\\partial b_l} = \\frac{1}{n}\\sum_i \\delta_{l,i}

All weights and biases live in **one flat vector** ``params`` (all weight
matrices first, then all bias vectors: scikit-learn's ``_pack`` order);
``coefs`` and ``intercepts`` are views into it, and the gradient ``grads`` is
laid out the same way, so an optimizer updates every parameter at once.

This module is written to be read. The estimators train through
:mod:`widgets.engine._fast`, which does the same operations in the same order
(bit-identical numbers) with preallocated arrays.
"""

import numpy as np
import scipy.sparse as sp
from sklearn.utils import check_random_state

from .activations import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from .initializers import INITIALIZERS, initialize_layers
from .losses import LOSS_FOR_OUTPUT
from .regularizers import add_penalty_gradient, penalty
from .validation import (
    check_choice,
    check_dropout_masks,
    check_dtype,
    check_layer_sizes,
    check_matrix,
    check_rows,
    check_sample_weight,
    check_scalar,
    copy_checked,
    copy_checked_layers,
)

__all__ = ["Network", "count_parameters", "parameter_layout"]


def count_parameters(layer_sizes, biases=True):
    """Return the number of trainable parameters of a fully connected network.

    .. math:: \\sum_{l=1}^{L} n_{l-1} n_l \\; (+ \\; n_l \\text{ biases})

    Parameters
    ----------
    layer_sizes : sequence of int
        Units per layer, input layer first and output layer last.
    biases : bool, default=True
        Count the biases as well as the connection weights (a common miscount
        leaves them out).

    Returns
    -------
    int
    """
    sizes = check_layer_sizes(layer_sizes)
    weights = sum(fan_in * fan_out for fan_in, fan_out in zip(sizes[:-1], sizes[1:]))
    return int(weights + (sum(sizes[1:]) if biases else 0))


def parameter_layout(layer_sizes):
    """Return where each layer's parameters sit in the flat vector.

    Returns
    -------
    coef_slots, intercept_slots : list of (start, stop, shape)
        One per layer: the weight matrices (stored first), the bias vectors.
    size : int
        Total number of parameters, ``count_parameters(layer_sizes)``.
    """
    coef_slots, intercept_slots, start = [], [], 0
    for fan_in, fan_out in zip(layer_sizes[:-1], layer_sizes[1:]):
        coef_slots.append((start, start + fan_in * fan_out, (fan_in, fan_out)))
        start += fan_in * fan_out
    for fan_out in layer_sizes[1:]:
        intercept_slots.append((start, start + fan_out, (fan_out,)))
        start += fan_out
    return coef_slots, intercept_slots, start


def _views(flat, slots):
    return [flat[start:stop].reshape(shape) for start, stop, shape in slots]


class _ParameterList(list):
    """Per-layer views of the parameters; assigning an item copies into the network."""

    def __init__(self, views, argument):
        super().__init__(views)
        self._argument = argument

    def __setitem__(self, index, value):
        if isinstance(index, slice):
            raise TypeError(f"{self._argument} does not support slice assignment.")
        copy_checked(list.__getitem__(self, index), value, f"{self._argument}[{index}]")


class Network:
    """A feed-forward neural network with fully connected layers.

    Parameters
    ----------
    layer_sizes : sequence of int
        Units per layer, input layer first and output layer last, e.g.
        ``[2, 8, 3]``: 2 inputs, one hidden layer of 8 units, 3 outputs.
    activation : {"identity", "logistic", "tanh", "relu", "leaky_relu"}, \
            default="relu"
        Activation of the hidden units (``leaky_relu`` has slope 0.01 below 0).
    output : {"identity", "logistic", "softmax", "exp"}, default="identity"
        Activation of the output units; it fixes the loss: identity → half
        squared error, logistic → binary cross-entropy, softmax → categorical
        cross-entropy, exp → Poisson deviance (see :meth:`loss_and_gradients`).
    init : {"glorot", "he", "zeros", "constant", "normal", "uniform"}, default="glorot"
        Initial weights and biases (:mod:`widgets.engine.initializers`);
        ``glorot`` is scikit-learn's, identical for the same ``random_state``;
        ``he`` draws N(0, 2 / fan_in), biases 0.
    init_scale : float, default=0.1
        Value, standard deviation or half-width for constant, normal, uniform.
    random_state : int, RandomState instance or None, default=None
        Source of the random initial values (drawn as scikit-learn draws them).
    dtype : {numpy.float64, numpy.float32}, default=numpy.float64

    Attributes
    ----------
    coefs, intercepts : list of ndarray
        Weights ``W_l`` (n_in, n_out) and biases ``b_l`` (n_out,) per layer;
        assign a list, or one item, to set them (shapes are checked).
    params : ndarray of shape (count_parameters(layer_sizes),)
        Every weight, then every bias; ``coefs`` and ``intercepts`` are views
        into it. Optimizers update it in place.
    grads : ndarray, shaped like ``params``
        The gradient last computed, with ``coef_grads`` and ``intercept_grads``
        (lists of per-layer views of it).

    Examples
    --------
    >>> net = Network([2, 8, 3], activation="relu", output="softmax", random_state=0)
    >>> net.forward([[0.5, -1.0]]).shape
    (1, 3)
    >>> loss, coef_grads, intercept_grads = net.loss_and_gradients(
    ...     [[0.5, -1.0]], [[0, 1, 0]], l2=1e-4)
    """

    def __init__(
        self,
        layer_sizes,
        activation="relu",
        output="identity",
        init="glorot",
        init_scale=0.1,
        random_state=None,
        dtype=np.float64,
    ):
        self.layer_sizes = check_layer_sizes(layer_sizes)
        self.activation = check_choice(activation, HIDDEN_ACTIVATIONS, "activation")
        self.output = check_choice(output, OUTPUT_ACTIVATIONS, "output")
        self.init = check_choice(init, INITIALIZERS, "init")
        self.init_scale = check_scalar(init_scale, "init_scale", low=0)
        self.dtype = check_dtype(dtype)
        self._hidden = HIDDEN_ACTIVATIONS[self.activation]
        self._output_activation = OUTPUT_ACTIVATIONS[self.output]
        self._loss = LOSS_FOR_OUTPUT[self.output]

        coef_slots, intercept_slots, size = parameter_layout(self.layer_sizes)
        self.params = np.zeros(size, dtype=self.dtype)
        self.grads = np.zeros(size, dtype=self.dtype)
        self._coef_views = _views(self.params, coef_slots)
        self._intercept_views = _views(self.params, intercept_slots)
        self.coef_grads = _views(self.grads, coef_slots)
        self.intercept_grads = _views(self.grads, intercept_slots)

        rng = check_random_state(random_state)
        coefs, intercepts = initialize_layers(
            self.layer_sizes, self.init, self.activation, self.init_scale, rng
        )
        # Cast after drawing (as scikit-learn does): float32 draws as float64 does.
        for view, value in zip(self._coef_views + self._intercept_views, coefs + intercepts):
            view[...] = value

    # ------------------------------------------------------------------ parameters

    @property
    def n_layers(self):
        """Number of layers, input and output included (``len(layer_sizes)``)."""
        return len(self.layer_sizes)

    @property
    def n_outputs(self):
        return self.layer_sizes[-1]

    @property
    def coefs(self):
        return _ParameterList(self._coef_views, "coefs")

    @coefs.setter
    def coefs(self, values):
        copy_checked_layers(self._coef_views, values, "coefs")

    @property
    def intercepts(self):
        return _ParameterList(self._intercept_views, "intercepts")

    @intercepts.setter
    def intercepts(self, values):
        copy_checked_layers(self._intercept_views, values, "intercepts")

    @property
    def coef_values(self):
        """All weights (not biases) as one flat view: ``params[:n_weights]``."""
        return self.params[: self.params.size - sum(self.layer_sizes[1:])]

    def penalty(self, l1=0.0, l2=0.0):
        """Return ``l2/2 * sum(W**2) + l1 * sum(|W|)`` over all weights."""
        return penalty(self.coef_values, l1, l2)

    def data_loss(self, Y, output, sample_weight=None):
        """Return the canonical loss ``L(Y, output)`` of the output layer."""
        return self._loss(Y, output, sample_weight)

    # ------------------------------------------------------------------ the two passes

    def _forward(self, X, dropout_masks=None):
        """Forward pass: return what each layer received and its activations.

        For ``l = 1..L``: the net input ``z_l = a_{l-1} W_l + b_l``, then the
        activation ``a_l = f(z_l)`` (the output activation for ``l = L``).
        With dropout, hidden layer ``l`` passes ``a_l * m_l`` on to the next
        (``m_l`` its mask: 0 for a dropped unit, ``1/(1-p)`` for a kept one).
        Returns ``inputs = [X, a_1 (* m_1), ...]`` and ``activations =
        [a_1, ..., a_L]`` (before any mask).
        """
        inputs, activations = [], []
        a = X
        for layer, (W, b) in enumerate(zip(self._coef_views, self._intercept_views)):
            is_output = layer == len(self._coef_views) - 1
            f = self._output_activation if is_output else self._hidden
            inputs.append(a)
            z = a @ W + b  # net input z_l
            f.apply_inplace(z)  # a_l = f(z_l), computed in place of z_l
            activations.append(z)
            a = z if dropout_masks is None or is_output else z * dropout_masks[layer]
        return inputs, activations

    def _backward(self, inputs, activations, Y, n, l1, l2, sample_weight, dropout_masks):
        """Back-propagation: fill :attr:`grads` with ``dJ/dW_l`` and ``dJ/db_l``.

        From ``delta_L = a_L - Y`` (times each sample's weight, if any), for
        ``l = L..1``:

        - ``dJ/dW_l = a_{l-1}^T delta_l`` and ``dJ/db_l = sum_i delta_{l,i}``;
        - ``delta_{l-1} = (delta_l W_l^T) * m_{l-1} * f'(z_{l-1})``, with
          ``f'(z)`` written through ``a = f(z)`` and ``m`` the dropout mask.

        Then ``dJ/dW += l2 W + l1 sign(W)`` and everything is divided by ``n``
        (scikit-learn's order, which the fast path repeats).
        """
        delta = activations[-1] - Y  # delta_L, for every canonical output/loss pair
        if sample_weight is not None:
            delta *= sample_weight[:, np.newaxis]
        for layer in reversed(range(len(self._coef_views))):  # l = L..1
            self.coef_grads[layer][...] = inputs[layer].T @ delta
            self.intercept_grads[layer][...] = delta.sum(axis=0)
            if layer > 0:
                delta = delta @ self._coef_views[layer].T  # back through the weights
                if dropout_masks is not None:
                    delta *= dropout_masks[layer - 1]  # dropped units pass nothing back
                # delta *= f'(z_{l-1}), in the activation's own order of operations.
                self._hidden.derivative_inplace(activations[layer - 1], delta)
        if l1 or l2:
            add_penalty_gradient(self.coef_values, self.grads[: self.coef_values.size], l1, l2)
        self.grads /= n

    # ------------------------------------------------------------------ public passes

    def forward(self, X, dropout_masks=None):
        """Return the output layer's activations ``a_L``, shape (n_samples, n_outputs).

        ``dropout_masks``, one ``(n_samples, n_units)`` array per hidden layer,
        multiplies each hidden layer's activations (inverted dropout: 0 for a
        dropped unit, ``1 / (1 - p)`` for a kept one); None drops nothing.
        """
        X = self._check_X(X)
        masks = check_dropout_masks(dropout_masks, self.layer_sizes[1:-1], len(X), self.dtype)
        return self._forward(X, masks)[1][-1]

    def loss_and_gradients(self, X, Y, l1=0.0, l2=0.0, sample_weight=None, dropout_masks=None):
        """Return the training loss and its gradients at the current parameters.

        ``X`` is (n_samples, n_inputs), ``Y`` (n_samples, n_outputs) (one-hot
        rows for softmax, 0/1 for logistic); ``l1``, ``l2`` the penalty
        strengths (``l2`` is scikit-learn's ``alpha``); ``sample_weight`` makes
        ``n`` their sum; ``dropout_masks`` as in :meth:`forward`.

        Returns
        -------
        loss : float
            ``J = L(Y, a_L) + (l2/2 sum W^2 + l1 sum |W|) / n``, ``L`` as
            scikit-learn's (for the identity output: half the squared error
            averaged over samples *and* outputs, its ``squared_loss``).
        coef_grads : list of ndarray of shape (n_in, n_out)
            ``dJ/dW_l = (a_{l-1}^T delta_l / K + l2 W_l + l1 sign(W_l)) / n``.
        intercept_grads : list of ndarray of shape (n_out,)
            ``dJ/db_l = sum_i delta_{l,i} / (K n)``.

            ``K`` is the number of outputs for the identity output, else 1:
            ``delta = a_L - Y`` is the gradient of the squared error *summed*
            over outputs. (scikit-learn, and the estimators, train with that
            summed form's gradient while they report the average.)
        """
        X = self._check_X(X)
        Y = Y if sp.issparse(Y) else np.asarray(Y)  # check_rows refuses sparse Y by name
        if Y.ndim == 1 and self.n_outputs == 1:
            Y = Y.reshape(-1, 1)
        Y = check_rows(Y, "Y", len(X), self.n_outputs, self.dtype)
        l1, l2 = check_scalar(l1, "l1", low=0), check_scalar(l2, "l2", low=0)
        sample_weight = check_sample_weight(sample_weight, len(X), self.dtype)
        masks = check_dropout_masks(dropout_masks, self.layer_sizes[1:-1], len(X), self.dtype)
        n = X.shape[0] if sample_weight is None else sample_weight.sum()
        K = self.n_outputs if self.output == "identity" else 1

        inputs, activations = self._forward(X, masks)
        loss = self._loss(Y, activations[-1], sample_weight)
        if K == 1:
            self._backward(inputs, activations, Y, n, l1, l2, sample_weight, masks)
        else:  # the data part averaged over the K outputs; the penalty is not
            self._backward(inputs, activations, Y, n, 0.0, 0.0, sample_weight, masks)
            loss /= K
            self.grads /= K
            if l1 or l2:
                coef_grad_values = self.grads[: self.coef_values.size]
                penalty_grad = add_penalty_gradient(
                    self.coef_values, np.zeros_like(coef_grad_values), l1, l2
                )
                coef_grad_values += penalty_grad / n
        if l1 or l2:
            loss += self.penalty(l1, l2) / n
        return (
            float(loss),
            [g.copy() for g in self.coef_grads],
            [g.copy() for g in self.intercept_grads],
        )

    def _check_X(self, X):
        return check_matrix(
            X, "X", n_columns=self.layer_sizes[0], dtype=self.dtype, accept_sparse=True
        )

    def __repr__(self):
        return (
            f"Network(layer_sizes={self.layer_sizes}, activation={self.activation!r}, "
            f"output={self.output!r}, init={self.init!r})"
        )
