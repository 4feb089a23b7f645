"""Redraw latency of the explorers, through the Explorer base's one redraw path.

Each measurement sets a control's value exactly as a click in the notebook does (the
traitlets observer reads the controls, computes, draws the figure and updates the
widgets) and reads how long that pass through the redraw path took
(``explorer.last_update_seconds``, set by :meth:`widgets.display.Explorer._update`).
Every explorer listed in ``widgets.__all__`` is timed, through its controls' extremes
(:meth:`~widgets.display.Explorer.control_extremes`) or, where given below, a list of
changes a learner would make. Prints the median and the 90th percentile per explorer,
against the budget of 100 ms per control change. Not a pass/fail test: timings depend
on the machine.
"""

from __future__ import annotations

import itertools
import statistics

BUDGET_MS = 100

# Changes a learner makes, per explorer (the rest: every control's extremes).
CHANGES = {
    "DescentExplorer": [
        *[("learning_rate", v) for v in (0.003, 0.01, 0.03, 0.1, 0.2, 0.26, 0.3, 0.6, 1.0)],
        *[("steps", v) for v in (10, 80, 200, 40)],
        *[("decay", v) for v in (0.05, 0.2, 0.0)],
        *[("start", v) for v in ("4, -4", "-1, 3")],
    ],
}


def extreme_changes(explorer):
    """Every control through its extremes and back to where it started."""
    changes = []
    for name, values in explorer.control_extremes().items():
        start = explorer.controls[name].value
        changes += [(name, value) for value in [*values, start]]
    return changes


def time_control_changes(explorer, changes, repeats=3):
    """Seconds of the redraw path for each ``explorer.controls[name].value = value``."""
    timings = []
    for name, value in itertools.chain.from_iterable([changes] * repeats):
        control = explorer.controls[name]
        if control.value == value:
            continue
        count = explorer.redraw_count
        control.value = value
        if explorer.redraw_count > count or explorer.message:
            timings.append(explorer.last_update_seconds)
    return timings


def report(name, timings, budget_ms=BUDGET_MS):
    ms = sorted(t * 1e3 for t in timings)
    median, p90 = statistics.median(ms), ms[int(0.9 * (len(ms) - 1))]
    verdict = "within" if median <= budget_ms else "OVER"
    print(
        f"{name:28} {len(ms):4d} redraws   median {median:7.1f} ms   p90 {p90:7.1f} ms   "
        f"budget {budget_ms} ms ({verdict})"
    )


def main():
    import widgets

    for name, cls in widgets.explorer_classes().items():
        explorer = cls()
        changes = CHANGES.get(name) or extreme_changes(explorer)
        report(name, time_control_changes(explorer, changes))


if __name__ == "__main__":
    main()
