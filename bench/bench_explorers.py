"""Redraw latency of the explorers, through each widget's own update path.

Each measurement sets a control's value exactly as a click in the notebook does (the
traitlets observer runs the computation, draws the figure and updates the widgets)
and times that assignment. Prints the median and the 90th percentile per explorer,
against its budget. Not a pass/fail test: timings depend on the machine.
"""

from __future__ import annotations

import itertools
import statistics
import time


def time_control_changes(explorer, changes, repeats=3):
    """Seconds taken by each ``explorer.controls[name].value = value`` in ``changes``."""
    timings = []
    for name, value in itertools.chain.from_iterable([changes] * repeats):
        control = explorer.controls[name]
        if control.value == value:
            continue
        start = time.perf_counter()
        control.value = value
        timings.append(time.perf_counter() - start)
    return timings


def report(name, timings, budget_ms):
    ms = sorted(t * 1e3 for t in timings)
    median, p90 = statistics.median(ms), ms[int(0.9 * (len(ms) - 1))]
    verdict = "within" if median <= budget_ms else "OVER"
    print(
        f"{name:28} {len(ms):4d} redraws   median {median:7.1f} ms   p90 {p90:7.1f} ms   budget {budget_ms} ms ({verdict})"
    )


def main():
    from widgets.explorers.descent import DescentExplorer

    explorer = DescentExplorer()
    changes = [("learning_rate", v) for v in (0.003, 0.01, 0.03, 0.1, 0.2, 0.26, 0.3, 0.6, 1.0)]
    changes += [("steps", v) for v in (10, 80, 200, 40)]
    changes += [("decay", v) for v in (0.05, 0.2, 0.0)]
    changes += [("start", v) for v in ("4, -4", "-1, 3")]
    report("descent (chapter 1)", time_control_changes(explorer, changes), budget_ms=100)


if __name__ == "__main__":
    main()
