"""Weight penalties (L2 "weight decay" and L1) and their gradients.

Only connection weights are penalised, never the biases (intercepts). As in
scikit-learn, the penalty is divided by the number of samples ``n`` in the
(mini-)batch, so that it has the same weight relative to the data loss
whatever the batch size:

.. math:: R(W) = \\frac{1}{n} \\left( \\frac{\\lambda_2}{2} \\sum w^2
          + \\lambda_1 \\sum |w| \\right)

``l2`` is scikit-learn's ``alpha``.
"""

import numpy as np


def penalty(weights, l1=0.0, l2=0.0):
    """Return ``l2/2 * sum(w**2) + l1 * sum(|w|)`` (not yet divided by n).

    Parameters
    ----------
    weights : ndarray or list of ndarray
        The connection weights (any shape; a list is summed over).
    l1, l2 : float
        Penalty strengths.
    """
    if isinstance(weights, (list, tuple)):
        return sum(penalty(w, l1, l2) for w in weights)
    flat = weights if weights.ndim == 1 else weights.ravel()
    # (0.5 * l2) * sum(w**2) is scikit-learn's order of operations.
    total = 0.5 * l2 * np.dot(flat, flat) if l2 else 0.0
    if l1:
        total += l1 * np.add.reduce(np.absolute(flat))
    return total


def add_penalty_gradient(weights, grad, l1=0.0, l2=0.0, scratch=None):
    """Add the penalty's gradient ``l2 * w + l1 * sign(w)`` to ``grad``.

    ``sign(0) = 0``: the subgradient of ``|w|`` at zero is taken to be zero,
    so a weight that is exactly zero is not pushed either way.

    Parameters
    ----------
    weights, grad : ndarray of the same shape
        ``grad`` is modified in place.
    l1, l2 : float
        Penalty strengths.
    scratch : ndarray of the same shape, optional
        Work space, to avoid allocating a temporary.
    """
    if scratch is None:
        scratch = np.empty_like(weights)
    if l2:
        np.multiply(weights, l2, out=scratch)
        grad += scratch
    if l1:
        np.sign(weights, out=scratch)
        scratch *= l1
        grad += scratch
    return grad
