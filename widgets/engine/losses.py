"""Loss functions, averaged over samples as scikit-learn averages them.

Each output activation of the network is paired with its *canonical* loss
(:data:`LOSS_FOR_OUTPUT`): identity with half squared error, logistic with binary
cross-entropy, softmax with categorical cross-entropy, exp with Poisson
deviance. For these pairs the derivative of the loss with respect to the
output layer's net input ``z`` collapses to ``(p - y) / n``, which is why the
network never needs the derivative of the output activation itself.

All functions take targets ``y_true`` and predictions ``y_pred`` of shape
``(n_samples, n_outputs)`` and optional ``sample_weight`` of shape
``(n_samples,)``; "mean over samples" below means the weighted mean
``sum_i w_i v_i / sum_i w_i`` when weights are given.
"""

from functools import cache

import numpy as np
from scipy.special import xlogy


def _mean_over_samples(values, sample_weight):
    # np.average with weights=None is exactly values.mean(axis=0); the
    # branch only avoids np.average's argument handling on the hot path.
    if sample_weight is None:
        return values.mean(axis=0)
    return np.average(values, weights=sample_weight, axis=0)


def _clip_probabilities(y_prob):
    # Keep log() finite: probabilities are clipped to [eps, 1 - eps], with
    # eps the machine epsilon of their dtype (as scikit-learn does).
    eps = np.finfo(y_prob.dtype).eps
    return np.clip(y_prob, eps, 1 - eps)


def squared_error(y_true, y_pred, sample_weight=None):
    """Half the mean squared error, as scikit-learn reports it.

    .. math:: L = \\frac{1}{2} \\cdot \\frac{1}{K} \\sum_{k=1}^{K}
              \\operatorname{mean}_i (y_{ik} - p_{ik})^2

    i.e. half the squared error averaged over samples and over the ``K``
    outputs (scikit-learn's ``squared_loss``, the value in its
    ``loss_curve_``). With one output it equals :func:`half_squared_error`.
    """
    return 0.5 * _mean_over_samples((y_true - y_pred) ** 2, sample_weight).mean()


def half_squared_error(y_true, y_pred, sample_weight=None):
    """Half the squared error, summed over outputs, averaged over samples.

    .. math:: L = \\frac{1}{2} \\sum_{k=1}^{K}
              \\operatorname{mean}_i (y_{ik} - p_{ik})^2

    This is the function whose gradient back-propagation computes with
    ``delta = p - y`` (scikit-learn's gradient too): it differs from
    :func:`squared_error`, scikit-learn's reported loss, by the factor ``K``
    when there are several outputs.
    """
    return 0.5 * _mean_over_samples((y_true - y_pred) ** 2, sample_weight).sum()


def binary_log_loss(y_true, y_prob, sample_weight=None):
    """Binary cross-entropy, summed over outputs, averaged over samples.

    .. math:: L = -\\sum_{k=1}^{K} \\operatorname{mean}_i
              \\left[ y_{ik} \\ln p_{ik} + (1 - y_{ik}) \\ln (1 - p_{ik}) \\right]

    with ``p`` clipped to ``[eps, 1 - eps]``.
    """
    y_prob = _clip_probabilities(y_prob)
    terms = xlogy(y_true, y_prob) + xlogy(1 - y_true, 1 - y_prob)
    return -_mean_over_samples(terms, sample_weight).sum()


def categorical_cross_entropy(y_true, y_prob, sample_weight=None):
    """Categorical cross-entropy, averaged over samples.

    .. math:: L = -\\sum_{k=1}^{K} \\operatorname{mean}_i \\; y_{ik} \\ln p_{ik}

    with ``p`` clipped to ``[eps, 1 - eps]``; ``y`` is one-hot (or any
    distribution over the ``K`` classes).
    """
    y_prob = _clip_probabilities(y_prob)
    return -_mean_over_samples(xlogy(y_true, y_prob), sample_weight).sum()


def poisson_deviance(y_true, y_pred, sample_weight=None):
    """Half the Poisson deviance, summed over outputs, averaged over samples.

    .. math:: L = \\sum_{k=1}^{K} \\operatorname{mean}_i
              \\left[ y_{ik} \\ln \\frac{y_{ik}}{p_{ik}} - y_{ik} + p_{ik} \\right]
    """
    terms = xlogy(y_true, y_true / y_pred) - y_true + y_pred
    return _mean_over_samples(terms, sample_weight).sum()


def cross_entropy_terms(targets, outputs):
    """Per-entry cross-entropy terms ``-t ln z`` (with ``0 ln 0 = 0``).

    This is the table the lecture builds row by row; its sum over a
    sample's classes is that sample's categorical cross-entropy.

    Parameters
    ----------
    targets : array-like
        Target values ``t`` (0 or 1 for one-hot targets).
    outputs : array-like
        Network outputs ``z`` in (0, 1].

    Returns
    -------
    ndarray
        ``-t * ln(z)`` element-wise, without clipping.

    Examples
    --------
    >>> cross_entropy_terms([0, 1, 1, 1, 1], [0.01, 1, 0.9, 0.5, 0.1]).round(2)
    array([0.  , 0.  , 0.11, 0.69, 2.3 ])
    """
    targets = np.asarray(targets, dtype=float)
    outputs = np.asarray(outputs, dtype=float)
    # 0 - x rather than -x, so that a zero term prints as 0, not -0.
    return 0.0 - xlogy(targets, outputs)


# ---------------------------------------------------------------------------
# Allocation-free versions for the training loop (no sample weights).
#
# Each loss above is ``factor * sum_k mean_i terms[i, k]``. The functions
# below write ``terms`` into a preallocated array, with the same operations
# (hence the same floating-point values) as the functions above; the
# training loop then averages them over each mini-batch, possibly for many
# batches at once (see :func:`batch_losses`).
# ---------------------------------------------------------------------------

_ONE = np.ones(())


@cache
def _clip_bounds(dtype):
    eps = np.finfo(dtype).eps
    return np.full((), eps, dtype), np.full((), 1 - eps, dtype)


def _clip_into(y_prob, out):
    # np.clip(y_prob, eps, 1 - eps) in two ufunc calls (np.clip's Python
    # wrapper costs more than the clipping itself on small batches).
    low, high = _clip_bounds(y_prob.dtype)
    np.maximum(y_prob, low, out=out)
    return np.minimum(out, high, out=out)


def squared_error_terms_into(y_true, y_pred, out, scratch):
    """``(p - y)**2`` (loss factor 1/2)."""
    np.subtract(y_pred, y_true, out=out)
    return np.multiply(out, out, out=out)


def binary_log_loss_terms_into(y_true, y_prob, out, scratch):
    """``ln |(1 - y) - p|`` for 0/1 targets (loss factor -1).

    With ``y`` in {0, 1} the two terms ``y ln p + (1 - y) ln(1 - p)`` reduce
    to ``ln p`` (y = 1) or ``ln(1 - p)`` (y = 0): exactly this, with the same
    floating-point value as the general formula. ``p`` is clipped.
    """
    clipped = _clip_into(y_prob, scratch)
    np.subtract(_ONE, y_true, out=out)
    out -= clipped
    np.absolute(out, out=out)
    return np.log(out, out=out)


def categorical_cross_entropy_terms_into(y_true, y_prob, out, scratch):
    """``y ln p`` with ``p`` clipped (loss factor -1); equals ``xlogy(y, p)``."""
    clipped = _clip_into(y_prob, scratch)
    np.log(clipped, out=out)
    out *= y_true
    return out


#: ``(terms_into, factor)`` of each output activation's loss, or None when
#: only the general function applies. The logistic one needs 0/1 targets.
LOSS_TERMS_FOR_OUTPUT = {
    "identity": (squared_error_terms_into, 0.5),
    "logistic": (binary_log_loss_terms_into, -1.0),
    "softmax": (categorical_cross_entropy_terms_into, -1.0),
    "exp": None,
}


def sum_of_column_means(terms, column_scratch):
    """``sum_k mean_i terms[i, k]``, as ``terms.mean(axis=0).sum()``."""
    # ndarray.mean is a sum followed by a true division by n.
    np.add.reduce(terms, axis=0, out=column_scratch)
    column_scratch /= terms.shape[0]
    return np.add.reduce(column_scratch)


def batch_losses(terms, batch_length, factor, out=None):
    """Losses of consecutive equal-length mini-batches from their terms.

    Parameters
    ----------
    terms : ndarray of shape (n_batches * batch_length, n_outputs)
        Loss terms of the batches, one after the other.
    batch_length : int
    factor : float
        The loss's factor (see :data:`LOSS_TERMS_FOR_OUTPUT`).

    Returns
    -------
    ndarray of shape (n_batches,)
        ``factor * sum_k mean_i terms[i, k]`` for each batch: the same values
        as :func:`sum_of_column_means` batch by batch, in one pass.
    """
    n_rows, n_outputs = terms.shape
    per_batch = terms.reshape(n_rows // batch_length, batch_length, n_outputs)
    means = np.add.reduce(per_batch, axis=1)
    means /= batch_length
    losses = np.add.reduce(means, axis=1, out=out)
    losses *= factor
    return losses


#: The canonical loss of each output activation.
LOSS_FOR_OUTPUT = {
    "identity": half_squared_error,
    "logistic": binary_log_loss,
    "softmax": categorical_cross_entropy,
    "exp": poisson_deviance,
}


# ---------------------------------------------------------------------------
# Information theory for the chapters: entropy, cross-entropy, KL divergence.
# ---------------------------------------------------------------------------

#: The logarithm bases by unit: nats use ln, bits use log2.
UNITS = {"nats": np.e, "bits": 2.0}


def _distribution(values, argument):
    from .validation import as_float_array, check_finite

    p = check_finite(as_float_array(values, argument, "a probability distribution"), argument)
    if p.ndim != 1:
        raise ValueError(f"{argument} must be one-dimensional; got shape {p.shape}.")
    if (p < 0).any() or (p > 1).any():
        raise ValueError(f"{argument} must hold probabilities between 0 and 1.")
    if not np.isclose(p.sum(), 1.0, atol=1e-6):
        raise ValueError(f"{argument} must sum to 1; its entries sum to {p.sum():.6g}.")
    return p


def _distribution_pair(p, q):
    """``p`` and ``q`` checked as distributions of the same shape."""
    p, q = _distribution(p, "p"), _distribution(q, "q")
    if p.shape != q.shape:
        raise ValueError(f"p and q must have the same shape; got {p.shape} and {q.shape}.")
    return p, q


def _log_factor(unit):
    from .validation import check_choice

    return 1.0 / np.log(UNITS[check_choice(unit, UNITS, "unit")])


def surprise(probability, unit="bits"):
    """The surprise (self-information) of an event of probability ``P``.

    .. math:: h = -\\log P

    in bits (log base 2) or nats (natural log). A certain event (P = 1)
    carries no surprise; each halving of P adds one bit.

    Parameters
    ----------
    probability : float or array-like
        Probabilities in (0, 1].
    unit : {"bits", "nats"}, default="bits"

    Returns
    -------
    float or ndarray
    """
    from .validation import as_float_array, check_finite

    factor = _log_factor(unit)
    p = check_finite(as_float_array(probability, "probability"), "probability")
    if (p <= 0).any() or (p > 1).any():
        raise ValueError("probability must be in (0, 1]; a zero-probability event has no surprise.")
    value = 0.0 - np.log(p) * factor
    return float(value) if value.ndim == 0 else value


def entropy(p, unit="nats"):
    """Entropy of a distribution ``p``: its average surprise.

    .. math:: H(p) = -\\sum_k p_k \\log p_k \\qquad (0 \\log 0 = 0)

    Parameters
    ----------
    p : array-like of shape (n_classes,)
        A probability distribution (entries in [0, 1] that sum to 1).
    unit : {"nats", "bits"}, default="nats"
        Natural log (the loss's unit) or log base 2.

    Returns
    -------
    float
    """
    factor = _log_factor(unit)
    p = _distribution(p, "p")
    return float(0.0 - xlogy(p, p).sum() * factor)


def cross_entropy(p, q, unit="nats"):
    """Cross-entropy of a prediction ``q`` against a target distribution ``p``.

    .. math:: H(p, q) = -\\sum_k p_k \\log q_k

    the sum of :func:`cross_entropy_terms` (in nats). Infinite if ``q`` gives
    probability 0 to a class that ``p`` does not. For a one-hot ``p`` it is
    ``-log q`` of the target class alone.

    Parameters
    ----------
    p, q : array-like of shape (n_classes,)
        Target and predicted distributions.
    unit : {"nats", "bits"}, default="nats"

    Returns
    -------
    float
    """
    factor = _log_factor(unit)
    p, q = _distribution_pair(p, q)
    with np.errstate(divide="ignore"):
        return float(cross_entropy_terms(p, q).sum() * factor)


def kl_divergence(p, q, unit="nats"):
    """Kullback-Leibler divergence of ``q`` from ``p``: the gap H(p, q) - H(p).

    .. math:: D_{KL}(p \\,\\|\\, q) = \\sum_k p_k \\log \\frac{p_k}{q_k}
              = H(p, q) - H(p) \\ge 0

    zero exactly when ``q = p``. Minimising the cross-entropy over ``q``
    minimises this gap, since ``H(p)`` does not depend on ``q``.

    Parameters
    ----------
    p, q : array-like of shape (n_classes,)
    unit : {"nats", "bits"}, default="nats"

    Returns
    -------
    float
    """
    factor = _log_factor(unit)
    p, q = _distribution_pair(p, q)
    with np.errstate(divide="ignore"):
        terms = xlogy(p, p) - xlogy(p, q)
    return float(terms.sum() * factor)


def nats_to_bits(value):
    """Convert an information quantity from nats to bits: divide by ln 2."""
    from .validation import check_number

    return check_number(value, "value") / np.log(2.0)
