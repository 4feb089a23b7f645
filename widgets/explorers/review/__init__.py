"""Chapter 14, the review: the diagnose-the-run explorer and its figure.

- ``diagnose.py``: :class:`DiagnoseExplorer` (a seeded training run with one hidden
  cause: the learner picks a cause and a fix, the explorer judges the diagnosis, trains
  the case again with the fix and shows both runs side by side; "new case" moves on);
- ``figures.py``: :func:`plot_run` (loss, accuracy, per-layer gradient norms and
  saturation of one run against the epoch) and its alt text.
"""

from .diagnose import DiagnoseExplorer, run_for
from .figures import describe_run, plot_run, settings_text

__all__ = ["DiagnoseExplorer", "run_for", "plot_run", "describe_run", "settings_text"]
