"""The training loop's fast path: the same arithmetic as :mod:`~widgets.engine.network`.

:class:`~widgets.engine.network.Network` is written to be read: one forward pass,
one back-propagation, each step a line of NumPy. Training a small network that way
spends most of its time in Python rather than in arithmetic (a mini-batch of a
playground-sized network costs a few microseconds), so the estimators train through
this module instead. :class:`FastPath` does **the same NumPy operations in the same
order** as the readable network, hence gives bit-identical gradients and weights
(``tests/engine/test_lean_paths.py`` proves it), with these tricks:

- every array a pass writes is allocated once per batch length (a
  :class:`_Workspace`) and filled with ``out=`` arguments;
- ufuncs are bound once and called with positional ``out`` arguments, and small
  matrix products go to ``np.dot`` (whose call costs half as much as ``@``; on
  the same operands it runs the same BLAS routine, so the same numbers);
- :meth:`FastPath.training_pass` handles the common case (dense inputs, no
  dropout, sample weights or l1) with everything looked up once, and calls the
  ReLU and logistic functions directly (``sign(a)`` of all hidden layers at once).

Nothing here is for learners to read; it is the price of a ≥5× speed-up over
scikit-learn on the Playground-sized networks of the course.
"""

import numpy as np
from scipy.special import expit

from .activations import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from .losses import LOSS_FOR_OUTPUT, LOSS_TERMS_FOR_OUTPUT, sum_of_column_means
from .regularizers import add_penalty_gradient, penalty

__all__ = ["FastPath", "forward_pass"]

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
_ZERO = np.zeros(())  # 0-d: ufuncs take it faster than a Python 0.0

#: Products with more multiply-adds than this use np.matmul (the readable
#: network's ``@``, which hands large products to BLAS most efficiently);
#: smaller ones use np.dot, whose call costs half as much. Both give the same
#: numbers as ``@`` (checked by tests/engine/test_lean_paths.py).
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


def _split_rows(flat, n_rows, widths):
    """Consecutive ``(n_rows, width)`` views of ``flat``, one per width."""
    views, start = [], 0
    for width in widths:
        views.append(flat[start : start + n_rows * width].reshape(n_rows, width))
        start += n_rows * width
    return views


def forward_pass(X, coefs, intercepts, hidden_activation, output_activation):
    """Return the output of the network with the given parameters.

    The readable network's forward pass without dropout, keeping only the
    current layer's values alive, which keeps prediction on large ``X`` lean.

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

    def __init__(self, fast, n_rows, with_dropout):
        layer_sizes, dtype = fast.network.layer_sizes, fast.network.dtype
        self.n_rows = n_rows
        self.n_rows_array = np.array(float(n_rows), dtype=dtype)
        # The hidden layers' activations are consecutive pieces of one
        # buffer, and so are their work arrays for the derivatives: the
        # training pass computes the ReLU derivative of every hidden layer
        # with one call on the whole buffer.
        hidden_sizes = layer_sizes[1:-1]
        self.hidden_flat = np.empty(n_rows * sum(hidden_sizes), dtype)
        self.scratch_flat = np.empty_like(self.hidden_flat)
        self.activations = _split_rows(self.hidden_flat, n_rows, hidden_sizes) + [
            np.empty((n_rows, layer_sizes[-1]), dtype)
        ]
        self.scratch = _split_rows(self.scratch_flat, n_rows, hidden_sizes)
        self.deltas = [np.empty_like(a) for a in self.activations]
        self.row_scratch = np.empty((n_rows, 1), dtype)  # for the softmax
        self.loss_arrays = None  # (terms, scratch, column_scratch), made on first use
        self.dropped = [np.empty_like(a) for a in self.activations[:-1]] if with_dropout else None
        # Transposed views, made once rather than at every step.
        activations_T = [a.T for a in self.activations]
        self.dropped_T = [d.T for d in self.dropped] if with_dropout else None
        # What each layer's step touches, bundled once so that the passes
        # iterate over ready-made tuples.
        fan = list(zip(layer_sizes[:-1], layer_sizes[1:]))
        self.hidden_layers = [
            (
                fast.coefs[index],
                fast.intercepts[index],
                self.activations[index],
                _product_function(n_rows, *fan[index]),
            )
            for index in range(len(fan) - 1)
        ]
        self.output_product = _product_function(n_rows, *fan[-1])
        self.backward_layers = [
            (
                activations_T[index - 1],
                self.deltas[index],
                fast.coef_grads[index],
                *_row_sum_operands(self.deltas[index], fast.intercept_grads[index]),
                fast.coefs_T[index],
                self.deltas[index - 1],
                self.activations[index - 1],
                self.scratch[index - 1],
                _product_function(n_rows, *fan[index]),
            )
            for index in range(len(fan) - 1, 0, -1)
        ]
        self.first_grad_product = _product_function(n_rows, *fan[0])
        self.first_row_sum = _row_sum_operands(self.deltas[0], fast.intercept_grads[0])

    def get_loss_arrays(self):
        """Work arrays of the allocation-free loss: ``(terms, scratch, column_scratch)``.

        Made on first use: the estimators' trainer computes losses per chunk
        of batches and never needs them.
        """
        if self.loss_arrays is None:
            n_rows, n_outputs = self.activations[-1].shape
            dtype = self.activations[-1].dtype
            self.loss_arrays = (
                np.empty((n_rows, n_outputs), dtype),
                np.empty((n_rows, n_outputs), dtype),
                np.empty(n_outputs, dtype),
            )
        return self.loss_arrays


class FastPath:
    """Training passes over a :class:`~widgets.engine.network.Network`, fast.

    They read the network's parameters and write its gradient through its
    public flat vectors ``network.params`` and ``network.grads`` (and the
    per-layer views of them), exactly where the readable
    ``Network.loss_and_gradients`` reads and writes them.

    Parameters
    ----------
    network : Network
    """

    def __init__(self, network):
        self.network = network
        dtype = network.dtype
        self.hidden = HIDDEN_ACTIVATIONS[network.activation]
        self.output_activation = OUTPUT_ACTIVATIONS[network.output]
        self.loss = LOSS_FOR_OUTPUT[network.output]
        self.loss_terms = LOSS_TERMS_FOR_OUTPUT[network.output]
        self.softmax_output = network.output == "softmax"
        self.coefs = list(network.coefs)
        self.intercepts = list(network.intercepts)
        self.coefs_T = [c.T for c in self.coefs]
        self.coef_grads = list(network.coef_grads)
        self.intercept_grads = list(network.intercept_grads)
        self.coef_values = network.coef_values
        self.coef_grad_values = network.grads[: self.coef_values.size]
        self.penalty_scratch = np.empty(self.coef_values.size, dtype=dtype)
        # The output layer's bias as the forward pass adds it: with one output,
        # a 0-d view, which NumPy adds to the (n, 1) column at a third of the
        # cost of broadcasting (n, 1) + (1,).
        last_bias = self.intercepts[-1]
        self.output_bias = last_bias.reshape(()) if last_bias.size == 1 else last_bias
        # 0-d array: ufuncs take it faster than a Python float.
        self.l2_array = np.zeros((), dtype=dtype)
        self.l2_value = 0.0  # the value in l2_array
        self.workspaces = {}

    def workspace(self, n_rows, with_dropout=False):
        """Return (and cache) the work arrays for passes over ``n_rows`` rows."""
        key = (n_rows, with_dropout)
        workspace = self.workspaces.get(key)
        if workspace is None:
            if len(self.workspaces) >= 4:
                # Callers use one or two batch sizes; never hoard memory.
                self.workspaces.pop(next(iter(self.workspaces)))
            workspace = _Workspace(self, n_rows, with_dropout)
            self.workspaces[key] = workspace
        return workspace

    def forward_into(self, X, workspace, dropout_masks=None, output=None):
        """Forward pass storing every layer's activations in ``workspace``.

        ``output``, if given, receives the output layer's activations instead
        of ``workspace.activations[-1]`` (the estimators' training loop
        collects many batches' outputs in one array). Returns that array.
        """
        hidden = self.hidden.apply_inplace
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
        coef = self.coefs[-1]
        if type(layer_input) is not np.ndarray:
            output[...] = layer_input @ coef  # sparse input, no hidden layer
        else:
            workspace.output_product(layer_input, coef, output)
        _add(output, self.output_bias, output)
        if self.softmax_output:
            self.output_activation.apply_inplace(output, workspace.row_scratch)
        else:
            self.output_activation.apply_inplace(output)
        return output

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
        """Forward and backward pass; fill ``network.grads``, return the loss ``J``.

        No argument checks: this is the training loop's inner step. ``X``,
        ``Y`` (2-D, the network's dtype), ``workspace`` (from :meth:`workspace`,
        with ``n_rows == len(X)``) and the masks must be consistent.

        Returns
        -------
        loss : float or None
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
        deltas = workspace.deltas

        # delta_last = a_last - Y holds for every canonical (output, loss) pair.
        residual = _subtract(output, Y, deltas[-1])
        n_effective = X.shape[0] if sample_weight is None else sample_weight.sum()
        if not compute_loss:
            loss = None
        elif (
            sample_weight is None
            and self.loss_terms is not None
            and (hard_targets or self.network.output != "logistic")
        ):
            terms_into, factor = self.loss_terms
            terms, scratch, column_scratch = workspace.get_loss_arrays()
            terms = terms_into(Y, output, terms, scratch)
            loss = factor * sum_of_column_means(terms, column_scratch)
        else:
            loss = self.loss(Y, output, sample_weight)
        if loss is not None:
            if data_loss_scale != 1.0:
                loss *= data_loss_scale
            if l1 or l2:
                loss += penalty(self.coef_values, l1, l2) / n_effective
        if sample_weight is not None:
            residual *= sample_weight[:, np.newaxis]

        # Hidden layers, last to first: gradients of layer l from delta_l,
        # then delta_{l-1} = (delta_l W_l^T) * f'(z_{l-1}).
        derivative = self.hidden.derivative_inplace
        last = len(deltas) - 1
        for index, (
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
        ) in zip(range(last, 0, -1), workspace.backward_layers):
            if dropout_masks is not None:
                layer_input_T = workspace.dropped_T[index - 1]
            product(layer_input_T, delta, coef_grad)
            _sum_rows(delta_rows, 0, None, intercept_grad)
            product(delta, coef_T, previous)
            if dropout_masks is not None:
                previous *= dropout_masks[index - 1]
            # The derivative uses the activations *before* dropout.
            derivative(previous_activations, previous, scratch)
        # First layer: its input is X (possibly sparse).
        if type(X) is np.ndarray:
            workspace.first_grad_product(X.T, deltas[0], self.coef_grads[0])
        else:
            self.coef_grads[0][...] = X.T @ deltas[0]
        delta_rows, intercept_grad = workspace.first_row_sum
        _sum_rows(delta_rows, 0, None, intercept_grad)

        # Penalty gradient on the weights, then divide everything by n (in
        # scikit-learn's order: (a^T delta + l2 W) / n).
        if l1:
            add_penalty_gradient(
                self.coef_values, self.coef_grad_values, l1, l2, scratch=self.penalty_scratch
            )
        elif l2:  # the common case, inlined: grad += l2 * W
            if self.l2_value != l2:
                self.l2_array[()] = self.l2_value = l2
            _add(
                self.coef_grad_values,
                _multiply(self.coef_values, self.l2_array, self.penalty_scratch),
                self.coef_grad_values,
            )
        grads = self.network.grads
        _divide(grads, workspace.n_rows_array if sample_weight is None else n_effective, grads)
        return loss

    def training_pass(self, workspace, l2=0.0):
        """Return a leaner :meth:`backprop` for the estimators' usual batches.

        ``training_pass(workspace, l2)(X, Y, output)`` fills ``network.grads``
        exactly as ``backprop(X, Y, workspace, 0.0, l2, compute_loss=False,
        output=output)`` does: the same NumPy operations on the same arrays
        in the same order, hence the same numbers. It is for the common case
        only - dense ``X`` (an ndarray), no dropout, no sample weights, no
        l1 penalty, ``output`` given - which lets it drop :meth:`backprop`'s
        argument handling; a mini-batch of a small network costs a few
        microseconds, so these matter. The arrays it touches are looked up
        once here, and the most common activations (ReLU hidden units,
        logistic output) are called as the NumPy or SciPy functions their
        in-place forms call, without the extra Python call.

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
        hidden = self.hidden
        output_activation = self.output_activation
        # Everything the pass uses, in one tuple unpacked at each call: as
        # fast as separate closure variables, and a kilobyte smaller (which
        # shows in the peak memory of a fit on small data).
        constants = (
            hidden.name == "relu",
            hidden.apply_inplace,
            hidden.derivative_inplace,
            output_activation.apply_inplace,
            output_activation.name == "logistic",
            self.softmax_output,
            workspace.row_scratch,
            workspace.hidden_layers,
            workspace.backward_layers,
            workspace.hidden_flat,
            workspace.scratch_flat,
            workspace.output_product,
            self.coefs[-1],
            self.output_bias,
            workspace.deltas[-1],
            workspace.first_grad_product,
            workspace.deltas[0],
            self.coef_grads[0],
            *workspace.first_row_sum,
            self.coef_values,
            self.coef_grad_values,
            self.penalty_scratch,
            l2,
            np.array(l2, dtype=self.network.dtype),  # as backprop's l2_array
            self.network.grads,
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
                coef_values,
                coef_grad_values,
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
                    _maximum(z, _ZERO, z)  # the ReLU's apply_inplace
                else:
                    activate(z)
                layer_input = z
            output_product(layer_input, output_coef, output)
            _add(output, output_bias, output)
            if logistic_output:
                expit(output, output)  # the logistic's apply_inplace
            elif softmax_output:
                output_activation(output, row_scratch)
            else:
                output_activation(output)

            # Backward pass (backprop), delta_last = a_last - Y.
            _subtract(output, Y, last_delta)
            if relu:
                # f'(z) = sign(a) (the ReLU's derivative_inplace) of every
                # hidden layer at once; the activations do not change from here on.
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
                    coef_grad_values,
                    _multiply(coef_values, l2_array, penalty_scratch),
                    coef_grad_values,
                )
            _divide(grads, n_rows_array, grads)

        return train_batch
