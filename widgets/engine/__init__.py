"""NumPy neural-network engine of the course.

Public API::

    from widgets.engine import Network, MLPClassifier, MLPRegressor, make_optimizer

- :class:`Network`: the bare model (forward pass, loss, gradients);
- :class:`MLPClassifier`, :class:`MLPRegressor`: scikit-learn estimators that
  train it exactly as scikit-learn's MLPs do (same numbers where the two
  overlap), plus L1, dropout, leaky ReLU, Rprop, Adagrad and RMSprop;
- :func:`make_optimizer`: the update rules (sgd, rprop, adagrad, rmsprop,
  adam) for any list of arrays;
- :class:`DivergenceError`: raised when training produces a non-finite loss.

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
