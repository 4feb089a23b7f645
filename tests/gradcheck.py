"""One finite-difference check for every hand-written backward pass the tests verify.

``central_difference`` estimates the gradient of a scalar function entry by entry;
``relative_error`` compares it with the analytic gradient. Engine tests import them
(``tests/`` is on ``sys.path``, see ``conftest.py``).
"""

from __future__ import annotations

import numpy as np

STEP = 1e-6


def central_difference(f, x: np.ndarray, step: float = STEP) -> np.ndarray:
    """∂f/∂x by central differences, one entry of ``x`` at a time.

    ``(f(x + h eᵢ) − f(x − h eᵢ)) / 2h`` for every index ``i``; ``f`` takes no argument
    and reads ``x``, which is changed in place and restored after each entry.
    """
    grad = np.zeros_like(x, dtype=float)
    for index in np.ndindex(x.shape):
        saved = x[index]
        x[index] = saved + step
        up = f()
        x[index] = saved - step
        down = f()
        x[index] = saved
        grad[index] = (up - down) / (2 * step)
    return grad


def relative_error(a, b) -> float:
    """``max |a − b|`` over the larger of the two arrays' largest magnitudes."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.abs(a - b).max() / max(np.abs(a).max(), np.abs(b).max(), 1e-12))
