"""Build hook: a built package carries copies of the course files it reads.

The question banks are authored in ``book/quizzes/`` and the repository's address in
``_config.yml``, outside the package. When a wheel is built (``pip install .``,
``python -m build``) they are copied into ``widgets/course/_data/`` of the build, so an
installed package works with no checkout; ``widgets/course/resources.py`` documents the
rule that finds them. The copies exist only in the build, never in the repository.
An editable install (``pip install -e .``) reads the checkout itself and gets no copies.
All other packaging metadata is in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildPyWithCourseFiles(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        banks = sorted((HERE / "book" / "quizzes").glob("[0-9][0-9]_*.yml"))
        config = HERE / "_config.yml"
        if not banks or not config.is_file():
            raise SystemExit(
                "building the package needs book/quizzes/*.yml and _config.yml "
                "(build from the course repository, or from its sdist)"
            )
        data = Path(self.build_lib) / "widgets" / "course" / "_data"
        shutil.rmtree(data, ignore_errors=True)
        (data / "quizzes").mkdir(parents=True)
        for bank in banks:
            shutil.copyfile(bank, data / "quizzes" / bank.name)
        shutil.copyfile(config, data / "_config.yml")


setup(cmdclass={"build_py": BuildPyWithCourseFiles})
