"""Chapter 9, activations, learning rate and batch size: three explorers and figures.

- ``activation.py``: :class:`ActivationExplorer` (f, f′ and f′ᵏ of six activations at
  a chosen net input; the share of dead units in trained ReLU networks);
- ``learning_rate.py``: :class:`LearningRateExplorer` (plain SGD on digits at any
  learning rate and scikit-learn's three schedules; "diverged" when it blows up);
- ``batch_size.py``: :class:`BatchSizeExplorer` (on-line, mini-batch and batch
  training against epochs, weight updates and examples seen);
- ``figures.py``: the chapter's static figures;
- ``activation_chart.py``: f and f′ as an interactive figure computed in the browser
  (Vega-Lite), for the site's readers who have no kernel.
"""

from .activation import SURVEY_RATES, ActivationExplorer, cached_survey
from .activation_chart import activation_chart, activation_expressions
from .batch_size import (
    BATCH_SIZES,
    EPOCHS,
    RATE_GRID,
    RULES,
    TUNED_RATES,
    BatchSizeExplorer,
    batch_runs,
    comparison,
    grid_losses,
    measured_rate,
    tuned_rate,
)
from .figures import plot_activation_gallery, plot_rate_sweep
from .learning_rate import LearningRateExplorer, cached_run, describe

__all__ = [
    "ActivationExplorer",
    "activation_chart",
    "activation_expressions",
    "LearningRateExplorer",
    "BatchSizeExplorer",
    "SURVEY_RATES",
    "cached_survey",
    "cached_run",
    "describe",
    "BATCH_SIZES",
    "EPOCHS",
    "RATE_GRID",
    "RULES",
    "TUNED_RATES",
    "measured_rate",
    "batch_runs",
    "comparison",
    "grid_losses",
    "tuned_rate",
    "plot_activation_gallery",
    "plot_rate_sweep",
]
