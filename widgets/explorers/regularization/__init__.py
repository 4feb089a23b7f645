"""Chapter 7, regularization: the L1/L2 explorer and the chapter's figures.

- ``widget.py``: :class:`RegularizationExplorer` (no penalty, L1 and L2 of the same λ
  side by side: decision regions, weight histograms, exact zeros, accuracy);
- ``figures.py``: one weight under decay, the L1 diamond and the L2 circle, the
  regularization paths.
"""

from .figures import plot_decay, plot_geometry, plot_paths
from .penalty_chart import (
    DECAY_EXPRESSIONS,
    PENALTY_CHART_LOG_LAMBDAS,
    penalty_chart,
    penalty_chart_lambda,
)
from .widget import (
    DATA_SETS,
    HIDDEN,
    LAM_RANGE,
    MAX_ITER,
    N_TEST,
    N_TRAIN,
    PenaltyRun,
    RegularizationExplorer,
    train_setting,
)

__all__ = [
    "RegularizationExplorer",
    "PenaltyRun",
    "train_setting",
    "DATA_SETS",
    "HIDDEN",
    "N_TRAIN",
    "N_TEST",
    "LAM_RANGE",
    "MAX_ITER",
    "plot_decay",
    "plot_geometry",
    "plot_paths",
    "penalty_chart",
    "penalty_chart_lambda",
    "PENALTY_CHART_LOG_LAMBDAS",
    "DECAY_EXPRESSIONS",
]
