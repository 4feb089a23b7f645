"""scikit-learn estimators trained by the engine: MLPClassifier, MLPRegressor.

They accept every constructor parameter of ``sklearn.neural_network``'s
classes, with the same defaults and meaning, and reproduce scikit-learn's
training exactly: same initial weights, same use of the random state
(initialisation, then the early-stopping split, then one shuffle per epoch),
same mini-batches, same update arithmetic, same stopping rules. With the
extras below at their defaults, the same arguments and ``random_state`` give
the same ``loss_curve_``, ``coefs_`` and predictions as scikit-learn.

Extras that the lecture needs and scikit-learn lacks:

- ``l1``: L1 penalty ``l1 * sum|W| / n`` added to the loss (``alpha`` is L2);
  the stochastic solvers drive weights to exactly zero (OWL-QN's rule, see
  :mod:`widgets.engine.regularizers`), lbfgs only to small values;
- ``dropout``: inverted dropout on the hidden units during training: each
  hidden activation is kept with probability ``1 - dropout`` and then
  divided by ``1 - dropout`` (so prediction needs no rescaling);
- ``activation="leaky_relu"``;
- ``init`` and ``init_scale``: initial weights (see :class:`Network`);
- ``solver`` in ``{"rprop", "adagrad", "rmsprop"}``, with learning rate
  ``learning_rate_init`` and other hyperparameters in ``solver_options``;
- ``history_``: per-epoch training loss, learning rate and (with
  ``early_stopping``) validation loss and score, for plotting.

Speed: the training loop (:mod:`widgets.engine.training`) works on one flat
parameter vector and reuses preallocated batch buffers (see
:mod:`widgets.engine._fast`), so a mini-batch costs a few dozen NumPy calls
and no allocation.
"""

import warnings
from numbers import Integral, Real

import numpy as np
import scipy.optimize
import scipy.sparse as sp
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    RegressorMixin,
    _fit_context,
    is_classifier,
)
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils import check_random_state, column_or_1d
from sklearn.utils._param_validation import Interval, Options, StrOptions
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import (
    _check_partial_fit_first_call,
    type_of_target,
    unique_labels,
)
from sklearn.utils.validation import (
    _check_sample_weight,
    _num_samples,
    check_is_fitted,
    validate_data,
)

from ._fast import FastPath, forward_pass
from .activations import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from .exceptions import DivergenceError
from .initializers import INITIALIZERS
from .network import Network
from .optimizers import SGD, Adam, hyperparameter_names, make_optimizer
from .training import MiniBatchTrainer
from .validation import check_layer_sizes

__all__ = ["MLPClassifier", "MLPRegressor"]

_STOCHASTIC_SOLVERS = ("sgd", "adam", "rprop", "adagrad", "rmsprop")
#: Solvers configured through ``solver_options`` (the others have named
#: constructor parameters, as in scikit-learn).
_OPTION_SOLVERS = ("rprop", "adagrad", "rmsprop")


class BaseMultilayerPerceptron(BaseEstimator):
    """Common training code of :class:`MLPClassifier` and :class:`MLPRegressor`.

    Not for direct use. Fitted attributes shared by both estimators:

    Attributes
    ----------
    coefs_ : list of ndarray of shape (n_in, n_out)
        Weight matrix of each layer.
    intercepts_ : list of ndarray of shape (n_out,)
        Bias vector of each layer.
    loss_ : float
        Loss at the end of training (mean of the last epoch's batch losses).
    loss_curve_ : list of float
        ``loss_`` after each epoch (stochastic solvers).
    best_loss_ : float or None
        Minimum of ``loss_curve_`` (None with early stopping).
    validation_scores_ : list of float or None
        Validation accuracy / R² after each epoch (early stopping only).
    best_validation_score_ : float or None
        Best of ``validation_scores_``.
    history_ : dict of lists
        Per epoch: ``"loss"`` (training loss, as ``loss_curve_``),
        ``"learning_rate"`` (optimizer's rate after the epoch) and, with
        early stopping, ``"val_loss"`` (data loss on the validation split,
        without penalty) and ``"val_score"`` (as ``validation_scores_``).
        With ``lbfgs``: ``"loss"`` per iteration.
    t_ : int
        Number of training samples seen.
    n_iter_ : int
        Number of epochs (iterations for lbfgs).
    n_layers_ : int
        Number of layers, input and output included.
    n_outputs_ : int
        Number of output units.
    out_activation_ : str
        Output activation: ``"softmax"``, ``"logistic"``, ``"identity"``
        or ``"exp"``.
    n_features_in_ : int
        Number of features seen during fit.
    """

    _parameter_constraints: dict = {
        "hidden_layer_sizes": ["array-like", Interval(Integral, 1, None, closed="left")],
        "activation": [StrOptions(set(HIDDEN_ACTIVATIONS))],
        "solver": [StrOptions({"lbfgs", *_STOCHASTIC_SOLVERS})],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "batch_size": [StrOptions({"auto"}), Interval(Integral, 1, None, closed="left")],
        "learning_rate": [StrOptions({"constant", "invscaling", "adaptive"})],
        "learning_rate_init": [Interval(Real, 0, None, closed="neither")],
        "power_t": [Interval(Real, 0, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "shuffle": ["boolean"],
        "random_state": ["random_state"],
        "tol": [Interval(Real, 0, None, closed="left")],
        "verbose": ["verbose"],
        "warm_start": ["boolean"],
        "momentum": [Interval(Real, 0, 1, closed="both")],
        "nesterovs_momentum": ["boolean"],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="left")],
        "beta_1": [Interval(Real, 0, 1, closed="left")],
        "beta_2": [Interval(Real, 0, 1, closed="left")],
        "epsilon": [Interval(Real, 0, None, closed="neither")],
        "n_iter_no_change": [
            Interval(Integral, 1, None, closed="left"),
            Options(Real, {np.inf}),
        ],
        "max_fun": [Interval(Integral, 1, None, closed="left")],
        "l1": [Interval(Real, 0, None, closed="left")],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "init": [StrOptions(set(INITIALIZERS))],
        "init_scale": [Interval(Real, 0, None, closed="left")],
        "solver_options": [dict, None],
    }

    def __init__(self, **params):
        # The concrete classes spell out their signatures (scikit-learn's
        # get_params reads them); storing the values is shared here.
        for name, value in params.items():
            setattr(self, name, value)

    # ------------------------------------------------------------------
    # Prediction
    # ------------------------------------------------------------------

    def _forward_pass_fast(self, X, check_input=True):
        """Output layer activations for ``X`` using ``coefs_``/``intercepts_``."""
        if check_input:
            X = _validate_data_naming_X(self, X, accept_sparse=["csr", "csc"], reset=False)
        return forward_pass(
            X,
            self.coefs_,
            self.intercepts_,
            HIDDEN_ACTIVATIONS[self.activation],
            OUTPUT_ACTIVATIONS[self.out_activation_],
        )

    # ------------------------------------------------------------------
    # Fitting
    # ------------------------------------------------------------------

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the model to data matrix X and target(s) y.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The input data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Class labels (classification) or real values (regression).
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.

        Returns
        -------
        self : object
            The trained model.

        Raises
        ------
        DivergenceError
            If the loss becomes NaN or infinite (the message gives the epoch).
        """
        return self._fit(X, y, sample_weight=sample_weight, incremental=False)

    def _check_solver(self):
        if self.solver not in _STOCHASTIC_SOLVERS:
            raise AttributeError(
                "partial_fit is only available for stochastic optimizers. "
                f"{self.solver} is not stochastic."
            )
        return True

    def _check_extras(self):
        """Check the arguments scikit-learn's own constraints cannot express."""
        hidden_layer_sizes = check_layer_sizes(
            self.hidden_layer_sizes, "hidden_layer_sizes", min_length=0
        )
        if self.dropout > 0 and self.solver == "lbfgs":
            raise ValueError(
                "dropout requires a stochastic solver (sgd, adam, rprop, adagrad, "
                f"rmsprop); got solver='lbfgs' with dropout={self.dropout}."
            )
        options = self.solver_options or {}
        if options and self.solver not in _OPTION_SOLVERS:
            raise ValueError(
                f"solver_options is only used by the solvers {list(_OPTION_SOLVERS)}; "
                f"solver={self.solver!r} is configured by its own parameters "
                "(learning_rate_init, momentum, beta_1, ...)."
            )
        if options:
            accepted = [n for n in hyperparameter_names(self.solver) if n != "lr"]
            for key in options:
                if key not in accepted:
                    raise ValueError(
                        f"solver_options for solver={self.solver!r} accepts "
                        f"{accepted} (the learning rate is learning_rate_init); "
                        f"got {key!r}."
                    )
        return hidden_layer_sizes

    def _fit(self, X, y, sample_weight=None, incremental=False):
        hidden_layer_sizes = self._check_extras()
        first_pass = not hasattr(self, "coefs_") or (not self.warm_start and not incremental)
        _check_same_length(X, y, sample_weight)
        X, y = self._validate_input(X, y, incremental, reset=first_pass)
        n_samples, n_features = X.shape
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X)
        if y.ndim == 1:
            y = y.reshape((-1, 1))
        self.n_outputs_ = y.shape[1]
        if y.dtype != bool:
            # Regression targets in the computation dtype. (A classifier's
            # 0/1 indicators stay boolean, 8 times smaller, as in
            # scikit-learn; batches are converted as they are gathered.)
            y = np.ascontiguousarray(y, dtype=X.dtype)
        layer_units = [n_features] + hidden_layer_sizes + [self.n_outputs_]

        self._random_state = check_random_state(self.random_state)
        if first_pass:
            self._initialize(y, layer_units, X.dtype)
        else:
            self._attach_network(layer_units, X.dtype)

        # Divergence shows up as overflow warnings before the loss becomes
        # NaN; the DivergenceError raised below explains it instead.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            if self.solver in _STOCHASTIC_SOLVERS:
                self._fit_stochastic(X, y, sample_weight, incremental)
            else:
                self._fit_lbfgs(X, y, sample_weight)

        if not np.isfinite(self._network.params).all():
            raise DivergenceError(
                f"Training diverged at epoch {self.n_iter_}: the solver produced "
                "non-finite weights. Scale the inputs or lower learning_rate_init.",
                epoch=self.n_iter_,
            )
        return self

    def _output_activation_name(self):
        raise NotImplementedError

    def _data_loss_scale(self):
        # scikit-learn reports the squared error averaged over outputs while
        # back-propagating the sum over outputs; the network computes the sum.
        if self.out_activation_ == "identity" and self.n_outputs_ > 1:
            return 1.0 / self.n_outputs_
        return 1.0

    def _initialize(self, y, layer_units, dtype):
        """Create the network and reset every fitted attribute (first fit)."""
        self.n_iter_ = 0
        self.t_ = 0
        self.n_outputs_ = y.shape[1]
        self.n_layers_ = len(layer_units)
        self.out_activation_ = self._output_activation_name()
        self._network = Network(
            layer_units,
            activation=self.activation,
            output=self.out_activation_,
            init=self.init,
            init_scale=self.init_scale,
            random_state=self._random_state,
            dtype=dtype,
        )
        self._expose_parameters()
        self._best_params = self._network.params.copy()

        if self.solver in _STOCHASTIC_SOLVERS:
            self.loss_curve_ = []
            self._no_improvement_count = 0
            if self.early_stopping:
                self.validation_scores_ = []
                self.best_validation_score_ = -np.inf
                self.best_loss_ = None
            else:
                self.best_loss_ = np.inf
                self.validation_scores_ = None
                self.best_validation_score_ = None
        self.history_ = {"loss": []}
        if self.solver in _STOCHASTIC_SOLVERS:
            self.history_["learning_rate"] = []
            if self.early_stopping:
                self.history_["val_loss"] = []
                self.history_["val_score"] = []

    def _record(self, key, value):
        # setdefault: a warm start may add a validation split to a model
        # first fitted without one.
        self.history_.setdefault(key, []).append(value)

    def _expose_parameters(self):
        # coefs_ and intercepts_ are views into the network's flat vector:
        # training updates them in place, as scikit-learn's do.
        self.coefs_ = list(self._network.coefs)
        self.intercepts_ = list(self._network.intercepts)

    def _attach_network(self, layer_units, dtype):
        """Continue training (warm_start, partial_fit) from ``coefs_``.

        The user may have replaced ``coefs_``/``intercepts_`` (or the model
        may come from a pickle, where they are copies): their values are
        copied into the network's parameter vector.
        """
        network = getattr(self, "_network", None)
        if (
            network is None
            or network.layer_sizes != list(layer_units)
            or (network.dtype != dtype or network.activation != self.activation)
        ):
            shapes = [c.shape for c in self.coefs_]
            expected = list(zip(layer_units[:-1], layer_units[1:]))
            if shapes != expected:
                raise ValueError(
                    "warm_start / partial_fit needs the same layer sizes as the "
                    f"previous fit: coefs_ have shapes {shapes}, the data and "
                    f"hidden_layer_sizes imply {expected}."
                )
            network = Network(
                layer_units,
                activation=self.activation,
                output=self.out_activation_,
                init="zeros",
                dtype=dtype,
            )
            self._network = network
            # The optimizer state belongs to the old parameter vector.
            self.__dict__.pop("_optimizer", None)
        for view, value in zip(
            list(network.coefs) + list(network.intercepts), self.coefs_ + self.intercepts_
        ):
            if value is not view:
                view[...] = value
        self._expose_parameters()

    def _make_optimizer(self, params):
        if self.solver == "sgd":
            return SGD(
                params,
                lr=self.learning_rate_init,
                momentum=self.momentum,
                nesterov=self.nesterovs_momentum,
                lr_schedule=self.learning_rate,
                power_t=self.power_t,
            )
        if self.solver == "adam":
            return Adam(
                params,
                lr=self.learning_rate_init,
                betas=(self.beta_1, self.beta_2),
                eps=self.epsilon,
            )
        try:
            return make_optimizer(
                self.solver, params, lr=self.learning_rate_init, **(self.solver_options or {})
            )
        except (TypeError, ValueError) as error:
            raise type(error)(f"solver_options: {error}") from None

    def _split_for_early_stopping(self, X, y, sample_weight):
        # Stratify on the binarised labels as scikit-learn does (binary only:
        # multiclass and multilabel targets have several columns).
        should_stratify = is_classifier(self) and self.n_outputs_ == 1
        stratify = y if should_stratify else None
        arrays = (X, y) if sample_weight is None else (X, y, sample_weight)
        parts = train_test_split(
            *arrays,
            random_state=self._random_state,
            test_size=self.validation_fraction,
            stratify=stratify,
        )
        X_train, X_val, y_train, y_val = parts[:4]
        sw_train, sw_val = (parts[4], parts[5]) if sample_weight is not None else (None, None)
        if X_val.shape[0] < 2:
            raise ValueError(
                "The validation set is too small. Increase 'validation_fraction' "
                "or the size of your dataset."
            )
        return X_train, X_val, y_train, y_val, sw_train, sw_val

    def _resolve_batch_size(self, n_samples):
        if self.batch_size == "auto":
            return min(200, n_samples)
        if self.batch_size > n_samples:
            warnings.warn(
                "Got `batch_size` less than 1 or larger than sample size. "
                "It is going to be clipped",
                stacklevel=2,
            )
        return int(np.clip(self.batch_size, 1, n_samples))

    def _fit_stochastic(self, X, y, sample_weight, incremental):
        network = self._network
        params = [network.params]
        if not incremental or not hasattr(self, "_optimizer"):
            self._optimizer = self._make_optimizer(params)
        optimizer = self._optimizer

        early_stopping = self.early_stopping
        if early_stopping and incremental:
            raise ValueError("partial_fit does not support early_stopping=True")
        if early_stopping:
            X_train, X_val, y_train, Y_val, sw_train, sw_val = self._split_for_early_stopping(
                X, y, sample_weight
            )
            Y_val = Y_val.astype(network.dtype)
        else:
            X_train, y_train, sw_train = X, y, sample_weight
            X_val = Y_val = sw_val = None

        n_samples = X_train.shape[0]
        trainer = MiniBatchTrainer(
            network,
            optimizer,
            X_train,
            y_train,
            sw_train,
            batch_size=self._resolve_batch_size(n_samples),
            shuffle=self.shuffle,
            random_state=self._random_state,
            l1=self.l1,
            l2=self.alpha,
            dropout=self.dropout,
            data_loss_scale=self._data_loss_scale(),
            hard_targets=is_classifier(self),
        )

        try:
            # As in scikit-learn, n_iter_ counts the epochs of this call only
            # (t_ and loss_curve_ keep growing across partial_fit/warm_start).
            self.n_iter_ = 0
            for _ in range(self.max_iter):
                epoch_loss = trainer.run_epoch()
                self.n_iter_ += 1
                self.loss_ = epoch_loss
                if not np.isfinite(self.loss_):
                    raise DivergenceError(
                        f"Training diverged at epoch {self.n_iter_}: the loss became "
                        f"{self.loss_}. Lower learning_rate_init or scale the inputs.",
                        epoch=self.n_iter_,
                        loss=float(self.loss_),
                    )

                self.t_ += n_samples
                self.loss_curve_.append(self.loss_)
                self._record("loss", self.loss_)
                self._record("learning_rate", optimizer.learning_rate)
                if self.verbose:
                    print(f"Iteration {self.n_iter_}, loss = {self.loss_:.8f}")

                self._update_no_improvement_count(early_stopping, X_val, Y_val, sw_val)
                # Learning-rate schedules act at the end of an epoch.
                optimizer.iteration_ends(self.t_)

                if self._no_improvement_count > self.n_iter_no_change:
                    if early_stopping:
                        message = (
                            "Validation score did not improve more than "
                            f"tol={self.tol:f} for {self.n_iter_no_change} consecutive epochs."
                        )
                    else:
                        message = (
                            f"Training loss did not improve more than tol={self.tol:f}"
                            f" for {self.n_iter_no_change} consecutive epochs."
                        )
                    if optimizer.trigger_stopping(message, self.verbose):
                        break
                    self._no_improvement_count = 0

                if incremental:
                    break

                if self.n_iter_ == self.max_iter:
                    warnings.warn(
                        f"Stochastic Optimizer: Maximum iterations ({self.max_iter}) "
                        "reached and the optimization hasn't converged yet.",
                        ConvergenceWarning,
                        stacklevel=2,
                    )
        except KeyboardInterrupt:
            warnings.warn("Training interrupted by user.", stacklevel=2)

        if early_stopping:
            # Restore the parameters of the best validation score.
            np.copyto(network.params, self._best_params)

    def _update_no_improvement_count(self, early_stopping, X_val, Y_val, sw_val):
        if early_stopping:
            output = self._forward_pass_fast(X_val, check_input=False)
            self._record(
                "val_loss",
                float(self._network.data_loss(Y_val, output, sw_val) * self._data_loss_scale()),
            )
            val_score = self._validation_score(output, Y_val, sw_val)
            self.validation_scores_.append(val_score)
            self._record("val_score", val_score)
            if self.verbose:
                print(f"Validation score: {self.validation_scores_[-1]:f}")

            # Improvement is judged on the validation score, not the loss.
            last_valid_score = self.validation_scores_[-1]
            if last_valid_score < (self.best_validation_score_ + self.tol):
                self._no_improvement_count += 1
            else:
                self._no_improvement_count = 0
            if last_valid_score > self.best_validation_score_:
                self.best_validation_score_ = last_valid_score
                np.copyto(self._best_params, self._network.params)
        else:
            if self.loss_curve_[-1] > self.best_loss_ - self.tol:
                self._no_improvement_count += 1
            else:
                self._no_improvement_count = 0
            if self.loss_curve_[-1] < self.best_loss_:
                self.best_loss_ = self.loss_curve_[-1]

    def _fit_lbfgs(self, X, y, sample_weight):
        network = self._network
        y = y.astype(network.dtype, copy=False)
        fast = FastPath(network)
        workspace = fast.workspace(X.shape[0])
        data_loss_scale = self._data_loss_scale()
        l1, l2 = self.l1, self.alpha

        def loss_and_gradient(packed_parameters):
            np.copyto(network.params, packed_parameters)
            loss = fast.backprop(
                X, y, workspace, l1, l2, sample_weight, None, data_loss_scale, is_classifier(self)
            )
            return loss, network.grads.copy()

        def record(intermediate_result):
            self._record("loss", float(intermediate_result.fun))

        result = scipy.optimize.minimize(
            loss_and_gradient,
            network.params.copy(),
            method="L-BFGS-B",
            jac=True,
            options={"maxfun": self.max_fun, "maxiter": self.max_iter, "gtol": self.tol},
            callback=record,
        )
        self.n_iter_ = min(result.nit, self.max_iter)
        if result.status != 0:
            message = (
                f"lbfgs failed to converge after {self.n_iter_} iteration(s) "
                f"(status={result.status}):\n{result.message}\n"
            )
            if self.n_iter_ == self.max_iter:
                message += (
                    "\nIncrease the number of iterations to improve the "
                    f"convergence (max_iter={self.max_iter})."
                )
            warnings.warn(message, ConvergenceWarning, stacklevel=2)
        self.loss_ = result.fun
        if not np.isfinite(self.loss_):
            raise DivergenceError(
                f"Training diverged at iteration {self.n_iter_}: the loss became "
                f"{self.loss_}. Scale the inputs or increase alpha.",
                epoch=self.n_iter_,
                loss=float(self.loss_),
            )
        np.copyto(network.params, result.x)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags


# scikit-learn's messages for these problems describe the array but do not
# say which argument it was: prefix them.
_UNNAMED_INPUT_ERRORS = (
    "Expected 2D array",
    "Found array with 0",
    "could not convert",
    "argument must be",
)


def _validate_data_naming_X(estimator, X, y="no_validation", **kwargs):
    """``validate_data`` whose errors about X say that they are about X."""
    try:
        return validate_data(estimator, X, y, **kwargs)
    except (TypeError, ValueError) as error:
        message = str(error)
        if not message.startswith(_UNNAMED_INPUT_ERRORS):
            raise
        if message.startswith(("could not convert", "argument must be")) and (
            _converts_to_float(X)
        ):
            raise type(error)(f"y must contain numbers: {message}") from error
        raise type(error)(
            f"X must be a non-empty 2-D array of numbers, shape (n_samples, n_features): {message}"
        ) from error


def _converts_to_float(values):
    if sp.issparse(values):
        return True
    try:
        np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        return False
    return True


def _binarize_labels(binarizer, y):
    """``binarizer.transform(y).astype(bool)``, built without the int matrix.

    scikit-learn's MLP stores its targets this way. For binary and multiclass
    labels the indicator matrix is made directly as booleans, so that fitting
    never holds an (n_samples, n_classes) integer matrix (8 times larger).
    """
    classes = binarizer.classes_
    if (
        binarizer.y_type_ not in ("binary", "multiclass")
        or len(classes) < 2
        or (binarizer.sparse_output)
    ):
        return binarizer.transform(y).astype(bool)
    positions = np.searchsorted(classes, y)
    if binarizer.y_type_ == "binary" and len(classes) == 2:
        # One column: is the label the second (positive) class?
        indicator = np.equal(positions, 1).reshape(-1, 1)
    else:
        indicator = np.equal(positions[:, np.newaxis], np.arange(len(classes)))
    return indicator


def _check_same_length(X, y, sample_weight):
    """Name the arguments when X, y (and sample_weight) disagree in length."""
    try:
        lengths = {"X": _num_samples(X), "y": _num_samples(y)}
        if sample_weight is not None and not np.isscalar(sample_weight):
            lengths["sample_weight"] = _num_samples(sample_weight)
    except TypeError:
        return  # not array-like: validate_data explains it
    if len(set(lengths.values())) > 1:
        described = ", ".join(f"{name} has {n}" for name, n in lengths.items())
        raise ValueError(
            f"X, y and sample_weight must have the same number of samples; {described}."
        )


_SHARED_PARAMETERS_DOC = """
    hidden_layer_sizes : array-like of shape (n_layers - 2,), default=(100,)
        Number of units of each hidden layer.
    activation : {"identity", "logistic", "tanh", "relu", "leaky_relu"}, \
default="relu"
        Hidden activation. ``leaky_relu`` (slope 0.01 below 0) is an extra.
    solver : {"lbfgs", "sgd", "adam", "rprop", "adagrad", "rmsprop"}, \
default="adam"
        Weight optimisation (see :mod:`widgets.engine.optimizers`);
        ``rprop``, ``adagrad``, ``rmsprop`` are extras.
    alpha : float, default=0.0001
        L2 penalty strength: ``alpha/2 * sum(W**2) / n`` is added to the loss.
    batch_size : int or "auto", default="auto"
        Mini-batch size; "auto" is ``min(200, n_samples)``.
    learning_rate : {"constant", "invscaling", "adaptive"}, default="constant"
        Schedule of the sgd learning rate: ``invscaling`` uses
        ``learning_rate_init / (t + 1) ** power_t`` after each epoch (``t``
        samples seen); ``adaptive`` divides the rate by 5 whenever the loss
        (or validation score) fails to improve by ``tol`` for
        ``n_iter_no_change`` epochs.
    learning_rate_init : float, default=0.001
        Initial learning rate of every stochastic solver (Rprop: initial
        step size).
    power_t : float, default=0.5
        Exponent of the ``invscaling`` schedule.
    max_iter : int, default=200
        Maximum number of epochs (iterations for lbfgs).
    shuffle : bool, default=True
        Reshuffle the samples before each epoch.
    random_state : int, RandomState instance or None, default=None
        Seeds initialisation, early-stopping split, shuffling and dropout.
    tol : float, default=1e-4
        Improvement below which an epoch counts as "no improvement".
    verbose : bool, default=False
        Print progress.
    warm_start : bool, default=False
        Continue from the previous fit's weights.
    momentum : float, default=0.9
        Momentum of sgd.
    nesterovs_momentum : bool, default=True
        Nesterov's momentum for sgd.
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the data and stop when the
        validation score stops improving; the best weights are kept.
    validation_fraction : float, default=0.1
        Size of the validation split.
    beta_1, beta_2 : float, default=0.9, 0.999
        Adam's moment decay rates.
    epsilon : float, default=1e-8
        Adam's numerical-stability constant.
    n_iter_no_change : int, default=10
        Epochs without improvement before stopping (or dividing the rate).
    max_fun : int, default=15000
        Maximum number of loss evaluations (lbfgs only).
    l1 : float, default=0.0
        L1 penalty strength: ``l1 * sum|W| / n`` is added to the loss. With a
        stochastic solver a step never carries a weight across zero (it stops
        at exactly 0), so unneeded weights become exact zeros; see
        :mod:`widgets.engine.regularizers`.
    dropout : float in [0, 1), default=0.0
        Probability of dropping each hidden unit during training (inverted
        dropout); stochastic solvers only.
    init : {"glorot", "he", "zeros", "constant", "normal", "uniform"}, \
default="glorot"
        Initial weights (see :class:`widgets.engine.Network`); "glorot" is
        scikit-learn's rule.
    init_scale : float, default=0.1
        Value / standard deviation / half-width for the "constant",
        "normal" and "uniform" initialisations.
    solver_options : dict or None, default=None
        Hyperparameters of rprop, adagrad or rmsprop other than the learning
        rate, with torch's names and defaults, e.g.
        ``{"etas": (0.5, 1.2), "step_sizes": (1e-6, 50)}`` (rprop),
        ``{"lr_decay": 0, "eps": 1e-10, "initial_accumulator_value": 0}``
        (adagrad), ``{"alpha": 0.99, "eps": 1e-8, "momentum": 0,
        "centered": False}`` (rmsprop).
"""


class MLPClassifier(ClassifierMixin, BaseMultilayerPerceptron):
    __doc__ = (
        """Multi-layer perceptron classifier (scikit-learn compatible).

    Minimises the cross-entropy (binary for two classes or multilabel
    targets, with a logistic output; categorical with a softmax output
    otherwise) plus the L2 (``alpha``) and L1 (``l1``) penalties.

    Parameters
    ----------"""
        + _SHARED_PARAMETERS_DOC
        + """
    Attributes
    ----------
    classes_ : ndarray or list of ndarray
        Class labels.
    coefs_, intercepts_, loss_, loss_curve_, best_loss_, validation_scores_, \
best_validation_score_, history_, t_, n_iter_, n_layers_, n_outputs_, \
out_activation_, n_features_in_
        See :class:`BaseMultilayerPerceptron`.

    Examples
    --------
    >>> from sklearn.datasets import make_moons
    >>> X, y = make_moons(100, noise=0.1, random_state=0)
    >>> clf = MLPClassifier((8,), solver="sgd", random_state=0, max_iter=50)
    >>> clf.fit(X, y).score(X, y) > 0.8  # doctest: +SKIP
    True
    """
    )

    def __init__(
        self,
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        solver="adam",
        alpha=0.0001,
        batch_size="auto",
        learning_rate="constant",
        learning_rate_init=0.001,
        power_t=0.5,
        max_iter=200,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        warm_start=False,
        momentum=0.9,
        nesterovs_momentum=True,
        early_stopping=False,
        validation_fraction=0.1,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        n_iter_no_change=10,
        max_fun=15000,
        l1=0.0,
        dropout=0.0,
        init="glorot",
        init_scale=0.1,
        solver_options=None,
    ):
        params = dict(locals())
        del params["self"], params["__class__"]
        super().__init__(**params)

    def _output_activation_name(self):
        if self._label_binarizer.y_type_ == "multiclass":
            return "softmax"
        return "logistic"  # binary and multilabel

    def _validate_input(self, X, y, incremental, reset):
        X, y = _validate_data_naming_X(
            self,
            X,
            y,
            accept_sparse=["csr", "csc"],
            multi_output=True,
            dtype=(np.float64, np.float32),
            reset=reset,
        )
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)

        # (Re)define classes_ on a fresh fit; otherwise check compatibility
        # with the classes seen before (warm_start, partial_fit).
        if (not hasattr(self, "classes_")) or (not self.warm_start and not incremental):
            self._label_binarizer = LabelBinarizer()
            self._label_binarizer.fit(y)
            self.classes_ = self._label_binarizer.classes_
            if self._label_binarizer.y_type_ in ("binary", "multiclass") and len(self.classes_) < 2:
                raise ValueError(
                    "y must contain at least 2 classes to train a classifier; got "
                    f"only one class: {self.classes_[0]}."
                )
        else:
            classes = unique_labels(y)
            if self.warm_start:
                if set(classes) != set(self.classes_):
                    raise ValueError(
                        "warm_start can only be used where `y` has the same "
                        "classes as in the previous call to fit. Previously "
                        f"got {self.classes_}, `y` has {classes}"
                    )
            elif len(np.setdiff1d(classes, self.classes_, assume_unique=True)):
                raise ValueError(
                    "`y` has classes not in `self.classes_`. "
                    f"`self.classes_` has {self.classes_}. 'y' has {classes}."
                )
        return X, _binarize_labels(self._label_binarizer, y)

    def _labels_from_output(self, output):
        if self.n_outputs_ == 1:
            output = output.ravel()
        return self._label_binarizer.inverse_transform(output)

    def _validation_score(self, output, Y_val, sw_val):
        y_true = self._label_binarizer.inverse_transform(Y_val)
        return accuracy_score(y_true, self._labels_from_output(output), sample_weight=sw_val)

    def predict(self, X):
        """Predict class labels for ``X``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_classes)
        """
        check_is_fitted(self)
        return self._labels_from_output(self._forward_pass_fast(X))

    @available_if(lambda est: est._check_solver())
    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, sample_weight=None, classes=None):
        """Update the model with a single epoch over the given data.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None
        classes : array of shape (n_classes,), default=None
            All classes; required on the first call.

        Returns
        -------
        self : object
        """
        if _check_partial_fit_first_call(self, classes):
            self._label_binarizer = LabelBinarizer()
            if type_of_target(y).startswith("multilabel"):
                self._label_binarizer.fit(y)
            else:
                self._label_binarizer.fit(classes)
        return self._fit(X, y, sample_weight=sample_weight, incremental=True)

    def predict_proba(self, X):
        """Probability of each class for each sample of ``X``.

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
            Columns ordered as ``classes_``.
        """
        check_is_fitted(self)
        y_pred = self._forward_pass_fast(X)
        if self.n_outputs_ == 1:
            y_pred = y_pred.ravel()
        if y_pred.ndim == 1:
            return np.vstack([1 - y_pred, y_pred]).T
        return y_pred

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba`."""
        y_prob = self.predict_proba(X)
        return np.log(y_prob, out=y_prob)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags


class MLPRegressor(RegressorMixin, BaseMultilayerPerceptron):
    __doc__ = (
        """Multi-layer perceptron regressor (scikit-learn compatible).

    Minimises half the squared error (identity output) or half the Poisson
    deviance (``loss="poisson"``, exponential output) plus the L2
    (``alpha``) and L1 (``l1``) penalties.

    Parameters
    ----------
    loss : {"squared_error", "poisson"}, default="squared_error"
        Loss function."""
        + _SHARED_PARAMETERS_DOC
        + """
    Attributes
    ----------
    coefs_, intercepts_, loss_, loss_curve_, best_loss_, validation_scores_, \
best_validation_score_, history_, t_, n_iter_, n_layers_, n_outputs_, \
out_activation_, n_features_in_
        See :class:`BaseMultilayerPerceptron`.
    """
    )

    _parameter_constraints: dict = {
        **BaseMultilayerPerceptron._parameter_constraints,
        "loss": [StrOptions({"squared_error", "poisson"})],
    }

    def __init__(
        self,
        loss="squared_error",
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        solver="adam",
        alpha=0.0001,
        batch_size="auto",
        learning_rate="constant",
        learning_rate_init=0.001,
        power_t=0.5,
        max_iter=200,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        warm_start=False,
        momentum=0.9,
        nesterovs_momentum=True,
        early_stopping=False,
        validation_fraction=0.1,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        n_iter_no_change=10,
        max_fun=15000,
        l1=0.0,
        dropout=0.0,
        init="glorot",
        init_scale=0.1,
        solver_options=None,
    ):
        params = dict(locals())
        del params["self"], params["__class__"]
        super().__init__(**params)

    def _output_activation_name(self):
        return "exp" if self.loss == "poisson" else "identity"

    def _validate_input(self, X, y, incremental, reset):
        X, y = _validate_data_naming_X(
            self,
            X,
            y,
            accept_sparse=["csr", "csc"],
            multi_output=True,
            y_numeric=True,
            dtype=(np.float64, np.float32),
            reset=reset,
        )
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        if y.dtype.kind not in "biuf":
            raise ValueError(
                f"y must contain numbers (regression targets); got an array of dtype {y.dtype}."
            )
        if self.loss == "poisson" and np.any(y < 0):
            raise ValueError("y must be non-negative for loss='poisson'.")
        return X, y

    def _validation_score(self, output, Y_val, sw_val):
        y_pred = output.ravel() if output.shape[1] == 1 else output
        if not np.isfinite(y_pred).all():
            return np.nan
        return r2_score(Y_val, y_pred, sample_weight=sw_val)

    def predict(self, X):
        """Predict target values for ``X``.

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_outputs)
        """
        check_is_fitted(self)
        y_pred = self._forward_pass_fast(X)
        if y_pred.shape[1] == 1:
            return y_pred.ravel()
        return y_pred

    @available_if(lambda est: est._check_solver())
    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, sample_weight=None):
        """Update the model with a single epoch over the given data.

        Returns
        -------
        self : object
        """
        return self._fit(X, y, sample_weight=sample_weight, incremental=True)
