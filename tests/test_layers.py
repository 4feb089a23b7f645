"""The import contracts of pyproject.toml really fail on a forbidden import.

`make test` runs `lint-imports` (the `lint` target) on the package. Here a copy of the
package is checked with the repository's own contracts: untouched, it passes; with one
forbidden import added, the run fails and names the contract that import breaks.
(PYTHONPATH puts the copy ahead of the checkout the environment installs, so the copy
is what is checked: the failing runs prove it, as the checkout is never changed.)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

LAYERS = "Layers: course > explorers > display > engine"
HEADLESS = "The engine is headless: no widgets, plotting or imaging"
INDEPENDENT = "Explorers are independent of one another"
CONTRACTS = (ROOT / "pyproject.toml").read_text().count("[[tool.importlinter.contracts]]")


def _lint_imports(copy: Path) -> subprocess.CompletedProcess:
    """`lint-imports` on the copy, with the repository's configuration."""
    env = dict(os.environ, PYTHONPATH=str(copy), PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(copy / "pyproject.toml"), "--no-cache"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def package_copy(tmp_path):
    shutil.copytree(
        ROOT / "widgets", tmp_path / "widgets", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy2(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_contracts_name_the_package_layers():
    text = (ROOT / "pyproject.toml").read_text()
    for name in (LAYERS, HEADLESS, INDEPENDENT):
        assert f'name = "{name}"' in text


def test_the_untouched_package_keeps_every_contract(package_copy):
    result = _lint_imports(package_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{CONTRACTS} kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    "module, line, broken",
    [
        ("widgets/engine/network.py", "import matplotlib", {HEADLESS}),
        # Upward, and (through the display module both explorers use) also a path from
        # one explorer to the other.
        (
            "widgets/display/figures.py",
            "from widgets.explorers import descent",
            {LAYERS, INDEPENDENT},
        ),
        # Upward, and through the display layer the engine would reach matplotlib.
        ("widgets/engine/network.py", "import widgets.display.figures", {LAYERS, HEADLESS}),
        (
            "widgets/explorers/descent/widget.py",
            "import widgets.explorers.playground",
            {INDEPENDENT},
        ),
    ],
    ids=[
        "engine-imports-matplotlib",
        "display-imports-explorer",
        "engine-imports-display",
        "explorer-imports-explorer",
    ],
)
def test_a_forbidden_import_breaks_its_contract(package_copy, module, line, broken):
    target = package_copy / module
    assert target.is_file(), f"{module} is gone: pick another module of that layer"
    # Appended at the end: import-linter reads every import of a module, wherever it is.
    with target.open("a", encoding="utf-8") as module_file:
        module_file.write(f"\n{line}  # forbidden\n")

    result = _lint_imports(package_copy)
    assert result.returncode != 0, result.stdout
    reported = {
        name for name in (LAYERS, HEADLESS, INDEPENDENT) if f"{name} BROKEN" in result.stdout
    }
    assert reported == broken, result.stdout
    assert f"{CONTRACTS - len(broken)} kept, {len(broken)} broken" in result.stdout
