"""Frame time of the Playground in play mode, through the widget's own update path.

In play mode each tick of the ``Play`` widget is one frame: one epoch of training, then a
full redraw (100×100 output heatmap with the points, every neuron's thumbnail, the
links, the loss chart, the learning-rule panel). Here each frame is driven exactly as
the notebook drives it, by advancing the ``Play`` widget's value, and timed through the
Explorer base's one redraw path (``playground.last_update_seconds``, the time of the
frame's pass through :meth:`widgets.display.Explorer._update`). Prints the
median and 90th percentile for the default network and for 6 hidden layers of 8
neurons, against the budgets (33 ms, 30 frames a second; 100 ms). Not pass/fail:
timings depend on the machine.

Two settings: here in this process (no front end: widget updates go nowhere), and inside
a real IPython kernel, where every frame's new pictures are also serialized and sent
over the kernel's comm channel, as in JupyterLab.
"""

from __future__ import annotations

import statistics


def frame_times(playground, frames=60, warmup=5):
    """Seconds per play-mode frame, each one tick of the Play widget."""
    play = playground.buttons["play"]
    for _ in range(warmup):
        play.value += 1
    timings = []
    for _ in range(frames):
        play.value += 1
        timings.append(playground.last_update_seconds)
    return timings


def report(name, timings, budget_ms, playground):
    ms = sorted(t * 1e3 for t in timings)
    median, p90 = statistics.median(ms), ms[int(0.9 * (len(ms) - 1))]
    verdict = "within" if median <= budget_ms else "OVER"
    print(
        f"{name:40} {len(ms):4d} frames   median {median:6.1f} ms   p90 {p90:6.1f} ms   "
        f"budget {budget_ms} ms ({verdict})   [{playground.status}]"
    )


CASES = [
    ("default (4, 2)", {}, 33),
    (
        "6 layers x 8, 7 features",
        {
            "hidden": (8,) * 6,
            "features": ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"),
        },
        100,
    ),
    (
        "spiral 70%, 6 layers x 8",
        {"dataset": "spiral", "noise": 20, "train_percent": 70, "hidden": (8,) * 6},
        100,
    ),
]


def in_process():
    from widgets.explorers.playground import Playground

    for name, settings, budget in CASES:
        playground = Playground(**settings)
        report(f"in process: {name}", frame_times(playground), budget, playground)


_KERNEL_CELL = """
import json
from IPython.display import display
from widgets.explorers.playground import Playground
import sys
sys.path.insert(0, {bench!r})
from bench_playground import frame_times
results = []
for name, settings, budget in {cases!r}:
    playground = Playground(**settings)
    display(playground)          # a live view: the kernel now sends every change over its comm
    results.append((name, budget, frame_times(playground), playground.status))
print(json.dumps(results))
"""


def in_kernel():
    """The same frames inside an IPython kernel (the notebook's own update path, comm included)."""
    import json
    from pathlib import Path

    import nbformat
    from nbclient import NotebookClient

    bench = str(Path(__file__).resolve().parent)
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(_KERNEL_CELL.format(bench=bench, cases=CASES))]
    NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=600,
        resources={"metadata": {"path": str(Path(bench).parent)}},
    ).execute()
    text = "".join(
        o["text"]
        for o in notebook.cells[0].outputs
        if o.get("output_type") == "stream" and o["name"] == "stdout"
    )
    for name, budget, timings, status in json.loads(text.strip().splitlines()[-1]):
        report(f"in a kernel: {name}", timings, budget, type("P", (), {"status": status}))


def main():
    in_process()
    in_kernel()


if __name__ == "__main__":
    main()
