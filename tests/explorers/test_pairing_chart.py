"""Chapter 4's output/loss pairing chart without a browser: arguments, controls, description.

What it computes is checked in Chromium against the engine
(``tests/site/test_chart_pairing.py``).
"""

from __future__ import annotations

import pytest

from widgets.explorers.outputs import PAIRINGS, error_signal, pairing_chart


def test_controls_start_at_the_arguments():
    chart = pairing_chart()
    assert chart.parameters == {"pairing": "sigmoid + squared error", "t": 1.0, "net": -4.0}
    other = pairing_chart("identity + squared error", target=0.3, net=2.5)
    assert other.parameters == {"pairing": "identity + squared error", "t": 0.3, "net": 2.5}
    (pairing,) = [p for p in chart.spec["params"] if p["name"] == "pairing"]
    assert pairing["bind"]["options"] == list(PAIRINGS)


def test_description_quotes_the_engine():
    # The chapter's point: at net -4 with target 1 (wrong and confident), the sigmoid
    # with squared error sends back 0.017, softmax with cross-entropy 0.982.
    description = pairing_chart().description
    assert "sigmoid + squared error: loss 0.482, error signal +0.017" in description
    assert "softmax + cross-entropy: loss 4.018, error signal +0.982" in description
    assert "identity + squared error: loss 12.500, error signal +5.000" in description
    flipped = pairing_chart(target=0.0, net=4.0).description
    assert f"error signal {error_signal('sigmoid + squared error', 0.0, 4.0):+.3f}" in flipped
    assert "error signal -0.017" in flipped


def test_arguments_are_checked():
    with pytest.raises(ValueError, match="pairing"):
        pairing_chart("tanh + hinge")
    with pytest.raises(TypeError, match="pairing"):
        pairing_chart(1)
    with pytest.raises(ValueError, match="target"):
        pairing_chart(target=1.5)
    with pytest.raises(ValueError, match="net"):
        pairing_chart(net=-9)


def test_chart_is_the_same_on_every_run():
    # nbval compares the cell's stored output with a fresh run.
    assert pairing_chart().spec == pairing_chart().spec
