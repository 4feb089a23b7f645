"""Question banks: load, check and render the end-of-chapter quizzes.

A bank is a YAML file in ``book/quizzes/`` (one per chapter); its schema is documented
in ``book/quizzes/README.md`` and enforced by :func:`validate_bank`. The folder is found
by the rule of :mod:`widgets.course.resources` (a checkout's, or the copies an installed
package carries). Numeric answers are never typed into a bank: each names a function of
this package (``module:function``) that computes the answer with the engine when the
bank is loaded, so an answer key cannot drift from the chapter that teaches it. A bank
may also draw questions from other banks by id (``draw``, :func:`drawn_questions`): the
final quiz is made that way, each drawn question loaded from its own bank.

Quizzes are drawn by `jupyterquiz <https://pypi.org/project/jupyterquiz/>`_, which works in
JupyterLab and, as plain HTML and JavaScript, on the static site with no network. The
container gets a fixed id (not jupyterquiz's random one) so a chapter's stored output is
reproducible and nbval can compare it. The scripts and style the course adds to
jupyterquiz's are files of ``widgets/course/assets/``, shipped as package data.
"""

from __future__ import annotations

import importlib
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from widgets.course.resources import asset, bank_dir

QUESTION_TYPES = ("multiple_choice", "many_choice", "numeric")

# Two repairs to jupyterquiz's (2.9.6.4) script, made on its text:
# - it falls back to loading MathJax from a CDN when the page's MathJax is not ready; the
#   course serves MathJax itself, so that fallback is cut out;
# - it reads `MathJax.version[0]` unguarded, and JupyterLab 4 has a MathJax object with
#   no version, so every answer click threw; a missing version now reads as "".
_CDN_FALLBACK = re.compile(
    r"\(function \(\) \{\s*var script = document\.createElement\('script'\);.*?\}\)\(\);", re.S
)
_UNGUARDED_VERSION = re.compile(r"=\s*MathJax\.version;")


def _repair_script(script: str) -> str:
    script = _CDN_FALLBACK.sub("/* MathJax is served by the course itself */", script)
    return _UNGUARDED_VERSION.sub('= (MathJax.version || "");', script)


class QuizBankError(ValueError):
    """A question bank breaks the schema; the message names the bank and the question."""


@dataclass(frozen=True)
class Bank:
    """A loaded, checked question bank with its numeric answers computed."""

    path: Path
    chapter: int
    title: str
    questions: list  # jupyterquiz question dicts, ready to render


def bank_path(chapter: int | str) -> Path:
    """Return the bank file of a chapter number (``1`` -> ``book/quizzes/01_*.yml``) or a path."""
    if isinstance(chapter, int):
        folder = bank_dir()
        matches = sorted(folder.glob(f"{chapter:02d}_*.yml"))
        if len(matches) != 1:
            raise QuizBankError(
                f"chapter {chapter}: expected one bank named {chapter:02d}_*.yml in {folder}, "
                f"found {len(matches)}"
            )
        return matches[0]
    return Path(chapter)


def all_banks() -> list[Path]:
    """Every bank file, in chapter order."""
    return sorted(bank_dir().glob("[0-9][0-9]_*.yml"))


def compute(reference: str, arguments: dict | None = None) -> float:
    """Call ``module:function`` (a function of this package) and return its result as a float."""
    if not isinstance(reference, str) or ":" not in reference:
        raise QuizBankError(f"compute must be 'module:function', got {reference!r}")
    module_name, _, function_name = reference.partition(":")
    if not module_name.startswith("widgets"):
        raise QuizBankError(
            f"compute must name a function of the course package 'widgets', got {reference!r}"
        )
    function = getattr(importlib.import_module(module_name), function_name)
    value = float(function(**(arguments or {})))
    if not math.isfinite(value):
        raise QuizBankError(f"compute {reference!r} returned {value}, expected a finite number")
    return value


def _computed(spec: dict, where: str) -> float:
    """:func:`compute` for a bank's answer or mistake, its failures naming the question."""
    try:
        return compute(spec.get("compute"), spec.get("arguments"))
    except QuizBankError as error:
        raise QuizBankError(f"{where}: {error}") from None
    except Exception as error:
        raise QuizBankError(
            f"{where}: computing {spec.get('compute')!r} failed: {type(error).__name__}: {error}"
        ) from error


def _require(condition: bool, where: str, message: str) -> None:
    if not condition:
        raise QuizBankError(f"{where}: {message}")


def _text(value, where: str, field: str) -> str:
    _require(
        isinstance(value, str) and value.strip() != "", where, f"'{field}' must be non-empty text"
    )
    return value


def _choice_question(raw: dict, where: str) -> dict:
    answers = raw.get("answers")
    _require(
        isinstance(answers, list) and len(answers) >= 2,
        where,
        "'answers' must list at least two answers",
    )
    converted = []
    for k, answer in enumerate(answers):
        at = f"{where}, answer {k + 1}"
        _require(isinstance(answer, dict), at, "each answer must be a mapping")
        _require(
            set(answer) <= {"answer", "correct", "feedback"},
            at,
            f"unknown keys {sorted(set(answer) - {'answer', 'correct', 'feedback'})}",
        )
        _require(isinstance(answer.get("correct"), bool), at, "'correct' must be true or false")
        converted.append(
            {
                "answer": _text(answer.get("answer"), at, "answer"),
                "correct": answer["correct"],
                "feedback": _text(answer.get("feedback"), at, "feedback"),
            }
        )
    n_correct = sum(a["correct"] for a in converted)
    if raw["type"] == "multiple_choice":
        _require(
            n_correct == 1,
            where,
            f"a multiple_choice question needs exactly one correct answer, has {n_correct}",
        )
    else:
        _require(n_correct >= 1, where, "a many_choice question needs at least one correct answer")
    texts = [a["answer"] for a in converted]
    _require(len(set(texts)) == len(texts), where, "two answers have the same text")
    question = {"question": raw["question"], "type": raw["type"], "answers": converted}
    if raw["type"] == "many_choice":
        question["answer_cols"] = 1
    return question


def _numeric_question(raw: dict, where: str) -> dict:
    answer = raw.get("answer")
    _require(isinstance(answer, dict), where, "a numeric question needs an 'answer' mapping")
    _require(
        "value" not in answer,
        where,
        "numeric answers are computed, not typed: give 'compute: module:function', not 'value'",
    )
    tolerance = answer.get("tolerance")
    _require(
        isinstance(tolerance, (int, float)) and tolerance > 0,
        where,
        "'tolerance' must be a positive number",
    )
    precision = answer.get("precision", 3)
    _require(
        isinstance(precision, int) and precision > 0,
        where,
        "'precision' must be a positive integer",
    )
    value = _computed(answer, where)
    feedback = raw.get("feedback")
    _require(
        isinstance(feedback, dict),
        where,
        "a numeric question needs 'feedback' with 'correct' and 'wrong'",
    )
    answers = [
        {
            "type": "range",
            "range": [value - tolerance, value + tolerance],
            "correct": True,
            "feedback": _text(feedback.get("correct"), where, "feedback.correct"),
        }
    ]
    for k, mistake in enumerate(raw.get("mistakes", []) or []):
        at = f"{where}, mistake {k + 1}"
        _require(
            isinstance(mistake, dict) and "compute" in mistake,
            at,
            "a mistake needs 'compute', 'tolerance' and 'feedback'",
        )
        wrong = _computed(mistake, at)
        wrong_tolerance = mistake.get("tolerance", tolerance)
        _require(
            abs(wrong - value) > tolerance + wrong_tolerance,
            at,
            f"the mistake's value {wrong:g} overlaps the correct answer {value:g}",
        )
        answers.append(
            {
                "type": "range",
                "range": [wrong - wrong_tolerance, wrong + wrong_tolerance],
                "correct": False,
                "feedback": _text(mistake.get("feedback"), at, "feedback"),
            }
        )
    answers.append(
        {"type": "default", "feedback": _text(feedback.get("wrong"), where, "feedback.wrong")}
    )
    return {
        "question": raw["question"],
        "type": "numeric",
        "precision": precision,
        "answers": answers,
    }


_TOP_LEVEL_KEYS = {"chapter", "title", "questions", "draw"}


def validate_bank(raw: dict, source: str = "bank") -> tuple[int, str, list]:
    """Check a parsed bank against the schema and return ``(chapter, title, questions)``.

    The questions are returned in jupyterquiz's format, numeric answers computed: first
    those the bank draws from other chapters' banks (``draw``, see :func:`drawn_questions`),
    then its own. Raises :class:`QuizBankError` naming the bank, the question and the
    rule broken.
    """
    _require(
        isinstance(raw, dict),
        source,
        "a bank must be a mapping with 'chapter', 'title' and 'questions'",
    )
    _require(
        set(raw) <= _TOP_LEVEL_KEYS,
        source,
        f"unknown top-level keys {sorted(set(raw) - _TOP_LEVEL_KEYS)}",
    )
    chapter = raw.get("chapter")
    _require(
        isinstance(chapter, int) and chapter > 0, source, "'chapter' must be a positive integer"
    )
    title = _text(raw.get("title"), source, "title")
    drawn = drawn_questions(raw["draw"], chapter, source) if "draw" in raw else []
    questions = raw.get("questions", [] if drawn else None)
    _require(
        isinstance(questions, list) and (questions or drawn),
        source,
        "'questions' must be a non-empty list (it may be left out or empty only when the "
        "bank draws questions with 'draw')",
    )
    converted, seen_ids = list(drawn), set()
    for k, question in enumerate(questions):
        where = f"{source}, question {k + 1}"
        _require(isinstance(question, dict), where, "each question must be a mapping")
        qid = question.get("id")
        _require(
            isinstance(qid, str) and re.fullmatch(r"[a-z0-9-]+", qid or "") is not None,
            where,
            "'id' must be lower-case letters, digits and dashes",
        )
        _require(qid not in seen_ids, where, f"id {qid!r} is used twice")
        seen_ids.add(qid)
        where = f"{source}, question {qid!r}"
        _require(
            question.get("type") in QUESTION_TYPES,
            where,
            f"'type' must be one of {QUESTION_TYPES}, got {question.get('type')!r}",
        )
        _text(question.get("question"), where, "question")
        converted.append(
            _numeric_question(question, where)
            if question["type"] == "numeric"
            else _choice_question(question, where)
        )
    return chapter, title, converted


def drawn_questions(draw, chapter: int, source: str = "bank") -> list:
    """The questions a bank draws from other chapters' banks, in the order listed.

    ``draw`` is a list of ``{chapter: N, ids: [id, ...]}``: the questions with those ids
    from chapter ``N``'s bank, loaded and checked as that bank is (numeric answers
    computed), so each drawn question is exactly its source's. A bank may not draw from
    itself or from a bank that draws in turn; a missing bank, a missing id or an id
    drawn twice is an error naming the bank and the id.
    """
    _require(
        isinstance(draw, list) and draw,
        source,
        "'draw' must be a non-empty list of {chapter: N, ids: [...]}",
    )
    questions, seen = [], set()
    for k, entry in enumerate(draw):
        at = f"{source}, draw {k + 1}"
        _require(
            isinstance(entry, dict) and set(entry) == {"chapter", "ids"},
            at,
            "each draw must be a mapping with exactly 'chapter' and 'ids'",
        )
        number, ids = entry["chapter"], entry["ids"]
        _require(
            isinstance(number, int) and number > 0 and number != chapter,
            at,
            f"'chapter' must be the positive number of another chapter, got {number!r}",
        )
        _require(
            isinstance(ids, list) and ids and all(isinstance(i, str) for i in ids),
            at,
            "'ids' must be a non-empty list of question ids",
        )
        try:
            path = bank_path(number)
        except QuizBankError as error:
            raise QuizBankError(f"{at}: cannot draw from chapter {number}: {error}") from None
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        _require(
            not (isinstance(raw, dict) and "draw" in raw),
            at,
            f"{path.name} draws questions itself; draw only from banks of their own",
        )
        _, _, converted = validate_bank(raw, source=path.name)
        by_id = {q.get("id"): c for q, c in zip(raw["questions"], converted)}
        for qid in ids:
            _require(
                qid in by_id,
                at,
                f"{path.name} has no question with id {qid!r} (its ids: {sorted(by_id)})",
            )
            _require((number, qid) not in seen, at, f"{path.name}'s {qid!r} is drawn twice")
            seen.add((number, qid))
            questions.append(by_id[qid])
    return questions


def load_bank(chapter: int | str) -> Bank:
    """Load and check the bank of a chapter (number) or at a path."""
    path = bank_path(chapter)
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    number, title, questions = validate_bank(raw, source=path.name)
    return Bank(path=path, chapter=number, title=title, questions=questions)


def quiz_html_and_script(bank: Bank, container_id: str | None = None) -> tuple[str, str]:
    """Return the HTML container (with styles) and the JavaScript that draws ``bank``."""
    from jupyterquiz.dynamic.loader import load_questions_script
    from jupyterquiz.dynamic.renderer import build_script, build_styles, render_div

    div_id = container_id or f"quiz{bank.chapter:02d}"
    prefix, static, url = load_questions_script(bank.questions, div_id)
    html = render_div(
        div_id,
        shuffle_questions=False,
        shuffle_answers=True,
        preserve_responses=False,
        num=1_000_000,
        max_width=700,
        border_radius=10,
        question_alignment="left",
    )
    html += "</div>" + build_styles(div_id, _COLORS) + _extra_style(div_id)
    script = _repair_script(build_script(prefix, static, url, div_id, True))
    for name in _SCRIPTS:
        script += "\n" + asset(name).replace("DIV", div_id)
    return html, script


def _extra_style(div_id: str) -> str:
    return "<style>" + asset(_STYLE).rstrip("\n").replace("DIV", div_id) + "</style>"


# What the course adds to jupyterquiz's output, in widgets/course/assets/. In each file
# the placeholder DIV stands for the quiz container's id. Each script runs after
# jupyterquiz's, starting on a line of its own.
#
# quiz.css: the numeric answer box: jupyterquiz draws it borderless and near-white
#   (#fafafa) on the white page, where it cannot be seen, and its text in the question's
#   light colour; here it is white with a dark grey border (6.7:1 against white, 4.5:1
#   against the light grey of the dark theme's output area) and dark text, and its focus
#   ring is the question's purple. The words that replace the many-choice counter
#   (many_choice.js) go on a line of their own.
# label_inputs.js: accessible names for jupyterquiz's inputs, given once the quiz is
#   drawn. Its numeric answer box has no label at all (it gets one, and a placeholder
#   saying what to type), and a choice whose text is only
#   math (say $X_1X_2$) leaves its radio button with no name a screen reader can find.
#   Each radio is named after its answer in plain words: the answer is found through its
#   feedback (unique within a question), and its TeX spelled out ("X_1^2" -> "X1 squared").
# plain_math.js: math in JupyterLab. On the site MathJax typesets the quiz's \( ... \)
#   spans; in JupyterLab (Binder, `make lab`) a script in an output has no typesetter to
#   call, so the TeX would stay raw. There the common notation of the banks is written
#   out as HTML instead: Greek letters and symbols, sub- and superscripts, fractions as
#   a/b. The quiz's text is rewritten once drawn and again whenever feedback appears.
# many_choice.js: jupyterquiz ends a many-choice question's feedback with a bare counter,
#   "[1/3]" (and "[0/3]" after a wrong answer, which clears the earlier choices); it is
#   replaced by words: "You have found 1 of the 3 correct answers; keep going."
_STYLE = "quiz.css"
_SCRIPTS = ("label_inputs.js", "plain_math.js", "many_choice.js")


# jupyterquiz's default palette, with the "incorrect" red darkened so that feedback text
# keeps a 4.5:1 contrast on the light answer buttons.
_COLORS = {
    "--jq-multiple-choice-bg": "#392061",
    "--jq-mc-button-bg": "#fafafa",
    "--jq-mc-button-border": "#e0e0e0e0",
    "--jq-mc-button-inset-shadow": "#555555",
    "--jq-many-choice-bg": "#8a3b00",
    "--jq-numeric-bg": "#392061",
    "--jq-numeric-input-bg": "#fafafa",
    "--jq-numeric-input-label": "#101010",
    "--jq-numeric-input-shadow": "#999999",
    "--jq-string-bg": "#4c1a57",
    "--jq-incorrect-color": "#a00000",
    "--jq-correct-color": "#006b0e",
    "--jq-text-color": "#fafafa",
    "--jq-link-color": "#9abafa",
}


def show_quiz(chapter: int | str) -> None:
    """Display a chapter's quiz in the notebook (and, from the stored output, on the site)."""
    from IPython.display import HTML, Javascript, display

    html, script = quiz_html_and_script(load_bank(chapter))
    display(HTML(html))
    display(Javascript(script))


def bank_as_json(chapter: int | str) -> str:
    """The bank in jupyterquiz's JSON format (for instructors reusing a quiz elsewhere)."""
    return json.dumps(load_bank(chapter).questions, indent=2)
