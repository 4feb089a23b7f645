"""Generate the Neural Net Lab's notebooks from their sources: `make lab-notebooks`.

Each lab is written once, with its solutions, in otter-grader's assignment format
(``lab/source/NAME.ipynb``). ``otter assign`` makes from it

- ``lab/NAME.ipynb``: the **student** notebook, each solution replaced by ``...``;
  what the site shows and what Binder opens (committed without outputs, as handed out);
- ``lab/tests/LAB/QUESTION.py``: the checks, as otter test files that ``grader.check``
  runs (each calls a ``check_*`` function of :mod:`widgets.course.lab.checks`); ``LAB``
  is the notebook's name up to its first underscore (``lab1``), its ``tests_dir``;
- ``lab/solutions/NAME.ipynb`` (with its own ``tests/``): the **solution** notebook,
  executed here and committed with its outputs, which nbval checks in ``make test``.

``--check`` regenerates into a temporary folder and exits 1, naming the files, if
any committed file differs from what the sources give now (for notebooks: their
cells' types, sources and tags). The tests run it, so a source edited without
regenerating fails ``make test``.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

os.environ.setdefault("OPENBLAS_CORETYPE", "Haswell")

ROOT = Path(__file__).resolve().parent.parent
LAB = ROOT / "lab"
SOURCES = sorted((LAB / "source").glob("*.ipynb"))


def assign(source: Path, out: Path) -> Path:
    """Run ``otter assign`` on one source; return its result folder."""
    result = out / source.stem
    subprocess.run(
        [sys.executable, "-m", "otter", "assign", "--no-pdfs", str(source), str(result)],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    return result


def generate(target: Path) -> list[Path]:
    """Write the student notebooks, tests and (unexecuted) solutions under ``target``."""
    written = []
    with tempfile.TemporaryDirectory() as scratch:
        for source in SOURCES:
            result = assign(source, Path(scratch))
            tests = source.stem.split("_")[0]  # lab1: the notebook's own tests_dir
            for kind, folder in (("student", target), ("autograder", target / "solutions")):
                (folder / "tests" / tests).mkdir(parents=True, exist_ok=True)
                notebook = nbformat.read(result / kind / source.name, as_version=4)
                # otter gives each cell a random id; numbered ones keep regeneration stable.
                for index, cell in enumerate(notebook.cells):
                    cell.id = f"{source.stem.split('_')[0]}-{index:03d}"
                nbformat.write(notebook, folder / source.name)
                written.append(folder / source.name)
                for test in sorted((result / kind / "tests").glob("*.py")):
                    shutil.copyfile(test, folder / "tests" / tests / test.name)
                    written.append(folder / "tests" / tests / test.name)
    return written


def execute(path: Path) -> None:
    """Run a solution notebook top to bottom and store its outputs."""
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
    ).execute()
    nbformat.write(notebook, path)
    (path.parent / ".OTTER_LOG").unlink(missing_ok=True)


def _cells(path: Path) -> list[tuple[str, str, list[str]]]:
    """What a notebook says, without what changes between two runs of otter assign
    (random cell ids) or of the notebook (outputs)."""
    return [
        (cell.cell_type, cell.source, cell.get("metadata", {}).get("tags", []))
        for cell in nbformat.read(path, as_version=4).cells
    ]


def check() -> int:
    """Compare a fresh generation with the committed files; 0 if they agree."""
    stale = []
    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch) / "lab"
        for path in generate(fresh):
            committed = LAB / path.relative_to(fresh)
            if not committed.is_file():
                stale.append(f"{committed.relative_to(ROOT)} (missing)")
            elif path.suffix == ".ipynb":
                if _cells(path) != _cells(committed):
                    stale.append(str(committed.relative_to(ROOT)))
            elif not filecmp.cmp(path, committed, shallow=False):
                stale.append(str(committed.relative_to(ROOT)))
    if stale:
        print("Out of date with lab/source (run `make lab-notebooks`):\n  " + "\n  ".join(stale))
        return 1
    print(f"lab/: {len(SOURCES)} labs, every generated file is current")
    return 0


def main(argv: list[str]) -> int:
    if argv == ["--check"]:
        return check()
    if argv:
        print(__doc__)
        return 2
    for path in generate(LAB):
        print(f"wrote {path.relative_to(ROOT)}")
    for source in SOURCES:
        print(f"executing lab/solutions/{source.name} ...", flush=True)
        execute(LAB / "solutions" / source.name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
