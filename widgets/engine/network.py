"""A fully connected feed-forward network: forward pass and back-propagation.

Notation (used in all docstrings of this module): layer ``l`` has weights
``W_l`` of shape ``(n_in, n_out)`` and biases ``b_l`` of shape ``(n_out,)``;
with ``a_0 = X`` the forward pass computes

.. math:: z_l = a_{l-1} W_l + b_l, \\qquad a_l = f(z_l)

with ``f`` the hidden activation for hidden layers and the output activation
for the last layer. The training objective for targets ``Y`` over ``n``
samples is

.. math:: J = L(Y, a_{last}) + \\frac{1}{n}\\left(\\frac{l_2}{2}\\sum W^2
          + l_1 \\sum |W|\\right)

with ``L`` the output's canonical loss (:mod:`widgets.engine.losses`). Back-
propagation uses ``delta_last = a_last - Y`` (canonical pairs) and
``delta_{l-1} = (delta_l W_l^T) * f'(z_{l-1})``, so that

.. math:: \\frac{\\partial J}{\\partial W_l} = \\frac{a_{l-1}^T \\delta_l
          + l_2 W_l + l_1 \\operatorname{sign}(W_l)}{n}, \\qquad
          \\frac{\\partial J}{\\partial b_l} = \\frac{1}{n}\\sum_i \\delta_{l,i}

All weights and biases live in **one flat vector** (all weight matrices
first, then all bias vectors, the order of scikit-learn's ``_pack``);
``coefs`` and ``intercepts`` are views into it. Gradients are laid out the
same way, so an optimizer updates every parameter with a handful of NumPy
calls instead of a Python loop over layers, and L-BFGS can work on the
vector directly.
"""

import numpy as np
import scipy.sparse as sp
from scipy.special import expit
from sklearn.utils import check_random_state

from .activations import (
    _ZERO,
    HIDDEN_ACTIVATIONS,
    OUTPUT_ACTIVATIONS,
    _logistic_inplace,
    _relu_derivative_inplace,
    _relu_inplace,
    _softmax_inplace,
)
from .initializers import INITIALIZERS, initialize_layers
from .losses import LOSS_FOR_OUTPUT, LOSS_TERMS_FOR_OUTPUT, sum_of_column_means
from .regularizers import add_penalty_gradient, penalty
from .validation import (
    check_choice,
    check_layer_sizes,
    check_matrix,
    check_sample_weight,
    check_scalar,
)

__all__ = ["Network", "count_parameters", "forward_pass", "parameter_layout"]


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

    Parameters
    ----------
    layer_sizes : list of int
        Units per layer, input layer first.

    Returns
    -------
    coef_slots : list of (start, stop, shape)
        One per layer, for the weight matrices (stored first).
    intercept_slots : list of (start, stop, shape)
        One per layer, for the bias vectors (stored after all weights).
    size : int
        Total number of parameters.
    """
    coef_slots, intercept_slots = [], []
    start = 0
    for fan_in, fan_out in zip(layer_sizes[:-1], layer_sizes[1:]):
        coef_slots.append((start, start + fan_in * fan_out, (fan_in, fan_out)))
        start += fan_in * fan_out
    for fan_out in layer_sizes[1:]:
        intercept_slots.append((start, start + fan_out, (fan_out,)))
        start += fan_out
    return coef_slots, intercept_slots, start


# Bound once: the training loop calls these tens of thousands of times, with
# positional ``out`` arguments (cheaper to parse than keywords). The method
# ``ndarray.dot`` runs the same code as ``np.dot`` (the same BLAS call, hence
# the same numbers) without the ``__array_function__`` dispatch, which costs
# about a quarter of a small product; every operand it gets is an ndarray.
_dot = np.ndarray.dot
_matmul = np.matmul
_add = np.add
_subtract = np.subtract
_multiply = np.multiply
_divide = np.divide
_maximum = np.maximum
_sign = np.sign
_sum_rows = np.add.reduce


#: Products with more multiply-adds than this use np.matmul (scikit-learn's
#: ``@``, which hands large products to BLAS most efficiently); smaller ones
#: use np.dot, whose call costs half as much, which is what matters there.
_MATMUL_ABOVE = 16384


def _product_function(n_rows, n_inner, n_columns):
    """The matrix product to use for ``(n_rows, n_inner) @ (n_inner, n_columns)``."""
    return _matmul if n_rows * n_inner * n_columns > _MATMUL_ABOVE else _dot


def _row_sum_operands(delta, intercept_grad):
    """Arguments of ``np.add.reduce(values, 0, None, out)`` for sum_i delta_i.

    A single-column delta is summed as a 1-D array into a 0-d view: the same
    (pairwise) summation NumPy does for an (n, 1) array, with less overhead.
    """
    if delta.shape[1] == 1:
        return delta.reshape(-1), intercept_grad.reshape(())
    return delta, intercept_grad


def _views(flat, slots):
    return [flat[start:stop].reshape(shape) for start, stop, shape in slots]


def _split_rows(flat, n_rows, widths):
    """Consecutive ``(n_rows, width)`` views of ``flat``, one per width."""
    views, start = [], 0
    for width in widths:
        views.append(flat[start : start + n_rows * width].reshape(n_rows, width))
        start += n_rows * width
    return views


def forward_pass(X, coefs, intercepts, hidden_activation, output_activation):
    """Return the output of the network with the given parameters.

    Only the current layer's values are kept alive (no dropout, no record of
    the hidden layers), which keeps prediction on large ``X`` lean.

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n_samples, n_inputs)
    coefs, intercepts : list of ndarray
        Weights ``W_l`` and biases ``b_l`` of each layer.
    hidden_activation, output_activation : Activation
        From :mod:`widgets.engine.activations`.
    """
    last = len(coefs) - 1
    layer_values = X
    for index, (coef, intercept) in enumerate(zip(coefs, intercepts)):
        layer_values = layer_values @ coef
        layer_values += intercept
        if index < last:
            hidden_activation.apply_inplace(layer_values)
    output_activation.apply_inplace(layer_values)
    return layer_values


class _ParameterList(list):
    """The per-layer views of the network's parameters.

    Reading an item gives the live array; assigning an item
    (``net.coefs[0] = new_values``) copies the values into the network, so
    that the flat parameter vector and every optimizer stay in sync.
    """

    def __init__(self, views, argument):
        super().__init__(views)
        self._argument = argument

    def __setitem__(self, index, value):
        if isinstance(index, slice):
            raise TypeError(
                f"{self._argument} does not support slice assignment; assign "
                f"one layer at a time or the whole list."
            )
        view = list.__getitem__(self, index)
        _copy_checked(view, value, f"{self._argument}[{index}]")


def _copy_checked(view, value, argument):
    try:
        value = np.asarray(value, dtype=view.dtype)
    except (TypeError, ValueError):
        raise TypeError(f"{argument} must be an array of numbers of shape {view.shape}.") from None
    if value.shape != view.shape:
        raise ValueError(f"{argument} must have shape {view.shape}; got {value.shape}.")
    if not np.isfinite(value).all():
        raise ValueError(f"{argument} must not contain NaN or infinite values.")
    view[...] = value


class _Workspace:
    """Arrays reused by every forward/backward pass over ``n_rows`` samples.

    Attributes
    ----------
    activations : list of ndarray of shape (n_rows, n_units)
        ``a_l`` for every layer after the input (before dropout).
    deltas : list of ndarray
        ``dJ/dz_l`` (times n) for every layer after the input.
    dropped : list of ndarray or None
        Hidden activations after the dropout mask, when dropout is used.
    """

    def __init__(self, network, n_rows, with_dropout):
        layer_sizes, dtype = network.layer_sizes, network.dtype
        self.n_rows = n_rows
        self.n_rows_array = np.array(float(n_rows), dtype=dtype)
        # The hidden layers' activations are consecutive pieces of one
        # buffer, and so are their work arrays for the derivatives: the
        # training pass (:meth:`Network.training_pass`) computes the ReLU
        # derivative of every hidden layer with one call on the whole buffer.
        hidden_sizes = layer_sizes[1:-1]
        self.hidden_flat = np.empty(n_rows * sum(hidden_sizes), dtype)
        self.scratch_flat = np.empty_like(self.hidden_flat)
        self.activations = _split_rows(self.hidden_flat, n_rows, hidden_sizes) + [
            np.empty((n_rows, layer_sizes[-1]), dtype)
        ]
        self.scratch = _split_rows(self.scratch_flat, n_rows, hidden_sizes)
        self.deltas = [np.empty_like(a) for a in self.activations]
        # Work array for the softmax.
        self.row_scratch = np.empty((n_rows, 1), dtype)
        self._loss_arrays = None
        self.dropped = [np.empty_like(a) for a in self.activations[:-1]] if with_dropout else None
        # Transposed views, made once rather than at every step.
        self.activations_T = [a.T for a in self.activations]
        self.dropped_T = [d.T for d in self.dropped] if with_dropout else None
        # What each layer's step touches, bundled once so that the passes
        # iterate over ready-made tuples.
        fan = list(zip(layer_sizes[:-1], layer_sizes[1:]))
        self.hidden_layers = [
            (
                network._coef_views[index],
                network._intercept_views[index],
                self.activations[index],
                _product_function(n_rows, *fan[index]),
            )
            for index in range(len(fan) - 1)
        ]
        self.output_product = _product_function(n_rows, *fan[-1])
        self.backward_layers = [
            (
                self.activations_T[index - 1],
                self.deltas[index],
                network._coef_grad_views[index],
                *_row_sum_operands(self.deltas[index], network._intercept_grad_views[index]),
                network._coef_T_views[index],
                self.deltas[index - 1],
                self.activations[index - 1],
                self.scratch[index - 1],
                _product_function(n_rows, *fan[index]),
            )
            for index in range(len(fan) - 1, 0, -1)
        ]
        self.first_grad_product = _product_function(n_rows, *fan[0])
        self.first_row_sum = _row_sum_operands(self.deltas[0], network._intercept_grad_views[0])

    def loss_arrays(self):
        """Work arrays of the allocation-free loss (made on first use).

        Returns ``(terms, scratch, column_scratch)``. The estimators' trainer
        computes losses per chunk of batches and never needs them.
        """
        if self._loss_arrays is None:
            n_rows, n_outputs = self.activations[-1].shape
            dtype = self.activations[-1].dtype
            self._loss_arrays = (
                np.empty((n_rows, n_outputs), dtype),
                np.empty((n_rows, n_outputs), dtype),
                np.empty(n_outputs, dtype),
            )
        return self._loss_arrays


class Network:
    """A feed-forward neural network with fully connected layers.

    Parameters
    ----------
    layer_sizes : sequence of int
        Units per layer, input layer first and output layer last, e.g.
        ``[2, 8, 3]``: 2 inputs, one hidden layer of 8 units, 3 outputs.
    activation : {"identity", "logistic", "tanh", "relu", "leaky_relu"}, \
            default="relu"
        Activation of the hidden units. ``leaky_relu`` has slope 0.01 for
        negative net values.
    output : {"identity", "logistic", "softmax"}, default="identity"
        Activation of the output units; it fixes the loss: identity →
        half squared error, logistic → binary cross-entropy, softmax →
        categorical cross-entropy (``"exp"`` → Poisson deviance is also
        accepted, for Poisson regression). Each is scikit-learn's: averaged
        over samples, and for the squared error over outputs too (see
        :meth:`loss_and_gradients`).
    init : {"glorot", "zeros", "constant", "normal", "uniform"}, \
            default="glorot"
        Initial weights and biases of every layer:

        - ``glorot``: ``U(-g, g)`` with ``g = sqrt(6 / (fan_in + fan_out))``,
          or ``sqrt(2 / (fan_in + fan_out))`` for logistic hidden units;
          identical to scikit-learn's MLPs for the same ``random_state``.
        - ``zeros``: all 0.
        - ``constant``: all equal to ``init_scale``.
        - ``normal``: ``N(0, init_scale**2)``.
        - ``uniform``: ``U(-init_scale, init_scale)``.
    init_scale : float, default=0.1
        Value, standard deviation or half-width for the ``constant``,
        ``normal`` and ``uniform`` initializers (ignored by the others).
    random_state : int, RandomState instance or None, default=None
        Source of the random initial values. A ``RandomState`` instance is
        consumed (weights then biases, layer by layer), as scikit-learn does.
    dtype : {numpy.float64, numpy.float32}, default=numpy.float64
        Floating type of the parameters and computations.

    Attributes
    ----------
    coefs : list of ndarray of shape (n_in, n_out)
        Weight matrices; assign a list or one item to set them.
    intercepts : list of ndarray of shape (n_out,)
        Bias vectors; assign a list or one item to set them.
    n_layers : int
        Number of layers including input and output (``len(layer_sizes)``).
    params : ndarray of shape (n_parameters,)
        Every weight, then every bias, in one vector; ``coefs`` and
        ``intercepts`` are views into it. Optimizers update it in place.
    grads : ndarray of shape (n_parameters,)
        Gradient of the last :meth:`backprop`, laid out like ``params``.

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
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.float32, np.float64):
            raise ValueError(f"dtype must be float32 or float64; got {self.dtype}.")

        self._hidden = HIDDEN_ACTIVATIONS[self.activation]
        self._output_activation = OUTPUT_ACTIVATIONS[self.output]
        self._loss = LOSS_FOR_OUTPUT[self.output]
        self._loss_terms = LOSS_TERMS_FOR_OUTPUT[self.output]
        self._last = len(self.layer_sizes) - 2  # index of the output layer

        coef_slots, intercept_slots, size = parameter_layout(self.layer_sizes)
        self._n_coef_values = coef_slots[-1][1]
        self.params = np.zeros(size, dtype=self.dtype)
        self._coef_views = _views(self.params, coef_slots)
        self._intercept_views = _views(self.params, intercept_slots)
        self.grads = np.zeros(size, dtype=self.dtype)
        self._coef_grad_views = _views(self.grads, coef_slots)
        self._intercept_grad_views = _views(self.grads, intercept_slots)
        self._penalty_scratch = np.empty(self._n_coef_values, dtype=self.dtype)
        self._coef_flat = self.params[: self._n_coef_values]
        self._coef_grad_flat = self.grads[: self._n_coef_values]
        self._coef_T_views = [c.T for c in self._coef_views]
        # The output layer's bias as the forward pass adds it: with one output,
        # a 0-d view, which NumPy adds to the (n, 1) column at a third of the
        # cost of broadcasting (n, 1) + (1,).
        self._output_bias = (
            self._intercept_views[-1].reshape(())
            if self.layer_sizes[-1] == 1
            else self._intercept_views[-1]
        )
        # 0-d array: ufuncs take it faster than a Python float.
        self._l2_array = np.zeros((), dtype=self.dtype)
        self._l2_value = 0.0  # the value in _l2_array
        self._workspaces = {}

        rng = check_random_state(random_state)
        coefs, intercepts = initialize_layers(
            self.layer_sizes, self.init, self.activation, self.init_scale, rng
        )
        # Cast after drawing (as scikit-learn does), so float32 networks see
        # the same random numbers as float64 ones.
        for view, value in zip(self._coef_views + self._intercept_views, coefs + intercepts):
            view[...] = value

    # ------------------------------------------------------------------
    # Parameters
    # ------------------------------------------------------------------

    @property
    def n_layers(self):
        return len(self.layer_sizes)

    @property
    def n_outputs(self):
        return self.layer_sizes[-1]

    @property
    def coefs(self):
        return _ParameterList(self._coef_views, "coefs")

    @coefs.setter
    def coefs(self, values):
        self._set_all(self._coef_views, values, "coefs")

    @property
    def intercepts(self):
        return _ParameterList(self._intercept_views, "intercepts")

    @intercepts.setter
    def intercepts(self, values):
        self._set_all(self._intercept_views, values, "intercepts")

    def _set_all(self, views, values, argument):
        values = list(values)
        if len(values) != len(views):
            raise ValueError(
                f"{argument} must be a list of {len(views)} arrays (one per "
                f"layer); got {len(values)}."
            )
        for index, (view, value) in enumerate(zip(views, values)):
            _copy_checked(view, value, f"{argument}[{index}]")

    @property
    def coef_values(self):
        """All weights (not biases) as one flat view: ``params[:n_weights]``."""
        return self._coef_flat

    # ------------------------------------------------------------------
    # Input checks for the public methods
    # ------------------------------------------------------------------

    def _check_X(self, X, argument="X"):
        return check_matrix(
            X, argument, n_columns=self.layer_sizes[0], dtype=self.dtype, accept_sparse=True
        )

    def _check_Y(self, Y, n_samples, argument="Y"):
        Y = np.asarray(Y) if not sp.issparse(Y) else Y
        if getattr(Y, "ndim", None) == 1 and self.n_outputs == 1:
            Y = Y.reshape(-1, 1)
        Y = check_matrix(Y, argument, n_columns=self.n_outputs, dtype=self.dtype)
        if Y.shape[0] != n_samples:
            raise ValueError(
                f"X and {argument} must have the same number of rows; got "
                f"{n_samples} and {Y.shape[0]}."
            )
        return Y

    def _check_masks(self, dropout_masks, n_samples):
        if dropout_masks is None:
            return None
        masks = list(dropout_masks)
        hidden_sizes = self.layer_sizes[1:-1]
        if len(masks) != len(hidden_sizes):
            raise ValueError(
                f"dropout_masks must hold one array per hidden layer "
                f"({len(hidden_sizes)}); got {len(masks)}."
            )
        checked = []
        for index, (mask, units) in enumerate(zip(masks, hidden_sizes)):
            mask = check_matrix(mask, f"dropout_masks[{index}]", n_columns=units, dtype=self.dtype)
            if mask.shape[0] != n_samples:
                raise ValueError(
                    f"dropout_masks[{index}] must have {n_samples} rows; got {mask.shape[0]}."
                )
            checked.append(mask)
        return checked

    # ------------------------------------------------------------------
    # Forward pass
    # ------------------------------------------------------------------

    def forward(self, X, dropout_masks=None):
        """Return the output layer's activations ``a_last`` for inputs ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_inputs)
            Inputs.
        dropout_masks : list of ndarray of shape (n_samples, n_units), optional
            One multiplier per hidden unit and sample (for inverted dropout:
            0 for a dropped unit, ``1 / (1 - p)`` for a kept one), applied
            to each hidden layer's activations. ``None`` (prediction) applies
            no dropout.

        Returns
        -------
        ndarray of shape (n_samples, n_outputs)
        """
        X = self._check_X(X)
        masks = self._check_masks(dropout_masks, X.shape[0])
        if masks is None:
            return self.predict_output(X)
        workspace = _Workspace(self, X.shape[0], True)
        self.forward_into(X, workspace, masks)
        return workspace.activations[-1].copy()

    def predict_output(self, X):
        """Forward pass without checks or dropout, one layer alive at a time.

        ``X`` must already be a valid 2-D float array (or sparse matrix).
        Holding only the current layer keeps peak memory low on large ``X``.
        """
        return forward_pass(
            X, self._coef_views, self._intercept_views, self._hidden, self._output_activation
        )

    def forward_into(self, X, workspace, dropout_masks=None, output=None):
        """Forward pass storing every layer's activations in ``workspace``.

        ``output``, if given, receives the output layer's activations instead
        of ``workspace.activations[-1]`` (the estimators' training loop
        collects many batches' outputs in one array). Returns that array.
        """
        hidden = self._hidden.apply_inplace
        layer_input = X
        for index, (coef, intercept, z, product) in enumerate(workspace.hidden_layers):
            if index == 0 and type(X) is not np.ndarray:
                z[...] = X @ coef  # sparse input
            else:
                product(layer_input, coef, z)
            _add(z, intercept, z)
            hidden(z)
            if dropout_masks is None:
                layer_input = z
            else:
                layer_input = _multiply(z, dropout_masks[index], workspace.dropped[index])

        if output is None:
            output = workspace.activations[-1]
        coef = self._coef_views[-1]
        if type(layer_input) is not np.ndarray:
            output[...] = layer_input @ coef  # sparse input, no hidden layer
        else:
            workspace.output_product(layer_input, coef, output)
        _add(output, self._output_bias, output)
        if self.output == "softmax":
            _softmax_inplace(output, workspace.row_scratch)
        else:
            self._output_activation.apply_inplace(output)
        return output

    # ------------------------------------------------------------------
    # Loss and back-propagation
    # ------------------------------------------------------------------

    def workspace(self, n_rows, with_dropout=False):
        """Return (and cache) the work arrays for passes over ``n_rows`` rows."""
        key = (n_rows, with_dropout)
        workspace = self._workspaces.get(key)
        if workspace is None:
            if len(self._workspaces) >= 4:
                # Callers use one or two batch sizes; never hoard memory.
                self._workspaces.pop(next(iter(self._workspaces)))
            workspace = _Workspace(self, n_rows, with_dropout)
            self._workspaces[key] = workspace
        return workspace

    def penalty(self, l1=0.0, l2=0.0):
        """Return ``l2/2 * sum(W**2) + l1 * sum(|W|)`` over all weights."""
        return penalty(self._coef_flat, l1, l2)

    def data_loss(self, Y, output, sample_weight=None):
        """Return the canonical loss ``L(Y, output)`` of the output layer."""
        return self._loss(Y, output, sample_weight)

    def backprop(
        self,
        X,
        Y,
        workspace,
        l1=0.0,
        l2=0.0,
        sample_weight=None,
        dropout_masks=None,
        data_loss_scale=1.0,
        hard_targets=False,
        compute_loss=True,
        output=None,
    ):
        """Forward and backward pass; fill :attr:`grads`, return the loss ``J``.

        No argument checks: this is the training loop's inner step. ``X``,
        ``Y`` (2-D, ``dtype``), ``workspace`` (from :meth:`workspace`, with
        ``n_rows == len(X)``) and the masks must be consistent.

        Returns
        -------
        loss : float
            ``c L(Y, a_last) + (l2/2 sum W^2 + l1 sum |W|) / n``, with ``n``
            the number of rows (or the sum of ``sample_weight``) and ``c`` =
            ``data_loss_scale``. ``c`` only changes the reported value, not
            the gradients: the estimators pass ``1 / n_outputs`` for squared
            error to report scikit-learn's averaged-over-outputs loss.
            ``hard_targets=True`` promises 0/1 targets, which lets the
            binary cross-entropy take its allocation-free path. With
            ``compute_loss=False`` the loss is not computed (None is
            returned): the estimators compute it for many batches at once.
            ``output`` is passed on to :meth:`forward_into`.
        """
        output = self.forward_into(X, workspace, dropout_masks, output)
        last = self._last
        deltas = workspace.deltas

        # delta_last = a_last - Y holds for every canonical (output, loss) pair.
        residual = _subtract(output, Y, deltas[last])
        n_effective = X.shape[0] if sample_weight is None else sample_weight.sum()
        if not compute_loss:
            loss = None
        elif (
            sample_weight is None
            and self._loss_terms is not None
            and (hard_targets or self.output != "logistic")
        ):
            terms_into, factor = self._loss_terms
            terms, scratch, column_scratch = workspace.loss_arrays()
            terms = terms_into(Y, output, terms, scratch)
            loss = factor * sum_of_column_means(terms, column_scratch)
        else:
            loss = self._loss(Y, output, sample_weight)
        if loss is not None:
            if data_loss_scale != 1.0:
                loss *= data_loss_scale
            if l1 or l2:
                loss += penalty(self._coef_flat, l1, l2) / n_effective
        if sample_weight is not None:
            residual *= sample_weight[:, np.newaxis]

        # Hidden layers, last to first: gradients of layer l from delta_l,
        # then delta_{l-1} = (delta_l W_l^T) * f'(z_{l-1}).
        derivative = self._hidden.derivative_inplace
        if dropout_masks is None:
            for (
                layer_input_T,
                delta,
                coef_grad,
                delta_rows,
                intercept_grad,
                coef_T,
                previous,
                previous_activations,
                scratch,
                product,
            ) in workspace.backward_layers:
                product(layer_input_T, delta, coef_grad)
                _sum_rows(delta_rows, 0, None, intercept_grad)
                product(delta, coef_T, previous)
                derivative(previous_activations, previous, scratch)
        else:
            for index, (
                _,
                delta,
                coef_grad,
                delta_rows,
                intercept_grad,
                coef_T,
                previous,
                previous_activations,
                scratch,
                product,
            ) in zip(range(last, 0, -1), workspace.backward_layers):
                product(workspace.dropped_T[index - 1], delta, coef_grad)
                _sum_rows(delta_rows, 0, None, intercept_grad)
                product(delta, coef_T, previous)
                previous *= dropout_masks[index - 1]
                # The derivative uses the activations *before* dropout.
                derivative(previous_activations, previous, scratch)
        # First layer: its input is X (possibly sparse).
        if type(X) is np.ndarray:
            workspace.first_grad_product(X.T, deltas[0], self._coef_grad_views[0])
        else:
            self._coef_grad_views[0][...] = X.T @ deltas[0]
        delta_rows, intercept_grad = workspace.first_row_sum
        _sum_rows(delta_rows, 0, None, intercept_grad)

        # Penalty gradient on the weights, then divide everything by n (in
        # scikit-learn's order: (a^T delta + l2 W) / n).
        if l1:
            add_penalty_gradient(
                self._coef_flat, self._coef_grad_flat, l1, l2, scratch=self._penalty_scratch
            )
        elif l2:  # the common case, inlined: grad += l2 * W
            if self._l2_value != l2:
                self._l2_array[()] = self._l2_value = l2
            _add(
                self._coef_grad_flat,
                _multiply(self._coef_flat, self._l2_array, self._penalty_scratch),
                self._coef_grad_flat,
            )
        _divide(
            self.grads, workspace.n_rows_array if sample_weight is None else n_effective, self.grads
        )
        return loss

    def training_pass(self, workspace, l2=0.0):
        """Return a leaner :meth:`backprop` for the estimators' usual batches.

        ``training_pass(workspace, l2)(X, Y, output)`` fills :attr:`grads`
        exactly as ``backprop(X, Y, workspace, 0.0, l2, compute_loss=False,
        output=output)`` does: the same NumPy operations on the same arrays
        in the same order, hence the same numbers. It is for the common case
        only - dense ``X`` (an ndarray), no dropout, no sample weights, no
        l1 penalty, ``output`` given - which lets it drop :meth:`backprop`'s
        checks and argument handling; a mini-batch of a small network costs
        a few microseconds, so these matter. The arrays it touches are
        looked up once here, and the most common activations (ReLU hidden
        units, logistic output) are called as the NumPy or SciPy functions
        their in-place forms call, without the extra Python call.

        Parameters
        ----------
        workspace : _Workspace
            From :meth:`workspace` (without dropout); every batch passed to
            the returned function must have ``workspace.n_rows`` rows.
        l2 : float, default=0.0
            L2 penalty strength.

        Returns
        -------
        callable
            ``train_batch(X, Y, output)``, returning None. ``output``, of
            shape ``(n_rows, n_outputs)``, receives the output layer's
            activations.
        """
        hidden = self._hidden
        relu = (
            hidden.apply_inplace is _relu_inplace
            and hidden.derivative_inplace is _relu_derivative_inplace
        )
        output_activation = self._output_activation.apply_inplace
        # Everything the pass uses, in one tuple unpacked at each call: as
        # fast as separate closure variables, and a kilobyte smaller (which
        # shows in the peak memory of a fit on small data).
        constants = (
            relu,
            hidden.apply_inplace,
            hidden.derivative_inplace,
            output_activation,
            output_activation is _logistic_inplace,
            self.output == "softmax",
            workspace.row_scratch,
            workspace.hidden_layers,
            workspace.backward_layers,
            workspace.hidden_flat,
            workspace.scratch_flat,
            workspace.output_product,
            self._coef_views[-1],
            self._output_bias,
            workspace.deltas[-1],
            workspace.first_grad_product,
            workspace.deltas[0],
            self._coef_grad_views[0],
            *workspace.first_row_sum,
            self._coef_flat,
            self._coef_grad_flat,
            self._penalty_scratch,
            l2,
            np.array(l2, dtype=self.dtype),  # as backprop's _l2_array
            self.grads,
            workspace.n_rows_array,
        )

        def train_batch(X, Y, output):
            (
                relu,
                activate,
                derivative,
                output_activation,
                logistic_output,
                softmax_output,
                row_scratch,
                hidden_layers,
                backward_layers,
                hidden_flat,
                scratch_flat,
                output_product,
                output_coef,
                output_bias,
                last_delta,
                first_grad_product,
                first_delta,
                first_coef_grad,
                first_delta_rows,
                first_intercept_grad,
                coef_flat,
                coef_grad_flat,
                penalty_scratch,
                l2,
                l2_array,
                grads,
                n_rows_array,
            ) = constants
            # Forward pass (forward_into).
            layer_input = X
            for coef, intercept, z, product in hidden_layers:
                product(layer_input, coef, z)
                _add(z, intercept, z)
                if relu:
                    _maximum(z, _ZERO, z)  # _relu_inplace
                else:
                    activate(z)
                layer_input = z
            output_product(layer_input, output_coef, output)
            _add(output, output_bias, output)
            if logistic_output:
                expit(output, output)  # _logistic_inplace
            elif softmax_output:
                _softmax_inplace(output, row_scratch)
            else:
                output_activation(output)

            # Backward pass (backprop), delta_last = a_last - Y.
            _subtract(output, Y, last_delta)
            if relu:
                # f'(z) = sign(a) (_relu_derivative_inplace) of every hidden
                # layer at once; the activations do not change from here on.
                _sign(hidden_flat, scratch_flat)
            for (
                layer_input_T,
                delta,
                coef_grad,
                delta_rows,
                intercept_grad,
                coef_T,
                previous,
                previous_activations,
                scratch,
                product,
            ) in backward_layers:
                product(layer_input_T, delta, coef_grad)
                _sum_rows(delta_rows, 0, None, intercept_grad)
                product(delta, coef_T, previous)
                if relu:
                    _multiply(previous, scratch, previous)
                else:
                    derivative(previous_activations, previous, scratch)
            first_grad_product(X.T, first_delta, first_coef_grad)
            _sum_rows(first_delta_rows, 0, None, first_intercept_grad)
            if l2:
                _add(
                    coef_grad_flat, _multiply(coef_flat, l2_array, penalty_scratch), coef_grad_flat
                )
            _divide(grads, n_rows_array, grads)

        return train_batch

    def loss_and_gradients(self, X, Y, l1=0.0, l2=0.0, sample_weight=None, dropout_masks=None):
        """Return the training loss and its gradients at the current parameters.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_inputs)
            Inputs.
        Y : array-like of shape (n_samples, n_outputs)
            Targets (one-hot rows for softmax, 0/1 for logistic).
        l1, l2 : float, default=0.0
            Penalty strengths (``l2`` is scikit-learn's ``alpha``).
        sample_weight : array-like of shape (n_samples,), optional
            Per-sample weights; ``n`` becomes their sum.
        dropout_masks : list of ndarray, optional
            Fixed dropout multipliers per hidden layer (see :meth:`forward`).

        Returns
        -------
        loss : float
            ``J = L(Y, a_last) + (l2/2 sum W^2 + l1 sum |W|) / n``, with ``L``
            scikit-learn's data loss: for the identity output ``L`` is half the
            squared error averaged over samples *and* outputs (its
            ``squared_loss``); the cross-entropies are averaged over samples
            and summed over outputs, as scikit-learn's are.
        coef_grads : list of ndarray of shape (n_in, n_out)
            ``dJ/dW_l = (a_{l-1}^T delta_l / K + l2 W_l + l1 sign(W_l)) / n``.
        intercept_grads : list of ndarray of shape (n_out,)
            ``dJ/db_l = sum_i delta_{l,i} / (K n)``.

            ``K`` is the number of outputs for the identity output and 1
            otherwise: back-propagation's ``delta = a_last - Y`` is the gradient
            of the squared error *summed* over outputs, so with ``K`` outputs
            the gradient of the averaged loss is ``1/K`` of it. (scikit-learn
            trains with the summed form's gradient while it reports the
            average; the estimators here do the same, through
            :meth:`backprop`.)
        """
        X = self._check_X(X)
        Y = self._check_Y(Y, X.shape[0])
        l1 = check_scalar(l1, "l1", low=0)
        l2 = check_scalar(l2, "l2", low=0)
        sample_weight = check_sample_weight(sample_weight, X.shape[0], self.dtype)
        masks = self._check_masks(dropout_masks, X.shape[0])
        workspace = self.workspace(X.shape[0], masks is not None)
        outputs_averaged = self.n_outputs if self.output == "identity" else 1
        if outputs_averaged == 1:
            loss = self.backprop(X, Y, workspace, l1, l2, sample_weight, masks)
        else:
            # Data part alone, scaled to the averaged loss; then the penalty, which
            # is not averaged over outputs.
            loss = self.backprop(X, Y, workspace, 0.0, 0.0, sample_weight, masks) / outputs_averaged
            self.grads /= outputs_averaged
            if l1 or l2:
                n_effective = X.shape[0] if sample_weight is None else sample_weight.sum()
                loss += penalty(self._coef_flat, l1, l2) / n_effective
                penalty_grad = add_penalty_gradient(
                    self._coef_flat, np.zeros_like(self._coef_flat), l1, l2
                )
                self._coef_grad_flat += penalty_grad / n_effective
        return (
            float(loss),
            [g.copy() for g in self._coef_grad_views],
            [g.copy() for g in self._intercept_grad_views],
        )

    def __repr__(self):
        return (
            f"Network(layer_sizes={self.layer_sizes}, activation={self.activation!r}, "
            f"output={self.output!r}, init={self.init!r})"
        )
