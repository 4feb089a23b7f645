"""The one rule that finds the course's files (widgets/course/resources.py), step by step.

tests/test_package.py checks the same rule on a really installed package.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from widgets.course import resources
from widgets.course.book import repository_url, source_link
from widgets.course.quiz import all_banks, load_bank

ROOT = Path(__file__).resolve().parents[2]
BANKS = sorted((ROOT / "book" / "quizzes").glob("[0-9][0-9]_*.yml"))


@pytest.fixture
def no_checkout(monkeypatch, tmp_path):
    """As if installed with no checkout around: no root is found; copies are in tmp_path."""
    monkeypatch.delenv(resources.ENVIRONMENT_VARIABLE, raising=False)
    monkeypatch.setattr(resources, "_nearest_course_root", lambda start: None)
    monkeypatch.setattr(resources, "_shipped", lambda: tmp_path / "_data")
    return tmp_path / "_data"


def test_a_checkout_is_found_from_the_package(monkeypatch):
    monkeypatch.delenv(resources.ENVIRONMENT_VARIABLE, raising=False)
    assert resources.course_root() == ROOT
    assert all_banks() == BANKS


def test_an_explicit_root_comes_first(monkeypatch, tmp_path):
    (tmp_path / "book" / "quizzes").mkdir(parents=True)
    shutil.copy2(ROOT / "_config.yml", tmp_path / "_config.yml")
    shutil.copy2(BANKS[0], tmp_path / "book" / "quizzes" / BANKS[0].name)
    monkeypatch.setenv(resources.ENVIRONMENT_VARIABLE, str(tmp_path))
    assert resources.course_root() == tmp_path.resolve()
    assert all_banks() == [tmp_path.resolve() / "book" / "quizzes" / BANKS[0].name]


def test_an_explicit_root_that_is_not_one_is_an_error(monkeypatch, tmp_path):
    monkeypatch.setenv(resources.ENVIRONMENT_VARIABLE, str(tmp_path))
    with pytest.raises(resources.CourseFilesNotFound, match="does not name the course"):
        resources.course_root()


def test_without_a_checkout_the_shipped_copies_are_used(no_checkout):
    (no_checkout / "quizzes").mkdir(parents=True)
    shutil.copy2(ROOT / "_config.yml", no_checkout / "_config.yml")
    for bank in BANKS:
        shutil.copy2(bank, no_checkout / "quizzes" / bank.name)
    assert resources.course_root() is None
    assert [p.name for p in all_banks()] == [p.name for p in BANKS]
    assert load_bank(1).path == no_checkout / "quizzes" / BANKS[0].name
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert repository_url() == config["repository"]["url"].rstrip("/")


def test_source_link_needs_a_checkout(no_checkout):
    with pytest.raises(resources.CourseFilesNotFound, match="no checkout of the course"):
        source_link("widgets/explorers/descent/widget.py")


def test_source_link_refuses_a_file_that_is_not_there(monkeypatch):
    monkeypatch.delenv(resources.ENVIRONMENT_VARIABLE, raising=False)
    with pytest.raises(FileNotFoundError, match="not a file or folder of the course repository"):
        source_link("widgets/explorers/no_such_explorer.py")


def test_source_link_to_a_folder_links_the_repository_view_of_it(monkeypatch):
    monkeypatch.delenv(resources.ENVIRONMENT_VARIABLE, raising=False)
    folder = source_link("widgets/explorers/descent/", "the descent explorer").data
    file = source_link("widgets/explorers/descent/widget.py").data
    assert f"/tree/{resources.repository()['branch']}/widgets/explorers/descent/)" in folder
    assert f"/blob/{resources.repository()['branch']}/widgets/explorers/descent/widget.py)" in file


def test_with_neither_a_checkout_nor_copies_the_error_says_what_to_do(no_checkout):
    with pytest.raises(resources.CourseFilesNotFound, match=resources.ENVIRONMENT_VARIABLE):
        all_banks()
    with pytest.raises(resources.CourseFilesNotFound, match="repository's address"):
        repository_url()
