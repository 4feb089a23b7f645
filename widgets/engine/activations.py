"""Activation functions and their derivatives.

Every activation is available in two forms:

* a plain function (``relu(z)``, ``softmax(z)``, ...) that returns a new
  array; chapters call these to show worked examples;
* an :class:`Activation` record holding an *in-place* forward function and
  an *in-place* derivative; the network uses these so that a training step
  allocates no new arrays.

The derivatives are written in terms of the activation's **output**
``a = f(z)`` rather than its input ``z``: the forward pass already stores
``a``, and for every function here ``f'(z)`` is a simple function of ``a``.
This is the same design as scikit-learn's ``neural_network._base``, and the
arithmetic is done in the same order so that results agree bit for bit.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.special import expit

from .validation import check_choice

#: Slope of the leaky ReLU for negative inputs.
LEAKY_RELU_SLOPE = 0.01

# 0-d arrays skip the Python-scalar conversion in ufunc calls (hot path).
_ZERO = np.zeros(())
_ONE = np.ones(())
_LEAKY_SLOPE = np.full((), LEAKY_RELU_SLOPE)


# ---------------------------------------------------------------------------
# In-place forward functions: overwrite ``z`` with ``f(z)``.
# ---------------------------------------------------------------------------


def _identity_inplace(z):
    """f(z) = z: nothing to do."""


def _logistic_inplace(z):
    """f(z) = 1 / (1 + exp(-z)), computed by scipy's overflow-safe ``expit``."""
    expit(z, out=z)


def _tanh_inplace(z):
    """f(z) = tanh(z)."""
    np.tanh(z, out=z)


def _relu_inplace(z):
    """f(z) = max(z, 0)."""
    np.maximum(z, _ZERO, out=z)


def _leaky_relu_inplace(z):
    """f(z) = z if z > 0 else 0.01 z.

    Because the slope is below one, ``max(z, 0.01 z)`` is exactly that.
    """
    np.maximum(z, LEAKY_RELU_SLOPE * z, out=z)


def _exp_inplace(z):
    """f(z) = exp(z) (output of a Poisson regression)."""
    np.exp(z, out=z)


def _softmax_inplace(z, row_scratch=None):
    """f(z)_k = exp(z_k - max_j z_j) / sum_j exp(z_j - max_j z_j), row-wise.

    Subtracting the row maximum leaves the result unchanged mathematically
    and keeps ``exp`` from overflowing. ``row_scratch``, of shape
    ``(n_rows, 1)``, avoids allocating the row statistics.
    """
    if row_scratch is None:
        row_scratch = np.empty((z.shape[0], 1), z.dtype)
    np.maximum.reduce(z, axis=1, keepdims=True, out=row_scratch)
    np.subtract(z, row_scratch, out=z)
    np.exp(z, out=z)
    np.add.reduce(z, axis=1, keepdims=True, out=row_scratch)
    z /= row_scratch


# ---------------------------------------------------------------------------
# In-place derivatives: multiply the back-propagated ``delta`` by f'(z),
# where f'(z) is expressed through the stored output ``a = f(z)``.
# ``scratch`` is a work array of the same shape (the training loop passes a
# preallocated one so that no step allocates memory).
# ---------------------------------------------------------------------------


def _identity_derivative_inplace(a, delta, scratch=None):
    """f'(z) = 1: nothing to do."""


def _logistic_derivative_inplace(a, delta, scratch=None):
    """f'(z) = a (1 - a)."""
    if scratch is None:
        # ``1 - a`` in a's dtype (float32 stays float32), as scikit-learn rounds it.
        scratch = np.empty_like(a)
    delta *= a
    delta *= np.subtract(_ONE, a, out=scratch)


def _tanh_derivative_inplace(a, delta, scratch=None):
    """f'(z) = 1 - a**2."""
    squared = np.multiply(a, a, out=scratch)
    delta *= np.subtract(_ONE, squared, out=squared)


def _relu_derivative_inplace(a, delta, scratch=None):
    """f'(z) = 1 if a > 0 else 0 (the value at z = 0 is taken to be 0).

    ReLU outputs are >= 0, so ``sign(a)`` is exactly this 0/1 derivative.
    """
    delta *= np.sign(a, out=scratch)


def _leaky_relu_derivative_inplace(a, delta, scratch=None):
    """f'(z) = 1 if a > 0 else 0.01 (a and z have the same sign).

    ``max(sign(a), 0.01)`` maps a > 0 to 1 and a <= 0 to 0.01.
    """
    slope = np.sign(a, out=scratch)
    delta *= np.maximum(slope, _LEAKY_SLOPE, out=slope)


@dataclass(frozen=True)
class Activation:
    """An activation function in the two forms the network needs.

    Attributes
    ----------
    name : str
        Name used in constructor arguments (``"relu"``, ...).
    apply_inplace : callable
        ``apply_inplace(z)`` overwrites ``z`` with ``f(z)``.
    derivative_inplace : callable or None
        ``derivative_inplace(a, delta, scratch=None)`` multiplies ``delta``
        element-wise by ``f'(z)`` given the output ``a = f(z)``. ``None`` for output-only
        activations (softmax, exp), whose derivative is folded into the
        matching loss (see :mod:`widgets.engine.losses`).
    """

    name: str
    apply_inplace: Callable
    derivative_inplace: Callable | None

    def __call__(self, z):
        """Return ``f(z)`` as a new float array (``z`` is not modified)."""
        out = np.array(z, dtype=float, copy=True)
        # A 2-D view lets the row-wise softmax treat a single vector as one
        # row; element-wise functions do not care about the shape.
        self.apply_inplace(np.atleast_2d(out))
        return out


HIDDEN_ACTIVATIONS = {
    "identity": Activation("identity", _identity_inplace, _identity_derivative_inplace),
    "logistic": Activation("logistic", _logistic_inplace, _logistic_derivative_inplace),
    "tanh": Activation("tanh", _tanh_inplace, _tanh_derivative_inplace),
    "relu": Activation("relu", _relu_inplace, _relu_derivative_inplace),
    "leaky_relu": Activation("leaky_relu", _leaky_relu_inplace, _leaky_relu_derivative_inplace),
}

#: Output activations. Each is paired with its canonical loss in
#: :data:`widgets.engine.losses.LOSS_FOR_OUTPUT`.
OUTPUT_ACTIVATIONS = {
    "identity": HIDDEN_ACTIVATIONS["identity"],
    "logistic": HIDDEN_ACTIVATIONS["logistic"],
    "softmax": Activation("softmax", _softmax_inplace, None),
    "exp": Activation("exp", _exp_inplace, None),
}


# ---------------------------------------------------------------------------
# Plain functions for chapters and explorers.
# ---------------------------------------------------------------------------


def identity(z):
    """Identity: f(z) = z."""
    return HIDDEN_ACTIVATIONS["identity"](z)


def logistic(z):
    """Logistic sigmoid: f(z) = 1 / (1 + exp(-z))."""
    return HIDDEN_ACTIVATIONS["logistic"](z)


def tanh(z):
    """Hyperbolic tangent: f(z) = (exp(z) - exp(-z)) / (exp(z) + exp(-z))."""
    return HIDDEN_ACTIVATIONS["tanh"](z)


def relu(z):
    """Rectified linear unit: f(z) = max(z, 0)."""
    return HIDDEN_ACTIVATIONS["relu"](z)


def leaky_relu(z):
    """Leaky ReLU: f(z) = z if z > 0 else 0.01 z."""
    return HIDDEN_ACTIVATIONS["leaky_relu"](z)


def softmax(z):
    """Softmax of net values: f(z)_k = exp(z_k) / sum_j exp(z_j).

    Parameters
    ----------
    z : array-like of shape (n_classes,) or (n_samples, n_classes)
        Net values; a 2-D input is normalised row by row.

    Returns
    -------
    ndarray of the same shape as ``z``
        Probabilities that sum to one along the last axis.

    Examples
    --------
    >>> softmax([0, 0.5, 1]).round(3)
    array([0.186, 0.307, 0.506])
    """
    return OUTPUT_ACTIVATIONS["softmax"](z)


def derivative(name, z):
    """Return f'(z) for the hidden activation ``name``.

    Parameters
    ----------
    name : {"identity", "logistic", "tanh", "relu", "leaky_relu"}
    z : array-like
        Net values.

    Returns
    -------
    ndarray
        The derivative evaluated element-wise at ``z``.
    """
    activation = get_hidden_activation(name)
    a = activation(z)
    slope = np.ones_like(a)
    activation.derivative_inplace(a, slope, np.empty_like(a))
    return slope


def get_hidden_activation(name, argument="activation"):
    """Return the :class:`Activation` called ``name`` for hidden layers.

    Raises
    ------
    TypeError, ValueError
        If ``name`` is not one of :data:`HIDDEN_ACTIVATIONS`.
    """
    return HIDDEN_ACTIVATIONS[check_choice(name, HIDDEN_ACTIVATIONS, argument)]


def softmax_with_temperature(z, temperature=1.0):
    """Softmax of net values divided by a temperature: f(z)_k = softmax(z / T)_k.

    .. math:: f(z)_k = \\frac{e^{z_k / T}}{\\sum_j e^{z_j / T}}

    ``T = 1`` is the plain :func:`softmax`; a large ``T`` flattens the
    probabilities towards uniform, a small one sharpens them towards the
    largest logit. Dividing by ``T`` is the same as scaling every logit by
    ``1 / T``; adding one constant to every logit changes nothing.

    Parameters
    ----------
    z : array-like of shape (n_classes,) or (n_samples, n_classes)
        Net values (logits), finite.
    temperature : float, default=1.0
        A positive number.

    Returns
    -------
    ndarray of the same shape as ``z``
        Probabilities that sum to one along the last axis.

    Raises
    ------
    TypeError, ValueError
        For logits that are not finite numbers or a temperature that is not positive.

    Examples
    --------
    >>> softmax_with_temperature([0, 0.5, 1], 2.0).round(3)
    array([0.254, 0.326, 0.419])
    """
    from .validation import as_float_array, check_finite, check_number

    temperature = check_number(temperature, "temperature", low=0, low_inclusive=False)
    values = check_finite(as_float_array(z, "z", "an array of logits"), "z")
    return softmax(values / temperature)


def naive_softmax(z):
    """Softmax written straight from the formula, exp(z_k) / sum_j exp(z_j).

    For teaching only: without subtracting the largest logit first (as
    :func:`softmax` does), ``exp`` overflows to infinity for logits above
    about 709 and the result is NaN. NumPy's overflow warnings are silenced
    so that the NaN itself is what the caller sees.

    Parameters
    ----------
    z : array-like of shape (n_classes,)

    Returns
    -------
    ndarray of shape (n_classes,)
    """
    from .validation import as_float_array

    values = as_float_array(z, "z", "an array of logits")
    with np.errstate(over="ignore", invalid="ignore"):
        exponentials = np.exp(values)
        return exponentials / exponentials.sum(axis=-1, keepdims=True)
