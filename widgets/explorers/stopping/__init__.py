"""Chapter 6, when to stop: the early-stopping and dropout explorers and the figures.

- ``early_stopping.py``: :class:`EarlyStoppingExplorer` (data, size, noise, width,
  validation fraction, patience, tolerance → per-epoch curves, the epoch the rule stops
  at and the one whose weights it keeps, test accuracy there and at the end);
- ``dropout.py``: :class:`DropoutExplorer` (drop probability, width, data size, noise →
  training and test accuracy over three seeds, a sampled mask drawn on the network);
- ``figures.py``: the chapter's static figures (curves of one run, patience over
  seeds, the learning curve, dropout over seeds);
- ``early_stopping_chart.py``, ``dropout_chart.py``: the two explorers' first settings
  as interactive figures that need no kernel (Vega-Lite, the engine's runs embedded).
"""

from .dropout import DropoutExplorer, network_svg
from .dropout_chart import dropout_chart
from .early_stopping import EarlyStoppingExplorer, explain_rule, stopping_data
from .early_stopping_chart import early_stopping_chart
from .figures import plot_curves, plot_dropout_sweep, plot_learning_curve

__all__ = [
    "EarlyStoppingExplorer",
    "DropoutExplorer",
    "explain_rule",
    "stopping_data",
    "network_svg",
    "plot_curves",
    "plot_learning_curve",
    "plot_dropout_sweep",
    "early_stopping_chart",
    "dropout_chart",
]
