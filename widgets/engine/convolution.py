"""Convolution, pooling and a small convolutional classifier on the 8×8 digits.

Chapter 13's computations for convolutional networks, headless and written out:

- :func:`conv2d` / :func:`conv2d_backward`: a batch of images through several filters
  (cross-correlation, as every deep-learning library computes a "convolution"), with
  ``'valid'`` or ``'same'`` padding and stride 1, and its gradients with respect to the
  input, the kernels and the biases;
- :func:`max_pool` / :func:`max_pool_backward`: 2×2 max pooling and its gradient;
- :func:`relu` / :func:`relu_backward`;
- :data:`KERNELS`: named 3×3 kernels (edges, blur, sharpen, identity) and
  :func:`feature_maps`, one kernel on one image: the map, after ReLU, after pooling;
- :func:`load_digit_images`, :func:`shift_images`: scikit-learn's digits as 8×8 images
  in [0, 1], moved by whole pixels with zeros filled in;
- :class:`ConvNetClassifier`: a few learned 3×3 filters → ReLU → 2×2 max pool → a dense
  softmax layer, trained with Adam on mini-batches (scikit-learn's fit/predict/score);
- :func:`shift_comparison`: that network against the engine's MLP on shifted test
  digits, over several seeds, with the number of weights of each.

Shapes follow the usual ``(n, channels, height, width)`` order. The sliding windows are
taken with :func:`numpy.lib.stride_tricks.sliding_window_view` and multiplied in one
matrix product ("im2col"), so a whole batch costs a few NumPy calls.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split

from .estimators import MLPClassifier
from .exceptions import DivergenceError
from .network import count_parameters
from .optimizers import Adam
from .validation import (
    as_float_array,
    check_choice,
    check_finite,
    check_integer,
    check_number,
)

__all__ = [
    "KERNELS",
    "PADDINGS",
    "conv2d",
    "conv2d_backward",
    "max_pool",
    "max_pool_backward",
    "relu",
    "relu_backward",
    "parse_kernel",
    "feature_maps",
    "FeatureMaps",
    "load_digit_images",
    "shift_images",
    "ConvNetClassifier",
    "conv_parameter_count",
    "ShiftComparison",
    "shift_comparison",
    "SHIFTS",
]

PADDINGS = ("same", "valid")

#: Named 3×3 kernels. Each is applied by cross-correlation (no flip): the output at a
#: pixel is the sum of the kernel times the 3×3 patch centred there.
KERNELS = {
    "horizontal edge": np.array([[1.0, 1.0, 1.0], [0.0, 0.0, 0.0], [-1.0, -1.0, -1.0]]),
    "vertical edge": np.array([[1.0, 0.0, -1.0], [1.0, 0.0, -1.0], [1.0, 0.0, -1.0]]),
    "blur": np.full((3, 3), 1.0 / 9.0),
    "sharpen": np.array([[0.0, -1.0, 0.0], [-1.0, 5.0, -1.0], [0.0, -1.0, 0.0]]),
    "identity": np.array([[0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]),
}


# ---------------------------------------------------------------------- checks


def _check_array(values, argument, ndim, expected):
    array = as_float_array(values, argument, expected)
    if array.ndim != ndim:
        raise ValueError(f"{argument} must be {expected}; got an array of shape {array.shape}.")
    return check_finite(array, argument)


def _pad_width(kernel_shape, padding):
    """Rows and columns of zeros added on each side: 0 ('valid'), (k − 1)/2 ('same')."""
    padding = check_choice(padding, PADDINGS, "padding")
    if padding == "valid":
        return 0, 0
    kh, kw = kernel_shape
    if kh % 2 == 0 or kw % 2 == 0:
        raise ValueError(f"padding='same' needs kernels of odd height and width; got {kh}×{kw}.")
    return (kh - 1) // 2, (kw - 1) // 2


def _windows(X, kernel_shape, padding):
    """The padded input and its sliding windows, shape (n, c, h_out, w_out, kh, kw)."""
    ph, pw = _pad_width(kernel_shape, padding)
    padded = np.pad(X, ((0, 0), (0, 0), (ph, ph), (pw, pw))) if ph or pw else X
    if padded.shape[2] < kernel_shape[0] or padded.shape[3] < kernel_shape[1]:
        raise ValueError(
            f"X's images ({X.shape[2]}×{X.shape[3]}) are smaller than the kernels "
            f"({kernel_shape[0]}×{kernel_shape[1]}) with padding={padding!r}."
        )
    return padded, sliding_window_view(padded, kernel_shape, axis=(2, 3))


def _check_conv_arguments(X, W, b):
    X = _check_array(X, "X", 4, "an array of images of shape (n, channels, height, width)")
    W = _check_array(W, "W", 4, "an array of kernels of shape (filters, channels, height, width)")
    b = _check_array(b, "b", 1, "a vector of biases, one per filter")
    if W.shape[1] != X.shape[1]:
        raise ValueError(
            f"W must have as many channels as X ({X.shape[1]}); got W of shape {W.shape}."
        )
    if b.shape[0] != W.shape[0]:
        raise ValueError(f"b must have one bias per filter ({W.shape[0]}); got {b.shape[0]}.")
    return X, W, b


# ---------------------------------------------------------------------- convolution


def _im2col(windows):
    """Windows (n, c, r, s, kh, kw) as rows (n·r·s, c·kh·kw): one row per output pixel."""
    n, c, r, s, kh, kw = windows.shape
    return windows.transpose(0, 2, 3, 1, 4, 5).reshape(n * r * s, c * kh * kw)


def _conv_forward(X, W, b, padding):
    _, windows = _windows(X, W.shape[2:], padding)
    n, _, r, s = windows.shape[:4]
    cols = _im2col(windows)
    out = cols @ W.reshape(W.shape[0], -1).T + b
    return out.reshape(n, r, s, W.shape[0]).transpose(0, 3, 1, 2), cols


def conv2d(X, W, b, padding="valid"):
    """Several filters slid over a batch of images: a 2-D cross-correlation, stride 1.

    .. math:: Y_{n,o,r,s} = b_o + \\sum_{c}\\sum_{i=0}^{k_h-1}\\sum_{j=0}^{k_w-1}
              \\tilde X_{n,c,r+i,s+j}\\, W_{o,c,i,j}

    where :math:`\\tilde X` is ``X`` with zeros around it: none for ``'valid'`` (the
    output shrinks to :math:`(h-k_h+1)\\times(w-k_w+1)`), :math:`(k-1)/2` rows and
    columns on each side for ``'same'`` (the output keeps the input's size). The kernel
    is not flipped, as in every deep-learning library and
    ``scipy.signal.correlate2d``; a mathematician's convolution flips it.

    Parameters
    ----------
    X : array of shape (n, channels, height, width)
    W : array of shape (filters, channels, kh, kw)
    b : array of shape (filters,)
    padding : {'valid', 'same'}

    Returns
    -------
    Y : ndarray of shape (n, filters, height_out, width_out)
    """
    X, W, b = _check_conv_arguments(X, W, b)
    return _conv_forward(X, W, b, padding)[0]


def conv2d_backward(dY, X, W, padding="valid"):
    """Gradients of a loss through :func:`conv2d`, given ``dY`` = ∂loss/∂Y.

    .. math::
        \\frac{\\partial L}{\\partial W_{o,c,i,j}} =
            \\sum_{n,r,s} \\frac{\\partial L}{\\partial Y_{n,o,r,s}}\\,\\tilde X_{n,c,r+i,s+j},

    .. math::
        \\frac{\\partial L}{\\partial b_o} =
            \\sum_{n,r,s} \\frac{\\partial L}{\\partial Y_{n,o,r,s}},

    .. math::
        \\frac{\\partial L}{\\partial \\tilde X_{n,c,p,q}} = \\sum_{o}\\sum_{i,j}
            \\frac{\\partial L}{\\partial Y_{n,o,p-i,q-j}}\\, W_{o,c,i,j}

    (each input pixel collects the gradient of every output its windows touched; the
    padding's share is dropped at the end).

    Parameters
    ----------
    dY : array of shape (n, filters, height_out, width_out)
    X, W, padding : as given to :func:`conv2d`

    Returns
    -------
    dX, dW, db : ndarrays of the shapes of X, W and b
    """
    X, W, _ = _check_conv_arguments(X, W, np.zeros(np.shape(W)[0] if np.ndim(W) else 0))
    dY = _check_array(dY, "dY", 4, "an array of shape (n, filters, height_out, width_out)")
    padded, windows = _windows(X, W.shape[2:], padding)
    expected = (X.shape[0], W.shape[0], *windows.shape[2:4])
    if dY.shape != expected:
        raise ValueError(f"dY must have shape {expected} (the shape of Y); got {dY.shape}.")
    return _conv_backward(dY, X, W, _im2col(windows), padded.shape, padding)


def _conv_backward(dY, X, W, cols, padded_shape, padding, need_dX=True):
    n, f, r, s = dY.shape
    kh, kw = W.shape[2:]
    rows = dY.transpose(0, 2, 3, 1).reshape(n * r * s, f)
    dW = (rows.T @ cols).reshape(W.shape)
    db = rows.sum(axis=0)
    if not need_dX:
        return None, dW, db
    dcols = (rows @ W.reshape(f, -1)).reshape(n, r, s, W.shape[1], kh, kw)
    dpadded = np.zeros(padded_shape)
    for i in range(kh):
        for j in range(kw):
            dpadded[:, :, i : i + r, j : j + s] += dcols[:, :, :, :, i, j].transpose(0, 3, 1, 2)
    ph, pw = _pad_width((kh, kw), padding)
    dX = dpadded[:, :, ph : ph + X.shape[2], pw : pw + X.shape[3]]
    return np.ascontiguousarray(dX), dW, db


# ---------------------------------------------------------------------- ReLU, pooling


def relu(Z):
    """Rectified linear unit, element-wise: :math:`\\max(z, 0)`."""
    return np.maximum(Z, 0.0)


def relu_backward(dA, Z):
    """∂L/∂Z from ∂L/∂A through A = relu(Z): :math:`\\partial L/\\partial A \\cdot [z > 0]`."""
    return dA * (np.asarray(Z) > 0)


def _pool_windows(A):
    n, c, h, w = A.shape
    H, Wd = h // 2, w // 2
    trimmed = A[:, :, : 2 * H, : 2 * Wd]
    return trimmed.reshape(n, c, H, 2, Wd, 2).transpose(0, 1, 2, 4, 3, 5).reshape(n, c, H, Wd, 4)


def max_pool(A):
    """2×2 max pooling, stride 2: the largest of each non-overlapping 2×2 block.

    .. math:: P_{n,c,r,s} = \\max_{i,j\\in\\{0,1\\}} A_{n,c,2r+i,2s+j}

    An odd last row or column is dropped (a 7×7 map pools to 3×3).

    Parameters
    ----------
    A : array of shape (n, channels, height, width), height and width ≥ 2

    Returns
    -------
    P : ndarray of shape (n, channels, height // 2, width // 2)
    """
    A = _check_array(A, "A", 4, "an array of maps of shape (n, channels, height, width)")
    if A.shape[2] < 2 or A.shape[3] < 2:
        raise ValueError(f"A's maps must be at least 2×2 to pool; got {A.shape[2:]}.")
    return _pool_windows(A).max(axis=-1)


def max_pool_backward(dP, A):
    """∂L/∂A from ∂L/∂P through :func:`max_pool`.

    Each block's gradient goes to the position that held its maximum (the first one in
    row order if several tie: the max has no derivative there, and this is the choice
    of the usual libraries); the other three positions, and a dropped odd row or
    column, get 0.

    Parameters
    ----------
    dP : array of shape (n, channels, height // 2, width // 2)
    A : the array given to :func:`max_pool`

    Returns
    -------
    dA : ndarray of the shape of A
    """
    A = _check_array(A, "A", 4, "an array of maps of shape (n, channels, height, width)")
    dP = _check_array(dP, "dP", 4, "an array of shape (n, channels, height // 2, width // 2)")
    expected = (*A.shape[:2], A.shape[2] // 2, A.shape[3] // 2)
    if dP.shape != expected:
        raise ValueError(f"dP must have shape {expected} (the pooled shape); got {dP.shape}.")
    return _pool_backward(dP, A)


def _pool_backward(dP, A):
    n, c, h, w = A.shape
    H, Wd = dP.shape[2:]
    index = _pool_windows(A).argmax(axis=-1)
    blocks = np.zeros((n, c, H, Wd, 4))
    np.put_along_axis(blocks, index[..., None], dP[..., None], axis=-1)
    dA = np.zeros(A.shape)
    dA[:, :, : 2 * H, : 2 * Wd] = (
        blocks.reshape(n, c, H, Wd, 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(n, c, 2 * H, 2 * Wd)
    )
    return dA


# ---------------------------------------------------------------------- one kernel, one image


def parse_kernel(text, argument="kernel"):
    """A 3×3 kernel from text: nine numbers separated by spaces, commas or semicolons.

    ``"0 -1 0, -1 5 -1, 0 -1 0"`` is the sharpen kernel, read row by row.

    Raises
    ------
    TypeError
        If ``text`` is not a string.
    ValueError
        If it does not hold exactly nine finite numbers.
    """
    if not isinstance(text, str):
        raise TypeError(f"{argument} must be a text of nine numbers; got {type(text).__name__}.")
    parts = text.replace(",", " ").replace(";", " ").split()
    try:
        values = [float(part) for part in parts]
    except ValueError:
        raise ValueError(
            f"{argument} must be nine numbers (row by row, e.g. '0 -1 0, -1 5 -1, 0 -1 0'); "
            f"could not read {text.strip()!r}."
        ) from None
    if len(values) != 9:
        raise ValueError(
            f"{argument} must be nine numbers (a 3×3 kernel, row by row); got {len(values)}."
        )
    if not np.isfinite(values).all():
        raise ValueError(f"{argument} must hold finite numbers; got {text.strip()!r}.")
    return np.array(values).reshape(3, 3)


@dataclass
class FeatureMaps:
    """One kernel applied to one image by :func:`feature_maps`.

    ``raw`` is the convolution (with bias), ``activated`` its ReLU, ``pooled`` the 2×2
    max pool of ``activated``.
    """

    raw: np.ndarray
    activated: np.ndarray
    pooled: np.ndarray


def feature_maps(image, kernel, bias=0.0, padding="same"):
    """Slide one ``kernel`` over one ``image``; return the map, its ReLU and its pooling.

    The single-image, single-filter case of :func:`conv2d`, then :func:`relu`, then
    :func:`max_pool`.
    """
    image = _check_array(image, "image", 2, "a 2-D image")
    kernel = _check_array(kernel, "kernel", 2, "a 2-D kernel")
    bias = check_number(bias, "bias")
    raw = conv2d(image[None, None], kernel[None, None], np.array([bias]), padding)[0, 0]
    activated = relu(raw)
    return FeatureMaps(raw, activated, max_pool(activated[None, None])[0, 0])


# ---------------------------------------------------------------------- data


def load_digit_images():
    """scikit-learn's 1,797 handwritten digits as 8×8 images in [0, 1] and their labels.

    Returns ``images`` of shape (1797, 8, 8) (the 0–16 grey levels divided by 16) and
    ``labels`` of shape (1797,).
    """
    digits = load_digits()
    return digits.images / 16.0, digits.target.copy()


def shift_images(images, dy, dx):
    """Move every image by ``dy`` pixels down and ``dx`` pixels right, filling with 0.

    .. math:: S_{n,r,s} = I_{n,r-dy,s-dx} \\text{ if that pixel exists, else } 0

    Pixels pushed past the edge are lost. ``images`` has shape (..., height, width); the
    result has the same shape.
    """
    images = as_float_array(images, "images", "an array of images (..., height, width)")
    if images.ndim < 2:
        raise ValueError(f"images must have at least 2 dimensions; got shape {images.shape}.")
    h, w = images.shape[-2:]
    dy = check_integer(dy, "dy", low=-(h - 1), high=h - 1)
    dx = check_integer(dx, "dx", low=-(w - 1), high=w - 1)
    out = np.zeros_like(images)
    rows_to = slice(max(dy, 0), h + min(dy, 0))
    rows_from = slice(max(-dy, 0), h - max(dy, 0))
    cols_to = slice(max(dx, 0), w + min(dx, 0))
    cols_from = slice(max(-dx, 0), w - max(dx, 0))
    out[..., rows_to, cols_to] = images[..., rows_from, cols_from]
    return out


# ---------------------------------------------------------------------- the classifier


def conv_parameter_count(n_filters, kernel_size, pooled_shape, n_classes, channels=1):
    """Weights and biases of :class:`ConvNetClassifier`.

    .. math:: \\underbrace{F\\,C\\,k^2 + F}_{\\text{filters}}
              + \\underbrace{F\\,h_p w_p\\, K + K}_{\\text{dense softmax layer}}

    for ``F`` filters of ``C`` channels and size k×k, pooled maps of ``h_p × w_p`` and
    ``K`` classes. The filters' weights are shared by every position: they count once.
    """
    F = check_integer(n_filters, "n_filters", low=1)
    k = check_integer(kernel_size, "kernel_size", low=1)
    K = check_integer(n_classes, "n_classes", low=1)
    C = check_integer(channels, "channels", low=1)
    hp, wp = (check_integer(v, "pooled_shape", low=1) for v in pooled_shape)
    return F * C * k * k + F + F * hp * wp * K + K


class ConvNetClassifier(ClassifierMixin, BaseEstimator):
    """A small convolutional network: filters → ReLU → 2×2 max pool → dense softmax.

    For an image ``x`` (one channel):

    .. math::
        A = \\mathrm{relu}(\\mathrm{conv2d}(x, W) + b), \\quad
        P = \\mathrm{maxpool}_{2\\times 2}(A), \\quad
        p = \\mathrm{softmax}(\\mathrm{vec}(P)\\, V + c)

    trained to minimise the mean cross-entropy :math:`-\\frac1n \\sum \\log p_{y}`
    plus :math:`\\frac{\\alpha}{2n} (\\lVert W\\rVert^2 + \\lVert V\\rVert^2)` with Adam
    on shuffled mini-batches, for ``max_epochs`` epochs. Initial weights: He normal
    (standard deviation :math:`\\sqrt{2/k^2}`) for the filters, Glorot uniform for the
    dense layer, biases 0, from ``random_state`` (which also shuffles the batches).

    Parameters
    ----------
    n_filters : int, default=8
    kernel_size : int, default=3
    padding : {'same', 'valid'}, default='same'
    image_shape : (int, int), default=(8, 8)
        How to read a flat ``X`` of shape (n, height·width); ``X`` may also be given as
        (n, height, width).
    learning_rate : float, default=0.01
    batch_size : int, default=32
    max_epochs : int, default=15
    alpha : float, default=1e-4
        L2 penalty.
    random_state : int, default=0

    Attributes
    ----------
    classes_ : ndarray
    filters_ : ndarray of shape (n_filters, 1, k, k)
    filter_bias_ : ndarray of shape (n_filters,)
    coef_ : ndarray of shape (n_filters·h_p·w_p, n_classes)
    intercept_ : ndarray of shape (n_classes,)
    loss_curve_ : list of float
        Mean training loss of each epoch.
    n_parameters_ : int
        :func:`conv_parameter_count` of the fitted network.
    """

    def __init__(
        self,
        n_filters=8,
        kernel_size=3,
        padding="same",
        image_shape=(8, 8),
        learning_rate=0.01,
        batch_size=32,
        max_epochs=15,
        alpha=1e-4,
        random_state=0,
    ):
        self.n_filters = n_filters
        self.kernel_size = kernel_size
        self.padding = padding
        self.image_shape = image_shape
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.max_epochs = max_epochs
        self.alpha = alpha
        self.random_state = random_state

    # ------------------------------------------------------------------ data

    def _images(self, X):
        X = as_float_array(X, "X", "an array of images, (n, height·width) or (n, height, width)")
        if X.ndim == 2:
            h, w = self.image_shape
            if X.shape[1] != h * w:
                raise ValueError(
                    f"X must have {h * w} columns (image_shape={tuple(self.image_shape)}); "
                    f"got {X.shape[1]}."
                )
            X = X.reshape(len(X), h, w)
        elif X.ndim != 3:
            raise ValueError(
                f"X must have shape (n, height·width) or (n, height, width); got {X.shape}."
            )
        return check_finite(X, "X")[:, None]

    def _check_params(self):
        self.n_filters_ = check_integer(self.n_filters, "n_filters", low=1, high=64)
        self.kernel_size_ = check_integer(self.kernel_size, "kernel_size", low=1, high=7)
        check_choice(self.padding, PADDINGS, "padding")
        _pad_width((self.kernel_size_,) * 2, self.padding)
        check_number(self.learning_rate, "learning_rate", low=0.0, low_inclusive=False)
        check_integer(self.batch_size, "batch_size", low=1)
        check_integer(self.max_epochs, "max_epochs", low=1)
        check_number(self.alpha, "alpha", low=0.0)
        check_integer(self.random_state, "random_state", low=0)

    # ------------------------------------------------------------------ the network

    def _forward(self, X, params):
        W, b, V, c = params
        Z, cols = _conv_forward(X, W, b, self.padding)
        A = np.maximum(Z, 0.0)
        P = _pool_windows(A).max(axis=-1)
        logits = P.reshape(len(X), -1) @ V + c
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        return probs, (cols, Z, A, P)

    def _loss_grad(self, X, y_index, params, need_dX=False):
        """Mean cross-entropy (+ L2) of a batch and its gradient for every parameter.

        Backward, one layer at a time: ∂L/∂logits = (p − onehot(y))/n; the dense layer's
        gradients; back through the pool (:func:`max_pool_backward`), the ReLU
        (:func:`relu_backward`) and the filters (:func:`conv2d_backward`).
        """
        W, b, V, c = params
        n = len(X)
        probs, (cols, Z, A, P) = self._forward(X, params)
        picked = probs[np.arange(n), y_index]
        loss = -np.log(np.maximum(picked, 1e-300)).mean()
        loss += self.alpha / (2 * n) * (np.sum(W * W) + np.sum(V * V))
        d_logits = probs
        d_logits[np.arange(n), y_index] -= 1.0
        d_logits /= n
        flat = P.reshape(n, -1)
        dV = flat.T @ d_logits + (self.alpha / n) * V
        dc = d_logits.sum(axis=0)
        dP = (d_logits @ V.T).reshape(P.shape)
        dZ = _pool_backward(dP, A) * (Z > 0)
        ph, pw = _pad_width(W.shape[2:], self.padding)
        padded_shape = (n, X.shape[1], X.shape[2] + 2 * ph, X.shape[3] + 2 * pw)
        dX, dW, db = _conv_backward(dZ, X, W, cols, padded_shape, self.padding, need_dX)
        dW += (self.alpha / n) * W
        grads = [dW, db, dV, dc]
        return (loss, grads, dX) if need_dX else (loss, grads)

    def loss_and_gradients(self, X, y):
        """The training loss on ``(X, y)`` at the current weights and its gradients.

        Returns ``loss, [dW, db, dV, dc]`` in the order of ``filters_``,
        ``filter_bias_``, ``coef_``, ``intercept_`` (what Adam steps with).
        """
        X = self._images(X)
        y_index = self._label_index(y, len(X))
        return self._loss_grad(X, y_index, self._params())

    def _params(self):
        return [self.filters_, self.filter_bias_, self.coef_, self.intercept_]

    def _label_index(self, y, n):
        y = np.asarray(y)
        if y.shape != (n,):
            raise ValueError(f"y must have one label per image ({n}); got shape {y.shape}.")
        index = np.searchsorted(self.classes_, y)
        index = np.clip(index, 0, len(self.classes_) - 1)
        if not np.array_equal(self.classes_[index], y):
            raise ValueError("y holds labels the classifier was not fitted with.")
        return index

    def _init_params(self, shape, rng):
        F, k = self.n_filters_, self.kernel_size_
        ph, pw = _pad_width((k, k), self.padding)
        h, w = shape[0] + 2 * ph - k + 1, shape[1] + 2 * pw - k + 1
        if h < 2 or w < 2:
            raise ValueError(f"images of shape {shape} leave maps too small to pool.")
        self.pooled_shape_ = (h // 2, w // 2)
        fan_in = F * self.pooled_shape_[0] * self.pooled_shape_[1]
        K = len(self.classes_)
        bound = np.sqrt(6.0 / (fan_in + K))
        self.filters_ = rng.normal(0.0, np.sqrt(2.0 / (k * k)), (F, 1, k, k))
        self.filter_bias_ = np.zeros(F)
        self.coef_ = rng.uniform(-bound, bound, (fan_in, K))
        self.intercept_ = np.zeros(K)
        self.n_parameters_ = conv_parameter_count(F, k, self.pooled_shape_, K)

    def fit(self, X, y, progress=None):
        """Train on images ``X`` and labels ``y``; ``progress(epoch, max_epochs)`` after each epoch.

        Raises
        ------
        DivergenceError
            If an epoch's loss is not finite (the learning rate is too large).
        """
        self._check_params()
        X = self._images(X)
        y = np.asarray(y)
        self.classes_ = np.unique(y)
        if len(self.classes_) < 2:
            raise ValueError("y must hold at least two classes.")
        y_index = self._label_index(y, len(X))
        rng = np.random.default_rng(self.random_state)
        self._init_params(X.shape[2:], rng)
        params = self._params()
        optimizer = Adam(params, lr=float(self.learning_rate))
        self.loss_curve_ = []
        batch = min(int(self.batch_size), len(X))
        with np.errstate(over="ignore", invalid="ignore"):  # a divergence is reported below
            self._train(X, y_index, params, optimizer, batch, rng, progress)
        return self

    def _train(self, X, y_index, params, optimizer, batch, rng, progress):
        for epoch in range(1, int(self.max_epochs) + 1):
            order = rng.permutation(len(X))
            total = 0.0
            for start in range(0, len(X), batch):
                rows = order[start : start + batch]
                loss, grads = self._loss_grad(X[rows], y_index[rows], params)
                if not np.isfinite(loss):
                    raise DivergenceError(
                        f"training diverged at epoch {epoch}: the loss is {loss}; "
                        "lower learning_rate.",
                        epoch=epoch,
                        loss=float(loss),
                    )
                optimizer.step_unchecked(grads)
                total += loss * len(rows)
            self.loss_curve_.append(total / len(X))
            if progress is not None:
                progress(epoch, int(self.max_epochs))

    def predict_proba(self, X):
        """Class probabilities, shape (n, n_classes)."""
        X = self._images(X)
        return self._forward(X, self._params())[0]

    def predict(self, X):
        """The most probable class of each image."""
        return self.classes_[self.predict_proba(X).argmax(axis=1)]

    def transform(self, X):
        """The pooled feature maps of each image, shape (n, n_filters, h_p, w_p)."""
        X = self._images(X)
        return self._forward(X, self._params())[1][3]


# ---------------------------------------------------------------------- CNN against MLP

#: The shifts of :func:`shift_comparison`: (label, list of (dy, dx)) averaged together.
SHIFTS = (
    ("none", [(0, 0)]),
    ("1 pixel", [(1, 0), (-1, 0), (0, 1), (0, -1)]),
    ("2 pixels", [(2, 0), (-2, 0), (0, 2), (0, -2)]),
)


@dataclass
class ShiftComparison:
    """Test accuracy of each model on unshifted and shifted digits, one row per seed.

    ``accuracy[model]`` has shape (seeds, len(SHIFTS)): column ``j`` is the mean accuracy
    over the shifts of ``SHIFTS[j]``. ``n_parameters[model]`` counts weights and biases.
    """

    models: list
    seeds: list
    shift_labels: list
    accuracy: dict
    n_parameters: dict

    def summary(self):
        """Rows ``(model, weights, [(mean, min, max) per shift])``."""
        rows = []
        for model in self.models:
            acc = self.accuracy[model]
            stats = [
                (acc[:, j].mean(), acc[:, j].min(), acc[:, j].max()) for j in range(acc.shape[1])
            ]
            rows.append((model, self.n_parameters[model], stats))
        return rows


def shift_comparison(
    seeds=(0, 1, 2, 3, 4), mlp_hidden=(20, 64), test_size=0.25, cnn_params=None, progress=None
):
    """Train the small CNN and engine MLPs per seed; measure accuracy on shifted test digits.

    For each seed ``s``: split the digits (stratified, ``test_size`` held out,
    ``random_state=s``), train :class:`ConvNetClassifier` (``random_state=s``) and one
    :class:`widgets.engine.MLPClassifier` per hidden width in ``mlp_hidden`` (Adam,
    ``learning_rate_init=0.01``, 100 epochs, ``random_state=s``) on the unshifted
    training images, then score every model on the test images shifted by each
    ``(dy, dx)`` of :data:`SHIFTS`. Parameter counts: :func:`conv_parameter_count` for
    the CNN, :func:`widgets.engine.count_parameters` for each MLP.
    """
    seeds = [check_integer(s, "seeds", low=0) for s in seeds]
    widths = [check_integer(h, "mlp_hidden", low=1) for h in mlp_hidden]
    images, labels = load_digit_images()
    cnn_params = dict(cnn_params or {})
    models = ["CNN"] + [f"MLP {h}" for h in widths]
    accuracy = {m: np.zeros((len(seeds), len(SHIFTS))) for m in models}
    n_parameters = {}
    for row, seed in enumerate(seeds):
        X_train, X_test, y_train, y_test = train_test_split(
            images, labels, test_size=test_size, stratify=labels, random_state=seed
        )
        shifted = [[shift_images(X_test, dy, dx) for dy, dx in moves] for _, moves in SHIFTS]
        cnn = ConvNetClassifier(random_state=seed, **cnn_params).fit(X_train, y_train)
        n_parameters["CNN"] = cnn.n_parameters_
        fitted = {"CNN": (cnn, 3)}
        for h in widths:
            mlp = MLPClassifier(
                (h,), learning_rate_init=0.01, max_iter=100, random_state=seed, tol=0.0
            )
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                mlp.fit(X_train.reshape(len(X_train), -1), y_train)
            n_parameters[f"MLP {h}"] = count_parameters([64, h, 10])
            fitted[f"MLP {h}"] = (mlp, 2)
        for name, (model, ndim) in fitted.items():
            for j, group in enumerate(shifted):
                scores = [
                    model.score(Xs if ndim == 3 else Xs.reshape(len(Xs), -1), y_test)
                    for Xs in group
                ]
                accuracy[name][row, j] = np.mean(scores)
        if progress is not None:
            progress(row + 1, len(seeds))
    return ShiftComparison(models, seeds, [label for label, _ in SHIFTS], accuracy, n_parameters)
