"""Argument checks shared by the whole engine (network, optimizers, estimators, Playground).

Every check raises an exception whose message names the offending argument and
says what was expected, so that a learner who passes something odd reads a
sentence about *their* argument rather than a NumPy traceback from deep inside a
matrix product. One rule decides the exception type:

- ``TypeError``: the argument has the wrong *type* (a string where a number is
  expected, a float where a whole number is, text in an array of numbers);
- ``ValueError``: the type is right but the *value* is not (out of range, NaN
  or infinite, wrong shape or length, an unknown option, empty).
"""

import math
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp


def check_choice(value, options, argument, allow_none=False):
    """Return ``value`` if it is one of the strings ``options`` (or None, if allowed).

    Raises
    ------
    TypeError
        If ``value`` is not a string (nor an allowed None).
    ValueError
        If ``value`` is not one of ``options``.
    """
    options = sorted(option for option in options if option is not None)
    if allow_none:
        if value is None:
            return value
        options = [None, *options]
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


def _is_integer(value):
    return isinstance(value, (Integral, np.integer)) and not isinstance(value, (bool, np.bool_))


def check_integer(value, argument, low=None, high=None):
    """Return ``value`` as a Python int after checking type and range ``[low, high]``.

    Raises
    ------
    TypeError
        If ``value`` is not an integer (booleans and floats such as ``2.0`` are
        refused).
    ValueError
        If it is below ``low`` or above ``high`` (``None``: unbounded).
    """
    if low is not None and high is not None:
        wanted = f"from {low} to {high}"
    elif low is not None:
        wanted = f"at least {low}"
    else:
        wanted = "" if high is None else f"at most {high}"
    if not _is_integer(value):
        raise TypeError(
            f"{argument} must be a whole number {wanted}".rstrip() + f"; got {value!r} "
            f"of type {type(value).__name__}."
        )
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"{argument} must be {wanted}; got {value}.")
    return int(value)


def check_number(value, argument, low=None, high=None, low_inclusive=True):
    """Return ``value`` as a float after checking it is a finite real number in range.

    ``low`` and ``high`` (``None``: unbounded) are included, except ``low``
    when ``low_inclusive=False`` (e.g. ``low=0, low_inclusive=False``: positive).

    Raises
    ------
    TypeError
        If ``value`` is not a real number (booleans are refused).
    ValueError
        If it is NaN, infinite or out of range.
    """
    if low is not None and high is not None:
        kind, wanted = f"a number between {low:g} and {high:g}", f"between {low:g} and {high:g}"
    elif low == 0 and not low_inclusive:
        kind, wanted = "a positive number", "a positive finite number"
    elif low is not None:
        sign = ">=" if low_inclusive else ">"
        kind, wanted = f"a number {sign} {low:g}", f"a finite number {sign} {low:g}"
    else:
        kind, wanted = (
            "a real number",
            "a finite number" + ("" if high is None else f" <= {high:g}"),
        )
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, Real):
        raise TypeError(f"{argument} must be {kind}; got {value!r} of type {type(value).__name__}.")
    too_low = low is not None and (value < low if low_inclusive else value <= low)
    if not math.isfinite(value) or too_low or (high is not None and value > high):
        raise ValueError(f"{argument} must be {wanted}; got {value!r}.")
    return float(value)


def check_seed(seed, argument="seed"):
    """Return a ``numpy.random.Generator`` from ``seed``.

    ``seed`` may be None (fresh entropy), a non-negative integer or a
    ``Generator`` (returned as is, and consumed by the caller).

    Raises
    ------
    TypeError
        If ``seed`` is of another type.
    ValueError
        If it is a negative integer.
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is not None and not _is_integer(seed):
        raise TypeError(
            f"{argument} must be None, a non-negative integer or a numpy Generator; "
            f"got {seed!r} of type {type(seed).__name__}."
        )
    if seed is not None and seed < 0:
        raise ValueError(f"{argument} must be a non-negative integer; got {seed!r}.")
    return np.random.default_rng(seed)


def check_dtype(dtype, argument="dtype"):
    """Return ``dtype`` as a NumPy dtype, float32 or float64.

    Raises
    ------
    TypeError
        If it is not something NumPy reads as a dtype.
    ValueError
        If it is a dtype other than float32 and float64.
    """
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        raise TypeError(
            f"{argument} must be numpy.float32 or numpy.float64; got {dtype!r}."
        ) from None
    if dtype not in (np.float32, np.float64):
        raise ValueError(f"{argument} must be float32 or float64; got {dtype}.")
    return dtype


def as_float_array(values, argument, expected="an array of numbers", dtype=np.float64):
    """Return ``values`` as a NumPy array of ``dtype``, any shape (checked by the caller).

    Raises
    ------
    TypeError
        If the values are not numbers (text, objects, complex numbers).
    ValueError
        If they do not form an array (ragged nested lists).
    """
    try:
        array = np.asarray(values)
    except Exception as error:  # ragged lists and the like
        raise ValueError(
            f"{argument} must be {expected}; could not convert it to an array ({error})."
        ) from None
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{argument} must be {expected}; got an array of dtype {array.dtype}.")
    return np.asarray(array, dtype=dtype)


def check_finite(array, argument):
    """Return ``array`` after checking it is non-empty and free of NaN and infinity.

    Raises
    ------
    ValueError
        If it is empty or holds a NaN or infinite value.
    """
    if array.size == 0:
        raise ValueError(f"{argument} must not be empty; got shape {array.shape}.")
    if not np.isfinite(array).all():
        raise ValueError(f"{argument} must not contain NaN or infinite values.")
    return array


def check_rows(values, argument, n_rows, n_columns=None, dtype=np.float64):
    """Return ``values`` as :func:`check_matrix` does, also checking it has ``n_rows`` rows.

    Raises
    ------
    TypeError, ValueError
        As :func:`check_matrix`; ValueError also for the wrong number of rows.
    """
    values = check_matrix(values, argument, n_columns=n_columns, dtype=dtype)
    if values.shape[0] != n_rows:
        raise ValueError(
            f"X and {argument} must have the same number of rows; got "
            f"{n_rows} and {values.shape[0]}."
        )
    return values


def copy_checked(target, value, argument):
    """Copy ``value`` into the array ``target`` after checking its type, shape and values.

    Raises
    ------
    TypeError
        If ``value`` is not an array of numbers.
    ValueError
        If its shape is not ``target.shape`` or it holds NaN or infinity.
    """
    try:
        value = np.asarray(value, dtype=target.dtype)
    except (TypeError, ValueError):
        raise TypeError(
            f"{argument} must be an array of numbers of shape {target.shape}."
        ) from None
    if value.shape != target.shape:
        raise ValueError(f"{argument} must have shape {target.shape}; got {value.shape}.")
    if not np.isfinite(value).all():
        raise ValueError(f"{argument} must not contain NaN or infinite values.")
    target[...] = value


def check_dropout_masks(dropout_masks, hidden_sizes, n_rows, dtype=np.float64):
    """Return ``dropout_masks`` as a list of ``(n_rows, units)`` arrays, or None.

    One mask per hidden layer, ``hidden_sizes`` giving each layer's units.

    Raises
    ------
    TypeError, ValueError
        As :func:`check_rows`; ValueError also for the wrong number of masks.
    """
    if dropout_masks is None:
        return None
    masks = list(dropout_masks)
    if len(masks) != len(hidden_sizes):
        raise ValueError(
            f"dropout_masks must hold one array per hidden layer "
            f"({len(hidden_sizes)}); got {len(masks)}."
        )
    return [
        check_rows(mask, f"dropout_masks[{index}]", n_rows, units, dtype)
        for index, (mask, units) in enumerate(zip(masks, hidden_sizes))
    ]


def copy_checked_layers(targets, values, argument):
    """Copy one array per layer into ``targets`` with :func:`copy_checked`.

    Raises
    ------
    TypeError, ValueError
        As :func:`copy_checked`; ValueError also if the number of arrays is not
        ``len(targets)``.
    """
    values = list(values)
    if len(values) != len(targets):
        raise ValueError(
            f"{argument} must be a list of {len(targets)} arrays (one per "
            f"layer); got {len(values)}."
        )
    for index, (target, value) in enumerate(zip(targets, values)):
        copy_checked(target, value, f"{argument}[{index}]")
