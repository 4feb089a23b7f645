"""Chapter 8, neural-network issues: the restarts and gradient-flow explorers, figures.

- ``restarts.py``: :class:`RestartsExplorer` (data set, width, seeds → final-loss
  distribution, stuck share, expected best of k restarts);
- ``gradient_flow.py``: :class:`GradientFlowExplorer` (depth, activation, gain →
  gradient norm per layer at initialization and after a few steps);
- ``gradient_flow_chart.py``: :func:`gradient_flow_chart`, the same gradient norms at
  initialization as an interactive figure that needs no kernel (Vega-Lite, precomputed
  by the engine for every setting of its controls);
- ``figures.py``: escaping a shallow basin with noise, critical points' loss and index.
"""

from .figures import plot_critical_points, plot_noise_escape
from .gradient_flow import FLOW_ACTIVATIONS, GradientFlowExplorer, flow_data
from .gradient_flow_chart import gradient_flow_chart
from .restarts import (
    MAX_SEEDS,
    RESTART_DATASETS,
    RESTART_WIDTHS,
    RestartsExplorer,
    cached_restart_losses,
    restart_data,
)

__all__ = [
    "RestartsExplorer",
    "GradientFlowExplorer",
    "RESTART_DATASETS",
    "RESTART_WIDTHS",
    "MAX_SEEDS",
    "restart_data",
    "cached_restart_losses",
    "FLOW_ACTIVATIONS",
    "flow_data",
    "gradient_flow_chart",
    "plot_noise_escape",
    "plot_critical_points",
]
