"""Make sure a Chromium for the browser tests is installed, from Debian's packages.

Playwright drives this browser through `executable_path`; it never downloads one of
its own. Where Chromium is missing and we are root on a Debian-like system, it is
installed with apt-get; otherwise the script says how to install it and fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    """Path of the browser the tests use: $CHROMIUM if set, else the first one on PATH."""
    explicit = os.environ.get("CHROMIUM")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


def main() -> int:
    path = find_chromium()
    if path:
        print(f"chromium: {path}")
        return 0
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("chromium: not found; installing Debian's package", flush=True)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True, env=env)
        path = find_chromium()
        if path:
            print(f"chromium: {path}")
            return 0
    print(
        "chromium: not found. Install it (Debian/Ubuntu: `sudo apt-get install chromium`) "
        "or set CHROMIUM=/path/to/chrome, then run `make test` again.",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
