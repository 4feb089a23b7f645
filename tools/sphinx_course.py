"""Sphinx extension of the course: keep the site self-contained and accessible.

sphinx-thebe (always loaded by Jupyter Book 1) writes a script into every page that
names thebe's bundle on a CDN, and writes it once per read of the documents, so a page
can declare the same constant twice and throw. The course does not offer Thebe's live
code (the explorers run on Binder or locally instead), so its page setup is removed.
"""

from __future__ import annotations

# docutils writes a bibliography as role="list" holding role="doc-biblioentry" items, a
# combination that ARIA forbids (a list must hold listitems), so screen readers get a
# broken list; the entries read correctly as plain blocks.
_CITATION_LIST = '<div role="list" class="citation-list">'


def _drop_thebe_page_setup(app) -> int:
    removed = 0
    for event in ("env-before-read-docs",):
        listeners = app.events.listeners.get(event, [])
        for listener in list(listeners):
            handler = listener.handler
            if (
                getattr(handler, "__module__", "") == "sphinx_thebe"
                and handler.__name__ == "init_thebe_core"
            ):
                listeners.remove(listener)
                removed += 1
    return removed


def _repair_citation_lists(app, pagename, templatename, context, doctree) -> None:
    body = context.get("body")
    if body and _CITATION_LIST in body:
        context["body"] = body.replace(_CITATION_LIST, '<div class="citation-list">')


def setup(app):
    app.connect("builder-inited", _drop_thebe_page_setup)
    app.connect("html-page-context", _repair_citation_lists)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
