"""Chapter 7's regularization explorer: exact zeros and its numbers (the
Explorer contract is checked by ``tests/explorers/test_every_explorer.py``)."""

from __future__ import annotations

import numpy as np
import pytest

from widgets.engine.penalties import count_exact_zeros, fit_penalised
from widgets.engine.sweeps import make_dataset
from widgets.explorers.regularization import (
    HIDDEN,
    MAX_ITER,
    N_TEST,
    N_TRAIN,
    RegularizationExplorer,
    plot_decay,
    plot_geometry,
    plot_paths,
    train_setting,
)


def test_l1_network_has_exact_zeros_and_l2_none():
    explorer = RegularizationExplorer(lam=1.0)
    runs = explorer.runs
    l1 = runs["l1"].model.coefs_
    assert sum(int(np.sum(c == 0.0)) for c in l1) == runs["l1"].zeros > 200
    assert runs["l2"].zeros == 0 and runs["none"].zeros == 0
    assert all(np.all(c != 0.0) for c in runs["l2"].model.coefs_)
    assert runs["l1"].weights == 2 * 16 + 16 * 16 + 16


def test_status_numbers_come_from_the_engine():
    explorer = RegularizationExplorer(data="circles", noise=0.2, lam=0.1, seed=2)
    X, y, X_test, y_test = make_dataset("circles", 0.2, N_TRAIN, N_TEST, 2)
    np.testing.assert_array_equal(explorer.data[0], X)
    for penalty in ("none", "l1", "l2"):
        model = fit_penalised(X, y, penalty, 0.1, hidden=HIDDEN, seed=2, max_iter=MAX_ITER)
        zeros, total = count_exact_zeros(model.coefs_)
        train = np.mean(model.predict(X) == y)
        test = np.mean(model.predict(X_test) == y_test)
        run = explorer.runs[penalty]
        assert (run.zeros, run.weights) == (zeros, total)
        assert run.train_accuracy == pytest.approx(train)
        assert run.test_accuracy == pytest.approx(test)
        assert f"train {train:.2f}, test {test:.2f}, {zeros}/{total} weights = 0" in (
            explorer.status
        )
    assert "λ = 0.1" in explorer.status


def test_same_data_and_seed_for_all_three():
    data, runs = train_setting("xor", 0.1, 0.01, 1)
    assert set(runs) == {"none", "l1", "l2"}
    first = [run.model.coefs_[0].shape for run in runs.values()]
    assert first == [(2, 16)] * 3
    assert len(data[0]) == N_TRAIN and len(data[2]) == N_TEST


def test_lambda_moves_the_zero_count():
    explorer = RegularizationExplorer(lam=0.001)
    few = explorer.runs["l1"].zeros
    explorer.controls["lam"].value = 10.0
    assert explorer.runs["l1"].zeros == explorer.runs["l1"].weights > few
    assert explorer.runs["l2"].zeros == 0


def test_alt_text_states_the_counts():
    explorer = RegularizationExplorer()
    alt = explorer.images["networks"]
    for run in explorer.runs.values():
        assert f"{run.zeros} of {run.weights} weights exactly 0" in alt


@pytest.mark.parametrize(
    "argument, error",
    [
        ({"data": "digits"}, ValueError),
        ({"noise": 0.9}, ValueError),
        ({"lam": 0.0}, ValueError),
        ({"lam": "big"}, TypeError),
        ({"seed": 7}, ValueError),
    ],
)
def test_refuses_bad_arguments(argument, error):
    with pytest.raises(error, match=next(iter(argument))):
        RegularizationExplorer(**argument)


def test_chapter_figures_draw():
    from widgets.engine.penalties import two_weight_problem

    X, y = two_weight_problem()
    for figure in (plot_decay(), plot_geometry(X, y), plot_paths(X, y, np.logspace(1, -2, 8))):
        assert figure._repr_png_()[:4] == b"\x89PNG"
