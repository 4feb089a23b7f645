"""Binder, launch buttons and the deploy workflow: configuration checked, not assumed."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def _actionlint():
    path = shutil.which("actionlint", path=str(Path(sys.executable).parent))
    assert path, "actionlint is installed into .venv by requirements.txt"
    return path


def test_workflows_pass_actionlint():
    assert WORKFLOWS, "the deploy workflow should exist"
    result = subprocess.run([_actionlint(), *map(str, WORKFLOWS)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(
        "on: push\njobs:\n  build:\n    runs-on: ubuntu-24.04\n    steps:\n"
        "      - run: echo ${{ github.evnt.name }}\n"
    )
    result = subprocess.run([_actionlint(), str(broken)], capture_output=True, text=True)
    assert result.returncode != 0


def test_deploy_workflow_builds_with_make_book_and_publishes_the_site():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "deploy.yml").read_text())
    steps = workflow["jobs"]["build"]["steps"]
    assert any(step.get("run", "").strip() == "make book" for step in steps)
    upload = [s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact")]
    assert upload and upload[0]["with"]["path"] == "_build/html"
    python = [s for s in steps if s.get("uses", "").startswith("actions/setup-python")][0]["with"][
        "python-version"
    ]
    assert python == (ROOT / "binder" / "runtime.txt").read_text().strip().removeprefix("python-")


def test_binder_installs_the_pinned_environment_and_the_package():
    requirements = [
        line.strip()
        for line in (ROOT / "binder" / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert requirements == ["-r ../requirements.txt"], (
        "Binder must use exactly the pins `make test` uses"
    )
    post_build = (ROOT / "binder" / "postBuild").read_text()
    assert re.search(r"pip install --no-deps -e \.", post_build)
    # ... the way `make` installs it into .venv (the build hook in setup.py then ships
    # nothing: an editable install reads book/quizzes/ from the checkout).
    assert re.search(r"pip install --quiet --no-deps -e \.", (ROOT / "Makefile").read_text())
    assert (ROOT / "binder" / "postBuild").stat().st_mode & 0o111, "postBuild must be executable"
    # Binder's Python must be one the package supports (and the deploy workflow uses the
    # same one: see test_deploy_workflow_builds_with_make_book_and_publishes_the_site).
    runtime = (ROOT / "binder" / "runtime.txt").read_text().strip()
    match = re.fullmatch(r"python-3\.(\d+)", runtime)
    assert match, runtime
    requires = re.search(r'requires-python = ">=3\.(\d+)"', (ROOT / "pyproject.toml").read_text())
    assert int(match.group(1)) >= int(requires.group(1))
    pinned = (ROOT / "requirements.txt").read_text()
    for package in ("jupyterlab==", "ipywidgets==8.", "jupyterlab_widgets==", "ipykernel=="):
        assert package in pinned


def test_launch_buttons_open_jupyterlab_on_binder(site_dir):
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    repository = config["repository"]["url"].removeprefix("https://github.com/")
    page = (site_dir / "chapters" / "01_gradient_descent.html").read_text(encoding="utf-8")
    expected = f"https://mybinder.org/v2/gh/{repository}/{config['repository']['branch']}?urlpath=lab/tree/chapters/01_gradient_descent.ipynb"
    assert f'href="{expected}"' in page


def test_repository_address_is_written_in_one_place():
    url = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    owner_and_name = url.removeprefix("https://github.com/")
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()

    def written_text(name):
        text = (ROOT / name).read_text(encoding="utf-8", errors="replace")
        if name.endswith(".ipynb"):  # what authors wrote: cell sources, not computed outputs
            return "\n".join("".join(cell["source"]) for cell in json.loads(text)["cells"])
        return text

    holders = [
        name
        for name in tracked
        if name.endswith(
            (".py", ".yml", ".yaml", ".md", ".txt", ".toml", ".cfg", ".json", ".ipynb", "Makefile")
        )
        and owner_and_name in written_text(name)
    ]
    assert holders == ["_config.yml"]
