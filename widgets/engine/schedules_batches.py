"""Activations, learning rates and batch sizes: chapter 9's computations, headless.

- :func:`activation_value`, :func:`activation_derivative`: f and f′ of the identity,
  logistic, tanh, ReLU, leaky ReLU with any slope ``a`` and sine;
  :func:`derivative_product`: f′(net)ᵏ, the factor k layers contribute to a back-
  propagated error when every layer sees the same net input;
- :func:`dead_units`, :func:`dead_share`: hidden ReLU units whose net input is ≤ 0 for
  every training example (their gradient is 0 for every example: they never learn
  again); :func:`dead_unit_survey` measures the share over several seeds;
- :func:`sgd_run`: an engine :class:`~widgets.engine.MLPClassifier` (solver ``"sgd"``,
  no momentum, no L2 penalty) trained on digits, its loss per epoch, whether it
  diverged, and the weight updates and examples it used;
- :func:`updates_per_epoch`, :func:`best_learning_rate`: the batch-size comparison.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import log_loss

from .estimators import MLPClassifier
from .exceptions import DivergenceError
from .network import Network
from .sweeps import make_dataset
from .validation import (
    as_float_array,
    check_choice,
    check_integer,
    check_matrix,
    check_number,
)

__all__ = [
    "ACTIVATION_NAMES",
    "SCHEDULES",
    "activation_value",
    "activation_derivative",
    "derivative_product",
    "logistic_derivative_at",
    "logistic_value_at",
    "derivative_product_at",
    "dead_units",
    "dead_share",
    "dead_unit_survey",
    "digits_task",
    "SGDRun",
    "sgd_run",
    "initial_loss",
    "updates_per_epoch",
    "pick_rate",
    "check_option",
    "best_learning_rate",
]

#: The activations of the chapter: scikit-learn's four, leaky ReLU and sine.
ACTIVATION_NAMES = ("identity", "logistic", "tanh", "relu", "leaky_relu", "sine")
#: scikit-learn's learning-rate schedules for ``solver="sgd"``.
SCHEDULES = ("constant", "invscaling", "adaptive")


def check_option(value, options, argument):
    """Return ``value`` (a number) if it equals one of the numbers ``options``.

    ``TypeError`` if it is not a real number (booleans refused), ``ValueError`` if it
    is not one of ``options``; the message names ``argument``.
    """
    value = check_number(value, argument)
    if value not in options:
        raise ValueError(f"{argument} must be one of {list(options)}; got {value!r}.")
    return type(options[list(options).index(value)])(value)


def _net(z, argument="net"):
    return as_float_array(z, argument)


def _slope(slope):
    return check_number(slope, "slope", low=0.0, high=1.0)


def activation_value(name, net, slope=0.01):
    """f(net) for the activation ``name``.

    identity: ``net``; logistic: ``1 / (1 + exp(−net))``; tanh; relu: ``max(0, net)``;
    leaky_relu: ``net`` if ``net > 0`` else ``slope · net``; sine: ``sin(net)``.

    Parameters
    ----------
    name : {"identity", "logistic", "tanh", "relu", "leaky_relu", "sine"}
    net : array-like of numbers
        Net inputs.
    slope : float in [0, 1]
        Leaky ReLU's slope ``a`` for negative inputs (ignored by the others).
    """
    name = check_choice(name, ACTIVATION_NAMES, "name")
    z = _net(net)
    a = _slope(slope)
    if name == "identity":
        return z.copy()
    if name == "logistic":
        return 0.5 * (1.0 + np.tanh(0.5 * z))  # = 1/(1+e^−z), without overflow
    if name == "tanh":
        return np.tanh(z)
    if name == "relu":
        return np.maximum(z, 0.0)
    if name == "leaky_relu":
        return np.where(z > 0, z, a * z)
    return np.sin(z)


def activation_derivative(name, net, slope=0.01):
    """f′(net) for the activation ``name``.

    identity: 1; logistic: ``f(1 − f)``; tanh: ``1 − f²``; relu: 1 if ``net > 0`` else 0
    (at the kink ``net = 0`` the engine, like scikit-learn, takes 0: one side of a
    point where no derivative exists); leaky_relu: 1 if ``net > 0`` else ``slope``;
    sine: ``cos(net)``.

    Parameters are those of :func:`activation_value`.
    """
    name = check_choice(name, ACTIVATION_NAMES, "name")
    z = _net(net)
    a = _slope(slope)
    if name == "identity":
        return np.ones_like(z)
    if name == "logistic":
        f = activation_value("logistic", z)
        return f * (1.0 - f)
    if name == "tanh":
        return 1.0 - np.tanh(z) ** 2
    if name == "relu":
        return (z > 0).astype(float)
    if name == "leaky_relu":
        return np.where(z > 0, 1.0, a)
    return np.cos(z)


def derivative_product(name, net, k, slope=0.01):
    """f′(net)ᵏ: what k layers multiply a back-propagated error by (weights aside).

    The back-propagated error of a layer is ``δ = f′(net) · Σ w δ_next``, so k layers
    contribute the product of their k derivatives. With every layer at the same net
    input this is ``f′(net)ᵏ``; the logistic's ``f′ ≤ 0.25`` gives at most ``0.25ᵏ``.

    Parameters
    ----------
    name, net, slope
        As in :func:`activation_derivative`.
    k : int ≥ 1
        Number of layers.
    """
    k = check_integer(k, "k", low=1)
    return activation_derivative(name, net, slope) ** k


def logistic_derivative_at(net):
    """f′(net) of the logistic as one float: ``f(net)(1 − f(net))`` (quiz helper)."""
    return float(activation_derivative("logistic", check_number(net, "net")))


def logistic_value_at(net):
    """f(net) of the logistic as one float (quiz helper)."""
    return float(activation_value("logistic", check_number(net, "net")))


def derivative_product_at(name, net, k, slope=0.01):
    """:func:`derivative_product` at one net input, as one float (quiz helper)."""
    return float(derivative_product(name, check_number(net, "net"), k, slope))


# ---------------------------------------------------------------------- dead units


def _hidden_net_inputs(model, X):
    """Net input of every hidden unit of a fitted engine/scikit-learn MLP, layer by layer."""
    coefs = getattr(model, "coefs_", None)
    if coefs is None:
        raise ValueError("model must be a fitted MLPClassifier/MLPRegressor (no coefs_).")
    X = check_matrix(X, "X", n_columns=coefs[0].shape[0])
    if model.activation != "relu":
        raise ValueError(f"model must use activation='relu'; got {model.activation!r}.")
    nets, a = [], X
    for W, b in zip(coefs[:-1], model.intercepts_[:-1]):
        z = a @ W + b
        nets.append(z)
        a = np.maximum(z, 0.0)
    return nets


def dead_units(model, X):
    """Which hidden units of a fitted ReLU network are dead on ``X``.

    A unit is dead when its net input is ≤ 0 for every row of ``X``: its output and its
    derivative are then 0 for every example, so no gradient reaches its incoming
    weights and training cannot revive it.

    Returns
    -------
    list of ndarray of bool
        One mask per hidden layer (True: dead).
    """
    return [(z <= 0).all(axis=0) for z in _hidden_net_inputs(model, X)]


def dead_share(model, X):
    """Share of the hidden units of ``model`` that are dead on ``X`` (all layers)."""
    masks = dead_units(model, X)
    return float(np.concatenate(masks).mean())


@dataclass
class DeadSurvey:
    """The result of :func:`dead_unit_survey`: one share per seed."""

    learning_rate: float
    seeds: tuple
    shares: np.ndarray
    accuracy: np.ndarray

    @property
    def mean(self) -> float:
        return float(self.shares.mean())


def digits_task(n_train=1000, n_validation=400, seed=0):
    """Digits (pixels scaled to [0, 1]), ``n_train`` training and ``n_validation`` held out.

    :func:`widgets.engine.sweeps.make_dataset` without noise.
    """
    return make_dataset("digits", 0.0, n_train, n_validation, seed)


def dead_unit_survey(learning_rate=0.1, seeds=(0, 1, 2, 3, 4), width=64, epochs=30):
    """Train a ReLU network on digits for each seed; the share of dead hidden units.

    Each network is ``MLPClassifier((width,), activation="relu", solver="sgd",
    batch_size=50, momentum=0, alpha=0, learning_rate_init=learning_rate,
    max_iter=epochs)`` on :func:`digits_task`'s training set. A run that diverges
    counts all its units as dead (the weights are no longer numbers).
    """
    learning_rate = check_number(learning_rate, "learning_rate", low=0.0, low_inclusive=False)
    width = check_integer(width, "width", low=1)
    epochs = check_integer(epochs, "epochs", low=1)
    seeds = tuple(check_integer(s, "seeds", low=0) for s in seeds)
    if not seeds:
        raise ValueError("seeds must name at least one seed.")
    X, y, X_val, y_val = digits_task()
    shares, accuracy = [], []
    for seed in seeds:
        model = _sgd_model(width, 50, learning_rate, "constant", epochs, seed)
        try:
            _fit_quietly(model, X, y)
        except DivergenceError:
            shares.append(1.0)
            accuracy.append(float("nan"))
            continue
        shares.append(dead_share(model, X))
        accuracy.append(model.score(X_val, y_val))
    return DeadSurvey(learning_rate, seeds, np.array(shares), np.array(accuracy))


# ---------------------------------------------------------------------- sgd runs


def _sgd_model(width, batch_size, learning_rate, schedule, epochs, seed, patience=10):
    return MLPClassifier(
        (width,),
        activation="relu",
        solver="sgd",
        alpha=0.0,
        batch_size=batch_size,
        learning_rate=schedule,
        learning_rate_init=learning_rate,
        momentum=0.0,
        max_iter=epochs,
        n_iter_no_change=patience,
        random_state=seed,
    )


def _fit_quietly(model, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        model.fit(X, y)


@dataclass
class SGDRun:
    """One :func:`sgd_run`: the loss per epoch and what the run used.

    ``loss`` holds the finite epoch losses (the epochs before a divergence);
    ``diverged`` is true when the loss became non-finite (the engine's
    :class:`~widgets.engine.exceptions.DivergenceError`) or an epoch's loss rose above
    ``initial_loss``, the untrained network's (the steps made things worse than not
    training at all); ``updates`` and
    ``examples`` count the weight updates and the examples seen after each epoch of
    ``loss``. ``loss`` is scikit-learn's
    ``loss_curve_``: each epoch's mean of its batch losses, measured while the weights
    move; ``end_loss`` is the cross-entropy of the final weights on the whole training
    set (inf after a divergence), the fair comparison between batch sizes.
    """

    batch_size: int
    learning_rate: float
    schedule: str
    n_train: int
    loss: np.ndarray
    rates: np.ndarray
    diverged: bool
    diverged_epoch: int | None
    validation_accuracy: float | None
    end_loss: float
    initial_loss: float
    updates: np.ndarray = field(init=False)
    examples: np.ndarray = field(init=False)

    def __post_init__(self):
        epochs = np.arange(1, len(self.loss) + 1)
        self.updates = epochs * updates_per_epoch(self.n_train, self.batch_size)
        self.examples = epochs * self.n_train

    @property
    def rank_loss(self) -> float:
        """``end_loss``, or inf when the run diverged: what :func:`pick_rate` compares."""
        return math.inf if self.diverged else self.end_loss


def sgd_run(
    batch_size=50,
    learning_rate=0.1,
    schedule="constant",
    epochs=30,
    seed=0,
    width=32,
    n_train=1000,
    patience=None,
):
    """Train ``MLPClassifier(solver="sgd")`` on digits; return an :class:`SGDRun`.

    The network: one hidden layer of ``width`` ReLU units, plain SGD (``momentum=0``:
    momentum is the next chapter's topic), no L2 penalty (``alpha=0``, so the loss is
    the cross-entropy alone), scikit-learn's schedules ``constant``, ``invscaling``
    (after each epoch the rate becomes ``η₀ / (t + 1)^0.5``, ``t`` the examples seen)
    or ``adaptive`` (rate divided by 5 after 10 epochs without improvement).
    ``patience``: scikit-learn's ``n_iter_no_change`` (default: 10 for ``adaptive``,
    otherwise ``epochs`` so that every run trains the full number of epochs).

    Raises ``ValueError``/``TypeError`` for bad arguments; a diverging run is not an
    error (see :class:`SGDRun`).
    """
    schedule = check_choice(schedule, SCHEDULES, "schedule")
    n_train = check_integer(n_train, "n_train", low=10, high=1397)
    batch_size = check_integer(batch_size, "batch_size", low=1, high=n_train)
    learning_rate = check_number(
        learning_rate, "learning_rate", low=0.0, high=1e3, low_inclusive=False
    )
    epochs = check_integer(epochs, "epochs", low=1)
    seed = check_integer(seed, "seed", low=0)
    width = check_integer(width, "width", low=1)
    if patience is None:
        patience = 10 if schedule == "adaptive" else epochs
    patience = check_integer(patience, "patience", low=1)
    X, y, X_val, y_val = digits_task(n_train=n_train)
    model = _sgd_model(width, batch_size, learning_rate, schedule, epochs, seed, patience)
    diverged_epoch = None
    try:
        _fit_quietly(model, X, y)
    except DivergenceError as error:
        diverged_epoch = error.epoch
    loss = np.array(model.loss_curve_, dtype=float)
    rates = np.array(model.history_.get("learning_rate", []), dtype=float)[: len(loss)]
    start = initial_loss(seed, width, n_train)
    diverged = diverged_epoch is not None or bool((loss > start * (1 + 1e-9)).any())
    accuracy, end_loss = None, math.inf
    if diverged_epoch is None:
        with np.errstate(all="ignore"):
            proba = model.predict_proba(X)
        if np.isfinite(proba).all():
            end_loss = float(log_loss(y, proba, labels=model.classes_))
    if not diverged:
        accuracy = float(model.score(X_val, y_val))
    return SGDRun(
        batch_size,
        learning_rate,
        schedule,
        n_train,
        loss,
        rates,
        diverged,
        diverged_epoch,
        accuracy,
        end_loss,
        start,
    )


def initial_loss(seed=0, width=32, n_train=1000):
    """Training loss of :func:`sgd_run`'s network before any update.

    The estimator draws its initial weights as :class:`~widgets.engine.Network` does
    with ``init="glorot"`` and ``random_state=RandomState(seed)`` (scikit-learn's
    rule); this is the cross-entropy of those weights on the training set.
    """
    seed = check_integer(seed, "seed", low=0)
    width = check_integer(width, "width", low=1)
    X, y, _, _ = digits_task(n_train=check_integer(n_train, "n_train", low=10, high=1397))
    classes = np.unique(y)
    network = Network(
        [X.shape[1], width, len(classes)],
        activation="relu",
        output="softmax",
        init="glorot",
        random_state=np.random.RandomState(seed),
    )
    return float(log_loss(y, network.forward(X), labels=classes))


def updates_per_epoch(n, batch_size):
    """Weight updates in one epoch of ``n`` examples in batches of ``batch_size``: ⌈n/b⌉.

    ``batch_size = 1`` is on-line (stochastic) training, ``n`` updates an epoch;
    ``batch_size = n`` is batch training, one update an epoch (the true gradient).
    """
    n = check_integer(n, "n", low=1)
    batch_size = check_integer(batch_size, "batch_size", low=1, high=n)
    return -(-n // batch_size)


def pick_rate(losses):
    """The rule for a batch size's learning rate: the lowest final loss wins.

    ``losses``: dict rate → final loss (inf for a diverged run). Ties go to the smaller
    rate. ``ValueError`` if every run diverged or the dict is empty.
    """
    if not isinstance(losses, dict) or not losses:
        raise ValueError("losses must be a non-empty dict rate → final loss.")
    finite = {r: v for r, v in losses.items() if math.isfinite(v)}
    if not finite:
        raise ValueError("losses: every rate diverged; there is no rate to pick.")
    return min(finite, key=lambda r: (finite[r], r))


def best_learning_rate(batch_size, rates=(0.003, 0.01, 0.03, 0.1, 0.3, 1.0), epochs=20, seed=0):
    """The rate of ``rates`` with the lowest final training loss at ``batch_size``.

    Each candidate trains :func:`sgd_run` for ``epochs`` epochs at ``seed``; its
    ``end_loss`` (the final weights' loss on the training set; inf if it diverged) is
    compared by :func:`pick_rate`. Returns ``(best_rate, {rate: final loss})``.
    """
    rates = tuple(
        check_number(r, "rates", low=0.0, low_inclusive=False) for r in np.atleast_1d(rates)
    )
    if not rates:
        raise ValueError("rates must hold at least one learning rate.")
    runs = {r: sgd_run(batch_size, r, "constant", epochs, seed) for r in rates}
    losses = {r: run.rank_loss for r, run in runs.items()}
    return pick_rate(losses), losses
