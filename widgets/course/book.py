"""Helpers for the chapters' own text: links that follow the book's configuration.

The repository's address and branch are read from ``_config.yml``, found by the rule of
:mod:`widgets.course.resources`.
"""

from __future__ import annotations

from widgets.course.resources import course_root, repository


def repository_url() -> str:
    """The course repository's address, read from ``_config.yml`` (the one place it is written)."""
    return repository()["url"]


def source_link(path: str, label: str | None = None):
    """A Markdown link to a file or folder of the repository (an explorer's source), for display.

    The file or folder must exist in a checkout of the course (see
    :mod:`widgets.course.resources`), so a link is never written to something that is not
    there: with no checkout this raises :class:`widgets.course.resources.CourseFilesNotFound`.
    A folder (an explorer that is a package) links to the repository's view of the folder.
    """
    from IPython.display import Markdown

    root = course_root(required=True)
    target = root / path
    if not target.exists():
        raise FileNotFoundError(
            f"path {path!r} is not a file or folder of the course repository ({root})"
        )
    where = repository()
    view = "tree" if target.is_dir() else "blob"
    return Markdown(f"[{label or path}]({where['url']}/{view}/{where['branch']}/{path})")
