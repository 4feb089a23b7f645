"""Neural Net Odds and Ends: the course's explorers, quizzes and engine.

``widgets.engine`` is the small NumPy network library every chapter computes with;
each explorer lives in a module of its own beside it. Explorers are imported lazily,
so ``import widgets.engine`` does not pull in ipywidgets or matplotlib.
"""

from importlib import import_module

# public name -> module that defines it
_EXPLORERS = {
    "DescentExplorer": "widgets.explorers.descent",
    "Playground": "widgets.explorers.playground",
    "check_challenge": "widgets.explorers.playground.challenges",
    "show_quiz": "widgets.course.quiz",
}

__all__ = sorted(_EXPLORERS)


def __getattr__(name):
    if name in _EXPLORERS:
        return getattr(import_module(_EXPLORERS[name]), name)
    raise AttributeError(f"module 'widgets' has no attribute {name!r}")
