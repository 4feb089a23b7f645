"""Entropy, cross-entropy, KL divergence and the temperature softmax, against SciPy."""

import numpy as np
import pytest
from scipy.special import softmax as scipy_softmax
from scipy.stats import entropy as scipy_entropy

from widgets.engine.activations import naive_softmax, softmax, softmax_with_temperature
from widgets.engine.losses import (
    categorical_cross_entropy,
    cross_entropy,
    entropy,
    kl_divergence,
    nats_to_bits,
    surprise,
)

P = [0.1, 0.7, 0.1, 0.1]
Q = [0.2, 0.5, 0.2, 0.1]


def test_entropy_matches_scipy_in_nats_and_bits():
    assert entropy(P) == pytest.approx(scipy_entropy(P))
    assert entropy(P, "bits") == pytest.approx(scipy_entropy(P, base=2))
    assert entropy([0.5, 0.5], "bits") == pytest.approx(1.0)
    assert entropy([0, 1, 0]) == 0.0  # 0 log 0 = 0


def test_kl_and_cross_entropy_match_scipy():
    assert kl_divergence(P, Q) == pytest.approx(scipy_entropy(P, Q))
    assert kl_divergence(P, Q, "bits") == pytest.approx(scipy_entropy(P, Q, base=2))
    assert cross_entropy(P, Q) == pytest.approx(entropy(P) + kl_divergence(P, Q))
    assert kl_divergence(P, P) == pytest.approx(0.0, abs=1e-15)
    # The network's loss on one sample with a soft target is the same number.
    assert categorical_cross_entropy(np.array([P]), np.array([Q])) == pytest.approx(
        cross_entropy(P, Q)
    )
    assert cross_entropy([0, 1], [1, 0]) == np.inf


def test_surprise_and_units():
    assert surprise(0.5) == pytest.approx(1.0)
    assert surprise(1 / 8) == pytest.approx(3.0)
    assert surprise(1.0) == 0.0
    assert surprise(0.5, "nats") == pytest.approx(np.log(2))
    assert nats_to_bits(np.log(2)) == pytest.approx(1.0)
    np.testing.assert_allclose(surprise([0.5, 0.25]), [1.0, 2.0])


def test_temperature_softmax_matches_scipy():
    z = np.array([0.0, 0.5, 1.0, -2.0])
    for t in (0.1, 1.0, 3.0):
        np.testing.assert_allclose(softmax_with_temperature(z, t), scipy_softmax(z / t))
    np.testing.assert_array_equal(softmax_with_temperature(z, 1.0), softmax(z))
    # Adding a constant changes nothing; a huge temperature tends to uniform.
    np.testing.assert_allclose(softmax_with_temperature(z + 7, 2.0), softmax_with_temperature(z, 2))
    np.testing.assert_allclose(softmax_with_temperature(z, 1e6), np.full(4, 0.25), atol=1e-6)


def test_naive_softmax_overflows_and_the_engine_does_not():
    assert np.isnan(naive_softmax([1000.0, 1001.0])).all()
    np.testing.assert_allclose(softmax([1000.0, 1001.0]), scipy_softmax([0.0, 1.0]))
    np.testing.assert_allclose(naive_softmax([0, 0.5, 1]), softmax([0, 0.5, 1]))


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda: entropy([0.5, 0.6]), ValueError),
        (lambda: entropy([1.5, -0.5]), ValueError),
        (lambda: entropy(["a", "b"]), TypeError),
        (lambda: entropy([0.5, 0.5], unit="decibels"), ValueError),
        (lambda: kl_divergence([0.5, 0.5], [1.0]), ValueError),
        (lambda: surprise(0.0), ValueError),
        (lambda: softmax_with_temperature([0, 1], 0.0), ValueError),
        (lambda: softmax_with_temperature([0, 1], "hot"), TypeError),
        (lambda: softmax_with_temperature([0, np.nan], 1.0), ValueError),
    ],
)
def test_bad_arguments_are_refused(call, error):
    with pytest.raises(error):
        call()
