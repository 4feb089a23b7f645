"""The book's back matter: the glossary and its links, and the references.

The glossary (`book/glossary.md`, one `{glossary}` directive) must define every term a
page marks with {term}`...`, and every entry ends with a paragraph "Taught in ..." whose
{doc} and {ref} links lead to the chapter (and section) that marks the term where it
teaches it. Every {cite} key must be in `book/references.bib`, and every entry there must
be cited by some page: `book/references.md` renders the whole file (`:all:`), so an
uncited entry would show up in the list without any page that draws on it.

The checks are plain functions that return a list of problems, so each one is also run
below on small broken inputs, to show that it can fail. The built site (`_build/html`,
which `make test` builds before pytest) is checked last: the glossary page's links and
every term link into it must lead to an existing file and anchor.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
BOOK = ROOT / "book"
CHAPTERS = ROOT / "chapters"
GLOSSARY = BOOK / "glossary.md"
BIB = BOOK / "references.bib"

TERM_ROLE = re.compile(r"\{term\}`([^`]+)`")
DOC_ROLE = re.compile(r"\{doc\}`([^`]+)`")
REF_ROLE = re.compile(r"\{ref\}`([^`]+)`")
CITE_ROLE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]+)`")
LABEL_LINE = re.compile(r"^\(([^()\s]+)\)=[ \t]*$", re.M)
HEADING_LINE = re.compile(r"^(#{1,6})[ \t]+\S", re.M)
BIB_KEY = re.compile(r"^@\w+\s*\{\s*([^,\s]+)\s*,", re.M)
TAUGHT = "Taught in"


# ----------------------------------------------------------------------------- parsing


@dataclass
class Entry:
    """One glossary entry: its term names, its definition and its "Taught in" links."""

    names: list[str]
    definition: str
    links: list[tuple[str, str]] = field(default_factory=list)  # ("doc" | "ref", target)

    @property
    def keys(self) -> set[str]:
        return {term_key(name) for name in self.names}


def term_key(text: str) -> str:
    """How Sphinx matches a term: case-insensitive, whitespace collapsed."""
    return " ".join(text.split()).lower()


def role_target(content: str) -> str:
    """The target of a role's content: `text <target>` or just `target`."""
    match = re.fullmatch(r"(?s).*?<([^<>]+)>\s*", content)
    return " ".join((match.group(1) if match else content).split())


def parse_glossary(text: str) -> list[Entry]:
    """The entries of the first `{glossary}` directive in a MyST page."""
    match = re.search(r"^(`{3,})\{glossary\}[^\n]*\n(.*?)^\1[ \t]*$", text, re.M | re.S)
    if match is None:
        raise ValueError("no ```{glossary} directive found")
    entries: list[Entry] = []
    names: list[str] = []
    body: list[str] = []

    def close():
        if names:
            entries.append(Entry(list(names), "\n".join(body).strip()))

    for line in match.group(2).splitlines():
        if not line.strip():
            body.append("")
        elif line.startswith((" ", "\t")):
            body.append(line.strip())
        elif line.startswith(":") and not entries and not names:
            continue  # a directive option such as :sorted:
        elif body and any(b for b in body):
            close()
            names, body = [line.strip()], []
        else:
            names.append(line.strip())
    close()
    for entry in entries:
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", entry.definition) if p.strip()]
        taught = paragraphs[-1] if paragraphs and paragraphs[-1].startswith(TAUGHT) else ""
        entry.links = [("doc", role_target(t)) for t in DOC_ROLE.findall(taught)]
        entry.links += [("ref", role_target(t)) for t in REF_ROLE.findall(taught)]
    return entries


def markdown_of(path: Path) -> str:
    """A page's MyST markdown: a `.md` file, or a notebook's markdown cells joined."""
    if path.suffix == ".md":
        return path.read_text(encoding="utf-8")
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells = [c for c in notebook["cells"] if c["cell_type"] == "markdown"]
    return "\n\n".join(
        "".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in cells
    )


def terms_used(text: str) -> list[str]:
    return [role_target(t) for t in TERM_ROLE.findall(text)]


def labels_defined(text: str) -> list[str]:
    return LABEL_LINE.findall(text)


def _headings(text: str):
    """(level, position) of each heading line, skipping fenced code blocks."""
    fence = None
    position = 0
    for line in text.splitlines(keepends=True):
        opening = re.match(r"(`{3,}|~{3,})(.*)", line)
        if fence is None and opening and not opening.group(2).startswith("{"):
            fence = opening.group(1)
        elif fence is not None and line.strip() == fence:
            fence = None
        elif fence is None and HEADING_LINE.match(line):
            yield len(HEADING_LINE.match(line).group(1)), position
        position += len(line)


def section_after(text: str, label: str) -> str:
    """The text of the section a `(label)=` line names: to the next heading as high."""
    match = re.search(rf"^\({re.escape(label)}\)=[ \t]*\n", text, re.M)
    if match is None:
        return ""
    rest = text[match.end() :]
    headings = list(_headings(rest))
    if not headings:
        return rest
    level = headings[0][0]
    later = [pos for lev, pos in headings[1:] if lev <= level]
    return rest[: later[0]] if later else rest


def cite_keys(text: str) -> set[str]:
    return {key.strip() for keys in CITE_ROLE.findall(text) for key in keys.split(",")}


def doc_path(target: str, page_dir: Path, root: Path) -> Path | None:
    """The source file a {doc} target names (relative to the page, or / for the root)."""
    base = root / target.lstrip("/") if target.startswith("/") else page_dir / target
    for suffix in (".ipynb", ".md"):
        candidate = (base.parent / (base.name + suffix)).resolve()
        if candidate.is_file():
            return candidate
    return None


# ----------------------------------------------------------------------------- checks


def problems_taught(entries: list[Entry]) -> list[str]:
    """(a) Every entry ends with "Taught in" and at least one link; no term twice."""
    found = [f"{e.names[0]}: no '{TAUGHT}' link" for e in entries if not e.links]
    seen: dict[str, str] = {}
    for entry in entries:
        for key in entry.keys:
            if key in seen:
                found.append(f"{entry.names[0]}: the term {key!r} is defined twice")
            seen[key] = entry.names[0]
    return found


def problems_targets(entries: list[Entry], page_dir: Path, root: Path, chapters: dict) -> list:
    """(b) Every {doc} target exists; every {ref} label is defined once in the chapters."""
    counts: dict[str, int] = {}
    for text in chapters.values():
        for label in labels_defined(text):
            counts[label] = counts.get(label, 0) + 1
    found = []
    for entry in entries:
        for kind, target in entry.links:
            if kind == "doc" and doc_path(target, page_dir, root) is None:
                found.append(f"{entry.names[0]}: {{doc}} target {target!r} does not exist")
            if kind == "ref" and counts.get(target, 0) != 1:
                found.append(
                    f"{entry.names[0]}: {{ref}} label {target!r} is defined "
                    f"{counts.get(target, 0)} times in the chapters"
                )
    return found


def problems_terms(entries: list[Entry], pages: dict) -> list[str]:
    """(c) Every {term} on every page names a glossary entry (case-insensitive)."""
    known = set().union(*(e.keys for e in entries)) if entries else set()
    return [
        f"{name}: {{term}}`{term}` has no glossary entry"
        for name, text in pages.items()
        for term in terms_used(text)
        if term_key(term) not in known
    ]


def problems_teaching(entries: list[Entry], page_dir: Path, root: Path, chapters: dict) -> list:
    """(d) Each linked chapter (or labelled section) marks the entry's term with {term},
    and each linked section lies in one of the chapters the entry links."""
    by_path = {Path(p).resolve(): text for p, text in chapters.items()}
    found = []
    for entry in entries:
        linked = [doc_path(t, page_dir, root) for kind, t in entry.links if kind == "doc"]
        for kind, target in entry.links:
            if kind == "doc":
                path = doc_path(target, page_dir, root)
                text = by_path.get(path) if path else None
                where = f"{{doc}}`{target}`"
                if text is None:
                    found.append(f"{entry.names[0]}: {where} is not a chapter")
                    continue
            else:
                homes = [p for p, t in by_path.items() if target in labels_defined(t)]
                text = section_after(by_path[homes[0]], target) if homes else ""
                where = f"section {{ref}}`{target}`"
                if homes and homes[0] not in linked:
                    found.append(f"{entry.names[0]}: {where} is not in a chapter it links")
            if not entry.keys & {term_key(t) for t in terms_used(text)}:
                found.append(f"{entry.names[0]}: {where} does not mark it with {{term}}")
    return found


def problems_citations(pages: dict, bib_text: str) -> list[str]:
    """(e) Every cited key is in the bibliography, and every entry there is cited."""
    keys = BIB_KEY.findall(bib_text)
    found = [f"{k}: in references.bib twice" for k in sorted(set(keys)) if keys.count(k) > 1]
    cited: set[str] = set()
    for name, text in pages.items():
        for key in sorted(cite_keys(text)):
            cited.add(key)
            if key not in keys:
                found.append(f"{name}: {{cite}}`{key}` is not in references.bib")
    found += [f"{k}: in references.bib but cited by no page" for k in keys if k not in cited]
    return found


class _LinkParser(HTMLParser):
    """Element ids, every link, and the glossary's <dt> terms and <dd> links."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.terms: list[str] = []
        self.definitions: list[dict] = []
        self._depth = {"dt": 0, "dd": 0}
        self._in_glossary = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
            if self._depth["dd"] and self.definitions:
                self.definitions[-1]["hrefs"].append(attrs["href"])
        if tag == "dl" and "glossary" in (attrs.get("class") or "").split():
            self._in_glossary += 1
        if tag in self._depth and self._in_glossary:
            self._depth[tag] += 1
            if tag == "dt":
                self.terms.append("")
            if tag == "dd" and self._depth["dd"] == 1:
                self.definitions.append({"text": "", "hrefs": []})

    def handle_endtag(self, tag):
        if tag in self._depth and self._depth[tag]:
            self._depth[tag] -= 1
        if tag == "dl" and self._in_glossary and not any(self._depth.values()):
            self._in_glossary -= 1

    def handle_data(self, data):
        if self._depth["dt"] and self.terms:
            self.terms[-1] += data
        if self._depth["dd"] and self.definitions:
            self.definitions[-1]["text"] += data


def parse_html(path: Path) -> _LinkParser:
    parser = _LinkParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def problems_href(href: str, page: Path, site: Path, ids_of) -> str | None:
    """Why an internal link from `page` does not resolve, or None when it does."""
    url = urlparse(href)
    if url.scheme or url.netloc or href.startswith("mailto:"):
        return None
    target = page if not url.path else (page.parent / unquote(url.path)).resolve()
    if not target.is_file() or site.resolve() not in target.parents:
        return f"{page.name}: link {href!r} leads to no file of the site"
    if url.fragment and unquote(url.fragment) not in ids_of(target):
        return f"{page.name}: link {href!r} leads to no anchor #{url.fragment}"
    return None


def problems_site(site: Path, entries: list[Entry]) -> list[str]:
    """(f) The built glossary lists every term with working "Taught in" links, and every
    link of the site into the glossary lands on an existing anchor."""
    cache: dict[Path, set[str]] = {}

    def ids_of(path: Path) -> set[str]:
        if path not in cache:
            cache[path] = parse_html(path).ids
        return cache[path]

    glossary = site / "book" / "glossary.html"
    if not glossary.is_file():
        return [f"{glossary} is missing"]
    page = parse_html(glossary)
    found = []
    wanted = sorted(term_key(n) for e in entries for n in e.names)
    shown = sorted(term_key(t.replace("¶", "").replace("#", "")) for t in page.terms)
    if wanted != shown:
        found.append(f"the glossary page shows {len(shown)} terms, the source has {len(wanted)}")
    if len(page.definitions) != len(entries):
        found.append(f"the page has {len(page.definitions)} definitions, not {len(entries)}")
    for entry, definition in zip(entries, page.definitions):
        internal = [urlparse(h) for h in definition["hrefs"] if not urlparse(h).scheme]
        if TAUGHT not in definition["text"] or not internal:
            found.append(
                f"a definition has no rendered '{TAUGHT}' link: {definition['text'][:60]!r}"
            )
        for kind, target in entry.links:
            if kind == "doc" and not any(
                Path(u.path).name == Path(target).name + ".html" for u in internal
            ):
                found.append(f"{entry.names[0]}: no rendered link to {target}")
            if kind == "ref" and not any(u.fragment == target for u in internal):
                found.append(f"{entry.names[0]}: no rendered link to #{target}")
        for href in definition["hrefs"]:
            problem = problems_href(href, glossary.resolve(), site, ids_of)
            if problem:
                found.append(problem)
    for html in sorted(site.glob("*/*.html")):
        for href in parse_html(html).hrefs:
            if "glossary.html#" in href:
                problem = problems_href(href, html.resolve(), site, ids_of)
                if problem:
                    found.append(problem)
    return found


def problems_references_page(html: str, bib_text: str) -> list[str]:
    """(f) The rendered references page lists every entry of the bibliography once."""
    shown = html.count('role="doc-biblioentry"')
    keys = len(BIB_KEY.findall(bib_text))
    return [] if shown == keys else [f"the references page lists {shown} works, the .bib {keys}"]


# ----------------------------------------------------------------------------- the book


def chapter_pages() -> dict[str, str]:
    return {str(p): markdown_of(p) for p in sorted(CHAPTERS.glob("[0-9][0-9]_*.ipynb"))}


def all_pages() -> dict[str, str]:
    pages = chapter_pages()
    for path in sorted(BOOK.glob("*.md")) + sorted(BOOK.glob("*.ipynb")):
        pages[str(path)] = markdown_of(path)
    return pages


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return parse_glossary(GLOSSARY.read_text(encoding="utf-8"))


def test_glossary_has_entries_and_the_chapters_exist(entries):
    assert len(entries) >= 80
    assert len(chapter_pages()) >= 12


def test_every_entry_says_where_it_is_taught(entries):
    assert problems_taught(entries) == []


def test_every_glossary_link_target_exists(entries):
    assert problems_targets(entries, BOOK, ROOT, chapter_pages()) == []


def test_every_marked_term_has_an_entry(entries):
    assert problems_terms(entries, all_pages()) == []


def test_every_link_leads_where_the_term_is_marked(entries):
    assert problems_teaching(entries, BOOK, ROOT, chapter_pages()) == []


def test_every_citation_is_in_the_bibliography_and_back():
    assert "{bibliography}" in (BOOK / "references.md").read_text(encoding="utf-8")
    assert problems_citations(all_pages(), BIB.read_text(encoding="utf-8")) == []


def test_built_glossary_links_resolve(entries, site_dir):
    # (site_dir fails, not skips, when the site has not been built: `make test` builds it.)
    built = (site_dir / "book" / "glossary.html").stat().st_mtime
    sources = [GLOSSARY, BIB, *CHAPTERS.glob("[0-9][0-9]_*.ipynb")]
    stale = any(path.stat().st_mtime > built for path in sources)
    hint = "_build/html is older than the sources: rebuild it (make book)" if stale else ""
    assert problems_site(site_dir, entries) == [], hint
    references = (site_dir / "book" / "references.html").read_text(encoding="utf-8")
    assert problems_references_page(references, BIB.read_text(encoding="utf-8")) == []


# ----------------------------------------------------------------------------- the checks can fail

GOOD = """# Glossary

```{glossary}
Loss
Cost
  How wrong the outputs are.

  Taught in {doc}`../chapters/01_a`, section {ref}`ch01-loss`.

Weight
  A number training adjusts.

  Taught in {doc}`../chapters/01_a`.
```
"""

CHAPTER = """# A

Only its {term}`weights <Weight>`.

(ch01-loss)=
## The loss

The **{term}`loss`** is a number.

### Detail

More on the {term}`COST`.

```python
# a comment, not a heading
```

(ch01-other)=
## Other

Nothing here.
"""


def write_notebook(path: Path, *markdown: str) -> Path:
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": m.splitlines(True)} for m in markdown
    ]
    cells.insert(
        1,
        {
            "cell_type": "code",
            "metadata": {},
            "source": ["{term}`Nope`"],
            "outputs": [],
            "execution_count": None,
        },
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}),
        encoding="utf-8",
    )
    return path


@pytest.fixture
def toy(tmp_path):
    """A toy book: book/glossary.md and one chapter notebook, all checks passing."""
    (tmp_path / "book").mkdir()
    first, second = CHAPTER.split("\n\n(ch01-other)=")
    path = write_notebook(tmp_path / "chapters" / "01_a.ipynb", first, "(ch01-other)=" + second)
    chapters = {str(path): markdown_of(path)}
    return tmp_path, parse_glossary(GOOD), chapters


def test_parser_reads_names_links_and_sections(toy):
    root, entries, chapters = toy
    assert [e.names for e in entries] == [["Loss", "Cost"], ["Weight"]]
    assert entries[0].links == [("doc", "../chapters/01_a"), ("ref", "ch01-loss")]
    text = next(iter(chapters.values()))
    assert "{term}`Nope`" not in text  # code cells are not markdown
    assert terms_used(text) == ["Weight", "loss", "COST"]
    section = section_after(text, "ch01-loss")
    assert "COST" in section and "a comment" in section and "Other" not in section
    assert section_after(text, "ch01-other").strip() == "## Other\n\nNothing here."
    assert role_target("exploding gradients <Exploding gradient>") == "Exploding gradient"
    for check in (
        problems_taught(entries),
        problems_terms(entries, chapters),
        problems_targets(entries, root / "book", root, chapters),
        problems_teaching(entries, root / "book", root, chapters),
    ):
        assert check == []


def test_a_missing_taught_in_line_fails(toy):
    _, _, _ = toy
    broken = parse_glossary(GOOD.replace("\n  Taught in {doc}`../chapters/01_a`.\n", "\n"))
    assert problems_taught(broken) == ["Weight: no 'Taught in' link"]
    twice = parse_glossary(GOOD.replace("Weight\n", "Cost\n"))
    assert any("defined twice" in p for p in problems_taught(twice))


def test_a_link_to_nothing_fails(toy):
    root, _, chapters = toy
    broken = parse_glossary(GOOD.replace("01_a`.", "02_b`.").replace("ch01-loss", "ch01-lost"))
    found = problems_targets(broken, root / "book", root, chapters)
    assert len(found) == 2
    assert "02_b" in found[1] and "ch01-lost" in found[0]
    doubled = {"x": chapters[next(iter(chapters))], "y": "(ch01-loss)=\n## Again\n"}
    assert (
        "defined 2 times" in problems_targets(parse_glossary(GOOD), root / "book", root, doubled)[0]
    )


def test_an_undefined_term_fails(toy):
    _, entries, chapters = toy
    pages = dict(chapters, extra="A {term}`weight` and a {term}`gradient <Gradient>`.")
    assert problems_terms(entries, pages) == ["extra: {term}`Gradient` has no glossary entry"]


def test_a_link_to_a_chapter_that_does_not_teach_the_term_fails(toy):
    root, entries, chapters = toy
    ((path, text),) = chapters.items()
    without = {path: text.replace("{term}`weights <Weight>`", "weights")}
    assert problems_teaching(entries, root / "book", root, without) == [
        "Weight: {doc}`../chapters/01_a` does not mark it with {term}"
    ]
    moved = {
        path: text.replace("**{term}`loss`**", "loss")
        .replace("{term}`COST`", "cost")
        .replace("Nothing here.", "The {term}`loss` again.")
    }
    found = problems_teaching(entries, root / "book", root, moved)
    assert found == ["Loss: section {ref}`ch01-loss` does not mark it with {term}"]
    other = write_notebook(
        root / "chapters" / "02_b.ipynb", "(ch01-loss)=\n## Loss\n\n{term}`loss`"
    )
    elsewhere = {path: text.replace("(ch01-loss)=\n", ""), str(other): markdown_of(other)}
    assert problems_teaching(entries, root / "book", root, elsewhere) == [
        "Loss: section {ref}`ch01-loss` is not in a chapter it links"
    ]


def test_a_missing_or_unused_citation_fails():
    bib = "@article{a2000,\n  title = {A}\n}\n@book{b2001,\n  title = {B}\n}\n"
    pages = {"p": "As shown {cite}`a2000,c2002` and {cite:t}`a2000`."}
    assert problems_citations(pages, bib) == [
        "p: {cite}`c2002` is not in references.bib",
        "b2001: in references.bib but cited by no page",
    ]
    assert problems_citations({"p": "{cite}`a2000` {cite:p}`b2001`"}, bib) == []
    page = '<div class="citation" role="doc-biblioentry">A</div>'
    assert problems_references_page(page, bib) == ["the references page lists 1 works, the .bib 2"]
    assert problems_references_page(page * 2, bib) == []


def test_a_broken_site_link_fails(tmp_path):
    site = tmp_path / "html"
    (site / "book").mkdir(parents=True)
    (site / "chapters").mkdir()
    (site / "chapters" / "01_a.html").write_text(
        '<section id="the-loss"><a href="../book/glossary.html#term-Loss">loss</a>'
        '<a href="../book/glossary.html#term-Gone">gone</a></section>',
        encoding="utf-8",
    )
    (site / "book" / "glossary.html").write_text(
        '<dl class="simple glossary"><dt id="term-Loss">Loss</dt><dt id="term-Cost">Cost</dt>'
        '<dd><p>How wrong.</p><p>Taught in <a href="../chapters/01_a.html">A</a>, section '
        '<a href="../chapters/01_a.html#ch01-loss">The loss</a>.</p></dd>'
        '<dt id="term-Weight">Weight</dt><dd><p>A number.</p></dd></dl>',
        encoding="utf-8",
    )
    found = problems_site(site, parse_glossary(GOOD))
    assert found == [
        "glossary.html: link '../chapters/01_a.html#ch01-loss' leads to no anchor #ch01-loss",
        "a definition has no rendered 'Taught in' link: 'A number.'",
        "Weight: no rendered link to ../chapters/01_a",
        "01_a.html: link '../book/glossary.html#term-Gone' leads to no anchor #term-Gone",
    ]
    # the same page with the anchor in place and Weight's line rendered passes
    (site / "chapters" / "01_a.html").write_text(
        '<section id="ch01-loss"><a href="../book/glossary.html#term-Loss">loss</a></section>',
        encoding="utf-8",
    )
    glossary = (site / "book" / "glossary.html").read_text(encoding="utf-8")
    (site / "book" / "glossary.html").write_text(
        glossary.replace(
            "<p>A number.</p>",
            '<p>A number.</p><p>Taught in <a href="../chapters/01_a.html">A</a>.</p>',
        ),
        encoding="utf-8",
    )
    assert problems_site(site, parse_glossary(GOOD)) == []
