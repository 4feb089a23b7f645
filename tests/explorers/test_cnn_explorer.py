"""The convolution explorer: its pictures and status follow the controls, as the engine computes."""

from __future__ import annotations

import re

import numpy as np
import pytest
from scipy.signal import correlate2d

from widgets.engine.convolution import KERNELS, shift_images
from widgets.explorers.beyond_mlps.convolution import (
    TYPED,
    ConvolutionExplorer,
    digit_split,
    kernel_text,
    trained_network,
)


def _numbers(status):
    """The feature map's range, pixels above 0 and pooled max, read from the status."""
    match = re.search(
        r"from (-?[\d.]+) to ([\d.]+) \((\d+) of 64 pixels above 0\), pooled 4×4 max (\d+\.\d+)",
        status,
    )
    assert match, status
    low, high, above, pooled = match.groups()
    return float(low), float(high), int(above), float(pooled)


def _expected(image, kernel, bias=0.0):
    """Feature map after ReLU and its pooling, computed with SciPy and NumPy directly."""
    act = np.maximum(correlate2d(image, kernel, mode="same") + bias, 0.0)
    return act, act.reshape(4, 2, 4, 2).max(axis=(1, 3))


@pytest.fixture(scope="module")
def explorer():
    return ConvolutionExplorer()


def test_the_status_follows_digit_shift_and_kernel(explorer):
    X_test, y_test = digit_split()[1], digit_split()[3]
    explorer.set(digit=17, shift_down=1, shift_right=-2, kernel="horizontal edge")
    image = shift_images(X_test[17], 1, -2)
    act, pooled = _expected(image, KERNELS["horizontal edge"])
    low, high, above, top = _numbers(explorer.status)
    assert high == pytest.approx(act.max(), abs=0.005)
    assert above == int((act > 0).sum())
    assert top == pytest.approx(pooled.max(), abs=0.005)
    assert f"(a {y_test[17]})" in explorer.status and "+1 down, -2 right" in explorer.status
    np.testing.assert_allclose(explorer.maps.activated, act, atol=1e-12)
    np.testing.assert_allclose(explorer.maps.pooled, pooled, atol=1e-12)
    assert explorer.controls["weights"].value == kernel_text(KERNELS["horizontal edge"])


def test_typed_weights_are_used_and_select_typed(explorer):
    X_test = digit_split()[1]
    explorer.set(digit=3, shift_down=0, shift_right=0, kernel="blur")
    explorer.controls["weights"].value = "0 0 0, 0 2 0, 0 0 0"
    assert explorer.controls["kernel"].value == TYPED and not explorer.message
    np.testing.assert_allclose(explorer.maps.activated, 2 * X_test[3], atol=1e-12)
    assert _numbers(explorer.status)[1] == pytest.approx(2 * X_test[3].max(), abs=0.005)
    assert "rows: 0 0 0; 0 2 0; 0 0 0" in explorer.images["kernel"]


def test_unreadable_weights_give_a_message_and_keep_the_pictures(explorer):
    explorer.set(kernel="sharpen")
    before = dict(explorer.images)
    explorer.controls["weights"].value = "1 2 3"
    assert "nine numbers" in explorer.message and "nnoe-error" in explorer.status_line.value
    assert explorer.images == before
    explorer.controls["weights"].value = "one two three four five six seven eight nine"
    assert "could not read" in explorer.message
    explorer.controls["weights"].value = kernel_text(KERNELS["sharpen"])
    assert explorer.message == ""


@pytest.mark.parametrize("k", [0, 5])
def test_a_learned_filter_is_the_networks_with_its_bias(explorer, k):
    network = trained_network()
    explorer.set(digit=40, shift_down=0, shift_right=1, kernel=f"learned filter {k + 1}")
    np.testing.assert_array_equal(explorer.kernel, network.filters_[k, 0])
    assert explorer.bias == network.filter_bias_[k]
    image = shift_images(digit_split()[1][40], 0, 1)
    act, _ = _expected(image, network.filters_[k, 0], network.filter_bias_[k])
    np.testing.assert_allclose(explorer.maps.activated, act, atol=1e-12)
    # the network's own map for this filter, pooled, is the explorer's pooled map
    np.testing.assert_allclose(network.transform(image[None])[0, k], explorer.maps.pooled)
    predicted = network.predict(image[None])[0]
    assert f"reads a {predicted} " in explorer.status


def test_the_digit_picture_follows_the_shift(explorer):
    explorer.set(digit=8, shift_down=0, shift_right=0, kernel="identity")
    unshifted = explorer.images["digit"]
    explorer.set(shift_right=2)
    assert explorer.images["digit"] != unshifted
    assert "moved +0 px down and +2 px right" in explorer.images["digit"]
    # identity kernel: the feature map is the shifted image itself
    np.testing.assert_allclose(
        explorer.maps.activated, shift_images(digit_split()[1][8], 0, 2), atol=1e-12
    )


def test_construction_checks_its_arguments():
    with pytest.raises(ValueError, match="kernel"):
        ConvolutionExplorer(kernel="emboss")
    with pytest.raises(ValueError, match="digit"):
        ConvolutionExplorer(digit=10_000)
    with pytest.raises(TypeError, match="shift_down"):
        ConvolutionExplorer(shift_down=0.5)
