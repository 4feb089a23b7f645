"""Export every quiz bank for instructors: `make quizzes` (see widgets/course/exports.py).

Writes, into _build/quizzes/ (or the folder given as the first argument), for each bank of
book/quizzes/: Moodle GIFT, Canvas QTI (text2qti), its text2qti source, the answer key in
Markdown and HTML, and a printable quiz page. A bank that cannot be exported stops the
export with a message naming the bank and the question.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from widgets.course.exports import ExportError, export_all

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    out_dir = Path(argv[0]) if argv else ROOT / "_build" / "quizzes"
    try:
        written = export_all(out_dir)
    except ExportError as error:
        print(f"make quizzes: {error}", file=sys.stderr)
        return 1
    kinds = Counter("".join(path.suffixes) for path in written)
    summary = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
    print(f"Wrote {len(written)} files into {out_dir}: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
