"""AutoencoderExplorer: its pictures and status follow the controls, computed by the engine.

What the generic contract test does not check: that the status's errors are those of an
autoencoder and a PCA computed here independently, that each strip of digits shows the
digits it claims (decoded back from the PNG), and that the code scatter is drawn from
the fitted network's encoder.
"""

from __future__ import annotations

import base64
import io
import re

import numpy as np
import pytest
from PIL import Image
from threadpoolctl import threadpool_limits

from widgets.engine.autoencoder import (
    Autoencoder,
    compare_with_pca,
    load_digit_split,
    pca_error,
    pca_reconstruct,
)
from widgets.explorers.beyond_mlps.autoencoder import (
    STRIP_SCALE,
    AutoencoderExplorer,
    error_table,
    trained_sizes,
)
from widgets.explorers.beyond_mlps.autoencoder_figures import digit_strip, scatter_pixels

SRC = re.compile(r'src="data:image/png;base64,([^"]+)"')


def pixels(tag: str) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(SRC.search(tag).group(1)))))


@pytest.fixture(scope="module", autouse=True)
def one_blas_thread():
    """Tiny matrices: one BLAS thread (the machine's two cores are shared)."""
    with threadpool_limits(1):
        yield


@pytest.fixture(scope="module")
def data():
    return load_digit_split()


@pytest.fixture(scope="module")
def explorer():
    return AutoencoderExplorer()


def example_rows(y, example):
    return np.array([np.flatnonzero(y == digit)[example - 1] for digit in range(10)])


def test_status_gives_both_errors_computed_independently(explorer, data):
    explorer.set(bottleneck=4, example=1)
    ae = Autoencoder(4, random_state=0).fit(data.X_train).error(data.X_test)
    pca = pca_error(data.X_train, data.X_test, 4)
    assert f"autoencoder {ae:.4f}" in explorer.status
    assert f"PCA {pca:.4f}" in explorer.status
    assert "k = 4" in explorer.status
    assert explorer.status_line.value.count(f"{ae:.4f}") == 1


def test_strips_show_the_chosen_digits_and_their_reconstructions(explorer, data):
    explorer.set(bottleneck=8, example=3)
    rows = example_rows(data.y_test, 3)
    assert list(explorer.shown) == list(rows)
    originals = pixels(explorer.images["original"])
    np.testing.assert_array_equal(originals, digit_strip(data.X_test[rows], scale=STRIP_SCALE))
    # Pixel (row 0, column 0) of each digit, read back from the picture.
    first_pixels = originals[0, :: STRIP_SCALE * 10, 0][:10]
    np.testing.assert_array_equal(
        first_pixels, np.round(255 * (1 - data.X_test[rows, 0])).astype(np.uint8)
    )
    _, pca_images = pca_reconstruct(data.X_train, data.X_test[rows], 8)
    np.testing.assert_array_equal(
        pixels(explorer.images["PCA"]), digit_strip(pca_images, scale=STRIP_SCALE)
    )
    model = explorer.result["model"]
    assert model.bottleneck == 8
    np.testing.assert_array_equal(
        pixels(explorer.images["autoencoder"]),
        digit_strip(model.reconstruct(data.X_test[rows]), scale=STRIP_SCALE),
    )


def test_autoencoder_strip_changes_with_k_and_originals_do_not(explorer):
    explorer.set(bottleneck=2, example=1)
    small = pixels(explorer.images["autoencoder"]), pixels(explorer.images["original"])
    explorer.set(bottleneck=16)
    large = pixels(explorer.images["autoencoder"]), pixels(explorer.images["original"])
    assert not np.array_equal(small[0], large[0])
    np.testing.assert_array_equal(small[1], large[1])


def test_scatter_for_k_2_is_the_encoders_codes(explorer, data):
    explorer.set(bottleneck=2)
    ae = Autoencoder(2, random_state=0).fit(data.X_train)
    codes = np.tanh(
        np.tanh(data.X_test @ ae.regressor_.coefs_[0] + ae.regressor_.intercepts_[0])
        @ ae.regressor_.coefs_[1]
        + ae.regressor_.intercepts_[1]
    )
    np.testing.assert_allclose(explorer.result["codes"], codes, atol=1e-12)
    np.testing.assert_array_equal(
        pixels(explorer.images["codes"]), scatter_pixels(codes, data.y_test)
    )
    assert "2-number codes" in explorer.images["codes"]
    explorer.set(bottleneck=8)
    assert "first two principal components" in explorer.images["codes"]
    assert "principal components (k = 8)" in explorer.scatter_view.value


def test_error_chart_marks_the_chosen_size(explorer):
    explorer.set(bottleneck=2)
    at_2 = pixels(explorer.images["errors"])
    explorer.set(bottleneck=16)
    at_16 = pixels(explorer.images["errors"])
    assert at_2.shape == at_16.shape and not np.array_equal(at_2, at_16)
    assert "k = 16 highlighted" in explorer.images["errors"]


def test_models_are_trained_once_per_session(explorer):
    again = AutoencoderExplorer(bottleneck=16, example=5)
    for k, result in trained_sizes(0).items():
        assert again.results[k] is result is explorer.results[k]
    assert again.k == 16 and again.example == 5
    assert again.progress.value == again.progress.max


def test_another_seed_trains_its_own_autoencoders(data):
    explorer = AutoencoderExplorer(bottleneck=4)
    first = explorer.result["model"]
    explorer.set(seed=2)
    assert explorer.result["model"] is not first
    assert explorer.result["model"].random_state == 2
    ae = Autoencoder(4, random_state=2).fit(data.X_train).error(data.X_test)
    assert f"autoencoder {ae:.4f}" in explorer.status and "seed 2" in explorer.status
    assert explorer.progress.value == explorer.progress.max
    explorer.set(seed=0)
    assert explorer.result["model"] is first


def test_error_table_is_the_engines_comparison(data):
    table = error_table(seeds=(2,))
    engine = compare_with_pca(data, seeds=(2,))
    np.testing.assert_allclose(table.autoencoder, engine.autoencoder, rtol=1e-12)
    np.testing.assert_allclose(table.pca, engine.pca, rtol=1e-12)
    assert table.sizes == engine.sizes and table.seeds == engine.seeds


@pytest.mark.parametrize(
    "kwargs, error, name",
    [
        ({"bottleneck": 3}, ValueError, "bottleneck"),
        ({"bottleneck": "2"}, TypeError, "bottleneck"),
        ({"example": 0}, ValueError, "example"),
        ({"example": 9}, ValueError, "example"),
        ({"seed": 1.5}, TypeError, "seed"),
        ({"seed": 7}, ValueError, "seed"),
    ],
)
def test_constructor_checks_its_arguments(kwargs, error, name):
    with pytest.raises(error, match=name):
        AutoencoderExplorer(**kwargs)
