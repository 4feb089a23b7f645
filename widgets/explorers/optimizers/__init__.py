"""Chapter 10's explorer and figures: optimizers from momentum to Adam.

- :mod:`.race`: the explorer, :class:`OptimizerRace` (eight update rules of the engine
  raced on the 2-D surfaces of :mod:`widgets.engine.surfaces`);
- :mod:`.race_chart`: :func:`race_chart`, the race as an interactive figure that needs
  no kernel (Vega-Lite; the engine's paths precomputed and embedded);
- :mod:`.figures`: the chapter's static figures and the numbers they print (a race, the
  delta-bar-delta rates, optimizers training a network on digits, Adam's bias
  correction), and the quiz's computed answers.
"""

from .race import PRESETS, RACERS, OptimizerRace, race_run, racer_settings
from .race_chart import race_chart

__all__ = ["OptimizerRace", "PRESETS", "RACERS", "race_chart", "race_run", "racer_settings"]
