"""Initial values for the weights and biases of a network.

``glorot`` reproduces scikit-learn's ``MLPClassifier``/``MLPRegressor``
exactly: for each layer in turn it draws the weight matrix and then the bias
vector from one ``numpy.random.RandomState``, so that the same
``random_state`` yields the same initial network as scikit-learn's.

Every initializer fills one layer ``(fan_in, fan_out)`` at a time and returns
``(coef, intercept)`` in float64; the network casts them to its dtype.
"""

import numpy as np


def glorot_bound(fan_in, fan_out, activation="relu"):
    """Half-width ``b`` of Glorot's uniform initialisation ``U(-b, b)``.

    .. math:: b = \\sqrt{\\frac{6}{n_{in} + n_{out}}}
              \\quad\\text{or}\\quad
              b = \\sqrt{\\frac{2}{n_{in} + n_{out}}}
              \\text{ for the logistic activation}

    (Glorot & Bengio, 2010; scikit-learn uses the smaller bound for logistic
    hidden units, whose slope at 0 is 1/4 rather than 1.)

    Parameters
    ----------
    fan_in, fan_out : int
        Number of units feeding into and out of the layer.
    activation : str, default="relu"
        The network's hidden activation.
    """
    factor = 2.0 if activation == "logistic" else 6.0
    return np.sqrt(factor / (fan_in + fan_out))


def he_std(fan_in):
    """Standard deviation of He's normal initialisation ``N(0, s^2)``.

    .. math:: s = \\sqrt{\\frac{2}{n_{in}}}

    (He et al., 2015): a ReLU unit passes on half of its input's second
    moment, so doubling Glorot's ``1/n_in`` keeps the activations' scale
    constant from layer to layer.

    Parameters
    ----------
    fan_in : int
        Number of units feeding into the layer.
    """
    return np.sqrt(2.0 / fan_in)


def _glorot(rng, fan_in, fan_out, activation, scale):
    bound = glorot_bound(fan_in, fan_out, activation)
    coef = rng.uniform(-bound, bound, (fan_in, fan_out))
    intercept = rng.uniform(-bound, bound, fan_out)
    return coef, intercept


def _he(rng, fan_in, fan_out, activation, scale):
    coef = rng.normal(0.0, he_std(fan_in), (fan_in, fan_out))
    return coef, np.zeros(fan_out)


def _zeros(rng, fan_in, fan_out, activation, scale):
    return np.zeros((fan_in, fan_out)), np.zeros(fan_out)


def _constant(rng, fan_in, fan_out, activation, scale):
    return np.full((fan_in, fan_out), float(scale)), np.full(fan_out, float(scale))


def _normal(rng, fan_in, fan_out, activation, scale):
    coef = rng.normal(0.0, scale, (fan_in, fan_out))
    intercept = rng.normal(0.0, scale, fan_out)
    return coef, intercept


def _uniform(rng, fan_in, fan_out, activation, scale):
    coef = rng.uniform(-scale, scale, (fan_in, fan_out))
    intercept = rng.uniform(-scale, scale, fan_out)
    return coef, intercept


#: Initializer of one layer, by name. Each draws the weights, then the biases.
INITIALIZERS = {
    "glorot": _glorot,
    "he": _he,
    "zeros": _zeros,
    "constant": _constant,
    "normal": _normal,
    "uniform": _uniform,
}


def initialize_layers(layer_sizes, init, activation, init_scale, rng):
    """Return initial ``(coefs, intercepts)`` for all layers.

    Parameters
    ----------
    layer_sizes : list of int
        Units per layer, input layer first.
    init : {"glorot", "he", "zeros", "constant", "normal", "uniform"}
        Rule applied to every layer: ``glorot``: ``U(-g, g)`` with ``g`` from
        :func:`glorot_bound`; ``he``: weights ``N(0, 2/fan_in)``
        (:func:`he_std`), biases 0; ``zeros``: 0; ``constant``: ``init_scale``;
        ``normal``: ``N(0, init_scale**2)``; ``uniform``:
        ``U(-init_scale, init_scale)``. Biases follow the same rule.
    activation : str
        Hidden activation (only ``glorot`` looks at it).
        ``he`` ignores ``init_scale``, as ``glorot`` does.
    init_scale : float
        Value (``constant``), standard deviation (``normal``) or half-width
        (``uniform``).
    rng : numpy.random.RandomState
        Source of randomness, consumed layer by layer: weights, then biases.

    Returns
    -------
    coefs : list of ndarray of shape (fan_in, fan_out)
    intercepts : list of ndarray of shape (fan_out,)
    """
    layer_initializer = INITIALIZERS[init]
    coefs, intercepts = [], []
    for fan_in, fan_out in zip(layer_sizes[:-1], layer_sizes[1:]):
        coef, intercept = layer_initializer(rng, fan_in, fan_out, activation, init_scale)
        coefs.append(coef)
        intercepts.append(intercept)
    return coefs, intercepts
