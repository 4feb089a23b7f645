"""Where the course's own files are found: the question banks and the repository's address.

The banks are authored in ``book/quizzes/`` and the repository's address is written once,
in ``_config.yml``; both live in the course repository, beside (not inside) this package.
One rule finds them, the same for a checkout and for an installed package:

1. **An explicit course root.** If the environment variable ``NNOE_COURSE_ROOT`` is set,
   it names the course repository's root (the folder holding ``_config.yml`` and
   ``book/quizzes/``); a value that does not name one is an error, never skipped.
2. **A checkout.** Otherwise the nearest parent folder of this package, then of the
   current directory, that holds both ``_config.yml`` and ``book/quizzes/`` is the course
   root. A source checkout (and ``pip install -e .``, as ``make`` and Binder do) is found
   from the package; an installed package used inside a checkout (running a chapter from
   ``chapters/``, say) is found from the current directory.
3. **The copies shipped in the package.** With no course root, the files come from
   ``widgets/course/_data/``, which only a built wheel has: building the package (``pip
   install .``, ``python -m build``) copies ``book/quizzes/*.yml`` and ``_config.yml``
   there (the build hook in ``setup.py``). Nothing under ``_data/`` is in the repository,
   so the banks and the repository's address are still written in one place each.

Files that exist only in the repository (an explorer's source, for
:func:`widgets.course.book.source_link`) need a course root: :func:`course_root` with
``required=True`` says so clearly when there is none.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import yaml

ENVIRONMENT_VARIABLE = "NNOE_COURSE_ROOT"
_PACKAGE = "widgets.course"


class CourseFilesNotFound(FileNotFoundError):
    """A file of the course repository is needed and no course root (or shipped copy) is found."""


def is_course_root(folder: Path) -> bool:
    """Whether ``folder`` holds the course's ``_config.yml`` and ``book/quizzes/``."""
    return (folder / "_config.yml").is_file() and (folder / "book" / "quizzes").is_dir()


def _nearest_course_root(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        if is_course_root(folder):
            return folder
    return None


def course_root(required: bool = False) -> Path | None:
    """The course repository's root by the module's rule (steps 1 and 2), or None.

    With ``required=True`` a missing root raises :class:`CourseFilesNotFound` instead.
    """
    explicit = os.environ.get(ENVIRONMENT_VARIABLE)
    if explicit:
        root = Path(explicit).expanduser().resolve()
        if not is_course_root(root):
            raise CourseFilesNotFound(
                f"{ENVIRONMENT_VARIABLE}={explicit!r} does not name the course repository's root "
                "(a folder holding _config.yml and book/quizzes/)"
            )
        return root
    root = _nearest_course_root(Path(__file__).resolve().parent) or _nearest_course_root(
        Path.cwd().resolve()
    )
    if root is None and required:
        raise CourseFilesNotFound(
            "no checkout of the course repository found: this needs one. Run from inside a "
            f"checkout, or set {ENVIRONMENT_VARIABLE} to its root."
        )
    return root


def _shipped() -> Path:
    """The copies a built package carries (``widgets/course/_data/``; absent in a checkout)."""
    return Path(str(resources.files(_PACKAGE) / "_data"))


def bank_dir() -> Path:
    """The folder of the question banks: ``book/quizzes/`` of the course root, else the copies."""
    root = course_root()
    if root is not None:
        return root / "book" / "quizzes"
    shipped = _shipped() / "quizzes"
    if not shipped.is_dir():
        raise CourseFilesNotFound(
            "the question banks are not found: no checkout of the course repository (set "
            f"{ENVIRONMENT_VARIABLE} to its root) and no copies shipped in the package "
            f"({shipped}); install the package from a built wheel (`pip install .`)"
        )
    return shipped


def repository() -> dict[str, str]:
    """The repository's ``url`` (no trailing slash) and ``branch``, as ``_config.yml`` says."""
    root = course_root()
    config = root / "_config.yml" if root is not None else _shipped() / "_config.yml"
    if not config.is_file():
        raise CourseFilesNotFound(
            "the repository's address is not found: no checkout of the course repository (set "
            f"{ENVIRONMENT_VARIABLE} to its root) and no _config.yml shipped in the package"
        )
    written = yaml.safe_load(config.read_text(encoding="utf-8"))["repository"]
    return {"url": written["url"].rstrip("/"), "branch": written.get("branch", "main")}


def asset(name: str) -> str:
    """The text of a file of ``widgets/course/assets/`` (the quizzes' scripts and style)."""
    return (resources.files(_PACKAGE) / "assets" / name).read_text(encoding="utf-8")
