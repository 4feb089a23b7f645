"""Explorer runs as animated GIFs for slides: `make animations` (widgets/course/animations.py).

Writes into _build/animations/ (or the folder given as the first argument) each GIF with a
caption file beside it (NAME.txt): the descent path (at two learning rates), the optimizer
race and a Playground training run.
"""

from __future__ import annotations

import sys
from pathlib import Path

from widgets.course.animations import make_animations

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    out_dir = Path(argv[0]) if argv else ROOT / "_build" / "animations"
    for animation in make_animations(out_dir):
        kib = animation.gif.stat().st_size / 1024
        width, height = animation.size
        print(f"{animation.gif.name}: {animation.frames} frames, {width}x{height}, {kib:.0f} KiB")
    print(f"Wrote the animations and their captions (.txt) into {out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
