"""Chapter 5's explorer and figures: how many hidden units?

- :mod:`.widget`: :class:`WidthSweepExplorer` (a sweep over widths 1, 2, 4 … 128 with the
  doubling rule's pick), its cache of sweeps (:func:`cached_sweep`) and the chapter's
  figures (:func:`plot_seed_sweeps`, :func:`plot_bias`);
- :mod:`.width_sweep_chart`: the sweep as an interactive figure (Vega-Lite) for the
  site's readers who have no kernel, its accuracies precomputed through the explorer's
  cache.
"""

from .widget import (
    WidthSweepExplorer,
    boundary_thumbnail,
    cached_sweep,
    plot_bias,
    plot_seed_sweeps,
    setting_key,
)
from .width_sweep_chart import (
    ALPHAS,
    DECIMALS,
    NOISE_LEVELS,
    SWEEP_FILTER,
    best_label,
    sweep_rows,
    width_sweep_chart,
)

__all__ = [
    "ALPHAS",
    "DECIMALS",
    "NOISE_LEVELS",
    "SWEEP_FILTER",
    "WidthSweepExplorer",
    "best_label",
    "boundary_thumbnail",
    "cached_sweep",
    "plot_bias",
    "plot_seed_sweeps",
    "setting_key",
    "sweep_rows",
    "width_sweep_chart",
]
