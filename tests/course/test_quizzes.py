"""Every question bank: schema, answer keys computed by the engine, rendering offline."""

from __future__ import annotations

import copy
import json
import re

import pytest
import yaml

from widgets.course.quiz import (
    QuizBankError,
    all_banks,
    bank_path,
    load_bank,
    quiz_html_and_script,
    validate_bank,
)
from widgets.explorers import descent

BANKS = all_banks()


def test_there_is_a_bank_for_every_chapter():
    from pathlib import Path

    chapters = sorted(
        p.stem for p in (Path(__file__).resolve().parents[2] / "chapters").glob("*.ipynb")
    )
    assert [p.stem for p in BANKS] == chapters


@pytest.mark.parametrize("path", BANKS, ids=[p.stem for p in BANKS])
def test_bank_is_valid(path):
    bank = load_bank(path)
    assert bank.chapter == int(path.name[:2])
    for question in bank.questions:
        if question["type"] == "multiple_choice":
            assert sum(a["correct"] for a in question["answers"]) == 1
        elif question["type"] == "many_choice":
            assert sum(a["correct"] for a in question["answers"]) >= 1
        else:
            assert question["answers"][-1]["type"] == "default"
        assert all(a["feedback"].strip() for a in question["answers"])


def test_chapter_1_bank_has_enough_questions_of_each_kind():
    types = [q["type"] for q in load_bank(1).questions]
    assert len(types) >= 6
    assert {"multiple_choice", "many_choice", "numeric"} <= set(types)


def test_chapter_1_numeric_answers_come_from_the_engine():
    import numpy as np

    raw_numeric = [
        q for q in yaml.safe_load(BANKS[0].read_text())["questions"] if q["type"] == "numeric"
    ]
    loaded_numeric = [
        q for q in load_bank(1).questions if q["type"] == "numeric"
    ]  # same order as the bank
    surface = descent.line_fit_surface()
    # Each key recomputed here by a route of its own (not the function the bank names).
    expected = {
        "critical-rate": 2.0 / np.linalg.eigvalsh(surface.hessian).max(),
        "one-step": 0.0 - 0.1 * surface.loss_and_gradient((0.0, 0.0))[1][0],
    }
    assert [q["id"] for q in raw_numeric] == list(expected)
    for raw, loaded in zip(raw_numeric, loaded_numeric):
        low, high = loaded["answers"][0]["range"]
        assert loaded["answers"][0]["correct"] is True
        assert low < expected[raw["id"]] < high, raw["id"]
        assert (high - low) == pytest.approx(2 * raw["answer"]["tolerance"])


def _minimal_bank():
    return {
        "chapter": 1,
        "title": "Test",
        "questions": [
            {
                "id": "q1",
                "type": "multiple_choice",
                "question": "Q?",
                "answers": [
                    {"answer": "a", "correct": True, "feedback": "yes"},
                    {"answer": "b", "correct": False, "feedback": "no"},
                ],
            },
            {
                "id": "q2",
                "type": "numeric",
                "question": "N?",
                "answer": {
                    "compute": "widgets.explorers.descent:critical_learning_rate",
                    "tolerance": 0.01,
                },
                "feedback": {"correct": "yes", "wrong": "no"},
            },
        ],
    }


def test_minimal_bank_validates():
    chapter, title, questions = validate_bank(_minimal_bank())
    assert chapter == 1 and len(questions) == 2


@pytest.mark.parametrize(
    "breakage, message",
    [
        (
            lambda b: b["questions"][0]["answers"][1].update(correct=True),
            "exactly one correct answer",
        ),
        (
            lambda b: b["questions"][0]["answers"][0].update(correct=False),
            "exactly one correct answer",
        ),
        (
            lambda b: (
                b["questions"][0].update(type="many_choice")
                or b["questions"][0]["answers"][0].update(correct=False)
            ),
            "at least one correct answer",
        ),
        (lambda b: b["questions"][0]["answers"][1].pop("feedback"), "'feedback' must be non-empty"),
        (lambda b: b["questions"][1]["answer"].update(value=0.26), "computed, not typed"),
        (lambda b: b["questions"][1]["answer"].update(compute="numpy:pi"), "course package"),
        (
            lambda b: b["questions"][1]["answer"].update(tolerance=0),
            "'tolerance' must be a positive number",
        ),
        (lambda b: b["questions"][1]["feedback"].pop("wrong"), "feedback.wrong"),
        (lambda b: b["questions"][1].update(id="q1"), "used twice"),
        (lambda b: b["questions"][1].update(type="essay"), "'type' must be one of"),
        (lambda b: b.update(chapter=0), "'chapter' must be a positive integer"),
        (lambda b: b["questions"].clear(), "non-empty list"),
    ],
)
def test_validator_rejects_broken_banks(breakage, message):
    bank = copy.deepcopy(_minimal_bank())
    breakage(bank)
    with pytest.raises(QuizBankError, match=message):
        validate_bank(bank)


def test_mistake_overlapping_the_answer_is_refused():
    bank = _minimal_bank()
    bank["questions"][1]["mistakes"] = [
        {"compute": "widgets.explorers.descent:critical_learning_rate", "feedback": "same"}
    ]
    with pytest.raises(QuizBankError, match="overlaps the correct answer"):
        validate_bank(bank)


@pytest.mark.parametrize("path", BANKS, ids=[p.stem for p in BANKS])
def test_rendered_quiz_is_offline_and_reproducible(path):
    bank = load_bank(path)
    html, script = quiz_html_and_script(bank)
    assert html == quiz_html_and_script(load_bank(path))[0]
    assert script == quiz_html_and_script(load_bank(path))[1]
    assert f'id="quiz{bank.chapter:02d}"' in html
    # No address of another host anywhere in what the page runs (the CDN fallback is cut).
    assert re.findall(r"https?://[\w.-]+", script) == []
    assert "document.createElement('script')" not in script
    # Every read of MathJax's version is guarded (JupyterLab's MathJax has none).
    assert re.findall(r"MathJax\.version;", script) == []
    assert script.count('(MathJax.version || "")') >= 5
    # In JupyterLab (and only there) the math is written out, as no MathJax is available.
    assert 'hasAttribute("data-jp-theme-name")' in script
    # The questions travel inside the script, as JSON.
    assert json.dumps(bank.questions) in script


# ----------------------------------------------------------------- drawn questions (bank 14)


def _review_raw():
    return yaml.safe_load(bank_path(14).read_text(encoding="utf-8"))


def test_the_final_quiz_draws_two_questions_from_every_earlier_chapter():
    raw = _review_raw()
    drawn = {entry["chapter"]: entry["ids"] for entry in raw["draw"]}
    earlier = [int(p.name[:2]) for p in BANKS if int(p.name[:2]) < 14]
    assert sorted(drawn) == earlier
    assert all(len(ids) == 2 for ids in drawn.values())


def test_drawn_questions_are_exactly_their_source_banks_questions():
    raw = _review_raw()
    review = load_bank(14)
    expected = []
    for entry in raw["draw"]:
        source_raw = yaml.safe_load(bank_path(entry["chapter"]).read_text(encoding="utf-8"))
        source = load_bank(entry["chapter"])
        by_id = dict(zip([q["id"] for q in source_raw["questions"]], source.questions))
        expected += [by_id[qid] for qid in entry["ids"]]
    n_own = len(raw["questions"])
    assert review.questions[: len(expected)] == expected
    assert len(review.questions) == len(expected) + n_own
    assert json.dumps(expected[0]) in quiz_html_and_script(review)[1]


def _drawing_bank(draw):
    return {"chapter": 14, "title": "Test", "draw": draw}


@pytest.mark.parametrize(
    "draw, message",
    [
        (
            [{"chapter": 3, "ids": ["no-such-question"]}],
            r"03_initialization.yml has no question "
            r"with id 'no-such-question'",
        ),
        ([{"chapter": 99, "ids": ["lowest-point"]}], "cannot draw from chapter 99"),
        ([{"chapter": 1, "ids": ["decay", "decay"]}], "drawn twice"),
        ([{"chapter": 14, "ids": ["jumping-loss"]}], "another chapter"),
        ([{"chapter": 1}], "exactly 'chapter' and 'ids'"),
        ([{"chapter": 1, "ids": []}], "non-empty list of question ids"),
        ([], "non-empty list"),
    ],
)
def test_a_broken_draw_is_refused_naming_the_bank_and_the_id(draw, message):
    with pytest.raises(QuizBankError, match=message) as error:
        validate_bank(_drawing_bank(draw), source="14_test.yml")
    assert str(error.value).startswith("14_test.yml")


def test_a_bank_may_not_draw_from_a_bank_that_draws(tmp_path, monkeypatch):
    from widgets.course import quiz

    (tmp_path / "01_first.yml").write_text(
        yaml.safe_dump(_drawing_bank([{"chapter": 2, "ids": ["q1"]}]) | {"chapter": 1})
    )
    monkeypatch.setattr(quiz, "bank_dir", lambda: tmp_path)
    with pytest.raises(QuizBankError, match="draws questions itself"):
        validate_bank(_drawing_bank([{"chapter": 1, "ids": ["q1"]}]), source="14_test.yml")


def test_a_drawing_bank_may_add_questions_of_its_own():
    bank = _drawing_bank([{"chapter": 1, "ids": ["decay"]}])
    bank["questions"] = _minimal_bank()["questions"]
    _, _, questions = validate_bank(bank)
    assert len(questions) == 3 and questions[0] == load_bank(1).questions[-1]


def test_the_quiz_index_lists_the_final_quiz():
    from pathlib import Path

    index = json.loads(
        (Path(__file__).resolve().parents[2] / "book" / "quiz_index.ipynb").read_text()
    )
    code = "".join("".join(c["source"]) for c in index["cells"] if c["cell_type"] == "code")
    assert "all_banks()" in code  # the index shows every bank all_banks() finds ...
    assert bank_path(14) in all_banks()  # ... and the final quiz is one of them
