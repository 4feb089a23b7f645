"""Build the site with warnings as errors, and fail when the log shows any problem.

`jupyter-book build . -W -n --keep-going` (Jupyter Book 1) exits 0 after some failures,
for instance a notebook that cannot be read or a warning it only logs. So this script
keeps the whole log in `_build/build.log` and fails when the command failed or any line
reports a warning, an error or a traceback.

Then it prints the weight of each page's own HTML (widget state and interactive charts
are written into the page) and fails when one is over the budget, 4 MB.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOG = ROOT / "_build" / "build.log"
PROBLEM = re.compile(
    r"\b(WARNING|ERROR|CRITICAL|SEVERE)\b"
    r"|Traceback \(most recent call last\)"
    r"|build finished with problems"
)


#: Most bytes a page's own HTML may weigh (scripts, images and fonts it loads aside).
PAGE_BUDGET = 4_000_000


def page_weights(site: Path) -> list[tuple[str, int]]:
    """(path under the site, bytes) of every HTML page, heaviest first."""
    pages = [
        (p.relative_to(site).as_posix(), p.stat().st_size)
        for p in site.rglob("*.html")
        if not p.relative_to(site).as_posix().startswith(("_static/", "_sources/"))
    ]
    return sorted(pages, key=lambda page: (-page[1], page[0]))


def over_budget(weights: list[tuple[str, int]], budget: int = PAGE_BUDGET) -> list[str]:
    """The pages of ``weights`` heavier than ``budget`` bytes."""
    return [name for name, size in weights if size > budget]


def problems_in(log_text: str) -> list[str]:
    """Return the lines of a build log that report a warning, an error or a traceback."""
    return [line for line in log_text.splitlines() if PROBLEM.search(line)]


def main() -> int:
    # Always from scratch: an incremental Sphinx build keeps stale copies of changed
    # static files and skips unchanged pages, hiding their warnings.
    shutil.rmtree(LOG.parent, ignore_errors=True)
    LOG.parent.mkdir(parents=True, exist_ok=True)
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    command = [str(jupyter_book), "build", str(ROOT), "-W", "-n", "--keep-going"]
    print("$", " ".join(command), flush=True)
    with LOG.open("w") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        for line in process.stdout:
            sys.stdout.write(line)
            log.write(line)
        returncode = process.wait()
    found = problems_in(LOG.read_text())
    if returncode != 0 or found:
        print(
            f"\nbook build FAILED (exit code {returncode}, {len(found)} problem lines; "
            f"full log in {LOG.relative_to(ROOT)}):",
            file=sys.stderr,
        )
        for line in found[:50]:
            print("  " + line, file=sys.stderr)
        return 1
    weights = page_weights(LOG.parent / "html")
    print(f"\npage weights (own HTML; budget {PAGE_BUDGET / 1e6:g} MB each):")
    for name, size in weights:
        print(f"  {size / 1e6:7.3f} MB  {name}")
    heavy = over_budget(weights)
    if heavy:
        print(f"\nbook build FAILED: pages over the budget: {heavy}", file=sys.stderr)
        return 1
    print(f"\nbook build OK: zero warnings (log in {LOG.relative_to(ROOT)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
