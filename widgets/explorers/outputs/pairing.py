"""Output activation and loss in pairs: the loss and the error signal as the net input sweeps.

Three pairings of one output unit with a target ``t``:

- ``sigmoid + squared error``: z = σ(net), L = ½ (z − t)²;
- ``softmax + cross-entropy``: two classes with logits (net, 0), so z = σ(net) too,
  L = −t ln z − (1 − t) ln (1 − z);
- ``identity + squared error``: z = net, L = ½ (z − t)².

Every number comes from the engine's back-propagation
(:meth:`widgets.engine.Network.loss_and_gradients`), for a whole sweep of net values in
one call: the input is the identity matrix, so sample ``i`` sees only weight ``i``, its
net input is that weight, and ``n`` times the weight's gradient is ``∂L/∂net`` of sample
``i``. The engine pairs a sigmoid *output* only with cross-entropy; a sigmoid with
squared error is built the way the lecture's hidden units work: a logistic hidden unit
read out by an identity output with weight 1, so back-propagation multiplies by the
hidden unit's f′(net) = z (1 − z).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ...engine import Network
from ...engine.losses import cross_entropy_terms
from ...engine.validation import as_float_array, check_choice, check_finite, check_number

PAIRINGS = ("sigmoid + squared error", "softmax + cross-entropy", "identity + squared error")


@dataclass(frozen=True)
class PairingSweep:
    """One pairing over a sweep of net inputs.

    ``outputs`` z, ``losses`` L and ``gradients`` ∂L/∂net, one per net value;
    the error signal of the lecture's notation is ``delta = −gradients``.
    """

    pairing: str
    target: float
    nets: np.ndarray
    outputs: np.ndarray
    losses: np.ndarray
    gradients: np.ndarray

    @property
    def deltas(self) -> np.ndarray:
        """The error signal δ = −∂L/∂net: (t − z) f′(net) or (t − z)."""
        return 0.0 - self.gradients


def pairing_sweep(pairing, target, nets) -> PairingSweep:
    """Loss and ``∂L/∂net`` of ``pairing`` for target ``t`` at each net value in ``nets``.

    Parameters
    ----------
    pairing : one of :data:`PAIRINGS`
    target : float
        Between 0 and 1.
    nets : array-like of shape (n,)
        Net inputs (logits), finite.
    """
    pairing = check_choice(pairing, PAIRINGS, "pairing")
    target = check_number(target, "target", low=0, high=1)
    nets = check_finite(as_float_array(nets, "nets"), "nets").ravel()
    n = nets.size
    X = np.eye(n)
    if pairing == "sigmoid + squared error":
        network = Network([n, 1, 1], activation="logistic", output="identity")
        network.coefs = [nets[:, None], np.ones((1, 1))]
        network.intercepts = [np.zeros(1), np.zeros(1)]
        Y = np.full((n, 1), target)
    elif pairing == "softmax + cross-entropy":
        network = Network([n, 2], output="softmax")
        network.coefs = [np.column_stack([nets, np.zeros(n)])]
        network.intercepts = [np.zeros(2)]
        Y = np.column_stack([np.full(n, target), np.full(n, 1 - target)])
    else:
        network = Network([n, 1], output="identity")
        network.coefs = [nets[:, None]]
        network.intercepts = [np.zeros(1)]
        Y = np.full((n, 1), target)
    output = network.forward(X)
    _, coef_grads, _ = network.loss_and_gradients(X, Y)
    gradients = coef_grads[0][:, 0] * n
    if pairing == "softmax + cross-entropy":
        losses = cross_entropy_terms(Y, output).sum(axis=1)
        z = output[:, 0]
    else:
        z = output[:, 0]
        losses = 0.5 * (z - target) ** 2
    return PairingSweep(pairing, target, nets, z, losses, gradients)


@lru_cache(maxsize=64)
def _cached_sweeps(target: float, low: float, high: float, points: int):
    nets = np.linspace(low, high, points)
    return tuple(pairing_sweep(p, target, nets) for p in PAIRINGS)


def all_pairings(target=1.0, low=-8.0, high=8.0, points=161):
    """:func:`pairing_sweep` of every pairing over ``linspace(low, high, points)`` (cached)."""
    return _cached_sweeps(float(target), float(low), float(high), int(points))


def error_signal(pairing, target, net):
    """δ = −∂L/∂net of ``pairing`` at one net value (for the quiz and the chapter)."""
    return float(pairing_sweep(pairing, target, [net]).deltas[0])
