"""A setting over several seeds (chapter 12): runs stop when met, tables read right."""

from __future__ import annotations

import pytest

from widgets.explorers.playground import check_challenge
from widgets.explorers.playground.challenges import LINE_WIDTH, misclassified_share
from widgets.explorers.playground.seeds import (
    SEEDS,
    SeedReport,
    challenge_over_seeds,
    runs_over_seeds,
    seed_table,
)

GAUSS = dict(dataset="gauss", hidden=(1,))


def test_every_seed_runs_and_stops_when_it_meets_the_challenge():
    report = challenge_over_seeds(1, 50, seeds=(0, 1, 2), label="clusters", **GAUSS)
    assert report.runs == 3 and report.met == 3 and report.max_epochs == 50
    assert [s.config.seed for s in report.sessions] == [0, 1, 2]
    for session, met in zip(report.sessions, report.met_at):
        assert met == session.epoch and met % 10 == 0  # checked every 10 epochs
        assert check_challenge(1, session)
    assert report.misclassified == tuple(misclassified_share(s) for s in report.sessions)
    assert report.test_losses == tuple(s.test_loss for s in report.sessions)
    assert str(report).startswith("clusters: 3/3 runs meet it within 50 epochs")


def test_a_run_that_never_meets_it_trains_the_whole_budget():
    report = challenge_over_seeds(
        3, 25, seeds=(0, 1), every=10, dataset="xor", features=("x1", "x2"), hidden=(1,)
    )
    assert report.met == 0 and report.met_at == (None, None)
    assert [s.epoch for s in report.sessions] == [25, 25]  # 10, 20, then the last 5
    assert report.epochs_text() == "-"
    assert report.label == "hidden layers 1"
    assert all(share > 0.1 for share in report.misclassified)


def test_default_seeds_and_label():
    assert tuple(range(10)) == SEEDS
    report = challenge_over_seeds(
        4.5, 10, seeds=(0,), dataset="circle", features=("x1^2", "x2^2"), hidden=()
    )
    assert report.label == "no hidden layer"


def test_bad_arguments():
    with pytest.raises(ValueError, match="give the seeds as seeds"):
        challenge_over_seeds(1, 10, seed=3, **GAUSS)
    with pytest.raises(ValueError, match="seeds must hold at least one seed"):
        challenge_over_seeds(1, 10, seeds=(), **GAUSS)
    with pytest.raises(ValueError, match="n must be one of the challenges"):
        challenge_over_seeds(6, 10, **GAUSS)
    with pytest.raises(ValueError, match="max_epochs"):
        challenge_over_seeds(1, 0, **GAUSS)
    with pytest.raises(ValueError, match="every"):
        challenge_over_seeds(1, 10, every=0, **GAUSS)
    with pytest.raises(ValueError, match="at least one run"):
        SeedReport.from_shares("none", [])


def test_from_shares_counts_runs_within_ten_percent():
    report = SeedReport.from_shares("sklearn", [0.0, 0.1, 0.104, 0.3])
    assert report.runs == 4 and report.met == 2
    assert report.misclassified_text() == "10% (0% to 30%)"
    assert report.epochs_text() == "-" and report.loss_text() == "-"
    assert (
        str(report) == "sklearn: 2/4 runs meet it; misclassified 10% (0% to 30%) (median and range)"
    )
    assert SeedReport.from_shares("same", [0.0, 0.0]).misclassified_text() == "0% in every run"
    assert SeedReport.from_shares("one", [0.25]).misclassified_text() == "25%"


def test_spreads():
    report = SeedReport(
        label="x",
        misclassified=(0.02, 0.05, 0.5),
        met_at=(10, None, 590),
        max_epochs=600,
        test_losses=(0.1, 0.2, 0.3),
    )
    assert report.met == 2 and report.epochs_needed == [10, 590]
    assert report.epochs_text() == "300 (10 to 590)"
    assert report.misclassified_text() == "5% (2% to 50%)"
    assert report.loss_text() == "0.200 (0.100 to 0.300)"
    same = SeedReport(label="y", misclassified=(0.0, 0.0), met_at=(10, 10))
    assert same.epochs_text() == "10 in every run"


def test_seed_table():
    reports = [
        SeedReport(
            label="one layer of 2",
            misclassified=(0.2, 0.3),
            met_at=(None, None),
            max_epochs=300,
            test_losses=(0.25, 0.3),
        ),
        SeedReport(
            label="one layer of 3",
            misclassified=(0.05, 0.08),
            met_at=(20, 250),
            max_epochs=300,
            test_losses=(0.1, 0.12),
        ),
    ]
    table = seed_table(reports, "hidden neurons")
    lines = table.splitlines()
    assert lines[0].split() == ["hidden", "neurons", "met", "epochs", "needed", "misclassified"]
    assert lines[1].split()[:4] == ["one", "layer", "of", "2"] and "0/2" in lines[1]
    assert "2/2" in lines[2] and "135 (20 to 250)" in lines[2]
    assert lines[-1] == "(over 2 runs (seeds): median, then smallest to largest)"
    # the runs-met column is right-aligned, the others start in one column
    assert lines[1].index("0/2") == lines[2].index("2/2")
    assert lines[1].index("-") == lines[2].index("135")
    full = seed_table(reports, columns=("met", "allowed", "epochs", "misclassified", "loss"))
    assert "epochs allowed" in full and "test loss" in full and "0.275 (0.250 to 0.300)" in full
    for columns in [
        ("met", "allowed", "epochs", "misclassified"),
        ("met", "misclassified", "loss"),
    ]:
        # the chapter's tables keep to the page's width
        assert all(
            len(line) <= LINE_WIDTH for line in seed_table(reports, columns=columns).splitlines()
        )
    uneven = seed_table(reports + [SeedReport.from_shares("three", [0.0, 0.5, 0.1])])
    assert uneven.splitlines()[-1] == "(over the runs: median, then smallest to largest)"


def test_seed_table_bad_arguments():
    with pytest.raises(TypeError, match="non-empty list of SeedReport"):
        seed_table([])
    with pytest.raises(TypeError, match="non-empty list of SeedReport"):
        seed_table(["a report"])
    with pytest.raises(ValueError, match="columns must be names"):
        seed_table([SeedReport.from_shares("x", [0.1])], columns=("met", "speed"))


def test_runs_over_seeds_train_every_run_the_same_epochs_and_count_separations():
    report = runs_over_seeds(
        60, seeds=range(3), label="perceptron", dataset="gauss", hidden=(), learning_rate=0.1
    )
    assert [s.config.seed for s in report.sessions] == [0, 1, 2]
    assert [s.epoch for s in report.sessions] == [60, 60, 60]
    assert len(set(report.test_losses)) == 3  # different data and weights
    assert report.met_at is None and report.max_epochs == 60
    assert report.met == sum(share <= 0.1 for share in report.misclassified) == 3
    table = seed_table([report], columns=("separated", "loss", "misclassified"))
    head, row, note = table.splitlines()
    assert "separated" in head and row.startswith("perceptron") and "3/3" in row
    assert note.startswith("(over 3 runs (seeds)")
    with pytest.raises(ValueError, match="seeds=..."):
        runs_over_seeds(10, seed=1)
    with pytest.raises(ValueError, match="at least one seed"):
        runs_over_seeds(10, seeds=())
