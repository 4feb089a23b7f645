"""Recurrent networks: an Elman network, back-propagation through time, a task with memory.

Chapter 13's recurrent network, headless. A recurrent network reads a sequence one
element at a time and feeds its own hidden state back in with the next input, so what
it saw earlier can shape what it outputs now (Elman, 1990):

.. math::

    h_t = \\tanh(W_x x_t + W_h h_{t-1} + b), \\qquad
    z_t = W_y h_t + c, \\qquad y_t = \\sigma(z_t) \\text{ (or } y_t = z_t),

with :math:`h_0 = 0` and the same weights at every step ``t = 1 … T``.

- :func:`bit_task`: random bit streams and the targets of a task that needs memory
  (``"delay"``: output the bit seen ``delay`` steps ago; ``"parity"``: the parity of
  the last ``delay + 1`` bits), with a mask of the steps that have a target;
- :class:`ElmanNetwork`: the weights, :meth:`~ElmanNetwork.forward` over a batch of
  sequences, the masked loss and :meth:`~ElmanNetwork.gradients` by back-propagation
  through time (BPTT), every step's formula in the docstrings;
- :func:`hidden_state_gradients`: the gradient of the last step's loss with respect to
  the hidden state ``k`` steps earlier, for ``k = 0 … T − 1``: how far back a training
  signal reaches (vanishing or exploding through time);
- :func:`gradient_reach`: the same for many untrained networks of one recurrent weight
  scale, as :math:`\\log_{10}` per sequence;
- :func:`train_recurrent`: Adam on fresh mini-batches of a task, seeded; stops and says
  so if the loss stops being finite;
- :func:`memoryless_table_accuracy`, :func:`memoryless_accuracy`: what a model that
  sees only the current input can reach: the best table from current bit to output, and
  the engine's :class:`~widgets.engine.estimators.MLPClassifier` trained on (current
  bit → target);
- :func:`count_elman_parameters`: the weights and biases of an Elman network, the MLP's
  count plus :math:`W_h`.

Arrays are batch first: inputs ``X`` of shape ``(N, T, D)`` (N sequences of T steps,
D inputs per step), hidden states ``(N, T + 1, H)`` with ``h_0`` at index 0, outputs
``(N, T, O)``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from .network import count_parameters
from .optimizers import Adam
from .validation import (
    as_float_array,
    check_choice,
    check_finite,
    check_integer,
    check_number,
    check_seed,
)

__all__ = [
    "TASKS",
    "OUTPUTS",
    "SequenceTask",
    "bit_task",
    "task_targets",
    "ElmanNetwork",
    "count_elman_parameters",
    "ForwardPass",
    "hidden_state_gradients",
    "gradient_reach",
    "TrainingRun",
    "train_recurrent",
    "accuracy",
    "memoryless_table_accuracy",
    "memoryless_accuracy",
]

#: Tasks of :func:`bit_task`.
TASKS = ("delay", "parity")
#: Output units of :class:`ElmanNetwork`: logistic (with cross-entropy) or identity
#: (with squared error).
OUTPUTS = ("logistic", "identity")


# ---------------------------------------------------------------------- the task


@dataclass
class SequenceTask:
    """Bit streams, their targets and which steps have a target.

    Attributes
    ----------
    X : ndarray of shape (N, T, 1)
        The input bits (0.0 or 1.0).
    Y : ndarray of shape (N, T, 1)
        The target at each step (0.0 or 1.0; 0.0 where there is none).
    mask : ndarray of shape (N, T)
        1.0 at steps that have a target, 0.0 at the first ``delay`` steps, where the
        bit asked for came before the stream began.
    task : str
    delay : int
    """

    X: np.ndarray
    Y: np.ndarray
    mask: np.ndarray
    task: str
    delay: int

    @property
    def bits(self) -> np.ndarray:
        """The input bits as integers, shape (N, T)."""
        return self.X[..., 0].astype(int)


def task_targets(bits, task="delay", delay=3):
    """The targets of ``task`` for bit streams ``bits`` and the mask of defined steps.

    With steps counted from 1 and :math:`x_t` the bit at step ``t``:

    - ``"delay"``: :math:`y_t = x_{t-k}` (the bit seen ``k = delay`` steps ago);
    - ``"parity"``: :math:`y_t = x_{t-k} \\oplus \\dots \\oplus x_t` (1 if the last
      ``k + 1`` bits hold an odd number of ones; ``k = 0`` is the current bit).

    Both are defined from step ``k + 1`` on; the mask is 0 before.

    Parameters
    ----------
    bits : array-like of 0/1, shape (N, T) or (T,)
    task : {"delay", "parity"}
    delay : int ≥ 0 (≥ 1 for ``"delay"``), less than T

    Returns
    -------
    targets, mask : ndarray of shape (N, T) (float)
    """
    task = check_choice(task, TASKS, "task")
    bits = as_float_array(bits, "bits", "an array of bits (0 or 1)")
    if bits.ndim == 1:
        bits = bits[None, :]
    if bits.ndim != 2 or bits.size == 0:
        raise ValueError(f"bits must be a non-empty array of shape (N, T); got {bits.shape}.")
    if not np.isin(bits, (0.0, 1.0)).all():
        raise ValueError("bits must hold only 0 and 1.")
    length = bits.shape[1]
    delay = check_integer(delay, "delay", low=1 if task == "delay" else 0, high=length - 1)
    targets = np.zeros_like(bits)
    if task == "delay":
        targets[:, delay:] = bits[:, :-delay]
    else:
        ones = np.zeros_like(bits)
        for lag in range(delay + 1):
            ones[:, lag:] += bits[:, : length - lag]
        targets[:, delay:] = ones[:, delay:] % 2
    mask = np.zeros_like(bits)
    mask[:, delay:] = 1.0
    return targets, mask


def bit_task(task="delay", n_sequences=64, length=20, delay=3, seed=0):
    """Random bit streams (fair coin flips) and the targets of ``task``.

    See :func:`task_targets` for the targets. The bits are drawn from
    ``numpy.random.default_rng(seed)``.

    Returns
    -------
    SequenceTask
    """
    task = check_choice(task, TASKS, "task")
    n_sequences = check_integer(n_sequences, "n_sequences", low=1)
    length = check_integer(length, "length", low=2)
    rng = check_seed(seed)
    bits = rng.integers(0, 2, size=(n_sequences, length)).astype(float)
    targets, mask = task_targets(bits, task, delay)
    return SequenceTask(bits[..., None], targets[..., None], mask, task, int(delay))


def accuracy(outputs, targets, mask):
    """Share of the masked steps whose thresholded output equals the target.

    An output counts as 1 above 0.5 (for either output unit):
    :math:`\\sum_{n,t} m_{nt}\\, [(y_{nt} > 0.5) = t_{nt}] / \\sum m`.
    """
    predicted = (np.asarray(outputs)[..., 0] > 0.5).astype(float)
    targets = np.asarray(targets)[..., 0]
    mask = np.asarray(mask)
    return float(((predicted == targets) * mask).sum() / mask.sum())


# ---------------------------------------------------------------------- the network


@dataclass
class ForwardPass:
    """What :meth:`ElmanNetwork.forward` computes for a batch of sequences.

    Attributes
    ----------
    hidden : ndarray (N, T + 1, H)
        :math:`h_0, h_1, …, h_T` (index 0 is the initial state).
    net : ndarray (N, T, O)
        :math:`z_t = W_y h_t + c`, the outputs before the output activation.
    outputs : ndarray (N, T, O)
        :math:`y_t`: :math:`\\sigma(z_t)` or :math:`z_t`.
    """

    hidden: np.ndarray
    net: np.ndarray
    outputs: np.ndarray


def count_elman_parameters(n_inputs=1, n_hidden=8, n_outputs=1):
    """Weights and biases of an Elman network: the MLP's count plus :math:`W_h`.

    .. math:: \\underbrace{HD + H + OH + O}_{\\text{MLP } D \\to H \\to O} + H^2

    (:func:`widgets.engine.count_parameters` ``([D, H, O])`` plus the ``H × H``
    recurrent weights). The count does not grow with the sequence's length: every
    step uses the same weights.
    """
    n_inputs = check_integer(n_inputs, "n_inputs", low=1)
    n_hidden = check_integer(n_hidden, "n_hidden", low=1)
    n_outputs = check_integer(n_outputs, "n_outputs", low=1)
    return count_parameters([n_inputs, n_hidden, n_outputs]) + n_hidden * n_hidden


class ElmanNetwork:
    """An Elman recurrent network with tanh hidden units.

    .. math::

        h_t = \\tanh(W_x x_t + W_h h_{t-1} + b), \\quad
        z_t = W_y h_t + c, \\quad y_t = \\sigma(z_t)\\ \\text{or}\\ z_t.

    Parameters
    ----------
    n_inputs, n_hidden, n_outputs : int ≥ 1
        D, H and O.
    output : {"logistic", "identity"}
        The output unit; the loss is cross-entropy for logistic, half the squared
        error for identity (so that :math:`\\partial L / \\partial z_t = y_t - t_t`
        either way, weighted by the mask).
    recurrent_scale : float ≥ 0
        :math:`W_h` is drawn from :math:`N(0, g^2 / H)` with ``g = recurrent_scale``;
        its spectral radius is then close to ``g`` for large H (Girko's circular law),
        so ``g < 1`` makes the state forget and ``g > 1`` amplifies it.
    input_scale : float ≥ 0
        :math:`W_x` from :math:`N(0, s^2 / D)`.
    seed : int, Generator or None
        Draws the initial weights (biases start at 0; :math:`W_y` from
        :math:`N(0, 1 / H)`).

    Attributes
    ----------
    W_x : (H, D), W_h : (H, H), b : (H,), W_y : (O, H), c : (O,)
        The weights, updated in place by training.
    """

    PARAMETER_NAMES = ("W_x", "W_h", "b", "W_y", "c")

    def __init__(
        self,
        n_inputs=1,
        n_hidden=8,
        n_outputs=1,
        output="logistic",
        recurrent_scale=1.0,
        input_scale=1.0,
        seed=0,
    ):
        self.n_inputs = check_integer(n_inputs, "n_inputs", low=1)
        self.n_hidden = check_integer(n_hidden, "n_hidden", low=1)
        self.n_outputs = check_integer(n_outputs, "n_outputs", low=1)
        self.output = check_choice(output, OUTPUTS, "output")
        self.recurrent_scale = check_number(recurrent_scale, "recurrent_scale", low=0.0)
        self.input_scale = check_number(input_scale, "input_scale", low=0.0)
        rng = check_seed(seed)
        n_in, n_hid, n_out = self.n_inputs, self.n_hidden, self.n_outputs
        self.W_x = rng.normal(0.0, self.input_scale / np.sqrt(n_in), size=(n_hid, n_in))
        self.W_h = rng.normal(0.0, self.recurrent_scale / np.sqrt(n_hid), size=(n_hid, n_hid))
        self.b = np.zeros(n_hid)
        self.W_y = rng.normal(0.0, 1.0 / np.sqrt(n_hid), size=(n_out, n_hid))
        self.c = np.zeros(n_out)

    # ------------------------------------------------------------------ parameters

    @property
    def parameters(self) -> list:
        """``[W_x, W_h, b, W_y, c]``: the arrays themselves (training updates them)."""
        return [getattr(self, name) for name in self.PARAMETER_NAMES]

    def set_parameters(self, values) -> None:
        """Copy one array per entry of :attr:`PARAMETER_NAMES` into the weights."""
        values = list(values)
        if len(values) != len(self.PARAMETER_NAMES):
            raise ValueError(
                f"values must hold {len(self.PARAMETER_NAMES)} arrays "
                f"({', '.join(self.PARAMETER_NAMES)}); got {len(values)}."
            )
        for name, value in zip(self.PARAMETER_NAMES, values):
            target = getattr(self, name)
            value = as_float_array(value, name)
            if value.shape != target.shape:
                raise ValueError(f"{name} must have shape {target.shape}; got {value.shape}.")
            target[...] = check_finite(value, name)

    def copy(self) -> ElmanNetwork:
        """An independent copy with the same weights."""
        other = ElmanNetwork.__new__(ElmanNetwork)
        other.__dict__.update(self.__dict__)
        for name in self.PARAMETER_NAMES:
            setattr(other, name, getattr(self, name).copy())
        return other

    @property
    def n_parameters(self) -> int:
        """Number of weights and biases: :func:`count_elman_parameters` of D, H, O."""
        return count_elman_parameters(self.n_inputs, self.n_hidden, self.n_outputs)

    # ------------------------------------------------------------------ checks

    def _check_inputs(self, X, argument="X"):
        X = as_float_array(X, argument, "an array of shape (N, T, D)")
        if X.ndim == 2:
            X = X[..., None]
        if X.ndim != 3 or X.shape[2] != self.n_inputs:
            raise ValueError(
                f"{argument} must have shape (N, T, {self.n_inputs}) (sequences, steps, "
                f"inputs); got {X.shape}."
            )
        return check_finite(X, argument)

    def _check_state(self, h0, n):
        if h0 is None:
            return np.zeros((n, self.n_hidden))
        h0 = check_finite(as_float_array(h0, "h0"), "h0")
        if h0.shape != (n, self.n_hidden):
            raise ValueError(f"h0 must have shape ({n}, {self.n_hidden}); got {h0.shape}.")
        return h0

    def _check_targets(self, X, Y, mask):
        Y = as_float_array(Y, "Y")
        if Y.ndim == 2:
            Y = Y[..., None]
        if Y.shape != (*X.shape[:2], self.n_outputs):
            raise ValueError(
                f"Y must have shape {(*X.shape[:2], self.n_outputs)} (one target per "
                f"step); got {Y.shape}."
            )
        check_finite(Y, "Y")
        if mask is None:
            mask = np.ones(X.shape[:2])
        else:
            mask = check_finite(as_float_array(mask, "mask"), "mask")
            if mask.shape != X.shape[:2]:
                raise ValueError(f"mask must have shape {X.shape[:2]}; got {mask.shape}.")
            if (mask < 0).any() or mask.sum() <= 0:
                raise ValueError("mask must be non-negative and not all zero.")
        return Y, mask

    # ------------------------------------------------------------------ forward

    def forward(self, X, h0=None) -> ForwardPass:
        """Run the network over every sequence of ``X``, one step at a time.

        For ``t = 1 … T``:
        :math:`a_t = W_x x_t + W_h h_{t-1} + b`, :math:`h_t = \\tanh(a_t)`,
        :math:`z_t = W_y h_t + c`, :math:`y_t = \\sigma(z_t)` (logistic) or
        :math:`z_t` (identity).

        Parameters
        ----------
        X : array (N, T, D) (or (N, T) when D = 1)
        h0 : array (N, H), optional
            The state before the first step (default zeros).
        """
        X = self._check_inputs(X)
        n, length, _ = X.shape
        hidden = np.empty((n, length + 1, self.n_hidden))
        hidden[:, 0] = self._check_state(h0, n)
        drive = X @ self.W_x.T + self.b  # W_x x_t + b for every step at once
        W_h_T = self.W_h.T
        for t in range(length):
            np.tanh(drive[:, t] + hidden[:, t] @ W_h_T, out=hidden[:, t + 1])
        net = hidden[:, 1:] @ self.W_y.T + self.c
        # σ(z) written with tanh, which cannot overflow
        outputs = 0.5 * (1.0 + np.tanh(0.5 * net)) if self.output == "logistic" else net
        return ForwardPass(hidden, net, outputs)

    def predict(self, X, h0=None) -> np.ndarray:
        """The outputs :math:`y_t`, shape (N, T, O)."""
        return self.forward(X, h0).outputs

    # ------------------------------------------------------------------ loss

    def step_losses(self, net, Y):
        """The loss at every step, before the mask, shape (N, T).

        Logistic: cross-entropy
        :math:`\\ell_t = \\log(1 + e^{z_t}) - t_t z_t = -[t \\log y + (1 - t) \\log(1 - y)]`;
        identity: :math:`\\ell_t = \\tfrac12 (z_t - t_t)^2`; summed over the O outputs.
        """
        if self.output == "logistic":
            terms = np.logaddexp(0.0, net) - Y * net
        else:
            terms = 0.5 * (net - Y) ** 2
        return terms.sum(axis=2)

    def loss(self, X, Y, mask=None, h0=None) -> float:
        """The masked mean loss :math:`L = \\sum_{n,t} m_{nt} \\ell_{nt} / \\sum m`."""
        X = self._check_inputs(X)
        Y, mask = self._check_targets(X, Y, mask)
        result = self.forward(X, h0)
        return float((self.step_losses(result.net, Y) * mask).sum() / mask.sum())

    # ------------------------------------------------------------------ backward

    def gradients(self, X, Y, mask=None, h0=None, return_state_gradient=False):
        """The loss and its gradient with respect to every weight (BPTT).

        Back-propagation through time is back-propagation on the network unrolled
        over the T steps, where every copy shares the weights, so each weight's
        gradient is the sum over steps. With :math:`\\delta z_t = m_t (y_t - t_t) / \\sum m`
        (the loss's derivative with respect to :math:`z_t` for either output), going
        backwards from ``t = T`` with :math:`\\delta a_{T+1} = 0`:

        .. math::

            \\frac{\\partial L}{\\partial h_t} = W_y^\\top \\delta z_t + W_h^\\top \\delta a_{t+1},
            \\qquad
            \\delta a_t = \\frac{\\partial L}{\\partial h_t} \\odot (1 - h_t^2),

        and

        .. math::

            \\nabla W_y = \\sum_t \\delta z_t h_t^\\top,\\;
            \\nabla c = \\sum_t \\delta z_t,\\;
            \\nabla W_x = \\sum_t \\delta a_t x_t^\\top,\\;
            \\nabla W_h = \\sum_t \\delta a_t h_{t-1}^\\top,\\;
            \\nabla b = \\sum_t \\delta a_t

        (sums also over the N sequences).

        Returns
        -------
        loss : float
        grads : list of ndarray
            Gradients of ``W_x, W_h, b, W_y, c``, in :attr:`PARAMETER_NAMES` order.
        state_gradient : ndarray (N, H)
            :math:`\\partial L / \\partial h_0`, only if ``return_state_gradient``.
        """
        X = self._check_inputs(X)
        Y, mask = self._check_targets(X, Y, mask)
        result = self.forward(X, h0)
        hidden, net, outputs = result.hidden, result.net, result.outputs
        total = mask.sum()
        loss = float((self.step_losses(net, Y) * mask).sum() / total)
        delta_z = (outputs - Y) * (mask / total)[..., None]  # (N, T, O)
        delta_a = self._backward(hidden, delta_z)
        h_now, h_before = hidden[:, 1:], hidden[:, :-1]
        grads = [
            np.einsum("nth,ntd->hd", delta_a, X),
            np.einsum("nti,ntj->ij", delta_a, h_before),
            delta_a.sum(axis=(0, 1)),
            np.einsum("nto,nth->oh", delta_z, h_now),
            delta_z.sum(axis=(0, 1)),
        ]
        if return_state_gradient:
            return loss, grads, delta_a[:, 0] @ self.W_h
        return loss, grads

    def _backward(self, hidden, delta_z):
        """:math:`\\delta a_t` for every step, from the output errors :math:`\\delta z_t`."""
        n, length, _ = delta_z.shape
        delta_a = np.empty((n, length, self.n_hidden))
        from_outputs = delta_z @ self.W_y  # W_y^T δz_t for every step
        carried = np.zeros((n, self.n_hidden))  # W_h^T δa_{t+1}
        for t in range(length - 1, -1, -1):
            h = hidden[:, t + 1]
            delta_a[:, t] = (from_outputs[:, t] + carried) * (1.0 - h * h)
            carried = delta_a[:, t] @ self.W_h
        return delta_a


# ---------------------------------------------------------------------- gradient through time


def hidden_state_gradients(network, X, Y, mask=None, per_sequence=False, relative=False):
    """How strongly the last step's loss reaches back to each earlier hidden state.

    For each sequence, with :math:`\\ell_T` the loss at the last step only, this is
    :math:`\\lVert \\partial \\ell_T / \\partial h_{T-k} \\rVert` for
    ``k = 0, 1, …, T - 1``. By the chain rule

    .. math::

        \\frac{\\partial \\ell_T}{\\partial h_{T-k}}
        = \\Big(\\prod_{j=0}^{k-1} J_{T-j}\\Big)^\\top \\frac{\\partial \\ell_T}{\\partial h_T},
        \\qquad J_t = \\frac{\\partial h_t}{\\partial h_{t-1}} = \\mathrm{diag}(1 - h_t^2)\\, W_h,

    a product of k Jacobians: it shrinks roughly geometrically when they shrink vectors
    (small :math:`W_h`, or saturated units where :math:`1 - h^2 \\approx 0`) and grows
    when they stretch them. Every earlier step's weight update is made of these.

    Parameters
    ----------
    network : ElmanNetwork
    X, Y : arrays (N, T, ·)
    mask : array (N, T), optional
        Only ``mask[:, -1]`` is used: sequences whose last step has no target are
        skipped (all are used without a mask).
    per_sequence : bool
        Return the (N', T) array of norms instead of their mean over sequences.
    relative : bool
        Divide each sequence's norms by its norm at ``k = 0`` (how much of the last
        step's gradient is left ``k`` steps back; 0 where that norm is 0).

    Returns
    -------
    ndarray of shape (T,) (or (N', T))
        Entry ``k`` is the norm for the state ``k`` steps before the last (the mean over
        the sequences).
    """
    if not isinstance(network, ElmanNetwork):
        raise TypeError(f"network must be an ElmanNetwork; got {type(network).__name__}.")
    X = network._check_inputs(X)
    Y, mask = network._check_targets(X, Y, mask)
    keep = mask[:, -1] > 0
    if not keep.any():
        raise ValueError("mask must give a target at the last step of some sequence.")
    X, Y = X[keep], Y[keep]
    result = network.forward(X)
    hidden, outputs = result.hidden, result.outputs
    n, length = X.shape[:2]
    grad_h = (outputs[:, -1] - Y[:, -1]) @ network.W_y  # ∂ℓ_T/∂h_T, (N, H)
    norms = np.empty((n, length))
    for k in range(length):
        norms[:, k] = np.sqrt((grad_h * grad_h).sum(axis=1))
        h = hidden[:, length - k]
        grad_h = (grad_h * (1.0 - h * h)) @ network.W_h
    if relative:
        first = norms[:, :1]
        norms = np.divide(norms, first, out=np.zeros_like(norms), where=first > 0)
    return norms if per_sequence else norms.mean(axis=0)


def gradient_reach(
    recurrent_scale, seeds=range(10), n_hidden=16, length=30, n_sequences=100, seed_data=0
):
    """How much of the last step's gradient reaches back k steps in random networks.

    For each seed, an untrained :class:`ElmanNetwork` (``n_hidden`` units, :math:`W_h`
    drawn with scale ``g = recurrent_scale``, :math:`W_x` with scale 1) reads the same
    ``n_sequences`` random bit streams of ``length`` steps (:func:`bit_task` ``"delay"``,
    delay 1, seed ``seed_data``); for each stream this is
    :math:`\\log_{10}` of :func:`hidden_state_gradients` ``(relative=True)``, the
    gradient left k steps back as a share of the last step's.

    Returns
    -------
    ndarray of shape (len(seeds) * n_sequences, length)
        Row = one stream under one network, column k = steps back. Zero norms (possible
        only for ``g = 0``) give ``-inf``.
    """
    recurrent_scale = check_number(recurrent_scale, "recurrent_scale", low=0.0)
    seeds = [check_integer(seed, "seeds", low=0) for seed in seeds]
    if not seeds:
        raise ValueError("seeds must hold at least one seed.")
    task = bit_task("delay", n_sequences, length, 1, seed_data)
    rows = []
    for seed in seeds:
        network = ElmanNetwork(1, n_hidden, 1, recurrent_scale=recurrent_scale, seed=seed)
        norms = hidden_state_gradients(
            network, task.X, task.Y, task.mask, per_sequence=True, relative=True
        )
        with np.errstate(divide="ignore"):
            rows.append(np.log10(norms))
    return np.concatenate(rows)


# ---------------------------------------------------------------------- training


@dataclass
class TrainingRun:
    """What :func:`train_recurrent` returns.

    Attributes
    ----------
    network : ElmanNetwork
        The trained network.
    losses : ndarray
        The mini-batch loss before each update.
    accuracy : float
        Accuracy on a fresh test set of the same task (seed ``seed + 1000``).
    test : SequenceTask
        That test set.
    diverged_at : int or None
        The update whose loss was not finite (training stopped there), else None.
    settings : dict
    """

    network: ElmanNetwork
    losses: np.ndarray
    accuracy: float
    test: SequenceTask
    diverged_at: int | None = None
    settings: dict = field(default_factory=dict)


def train_recurrent(
    task="delay",
    delay=3,
    n_hidden=8,
    length=20,
    batch_size=32,
    n_updates=400,
    learning_rate=0.02,
    recurrent_scale=1.0,
    n_test=200,
    seed=0,
    progress=None,
):
    """Train an :class:`ElmanNetwork` on ``task`` with Adam and BPTT.

    Every update draws a fresh mini-batch of ``batch_size`` bit streams of ``length``
    steps (:func:`bit_task`, seeds derived from ``seed``), computes the masked
    cross-entropy and its gradients (:meth:`ElmanNetwork.gradients`) and takes one
    Adam step (:class:`widgets.engine.optimizers.Adam`, ``lr = learning_rate``). The
    network's initial weights come from ``seed``. A non-finite loss stops training
    (``diverged_at``); the network is then left as it was before that step.

    ``progress(done, total)`` is called every 20 updates and at the end.

    Returns
    -------
    TrainingRun
    """
    task = check_choice(task, TASKS, "task")
    length = check_integer(length, "length", low=2)
    delay = check_integer(delay, "delay", low=1 if task == "delay" else 0, high=length - 1)
    n_hidden = check_integer(n_hidden, "n_hidden", low=1)
    batch_size = check_integer(batch_size, "batch_size", low=1)
    n_updates = check_integer(n_updates, "n_updates", low=0)
    learning_rate = check_number(learning_rate, "learning_rate", low=0.0, low_inclusive=False)
    n_test = check_integer(n_test, "n_test", low=1)
    seed = check_integer(seed, "seed", low=0)
    network = ElmanNetwork(
        1, n_hidden, 1, "logistic", recurrent_scale, seed=np.random.default_rng([seed, 0])
    )
    optimizer = Adam(network.parameters, lr=learning_rate)
    rng = np.random.default_rng([seed, 1])
    losses, diverged_at = [], None
    for update in range(n_updates):
        batch = bit_task(task, batch_size, length, delay, rng)
        loss, grads = network.gradients(batch.X, batch.Y, batch.mask)
        if not np.isfinite(loss) or not all(np.isfinite(g).all() for g in grads):
            diverged_at = update + 1
            break
        losses.append(loss)
        optimizer.step(grads)
        if progress is not None and (update + 1) % 20 == 0:
            progress(update + 1, n_updates)
    if progress is not None:
        progress(n_updates, n_updates)
    test = bit_task(task, n_test, length, delay, np.random.default_rng([seed, 1000]))
    score = accuracy(network.predict(test.X), test.Y, test.mask)
    settings = dict(
        task=task,
        delay=delay,
        n_hidden=n_hidden,
        length=length,
        batch_size=batch_size,
        n_updates=n_updates,
        learning_rate=learning_rate,
        recurrent_scale=recurrent_scale,
        seed=seed,
    )
    return TrainingRun(network, np.array(losses), score, test, diverged_at, settings)


# ---------------------------------------------------------------------- memoryless baseline


def memoryless_table_accuracy(train, test):
    """The best accuracy on ``test`` of a model that sees only the current bit.

    For each value of the current bit, predict the target seen most often with it in
    ``train`` (ties → 1); score these guesses on the masked steps of ``test``. No model
    without memory does better on ``test`` than the best such table, and with enough
    training steps this one is it.

    Parameters
    ----------
    train, test : SequenceTask
    """
    for name, value in (("train", train), ("test", test)):
        if not isinstance(value, SequenceTask):
            raise TypeError(f"{name} must be a SequenceTask; got {type(value).__name__}.")
    keep = train.mask > 0
    x, y = train.X[keep][:, 0], train.Y[keep][:, 0]
    table = {}
    for bit in (0.0, 1.0):
        seen = y[x == bit]
        table[bit] = float(seen.mean() >= 0.5) if seen.size else 1.0
    keep = test.mask > 0
    guesses = np.where(test.X[keep][:, 0] == 1.0, table[1.0], table[0.0])
    return float((guesses == test.Y[keep][:, 0]).mean())


def memoryless_accuracy(train, test, hidden_layer_sizes=(8,), seed=0):
    """Accuracy of models that see only the current input, trained on ``train``.

    Each masked step of ``train`` becomes one example (current bit → target), as for an
    MLP applied at every step without memory. Returns

    - ``"table"``: :func:`memoryless_table_accuracy`, the best any memoryless model
      can do on ``test`` given ``train``;
    - ``"mlp"``: :class:`widgets.engine.MLPClassifier` (``hidden_layer_sizes``, Adam,
      ``random_state=seed``) fitted on the same examples, scored on ``test``.

    Parameters
    ----------
    train, test : SequenceTask
    """
    from .estimators import MLPClassifier  # the estimator stack only when asked

    for name, value in (("train", train), ("test", test)):
        if not isinstance(value, SequenceTask):
            raise TypeError(f"{name} must be a SequenceTask; got {type(value).__name__}.")
    keep = train.mask > 0
    x, y = train.X[keep], train.Y[keep][:, 0].astype(int)
    keep_test = test.mask > 0
    x_test, y_test = test.X[keep_test], test.Y[keep_test][:, 0].astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence warnings: there is nothing to learn
        mlp = MLPClassifier(hidden_layer_sizes, max_iter=50, random_state=seed).fit(x, y)
    return {
        "table": memoryless_table_accuracy(train, test),
        "mlp": float(mlp.score(x_test, y_test)),
    }
