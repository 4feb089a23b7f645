"""The Playground's network and its training rule (TensorFlow Playground's ``nn.ts``).

A fully connected network of shape ``[n_inputs, *hidden, 1]``: hidden neurons use the
chosen activation, the output neuron tanh (classification) or the identity
(regression). Initial weights are U(−0.5, 0.5), every bias 0.1.

Training follows the original example by example, but computes a whole batch at once.
Per example the loss is E = ½(o − t)², so dE/do = o − t; backpropagation gives each
weight's and bias's derivative, which is *accumulated* with a count. After every
``batch_size``-th example of the epoch (``(i + 1) % batch_size == 0``) the parameters
move by the mean accumulated derivative, and weights also by the penalty:

.. math::

    b &\\leftarrow b - \\eta\\,\\frac{\\sum \\partial E/\\partial b}{k} \\\\
    w' &= w - \\frac{\\eta}{k} \\sum \\partial E/\\partial w, \\qquad
    w_{\\text{new}} = w' - \\eta\\,\\lambda\\,R'(w)

with k the count, η the learning rate, λ the regularization rate and R′ evaluated at the
weight *before* the update: R′(w) = sign(w) for L1, w for L2. Under L1, a weight whose
penalty step crosses zero (w′·w_new < 0) is set to 0 and is dead from then on: never
updated, its derivative no longer accumulated, still used (as 0) in the forward pass.
Examples after the last full batch stay in the accumulators and join the first batch
of the next epoch. Between two updates the weights do not change, so summing the
derivatives of a batch computed at once equals accumulating them one by one.
"""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral

import numpy as np
from scipy.special import expit

from ..exceptions import DivergenceError
from ..network import count_parameters
from ..validation import (
    as_float_array,
    check_choice,
    check_finite,
    check_integer,
    check_number,
    check_seed,
)
from .data import check_targets

#: Hidden activations: name -> (f(z), f'(z)) as functions of the total input z.
ACTIVATIONS = {
    "tanh": (np.tanh, lambda z: 1.0 - np.tanh(z) ** 2),
    # The original's derivative: 0 at z ≤ 0, 1 above.
    "relu": (lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(float)),
    "sigmoid": (expit, lambda z: expit(z) * (1.0 - expit(z))),
    "linear": (lambda z: z, np.ones_like),
}

#: Output activation per problem type.
OUTPUT_ACTIVATION = {"classification": "tanh", "regression": "linear"}

REGULARIZATIONS = (None, "L1", "L2")

MAX_HIDDEN_LAYERS = 6
MAX_NEURONS_PER_LAYER = 8
BATCH_SIZE_RANGE = (1, 30)

# Training has diverged once a parameter is this large (or not finite). Weights start
# in [−0.5, 0.5]; the Playground's data live in [−6, 6] and its targets in [−1, 1], so a
# healthy run never needs weights beyond a few hundred. Past this bound tanh and sigmoid
# units are pinned to ±1 or 0/1 and ReLU/linear outputs are astronomically wrong: every
# further epoch only moves the weights around at random.
DIVERGENCE_LIMIT = 1e4


def check_hidden(hidden) -> tuple:
    """Return ``hidden`` as a tuple of layer sizes: 0 to 6 layers of 1 to 8 neurons.

    Raises TypeError for a non-sequence or a size that is not a whole number,
    ValueError for a size out of range or too many layers.
    """
    if isinstance(hidden, (Integral, np.integer)) and not isinstance(hidden, bool):
        hidden = (hidden,)
    try:
        sizes = tuple(hidden)
    except TypeError:
        raise TypeError(
            f"hidden must be a sequence of layer sizes such as (4, 2); got {hidden!r}."
        ) from None
    for size in sizes:
        if isinstance(size, (bool, np.bool_)) or not isinstance(size, (Integral, np.integer)):
            raise TypeError(
                f"hidden must contain whole numbers of neurons; got {size!r} in {hidden!r}."
            )
        if not 1 <= size <= MAX_NEURONS_PER_LAYER:
            raise ValueError(
                f"hidden: each layer needs 1 to {MAX_NEURONS_PER_LAYER} neurons; "
                f"got {size} in {hidden!r}."
            )
    if len(sizes) > MAX_HIDDEN_LAYERS:
        raise ValueError(f"hidden: at most {MAX_HIDDEN_LAYERS} hidden layers; got {len(sizes)}.")
    return tuple(int(s) for s in sizes)


def check_learning_rate(value, argument="learning_rate") -> float:
    """Return ``value`` as a float after checking it is a positive finite number."""
    return check_number(value, argument, low=0, low_inclusive=False)


def check_reg_rate(value) -> float:
    """Return ``value`` as a float after checking it is a finite number >= 0."""
    return check_number(value, "reg_rate", low=0)


def check_batch_size(value) -> int:
    """Return ``value`` as an int after checking it is a whole number from 1 to 30."""
    return check_integer(value, "batch_size", *BATCH_SIZE_RANGE)


@dataclass
class LastUpdate:
    """The last update :meth:`PlaygroundNet.train_epoch` applied, with its numbers.

    Every array is one per layer, shaped like that layer's weights (or biases).

    Attributes
    ----------
    count : int
        Examples whose derivatives were averaged (k).
    weights_before : list of ndarray
        w, the weights before the update.
    accumulated : list of ndarray
        Σ ∂E/∂w, the derivatives summed over the k examples.
    gradient_step : list of ndarray
        (η/k)·Σ ∂E/∂w, subtracted first.
    penalty_step : list of ndarray
        η·λ·R′(w), subtracted next (zeros without regularization).
    weights_after : list of ndarray
        The new weights (0 for a weight that died).
    died : list of ndarray of bool
        Weights that the L1 step sent across zero, now dead.
    biases_before, bias_step, biases_after : list of ndarray
        The same for the biases: b, η·Σ ∂E/∂b / k, the new b.
    learning_rate, reg_rate : float
    regularization : str or None
    """

    count: int
    weights_before: list
    accumulated: list
    gradient_step: list
    penalty_step: list
    weights_after: list
    died: list
    biases_before: list
    bias_step: list
    biases_after: list
    learning_rate: float
    reg_rate: float
    regularization: str | None


def _checked_layers(values, current, argument):
    """New per-layer arrays for ``current``: one finite float array of the same shape per layer."""
    values = list(values)
    if len(values) != len(current):
        raise ValueError(
            f"{argument} must be a list of {len(current)} arrays, one per layer; got {len(values)}."
        )
    checked = []
    for k, (value, old) in enumerate(zip(values, current)):
        name = f"{argument}[{k}]"
        array = as_float_array(value, name, f"an array of numbers of shape {old.shape}")
        if array.shape != old.shape:
            raise ValueError(f"{name} must have shape {old.shape}; got {array.shape}.")
        checked.append(check_finite(array, name).copy())
    return checked


class PlaygroundNet:
    """TensorFlow Playground's network, trained exactly by its rule.

    Parameters
    ----------
    n_inputs : int
        Number of input features (1 to 7).
    hidden : sequence of int, default (4, 2)
        Hidden layer sizes: 0 to 6 layers of 1 to 8 neurons.
    activation : {"tanh", "relu", "sigmoid", "linear"}, default "tanh"
        Activation of the hidden neurons.
    problem : {"classification", "regression"}, default "classification"
        Output tanh (labels ±1) or linear.
    seed : int, numpy Generator or None, default None
        Source of the initial weights, drawn U(−0.5, 0.5) node by node as the original
        does (for each neuron, the links from every neuron of the previous layer).
    init_zero : bool, default False
        Start every weight and bias at 0 (the original's "init zero" option).

    Attributes
    ----------
    weights : list of ndarray of shape (n_in, n_out)
        Connection weights per layer; assigning a new list checks the shapes and revives
        dead weights.
    biases : list of ndarray of shape (n_out,)
    dead : list of ndarray of bool
        Weights killed by L1 (frozen at 0).
    last_update : LastUpdate or None
        What the last parameter update did, number by number (the learning-rule panel).
    updates : int
        Parameter updates applied so far.
    """

    def __init__(
        self,
        n_inputs=2,
        hidden=(4, 2),
        activation="tanh",
        problem="classification",
        seed=None,
        init_zero=False,
    ):
        self.n_inputs = check_integer(n_inputs, "n_inputs", 1, 7)  # the Playground's 7 features
        self.hidden = check_hidden(hidden)
        self.activation = check_choice(activation, ACTIVATIONS, "activation")
        self.problem = check_choice(problem, OUTPUT_ACTIVATION, "problem")
        self.layer_sizes = (self.n_inputs, *self.hidden, 1)
        rng = check_seed(seed)  # the same seed rule as the data's
        weights, biases = [], []
        for n_in, n_out in zip(self.layer_sizes[:-1], self.layer_sizes[1:]):
            # The original draws node by node, link by link: a (n_out, n_in) block, transposed.
            w = rng.random((n_out, n_in)).T - 0.5
            weights.append(np.zeros((n_in, n_out)) if init_zero else np.ascontiguousarray(w))
            biases.append(np.full(n_out, 0.0 if init_zero else 0.1))
        self._weights, self._biases = weights, biases
        self._reset_state()
        self._functions = [ACTIVATIONS[self.activation]] * len(self.hidden) + [
            ACTIVATIONS[OUTPUT_ACTIVATION[self.problem]]
        ]

    # ------------------------------------------------------------------ parameters

    def _reset_state(self):
        self.dead = [np.zeros(w.shape, dtype=bool) for w in self._weights]
        self._acc_w = [np.zeros_like(w) for w in self._weights]
        self._acc_b = [np.zeros_like(b) for b in self._biases]
        self._acc_count = 0
        self.last_update = None
        self.updates = 0

    @property
    def weights(self) -> list:
        return self._weights

    @weights.setter
    def weights(self, values):
        self._weights = _checked_layers(values, self._weights, "weights")
        self._reset_state()

    @property
    def biases(self) -> list:
        return self._biases

    @biases.setter
    def biases(self, values):
        self._biases = _checked_layers(values, self._biases, "biases")

    @property
    def n_parameters(self) -> int:
        """Weights plus biases: :func:`widgets.engine.count_parameters` of the layer sizes."""
        return count_parameters(self.layer_sizes)

    # ------------------------------------------------------------------ forward

    def _check_X(self, X):
        shape = f"(n_samples, {self.n_inputs})"
        X = as_float_array(X, "X", f"an array of numbers of shape {shape}")
        if X.ndim != 2 or X.shape[1] != self.n_inputs:
            raise ValueError(
                f"X must have shape {shape}, one column per input feature; got shape {X.shape}."
            )
        return check_finite(X, "X")

    def layer_outputs(self, X) -> list:
        """Every layer's outputs: ``[X, hidden_1, ..., output]``, each (n_samples, size)."""
        outputs = [self._check_X(X)]
        with np.errstate(over="ignore", invalid="ignore"):
            for (f, _), w, b in zip(self._functions, self._weights, self._biases):
                outputs.append(f(outputs[-1] @ w + b))
        return outputs

    def predict(self, X) -> np.ndarray:
        """The raw output o for each row of X, shape (n_samples,)."""
        return self.layer_outputs(X)[-1][:, 0]

    def loss(self, X, y) -> float:
        """Mean over the set of ½(o − t)², without the penalty (the Playground's displayed loss)."""
        output = self.predict(X)
        y = check_targets(y, output.shape[0])
        return float(np.mean(0.5 * (output - y) ** 2))

    # ------------------------------------------------------------------ training

    def _accumulate(self, X, y):
        """Add the summed derivatives of the examples (X, y), all at the current weights."""
        inputs, outputs = [X], []
        for (f, _), w, b in zip(self._functions, self._weights, self._biases):
            z = inputs[-1] @ w + b
            outputs.append(z)
            inputs.append(f(z))
        # dE/dz at the output neuron: (o − t)·f'(z).
        delta = (inputs[-1][:, 0] - y)[:, None] * self._functions[-1][1](outputs[-1])
        for layer in range(len(self._weights) - 1, -1, -1):
            grad_w = inputs[layer].T @ delta
            # Dead weights no longer accumulate (the original skips them).
            grad_w[self.dead[layer]] = 0.0
            self._acc_w[layer] += grad_w
            self._acc_b[layer] += delta.sum(axis=0)
            if layer > 0:
                delta = (delta @ self._weights[layer].T) * self._functions[layer - 1][1](
                    outputs[layer - 1]
                )
        self._acc_count += X.shape[0]

    def _update(self, learning_rate, regularization, reg_rate, record):
        count = self._acc_count
        rows = [] if record else None
        for layer, (w, b) in enumerate(zip(self._weights, self._biases)):
            bias_step = (learning_rate * self._acc_b[layer]) / count
            new_b = b - bias_step
            # R'(w) at the weight before this update.
            if regularization == "L1":
                penalty_slope = np.sign(w)
            elif regularization == "L2":
                penalty_slope = w
            else:
                penalty_slope = None
            gradient_step = (learning_rate / count) * self._acc_w[layer]
            after_gradient = w - gradient_step
            if penalty_slope is not None:
                penalty_step = learning_rate * reg_rate * penalty_slope
                new_w = after_gradient - penalty_step
            else:
                penalty_step = np.zeros_like(w)
                new_w = after_gradient
            live = ~self.dead[layer]
            died = np.zeros(w.shape, dtype=bool)
            if regularization == "L1":
                died = live & (after_gradient * new_w < 0)
                new_w[died] = 0.0
                self.dead[layer] |= died
            # Dead weights stay exactly as they were (0).
            new_w = np.where(live, new_w, w)
            if record:
                rows.append(
                    (
                        w,
                        self._acc_w[layer],
                        np.where(live, gradient_step, 0.0),
                        np.where(live, penalty_step, 0.0),
                        new_w,
                        died,
                        b,
                        bias_step,
                        new_b,
                    )
                )
            self._weights[layer] = new_w
            self._biases[layer] = new_b
            self._acc_w[layer] = np.zeros_like(w)
            self._acc_b[layer] = np.zeros_like(b)
        self._acc_count = 0
        self.updates += 1
        return count, rows

    def train_epoch(
        self, X, y, learning_rate=0.03, batch_size=10, regularization=None, reg_rate=0.0
    ):
        """One pass over the training set in its order, updating after every full batch.

        Parameters
        ----------
        X : array of shape (n_samples, n_inputs)
            The training inputs (features), in the fixed order of every epoch.
        y : array of shape (n_samples,)
            Targets: ±1 for classification.
        learning_rate : float, default 0.03
        batch_size : int, default 10
            1 to 30. Updates happen after example i when (i + 1) % batch_size == 0;
            leftover examples are carried into the next epoch's first update.
        regularization : {None, "L1", "L2"}, default None
        reg_rate : float, default 0.0
            λ, the regularization rate.

        Raises
        ------
        DivergenceError
            If a weight or bias stops being finite or exceeds ``DIVERGENCE_LIMIT`` in
            size. The network then holds the weights from before this epoch.
        """
        X = self._check_X(X)
        y = check_targets(y, X.shape[0])
        learning_rate = check_learning_rate(learning_rate)
        batch_size = check_batch_size(batch_size)
        regularization = check_choice(
            regularization, REGULARIZATIONS, "regularization", allow_none=True
        )
        reg_rate = check_reg_rate(reg_rate)
        saved = (
            [w.copy() for w in self._weights],
            [b.copy() for b in self._biases],
            [d.copy() for d in self.dead],
            [a.copy() for a in self._acc_w],
            [a.copy() for a in self._acc_b],
            self._acc_count,
            self.last_update,
            self.updates,
        )
        n = X.shape[0]
        last_boundary = (n // batch_size) * batch_size
        rows = None
        with np.errstate(over="ignore", invalid="ignore"):
            for start in range(0, last_boundary, batch_size):
                stop = start + batch_size
                self._accumulate(X[start:stop], y[start:stop])
                # Only the epoch's last update is kept for the learning-rule panel.
                count, rows = self._update(
                    learning_rate, regularization, reg_rate, record=(stop == last_boundary)
                )
            if last_boundary < n:
                self._accumulate(X[last_boundary:], y[last_boundary:])
        if rows is not None:
            self.last_update = LastUpdate(
                count=count,
                weights_before=[r[0] for r in rows],
                accumulated=[r[1] for r in rows],
                gradient_step=[r[2] for r in rows],
                penalty_step=[r[3] for r in rows],
                weights_after=[r[4] for r in rows],
                died=[r[5] for r in rows],
                biases_before=[r[6] for r in rows],
                bias_step=[r[7] for r in rows],
                biases_after=[r[8] for r in rows],
                learning_rate=learning_rate,
                reg_rate=reg_rate,
                regularization=regularization,
            )
        largest = max(
            max(float(np.max(np.abs(w), initial=0.0)) for w in self._weights),
            max(float(np.max(np.abs(b), initial=0.0)) for b in self._biases),
        )
        if not np.isfinite(largest) or largest > DIVERGENCE_LIMIT:
            (
                self._weights,
                self._biases,
                self.dead,
                self._acc_w,
                self._acc_b,
                self._acc_count,
                self.last_update,
                self.updates,
            ) = saved
            raise DivergenceError(
                f"training diverged: a weight reached {largest:.3g} (limit {DIVERGENCE_LIMIT:g}); "
                f"lower the learning rate and reset",
                loss=largest,
            )
