"""How a lab check calls a learner's function and says what differs.

A check fails by raising :class:`NotYet`, an ``AssertionError`` (so that otter
reports it as a failed test case) whose message starts with "Not yet" and says
what was called, what differs (which entry, expected and got) and, when the
learner's answer matches a known wrong answer, a hint for that mistake.
"""

import numpy as np

__all__ = ["NotYet", "call_learner", "call_text", "compare", "describe", "same"]

# Learners' arithmetic differs from the engine's in its order of operations
# only: agreement to 1e-7 relative (1e-10 absolute, for values near zero) is
# far tighter than any real mistake and far looser than rounding.
RTOL, ATOL = 1e-7, 1e-10


# A check's verdict is a plain AssertionError whose message starts with "Not yet": otter
# prints an exception's type before its message, and "AssertionError: Not yet: ..." reads
# as every failed Python test does. The name says what it means where it is raised.
NotYet = AssertionError


def describe(value):
    """A short description of an argument: its shape for an array, else its repr."""
    if isinstance(value, np.ndarray):
        return f"array {value.shape}"
    if isinstance(value, type):
        return f"np.{value.__name__}" if value.__module__ == "numpy" else value.__name__
    if isinstance(value, (list, tuple)) and value and isinstance(value[0], np.ndarray):
        return "[" + ", ".join(describe(v) for v in value) + "]"
    return repr(value)


def call_text(name, args):
    """The call as the learner would write it, arrays shown by their shapes."""
    return f"{name}(" + ", ".join(f"{key}={describe(value)}" for key, value in args.items()) + ")"


def call_learner(function, name, args, exception_hint=""):
    """Call ``function(*args.values())`` on copies of the arguments; return its result.

    The arguments go by position, in the order of the exercise's signature, as
    the lab's own code calls the function (a learner may rename parameters).

    Raises
    ------
    NotYet
        If ``function`` is not defined, raises an exception, or returns None
        or ``...`` (its body not written yet).
    """
    if function is None:
        raise NotYet(f"Not yet: `{name}` is not defined. Run the cell that defines it.")
    if not callable(function):
        raise NotYet(f"Not yet: `{name}` should be a function; it is {type(function).__name__}.")
    copies = {key: np.copy(v) if isinstance(v, np.ndarray) else v for key, v in args.items()}
    call = call_text(name, args)
    try:
        result = function(*copies.values())
    except Exception as error:  # the learner's code: any exception is a verdict
        hint = f"\nHint: {exception_hint}" if exception_hint else ""
        raise NotYet(f"Not yet: {call} raised {type(error).__name__}: {error}{hint}") from None
    if result is None or result is Ellipsis:
        raise NotYet(
            f"Not yet: `{name}` returned {result!r}. Write its body in place of the `...`, "
            "and end it with `return`."
        )
    return result


def as_array(value, name, call):
    """``value`` as a float array, or a NotYet naming what came back instead."""
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise NotYet(
            f"Not yet: {call} should return numbers; it returned {type(value).__name__}."
        ) from None
    return array


def same(got, expected):
    """Whether ``got`` has ``expected``'s shape and values, to rounding (False if not numbers)."""
    try:
        got, expected = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    except (TypeError, ValueError):
        return False
    return got.shape == expected.shape and np.allclose(got, expected, rtol=RTOL, atol=ATOL)


def compare(got, expected, what, call, mistakes=(), nonfinite_hint=""):
    """Raise :class:`NotYet` unless ``got`` equals ``expected`` to rounding.

    Parameters
    ----------
    got, expected : array-like or float
        The learner's value and the engine's.
    what : str
        Names the value in the message ("the hidden delta").
    call : str
        The call that produced it, as the learner would write it.
    mistakes : sequence of (wrong_value, hint)
        Known wrong answers for this case; a ``got`` equal to one of them gets
        its hint.
    nonfinite_hint : str
        The hint for NaN or infinite values where the engine's are finite.
    """
    expected = np.asarray(expected, dtype=float)
    got = as_array(got, what, call)
    for wrong, hint in mistakes:
        if same(got, wrong) and not same(wrong, expected):
            raise NotYet(
                f"Not yet: {what} from {call} is not right.\n{_where(got, expected)}Hint: {hint}"
            )
    if got.shape != expected.shape:
        raise NotYet(
            f"Not yet: {what} from {call} has shape {got.shape}; expected {expected.shape}."
        )
    if not np.all(np.isfinite(got)) and np.all(np.isfinite(expected)):
        index = tuple(int(i) for i in np.argwhere(~np.isfinite(got))[0])
        at = f" at {list(index)}" if index else ""
        hint = f"\nHint: {nonfinite_hint}" if nonfinite_hint else ""
        raise NotYet(
            f"Not yet: {what} from {call} holds {got[index]}{at}, where the engine's is "
            f"{expected[index]:.6g}.{hint}"
        )
    if not np.allclose(got, expected, rtol=RTOL, atol=ATOL):
        where = _where(got, expected).rstrip()
        raise NotYet(f"Not yet: {what} from {call} differs from the engine's.\n{where}")


def _where(got, expected):
    """Which entry differs most, expected and got, and how many differ."""
    if got.shape != expected.shape:
        return f"It has shape {got.shape}; expected {expected.shape}.\n"
    if got.ndim == 0:
        return f"Expected {float(expected):.8g}, got {float(got):.8g}.\n"
    wrong = ~np.isclose(got, expected, rtol=RTOL, atol=ATOL)
    gap = np.where(wrong, np.abs(np.nan_to_num(got - expected, nan=np.inf)), -1)
    index = tuple(int(i) for i in np.unravel_index(np.argmax(gap), got.shape))
    return (
        f"Entry {list(index)}: expected {expected[index]:.8g}, got {got[index]:.8g} "
        f"({int(wrong.sum())} of {got.size} entries differ).\n"
    )
