"""The diagnose-the-run explorer: verdicts, the fixed run beside the original, new cases."""

from __future__ import annotations

import pytest

from widgets.engine.diagnosis import CASES, CAUSES, case_settings, fixed_settings, train_run
from widgets.explorers.review import DiagnoseExplorer


def test_first_view_is_case_one_with_no_fix_yet():
    explorer = DiagnoseExplorer()
    assert explorer.case == 0 and explorer.fixed_run is None
    assert "Press 'check'" in explorer.status
    assert "no fix applied yet" in explorer.images["fixed"]
    # The picture is of the engine's run of case 1 (its numbers are in the alt text).
    run = train_run(case_settings(0))
    assert f"to {run.loss[-1]:.3g}" in explorer.images["original"]


def test_checking_without_a_choice_is_refused_in_the_widget():
    explorer = DiagnoseExplorer()
    before = dict(explorer.images)
    explorer.check()
    assert "Pick a cause and a fix" in explorer.message
    assert explorer.images == before


def test_a_right_diagnosis_trains_the_fix_and_shows_it_beside_the_original():
    explorer = DiagnoseExplorer()
    explorer.set(cause="rate_too_high", fix="lower_rate")
    explorer.check()
    assert explorer.verdict.cause_right and explorer.verdict.fix_works
    assert explorer.status.startswith("Case 1: Right")
    expected = train_run(fixed_settings(case_settings(0), "lower_rate"))
    assert explorer.fixed_run.loss[-1] == pytest.approx(expected.loss[-1])
    assert f"final training loss {expected.loss[-1]:.3g}" in explorer.status
    assert "no fix applied yet" not in explorer.images["fixed"]


def test_a_wrong_diagnosis_is_told_so_and_a_useless_fix_leaves_the_symptom():
    explorer = DiagnoseExplorer()
    explorer.set(cause="too_few_units", fix="more_units")
    explorer.check()
    assert not explorer.verdict.cause_right
    assert "Not this time" in explorer.status
    assert not explorer.verdict.fix_works and "still shows instability" in explorer.status
    # Changing the choice clears the verdict until the next check.
    explorer.controls["fix"].value = "lower_rate"
    assert explorer.verdict is None and "no fix applied yet" in explorer.images["fixed"]


def test_new_case_walks_the_seeded_sequence_and_reveal_gives_the_answer():
    explorer = DiagnoseExplorer()
    for k in range(1, len(CASES)):
        explorer.new_case()
        assert explorer.case == k and explorer.controls["cause"].value == ""
        explorer.reveal()
        cause = case_settings(k)["cause"]
        assert explorer.controls["cause"].value == cause
        assert explorer.controls["fix"].value == CAUSES[cause][2]
        assert explorer.verdict.cause_right and explorer.verdict.fix_works, explorer.status


def test_construction_arguments_are_checked():
    with pytest.raises(ValueError, match="case"):
        DiagnoseExplorer(case=-1)
    with pytest.raises(TypeError, match="case"):
        DiagnoseExplorer(case="first")
    assert DiagnoseExplorer(case=4).settings["cause"] == list(CASES)[4]


def test_a_diverged_case_says_so_instead_of_drawing_nan(monkeypatch):
    import re

    from widgets.engine import diagnosis

    monkeypatch.setitem(
        diagnosis.CASES, "rate_too_high", {"learning_rate_init": 1e9, "activation": "relu"}
    )
    explorer = DiagnoseExplorer()
    assert explorer.diverged and "diverged at epoch 2" in explorer.status
    assert "diverged at epoch 2" in explorer.images["original"]  # the alt text says it too
    assert not re.search(r"\b(nan|inf)\b", explorer.status + explorer.settings_line.value)
