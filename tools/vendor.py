"""Copy the browser assets the site serves itself from node_modules into assets/vendor.

Sphinx serves them as _static/vendor. The built site must load no script, stylesheet or
font from another host, so the widget runtime (require.js and @jupyter-widgets/html-manager),
MathJax and Vega (vega, vega-lite and vega-embed, for the interactive charts) come from
the npm registry at build time (`npm ci`, pinned by package-lock.json) and are copied
here; `_config.yml` points Sphinx and MyST-NB at these copies, and
`assets/vega-charts.js` loads Vega's on the pages that have a chart.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = ROOT / "node_modules"
VENDOR = ROOT / "assets" / "vendor"

# (source under node_modules, destination under _static/vendor, file suffixes to keep)
ASSETS = [
    ("requirejs/require.js", "require.js", None),
    # embed-amd.js finds its fonts next to itself, so the dist folder is copied flat.
    (
        "@jupyter-widgets/html-manager/dist",
        "html-manager",
        (".js", ".woff", ".woff2", ".ttf", ".eot", ".svg", ".txt"),
    ),
    # MathJax loads its fonts and TeX extensions relative to tex-chtml.js.
    ("mathjax/es5", "mathjax", None),
    # Vega's browser bundles (UMD: a global, or an AMD module where require.js is loaded)
    # in one folder, with their licences; assets/vega-charts.js loads them from there.
    ("vega/build/vega.min.js", "vega/vega.min.js", None),
    ("vega-lite/build/vega-lite.min.js", "vega/vega-lite.min.js", None),
    ("vega-embed/build/vega-embed.min.js", "vega/vega-embed.min.js", None),
    ("vega/LICENSE", "vega/LICENSE-vega.txt", None),
    ("vega-lite/LICENSE", "vega/LICENSE-vega-lite.txt", None),
    ("vega-embed/LICENSE", "vega/LICENSE-vega-embed.txt", None),
]


def _copy(source: Path, destination: Path, suffixes) -> int:
    if source.is_file():
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, destination)
        return 1
    count = 0
    for path in source.rglob("*"):
        if path.is_file() and (suffixes is None or path.name.endswith(suffixes)):
            target = destination / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
            count += 1
    return count


def main() -> int:
    missing = [src for src, _, _ in ASSETS if not (MODULES / src).exists()]
    if missing:
        print(f"vendor: missing in node_modules: {missing}; run `npm ci` first", file=sys.stderr)
        return 1
    if VENDOR.exists():
        shutil.rmtree(VENDOR)
    for src, dst, suffixes in ASSETS:
        n = _copy(MODULES / src, VENDOR / dst, suffixes)
        print(f"vendor: {src} -> assets/vendor/{dst} ({n} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
