"""What the lab notebooks call besides the learner's own functions: data, starting
weights, and the demonstrations that run the learner's code once it is written.

A demonstration never raises on a function that is not written yet: it prints
"Not yet: ..." (the checks' verdict) and returns None, so that a student who runs
every cell of a fresh notebook reads what to do next instead of a traceback.
"""

import warnings

import numpy as np

from widgets.display.figures import new_figure
from widgets.display.palette import DARK_GOLD, NAVY, RED, TEAL

from . import reference as ref
from .verdict import NotYet, call_learner

__all__ = [
    "compare_with_mlpclassifier",
    "first_probabilities",
    "gradient_check",
    "initial_params",
    "plot_training",
    "run_training",
    "spirals",
]


def spirals(n_per_class=60, noise=0.25, n_val_per_class=30, seed=0):
    """Three interleaved spiral arms in the plane: a training and a validation set.

    Arm ``c`` holds points at radius ``r`` in (0.1, 1] and angle
    ``4 r + 2 pi c / 3``, plus Gaussian noise of standard deviation ``noise * r``.

    Returns
    -------
    dict with ``X_train`` (n, 2), ``y_train`` (n,) labels 0..2, ``Y_train`` (n, 3)
    one-hot, and the same three for ``val``.
    """
    rng = np.random.default_rng(seed)
    data = {}
    for split, n in (("train", n_per_class), ("val", n_val_per_class)):
        radius = rng.uniform(0.1, 1.0, size=(3, n))
        angle = 4.0 * radius + 2 * np.pi * np.arange(3)[:, np.newaxis] / 3
        points = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=-1)
        points += rng.normal(size=points.shape) * noise * radius[..., np.newaxis]
        labels = np.repeat(np.arange(3), n)
        order = rng.permutation(3 * n)
        data[f"X_{split}"] = points.reshape(-1, 2)[order]
        data[f"y_{split}"] = labels[order]
        data[f"Y_{split}"] = np.eye(3)[labels[order]]
    return data


def initial_params(n_inputs, n_hidden, n_outputs, seed=0):
    """Starting weights ``(W1, b1, W2, b2)``: Glorot-normal weights, zero biases.

    The draws are the ones the lab's ``_init_coef`` makes, layer by layer, from
    ``numpy.random.RandomState(seed)``, so that a scikit-learn model with that
    ``_init_coef`` and ``random_state=seed`` starts from the same weights.
    """
    state = np.random.RandomState(seed)
    W1, b1 = ref.glorot_normal_init(state, n_inputs, n_hidden)
    W2, b2 = ref.glorot_normal_init(state, n_hidden, n_outputs)
    return W1, b1, W2, b2


def _not_yet(error):
    print(str(error) if isinstance(error, NotYet) else f"Not yet: {error}")


def first_probabilities(forward, softmax, cross_entropy, data, params, count=3):
    """Print your network's first rows of probabilities on the training set, and its loss."""
    X, Y = data["X_train"], data["Y_train"]
    W1, b1, W2, b2 = params
    try:
        _, logits = call_learner(
            forward, "forward", dict(X=X, W1=W1, b1=b1, W2=W2, b2=b2, activation="tanh")
        )
        probabilities = call_learner(softmax, "softmax", {"logits": logits})
        loss = call_learner(
            cross_entropy, "cross_entropy", {"probabilities": probabilities, "Y": Y}
        )
    except NotYet as error:
        _not_yet(error)
        return
    print(f"the first {count} samples' probabilities (one row each, one column per class):")
    print(np.round(np.asarray(probabilities)[:count], 3))
    print(f"mean cross-entropy: {float(loss):.4f}   (ln 3 = {np.log(3):.4f})")


def _mean_loss(functions, X, Y, params, activation):
    forward, softmax, cross_entropy = functions
    _, logits = forward(X, *params, activation)
    return cross_entropy(softmax(logits), Y)


def gradient_check(
    forward,
    softmax,
    cross_entropy,
    output_delta_softmax,
    hidden_delta,
    weight_gradients,
    activation="tanh",
    seed=0,
):
    """Compare your back-propagation with finite differences of your own loss.

    On a small network (3 inputs, 4 hidden units, 3 classes, 5 samples), every
    weight is nudged by ``h = 1e-5`` both ways; the central difference
    ``(L(w + h) - L(w - h)) / 2h`` of your loss estimates ``dL/dw``, with an
    error of order ``h**2``. Back-propagation that is right agrees with it to
    about 1e-9; one that is wrong differs in the first digits. Prints one line
    per parameter and returns the largest difference (None if a function is not
    written yet).
    """
    rng = np.random.default_rng(seed)
    X, Y = rng.normal(size=(5, 3)), np.eye(3)[rng.integers(0, 3, size=5)]
    params = [
        rng.normal(size=(3, 4)),
        rng.normal(size=4),
        rng.normal(size=(4, 3)),
        rng.normal(size=3),
    ]
    losses = (forward, softmax, cross_entropy)
    try:
        hidden, logits = call_learner(
            forward,
            "forward",
            dict(
                X=X, W1=params[0], b1=params[1], W2=params[2], b2=params[3], activation=activation
            ),
        )
        probabilities = call_learner(softmax, "softmax", {"logits": logits})
        call_learner(cross_entropy, "cross_entropy", {"probabilities": probabilities, "Y": Y})
        delta_out = call_learner(
            output_delta_softmax, "output_delta_softmax", {"probabilities": probabilities, "Y": Y}
        )
        delta_hidden = call_learner(
            hidden_delta,
            "hidden_delta",
            {"delta_out": delta_out, "W2": params[2], "hidden": hidden, "activation": activation},
        )
        grads = call_learner(
            weight_gradients,
            "weight_gradients",
            {"X": X, "hidden": hidden, "delta_out": delta_out, "delta_hidden": delta_hidden},
        )
    except NotYet as error:
        _not_yet(error)
        return None
    step, worst = 1e-5, 0.0
    for name, param, grad in zip(("W1", "b1", "W2", "b2"), params, grads):
        numeric = np.zeros_like(param)
        for index in np.ndindex(param.shape):
            saved = param[index]
            param[index] = saved + step
            above = _mean_loss(losses, X, Y, params, activation)
            param[index] = saved - step
            below = _mean_loss(losses, X, Y, params, activation)
            param[index] = saved
            numeric[index] = (above - below) / (2 * step)
        difference = float(np.max(np.abs(np.asarray(grad, dtype=float) - numeric)))
        worst = max(worst, difference)
        print(f"{name}: largest |back-propagation - finite difference| = {difference:.1e}")
    verdict = "agree" if worst < 1e-7 else "DISAGREE: back-propagation has a mistake"
    print(f"Your gradients and the finite differences {verdict}.")
    return worst


def run_training(train, data, n_hidden=16, seed=0, **settings):
    """Run your ``train`` on ``data`` from :func:`initial_params`; print where it stopped.

    ``settings`` are ``train``'s keyword arguments (learning_rate, momentum, alpha,
    max_epochs, patience, activation). Returns its result, or None if it is not
    written yet.
    """
    arguments = dict(
        X_train=data["X_train"],
        Y_train=data["Y_train"],
        X_val=data["X_val"],
        Y_val=data["Y_val"],
        params=initial_params(data["X_train"].shape[1], n_hidden, data["Y_train"].shape[1], seed),
        learning_rate=0.1,
        momentum=0.9,
        alpha=0.0,
        max_epochs=200,
        patience=10,
        activation="tanh",
    )
    arguments.update(settings)
    try:
        result = call_learner(train, "train", arguments)
    except NotYet as error:
        _not_yet(error)
        return None
    best = result["best_epoch"]
    print(
        f"stopped after {len(result['val_loss'])} epochs; best epoch {best + 1}, "
        f"validation loss {result['val_loss'][best]:.4f}"
    )
    return result


def plot_training(result, title="Your training run"):
    """The training and validation loss per epoch, with the best epoch marked."""
    if result is None:
        print("Not yet: `train` returned None; write exercise 7 first.")
        return None
    figure = new_figure(6.4, 3.4)
    axes = figure.add_subplot()
    epochs = np.arange(1, len(result["train_loss"]) + 1)
    axes.plot(epochs, result["train_loss"], color=NAVY, label="training objective (with L2)")
    axes.plot(epochs, result["val_loss"], color=RED, label="validation cross-entropy")
    best = result["best_epoch"] + 1
    axes.axvline(best, color=DARK_GOLD, linestyle="--", label=f"best epoch ({best})")
    axes.set(xlabel="epoch", ylabel="loss", title=title)
    axes.legend(frameon=False)
    figure.tight_layout()
    return figure


def compare_with_mlpclassifier(
    train,
    model_class,
    data,
    n_hidden=8,
    learning_rate=0.2,
    momentum=0.9,
    alpha=0.01,
    epochs=60,
    activation="tanh",
    seed=0,
):
    """Train your network and scikit-learn's, from the same weights, and compare.

    scikit-learn's model is ``model_class`` (your ``_init_coef`` subclass of
    ``MLPClassifier``) with the same start (``random_state=seed``), full-batch
    SGD (``batch_size`` = the training set's size, no shuffling), classical
    momentum (``nesterovs_momentum=False``), the same ``alpha`` and
    ``epochs`` epochs. Your ``train`` starts from the weights your
    ``_init_coef`` draws and runs as many epochs (``patience=epochs``). Same
    start, same data, same updates: the two training curves should agree to
    rounding. Returns the figure, and prints the largest difference.
    """
    X, Y, y = data["X_train"], data["Y_train"], data["y_train"]
    model = model_class(
        hidden_layer_sizes=(n_hidden,),
        activation=activation,
        solver="sgd",
        batch_size=len(X),
        learning_rate_init=learning_rate,
        momentum=momentum,
        nesterovs_momentum=False,
        alpha=alpha,
        shuffle=False,
        max_iter=epochs,
        tol=0.0,
        n_iter_no_change=epochs + 1,
        random_state=seed,
    )
    try:
        model._random_state = np.random.RandomState(seed)
        sizes = (X.shape[1], n_hidden, Y.shape[1])
        start = []
        for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
            start.extend(
                call_learner(
                    model._init_coef,
                    "_init_coef",
                    dict(fan_in=fan_in, fan_out=fan_out, dtype=np.float64),
                )
            )
        result = call_learner(
            train,
            "train",
            dict(
                X_train=X,
                Y_train=Y,
                X_val=data["X_val"],
                Y_val=data["Y_val"],
                params=tuple(start),
                learning_rate=learning_rate,
                momentum=momentum,
                alpha=alpha,
                max_epochs=epochs,
                patience=epochs,
                activation=activation,
            ),
        )
    except NotYet as error:
        _not_yet(error)
        return None
    with warnings.catch_warnings():
        # Stopping at max_iter is the point here, not a failure to converge.
        warnings.simplefilter("ignore")
        model.fit(X, y)
    ours, theirs = np.asarray(result["train_loss"], dtype=float), np.asarray(model.loss_curve_)
    count = min(len(ours), len(theirs))
    gap = float(np.max(np.abs(ours[:count] - theirs[:count])))
    print(f"{count} epochs; largest difference between the two training curves: {gap:.1e}")
    print(f"final training objective: yours {ours[-1]:.6f}, MLPClassifier's {theirs[-1]:.6f}")
    figure = new_figure(6.4, 3.4)
    axes = figure.add_subplot()
    epochs_axis = np.arange(1, count + 1)
    axes.plot(
        epochs_axis,
        theirs[:count],
        color=TEAL,
        linewidth=5,
        alpha=0.45,
        label="MLPClassifier (loss_curve_)",
    )
    axes.plot(epochs_axis, ours[:count], color=NAVY, linewidth=1.5, label="your train()")
    axes.set(xlabel="epoch", ylabel="training objective", title="Same start, same updates")
    axes.legend(frameon=False)
    figure.tight_layout()
    return figure
