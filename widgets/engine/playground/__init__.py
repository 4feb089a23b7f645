"""TensorFlow Playground's data and network, reproduced rule for rule.

Usage::

    from widgets.engine.playground import make_data, split, featurize, FEATURES, PlaygroundNet

    X, y = make_data("spiral", noise=20, seed=0)            # 500 points, labels ±1
    X_train, y_train, X_test, y_test = split(X, y, train_percent=70, seed=0)
    features = ["x1", "x2", "sin(x1)", "sin(x2)"]
    net = PlaygroundNet(n_inputs=len(features), hidden=(4, 2), activation="tanh", seed=0)
    net.train_epoch(featurize(X_train, features), y_train, learning_rate=0.03, batch_size=10)
    net.loss(featurize(X_test, features), y_test)            # mean ½(o − t)²

The rules (data geometry, noise, shuffling, initial weights, the per-example
accumulation with batch updates, L1 and L2) are those of the original's ``dataset.ts``,
``nn.ts`` and ``playground.ts``; see :mod:`widgets.engine.playground.data` and
:mod:`widgets.engine.playground.net`.
"""

from ..exceptions import DivergenceError
from .data import (
    DATASETS,
    DEFAULT_N_SAMPLES,
    FEATURES,
    MULTIGAUSS_CENTRES,
    NOISE_RANGE,
    TRAIN_PERCENT_RANGE,
    featurize,
    make_data,
    shuffled_order,
    split,
)
from .net import (
    ACTIVATIONS,
    BATCH_SIZE_RANGE,
    DIVERGENCE_LIMIT,
    MAX_HIDDEN_LAYERS,
    MAX_NEURONS_PER_LAYER,
    OUTPUT_ACTIVATION,
    REGULARIZATIONS,
    LastUpdate,
    PlaygroundNet,
)

#: The learning rates and regularization rates the Playground offers.
LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10)
REG_RATES = (0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10)

__all__ = [
    "make_data",
    "split",
    "featurize",
    "shuffled_order",
    "FEATURES",
    "DATASETS",
    "DEFAULT_N_SAMPLES",
    "MULTIGAUSS_CENTRES",
    "NOISE_RANGE",
    "TRAIN_PERCENT_RANGE",
    "PlaygroundNet",
    "LastUpdate",
    "ACTIVATIONS",
    "OUTPUT_ACTIVATION",
    "REGULARIZATIONS",
    "BATCH_SIZE_RANGE",
    "MAX_HIDDEN_LAYERS",
    "MAX_NEURONS_PER_LAYER",
    "DIVERGENCE_LIMIT",
    "LEARNING_RATES",
    "REG_RATES",
    "DivergenceError",
]
