"""When to stop: the early-stopping rule, per-epoch curves, learning curves, dropout.

Chapter 6's computations, headless:

- :func:`stopping_rule`: scikit-learn's early-stopping rule applied to a list of
  validation scores: the epoch training stops at and the epoch whose weights are kept
  (:func:`stopping_epoch` and :func:`restored_epoch` return just one number each);
- :func:`epoch_curves`: one network trained epoch by epoch exactly as
  ``MLPClassifier(early_stopping=True)`` trains it (same initial weights, same
  validation split, same mini-batches), recording after every epoch the training loss
  and accuracy, the validation loss and score and the accuracy on a separate test set;
- :func:`learning_curve_scores`: scikit-learn's ``learning_curve`` over the engine's
  estimator, for several seeds;
- :func:`dropout_mask`, :func:`inverted_dropout_scale`, :func:`dropout_expectation`:
  inverted dropout as the engine trains with it, and the check that it keeps the
  expected activation;
- :func:`dropout_sweep`: train and test accuracy against the drop probability, over
  several seeds;
- :func:`one_pass_or_repeats`: the same number of updates, drawn from fresh examples
  (one epoch) or from a small set seen again and again.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
from sklearn.model_selection import StratifiedShuffleSplit, learning_curve, train_test_split
from sklearn.utils import check_random_state
from threadpoolctl import threadpool_limits

from .estimators import MLPClassifier
from .network import Network
from .optimizers import Adam
from .sweeps import DATASETS, make_dataset
from .training import MiniBatchTrainer
from .validation import check_choice, check_integer, check_matrix, check_number

__all__ = [
    "label_noise_data",
    "StoppingDecision",
    "stopping_rule",
    "stopping_epoch",
    "restored_epoch",
    "EpochCurves",
    "epoch_curves",
    "learning_curve_scores",
    "dropout_mask",
    "inverted_dropout_scale",
    "dropout_expectation",
    "dropout_sweep",
    "one_pass_or_repeats",
]


# ---------------------------------------------------------------------- data


def label_noise_data(name="moons", label_noise=0.2, n_train=200, n_test=500, jitter=0.2, seed=0):
    """A 2-D task whose training labels are partly wrong; the test labels are all right.

    Draws ``n_train + n_test`` points of ``name`` with Gaussian ``jitter``
    (:func:`widgets.engine.sweeps.make_dataset`), then flips the labels of exactly
    ``round(label_noise * n_train)`` training examples chosen at random. A network
    that fits those flipped labels has memorised noise; the clean test labels measure
    how well it found the true boundary.

    Returns ``X_train, y_train, X_test, y_test``.
    """
    label_noise = check_number(label_noise, "label_noise", low=0.0, high=0.5)
    name = check_choice(name, DATASETS[:4], "name")
    X, y, X_test, y_test = make_dataset(name, jitter, n_train, n_test, seed)
    rng = np.random.default_rng([check_integer(seed, "seed", low=0), 6])
    flipped = rng.choice(len(y), size=int(round(label_noise * len(y))), replace=False)
    y = y.copy()
    y[flipped] = 1 - y[flipped]
    return X, y, X_test, y_test


# ---------------------------------------------------------------------- the rule


@dataclass
class StoppingDecision:
    """What :func:`stopping_rule` decided, epochs counted from 1.

    Attributes
    ----------
    stop_epoch : int
        The last epoch trained: where the rule fired, or the last score given if it
        never fired (scikit-learn's ``n_iter_``).
    best_epoch : int
        The epoch with the best validation score up to ``stop_epoch`` (the first one if
        several tie): scikit-learn keeps the weights of this epoch.
    best_score : float
        Its score (scikit-learn's ``best_validation_score_``).
    stopped : bool
        True if the rule fired, False if the scores ran out first.
    counts : list of int
        The no-improvement counter after each epoch up to ``stop_epoch``.
    n_iter_no_change, tol : int, float
        The rule's patience and tolerance.
    """

    stop_epoch: int
    best_epoch: int
    best_score: float
    stopped: bool
    counts: list
    n_iter_no_change: int
    tol: float


def _check_scores(validation_scores):
    scores = np.asarray(validation_scores, dtype=float)
    if scores.ndim != 1 or scores.size == 0:
        raise ValueError(
            "validation_scores must be a non-empty list of numbers, one per epoch; "
            f"got shape {scores.shape}."
        )
    if not np.isfinite(scores).all():
        raise ValueError("validation_scores must be finite numbers.")
    return scores


def stopping_rule(validation_scores, n_iter_no_change=10, tol=1e-4):
    """Apply scikit-learn's early-stopping rule to per-epoch validation scores.

    After epoch ``t`` with score ``s_t`` (``best`` starts at ``-inf``, ``count`` at 0):

    - if ``s_t < best + tol`` the epoch is *no improvement*: ``count += 1``;
      otherwise ``count = 0``;
    - if ``s_t > best``: ``best = s_t`` and this epoch's weights are kept (even when
      the gain is below ``tol``);
    - if ``count > n_iter_no_change``: stop after epoch ``t``.

    So training stops after ``n_iter_no_change + 1`` epochs in a row without a gain of
    at least ``tol``, and the weights of the best epoch so far are restored
    (``MLPClassifier`` of scikit-learn and of :mod:`widgets.engine`, with
    ``early_stopping=True`` and the ``adam`` solver; ``sgd`` with an adaptive learning
    rate divides the rate instead while it is above 1e-6).

    Parameters
    ----------
    validation_scores : sequence of float
        The validation score after each epoch (accuracy for a classifier).
    n_iter_no_change : int ≥ 1
        The patience.
    tol : float ≥ 0
        The smallest gain that counts as an improvement.

    Returns
    -------
    StoppingDecision
    """
    scores = _check_scores(validation_scores)
    n_iter_no_change = check_integer(n_iter_no_change, "n_iter_no_change", low=1)
    tol = check_number(tol, "tol", low=0.0)
    best, best_epoch, count, counts = -np.inf, 0, 0, []
    for epoch, score in enumerate(scores, start=1):
        count = count + 1 if score < best + tol else 0
        if score > best:
            best, best_epoch = float(score), epoch
        counts.append(count)
        if count > n_iter_no_change:
            return StoppingDecision(epoch, best_epoch, best, True, counts, n_iter_no_change, tol)
    return StoppingDecision(len(scores), best_epoch, best, False, counts, n_iter_no_change, tol)


def stopping_epoch(validation_scores, n_iter_no_change=10, tol=1e-4):
    """The epoch (from 1) after which :func:`stopping_rule` stops training."""
    return stopping_rule(validation_scores, n_iter_no_change, tol).stop_epoch


def restored_epoch(validation_scores, n_iter_no_change=10, tol=1e-4):
    """The epoch (from 1) whose weights :func:`stopping_rule` keeps."""
    return stopping_rule(validation_scores, n_iter_no_change, tol).best_epoch


# ---------------------------------------------------------------------- per-epoch curves


@dataclass
class EpochCurves:
    """Per-epoch records of :func:`epoch_curves` (index 0 is epoch 1).

    ``loss`` is the training loss as the estimator reports it (mean of the epoch's
    batch losses, penalty included); ``val_loss`` the validation data loss (no
    penalty); ``val_score`` the validation accuracy; ``train_score`` the accuracy on
    the training split and ``test_score`` / ``test_loss`` on the separate test set,
    all measured at the weights after the epoch.
    """

    loss: np.ndarray
    val_loss: np.ndarray
    val_score: np.ndarray
    train_score: np.ndarray
    test_score: np.ndarray
    test_loss: np.ndarray
    n_train: int
    n_validation: int
    diverged_at: int | None = None
    settings: dict = field(default_factory=dict)

    @property
    def n_epochs(self) -> int:
        return len(self.loss)


def _binary_labels(y, argument):
    y = np.asarray(y)
    classes = np.unique(y)
    if y.ndim != 1 or len(classes) != 2:
        raise ValueError(f"{argument} must hold labels of exactly two classes, one per row.")
    return classes


def epoch_curves(
    X,
    y,
    X_test,
    y_test,
    hidden_layer_sizes=(64,),
    validation_fraction=0.1,
    max_iter=200,
    learning_rate_init=0.01,
    alpha=1e-4,
    dropout=0.0,
    seed=0,
):
    """Train as ``MLPClassifier(early_stopping=True)`` does and record every epoch.

    The estimator is ``widgets.engine.MLPClassifier(hidden_layer_sizes, "relu",
    solver="adam", alpha=alpha, learning_rate_init=learning_rate_init,
    early_stopping=True, validation_fraction=validation_fraction, random_state=seed,
    dropout=dropout)`` with a patience so large that it never stops before
    ``max_iter``. This function repeats its training with the same pieces in the
    same order (the network's initial weights, then the stratified validation split,
    then one shuffle per epoch, all from one ``RandomState(seed)``), so the first
    ``k`` epochs are exactly those of any run of the estimator with the same
    arguments, whatever its patience; what it adds is the test set's accuracy after
    every epoch, which the estimator does not record.

    Binary labels only. Returns :class:`EpochCurves`.
    """
    X = check_matrix(X, "X")
    X_test = check_matrix(X_test, "X_test", n_columns=X.shape[1])
    classes = _binary_labels(y, "y")
    _binary_labels(y_test, "y_test")
    y, y_test = np.asarray(y), np.asarray(y_test)
    if len(y) != len(X) or len(y_test) != len(X_test):
        raise ValueError("y and y_test must have one label per row of X and X_test.")
    validation_fraction = check_number(
        validation_fraction, "validation_fraction", low=0.0, high=1.0, low_inclusive=False
    )
    max_iter = check_integer(max_iter, "max_iter", low=1)
    learning_rate_init = check_number(
        learning_rate_init, "learning_rate_init", low=0.0, low_inclusive=False
    )
    alpha = check_number(alpha, "alpha", low=0.0)
    dropout = check_number(dropout, "dropout", low=0.0, high=0.95)
    seed = check_integer(seed, "seed", low=0)
    hidden = [check_integer(h, "hidden_layer_sizes", low=1) for h in hidden_layer_sizes]

    rng = check_random_state(seed)
    Y = (y == classes[1]).reshape(-1, 1)  # as the estimator's label binarizer
    network = Network(
        [X.shape[1], *hidden, 1], activation="relu", output="logistic", random_state=rng
    )
    X_train, X_val, Y_train, Y_val = train_test_split(
        X, Y, random_state=rng, test_size=validation_fraction, stratify=Y
    )
    if len(X_val) < 2:
        raise ValueError(
            "validation_fraction leaves fewer than 2 validation examples; raise it or "
            "use more data."
        )
    trainer = MiniBatchTrainer(
        network,
        Adam([network.params], lr=learning_rate_init),
        X_train,
        Y_train,
        None,
        batch_size=min(200, len(X_train)),
        shuffle=True,
        random_state=rng,
        l2=alpha,
        dropout=dropout,
        hard_targets=True,
    )
    Y_val_float = Y_val.astype(float)
    Y_test = (y_test == classes[1]).reshape(-1, 1)
    Y_test_float = Y_test.astype(float)
    records = {key: [] for key in ("loss", "val_loss", "val", "train", "test", "test_loss")}
    diverged_at = None
    with np.errstate(all="ignore"), threadpool_limits(limits=1):
        for epoch in range(1, max_iter + 1):
            loss = trainer.run_epoch()
            if not np.isfinite(loss) or not np.isfinite(network.params).all():
                diverged_at = epoch
                break
            records["loss"].append(float(loss))
            out_val = network.forward(X_val)
            records["val_loss"].append(float(network.data_loss(Y_val_float, out_val)))
            records["val"].append(float(np.mean((out_val > 0.5) == Y_val)))
            records["train"].append(float(np.mean((network.forward(X_train) > 0.5) == Y_train)))
            out_test = network.forward(X_test)
            records["test"].append(float(np.mean((out_test > 0.5) == Y_test)))
            records["test_loss"].append(float(network.data_loss(Y_test_float, out_test)))
    return EpochCurves(
        np.array(records["loss"]),
        np.array(records["val_loss"]),
        np.array(records["val"]),
        np.array(records["train"]),
        np.array(records["test"]),
        np.array(records["test_loss"]),
        len(X_train),
        len(X_val),
        diverged_at,
        {
            "hidden_layer_sizes": tuple(hidden),
            "validation_fraction": validation_fraction,
            "learning_rate_init": learning_rate_init,
            "alpha": alpha,
            "dropout": dropout,
            "seed": seed,
        },
    )


# ---------------------------------------------------------------------- more data


def learning_curve_scores(
    name="moons",
    noise=0.3,
    train_sizes=(20, 40, 80, 160, 320, 640),
    hidden_layer_sizes=(64,),
    alpha=1e-4,
    n_splits=5,
    seeds=(0, 1, 2),
    max_iter=500,
):
    """Training and validation accuracy against training-set size (a learning curve).

    For each seed, draw ``max(train_sizes) / 0.8`` examples of ``name`` (see
    :func:`widgets.engine.sweeps.make_dataset`) and run
    ``sklearn.model_selection.learning_curve`` on the engine's
    ``MLPClassifier(hidden_layer_sizes, solver="lbfgs", alpha=alpha,
    max_iter=max_iter, random_state=seed)`` with ``n_splits`` stratified shuffle
    splits holding out 20 % for validation. Every network is trained to convergence
    (L-BFGS), so the gap between the curves is what more data buys, not when to stop.

    Returns ``sizes`` (the training-set sizes used), ``train`` and ``validation``,
    arrays of shape ``(len(seeds) * n_splits, len(sizes))``: one row per seed and
    split.
    """
    name = check_choice(name, DATASETS[:4], "name")
    noise = check_number(noise, "noise", low=0.0, high=1.0)
    sizes = [check_integer(size, "train_sizes", low=10) for size in train_sizes]
    if not sizes:
        raise ValueError("train_sizes must name at least one size.")
    n_splits = check_integer(n_splits, "n_splits", low=2)
    seeds = [check_integer(seed, "seeds", low=0) for seed in seeds]
    if not seeds:
        raise ValueError("seeds must name at least one seed.")
    n_total = int(np.ceil(max(sizes) / 0.8))
    train_rows, validation_rows = [], []
    for seed in seeds:
        X, y, _, _ = make_dataset(name, noise, n_total, 10, seed)
        model = MLPClassifier(
            tuple(hidden_layer_sizes),
            solver="lbfgs",
            alpha=check_number(alpha, "alpha", low=0.0),
            max_iter=check_integer(max_iter, "max_iter", low=1),
            random_state=seed,
        )
        split = StratifiedShuffleSplit(n_splits, test_size=0.2, random_state=seed)
        with warnings.catch_warnings(), threadpool_limits(limits=1):
            warnings.simplefilter("ignore")  # lbfgs at max_iter on tiny sets
            used, train, validation = learning_curve(
                model, X, y, train_sizes=sizes, cv=split, shuffle=True, random_state=seed
            )
        train_rows.append(train.T)
        validation_rows.append(validation.T)
    return np.array(used), np.vstack(train_rows), np.vstack(validation_rows)


def one_pass_or_repeats(
    n_updates=4000, n_small=100, batch_size=10, noise=0.3, width=64, seed=0, n_test=2000
):
    """The same number of mini-batch updates, from fresh data or from a small set.

    Two engine ``MLPClassifier((width,), solver="adam", learning_rate_init=0.01,
    batch_size=batch_size)`` networks on ``moons`` make ``n_updates`` updates each:
    one sees ``n_updates * batch_size`` fresh examples exactly once (one epoch: the
    "unlimited data" limit), the other cycles through the same ``n_small`` examples
    (``n_updates * batch_size / n_small`` epochs). Returns a dict name →
    ``(training accuracy, test accuracy)``, the training accuracy measured on the
    examples that network trained on.
    """
    n_updates = check_integer(n_updates, "n_updates", low=1)
    n_small = check_integer(n_small, "n_small", low=10)
    batch_size = check_integer(batch_size, "batch_size", low=1)
    n_fresh = n_updates * batch_size
    if n_fresh % n_small:
        raise ValueError("n_updates * batch_size must be a multiple of n_small.")
    X_big, y_big, X_test, y_test = make_dataset("moons", noise, n_fresh, n_test, seed)
    X_small, y_small = X_big[:n_small], y_big[:n_small]
    results = {}
    with warnings.catch_warnings(), threadpool_limits(limits=1):
        warnings.simplefilter("ignore")
        for label, X, y, epochs in (
            ("one pass over fresh data", X_big, y_big, 1),
            ("repeats of a small set", X_small, y_small, n_fresh // n_small),
        ):
            model = MLPClassifier(
                (check_integer(width, "width", low=1),),
                solver="adam",
                learning_rate_init=0.01,
                batch_size=batch_size,
                max_iter=epochs,
                n_iter_no_change=epochs + 1,
                random_state=seed,
            ).fit(X, y)
            results[label] = (model.score(X, y), model.score(X_test, y_test), epochs)
    return results


# ---------------------------------------------------------------------- dropout


def inverted_dropout_scale(p):
    """``1 / (1 - p)``: the factor on every kept unit under inverted dropout."""
    p = check_number(p, "p", low=0.0, high=1.0)
    if p == 1.0:
        raise ValueError("p must be below 1: with p = 1 every unit is dropped.")
    return 1.0 / (1.0 - p)


def dropout_mask(shape, p, rng=None):
    """One inverted-dropout mask, drawn as the engine's training draws it.

    Each entry is kept with probability ``1 - p`` (``rng.random_sample() < 1 - p``,
    a ``numpy.random.RandomState``) and then worth ``1 / (1 - p)``; a dropped entry is
    0. Multiplying activations by the mask keeps their expectation:
    ``E[m a] = (1 - p) · a / (1 - p) + p · 0 = a``.
    """
    scale = inverted_dropout_scale(p)
    rng = check_random_state(rng)
    keep = 1.0 - float(p)
    return (rng.random_sample(shape) < keep) * scale


def dropout_expectation(activations, p, n_masks=10000, seed=0):
    """Average ``n_masks`` masked-and-scaled copies of ``activations``.

    Returns ``(mean, standard_error)``, arrays shaped like ``activations``: the mean
    of ``m · a`` over the masks and its standard error ``|a| sqrt(p / ((1 - p) n))``
    (the variance of ``m · a`` is ``a² p / (1 - p)``). Inverted dropout is unbiased:
    the mean tends to ``a`` itself, within a few standard errors.
    """
    a = np.asarray(activations, dtype=float)
    if not np.isfinite(a).all():
        raise ValueError("activations must be finite numbers.")
    n_masks = check_integer(n_masks, "n_masks", low=1)
    scale = inverted_dropout_scale(p)
    rng = check_random_state(check_integer(seed, "seed", low=0))
    masks = dropout_mask((n_masks, *a.shape), p, rng)
    mean = (masks * a).mean(axis=0)
    standard_error = np.abs(a) * np.sqrt((scale - 1.0) / n_masks)
    return mean, standard_error


def dropout_sweep(
    X_train,
    y_train,
    X_test,
    y_test,
    ps=(0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8),
    hidden_layer_sizes=(256,),
    seeds=(0, 1, 2),
    max_iter=300,
    learning_rate_init=0.01,
    alpha=1e-4,
    progress=None,
):
    """Train and test accuracy against the drop probability, one row per seed.

    Each network is the engine's ``MLPClassifier(hidden_layer_sizes, "relu",
    solver="adam", learning_rate_init=learning_rate_init, alpha=alpha,
    max_iter=max_iter, n_iter_no_change=max_iter, dropout=p, random_state=seed)``:
    trained for ``max_iter`` epochs without early stopping, so dropout is the only
    brake. ``progress``, if given, is called as ``progress(done, total)``.

    Returns ``(train, test)``, arrays of shape ``(len(seeds), len(ps))``.
    """
    X_train = check_matrix(X_train, "X_train")
    X_test = check_matrix(X_test, "X_test", n_columns=X_train.shape[1])
    ps = [check_number(p, "ps", low=0.0, high=0.95) for p in ps]
    seeds = [check_integer(seed, "seeds", low=0) for seed in seeds]
    if not ps or not seeds:
        raise ValueError("ps and seeds must each name at least one value.")
    train = np.zeros((len(seeds), len(ps)))
    test = np.zeros_like(train)
    total, done = len(seeds) * len(ps), 0
    with warnings.catch_warnings(), threadpool_limits(limits=1):
        warnings.simplefilter("ignore")  # "not converged" at max_iter is expected
        for i, seed in enumerate(seeds):
            for j, p in enumerate(ps):
                if progress is not None:
                    progress(done, total)
                model = MLPClassifier(
                    tuple(hidden_layer_sizes),
                    solver="adam",
                    learning_rate_init=learning_rate_init,
                    alpha=alpha,
                    max_iter=max_iter,
                    n_iter_no_change=max_iter,
                    dropout=p,
                    random_state=seed,
                ).fit(X_train, y_train)
                train[i, j] = model.score(X_train, y_train)
                test[i, j] = model.score(X_test, y_test)
                done += 1
    if progress is not None:
        progress(done, total)
    return train, test
