"""Every quiz bank in the formats instructors grade with: Moodle, Canvas, paper.

For each bank of ``book/quizzes/`` (:func:`export_all`, run by ``make quizzes``):

- **Moodle GIFT** (``NN_name.gift``, :func:`gift`): multiple choice, many choice (each
  correct answer weighs ``100/k`` % for ``k`` correct answers, each wrong one ``-100/m`` %
  for ``m`` wrong ones, weights Moodle's grade list accepts), numeric with tolerance (the
  bank's common mistakes as 0 % answers with their own feedback, any other number with the
  bank's "wrong" feedback), per-answer feedback. Text is HTML (``[html]``), math ``\\(...\\)``
  for Moodle's MathJax filter, and the characters GIFT reserves escaped as Moodle's own
  exporter escapes them (``\\ ~ = # { } :`` get a backslash).
- **Canvas QTI** (``NN_name.qti.zip``, :func:`qti_zip`), written by `text2qti
  <https://pypi.org/project/text2qti/>`_ from a generated text2qti source
  (:func:`text2qti_source`, also written out as ``NN_name.text2qti.md``). Two limits of
  text2qti 0.8.0 are worked around or stated: it writes numeric bounds with four decimals
  and refuses magnitudes below 1e-4, so the exporter sets each numeric question's bounds
  to the full-precision values before packaging; and a numeric question takes only one
  correct and one incorrect feedback, so the bank's per-mistake feedback is not in the
  Canvas version (it is in GIFT and in the answer key).
- **Answer key** (``NN_name.key.md`` and ``.key.html``, :func:`answer_key_markdown`): each
  question with its correct answers, the feedback of every answer, and for a numeric
  answer the engine function that computes it, ``module:function(arguments)``.
- **Printable quiz** (``NN_name.print.html``, :func:`printable_html`): questions and
  choices, no answers, a page styled for print.

The questions are those the book shows: :func:`widgets.course.quiz.load_bank` loads and
checks each bank, computes its numeric answers with the engine and resolves the
questions a bank draws from others. A question that cannot be exported stops the export
with an :class:`ExportError` naming the bank and the question.
"""

from __future__ import annotations

import html
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from widgets.course.quiz import Bank, QuizBankError, all_banks, bank_path, load_bank
from widgets.course.resources import course_root


class ExportError(ValueError):
    """A bank cannot be exported; the message names the bank and the question."""


@dataclass(frozen=True)
class ExportQuestion:
    """One question of a bank as exported: where it comes from and what it asks."""

    bank: str  # the file name of the bank being exported
    source: str  # the file name of the bank the question is written in (differs if drawn)
    id: str
    raw: dict  # the question as written in its bank (for the numeric answers' functions)
    question: dict  # the question as loaded by quiz.load_bank (numeric answers computed)

    @property
    def where(self) -> str:
        drawn = f" (drawn from {self.source})" if self.source != self.bank else ""
        return f"{self.bank}, question {self.id!r}{drawn}"


def bank_questions(chapter: int | str | Path) -> tuple[Bank, list[ExportQuestion]]:
    """Load a bank (chapter number or path) and pair each loaded question with its source.

    Raises :class:`ExportError` naming the bank (and, where the bank's checks say so, the
    question) when the bank does not load.
    """
    path = bank_path(chapter if isinstance(chapter, int) else Path(chapter))
    try:
        bank = load_bank(path)
    except QuizBankError as error:
        raise ExportError(f"cannot export {path.name}: {error}") from None
    except Exception as error:  # a bank's numeric answer whose function fails
        raise ExportError(f"cannot export {path.name}: {type(error).__name__}: {error}") from error
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    sources: list[tuple[str, dict]] = []
    for entry in raw.get("draw", []) or []:
        source = bank_path(entry["chapter"])
        by_id = {
            q["id"]: q for q in yaml.safe_load(source.read_text(encoding="utf-8"))["questions"]
        }
        sources += [(source.name, by_id[qid]) for qid in entry["ids"]]
    sources += [(path.name, q) for q in raw.get("questions", []) or []]
    if len(sources) != len(bank.questions):
        raise ExportError(
            f"cannot export {path.name}: {len(bank.questions)} questions loaded, "
            f"{len(sources)} written"
        )
    questions = [
        ExportQuestion(path.name, source, q["id"], q, loaded)
        for (source, q), loaded in zip(sources, bank.questions)
    ]
    return bank, questions


def base_name(bank: Bank) -> str:
    """``01_gradient_descent`` for ``book/quizzes/01_gradient_descent.yml``."""
    return bank.path.stem


# ---------------------------------------------------------------------------------------
# Text: the banks write plain text with $...$ math, `code` and *emphasis*.

_MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$", re.S)


def to_html(text: str) -> str:
    r"""The bank's text as HTML: math as ``\(...\)`` (``\[...\]`` for ``$$``), `code` and
    *emphasis* as tags, everything else escaped."""
    out, end = [], 0
    for match in _MATH.finditer(text):
        out.append(_prose_html(text[end : match.start()]))
        if match.group(1) is not None:
            out.append(r"\[" + html.escape(match.group(1), quote=False) + r"\]")
        else:
            out.append(r"\(" + html.escape(match.group(2), quote=False) + r"\)")
        end = match.end()
    out.append(_prose_html(text[end:]))
    return "".join(out)


def _prose_html(text: str) -> str:
    parts = re.split(r"(`[^`]+`)", text)
    out = []
    for part in parts:
        if part.startswith("`") and part.endswith("`") and len(part) > 1:
            out.append("<code>" + html.escape(part[1:-1], quote=False) + "</code>")
        else:
            escaped = html.escape(part, quote=False)
            out.append(re.sub(r"\*([^*\s][^*]*?)\*", r"<em>\1</em>", escaped))
    return "".join(out)


# ---------------------------------------------------------------------------------------
# Moodle GIFT

GIFT_SPECIAL = "~=#{}:"

# The fractions Moodle's question import accepts (question/format.php matches each
# imported weight to this list, and refuses others by default), as percentages.
_MOODLE_GRADES = {n: 100.0 / n for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20)}


def gift_escape(text: str) -> str:
    r"""Escape text for GIFT as Moodle's exporter does: ``\`` and ``~ = # { } :`` get a
    backslash, line breaks become ``\n``."""
    text = text.replace("\\", "\\\\")
    for char in GIFT_SPECIAL:
        text = text.replace(char, "\\" + char)
    return text.replace("\r", "").replace("\n", "\\n")


def _percent(weight: float) -> str:
    return f"{weight:.5f}".rstrip("0").rstrip(".")


def choice_weights(question: dict, where: str) -> list[float]:
    """GIFT weights (percent) of a choice question's answers: correct ones share +100 %,
    wrong ones share -100 % (each a fraction Moodle accepts)."""
    correct = [a["correct"] for a in question["answers"]]
    n_right, n_wrong = sum(correct), len(correct) - sum(correct)
    for n, kind in ((n_right, "correct"), (n_wrong, "wrong")):
        if n and n not in _MOODLE_GRADES:
            raise ExportError(
                f"{where}: {n} {kind} answers, but Moodle accepts weights of 100/n % only for "
                f"n in {sorted(_MOODLE_GRADES)}"
            )
    return [_MOODLE_GRADES[n_right] if right else -_MOODLE_GRADES[n_wrong] for right in correct]


def _number(value: float) -> str:
    return repr(float(value))


def numeric_answers(item: ExportQuestion) -> list[tuple[float, float, bool, str]]:
    """``(value, tolerance, correct, feedback)`` of a numeric question's answers: the
    correct one first, then the bank's common mistakes; the value is the centre of the
    range the book accepts, the tolerance the bank's own."""
    answers = [a for a in item.question["answers"] if a["type"] == "range"]
    written = item.raw["answer"]["tolerance"]
    tolerances = [written] + [m.get("tolerance", written) for m in item.raw.get("mistakes") or []]
    result = []
    for answer, tolerance in zip(answers, tolerances, strict=True):
        low, high = answer["range"]
        if abs((high - low) / 2 - tolerance) > 1e-9 * max(1.0, abs(tolerance)):
            raise ExportError(f"{item.where}: the loaded range does not match the tolerance")
        result.append(((low + high) / 2, float(tolerance), answer["correct"], answer["feedback"]))
    return result


def gift_question(item: ExportQuestion) -> str:
    """One question in GIFT, with a comment line naming its bank and id."""
    q = item.question
    lines = [
        f"// {item.where}",
        f"::{gift_escape(item.id)}::[html]{gift_escape(to_html(q['question']))}" + "{",
    ]
    if q["type"] == "multiple_choice":
        for answer in q["answers"]:
            mark = "=" if answer["correct"] else "~"
            lines.append(f"\t{mark}{_gift_answer(answer)}")
    elif q["type"] == "many_choice":
        for answer, weight in zip(q["answers"], choice_weights(q, item.where)):
            lines.append(f"\t~%{_percent(weight)}%{_gift_answer(answer)}")
    else:
        lines[-1] += "#"
        for value, tolerance, correct, feedback in numeric_answers(item):
            weight = 100 if correct else 0
            lines.append(
                f"\t=%{weight}%{_number(value)}:{_number(tolerance)}"
                f"#{gift_escape(to_html(feedback))}"
            )
        lines.append(f"\t~#{gift_escape(to_html(q['answers'][-1]['feedback']))}")
    lines.append("}")
    return "\n".join(lines)


def _gift_answer(answer: dict) -> str:
    return gift_escape(to_html(answer["answer"])) + "#" + gift_escape(to_html(answer["feedback"]))


def gift(bank: Bank, questions: list[ExportQuestion]) -> str:
    """A bank as a Moodle GIFT file, in a question category named after the chapter."""
    category = re.sub(r"[^\w ,.()-]", "", f"Chapter {bank.chapter:02d} {bank.title}")
    blocks = [
        f"// {bank.title}: chapter {bank.chapter} of Neural Net Odds and Ends.",
        "// Generated from book/quizzes/" + bank.path.name + " by `make quizzes`; do not edit.",
        f"$CATEGORY: $course$/top/Neural Net Odds and Ends/{category}",
    ]
    for item in questions:
        blocks.append(_guarded(item, gift_question))
    return "\n\n".join(blocks) + "\n"


def _guarded(item: ExportQuestion, function):
    try:
        return function(item)
    except ExportError:
        raise
    except Exception as error:
        raise ExportError(f"{item.where}: {type(error).__name__}: {error}") from error


# ---------------------------------------------------------------------------------------
# Canvas QTI, via text2qti


def _one_line(text: str) -> str:
    """Text for a text2qti line: on one line, and ``&`` and ``<`` outside math and code
    written as entities, so that Markdown shows them rather than reading HTML."""
    pieces = re.split(r"(\$\$.+?\$\$|\$.+?\$|`[^`]+`)", " ".join(text.split()))
    return "".join(
        piece if k % 2 else piece.replace("&", "&amp;").replace("<", "&lt;")
        for k, piece in enumerate(pieces)
    )


def text2qti_source(bank: Bank, questions: list[ExportQuestion]) -> str:
    """A bank in text2qti's plain-text quiz format (Markdown, ``$...$`` math)."""
    lines = [
        f"Quiz title: {_one_line(bank.title)}",
        f"Quiz description: Chapter {bank.chapter} of Neural Net Odds and Ends.",
        "",
    ]
    for number, item in enumerate(questions, start=1):
        _guarded(item, lambda it, n=number: lines.extend(_text2qti_question(it, n)))
    return "\n".join(lines)


def _text2qti_question(item: ExportQuestion, number: int) -> list[str]:
    q = item.question
    lines = [f"Title: {item.id}", f"{number}.  {_one_line(q['question'])}"]
    if q["type"] == "numeric":
        correct = q["answers"][0]
        lines.append(f"+   {_one_line(correct['feedback'])}")
        lines.append(f"-   {_one_line(q['answers'][-1]['feedback'])}")
        low, high = correct["range"]
        # text2qti checks the bounds (and rounds them): give it a range it accepts, and
        # set the exact bounds on its question afterwards (see qti_zip).
        lines.append(
            f"=   [{low:.6f}, {high:.6f}]" if min(abs(low), abs(high)) >= 1e-3 else "=   [1, 2]"
        )
    else:
        for k, answer in enumerate(q["answers"]):
            if q["type"] == "multiple_choice":
                mark = ("*" if answer["correct"] else "") + f"{chr(ord('a') + k)})"
            else:
                mark = "[*]" if answer["correct"] else "[ ]"
            lines.append(f"{mark} {_one_line(answer['answer'])}")
            lines.append(f"... {_one_line(answer['feedback'])}")
    lines.append("")
    return lines


def qti_zip(bank: Bank, questions: list[ExportQuestion]) -> bytes:
    """A bank as a Canvas QTI package (zip bytes), made by text2qti."""
    try:
        from text2qti.config import Config
        from text2qti.err import Text2qtiError
        from text2qti.qti import QTI
        from text2qti.quiz import Question, Quiz
    except ImportError as error:
        raise ExportError(
            f"{bank.path.name}: Canvas packages need text2qti (pinned in requirements.txt; "
            f"`make setup` installs it): {error}"
        ) from error

    source = text2qti_source(bank, questions)
    try:
        quiz = Quiz(source, config=Config(), source_name=bank.path.name)
    except Text2qtiError as error:
        raise ExportError(f"{bank.path.name}: text2qti refused the quiz: {error}") from None
    parsed = [q for q in quiz.questions_and_delims if isinstance(q, Question)]
    if len(parsed) != len(questions):
        raise ExportError(
            f"{bank.path.name}: text2qti read {len(parsed)} questions, expected {len(questions)}"
        )
    for item, question in zip(questions, parsed):
        if item.question["type"] == "numeric":
            low, high = item.question["answers"][0]["range"]
            question.numerical_min, question.numerical_max = low, high
            question.numerical_min_html_xml = _number(low)
            question.numerical_max_html_xml = _number(high)
            question.numerical_exact = (low + high) / 2
            question.numerical_exact_html_xml = _number((low + high) / 2)
    return QTI(quiz).zip_bytes()


# ---------------------------------------------------------------------------------------
# Answer keys and printable quizzes


def numeric_source(raw_answer: dict) -> str:
    """``module:function(name=value, ...)``: the engine call that computes an answer."""
    arguments = ", ".join(f"{k}={v!r}" for k, v in (raw_answer.get("arguments") or {}).items())
    return f"{raw_answer['compute']}({arguments})"


def _precise(value: float, precision: int) -> str:
    return f"{value:.{max(precision, 1)}g}"


def answer_key_markdown(bank: Bank, questions: list[ExportQuestion]) -> str:
    """The answer key of a bank in Markdown (math as ``$...$``, as in the banks)."""
    out = [
        f"# Answer key: {bank.title} (chapter {bank.chapter})",
        "",
        f"Generated from `book/quizzes/{bank.path.name}` by `make quizzes`. Numeric answers "
        "are computed by the course's engine at export time; each names the function.",
        "",
    ]
    for number, item in enumerate(questions, start=1):
        q = item.question
        drawn = f" (from `{item.source}`)" if item.source != item.bank else ""
        out += [f"## {number}. `{item.id}`{drawn}", "", q["question"], ""]
        if q["type"] == "numeric":
            (value, tolerance, _, feedback), *mistakes = numeric_answers(item)
            out += [
                f"**Answer:** {_precise(value, q['precision'])} ± {tolerance:g} "
                f"(full value {value!r})",
                "",
                f"**Computed by:** `{numeric_source(item.raw['answer'])}`",
                "",
                f"- Correct: {feedback}",
            ]
            for raw, (wrong, _, _, wrong_feedback) in zip(item.raw.get("mistakes") or [], mistakes):
                out.append(
                    f"- Common mistake {_precise(wrong, q['precision'])} "
                    f"(`{numeric_source(raw)}`): {wrong_feedback}"
                )
            out += [f"- Any other number: {q['answers'][-1]['feedback']}", ""]
        else:
            kind = "one answer" if q["type"] == "multiple_choice" else "all that apply"
            out += [f"*{kind.capitalize()}.*", ""]
            for answer in q["answers"]:
                mark = "**✓ correct**" if answer["correct"] else "✗ wrong"
                out.append(f"- {mark}: {answer['answer']}  \n  *Feedback:* {answer['feedback']}")
            out.append("")
    return "\n".join(out)


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
body {{ font-family: Georgia, "Times New Roman", serif; max-width: 46em; margin: 2em auto;
       padding: 0 1em; line-height: 1.45; color: #111; }}
h1 {{ font-size: 1.5em; }} h2 {{ font-size: 1.1em; margin-top: 1.6em; }}
.question {{ break-inside: avoid; page-break-inside: avoid; margin-bottom: 1.2em; }}
ul.choices {{ list-style: none; padding-left: 1em; }}
ul.choices li {{ margin: 0.3em 0; }}
.box {{ display: inline-block; width: 1.6em; }}
.blank {{ display: inline-block; min-width: 12em; border-bottom: 1px solid #111; }}
.correct {{ color: #006b0e; font-weight: bold; }} .wrong {{ color: #555; }}
.feedback {{ color: #333; font-size: 0.95em; margin-left: 1.6em; }}
code {{ font-family: "DejaVu Sans Mono", monospace; font-size: 0.9em; }}
.name {{ margin: 1em 0 2em; }}
@media print {{
  body {{ margin: 0; max-width: none; font-size: 11pt; }}
  @page {{ margin: 2cm; }}
  h1 {{ margin-top: 0; }}
}}
</style>
{mathjax}
</head>
<body>
{body}
</body>
</html>
"""

# MathJax (SVG output, one self-contained file) from the copy `make vendor` fetches; a
# page without it still shows the TeX as typed.
MATHJAX_FILE = "tex-svg.js"
_MATHJAX_TAG = (
    '<script>window.MathJax = {{ tex: {{ inlineMath: [["\\\\(", "\\\\)"]] }} }};</script>\n'
    '<script src="{src}" defer></script>'
)


def _page(title: str, body: str, mathjax_src: str | None) -> str:
    tag = _MATHJAX_TAG.format(src=mathjax_src) if mathjax_src else ""
    return _PAGE.format(title=html.escape(title), body=body, mathjax=tag)


def printable_html(
    bank: Bank, questions: list[ExportQuestion], mathjax_src: str | None = None
) -> str:
    """A bank as a page to print and hand out: questions and choices, no answers."""
    body = [
        f"<h1>{html.escape(bank.title)}: quiz</h1>",
        '<p class="name">Name: <span class="blank"></span></p>',
    ]
    for number, item in enumerate(questions, start=1):
        q = item.question
        body.append(f'<div class="question"><h2>{number}. {to_html(q["question"])}</h2>')
        if q["type"] == "numeric":
            body.append('<p>Answer: <span class="blank"></span></p>')
        else:
            hint = "Choose one." if q["type"] == "multiple_choice" else "Choose all that apply."
            box = "○" if q["type"] == "multiple_choice" else "☐"
            body.append(f'<p><em>{hint}</em></p><ul class="choices">')
            body += [
                f'<li><span class="box">{box}</span>{to_html(a["answer"])}</li>'
                for a in q["answers"]
            ]
            body.append("</ul>")
        body.append("</div>")
    return _page(f"{bank.title}: quiz", "\n".join(body), mathjax_src)


def answer_key_html(
    bank: Bank, questions: list[ExportQuestion], mathjax_src: str | None = None
) -> str:
    """The answer key as a page (the same content as :func:`answer_key_markdown`)."""
    body = [
        f"<h1>Answer key: {html.escape(bank.title)} (chapter {bank.chapter})</h1>",
        f"<p>Generated from <code>book/quizzes/{html.escape(bank.path.name)}</code> by "
        "<code>make quizzes</code>. Numeric answers are computed by the course's engine at "
        "export time; each names the function.</p>",
    ]
    for number, item in enumerate(questions, start=1):
        q = item.question
        drawn = f" (from <code>{item.source}</code>)" if item.source != item.bank else ""
        body.append(
            f'<div class="question"><h2>{number}. <code>{html.escape(item.id)}</code>{drawn}</h2>'
            f"<p>{to_html(q['question'])}</p>"
        )
        if q["type"] == "numeric":
            (value, tolerance, _, feedback), *mistakes = numeric_answers(item)
            call = html.escape(numeric_source(item.raw["answer"]))
            body.append(
                f'<p class="correct">Answer: {_precise(value, q["precision"])} ± {tolerance:g} '
                f"(full value {value!r})</p><p>Computed by: <code>{call}</code></p><ul>"
                f"<li>Correct: {to_html(feedback)}</li>"
            )
            for raw, (wrong, _, _, wrong_feedback) in zip(item.raw.get("mistakes") or [], mistakes):
                body.append(
                    f"<li>Common mistake {_precise(wrong, q['precision'])} "
                    f"(<code>{html.escape(numeric_source(raw))}</code>): "
                    f"{to_html(wrong_feedback)}</li>"
                )
            body.append(f"<li>Any other number: {to_html(q['answers'][-1]['feedback'])}</li></ul>")
        else:
            body.append("<ul>")
            for answer in q["answers"]:
                mark = (
                    '<span class="correct">✓ correct</span>'
                    if answer["correct"]
                    else '<span class="wrong">✗ wrong</span>'
                )
                body.append(
                    f"<li>{mark}: {to_html(answer['answer'])}"
                    f'<div class="feedback">Feedback: {to_html(answer["feedback"])}</div></li>'
                )
            body.append("</ul>")
        body.append("</div>")
    return _page(f"Answer key: {bank.title}", "\n".join(body), mathjax_src)


# ---------------------------------------------------------------------------------------

SUFFIXES = (".gift", ".qti.zip", ".text2qti.md", ".key.md", ".key.html", ".print.html")


def export_bank(
    chapter: int | str | Path, out_dir: Path, mathjax_src: str | None = None
) -> list[Path]:
    """Write every format of one bank into ``out_dir``; return the files written."""
    bank, questions = bank_questions(chapter)
    name = base_name(bank)
    contents = {
        ".gift": gift(bank, questions),
        ".text2qti.md": text2qti_source(bank, questions),
        ".qti.zip": qti_zip(bank, questions),
        ".key.md": answer_key_markdown(bank, questions),
        ".key.html": answer_key_html(bank, questions, mathjax_src),
        ".print.html": printable_html(bank, questions, mathjax_src),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for suffix in SUFFIXES:
        path = out_dir / f"{name}{suffix}"
        content = contents[suffix]
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        written.append(path)
    return written


def export_all(out_dir: Path, banks: list | None = None) -> list[Path]:
    """Export every bank (or those given) into ``out_dir``; copy MathJax beside the pages
    when the course has fetched it (``make vendor``). Returns the files written."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    root = course_root()
    mathjax = root / "assets" / "vendor" / "mathjax" / MATHJAX_FILE if root else None
    mathjax_src = None
    if mathjax is not None and mathjax.is_file():
        shutil.copy2(mathjax, out_dir / MATHJAX_FILE)
        mathjax_src = MATHJAX_FILE
    written = []
    for path in banks if banks is not None else all_banks():
        written += export_bank(path, out_dir, mathjax_src)
    return written
