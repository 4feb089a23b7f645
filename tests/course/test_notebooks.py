"""Notebook hygiene, and proof that nbval really compares the stored outputs.

nbval itself runs over every notebook in `make test` (see pyproject.toml's addopts).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
NOTEBOOKS = CHAPTERS + sorted((ROOT / "book").glob("*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _code_cells(notebook):
    return [c for c in notebook["cells"] if c["cell_type"] == "code"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_executed_cleanly(path):
    cells = _code_cells(_load(path))
    assert cells and all(c["execution_count"] is not None for c in cells), "run `make notebooks`"
    counts = [c["execution_count"] for c in cells]
    assert counts == list(range(1, len(cells) + 1)), "cells must be executed once, top to bottom"
    for cell in cells:
        for output in cell["outputs"]:
            assert output["output_type"] != "error", cell["source"]
            if output["output_type"] == "stream":
                text = "".join(output["text"])
                assert output["name"] == "stdout", (
                    f"stderr output (a warning?) in: {cell['source'][:60]}"
                )
                assert not re.search(r"\bnan\b|\binf\b|Warning|Traceback", text, re.I), text


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_figure_cell_stores_its_picture_and_alt_text(path):
    figures = 0
    for cell in _code_cells(_load(path)):
        image_options = cell.get("metadata", {}).get("mystnb", {}).get("image", {})
        pictures = [o for o in cell["outputs"] if "image/png" in o.get("data", {})]
        if image_options or pictures:
            figures += 1
            assert len(pictures) == 1, f"one picture per figure cell: {cell['source'][:60]}"
            assert len(image_options.get("alt", "")) > 40, (
                f"describe the picture in alt text: {cell['source'][:60]}"
            )
    if path.parent.name == "chapters":
        assert figures >= 1, "every chapter has at least one figure"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_ignore_output_only_on_widget_cells(path):
    notebook = _load(path)
    has_widgets = False
    for cell in _code_cells(notebook):
        shows_widget = any(WIDGET_VIEW in o.get("data", {}) for o in cell["outputs"])
        has_widgets |= shows_widget
        ignored = "nbval-ignore-output" in cell.get("metadata", {}).get("tags", [])
        assert ignored == shows_widget, (
            f"tag nbval-ignore-output on exactly the widget cells: {cell['source'][:60]}"
        )
        assert "nbval-skip" not in cell.get("metadata", {}).get("tags", []), (
            "every cell must execute under nbval"
        )
    if has_widgets:
        state = (
            notebook["metadata"]
            .get("widgets", {})
            .get("application/vnd.jupyter.widget-state+json", {})
        )
        assert state.get("state"), "widget state must be saved so the site can show the explorer"


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_chapter_has_objectives_time_and_ends_with_its_quiz(path):
    notebook = _load(path)
    opening = "".join(notebook["cells"][0]["source"])
    assert opening.startswith("# ")
    assert "Learning objectives" in opening and "Estimated time" in opening
    number = int(path.name[:2])
    assert "".join(_code_cells(notebook)[-1]["source"]).strip() == f"show_quiz({number})"


def test_nbval_fails_when_a_stored_output_is_edited(tmp_path):
    notebook = _load(CHAPTERS[0])
    edited = False
    for cell in _code_cells(notebook):
        for output in cell["outputs"]:
            if output["output_type"] == "stream" and not edited:
                output["text"] = ["".join(output["text"]).replace("loss", "LOSS", 1)]
                edited = True
    assert edited
    target = tmp_path / "edited.ipynb"
    target.write_text(json.dumps(notebook), encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval",
            "--nbval-current-env",
            "-p",
            "no:cacheprovider",
            "-o",
            "addopts=",
            "-q",
            str(target),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"),
    )
    assert result.returncode == 1, result.stdout[-2000:]
    assert "1 failed" in result.stdout and "mismatch" in result.stdout.lower()
