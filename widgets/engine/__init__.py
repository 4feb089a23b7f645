"""NumPy neural-network engine of the course.

Public API::

    from widgets.engine import Network, MLPClassifier, MLPRegressor, make_optimizer

- :class:`Network`: the bare model (forward pass, loss, gradients);
- :func:`count_parameters`: the course's one count of weights and biases;
- :class:`MLPClassifier`, :class:`MLPRegressor`: scikit-learn estimators that
  train it exactly as scikit-learn's MLPs do (same numbers where the two
  overlap), plus L1, dropout, leaky ReLU, Rprop, Adagrad and RMSprop;
- :func:`make_optimizer`: the update rules (sgd, rprop, adagrad, rmsprop,
  adam, delta_bar_delta) for any list of arrays;
- :class:`DivergenceError`: raised when training produces a non-finite loss.

What is where:

- ``network.py``: the model written to be read - one forward pass, one
  back-propagation, each step's formula in its docstring. Start here.
- ``activations.py``, ``losses.py``, ``regularizers.py``, ``initializers.py``,
  ``optimizers.py``: the pieces it is built from, one formula per function.
- ``_fast.py``: the training loop's lean path. It repeats ``network.py``'s
  arithmetic operation for operation (bit-identical weights, tested in
  ``tests/engine/test_lean_paths.py``) with preallocated arrays, ``out=``
  arguments and shortcuts for ReLU and logistic units, because a mini-batch
  of a small network costs microseconds and Python overhead would dominate.
  Not for reading; private to the engine.
- ``training.py``, ``estimators.py``: mini-batch epochs and the scikit-learn
  estimators, on top of ``_fast.py``.
- ``validation.py``: every argument check, with one rule for the whole
  package: wrong type → ``TypeError``, wrong value (range, NaN, shape,
  unknown option, empty) → ``ValueError``, the message naming the argument.
- ``playground/``: TensorFlow Playground's own data sets and training rule
  (per-example accumulation, its L1 with dead weights), reproduced rule for rule.

Small helpers for the chapters live in the submodules, e.g.
:func:`widgets.engine.activations.softmax`,
:func:`widgets.engine.losses.cross_entropy_terms`,
:func:`widgets.engine.initializers.glorot_bound`.
"""

from .estimators import MLPClassifier, MLPRegressor
from .exceptions import DivergenceError
from .network import Network, count_parameters
from .optimizers import make_optimizer

__all__ = [
    "Network",
    "count_parameters",
    "MLPClassifier",
    "MLPRegressor",
    "make_optimizer",
    "DivergenceError",
]
