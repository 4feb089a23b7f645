"""The quiz exports read back by readers of their own and compared with the banks.

GIFT files are read by a strict parser written here after Moodle's importer
(question/format/gift/format.php: its escaping, answer weights and numeric answers), not
by the exporter's code; it fails on anything it does not expect. QTI packages are
unzipped and their XML read with xml.etree. Both are compared with the banks as
``widgets.course.quiz.load_bank`` loads them (numeric answers computed by the engine).
"""

from __future__ import annotations

import html
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml

from widgets.course.exports import ExportError, export_all, export_bank
from widgets.course.quiz import all_banks, load_bank

BANKS = all_banks()

# ---------------------------------------------------------------------------------------
# A strict GIFT reader (Moodle's rules)

_ESCAPES = {":": "\x01", "#": "\x02", "=": "\x03", "{": "\x04", "}": "\x05", "~": "\x06"}
_MOODLE_FRACTIONS = [1.0, 0.9, 5 / 6, 0.8, 0.75, 0.7, 2 / 3, 0.6, 0.5, 0.4, 1 / 3, 0.3]
_MOODLE_FRACTIONS += [0.25, 0.2, 1 / 6, 1 / 7, 0.125, 1 / 9, 0.1, 0.05, 0.0]


def _pre(text: str) -> str:
    """Moodle's escapedchar_pre: ``\\\\`` is a backslash, ``\\x`` a literal x, ``\\n`` a
    line break; escaped characters become placeholders."""
    text = text.replace("\\\\", "\x00")
    for char, placeholder in _ESCAPES.items():
        text = text.replace("\\" + char, placeholder)
    text = text.replace("\\n", "\n")
    return text.replace("\x00", "\\")


def _post(text: str) -> str:
    for char, placeholder in _ESCAPES.items():
        text = text.replace(placeholder, char)
    return text


def _plain(text: str, where: str) -> str:
    for char in "{}~=#:":
        assert char not in text, f"{where}: unescaped {char!r} in {text!r}"
    return _post(text).strip()


def parse_gift(source: str) -> list[dict]:
    questions, category = [], None
    for block in re.split(r"\n\s*\n", source):
        lines = [line for line in block.splitlines() if not line.strip().startswith("//")]
        text = "\n".join(lines).strip()
        if not text:
            continue
        text = _pre(text)
        if text.startswith("$CATEGORY:"):
            category = text[len("$CATEGORY:") :].strip()
            continue
        match = re.fullmatch(r"::([^:]+)::\[html\]([^{}]*)\{(#?)(.*)\}", text, re.S)
        assert match, f"not a GIFT question: {text[:200]!r}"
        name, question_text, numeric, body = match.groups()
        where = f"GIFT question {name}"
        assert ":" not in question_text, f"{where}: unescaped ':' in the question"
        question = {
            "name": _post(name),
            "text": _plain(question_text, where),
            "category": category,
        }
        entries = [line.strip() for line in body.strip().split("\n")]
        if numeric:
            question["type"], question["answers"] = "numeric", []
            for entry in entries:
                if entry.startswith("~#"):
                    question["default_feedback"] = _plain(entry[2:], where)
                    continue
                m = re.fullmatch(r"=%(-?\d+(?:\.\d+)?)%([^:#]+):([^:#]+)#(.*)", entry, re.S)
                assert m, f"{where}: bad numeric answer {entry!r}"
                weight, value, tolerance, feedback = m.groups()
                question["answers"].append(
                    {
                        "fraction": float(weight) / 100,
                        "value": float(value),
                        "tolerance": float(tolerance),
                        "feedback": _plain(feedback, where),
                    }
                )
        else:
            question["single"] = any(e.startswith("=") for e in entries)
            question["type"] = "choice"
            question["answers"] = []
            for entry in entries:
                m = re.fullmatch(r"(=|~%-?\d+(?:\.\d+)?%|~)([^#]*)#(.*)", entry, re.S)
                assert m, f"{where}: bad answer {entry!r}"
                mark, answer, feedback = m.groups()
                if mark == "=":
                    fraction = 1.0
                elif mark == "~":
                    fraction = 0.0
                else:
                    fraction = float(mark[2:-1]) / 100
                    assert re.fullmatch(r"~%-*([0-9]{1,2})\.?([0-9]*)%", mark), mark
                    assert any(abs(abs(fraction) - f) < 1e-5 for f in _MOODLE_FRACTIONS), (
                        f"{where}: Moodle refuses the weight {mark}"
                    )
                question["answers"].append(
                    {
                        "fraction": fraction,
                        "text": _plain(answer, where),
                        "feedback": _plain(feedback, where),
                    }
                )
        questions.append(question)
    return questions


def from_gift_html(text: str) -> str:
    r"""Undo the exporter's HTML: ``\(..\)`` -> ``$..$``, tags -> Markdown, entities."""
    text = re.sub(r"\\\((.*?)\\\)", lambda m: "$" + m.group(1) + "$", text, flags=re.S)
    text = re.sub(r"\\\[(.*?)\\\]", lambda m: "$$" + m.group(1) + "$$", text, flags=re.S)
    text = re.sub(r"</?code>", "`", text)
    text = re.sub(r"</?em>", "*", text)
    assert "<" not in text, f"unexpected HTML in {text!r}"
    return html.unescape(text)


# ---------------------------------------------------------------------------------------
# QTI: the item HTML back to the bank's text


class _QtiText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img":
            assert attrs.get("class") == "equation_image", attrs
            self.out.append("$" + attrs["data-equation-content"] + "$")
        elif tag in ("em", "code"):
            self.out.append("*" if tag == "em" else "`")
        else:
            assert tag == "p", f"unexpected tag {tag}"

    def handle_endtag(self, tag):
        if tag in ("em", "code"):
            self.out.append("*" if tag == "em" else "`")

    def handle_data(self, data):
        self.out.append(data)


# text2qti's Markdown applies SmartyPants typography; fold it on both sides.
_TYPOGRAPHY = {"’": "'", "‘": "'", "“": '"', "”": '"', "–": "--", "—": "---", "…": "..."}


def fold(text: str) -> str:
    for fancy, plain in _TYPOGRAPHY.items():
        text = text.replace(fancy, plain)
    return " ".join(text.split())


def from_qti_html(text: str) -> str:
    parser = _QtiText()
    parser.feed(text)
    parser.close()
    return fold("".join(parser.out))


QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"


def parse_qti(path: Path) -> list[dict]:
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        assert "imsmanifest.xml" in names
        ElementTree.fromstring(archive.read("imsmanifest.xml"))
        (assessment,) = [n for n in names if n.endswith(".xml") and "/" in n and "meta" not in n]
        root = ElementTree.fromstring(archive.read(assessment))
    items = []
    for item in root.iter(f"{QTI}item"):
        fields = {
            f.find(f"{QTI}fieldlabel").text: f.find(f"{QTI}fieldentry").text
            for f in item.iter(f"{QTI}qtimetadatafield")
        }
        feedback = {
            fb.get("ident"): from_qti_html(fb.find(f".//{QTI}mattext").text)
            for fb in item.iter(f"{QTI}itemfeedback")
        }
        parsed = {
            "title": item.get("title"),
            "type": fields["question_type"],
            "text": from_qti_html(item.find(f"{QTI}presentation/{QTI}material/{QTI}mattext").text),
            "feedback": feedback,
            "choices": [
                (label.get("ident"), from_qti_html(label.find(f".//{QTI}mattext").text))
                for label in item.iter(f"{QTI}response_label")
                if label.find(f".//{QTI}mattext") is not None
            ],
        }
        scoring = [
            c
            for c in item.iter(f"{QTI}respcondition")
            if (s := c.find(f"{QTI}setvar")) is not None and s.text == "100"
        ]
        assert len(scoring) == 1, parsed["title"]
        condition = scoring[0].find(f"{QTI}conditionvar")
        if parsed["type"] == "numerical_question":
            parsed["min"] = float(condition.find(f".//{QTI}vargte").text)
            parsed["max"] = float(condition.find(f".//{QTI}varlte").text)
            parsed["scored_feedback"] = scoring[0].find(f"{QTI}displayfeedback").get("linkrefid")
        elif parsed["type"] == "multiple_choice_question":
            parsed["correct"] = {condition.find(f"{QTI}varequal").text}
        else:
            (conjunction,) = condition.findall(f"{QTI}and")
            parsed["correct"] = {v.text for v in conjunction.findall(f"{QTI}varequal")}
            parsed["excluded"] = {v.text for v in conjunction.findall(f"{QTI}not/{QTI}varequal")}
        items.append(parsed)
    return items


# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("quizzes")
    export_all(out)
    return out


def _bank_and_ids(path: Path):
    bank = load_bank(path)
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    ids = [qid for entry in raw.get("draw", []) for qid in entry["ids"]]
    ids += [q["id"] for q in raw.get("questions", [])]
    assert len(ids) == len(bank.questions)
    return bank, ids


def test_every_bank_is_exported_in_every_format(exported):
    for path in BANKS:
        for suffix in (".gift", ".qti.zip", ".text2qti.md", ".key.md", ".key.html", ".print.html"):
            target = exported / f"{path.stem}{suffix}"
            assert target.is_file() and target.stat().st_size > 500, target.name


@pytest.mark.parametrize("path", BANKS, ids=[p.stem for p in BANKS])
def test_gift_reads_back_as_the_bank(exported, path):
    bank, ids = _bank_and_ids(path)
    parsed = parse_gift((exported / f"{path.stem}.gift").read_text(encoding="utf-8"))
    assert [q["name"] for q in parsed] == ids
    assert all(f"Chapter {bank.chapter:02d}" in q["category"] for q in parsed)
    for question, gift in zip(bank.questions, parsed):
        assert from_gift_html(gift["text"]) == question["question"]
        if question["type"] == "numeric":
            assert gift["type"] == "numeric"
            ranges = [a for a in question["answers"] if a["type"] == "range"]
            assert len(gift["answers"]) == len(ranges)
            for answer, read in zip(ranges, gift["answers"]):
                low, high = answer["range"]
                assert read["value"] - read["tolerance"] == pytest.approx(low, rel=1e-12)
                assert read["value"] + read["tolerance"] == pytest.approx(high, rel=1e-12)
                assert read["fraction"] == (1.0 if answer["correct"] else 0.0)
                assert from_gift_html(read["feedback"]) == answer["feedback"]
            default = question["answers"][-1]
            assert from_gift_html(gift["default_feedback"]) == default["feedback"]
            continue
        assert gift["single"] == (question["type"] == "multiple_choice")
        assert [from_gift_html(a["text"]) for a in gift["answers"]] == [
            a["answer"] for a in question["answers"]
        ]
        assert [from_gift_html(a["feedback"]) for a in gift["answers"]] == [
            a["feedback"] for a in question["answers"]
        ]
        right = [
            g["fraction"] for g, a in zip(gift["answers"], question["answers"]) if a["correct"]
        ]
        wrong = [
            g["fraction"] for g, a in zip(gift["answers"], question["answers"]) if not a["correct"]
        ]
        if question["type"] == "multiple_choice":
            assert right == [1.0] and set(wrong) == {0.0}
        else:
            assert sum(right) == pytest.approx(1.0, abs=1e-6)
            assert all(f > 0 for f in right) and len(set(right)) == 1
            if wrong:
                assert sum(wrong) == pytest.approx(-1.0, abs=1e-6)
                assert all(f < 0 for f in wrong)


@pytest.mark.parametrize("path", BANKS, ids=[p.stem for p in BANKS])
def test_qti_reads_back_as_the_bank(exported, path):
    bank, ids = _bank_and_ids(path)
    items = parse_qti(exported / f"{path.stem}.qti.zip")
    assert [item["title"] for item in items] == ids
    kinds = {
        "multiple_choice": "multiple_choice_question",
        "many_choice": "multiple_answers_question",
        "numeric": "numerical_question",
    }
    for question, item in zip(bank.questions, items):
        assert item["type"] == kinds[question["type"]]
        assert item["text"] == fold(question["question"]), item["title"]
        if question["type"] == "numeric":
            low, high = question["answers"][0]["range"]
            assert item["min"] == pytest.approx(low, rel=1e-12)
            assert item["max"] == pytest.approx(high, rel=1e-12)
            assert item["scored_feedback"] == "correct_fb"
            assert item["feedback"]["correct_fb"] == fold(question["answers"][0]["feedback"])
            wrong = item["feedback"]["general_incorrect_fb"]
            assert wrong == fold(question["answers"][-1]["feedback"])
            continue
        assert [text for _, text in item["choices"]] == [
            fold(a["answer"]) for a in question["answers"]
        ]
        idents = [ident for ident, _ in item["choices"]]
        expected = {i for i, a in zip(idents, question["answers"]) if a["correct"]}
        assert item["correct"] == expected
        if question["type"] == "many_choice":
            assert item["excluded"] == set(idents) - expected
        for ident, answer in zip(idents, question["answers"]):
            assert item["feedback"][f"{ident}_fb"] == fold(answer["feedback"])


def test_answer_keys_name_the_engine_function_of_every_numeric_answer(exported):
    for path in BANKS:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        key = (exported / f"{path.stem}.key.md").read_text(encoding="utf-8")
        key_html = (exported / f"{path.stem}.key.html").read_text(encoding="utf-8")
        for question in raw.get("questions", []):
            if question["type"] == "numeric":
                assert f"`{question['answer']['compute']}(" in key, question["id"]
                assert f"<code>{question['answer']['compute']}(" in key_html, question["id"]
        bank = load_bank(path)
        assert key.count("\n## ") == len(bank.questions)


def test_printable_quiz_has_every_question_and_no_answers(exported):
    bank = load_bank(BANKS[0])
    page = (exported / f"{BANKS[0].stem}.print.html").read_text(encoding="utf-8")
    assert "@media print" in page
    assert page.count('<div class="question">') == len(bank.questions)
    for question in bank.questions:
        for answer in question["answers"]:
            assert html.escape(answer["feedback"], quote=False)[:40] not in page


def _write_bank(folder: Path, question: dict) -> Path:
    path = folder / "01_test.yml"
    path.write_text(
        yaml.safe_dump({"chapter": 1, "title": "Test", "questions": [question]}),
        encoding="utf-8",
    )
    return path


def test_every_gift_special_character_survives(tmp_path):
    nasty = r"Braces {a}, tilde ~b, equals c = d, hash #e, colon f: g, backslash \h"
    question = {
        "id": "nasty",
        "type": "many_choice",
        "question": nasty + r" and math $\nabla_{w} L = \{x : x \ne 0\}$ and `code#1` *em*?",
        "answers": [
            {"answer": "Right ~ = # { } :", "correct": True, "feedback": "Yes: {1} ~ 2 = #3"},
            {"answer": r"Also \right", "correct": True, "feedback": r"Yes \n is not a break"},
            {"answer": "Wrong: <b>&</b>", "correct": False, "feedback": "No #: ~{}="},
        ],
    }
    path = _write_bank(tmp_path, question)
    export_bank(path, tmp_path / "out")
    gift = (tmp_path / "out" / "01_test.gift").read_text(encoding="utf-8")
    (read,) = parse_gift(gift)
    assert from_gift_html(read["text"]) == question["question"]
    assert [from_gift_html(a["text"]) for a in read["answers"]] == [
        a["answer"] for a in question["answers"]
    ]
    assert [from_gift_html(a["feedback"]) for a in read["answers"]] == [
        a["feedback"] for a in question["answers"]
    ]
    assert [a["fraction"] for a in read["answers"]] == [0.5, 0.5, -1.0]
    (item,) = parse_qti(tmp_path / "out" / "01_test.qti.zip")
    assert item["text"] == fold(question["question"])


def test_a_broken_question_stops_the_export_naming_bank_and_question(tmp_path):
    broken = {
        "id": "broken-key",
        "type": "numeric",
        "question": "What is it?",
        "answer": {"compute": "widgets.explorers.descent:no_such_function", "tolerance": 0.1},
        "feedback": {"correct": "Yes.", "wrong": "No."},
    }
    path = _write_bank(tmp_path, broken)
    with pytest.raises(ExportError, match=r"01_test\.yml.*broken-key"):
        export_bank(path, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    no_correct = {
        "id": "no-correct",
        "type": "multiple_choice",
        "question": "Which?",
        "answers": [
            {"answer": "A", "correct": False, "feedback": "No."},
            {"answer": "B", "correct": False, "feedback": "No."},
        ],
    }
    path = _write_bank(tmp_path, no_correct)
    with pytest.raises(ExportError, match=r"01_test\.yml.*no-correct"):
        export_bank(path, tmp_path / "out")


def test_many_choice_with_a_count_moodle_cannot_weigh_is_refused(tmp_path):
    answers = [{"answer": f"A{k}", "correct": True, "feedback": "Yes."} for k in range(11)]
    answers.append({"answer": "Z", "correct": False, "feedback": "No."})
    path = _write_bank(
        tmp_path, {"id": "eleven", "type": "many_choice", "question": "Which?", "answers": answers}
    )
    with pytest.raises(ExportError, match=r"01_test\.yml.*eleven.*11 correct"):
        export_bank(path, tmp_path / "out")
