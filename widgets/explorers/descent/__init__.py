"""Chapter 1's explorer: gradient descent on a two-weight loss surface.

- :mod:`.surface`: the model (a line fit's loss surface, computed by the engine) and
  gradient descent on it, with the numbers the chapter and its quiz print;
- :mod:`.widget`: the explorer, :class:`DescentExplorer`;
- :mod:`.figures`: the chapter's static figures;
- :mod:`.descent_chart`: the figure that needs no kernel, :func:`descent_chart`.
"""

from .descent_chart import descent_chart
from .figures import (
    plot_centring,
    plot_data_and_lines,
    plot_learning_rates,
    plot_loss_curves,
    plot_loss_slice,
    plot_surface,
)
from .surface import (
    DescentRun,
    LossSurface,
    centred_weights,
    critical_learning_rate,
    gradient_descent,
    grid_search_log10_evaluations,
    line_fit_surface,
    parse_point,
    surface_for,
    weight_after_steps,
)
from .widget import DescentExplorer

__all__ = [
    "DescentExplorer",
    "DescentRun",
    "LossSurface",
    "centred_weights",
    "critical_learning_rate",
    "descent_chart",
    "gradient_descent",
    "grid_search_log10_evaluations",
    "line_fit_surface",
    "parse_point",
    "plot_centring",
    "plot_data_and_lines",
    "plot_learning_rates",
    "plot_loss_curves",
    "plot_loss_slice",
    "plot_surface",
    "surface_for",
    "weight_after_steps",
]
