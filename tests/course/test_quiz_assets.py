"""The quizzes' own scripts and style: files of the package, loaded, and valid JavaScript.

What the course adds to jupyterquiz's output lives in widgets/course/assets/ (shipped as
package data; tests/test_package.py checks an installed copy). Each script must parse,
appear in every rendered quiz with the container's id filled in, and the whole script a
page runs must parse too.
"""

from __future__ import annotations

import shutil
import subprocess
from importlib import resources

import pytest

from widgets.course import quiz
from widgets.course.quiz import all_banks, load_bank, quiz_html_and_script

ASSETS = resources.files("widgets.course") / "assets"
SCRIPTS = sorted(p.name for p in ASSETS.iterdir() if p.name.endswith(".js"))
BANKS = all_banks()


def _node_check(path) -> subprocess.CompletedProcess:
    node = shutil.which("node")
    assert node, "Node.js is a prerequisite of the course (README.md): install it"
    return subprocess.run([node, "--check", str(path)], capture_output=True, text=True)


def test_every_asset_is_used_and_every_used_asset_exists():
    files = sorted(p.name for p in ASSETS.iterdir() if p.name.endswith((".js", ".css")))
    assert sorted((*quiz._SCRIPTS, quiz._STYLE)) == files


@pytest.mark.parametrize("name", SCRIPTS)
def test_script_asset_is_valid_javascript(name):
    result = _node_check(ASSETS / name)
    assert result.returncode == 0, result.stderr


def test_node_check_catches_a_syntax_error(tmp_path):
    broken = tmp_path / "broken.js"
    broken.write_text((ASSETS / SCRIPTS[0]).read_text(encoding="utf-8") + "\n})(;\n")
    assert _node_check(broken).returncode != 0


@pytest.mark.parametrize("path", BANKS, ids=[p.stem for p in BANKS])
def test_rendered_quiz_carries_the_assets_and_parses(path, tmp_path):
    bank = load_bank(path)
    div = f"quiz{bank.chapter:02d}"
    html, script = quiz_html_and_script(bank)
    style = (ASSETS / quiz._STYLE).read_text(encoding="utf-8").strip().replace("DIV", div)
    assert f"<style>{style}</style>" in html
    # The course's scripts follow jupyterquiz's, in order, each on a line of its own.
    added = "".join(
        "\n" + (ASSETS / name).read_text(encoding="utf-8").replace("DIV", div)
        for name in quiz._SCRIPTS
    )
    assert script.endswith(added)
    assert f'document.getElementById("{div}")' in added and "DIV" not in added
    page_script = tmp_path / f"{div}.js"
    page_script.write_text(script, encoding="utf-8")
    result = _node_check(page_script)
    assert result.returncode == 0, result.stderr
