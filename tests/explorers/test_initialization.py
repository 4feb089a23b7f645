"""The Init explorer (chapter 3): the generic contract, symmetry, speed."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from widgets.explorers.initialization import InitExplorer

_spec = importlib.util.spec_from_file_location(
    "test_every_explorer_for_init", Path(__file__).with_name("test_every_explorer.py")
)
_every = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_every)


def test_keeps_the_explorer_contract():
    assert _every.check_explorer(InitExplorer) == []


@pytest.mark.parametrize("activation", ["tanh", "logistic", "relu"])
def test_equal_weights_stay_one_unit(activation):
    explorer = InitExplorer(scheme="equal", activation=activation, depth=3, width=8)
    assert explorer.run["record"].distinct == [1, 1, 1]
    assert "distinct units 1, 1, 1" in explorer.status


def test_random_weights_give_distinct_units():
    explorer = InitExplorer(scheme="glorot", depth=2, width=8)
    assert explorer.run["record"].distinct == [8, 8]


def test_huge_scale_saturates_tanh_at_init():
    explorer = InitExplorer(scheme="glorot", multiplier=100.0, activation="tanh")
    assert explorer.run["record"].saturation[0].min() > 0.8


def test_refuses_bad_arguments():
    with pytest.raises(ValueError, match="scheme"):
        InitExplorer(scheme="xavier")
    with pytest.raises(ValueError, match="depth"):
        InitExplorer(depth=9)
