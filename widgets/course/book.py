"""Helpers for the chapters' own text: links that follow the book's configuration."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


@cache
def repository_url() -> str:
    """The course repository's address, read from ``_config.yml`` (the one place it is written)."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    return config["repository"]["url"].rstrip("/")


def source_link(path: str, label: str | None = None):
    """A Markdown link to a file of the repository (an explorer's source, say), for display."""
    from IPython.display import Markdown

    if not (ROOT / path).exists():
        raise FileNotFoundError(f"path {path!r} is not a file of the course repository")
    branch = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["repository"].get(
        "branch", "main"
    )
    return Markdown(f"[{label or path}]({repository_url()}/blob/{branch}/{path})")
