"""Per-layer statistics of a network: activations, saturation, gradients, symmetry.

Chapter 3 (weight initialization) reads every number it shows from here:

- :func:`make_network`: a network initialised by one of the chapter's schemes, with
  a scale multiplier;
- :func:`hidden_layers`: each hidden layer's net input ``z_l`` and activation
  ``a_l = f(z_l)`` for a batch of inputs;
- :func:`saturated_share`: the share of a layer's values whose slope ``f'(z)`` has
  fallen below a stated fraction of the activation's largest slope;
- :func:`distinct_units`: how many hidden units of a layer really differ;
- :func:`layer_stds`: the standard deviation of activations and of weight gradients
  layer by layer (signal propagation, Glorot & Bengio 2010);
- :func:`train_and_record`: full-batch training that records the loss and the
  saturated share per layer at every epoch.

Notation as in :mod:`widgets.engine.network`: ``z_l = a_{l-1} W_l + b_l``,
``a_l = f(z_l)``, ``a_0 = X``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .activations import HIDDEN_ACTIVATIONS, derivative
from .network import Network
from .optimizers import make_optimizer
from .validation import check_choice, check_integer, check_matrix, check_number

__all__ = [
    "SCHEMES",
    "SLOPE_FRACTION",
    "MAX_SLOPE",
    "make_network",
    "hidden_layers",
    "saturated_share",
    "distinct_units",
    "layer_stds",
    "train_and_record",
    "TrainingRecord",
]

#: Scheme name → (engine ``init``, base scale). The base scale is the standard
#: deviation (``normal``), half-width (``uniform``) or common value (``constant``)
#: before the multiplier; ``glorot`` and ``he`` have their own scale, which the
#: multiplier multiplies; ``zeros`` is zero at any multiplier.
SCHEMES = {
    "glorot": ("glorot", None),
    "he": ("he", None),
    "normal": ("normal", 0.1),
    "uniform": ("uniform", 0.1),
    "equal": ("constant", 0.1),
    "zeros": ("zeros", 0.0),
}

#: A value is *saturated* when the activation's slope there is below this fraction of
#: its largest slope: ``f'(z) < SLOPE_FRACTION * MAX_SLOPE[f]``.
SLOPE_FRACTION = 0.1

#: Largest slope of each hidden activation (logistic: 1/4 at z = 0).
MAX_SLOPE = {"identity": 1.0, "logistic": 0.25, "tanh": 1.0, "relu": 1.0, "leaky_relu": 1.0}


def make_network(
    layer_sizes,
    scheme="glorot",
    activation="tanh",
    multiplier=1.0,
    output="logistic",
    random_state=0,
):
    """Return a :class:`~widgets.engine.Network` initialised by ``scheme`` times ``multiplier``.

    - ``glorot``: ``U(-m g, m g)``, ``g`` = :func:`~widgets.engine.initializers.glorot_bound`
      (scikit-learn's rule; biases alike);
    - ``he``: ``N(0, (m s)^2)``, ``s = sqrt(2 / fan_in)``, biases 0;
    - ``normal``: ``N(0, (0.1 m)^2)``; ``uniform``: ``U(-0.1 m, 0.1 m)``;
    - ``equal``: every weight and bias ``0.1 m``; ``zeros``: every one 0.

    Parameters
    ----------
    layer_sizes : sequence of int
        Units per layer, input first.
    scheme : {"glorot", "he", "normal", "uniform", "equal", "zeros"}
    activation : str
        Hidden activation (:data:`widgets.engine.activations.HIDDEN_ACTIVATIONS`).
    multiplier : float > 0
        Scale multiplier ``m``.
    output : str
        Output activation (its loss follows, see :class:`Network`).
    random_state : int or None
    """
    scheme = check_choice(scheme, SCHEMES, "scheme")
    multiplier = check_number(multiplier, "multiplier", low=0, low_inclusive=False)
    init, base = SCHEMES[scheme]
    scale = 0.1 if base is None else base * multiplier
    network = Network(
        layer_sizes,
        activation=activation,
        output=output,
        init=init,
        init_scale=scale,
        random_state=random_state,
    )
    if base is None:
        network.params *= multiplier
    return network


def hidden_layers(network, X):
    """Return ``[(z_1, a_1), ..., (z_{L-1}, a_{L-1})]``: every hidden layer's net input and
    activation for the rows of ``X``.

    Computed from the network's public ``coefs`` and ``intercepts``:
    ``z_l = a_{l-1} W_l + b_l``, ``a_l = f(z_l)``, ``a_0 = X``.
    """
    a = check_matrix(X, "X", n_columns=network.layer_sizes[0])
    f = HIDDEN_ACTIVATIONS[network.activation]
    layers = []
    for W, b in zip(list(network.coefs)[:-1], list(network.intercepts)[:-1]):
        z = a @ W + b
        a = f(z)
        layers.append((z, a))
    return layers


def saturated_share(z, activation, fraction=SLOPE_FRACTION):
    """Share of the net inputs ``z`` at which ``activation`` is saturated.

    .. math:: \\frac{1}{N}\\#\\{z : f'(z) < \\text{fraction} \\cdot \\max f'\\}

    With the default fraction 0.1: logistic saturates for ``|z| > 3.64`` (output
    below 0.026 or above 0.974), tanh for ``|z| > 1.82`` (``|a| > 0.949``), ReLU for
    ``z <= 0`` (slope 0: the unit is off).

    Parameters
    ----------
    z : array-like
        Net inputs of any shape (all are counted).
    activation : str
        A hidden activation name.
    fraction : float in (0, 1)
    """
    activation = check_choice(activation, MAX_SLOPE, "activation")
    fraction = check_number(fraction, "fraction", low=0, high=1, low_inclusive=False)
    z = np.asarray(z, dtype=float)
    if z.size == 0:
        raise ValueError("z: expected at least one value, got none.")
    slope = derivative(activation, z)
    return float(np.mean(slope < fraction * MAX_SLOPE[activation]))


def distinct_units(coef, intercept, rtol=1e-9):
    """Number of distinct units in a layer: units whose incoming weights differ.

    Unit ``j``'s incoming weights are column ``j`` of ``coef`` with its bias
    ``intercept[j]`` appended; two units count as one when these vectors agree to
    ``rtol`` times the largest absolute weight of the layer (or exactly, if it is 0).

    Parameters
    ----------
    coef : array-like of shape (fan_in, fan_out)
    intercept : array-like of shape (fan_out,)
    rtol : float >= 0
    """
    coef = np.asarray(coef, dtype=float)
    intercept = np.asarray(intercept, dtype=float)
    if coef.ndim != 2 or intercept.shape != (coef.shape[1],):
        raise ValueError(
            f"coef, intercept: expected shapes (fan_in, fan_out) and (fan_out,), got "
            f"{coef.shape} and {intercept.shape}."
        )
    rtol = check_number(rtol, "rtol", low=0)
    units = np.vstack([coef, intercept]).T  # one row per unit
    scale = float(np.abs(units).max()) if units.size else 0.0
    tolerance = rtol * scale
    representatives = []
    for row in units:
        if not any(np.all(np.abs(row - other) <= tolerance) for other in representatives):
            representatives.append(row)
    return len(representatives)


def layer_stds(network, X, Y):
    """Standard deviation of each hidden layer's activations and of each layer's weight
    gradient, for one batch.

    Returns
    -------
    activation_stds : ndarray of shape (n_hidden_layers,)
        ``std(a_l)`` over samples and units.
    gradient_stds : ndarray of shape (n_layers - 1,)
        ``std(dJ/dW_l)`` over the weights of layer ``l``, from the engine's
        back-propagation (:meth:`Network.loss_and_gradients`).
    """
    activation_stds = np.array([a.std() for _, a in hidden_layers(network, X)])
    _, coef_grads, _ = network.loss_and_gradients(X, Y)
    return activation_stds, np.array([g.std() for g in coef_grads])


@dataclass
class TrainingRecord:
    """What :func:`train_and_record` measured.

    ``losses[e]`` is the training loss before epoch ``e`` ends (``losses[0]`` at
    initialization); ``saturation[e, l]`` the saturated share of hidden layer ``l`` at
    the same moment; ``diverged_at`` the first epoch whose loss was not finite (then
    the arrays stop there), else None.
    """

    losses: np.ndarray
    saturation: np.ndarray
    diverged_at: int | None = None
    distinct: list = field(default_factory=list)


def train_and_record(network, X, Y, epochs=200, learning_rate=0.1, solver="sgd", momentum=0.9):
    """Train ``network`` full batch on ``(X, Y)`` and record loss and saturation per epoch.

    Each epoch is one step of ``solver`` (:func:`widgets.engine.make_optimizer`) on the
    gradient of the whole training set. The network is trained in place.

    Returns
    -------
    TrainingRecord
        Loss and saturated share per hidden layer at initialization and after every
        epoch, and the number of distinct units per hidden layer at the end.
    """
    epochs = check_integer(epochs, "epochs", low=0)
    learning_rate = check_number(learning_rate, "learning_rate", low=0, low_inclusive=False)
    hyper = {"lr": learning_rate}
    if solver == "sgd":
        hyper["momentum"] = check_number(momentum, "momentum", low=0, high=1)
    optimizer = make_optimizer(solver, [network.params], **hyper)
    losses, saturation = [], []
    diverged_at = None
    for epoch in range(epochs + 1):
        loss, _, _ = network.loss_and_gradients(X, Y)
        if not np.isfinite(loss) or not np.isfinite(network.grads).all():
            diverged_at = epoch
            break
        losses.append(loss)
        saturation.append(
            [saturated_share(z, network.activation) for z, _ in hidden_layers(network, X)]
        )
        if epoch < epochs:
            optimizer.step([network.grads])
            if not np.isfinite(network.params).all():
                diverged_at = epoch + 1
                break
    distinct = [distinct_units(W, b) for W, b in zip(list(network.coefs)[:-1], network.intercepts)]
    return TrainingRecord(
        np.array(losses),
        np.array(saturation).reshape(len(losses), network.n_layers - 2),
        diverged_at,
        distinct,
    )
