"""The package works installed, not only from a checkout.

The package is built from a copy of the repository's sources (so the build leaves
nothing in the working tree) and installed, not editable, into a fresh virtual
environment. Its dependencies come from the project's .venv, made visible by a .pth
file. From a folder outside the repository it must then load and render every quiz bank,
exactly as the checkout does, and build the explorers; ``source_link``, which needs a
checkout, must say so. The rule that finds the course's files is in
widgets/course/resources.py.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import yaml

from widgets.course.quiz import all_banks, load_bank, quiz_html_and_script

ROOT = Path(__file__).resolve().parent.parent
# What a build reads: the packaging files, the package, and the course files it copies.
SOURCES = ["pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "_config.yml"]

# Runs in the installed environment; prints what it found as JSON.
CHECK = textwrap.dedent(
    """
    import hashlib, json, os, sys
    from pathlib import Path

    import widgets
    from widgets.course import resources
    from widgets.course.book import repository_url, source_link
    from widgets.course.quiz import all_banks, load_bank, quiz_html_and_script

    def digest(bank):
        html, script = quiz_html_and_script(bank)
        return hashlib.sha256((html + "\\0" + script).encode()).hexdigest()

    found = {"widgets": widgets.__file__, "root": str(resources.course_root())}
    found["banks"] = {path.name: digest(load_bank(path)) for path in all_banks()}
    found["by_number"] = [load_bank(int(path.name[:2])).chapter for path in all_banks()]
    widgets.show_quiz(1)
    widgets.DescentExplorer()
    widgets.Playground()
    found["repository"] = repository_url()
    try:
        source_link("widgets/explorers/descent/widget.py")
    except resources.CourseFilesNotFound as error:
        found["source_link"] = str(error)
    # Rules 1 and 2: an explicit root, then a checkout found from the current directory.
    os.environ[resources.ENVIRONMENT_VARIABLE] = sys.argv[1]
    found["explicit_root"] = str(resources.course_root())
    del os.environ[resources.ENVIRONMENT_VARIABLE]
    os.chdir(Path(sys.argv[1]) / "chapters")
    found["root_from_cwd"] = str(resources.course_root())
    found["link_from_cwd"] = source_link("widgets/explorers/descent/widget.py").data
    print(json.dumps(found))
    """
)


def _copy_sources(target: Path) -> None:
    for name in SOURCES:
        shutil.copy2(ROOT / name, target / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "_data")
    shutil.copytree(ROOT / "widgets", target / "widgets", ignore=ignore)
    shutil.copytree(ROOT / "book" / "quizzes", target / "book" / "quizzes", ignore=ignore)


def test_installed_package_works_outside_the_checkout(tmp_path):
    source, venv, outside = tmp_path / "source", tmp_path / "venv", tmp_path / "elsewhere"
    source.mkdir()
    outside.mkdir()
    _copy_sources(source)
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    # The dependencies: the project's environment, after the venv's own site-packages.
    (purelib / "project_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NNOE_COURSE_ROOT")}
    # pip builds the wheel in an isolated environment with the setuptools pyproject.toml
    # requires (as `make setup` does), then installs it: a real install, not a link.
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet"]
        + ["--no-deps", "--disable-pip-version-check", str(source)],
        capture_output=True,
        text=True,
        env=env,
        cwd=outside,
    )
    assert install.returncode == 0, install.stdout + install.stderr

    run = subprocess.run(
        [str(python), "-c", CHECK, str(ROOT)],
        capture_output=True,
        text=True,
        env=dict(env, MPLBACKEND="Agg"),
        cwd=outside,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    found = json.loads(run.stdout.strip().splitlines()[-1])

    assert Path(found["widgets"]).is_relative_to(venv), found["widgets"]
    assert found["root"] == "None", "no checkout should be found from outside the repository"
    # Every bank loads from the package's copies and renders exactly as in the checkout.
    expected = {}
    for path in all_banks():
        html, script = quiz_html_and_script(load_bank(path))
        expected[path.name] = hashlib.sha256((html + "\0" + script).encode()).hexdigest()
    assert found["banks"] == expected
    assert found["by_number"] == [int(path.name[:2]) for path in all_banks()]
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert found["repository"] == config["repository"]["url"].rstrip("/")
    assert "no checkout of the course repository" in found["source_link"]
    assert found["explicit_root"] == str(ROOT)
    assert found["root_from_cwd"] == str(ROOT)
    assert found["link_from_cwd"].startswith(
        f"[widgets/explorers/descent/widget.py]({found['repository']}"
    )
