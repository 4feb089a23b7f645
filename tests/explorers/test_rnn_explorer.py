"""The recurrent-network explorer: its pictures and status follow the controls.

What the generic contract test does not check: the numbers in the status are the
engine's (recomputed here from an independently trained network), the recurrent-weight
slider really scales W_h, the typed bits are the ones run through the network, and bad
input is refused with a message naming the problem.
"""

from __future__ import annotations

import html
import re

import numpy as np
import pytest

from widgets.engine.recurrent import (
    accuracy,
    hidden_state_gradients,
    task_targets,
    train_recurrent,
)
from widgets.explorers.beyond_mlps.recurrent import (
    N_FRESH,
    TRAINING,
    RecurrentExplorer,
    parse_bits,
)

ALT = re.compile(r'alt="([^"]*)"')


def _alt(explorer, name):
    return html.unescape(ALT.search(explorer.images[name]).group(1))


@pytest.fixture(scope="module")
def explorer():
    return RecurrentExplorer()


def test_status_numbers_are_the_engines(explorer):
    explorer.set(task="delay", k=3, scale=1.0, bits="0110100111010001")
    run = train_recurrent("delay", delay=3, n_test=N_FRESH, **TRAINING)
    np.testing.assert_array_equal(run.network.W_h, explorer.run.network.W_h)
    bits = np.array([int(c) for c in "0110100111010001"], dtype=float)
    targets, mask = task_targets(bits, "delay", 3)
    outputs = run.network.predict(bits[None, :, None])[0, :, 0]
    right = int((((outputs > 0.5) == (targets[0] > 0.5)) * mask[0]).sum())
    fresh = accuracy(run.network.predict(run.test.X), run.test.Y, run.test.mask)
    reach = hidden_state_gradients(
        run.network, bits[None, :, None], targets[..., None], mask, relative=True
    )
    status = explorer.status
    assert f"{right} of {int(mask.sum())} outputs right" in status
    assert f"{fresh:.1%} on {N_FRESH} fresh sequences" in status
    assert f"gradient left 3 steps back: {reach[3]:.1e}" in status
    assert fresh > 0.9  # the default network has learned its task


def test_scale_multiplies_the_recurrent_weights(explorer):
    explorer.set(task="delay", k=3, bits="0110100111010001", scale=1.0)
    trained = explorer.run.network.W_h.copy()
    shown = _alt(explorer, "unrolled")
    explorer.set(scale=0.5)
    np.testing.assert_allclose(explorer.network.W_h, 0.5 * trained)
    np.testing.assert_array_equal(explorer.run.network.W_h, trained)  # the cache is intact
    explorer.set(scale=0.0)
    # without W_h nothing is carried from step to step: the output depends on x_t alone
    assert np.all(explorer.reach[1:] == 0.0)
    assert explorer.fresh_accuracy < 0.6
    assert _alt(explorer, "unrolled") != shown
    assert "×0.0" in explorer.status and "×0.0" in _alt(explorer, "reach")
    explorer.set(scale=1.0)


def test_the_typed_bits_are_run_through_the_network(explorer):
    explorer.set(task="parity", k=1, scale=1.0, bits="1 1 0 1, 0 0 1")
    np.testing.assert_array_equal(explorer.bits, [1, 1, 0, 1, 0, 0, 1])
    targets, mask = task_targets(explorer.bits, "parity", 1)
    np.testing.assert_array_equal(explorer.targets, targets[0])
    assert "1101001" in _alt(explorer, "unrolled")
    assert "targets: -0111" in _alt(explorer, "unrolled")
    assert explorer.hidden.shape == (7, TRAINING["n_hidden"])
    assert "parity of the last 2 bits" in explorer.status
    explorer.set(task="delay", k=3, bits="0110100111010001")


def test_bad_bits_are_refused_with_a_message(explorer):
    explorer.set(bits="0110100111")
    before = explorer.images["unrolled"]
    for text, words in (("01201", "only 0 and 1"), ("1", "from 2"), ("01" * 21, "to 40")):
        explorer.controls["bits"].value = text
        assert words in explorer.message
        assert explorer.images["unrolled"] == before
    explorer.controls["bits"].value = "0110"
    explorer.controls["k"].value = 5
    assert "longer than k = 5" in explorer.message
    explorer.set(k=3, bits="0110100111")
    assert explorer.message == ""


def test_randomise_draws_new_seeded_sequences():
    a, b = RecurrentExplorer(), RecurrentExplorer()
    assert a.controls["bits"].value == b.controls["bits"].value
    first = a.controls["bits"].value
    a.randomise()
    b.randomise()
    assert a.controls["bits"].value == b.controls["bits"].value != first
    np.testing.assert_array_equal(a.bits, parse_bits(a.controls["bits"].value))


def test_changing_the_task_trains_another_network(explorer):
    explorer.set(task="delay", k=2)
    delay_weights = explorer.run.network.W_h.copy()
    explorer.set(task="delay", k=4)
    assert not np.allclose(explorer.run.network.W_h, delay_weights)
    assert explorer.progress.value == explorer.progress.max
    assert explorer.run.settings["delay"] == 4
    explorer.set(k=3)


@pytest.mark.parametrize(
    ("kwargs", "error", "word"),
    [
        ({"task": "echo"}, ValueError, "task"),
        ({"k": 0}, ValueError, "k"),
        ({"k": 2.0}, TypeError, "k"),
        ({"scale": 3.0}, ValueError, "scale"),
        ({"bits": "012"}, ValueError, "bits"),
        ({"bits": 101}, TypeError, "bits"),
        ({"bits": "0101", "k": 5}, ValueError, "longer than k"),
    ],
)
def test_constructor_arguments_are_checked(kwargs, error, word):
    with pytest.raises(error, match=word):
        RecurrentExplorer(**kwargs)
