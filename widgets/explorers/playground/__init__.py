"""The Playground explorer (chapters 2 and 12): TensorFlow Playground in a notebook.

- :mod:`.session`: the settings (:class:`PlaygroundConfig`) and a headless training
  session on the engine's :mod:`widgets.engine.playground`;
- :mod:`.render`: the pictures (heatmaps, network drawing, loss chart) as PNG/SVG;
- :mod:`.widget`: the ipywidgets explorer, :class:`Playground`;
- :mod:`.figures`: the chapters' static figures of a trained Playground;
- :mod:`.challenges`: the lecture's five challenges, :func:`check_challenge`;
- :mod:`.seeds`: a setting over several seeds (how many runs separate the data or meet a
  challenge, and the spread), as the chapters report every result;
- :mod:`.replay_chart`: a recorded training run replayed by an epoch slider, a figure
  that needs no kernel (:func:`replay_chart`).
"""

from .challenges import check_challenge
from .replay_chart import replay_chart
from .session import PlaygroundConfig, PlaygroundSession, run_playground
from .widget import Playground

__all__ = [
    "Playground",
    "PlaygroundConfig",
    "PlaygroundSession",
    "run_playground",
    "check_challenge",
    "replay_chart",
]
