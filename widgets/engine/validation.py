"""Argument checks shared by the network, the optimizers and the estimators.

Every check raises a ``ValueError`` or ``TypeError`` whose message names the
offending argument and says what was expected, so that a learner who passes
something odd reads a sentence about *their* argument rather than a NumPy
traceback from deep inside a matrix product.
"""

from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp


def check_choice(value, options, argument):
    """Return ``value`` if it is one of the strings ``options``.

    Raises
    ------
    TypeError
        If ``value`` is not a string.
    ValueError
        If ``value`` is not one of ``options``.
    """
    options = sorted(options)
    if not isinstance(value, str):
        raise TypeError(
            f"{argument} must be a string, one of {options}; got {value!r} "
            f"of type {type(value).__name__}."
        )
    if value not in options:
        raise ValueError(f"{argument} must be one of {options}; got {value!r}.")
    return value


def check_scalar(
    value, argument, *, low=None, high=None, low_inclusive=True, high_inclusive=True, integer=False
):
    """Return ``value`` as a Python number after checking type and range.

    Parameters
    ----------
    value : object
        The value to check.
    argument : str
        Its name, used in error messages.
    low, high : float or None
        Bounds of the allowed interval (``None`` for unbounded).
    low_inclusive, high_inclusive : bool
        Whether each bound itself is allowed.
    integer : bool
        Require an integer (booleans are refused).
    """
    expected = "an integer" if integer else "a real number"
    kind = Integral if integer else Real
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, kind):
        raise TypeError(
            f"{argument} must be {expected}; got {value!r} of type {type(value).__name__}."
        )
    if not np.isfinite(value):
        raise ValueError(f"{argument} must be finite; got {value!r}.")
    too_low = low is not None and (value < low if low_inclusive else value <= low)
    too_high = high is not None and (value > high if high_inclusive else value >= high)
    if too_low or too_high:
        left = "[" if low_inclusive else "("
        right = "]" if high_inclusive else ")"
        low_text = "-inf" if low is None else low
        high_text = "inf" if high is None else high
        raise ValueError(
            f"{argument} must be in the interval {left}{low_text}, "
            f"{high_text}{right}; got {value!r}."
        )
    return int(value) if integer else float(value)


def check_layer_sizes(layer_sizes, argument="layer_sizes", min_length=2):
    """Return ``layer_sizes`` as a list of positive Python ints.

    Raises
    ------
    TypeError
        If it is not a sequence of integers.
    ValueError
        If an entry is not positive or there are fewer than ``min_length``.
    """
    if isinstance(layer_sizes, (Integral, np.integer)) and not isinstance(layer_sizes, bool):
        layer_sizes = [layer_sizes]
    try:
        sizes = list(layer_sizes)
    except TypeError:
        raise TypeError(
            f"{argument} must be a sequence of positive integers; got {layer_sizes!r}."
        ) from None
    for size in sizes:
        if isinstance(size, (bool, np.bool_)) or not isinstance(size, (Integral, np.integer)):
            raise TypeError(
                f"{argument} must contain positive integers; got {size!r} "
                f"of type {type(size).__name__} in {layer_sizes!r}."
            )
        if size <= 0:
            raise ValueError(
                f"{argument} must contain positive integers; got {size!r} in {layer_sizes!r}."
            )
    if len(sizes) < min_length:
        raise ValueError(
            f"{argument} must have at least {min_length} entries "
            f"(input and output layer); got {layer_sizes!r}."
        )
    return [int(size) for size in sizes]


def check_matrix(values, argument, n_columns=None, dtype=np.float64, accept_sparse=False):
    """Return ``values`` as a finite 2-D float array.

    Parameters
    ----------
    values : array-like
        The data.
    argument : str
        Its name, used in error messages (``"X"``, ``"Y"``).
    n_columns : int, optional
        Required number of columns.
    dtype : numpy dtype
        Floating dtype of the result.
    accept_sparse : bool
        Let a scipy sparse matrix through (converted to CSR).

    Raises
    ------
    TypeError
        If the values are not numeric.
    ValueError
        If they are not 2-D, are empty, contain NaN or infinity, or have the
        wrong number of columns.
    """
    if sp.issparse(values):
        if not accept_sparse:
            raise TypeError(f"{argument} must be a dense array; got a sparse matrix.")
        values = values.tocsr().astype(dtype)
        data = values.data
    else:
        try:
            values = np.asarray(values)
        except Exception as error:  # ragged lists and the like
            raise ValueError(
                f"{argument} must be a 2-D array of numbers; could not convert "
                f"it to an array ({error})."
            ) from None
        if values.dtype.kind not in "biuf":
            raise TypeError(
                f"{argument} must contain numbers; got an array of dtype {values.dtype}."
            )
        values = np.ascontiguousarray(values, dtype=dtype)
        data = values
    if values.ndim != 2:
        raise ValueError(
            f"{argument} must be a 2-D array of shape (n_samples, n_columns); "
            f"got an array with {values.ndim} dimension(s). Reshape a single "
            f"feature with {argument}.reshape(-1, 1) or a single sample with "
            f"{argument}.reshape(1, -1)."
        )
    if values.shape[0] == 0 or values.shape[1] == 0:
        raise ValueError(f"{argument} must not be empty; got shape {values.shape}.")
    if not np.isfinite(data).all():
        raise ValueError(f"{argument} must not contain NaN or infinite values.")
    if n_columns is not None and values.shape[1] != n_columns:
        raise ValueError(
            f"{argument} must have {n_columns} columns; got {values.shape[1]} "
            f"(shape {values.shape})."
        )
    return values


def check_sample_weight(sample_weight, n_samples, dtype=np.float64):
    """Return ``sample_weight`` as a finite, non-negative 1-D array or None."""
    if sample_weight is None:
        return None
    weights = np.asarray(sample_weight, dtype=dtype)
    if weights.ndim == 0:
        weights = np.full(n_samples, weights, dtype=dtype)
    if weights.shape != (n_samples,):
        raise ValueError(f"sample_weight must have shape ({n_samples},); got {weights.shape}.")
    if not np.isfinite(weights).all() or (weights < 0).any():
        raise ValueError("sample_weight must be finite and non-negative.")
    if weights.sum() <= 0:
        raise ValueError("sample_weight must not sum to zero.")
    return weights
