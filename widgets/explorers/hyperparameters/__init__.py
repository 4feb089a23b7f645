"""Chapter 11, hyperparameter selection: the grid-search explorer and the figures.

- ``grid.py``: :class:`GridSearchExplorer` (pair of hyperparameters, start, order,
  passes, seed → heatmap of cross-validated accuracy, best cell, one-at-a-time path);
- ``figures.py``: random search against a grid, the optimism of tuning on the test set.
"""

from .figures import plot_optimism, plot_random_vs_grid
from .grid import CV, N_DATA, SEEDS, GridSearchExplorer, cached_grid, plot_grid, value_label

__all__ = [
    "GridSearchExplorer",
    "cached_grid",
    "plot_grid",
    "value_label",
    "N_DATA",
    "CV",
    "SEEDS",
    "plot_random_vs_grid",
    "plot_optimism",
]
