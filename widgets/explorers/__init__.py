"""The explorers: one module per explorer (a package when it grows large).

- :mod:`.descent`: chapter 1, gradient descent on a two-weight loss surface
  (:class:`~widgets.explorers.descent.DescentExplorer`);
- :mod:`.playground`: chapters 2 and 12, TensorFlow Playground in a notebook
  (:class:`~widgets.explorers.playground.Playground`) with the chapters' figures and the
  challenge checkers.

Each explorer subclasses :class:`widgets.display.Explorer` and keeps the contract its
docstring states. Explorers import :mod:`widgets.display` and :mod:`widgets.engine`,
never one another; what two explorers both need belongs in one of those layers.

Adding an explorer: write ``<name>.py`` here with a subclass of
:class:`~widgets.display.Explorer`, computing with the engine and drawing with
:mod:`widgets.display` (the palette, the image pipeline, the charts); list its public
name in ``widgets/__init__.py``. ``tests/explorers/test_every_explorer.py`` then builds
it with no argument and drives it through every control's extremes and every button;
add its own tests in ``tests/explorers/`` and a line in ``bench/bench_explorers.py``.
"""
