"""Weight penalties (L2 "weight decay" and L1) and their gradients.

Only connection weights are penalised, never the biases (intercepts). As in
scikit-learn, the penalty is divided by the number of samples ``n`` in the
(mini-)batch, so that it has the same weight relative to the data loss
whatever the batch size:

.. math:: R(W) = \\frac{1}{n} \\left( \\frac{\\lambda_2}{2} \\sum w^2
          + \\lambda_1 \\sum |w| \\right)

``l2`` is scikit-learn's ``alpha``.

Exact zeros under L1
--------------------
A plain (sub)gradient step on ``l1 * |w|`` moves a weight by the same amount
whatever its size, so a small weight is carried *across* zero and back again:
it ends near zero, never at it. The stochastic solvers therefore apply the L1
term the way OWL-QN does (Andrew & Gao 2007), which works with any optimizer:

1. before the step, at a weight that is exactly zero, the gradient is replaced
   by the smallest subgradient of the objective (:func:`l1_pseudo_gradient`):
   the weight stays at zero unless the data pull on it is stronger than the
   penalty, ``|dL/dw| > l1 / n``;
2. after the step, a weight that left its sign (its orthant) is set to exactly
   zero (:func:`project_onto_orthant`): a step never carries a weight across
   zero.

With plain SGD this is the proximal ("soft-thresholding") step of the L1
penalty whenever a weight would cross zero, and the usual step otherwise.
TensorFlow Playground does the same (its weights that cross zero under L1 are
set to 0). L-BFGS uses the plain subgradient and gives small weights, not zeros.
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


def l1_pseudo_gradient(weights, grad, threshold, orthant):
    """Fix the gradient at zero weights for L1, and record each weight's orthant.

    At a weight ``w = 0`` the objective's subgradients are ``g + t [-1, 1]``,
    with ``g`` the gradient of the rest of the objective (``grad`` there, since
    ``sign(0) = 0``) and ``t = threshold``. The one of smallest size is used:

    .. math:: \\tilde g = \\operatorname{sign}(g) \\max(|g| - t, 0)

    zero when ``|g| <= t`` (the weight is held at zero). The orthant is
    ``sign(w)`` for a non-zero weight and ``-sign(g~)`` for a zero one: the only
    direction it may leave zero in (none when ``g~ = 0``).

    Parameters
    ----------
    weights : ndarray
        Weights before the step.
    grad : ndarray of the same shape
        Gradient of the whole objective (with ``l1 * sign(w) / n`` at non-zero
        weights); changed in place at zero weights.
    threshold : float
        ``l1 / n``, the L1 gradient's size per weight.
    orthant : ndarray of the same shape
        Filled with -1, 0 or 1; returned.
    """
    np.sign(weights, out=orthant)
    at_zero = orthant == 0
    if at_zero.any():
        g = grad[at_zero]
        held = np.sign(g) * np.maximum(np.absolute(g) - threshold, 0.0)
        grad[at_zero] = held
        orthant[at_zero] = -np.sign(held)
    return orthant


def project_onto_orthant(weights, orthant):
    """Set to exactly zero every weight whose sign left ``orthant`` (in place).

    A weight that was positive and stepped below zero (or the reverse), or one
    held at zero (orthant 0) that moved, is put at 0.

    Parameters
    ----------
    weights : ndarray
        Weights after the step; changed in place.
    orthant : ndarray of the same shape
        From :func:`l1_pseudo_gradient`, before the step.
    """
    weights[np.sign(weights) != orthant] = 0.0
    return weights
