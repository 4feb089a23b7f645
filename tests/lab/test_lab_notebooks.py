"""The lab's notebooks: generated from their sources, blank checks say "Not yet", the
solutions pass, and a typical wrong answer gets its hint through otter's own runner.

(The executed solution notebooks in lab/solutions/ are also under nbval, through
pyproject.toml's testpaths: their stored outputs, every check passing, must be what
they produce now.)
"""

import shutil
from pathlib import Path

import build_lab
import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient
from otter.test_files.exception_test import ExceptionTestFile

ROOT = Path(__file__).resolve().parents[2]
LAB = ROOT / "lab"
NOTEBOOKS = sorted(path.name for path in (LAB / "source").glob("*.ipynb"))
TESTS = sorted((LAB / "tests").glob("lab*/q*.py"))


def test_there_are_two_labs_and_eight_questions():
    assert NOTEBOOKS == ["lab1_forward_backward.ipynb", "lab2_training.ipynb"]
    assert [path.stem for path in TESTS] == [
        "q1_forward",
        "q2_softmax_cross_entropy",
        "q3_output_deltas",
        "q4_backpropagation",
        "q5_momentum",
        "q6_l2",
        "q7_training_loop",
        "q8_init_coef",
    ]


def test_generated_notebooks_and_tests_are_current():
    """`make lab-notebooks` has been run since lab/source last changed."""
    assert build_lab.check() == 0


def test_student_notebooks_hold_no_solution():
    for name in NOTEBOOKS:
        text = (LAB / name).read_text()
        assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text
        answer_cells = [
            cell
            for cell in nbformat.read(LAB / name, as_version=4).cells
            if "otter_answer_cell" in cell.get("metadata", {}).get("tags", [])
        ]
        assert answer_cells and all(cell.source.rstrip().endswith("...") for cell in answer_cells)
        assert all(
            not cell.get("outputs")
            for cell in nbformat.read(LAB / name, 4).cells
            if cell.cell_type == "code"
        )


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_student_notebook_runs_with_every_check_saying_not_yet(name, tmp_path):
    """A fresh student notebook runs top to bottom with no error; each check says Not yet."""
    shutil.copyfile(LAB / name, tmp_path / name)
    shutil.copytree(LAB / "tests", tmp_path / "tests")  # each notebook reads tests/labN/
    notebook = nbformat.read(tmp_path / name, as_version=4)
    NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    ).execute()
    checks = [
        cell
        for cell in notebook.cells
        if cell.cell_type == "code" and cell.source.startswith("grader.check(")
    ]
    assert len(checks) == 4
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        assert all(output.output_type != "error" for output in cell.outputs), cell.source
    for cell in checks:
        text = "".join(output.get("data", {}).get("text/plain", "") for output in cell.outputs)
        assert "❌ Test case failed" in text and "Not yet" in text, (cell.source, text)
        assert "passed" not in text.replace("Test case passed", ""), text
    demos = [
        cell
        for cell in notebook.cells
        if cell.cell_type == "code" and ("lab." in cell.source and "import" not in cell.source)
    ]
    for cell in demos:
        printed = "".join(output.get("text", "") for output in cell.outputs)
        assert printed.startswith("Not yet"), (cell.source, printed)


def _answers(path, tag):
    """Run a notebook's imports and answer cells (not its checks or demonstrations)."""
    namespace = {}
    for cell in nbformat.read(path, as_version=4).cells:
        tags = cell.get("metadata", {}).get("tags", [])
        is_setup = cell.cell_type == "code" and cell.source.lstrip().startswith(("import", "from"))
        if tag in tags or (is_setup and "otter" not in cell.source):
            exec(compile(cell.source, str(path), "exec"), namespace)
    return namespace


def _run(test_path, namespace):
    test_file = ExceptionTestFile.from_file(str(test_path))
    test_file.run(namespace)
    return test_file.test_case_results


def _notebook_of(test_path):
    """The notebook whose checks are in this folder (tests/lab1/: lab1_forward_backward)."""
    (name,) = [name for name in NOTEBOOKS if name.split("_")[0] == test_path.parent.name]
    return name


@pytest.fixture(scope="module")
def blank_answers():
    return {name: _answers(LAB / name, "otter_answer_cell") for name in NOTEBOOKS}


@pytest.fixture(scope="module")
def solution_answers():
    return {
        name: _answers(LAB / "solutions" / name, "otter_assign_solution_cell") for name in NOTEBOOKS
    }


@pytest.mark.parametrize("test_path", TESTS, ids=lambda path: path.stem)
def test_each_check_fails_on_the_blank_and_passes_on_the_solution(
    test_path, blank_answers, solution_answers
):
    blank = _run(test_path, blank_answers[_notebook_of(test_path)])
    assert blank and all(not result.passed for result in blank)
    assert all("AssertionError: Not yet:" in result.message for result in blank), blank
    solved = _run(test_path, solution_answers[_notebook_of(test_path)])
    assert solved and all(result.passed for result in solved), [r.message for r in solved]


def test_solution_tests_are_the_students_tests():
    """No hidden tests: what a student runs is what the solutions are checked with."""
    for path in TESTS:
        twin = LAB / "solutions" / path.relative_to(LAB)
        assert twin.read_text() == path.read_text()


def test_missing_derivative_in_the_hidden_delta_gets_its_hint(solution_answers):
    def hidden_delta(delta_out, W2, hidden, activation="tanh"):
        return delta_out @ W2.T  # the typical mistake: no f'(net)

    results = _run(
        LAB / "tests" / "lab1" / "q4_backpropagation.py",
        {**solution_answers[NOTEBOOKS[0]], "hidden_delta": hidden_delta},
    )
    by_name = {result.test_case.body.test_func.__name__: result for result in results}
    assert not by_name["test_hidden_delta"].passed
    assert "Hint: f'(net) is missing" in by_name["test_hidden_delta"].message
    assert by_name["test_weight_gradients"].passed


def test_momentum_with_the_wrong_sign_gets_its_hint(solution_answers):
    def momentum_step(W, grad, velocity, learning_rate, momentum):
        new_velocity = momentum * velocity + learning_rate * grad
        return W + new_velocity, new_velocity

    (result,) = _run(
        LAB / "tests" / "lab2" / "q5_momentum.py",
        {**solution_answers[NOTEBOOKS[1]], "momentum_step": momentum_step},
    )
    assert not result.passed and "Hint: the sign." in result.message


def test_gradient_check_tells_right_from_wrong_backpropagation(solution_answers, capsys):
    from widgets.course.lab import notebook as lab

    names = (
        "forward",
        "softmax",
        "cross_entropy",
        "output_delta_softmax",
        "hidden_delta",
        "weight_gradients",
    )
    lab1 = solution_answers[NOTEBOOKS[0]]
    right = lab.gradient_check(*(lab1[name] for name in names))
    assert right < 1e-7
    assert "agree." in capsys.readouterr().out

    def hidden_delta(delta_out, W2, hidden, activation="tanh"):
        return delta_out @ W2.T

    functions = [lab1[name] for name in names]
    functions[4] = hidden_delta
    wrong = lab.gradient_check(*functions)
    assert wrong > 1e-3
    assert "DISAGREE" in capsys.readouterr().out


def test_spirals_are_seeded_and_balanced():
    from widgets.course.lab import notebook as lab

    first, again = lab.spirals(seed=3), lab.spirals(seed=3)
    assert all(np.array_equal(first[key], again[key]) for key in first)
    assert np.bincount(first["y_train"]).tolist() == [60, 60, 60]
    assert np.array_equal(first["Y_val"].argmax(axis=1), first["y_val"])
