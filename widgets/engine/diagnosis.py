"""Diagnose the run: training runs with one hidden cause each, their symptoms and fixes.

Chapter 14's computations, headless. Every run is the engine's
:class:`~widgets.engine.MLPClassifier`, trained one epoch per ``partial_fit`` call on a
small 2-D task (:func:`widgets.engine.sweeps.make_dataset`). Before training and after
every epoch it records the training and validation loss and accuracy, each layer's
weight-gradient norm on the training set
(:func:`widgets.engine.landscape.layer_gradient_norms`) and the saturated share of the
first hidden layer (:func:`widgets.engine.statistics.saturated_share`).

- :data:`CAUSES`: what can be wrong with a run (the learner's choices): its label, the
  symptom it leaves in the curves and the fix that removes it;
- :data:`SYMPTOMS` and :func:`has_symptom`: each symptom's measured criterion (the one
  the tests apply to every case and its fix);
- :data:`FIXES`: the settings a learner can change;
- :data:`CASES`: one kind of case per cause, as changes to :data:`BASE`;
  :func:`case_settings` gives case ``k`` of the seeded sequence (kind ``k mod 6``,
  data and weights seeded by ``k // 6``), :func:`fixed_settings` a case with a fix
  applied;
- :func:`train_run`: one run, a :class:`Run`; :func:`measure`: its symptom numbers;
- :func:`diagnose`: the verdict on a learner's cause and fix, from the measured runs.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np
from threadpoolctl import threadpool_limits

from .estimators import MLPClassifier
from .exceptions import DivergenceError
from .landscape import layer_gradient_norms, network_from_classifier
from .network import Network
from .statistics import saturated_share
from .sweeps import make_dataset
from .validation import check_choice, check_integer

__all__ = [
    "BASE",
    "CAUSES",
    "CASES",
    "FIXES",
    "SYMPTOMS",
    "Run",
    "Verdict",
    "case_settings",
    "fixed_settings",
    "train_run",
    "measure",
    "has_symptom",
    "symptoms_of",
    "diagnose",
]

#: cause → (label shown to the learner, the symptom it leaves, the fix that removes it).
CAUSES = {
    "rate_too_high": ("learning rate too high", "instability", "lower_rate"),
    "rate_too_low": ("learning rate too low", "crawling", "raise_rate"),
    "too_few_units": ("too few hidden units", "underfitting", "more_units"),
    "no_regularization": ("no regularization, little data", "overfitting", "add_l2"),
    "saturating_init": ("initial weights too large", "saturated start", "glorot_init"),
    "deep_sigmoid": ("deep stack of sigmoid layers", "vanishing gradients", "relu_units"),
}

#: symptom → what it looks like in the curves (the criterion is :func:`has_symptom`'s).
SYMPTOMS = {
    "instability": (
        "the training loss jumps up and down and ends far above its lowest value "
        "(or the run diverges)"
    ),
    "crawling": "the training loss falls steadily but very slowly",
    "underfitting": (
        "the loss levels off high; training and validation accuracy are both low and close"
    ),
    "overfitting": (
        "training accuracy near 100% while validation accuracy lags; the validation loss "
        "turns and rises"
    ),
    "saturated start": (
        "the loss starts far above a coin flip's and stays high for many epochs; most "
        "hidden units are saturated from the start"
    ),
    "vanishing gradients": (
        "the gradient reaching the first layers is orders of magnitude smaller than the "
        "last layer's; the loss hardly moves"
    ),
}

#: The thresholds of :func:`has_symptom`.
UNSTABLE_RATIO = 2.0  # mean loss of the last 10 epochs over the lowest loss
CRAWL_DROP = 0.5  # share of the initial loss gone by the end
UNDERFIT_ACCURACY = 0.85  # final training accuracy
OVERFIT_GAP = 0.1  # final training minus validation accuracy
OVERFIT_RISE = 1.5  # final validation loss over its lowest value
SATURATED_SHARE = 0.5  # saturated share of the first hidden layer at the start
SATURATED_EPOCHS = 10  # the loss still above ln 2 after this many epochs
VANISHING_RATIO = 1e-2  # first layer's gradient norm over the last layer's, at the start

#: fix → (label, the estimator arguments it changes). The two rate fixes multiply the
#: case's own rate by the factor given; the others set the value.
FIXES = {
    "lower_rate": ("lower the learning rate (÷ 30)", {"learning_rate_init": 1 / 30}),
    "raise_rate": ("raise the learning rate (× 1000)", {"learning_rate_init": 1000.0}),
    "more_units": ("more hidden units (32 per layer)", {"width": 32}),
    "add_l2": ("add an L2 penalty (alpha = 1)", {"alpha": 1.0}),
    "glorot_init": ("Glorot's initialization", {"init": "glorot"}),
    "relu_units": ("ReLU hidden units", {"activation": "relu"}),
}
_RELATIVE_FIXES = ("lower_rate", "raise_rate")

#: The settings every case starts from: tanh units, SGD with momentum 0.9, two moons.
BASE = {
    "dataset": "moons",
    "noise": 0.2,
    "n_train": 200,
    "n_validation": 400,
    "width": 16,
    "depth": 1,
    "activation": "tanh",
    "solver": "sgd",
    "learning_rate_init": 0.1,
    "momentum": 0.9,
    "alpha": 1e-4,
    "init": "glorot",
    "init_scale": 0.1,
    "batch_size": 20,
    "epochs": 60,
}

#: kind (= its hidden cause) → what it changes in :data:`BASE`.
CASES = {
    "rate_too_high": {"learning_rate_init": 3.0},
    "rate_too_low": {"learning_rate_init": 1e-4},
    "too_few_units": {"dataset": "circles", "noise": 0.1, "width": 1},
    "no_regularization": {
        "n_train": 20,
        "noise": 0.35,
        "width": 128,
        "activation": "relu",
        "solver": "adam",
        "learning_rate_init": 0.03,
        "epochs": 300,
    },
    "saturating_init": {
        "width": 32,
        "init": "normal",
        "init_scale": 8.0,
        "solver": "adam",
        "learning_rate_init": 0.003,
    },
    "deep_sigmoid": {"activation": "logistic", "depth": 6},
}


def case_settings(k):
    """Settings of case ``k`` (k ≥ 0) of the seeded sequence, with ``cause`` and ``seed``.

    Case ``k`` is of kind ``list(CASES)[k % 6]`` with seed ``k // 6``: the first six
    cases show every cause once, the next six again on fresh data and weights.
    """
    k = check_integer(k, "k", low=0)
    kinds = list(CASES)
    kind = kinds[k % len(kinds)]
    return {**BASE, **CASES[kind], "seed": k // len(kinds), "cause": kind, "fix": None}


def fixed_settings(settings, fix):
    """``settings`` with ``fix`` (a key of :data:`FIXES`) applied, and ``fix`` recorded."""
    fix = check_choice(fix, FIXES, "fix")
    changed = dict(settings)
    for key, value in FIXES[fix][1].items():
        changed[key] = settings[key] * value if fix in _RELATIVE_FIXES else value
    changed["fix"] = fix
    return changed


@dataclass
class Run:
    """Per-epoch records of one run (index 0 is before training, then one per epoch).

    ``loss`` is the training data loss at the weights after each epoch (no penalty),
    ``val_loss`` the validation loss, ``train_accuracy`` / ``val_accuracy`` the
    accuracies; ``grad_norms[e, l]`` layer ``l``'s weight-gradient norm (``l = 0`` next
    to the inputs); ``saturated`` the saturated share of the first hidden layer's net
    inputs over the training set. ``diverged_at`` is the first epoch whose loss or
    weights were not finite (the records stop before it), else None.
    """

    loss: np.ndarray
    val_loss: np.ndarray
    train_accuracy: np.ndarray
    val_accuracy: np.ndarray
    grad_norms: np.ndarray
    saturated: np.ndarray
    diverged_at: int | None
    settings: dict = field(default_factory=dict)

    @property
    def diverged(self) -> bool:
        return self.diverged_at is not None

    @property
    def epochs(self) -> np.ndarray:
        return np.arange(len(self.loss))


def _estimator(settings):
    return MLPClassifier(
        hidden_layer_sizes=(settings["width"],) * settings["depth"],
        activation=settings["activation"],
        solver=settings["solver"],
        learning_rate_init=settings["learning_rate_init"],
        momentum=settings["momentum"],
        nesterovs_momentum=False,
        alpha=settings["alpha"],
        init=settings["init"],
        init_scale=settings["init_scale"],
        batch_size=settings["batch_size"],
        random_state=np.random.RandomState(settings["seed"]),
    )


def _initial_network(settings):
    sizes = [2, *(settings["width"],) * settings["depth"], 1]
    return Network(
        sizes,
        activation=settings["activation"],
        output="logistic",
        init=settings["init"],
        init_scale=settings["init_scale"],
        random_state=np.random.RandomState(settings["seed"]),
    )


def train_run(settings: dict, progress=None) -> Run:
    """Train the run described by ``settings`` and record every epoch.

    ``settings`` as :func:`case_settings` returns them. The estimator trains one epoch
    per ``partial_fit`` call (its optimizer's state carries over); one
    ``RandomState(seed)`` draws the initial weights and then every epoch's shuffle.
    ``progress(done, total)`` is called after each epoch if given. A run that diverges
    stops at the first epoch whose loss or weights are not finite (``Run.diverged_at``).
    """
    if not isinstance(settings, dict):
        raise TypeError(f"settings must be a dict; got {type(settings).__name__}.")
    missing = sorted((set(BASE) | {"seed"}) - set(settings))
    if missing:
        raise ValueError(f"settings lacks {missing}; start from case_settings(k).")
    X, y, X_val, y_val = make_dataset(
        settings["dataset"],
        settings["noise"],
        settings["n_train"],
        settings["n_validation"],
        settings["seed"],
    )
    model = _estimator(settings)
    epochs = check_integer(settings["epochs"], "epochs", low=1)
    Y, Y_val = y.reshape(-1, 1), y_val.reshape(-1, 1)
    records = {key: [] for key in ("loss", "val_loss", "train", "val", "norms", "saturated")}
    diverged_at = None

    def record(network):
        loss, norms = layer_gradient_norms(network, X, Y)
        out_val = network.forward(X_val)
        values = (loss, network.data_loss(Y_val, out_val), *norms)
        if not (np.isfinite(values).all() and np.isfinite(network.params).all()):
            return False
        records["loss"].append(loss)
        records["val_loss"].append(float(network.data_loss(Y_val, out_val)))
        records["train"].append(float(np.mean((network.forward(X) > 0.5) == Y)))
        records["val"].append(float(np.mean((out_val > 0.5) == Y_val)))
        records["norms"].append(norms)
        z = X @ network.coefs[0] + network.intercepts[0]  # the first hidden layer's net inputs
        records["saturated"].append(saturated_share(z, settings["activation"]))
        return True

    with warnings.catch_warnings(), threadpool_limits(limits=1), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        # Epoch 0: the initial weights, drawn as the estimator draws them (its first
        # use of a fresh RandomState(seed)).
        record(_initial_network(settings))
        for epoch in range(1, epochs + 1):
            try:
                model.partial_fit(X, y, classes=[0, 1])
            except DivergenceError:
                diverged_at = epoch
                break
            if not record(network_from_classifier(model)):
                diverged_at = epoch
                break
            if progress is not None:
                progress(epoch, epochs)
    return Run(
        np.array(records["loss"]),
        np.array(records["val_loss"]),
        np.array(records["train"]),
        np.array(records["val"]),
        np.array(records["norms"]).reshape(len(records["loss"]), -1),
        np.array(records["saturated"]),
        diverged_at,
        dict(settings),
    )


def measure(run):
    """The numbers the symptoms are judged on, from one :class:`Run`.

    Returns a dict: ``diverged``; ``late_over_lowest`` (mean training loss of the last
    10 epochs over the lowest training loss); ``drop`` (``1 − final / initial``
    training loss); ``train_accuracy``, ``val_accuracy`` and ``gap`` (their
    difference) at the end; ``val_rise`` (final validation loss over its lowest);
    ``saturated_start`` (saturated share of the first hidden layer before training);
    ``loss_at_10`` (training loss after 10 epochs); ``gradient_ratio`` (the first
    layer's weight-gradient norm over the last layer's, before training).
    """
    if not isinstance(run, Run):
        raise TypeError(f"run must be a diagnosis Run; got {type(run).__name__}.")
    loss = run.loss
    lowest = float(loss.min())
    norms = run.grad_norms[0]
    return {
        "diverged": run.diverged,
        "late_over_lowest": float(loss[-10:].mean() / lowest) if lowest > 0 else math.inf,
        "drop": float(1.0 - loss[-1] / loss[0]),
        "train_accuracy": float(run.train_accuracy[-1]),
        "val_accuracy": float(run.val_accuracy[-1]),
        "gap": float(run.train_accuracy[-1] - run.val_accuracy[-1]),
        "val_rise": float(run.val_loss[-1] / run.val_loss.min()),
        "saturated_start": float(run.saturated[0]),
        "loss_at_10": float(loss[min(SATURATED_EPOCHS, len(loss) - 1)]),
        "gradient_ratio": float(norms[0] / norms[-1]) if norms[-1] > 0 else 0.0,
    }


def has_symptom(run, symptom):
    """Whether ``run`` shows ``symptom`` (a key of :data:`SYMPTOMS`), by its criterion.

    With the numbers of :func:`measure`:

    - *instability*: diverged, or ``late_over_lowest > 2``;
    - *crawling*: no instability and ``drop < 0.5``;
    - *underfitting*: final training accuracy ``< 0.85``;
    - *overfitting*: ``gap > 0.1`` and ``val_rise > 1.5``;
    - *saturated start*: ``saturated_start > 0.5`` and ``loss_at_10 > ln 2`` (worse
      than the constant guess 1/2 after 10 epochs);
    - *vanishing gradients*: ``gradient_ratio < 0.01``.
    """
    symptom = check_choice(symptom, SYMPTOMS, "symptom")
    m = measure(run)
    unstable = m["diverged"] or m["late_over_lowest"] > UNSTABLE_RATIO
    if symptom == "instability":
        return bool(unstable)
    if m["diverged"]:
        return False  # a diverged run's other numbers are not meaningful
    if symptom == "crawling":
        return bool(not unstable and m["drop"] < CRAWL_DROP)
    if symptom == "underfitting":
        return m["train_accuracy"] < UNDERFIT_ACCURACY
    if symptom == "overfitting":
        return m["gap"] > OVERFIT_GAP and m["val_rise"] > OVERFIT_RISE
    if symptom == "saturated start":
        return m["saturated_start"] > SATURATED_SHARE and m["loss_at_10"] > math.log(2)
    return m["gradient_ratio"] < VANISHING_RATIO


def symptoms_of(run):
    """Every symptom ``run`` shows, in the order of :data:`SYMPTOMS`."""
    return [symptom for symptom in SYMPTOMS if has_symptom(run, symptom)]


@dataclass
class Verdict:
    """What :func:`diagnose` found.

    ``cause_right``: the chosen cause is the case's. ``fix_works``: the fixed run no
    longer shows the case's symptom (measured, whatever fix was chosen).
    ``fix_is_the_remedy``: the chosen fix is the one :data:`CAUSES` names.
    ``new_symptoms``: symptoms the fixed run shows that the run did not (a fix can trade
    one symptom for another). ``explanation``: the feedback, in words.
    """

    cause_right: bool
    fix_works: bool
    fix_is_the_remedy: bool
    new_symptoms: list
    explanation: str


def diagnose(run, fixed_run, cause, fix):
    """Judge a learner's ``cause`` and ``fix`` for the case of ``run``.

    ``run`` is the case (its settings name the hidden cause), ``fixed_run`` the same
    case trained with ``fix`` applied. The cause is right when it is the hidden one;
    the fix works when ``fixed_run`` no longer shows the case's symptom.
    """
    cause = check_choice(cause, CAUSES, "cause")
    fix = check_choice(fix, FIXES, "fix")
    hidden = run.settings["cause"]
    symptom = CAUSES[hidden][1]
    seen = symptoms_of(run)
    cause_right = cause == hidden
    fix_works = not has_symptom(fixed_run, symptom)
    parts = []
    if cause_right:
        parts.append(f"Right: {CAUSES[hidden][0]}. The curves show {symptom}: {SYMPTOMS[symptom]}.")
    else:
        guessed = CAUSES[cause][1]
        shown = "does show" if guessed in seen else "does not show"
        parts.append(
            f"Not this time. {CAUSES[cause][0].capitalize()} would leave {guessed} "
            f"({SYMPTOMS[guessed]}); this run {shown} it. Look again at the curves"
            " and the settings."
        )
    unchanged = {k: v for k, v in run.settings.items() if k != "fix"} == {
        k: v for k, v in fixed_run.settings.items() if k != "fix"
    }
    if unchanged:
        parts.append(f"The run already has this setting ({FIXES[fix][0]}): nothing changes.")
    elif fix_works:
        parts.append(f"The fix ({FIXES[fix][0]}) removes the {symptom}.")
    else:
        parts.append(f"After the fix ({FIXES[fix][0]}) the run still shows {symptom}.")
    new_symptoms = [s for s in symptoms_of(fixed_run) if s not in seen]
    if new_symptoms:
        parts.append(f"But it now shows {', '.join(new_symptoms)}.")
    return Verdict(cause_right, fix_works, fix == CAUSES[hidden][2], new_symptoms, " ".join(parts))
