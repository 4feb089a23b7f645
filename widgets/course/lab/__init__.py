"""The Neural Net Lab: the engine's answers, the checks that teach, the notebooks' helpers.

- :mod:`.reference`: what each exercise should compute, through the engine;
- :mod:`.checks`: ``check_*`` functions that run a learner's function on fresh
  random cases and say what differs (the lab's otter tests call them);
- :mod:`.verdict`: how a check calls the learner's code and words its verdict.
"""

from .verdict import NotYet

__all__ = ["NotYet"]
