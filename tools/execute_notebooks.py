"""Re-execute the course's notebooks in place: `make notebooks`.

Every chapter (and the quiz index) runs top to bottom in a fresh kernel of this
environment; its outputs and the state of its widgets are stored in the notebook, so
the static site can show the explorers' first view and nbval can check that the stored
outputs are what the code produces now. Pass paths to execute only some notebooks.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

# The BLAS kernels every stored output is computed with (see the Makefile): the kernels
# started below inherit it.
os.environ.setdefault("OPENBLAS_CORETYPE", "Haswell")
# (and one BLAS thread, as `make test` checks them: see the Makefile)
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(ROOT.glob("chapters/*.ipynb")) + sorted(ROOT.glob("book/*.ipynb"))


def execute(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=900,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        store_widget_state=True,
        # No timestamps: re-running an unchanged notebook changes nothing but widget ids.
        record_timing=False,
    )
    client.execute()
    nbformat.write(notebook, path)


def main(argv: list[str]) -> int:
    paths = [Path(p).resolve() for p in argv] or NOTEBOOKS
    for path in paths:
        start = time.perf_counter()
        print(f"executing {path.relative_to(ROOT)} ...", flush=True)
        execute(path)
        print(f"  done in {time.perf_counter() - start:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
