"""Chapter 3, weight initialization: the Init explorer and the chapter's figures.

- ``widget.py``: :class:`InitExplorer` (scheme, scale, activation, depth, width →
  activation histograms, saturation, distinct units, loss curve);
- ``figures.py``: signal propagation through 10 layers, the wrong-but-confident
  output, a training run whose loss drops twice.
"""

from .figures import (
    error_signal,
    plot_loss_drops,
    plot_signal_propagation,
    plot_wrong_but_confident,
    signal_propagation,
    two_drop_runs,
    wrong_but_confident,
)
from .widget import EPOCHS, LEARNING_RATE, SCHEME_LABELS, InitExplorer, moons_data

__all__ = [
    "InitExplorer",
    "moons_data",
    "SCHEME_LABELS",
    "EPOCHS",
    "LEARNING_RATE",
    "signal_propagation",
    "plot_signal_propagation",
    "wrong_but_confident",
    "error_signal",
    "plot_wrong_but_confident",
    "two_drop_runs",
    "plot_loss_drops",
]
