"""Chapter 13's convolution engine: every pass against SciPy or central finite differences."""

from __future__ import annotations

import numpy as np
import pytest
from gradcheck import central_difference, relative_error
from scipy.signal import correlate2d
from sklearn.model_selection import train_test_split

from widgets.engine import DivergenceError
from widgets.engine.convolution import (
    KERNELS,
    SHIFTS,
    ConvNetClassifier,
    conv2d,
    conv2d_backward,
    conv_parameter_count,
    feature_maps,
    load_digit_images,
    max_pool,
    max_pool_backward,
    parse_kernel,
    relu,
    relu_backward,
    shift_comparison,
    shift_images,
)


@pytest.fixture
def rng():
    return np.random.default_rng(13)


# ---------------------------------------------------------------------- forward vs SciPy


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("kernel", [(3, 3), (3, 5), (1, 1)])
def test_conv2d_is_scipys_cross_correlation(rng, padding, kernel):
    X = rng.normal(size=(3, 2, 7, 6))
    W = rng.normal(size=(4, 2, *kernel))
    b = rng.normal(size=4)
    Y = conv2d(X, W, b, padding)
    expected = np.array(
        [
            [
                b[o] + sum(correlate2d(X[n, c], W[o, c], mode=padding) for c in range(2))
                for o in range(4)
            ]
            for n in range(3)
        ]
    )
    assert Y.shape == expected.shape
    np.testing.assert_allclose(Y, expected, rtol=1e-12, atol=1e-12)


def test_same_padding_keeps_the_size_and_valid_shrinks_it(rng):
    X = rng.normal(size=(2, 1, 8, 8))
    W = rng.normal(size=(5, 1, 3, 3))
    assert conv2d(X, W, np.zeros(5), "same").shape == (2, 5, 8, 8)
    assert conv2d(X, W, np.zeros(5), "valid").shape == (2, 5, 6, 6)


# ---------------------------------------------------------------------- backward vs differences


@pytest.mark.parametrize("padding", ["valid", "same"])
def test_conv2d_backward_matches_finite_differences(rng, padding):
    X = rng.normal(size=(2, 2, 5, 6))
    W = rng.normal(size=(3, 2, 3, 3))
    b = rng.normal(size=3)
    G = rng.normal(size=conv2d(X, W, b, padding).shape)  # loss = sum(G * Y)

    def loss():
        return float(np.sum(G * conv2d(X, W, b, padding)))

    dX, dW, db = conv2d_backward(G, X, W, padding)
    assert relative_error(dX, central_difference(loss, X)) < 1e-6
    assert relative_error(dW, central_difference(loss, W)) < 1e-6
    assert relative_error(db, central_difference(loss, b)) < 1e-6


@pytest.mark.parametrize("shape", [(2, 3, 6, 4), (1, 2, 5, 7)])
def test_max_pool_forward_and_backward(rng, shape):
    A = rng.normal(size=shape)  # no ties: the max of each block is unique
    P = max_pool(A)
    n, c, h, w = shape
    for i in range(n):
        for j in range(c):
            for r in range(h // 2):
                for s in range(w // 2):
                    assert P[i, j, r, s] == A[i, j, 2 * r : 2 * r + 2, 2 * s : 2 * s + 2].max()
    G = rng.normal(size=P.shape)
    dA = max_pool_backward(G, A)
    assert relative_error(dA, central_difference(lambda: float(np.sum(G * max_pool(A))), A)) < 1e-6
    assert np.count_nonzero(dA) == G.size  # one position per block, odd edges get nothing


def test_relu_backward_matches_finite_differences(rng):
    Z = rng.normal(size=(4, 5))
    Z[np.abs(Z) < 0.01] = 0.5  # keep away from the kink
    G = rng.normal(size=Z.shape)
    numeric = central_difference(lambda: float(np.sum(G * relu(Z))), Z)
    assert relative_error(relu_backward(G, Z), numeric) < 1e-6


def _small_problem(n=24, seed=0):
    images, labels = load_digit_images()
    rows = np.random.default_rng(seed).choice(len(images), n, replace=False)
    return images[rows], labels[rows]


@pytest.mark.parametrize("padding", ["same", "valid"])
def test_the_whole_networks_loss_gradient_matches_finite_differences(padding):
    X, y = _small_problem()
    net = ConvNetClassifier(n_filters=3, padding=padding, max_epochs=1, alpha=0.1, random_state=1)
    net.fit(X, y)  # a trained point, not just the initial one
    loss, grads = net.loss_and_gradients(X, y)
    for param, grad in zip(net._params(), grads):

        def f():
            return net.loss_and_gradients(X, y)[0]

        assert relative_error(grad, central_difference(f, param)) < 1e-6
    assert np.isfinite(loss) and loss > 0


# ---------------------------------------------------------------------- kernels, data


def test_feature_maps_are_correlate_relu_and_pool():
    images, _ = load_digit_images()
    image, kernel = images[5], KERNELS["vertical edge"]
    maps = feature_maps(image, kernel, bias=-0.5)
    raw = correlate2d(image, kernel, mode="same") - 0.5
    np.testing.assert_allclose(maps.raw, raw, atol=1e-12)
    np.testing.assert_allclose(maps.activated, np.maximum(raw, 0), atol=1e-12)
    pooled = np.maximum(raw, 0).reshape(4, 2, 4, 2).max(axis=(1, 3))
    np.testing.assert_allclose(maps.pooled, pooled, atol=1e-12)


def test_the_identity_kernel_returns_the_image_and_blur_averages():
    images, _ = load_digit_images()
    maps = feature_maps(images[0], KERNELS["identity"])
    np.testing.assert_allclose(maps.raw, images[0], atol=1e-12)
    blurred = feature_maps(images[0], KERNELS["blur"]).raw
    assert blurred[4, 4] == pytest.approx(images[0][3:6, 3:6].mean())


def test_parse_kernel_reads_nine_numbers_and_refuses_the_rest():
    np.testing.assert_array_equal(parse_kernel("0 -1 0, -1 5 -1; 0 -1 0"), KERNELS["sharpen"])
    with pytest.raises(ValueError, match="kernel must be nine numbers"):
        parse_kernel("1 2 3")
    with pytest.raises(ValueError, match="could not read"):
        parse_kernel("1 2 x 4 5 6 7 8 9")
    with pytest.raises(ValueError, match="finite"):
        parse_kernel("1 2 3 4 5 6 7 8 nan")
    with pytest.raises(TypeError, match="kernel"):
        parse_kernel(9)


def test_digit_images_are_scaled_8x8():
    images, labels = load_digit_images()
    assert images.shape == (1797, 8, 8) and labels.shape == (1797,)
    assert images.min() == 0.0 and images.max() == 1.0


@pytest.mark.parametrize("dy, dx", [(0, 0), (1, 0), (0, -2), (-1, 2), (3, 3)])
def test_shift_images_moves_pixels_and_fills_zeros(rng, dy, dx):
    images = rng.normal(size=(3, 8, 8))
    shifted = shift_images(images, dy, dx)
    for r in range(8):
        for s in range(8):
            inside = 0 <= r - dy < 8 and 0 <= s - dx < 8
            expected = images[:, r - dy, s - dx] if inside else np.zeros(3)
            np.testing.assert_array_equal(shifted[:, r, s], expected)


# ---------------------------------------------------------------------- the classifier


@pytest.fixture(scope="module")
def split():
    images, labels = load_digit_images()
    return train_test_split(images, labels, test_size=0.25, stratify=labels, random_state=0)


@pytest.fixture(scope="module")
def fitted(split):
    X_train, _, y_train, _ = split
    return ConvNetClassifier(max_epochs=8, random_state=0).fit(X_train, y_train)


def test_the_classifier_learns_the_digits(fitted, split):
    _, X_test, _, y_test = split
    assert fitted.score(X_test, y_test) > 0.9
    assert fitted.loss_curve_[-1] < fitted.loss_curve_[0]
    proba = fitted.predict_proba(X_test[:20])
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(fitted.predict(X_test[:20]), fitted.classes_[proba.argmax(1)])
    # flat rows of 64 pixels are the same images
    flat = X_test[:20].reshape(20, 64)
    np.testing.assert_array_equal(fitted.predict(flat), fitted.predict(X_test[:20]))


def test_the_classifier_is_seeded(split):
    X_train, X_test, y_train, _ = split
    a = ConvNetClassifier(max_epochs=1, random_state=3).fit(X_train[:200], y_train[:200])
    b = ConvNetClassifier(max_epochs=1, random_state=3).fit(X_train[:200], y_train[:200])
    c = ConvNetClassifier(max_epochs=1, random_state=4).fit(X_train[:200], y_train[:200])
    np.testing.assert_array_equal(a.filters_, b.filters_)
    assert not np.array_equal(a.filters_, c.filters_)


def test_the_parameter_count_is_the_arrays_sizes(fitted):
    sizes = sum(p.size for p in fitted._params())
    assert fitted.n_parameters_ == sizes == conv_parameter_count(8, 3, (4, 4), 10)
    assert fitted.transform(np.zeros((2, 8, 8))).shape == (2, 8, 4, 4)


def test_a_huge_learning_rate_diverges_and_says_so():
    X, y = _small_problem(64)
    with pytest.raises(DivergenceError, match="diverged"):
        ConvNetClassifier(learning_rate=1e300, max_epochs=3).fit(X * 1e300, y)


def test_shift_comparison_counts_and_scores():
    result = shift_comparison(seeds=(0,), mlp_hidden=(8,), cnn_params={"max_epochs": 2})
    assert result.models == ["CNN", "MLP 8"]
    assert result.n_parameters["MLP 8"] == 64 * 8 + 8 + 8 * 10 + 10
    assert result.n_parameters["CNN"] == 8 * 9 + 8 + 8 * 16 * 10 + 10
    for model in result.models:
        acc = result.accuracy[model]
        assert acc.shape == (1, len(SHIFTS)) and ((acc >= 0) & (acc <= 1)).all()
    assert result.accuracy["CNN"][0, 0] > 0.8


# ---------------------------------------------------------------------- argument errors


def test_argument_errors_name_the_argument(rng):
    X = rng.normal(size=(1, 1, 5, 5))
    W = rng.normal(size=(2, 1, 3, 3))
    with pytest.raises(ValueError, match="padding"):
        conv2d(X, W, np.zeros(2), "full")
    with pytest.raises(ValueError, match="W must have as many channels"):
        conv2d(X, rng.normal(size=(2, 3, 3, 3)), np.zeros(2))
    with pytest.raises(ValueError, match="b must have one bias per filter"):
        conv2d(X, W, np.zeros(3))
    with pytest.raises(ValueError, match="X must be"):
        conv2d(X[0], W, np.zeros(2))
    with pytest.raises(TypeError, match="X must be"):
        conv2d([["a"]], W, np.zeros(2))
    with pytest.raises(ValueError, match="odd"):
        conv2d(X, rng.normal(size=(2, 1, 2, 2)), np.zeros(2), "same")
    with pytest.raises(ValueError, match="dY must have shape"):
        conv2d_backward(np.zeros((1, 2, 5, 5)), X, W, "valid")
    with pytest.raises(ValueError, match="dP must have shape"):
        max_pool_backward(np.zeros((1, 1, 3, 3)), X)
    with pytest.raises(TypeError, match="dy"):
        shift_images(X[0, 0], 1.5, 0)
    with pytest.raises(ValueError, match="dx"):
        shift_images(X[0, 0], 0, 9)
    with pytest.raises(ValueError, match="n_filters"):
        ConvNetClassifier(n_filters=0).fit(X[:, 0], [0])
    with pytest.raises(ValueError, match="X must have 64 columns"):
        ConvNetClassifier().fit(np.zeros((4, 10)), [0, 1, 0, 1])
    with pytest.raises(ValueError, match="learning_rate"):
        ConvNetClassifier(learning_rate=-1).fit(np.zeros((4, 64)), [0, 1, 0, 1])
