"""Autoencoders: a network trained to give back its input through a narrow layer.

Chapter 13's computations, headless. An autoencoder is one network whose target is
its own input, with a **bottleneck** of ``k`` units in the middle:

.. math:: x \\;\\xrightarrow{\\text{encoder}}\\; z = e(x) \\in \\mathbb{R}^k
          \\;\\xrightarrow{\\text{decoder}}\\; \\hat x = d(z) \\in \\mathbb{R}^{64}

The layers up to the bottleneck are the **encoder**, the layers after it the
**decoder**; ``z`` is the **code** (latent representation). Training minimises the
reconstruction error ``||x - d(e(x))||^2``; with ``k`` smaller than the input, the
network must compress. Here the network is the engine's own
:class:`~widgets.engine.MLPRegressor`, fitted with ``X`` as both input and target.

- :func:`load_digit_split`: scikit-learn's 8×8 digits, pixels scaled to [0, 1], split
  into training and held-out test digits;
- :class:`Autoencoder`: fit, :meth:`~Autoencoder.encode`, :meth:`~Autoencoder.decode`,
  :meth:`~Autoencoder.reconstruct`, the reconstruction error and the training loss's
  gradients;
- :func:`reconstruction_error`: mean squared error per pixel;
- :func:`pca_reconstruct`, :func:`pca_error`: the same with PCA's ``k`` components
  (scikit-learn), the linear baseline;
- :func:`compare_with_pca`: test error of both against ``k``, over several seeds.

A **linear** autoencoder (identity activations) can at best reproduce PCA: its
reconstruction ``x W_1 W_2 + c`` has rank ``k``, and the best rank-``k`` approximation
of centred data in squared error is the projection onto the first ``k`` principal
components (Eckart–Young). Training it therefore converges toward PCA's error, and its
decoder's weights span PCA's subspace (not necessarily PCA's axes).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.model_selection import train_test_split
from threadpoolctl import threadpool_limits

from ._fast import forward_pass
from .activations import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from .estimators import MLPRegressor
from .network import Network, count_parameters
from .validation import check_choice, check_integer, check_matrix, check_number

__all__ = [
    "BOTTLENECK_SIZES",
    "DigitSplit",
    "load_digit_split",
    "Autoencoder",
    "autoencoder_parameter_count",
    "reconstruction_error",
    "pca_reconstruct",
    "pca_error",
    "ErrorTable",
    "compare_with_pca",
]

#: Bottleneck sizes the chapter compares.
BOTTLENECK_SIZES = (2, 4, 8, 16)


# ---------------------------------------------------------------------- data


@dataclass(frozen=True)
class DigitSplit:
    """The digits, pixels in [0, 1], split into training and held-out test rows.

    ``X_train`` (n_train, 64), ``X_test`` (n_test, 64), labels ``y_train``, ``y_test``.
    An image is a row reshaped to (8, 8).
    """

    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray


def load_digit_split(test_size=0.25, random_state=0):
    """scikit-learn's 1797 digits, pixels divided by 16, stratified train/test split.

    Parameters
    ----------
    test_size : float, default=0.25
        Share of the digits held out (each digit class in the same share).
    random_state : int, default=0
        Seed of the split.

    Returns
    -------
    DigitSplit
    """
    test_size = check_number(test_size, "test_size", low=0.05, high=0.95)
    random_state = check_integer(random_state, "random_state", low=0)
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X / 16.0, y, test_size=test_size, random_state=random_state, stratify=y
    )
    return DigitSplit(X_train, X_test, y_train, y_test)


def reconstruction_error(X, X_hat):
    """Mean squared error per pixel, ``mean_{i,j} (X_ij - X_hat_ij)^2``.

    Both arguments are (n_samples, n_features) arrays of the same shape.
    """
    X = check_matrix(X, "X")
    X_hat = check_matrix(X_hat, "X_hat")
    if X.shape != X_hat.shape:
        raise ValueError(f"X_hat must have the shape of X, {X.shape}; got {X_hat.shape}.")
    return float(np.mean((X - X_hat) ** 2))


# ---------------------------------------------------------------------- PCA


def _pca(X_train, n_components):
    X_train = check_matrix(X_train, "X_train")
    n_components = check_integer(
        n_components, "n_components", low=1, high=min(X_train.shape[0], X_train.shape[1])
    )
    with threadpool_limits(1):
        return PCA(n_components=n_components, svd_solver="full").fit(X_train), X_train


def pca_reconstruct(X_train, X, n_components):
    """PCA fitted on ``X_train``; return the codes and reconstructions of ``X``.

    With mean ``mu`` and the first ``k`` principal directions as rows of ``V_k``
    (k, n_features): code ``z = (x - mu) V_k^T``, reconstruction ``x_hat = z V_k + mu``.

    Returns
    -------
    codes : ndarray of shape (n_samples, n_components)
    reconstructions : ndarray of shape (n_samples, n_features)
    """
    X_train = check_matrix(X_train, "X_train")
    X = check_matrix(X, "X", n_columns=X_train.shape[1])
    pca, _ = _pca(X_train, n_components)
    codes = pca.transform(X)
    return codes, pca.inverse_transform(codes)


def pca_error(X_train, X, n_components):
    """Reconstruction error per pixel of ``X`` by PCA (``n_components``, fitted on ``X_train``)."""
    X = check_matrix(X, "X")
    return reconstruction_error(X, pca_reconstruct(X_train, X, n_components)[1])


# ---------------------------------------------------------------------- the autoencoder


class Autoencoder:
    """A fully connected autoencoder: ``n → hidden → k → reversed(hidden) → n``.

    The engine's :class:`~widgets.engine.MLPRegressor` with
    ``hidden_layer_sizes = (*hidden, bottleneck, *reversed(hidden))``, fitted with the
    data as input and target. Every hidden layer, the bottleneck included, uses
    ``activation``; the output is linear. Training minimises (scikit-learn's squared
    loss, ``K`` the number of pixels)

    .. math:: J = \\frac{1}{2nK}\\sum_{i=1}^{n}\\lVert x_i - d(e(x_i))\\rVert^2
              + \\frac{\\alpha}{2n}\\sum W^2

    for exactly ``max_iter`` epochs (no early stop: ``tol=0``).

    Parameters
    ----------
    bottleneck : int, default=2
        Units ``k`` of the code.
    hidden : tuple of int, default=(32,)
        Encoder's hidden layers (the decoder mirrors them); ``()`` for the shallowest
        autoencoder ``n → k → n``.
    activation : {"identity", "logistic", "tanh", "relu", "leaky_relu"}, default="tanh"
        Hidden units' activation; ``"identity"`` makes the autoencoder linear.
    solver : {"adam", "lbfgs", "sgd", ...}, default="adam"
        As :class:`~widgets.engine.MLPRegressor`.
    learning_rate_init : float, default=0.01
    max_iter : int, default=150
        Epochs (iterations for lbfgs).
    alpha : float, default=1e-4
        L2 penalty.
    random_state : int, default=0
        Seed of the initial weights and of the mini-batches.

    Attributes
    ----------
    regressor_ : MLPRegressor
        The fitted network.
    layer_sizes_ : list of int
        Units per layer, input and output included.
    """

    def __init__(
        self,
        bottleneck=2,
        hidden=(32,),
        activation="tanh",
        solver="adam",
        learning_rate_init=0.01,
        max_iter=150,
        alpha=1e-4,
        random_state=0,
    ):
        self.bottleneck = check_integer(bottleneck, "bottleneck", low=1)
        if not isinstance(hidden, (tuple, list)):
            raise TypeError(
                f"hidden must be a tuple of layer sizes, e.g. (32,); got {hidden!r} "
                f"of type {type(hidden).__name__}."
            )
        self.hidden = tuple(
            check_integer(units, f"hidden[{i}]", low=1) for i, units in enumerate(hidden)
        )
        self.activation = check_choice(activation, HIDDEN_ACTIVATIONS, "activation")
        self.solver = check_choice(
            solver, ("adam", "lbfgs", "sgd", "rprop", "adagrad", "rmsprop"), "solver"
        )
        self.learning_rate_init = check_number(
            learning_rate_init, "learning_rate_init", low=0, low_inclusive=False
        )
        self.max_iter = check_integer(max_iter, "max_iter", low=1)
        self.alpha = check_number(alpha, "alpha", low=0)
        self.random_state = check_integer(random_state, "random_state", low=0)

    # ------------------------------------------------------------------ training

    @property
    def hidden_layer_sizes(self):
        """``(*hidden, bottleneck, *reversed(hidden))``: every layer between input and output."""
        return (*self.hidden, self.bottleneck, *reversed(self.hidden))

    def fit(self, X):
        """Train the network to reproduce ``X`` (n_samples, n_features); return self.

        Raises :class:`~widgets.engine.DivergenceError` (a ``ValueError``) if the loss
        stops being finite.
        """
        X = check_matrix(X, "X")
        if X.shape[1] <= self.bottleneck:
            raise ValueError(
                f"bottleneck must be smaller than the number of inputs, {X.shape[1]}; "
                f"got {self.bottleneck}."
            )
        regressor = MLPRegressor(
            hidden_layer_sizes=self.hidden_layer_sizes,
            activation=self.activation,
            solver=self.solver,
            learning_rate_init=self.learning_rate_init,
            max_iter=self.max_iter,
            alpha=self.alpha,
            tol=0.0,
            n_iter_no_change=self.max_iter + 1,
            random_state=self.random_state,
        )
        # One BLAS thread: these matrices are small, and the course shares two cores.
        with warnings.catch_warnings(), threadpool_limits(1):
            # A fixed number of epochs is the point here, not a failure to converge.
            warnings.simplefilter("ignore", ConvergenceWarning)
            regressor.fit(X, X)
        self.regressor_ = regressor
        self.layer_sizes_ = [X.shape[1], *self.hidden_layer_sizes, X.shape[1]]
        return self

    def _fitted(self):
        if not hasattr(self, "regressor_"):
            raise NotFittedError("This Autoencoder is not fitted yet: call fit(X) first.")
        return self.regressor_

    @property
    def loss_curve_(self):
        """Training loss ``J`` after each epoch (or lbfgs iteration)."""
        return list(self._fitted().history_["loss"])

    # ------------------------------------------------------------------ the two halves

    @property
    def _n_encoder_layers(self):
        return len(self.hidden) + 1  # weight layers from the input to the bottleneck

    def encode(self, X):
        """The code ``z = e(x)``: the bottleneck's activations, shape (n_samples, k).

        The fitted network's own forward pass (the one ``predict`` runs) over its first
        ``len(hidden) + 1`` layers, with the weights it holds (not a copy):
        ``a_0 = X``, ``a_l = f(a_{l-1} W_l + b_l)`` up to the bottleneck.
        """
        regressor = self._fitted()
        X = check_matrix(X, "X", n_columns=self.layer_sizes_[0])
        m = self._n_encoder_layers
        f = HIDDEN_ACTIVATIONS[self.activation]
        return forward_pass(X, regressor.coefs_[:m], regressor.intercepts_[:m], f, f)

    def decode(self, Z):
        """The reconstruction ``x_hat = d(z)`` from codes ``Z`` (n_samples, k).

        The rest of the network's forward pass: hidden layers with ``activation``, a
        linear output, shape (n_samples, n_features).
        """
        regressor = self._fitted()
        Z = check_matrix(Z, "Z", n_columns=self.bottleneck)
        m = self._n_encoder_layers
        return forward_pass(
            Z,
            regressor.coefs_[m:],
            regressor.intercepts_[m:],
            HIDDEN_ACTIVATIONS[self.activation],
            OUTPUT_ACTIVATIONS["identity"],
        )

    def reconstruct(self, X):
        """``d(e(x))``: the fitted network's prediction for ``X``."""
        self._fitted()
        X = check_matrix(X, "X", n_columns=self.layer_sizes_[0])
        return self.regressor_.predict(X)

    def error(self, X):
        """Reconstruction error per pixel of ``X``: ``mean (X - d(e(X)))^2``."""
        X = check_matrix(X, "X", n_columns=self._fitted().n_features_in_)
        return reconstruction_error(X, self.reconstruct(X))

    def loss_and_gradients(self, X):
        """The training objective ``J`` at the current weights and its gradients.

        Computed by :meth:`widgets.engine.Network.loss_and_gradients` (back-propagation)
        on a network holding a copy of the fitted weights, with target ``X``.

        Returns
        -------
        loss : float
        coef_grads, intercept_grads : list of ndarray
            ``dJ/dW_l`` and ``dJ/db_l`` for every layer.
        """
        regressor = self._fitted()
        X = check_matrix(X, "X", n_columns=self.layer_sizes_[0])
        network = Network(self.layer_sizes_, activation=self.activation, output="identity")
        network.coefs = regressor.coefs_
        network.intercepts = regressor.intercepts_
        return network.loss_and_gradients(X, X, l2=self.alpha)

    def __repr__(self):
        return (
            f"Autoencoder(bottleneck={self.bottleneck}, hidden={self.hidden}, "
            f"activation={self.activation!r}, random_state={self.random_state})"
        )


def autoencoder_parameter_count(bottleneck=2, hidden=(32,), n_inputs=64, biases=True):
    """Weights (and biases) of the autoencoder ``n → hidden → k → reversed(hidden) → n``.

    :func:`widgets.engine.count_parameters` of its layer sizes: for the default
    64 → 32 → 2 → 32 → 64, ``2 · (64·32 + 32·2)`` weights plus ``32 + 2 + 32 + 64`` biases.
    """
    bottleneck = check_integer(bottleneck, "bottleneck", low=1)
    n_inputs = check_integer(n_inputs, "n_inputs", low=1)
    if not isinstance(hidden, (tuple, list)):
        raise TypeError(f"hidden must be a tuple of layer sizes; got {type(hidden).__name__}.")
    hidden = [check_integer(units, "hidden", low=1) for units in hidden]
    sizes = [n_inputs, *hidden, bottleneck, *reversed(hidden), n_inputs]
    return count_parameters(sizes, biases=biases)


# ---------------------------------------------------------------------- comparison


@dataclass(frozen=True)
class ErrorTable:
    """Held-out reconstruction error per pixel against the bottleneck size.

    ``autoencoder[i, j]``: size ``sizes[i]``, seed ``seeds[j]``; ``pca[i]``: PCA with
    ``sizes[i]`` components (no seed: PCA is deterministic).
    """

    sizes: tuple
    seeds: tuple
    autoencoder: np.ndarray
    pca: np.ndarray

    @property
    def wins(self):
        """Per size: on how many seeds the autoencoder's error is below PCA's."""
        return (self.autoencoder < self.pca[:, None]).sum(axis=1)

    def rows(self):
        """One text line per size: mean, min and max over seeds, PCA, wins."""
        lines = ["   k   autoencoder mean (min-max)   PCA      AE < PCA"]
        for k, errors, pca, wins in zip(self.sizes, self.autoencoder, self.pca, self.wins):
            lines.append(
                f"{k:4d}   {errors.mean():.4f} ({errors.min():.4f}-{errors.max():.4f})"
                f"      {pca:.4f}   {wins} of {len(self.seeds)} seeds"
            )
        return lines


def compare_with_pca(data, sizes=BOTTLENECK_SIZES, seeds=(0, 1, 2), **autoencoder_options):
    """Train an :class:`Autoencoder` per size and seed; test errors against PCA's.

    Parameters
    ----------
    data : DigitSplit
        Training rows fit both models; errors are measured on ``data.X_test``.
    sizes : sequence of int
        Bottleneck sizes ``k`` (PCA components).
    seeds : sequence of int
        ``random_state`` of each autoencoder.
    **autoencoder_options
        Passed to :class:`Autoencoder`.

    Returns
    -------
    ErrorTable
    """
    if not isinstance(data, DigitSplit):
        raise TypeError(f"data must be a DigitSplit; got {type(data).__name__}.")
    sizes = tuple(check_integer(k, "sizes", low=1) for k in sizes)
    seeds = tuple(check_integer(s, "seeds", low=0) for s in seeds)
    if not sizes or not seeds:
        raise ValueError("sizes and seeds must each name at least one value.")
    autoencoder = np.array(
        [
            [
                Autoencoder(k, random_state=seed, **autoencoder_options)
                .fit(data.X_train)
                .error(data.X_test)
                for seed in seeds
            ]
            for k in sizes
        ]
    )
    pca = np.array([pca_error(data.X_train, data.X_test, k) for k in sizes])
    return ErrorTable(sizes, seeds, autoencoder, pca)
