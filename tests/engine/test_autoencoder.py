"""widgets.engine.autoencoder: the two halves, the gradients, and PCA as the linear limit.

Independent computations: the encoder written out in NumPy from the fitted weights,
central finite differences of the training objective, PCA from an SVD in NumPy and
from scikit-learn, the subspace angles of SciPy.
"""

from __future__ import annotations

import numpy as np
import pytest
from gradcheck import central_difference, relative_error
from scipy.linalg import subspace_angles
from sklearn.decomposition import PCA
from sklearn.exceptions import NotFittedError
from sklearn.metrics import mean_squared_error
from threadpoolctl import threadpool_limits

from widgets.engine.autoencoder import (
    Autoencoder,
    DigitSplit,
    autoencoder_parameter_count,
    compare_with_pca,
    load_digit_split,
    pca_error,
    pca_reconstruct,
    reconstruction_error,
)


@pytest.fixture(scope="module", autouse=True)
def one_blas_thread():
    """Tiny matrices: one BLAS thread (the machine's two cores are shared)."""
    with threadpool_limits(1):
        yield


@pytest.fixture(scope="module")
def digits():
    return load_digit_split()


@pytest.fixture(scope="module")
def fitted(digits):
    return Autoencoder(bottleneck=3, hidden=(16,), max_iter=20, random_state=1).fit(digits.X_train)


def test_split_scales_pixels_and_stratifies(digits):
    assert digits.X_train.shape[1] == digits.X_test.shape[1] == 64
    assert len(digits.X_train) + len(digits.X_test) == 1797
    assert digits.X_train.min() == 0.0 and digits.X_train.max() == 1.0
    # Every class is held out in about the same share.
    shares = np.bincount(digits.y_test) / (np.bincount(digits.y_test) + np.bincount(digits.y_train))
    assert np.all(np.abs(shares - 0.25) < 0.02)


def test_shapes(fitted, digits):
    X = digits.X_test[:7]
    assert fitted.layer_sizes_ == [64, 16, 3, 16, 64]
    assert fitted.encode(X).shape == (7, 3)
    assert fitted.decode(np.zeros((5, 3))).shape == (5, 64)
    assert fitted.reconstruct(X).shape == (7, 64)


def test_decode_of_encode_is_the_prediction(fitted, digits):
    X = digits.X_test
    np.testing.assert_allclose(
        fitted.decode(fitted.encode(X)), fitted.regressor_.predict(X), rtol=0, atol=1e-12
    )


def test_encode_is_the_forward_pass_written_out(fitted, digits):
    X = digits.X_test[:20]
    W, b = fitted.regressor_.coefs_, fitted.regressor_.intercepts_
    z = np.tanh(np.tanh(X @ W[0] + b[0]) @ W[1] + b[1])
    np.testing.assert_allclose(fitted.encode(X), z, rtol=1e-12, atol=1e-14)
    x_hat = np.tanh(z @ W[2] + b[2]) @ W[3] + b[3]
    np.testing.assert_allclose(fitted.decode(z), x_hat, rtol=1e-12, atol=1e-14)


def test_encode_reads_the_networks_weights_not_a_copy(digits):
    ae = Autoencoder(bottleneck=2, hidden=(4,), max_iter=2).fit(digits.X_train)
    X = digits.X_test[:5]
    before = ae.encode(X)
    ae.regressor_.coefs_[1][...] *= -1.0  # the layer into the bottleneck, in place
    after = ae.encode(X)
    z = np.tanh(
        np.tanh(X @ ae.regressor_.coefs_[0] + ae.regressor_.intercepts_[0])
        @ ae.regressor_.coefs_[1]
        + ae.regressor_.intercepts_[1]
    )
    np.testing.assert_allclose(after, z, rtol=1e-12, atol=1e-14)
    assert not np.allclose(before, after)
    np.testing.assert_allclose(ae.decode(after), ae.reconstruct(X), rtol=0, atol=1e-12)


def test_parameter_count_counts_every_weight_and_bias(fitted):
    by_hand = 2 * (64 * 32 + 32 * 2) + (32 + 2 + 32 + 64)
    assert autoencoder_parameter_count(2) == by_hand == 4354
    assert autoencoder_parameter_count(2, biases=False) == 2 * (64 * 32 + 32 * 2)
    held = sum(W.size for W in fitted.regressor_.coefs_) + sum(
        b.size for b in fitted.regressor_.intercepts_
    )
    assert autoencoder_parameter_count(3, hidden=(16,)) == held


def test_error_is_mean_squared_error_per_pixel(fitted, digits):
    X = digits.X_test
    expected = mean_squared_error(X, fitted.regressor_.predict(X))
    assert fitted.error(X) == pytest.approx(expected, rel=1e-12)
    assert reconstruction_error(X, np.zeros_like(X)) == pytest.approx(np.mean(X**2))


def test_loss_is_the_documented_objective(fitted, digits):
    X = digits.X_train[:50]
    loss, _, _ = fitted.loss_and_gradients(X)
    residual = X - fitted.regressor_.predict(X)
    penalty = sum(np.sum(W**2) for W in fitted.regressor_.coefs_)
    expected = np.sum(residual**2) / (2 * X.size) + fitted.alpha * penalty / (2 * len(X))
    assert loss == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("activation", ["tanh", "identity", "logistic"])
def test_gradients_match_central_differences(digits, activation):
    ae = Autoencoder(bottleneck=2, hidden=(3,), activation=activation, max_iter=3, alpha=0.01).fit(
        digits.X_train[:100]
    )
    X = digits.X_train[:12]
    _, coef_grads, intercept_grads = ae.loss_and_gradients(X)
    parameters = ae.regressor_.coefs_ + ae.regressor_.intercepts_
    analytic = coef_grads + intercept_grads
    for values, grad in zip(parameters, analytic):
        numeric = central_difference(lambda: ae.loss_and_gradients(X)[0], values)
        assert relative_error(grad, numeric) < 1e-6


def test_pca_reconstruction_against_an_svd(digits):
    X_train, X = digits.X_train, digits.X_test
    mean = X_train.mean(axis=0)
    _, _, Vt = np.linalg.svd(X_train - mean, full_matrices=False)
    V = Vt[:5]
    expected = (X - mean) @ V.T @ V + mean
    codes, reconstructions = pca_reconstruct(X_train, X, 5)
    assert codes.shape == (len(X), 5)
    np.testing.assert_allclose(reconstructions, expected, atol=1e-10)
    assert pca_error(X_train, X, 5) == pytest.approx(np.mean((X - expected) ** 2), rel=1e-10)


def test_more_components_reconstruct_better(digits):
    errors = [pca_error(digits.X_train, digits.X_test, k) for k in (1, 2, 4, 8, 16, 32)]
    assert all(a > b for a, b in zip(errors, errors[1:]))


@pytest.mark.parametrize("k", [2, 5])
def test_linear_autoencoder_converges_to_pca(digits, k):
    """Identity activations: the best a linear autoencoder can do is PCA's subspace."""
    X = digits.X_train
    linear = Autoencoder(
        k, hidden=(), activation="identity", solver="lbfgs", max_iter=2000, alpha=0.0
    ).fit(X)
    pca_train = pca_error(X, X, k)
    assert linear.error(X) >= pca_train * (1 - 1e-9)  # PCA is the optimum
    assert linear.error(X) <= pca_train * (1 + 1e-3)
    # The decoder's weights span PCA's k directions (up to a change of basis).
    components = PCA(k).fit(X).components_
    angles = subspace_angles(linear.regressor_.coefs_[1].T, components.T)
    assert angles.max() < 0.05


def test_a_nonlinear_autoencoder_learns(digits):
    """Trained longer, the tanh autoencoder's test error falls well below predicting the mean."""
    ae = Autoencoder(4, max_iter=60).fit(digits.X_train)
    mean_only = reconstruction_error(
        digits.X_test, np.broadcast_to(digits.X_train.mean(0), digits.X_test.shape)
    )
    assert ae.error(digits.X_test) < 0.6 * mean_only
    assert ae.loss_curve_[-1] < ae.loss_curve_[0]
    assert len(ae.loss_curve_) == 60  # no early stop: exactly max_iter epochs


def test_compare_with_pca_tabulates_each_run(digits):
    table = compare_with_pca(digits, sizes=(2, 3), seeds=(0, 4), max_iter=3, hidden=(4,))
    assert table.autoencoder.shape == (2, 2)
    for i, k in enumerate((2, 3)):
        assert table.pca[i] == pytest.approx(pca_error(digits.X_train, digits.X_test, k))
        for j, seed in enumerate((0, 4)):
            ae = Autoencoder(k, hidden=(4,), max_iter=3, random_state=seed).fit(digits.X_train)
            assert table.autoencoder[i, j] == pytest.approx(ae.error(digits.X_test), rel=1e-12)
    expected_wins = (table.autoencoder < table.pca[:, None]).sum(axis=1)
    np.testing.assert_array_equal(table.wins, expected_wins)
    assert len(table.rows()) == 3


@pytest.mark.parametrize(
    "call, error, name",
    [
        (lambda: Autoencoder(bottleneck="2"), TypeError, "bottleneck"),
        (lambda: Autoencoder(bottleneck=0), ValueError, "bottleneck"),
        (lambda: Autoencoder(hidden=32), TypeError, "hidden"),
        (lambda: Autoencoder(hidden=(0,)), ValueError, "hidden"),
        (lambda: Autoencoder(activation="sigmoid"), ValueError, "activation"),
        (lambda: Autoencoder(solver="newton"), ValueError, "solver"),
        (lambda: Autoencoder(learning_rate_init=0), ValueError, "learning_rate_init"),
        (lambda: Autoencoder(max_iter=1.5), TypeError, "max_iter"),
        (lambda: Autoencoder(alpha=-1), ValueError, "alpha"),
        (lambda: Autoencoder(bottleneck=64).fit(np.ones((3, 64))), ValueError, "bottleneck"),
        (lambda: Autoencoder().fit("digits"), TypeError, "X"),
        (lambda: load_digit_split(test_size=2), ValueError, "test_size"),
        (lambda: reconstruction_error(np.ones((2, 3)), np.ones((2, 4))), ValueError, "X_hat"),
        (lambda: pca_error(np.eye(5, 4), np.ones((2, 4)), 9), ValueError, "n_components"),
        (lambda: pca_reconstruct(np.eye(5, 4), np.ones((2, 3)), 2), ValueError, "X"),
        (lambda: compare_with_pca("digits"), TypeError, "data"),
        (lambda: autoencoder_parameter_count(0), ValueError, "bottleneck"),
        (lambda: autoencoder_parameter_count(2, hidden=32), TypeError, "hidden"),
    ],
)
def test_argument_errors_name_the_argument(call, error, name):
    with pytest.raises(error, match=name):
        call()


def test_fitted_methods_check_their_input(fitted):
    with pytest.raises(NotFittedError):
        Autoencoder().encode(np.zeros((1, 64)))
    with pytest.raises(ValueError, match="X"):
        fitted.encode(np.zeros((2, 63)))
    with pytest.raises(ValueError, match="Z"):
        fitted.decode(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="X"):
        fitted.reconstruct(np.full((1, 64), np.nan))
    assert isinstance(load_digit_split(), DigitSplit)
