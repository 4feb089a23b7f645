"""Chapter 13's attention explorer: its numbers and pictures follow the controls.

The generic contract test drives every control; here the weights, output and status
are recomputed independently (SciPy's softmax) and the trained head's view is checked
against the engine's head.
"""

import html
import math
import re

import numpy as np
import pytest
from scipy.special import softmax as scipy_softmax

from widgets.explorers.beyond_mlps.attention import (
    KEYS,
    NAMES,
    VALUES,
    AttentionExplorer,
    trained_head,
)
from widgets.explorers.beyond_mlps.attention_figures import token_labels


def _expected(angle, length, temperature):
    q = length * np.array([math.cos(math.radians(angle)), math.sin(math.radians(angle))])
    weights = scipy_softmax(KEYS @ q / temperature)
    return q, weights, weights @ VALUES


@pytest.mark.parametrize("angle, length, temperature", [(35, 1.0, 2**0.5), (200, 2.5, 0.5)])
def test_weights_output_and_status_follow_the_controls(angle, length, temperature):
    explorer = AttentionExplorer()
    explorer.set(angle=angle, length=length, temperature=temperature)
    q, weights, output = _expected(angle, length, temperature)
    np.testing.assert_allclose(explorer.query, q, atol=1e-12)
    np.testing.assert_allclose(explorer.weights, weights, rtol=1e-10)
    np.testing.assert_allclose(explorer.output, output, rtol=1e-10)
    for name, weight in zip(NAMES, weights):
        assert f"{name} {weight:.2f}" in explorer.status
    assert f"output ({output[0]:.2f}, {output[1]:.2f})" in explorer.status
    assert f"largest on {NAMES[int(np.argmax(weights))]}" in explorer.status
    alt = html.unescape(re.search(r'alt="([^"]*)"', explorer.images["query"]).group(1))
    assert f"gold star at ({output[0]:.2f}, {output[1]:.2f})" in alt


def test_a_zero_query_weighs_every_token_equally_and_the_output_is_the_mean():
    explorer = AttentionExplorer(length=0.0)
    np.testing.assert_allclose(explorer.weights, 0.2)
    np.testing.assert_allclose(explorer.output, VALUES.mean(axis=0))


def test_longer_queries_and_lower_temperatures_sharpen_the_weights():
    explorer = AttentionExplorer(angle=10)
    tops = []
    for length in (0.5, 1.0, 2.0, 3.0):
        explorer.controls["length"].value = length
        tops.append(explorer.weights.max())
    assert np.all(np.diff(tops) > 0)
    sharp = AttentionExplorer(angle=10, temperature=0.25).weights.max()
    flat = AttentionExplorer(angle=10, temperature=4.0).weights.max()
    middle = AttentionExplorer(angle=10).weights.max()
    assert sharp > middle > flat
    assert sharp > 0.75 and flat < 0.3  # 0.2 is uniform over five tokens
    # the query points at A (10 degrees): A wins
    assert NAMES[int(np.argmax(explorer.weights))] == "A"


def test_the_picture_changes_with_the_query():
    explorer = AttentionExplorer()
    before = explorer.images["query"]
    explorer.controls["angle"].value = 180
    assert explorer.images["query"] != before
    assert "trained" not in explorer.images


def test_the_trained_head_view_shows_the_engine_head():
    explorer = AttentionExplorer(trained=True)
    head, test = trained_head()
    assert "trained" in explorer.images
    assert f"test accuracy {head.test_accuracy:.2f}" in explorer.status
    explorer.next_sequence()
    assert explorer.sequence == 1
    labels = token_labels(test, 1)
    row = head.weights(test.X[1:2])[0, -1]
    alt = html.unescape(re.search(r'alt="([^"]*)"', explorer.images["trained"]).group(1))
    assert ", ".join(labels) in alt
    answer = int(test.answer[1])
    assert f"puts {row[answer]:.2f} on {labels[answer]}" in explorer.status
    assert f"answers {int(head.predict(test.X[1:2])[0])} " in explorer.status
    # turning the view off removes the picture
    explorer.controls["trained"].value = False
    assert "trained" not in explorer.images


def test_constructor_arguments_are_checked():
    with pytest.raises(ValueError, match="angle"):
        AttentionExplorer(angle=400)
    with pytest.raises(TypeError, match="angle"):
        AttentionExplorer(angle="north")
    with pytest.raises(ValueError, match="temperature"):
        AttentionExplorer(temperature=3.0)
    with pytest.raises(ValueError, match="length"):
        AttentionExplorer(length=-1.0)
    with pytest.raises(TypeError, match="trained"):
        AttentionExplorer(trained="yes")
