"""The Playground without the widgets: its configuration and its training session.

:class:`PlaygroundConfig` holds every setting of the Playground (the counterpart of the
original's URL): it validates them, and converts to and from a dict or a JSON string.
:class:`PlaygroundSession` holds what the settings produce: the data, the train/test
split, the network, the epoch count and the loss history; it trains one epoch at a time
and notices when training diverges. The explorer (:mod:`widgets.explorers.playground`) draws a
session and wires its controls to a config; tests and chapters can use both directly.

Which change redoes what follows the original: the data set, noise, problem type and
seed make new data; the ratio a new split; the features, layers, activation,
regularization and batch size a new network; the learning rate and regularization rate
apply from the next update on, to the network as it is.
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass, field

import numpy as np

from ...engine.playground import (
    DATASETS,
    FEATURES,
    LEARNING_RATES,
    REG_RATES,
    DivergenceError,
    PlaygroundNet,
    featurize,
    make_data,
    split,
)
from ...engine.playground.data import check_features, check_points, check_targets
from ...engine.playground.net import ACTIVATIONS, check_batch_size, check_hidden
from ...engine.validation import check_choice, check_integer, check_number

PROBLEMS = ("classification", "regression")
DEFAULT_DATASET = {"classification": "circle", "regression": "plane"}
CUSTOM = "custom"

# Training has diverged, though no weight overflowed, when the training loss stays more
# than 20% above where it started (or above the loss of always answering 0, if that is
# higher) for 10 epochs in a row: every update overshoots, and the network is doing
# worse than before it learned anything. With a tanh output this is what a too-large
# learning rate looks like, since the output, and so the loss, stays bounded.
DIVERGENCE_MARGIN = 1.2
DIVERGENCE_PATIENCE = 10

# Names of the controls that a configuration may hide (see PlaygroundConfig.hide).
CONTROL_NAMES = (
    "play",
    "step",
    "reset",
    "regenerate",
    "dataset",
    "noise",
    "train_percent",
    "batch_size",
    "features",
    "hidden",
    "learning_rate",
    "activation",
    "regularization",
    "reg_rate",
    "problem",
    "show_test_data",
    "discretize",
    "learning_rule",
    "share",
)


def _offered(value, options, argument):
    """A number that must be one of the values the control offers (as that option)."""
    number = check_number(value, argument)
    for option in options:
        if math.isclose(number, option, rel_tol=1e-9, abs_tol=1e-15):
            return option
    raise ValueError(
        f"{argument} must be one of the Playground's values {list(options)}; got {value!r}."
    )


def _whole(value, argument, low, high, step=1):
    """A whole number from ``low`` to ``high``, a multiple of ``step`` (a slider's values)."""
    number = check_integer(value, argument, low=low, high=high)
    if number % step:
        raise ValueError(
            f"{argument} must be a multiple of {step} from {low} to {high}; got {value!r}."
        )
    return number


@dataclass
class PlaygroundConfig:
    """Every setting of the Playground.

    Parameters
    ----------
    dataset : str or None
        ``circle``, ``xor``, ``gauss``, ``spiral`` (classification), ``plane``,
        ``multigauss`` (regression), or ``custom`` for data of your own; None: the
        problem type's default (circle or plane).
    noise : int, default 0
        Percent, 0 to 50 in steps of 5.
    train_percent : int, default 50
        Share of training data in percent, 10 to 90 in steps of 10.
    batch_size : int, default 10
        1 to 30.
    features : tuple of str, default ("x1", "x2")
        Input features, kept in the Playground's order (``FEATURES``).
    hidden : tuple of int, default (4, 2)
        Hidden layer sizes: 0 to 6 layers of 1 to 8 neurons.
    activation : {"tanh", "relu", "sigmoid", "linear"}, default "tanh"
    learning_rate : float, default 0.03
        One of ``LEARNING_RATES``.
    regularization : {None, "L1", "L2"}, default None
    reg_rate : float, default 0
        One of ``REG_RATES``.
    problem : {"classification", "regression"}, default "classification"
    seed : int, default 0
        Seeds the data, the split and the initial weights; "regenerate" moves it on.
    show_test_data, discretize : bool, default False
        Draw the test points too; draw the output's sign instead of its value.
    hide : tuple of str, default ()
        Controls to hide (for a classroom exercise): any of ``CONTROL_NAMES``.
    """

    dataset: str | None = None
    noise: int = 0
    train_percent: int = 50
    batch_size: int = 10
    features: tuple = ("x1", "x2")
    hidden: tuple = (4, 2)
    activation: str = "tanh"
    learning_rate: float = 0.03
    regularization: str | None = None
    reg_rate: float = 0.0
    problem: str = "classification"
    seed: int = 0
    show_test_data: bool = False
    discretize: bool = False
    hide: tuple = field(default_factory=tuple)

    def __post_init__(self):
        self.validate()

    def validate(self) -> PlaygroundConfig:
        """Check every field (raising ValueError/TypeError naming it) and normalise it."""
        self.problem = check_choice(self.problem, PROBLEMS, "problem")
        if self.dataset is None:
            self.dataset = DEFAULT_DATASET[self.problem]
        options = [name for name, kind in DATASETS.items() if kind == self.problem] + [CUSTOM]
        if (
            not isinstance(self.dataset, str)
            or self.dataset not in DATASETS
            and self.dataset != CUSTOM
        ):
            raise ValueError(
                f"dataset must be one of {sorted(DATASETS) + [CUSTOM]}; got {self.dataset!r}."
            )
        if self.dataset not in options:
            raise ValueError(
                f"dataset {self.dataset!r} is a {DATASETS[self.dataset]} data set; "
                f"with problem={self.problem!r} choose one of {options}."
            )
        self.noise = _whole(self.noise, "noise", 0, 50, step=5)
        self.train_percent = _whole(self.train_percent, "train_percent", 10, 90, step=10)
        self.batch_size = check_batch_size(self.batch_size)
        names = check_features(self.features)
        # The network's inputs always come in the Playground's order, whatever the order given.
        self.features = tuple(name for name in FEATURES if name in names)
        self.hidden = check_hidden(self.hidden)
        self.activation = check_choice(self.activation, ACTIVATIONS, "activation")
        self.learning_rate = _offered(self.learning_rate, LEARNING_RATES, "learning_rate")
        if isinstance(self.regularization, str) and self.regularization.lower() == "none":
            self.regularization = None
        if self.regularization not in (None, "L1", "L2"):
            raise ValueError(
                f"regularization must be one of [None, 'L1', 'L2']; got {self.regularization!r}."
            )
        self.reg_rate = _offered(self.reg_rate, REG_RATES, "reg_rate")
        self.seed = check_integer(self.seed, "seed", low=0)
        for flag in ("show_test_data", "discretize"):
            if not isinstance(getattr(self, flag), (bool, np.bool_)):
                raise TypeError(f"{flag} must be True or False; got {getattr(self, flag)!r}.")
            setattr(self, flag, bool(getattr(self, flag)))
        hide = (self.hide,) if isinstance(self.hide, str) else tuple(self.hide)
        for name in hide:
            if name not in CONTROL_NAMES:
                raise ValueError(
                    f"hide: unknown control {name!r}; choose from {list(CONTROL_NAMES)}."
                )
        self.hide = hide
        return self

    def to_dict(self) -> dict:
        """A plain dict (lists for tuples): JSON-ready."""
        values = dataclasses.asdict(self)
        return {
            key: list(value) if isinstance(value, tuple) else value for key, value in values.items()
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True)

    @classmethod
    def from_dict(cls, values: dict) -> PlaygroundConfig:
        """Build (and validate) a config from a dict such as :meth:`to_dict` gives.

        Unknown keys are refused.
        """
        if not isinstance(values, dict):
            raise TypeError(
                f"a configuration must be a dict or a JSON object; got {type(values).__name__}."
            )
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(
                f"unknown configuration keys {unknown}; known keys are {sorted(known)}."
            )
        converted = {
            key: tuple(value) if isinstance(value, list) else value for key, value in values.items()
        }
        return cls(**converted)

    @classmethod
    def from_json(cls, text: str) -> PlaygroundConfig:
        try:
            values = json.loads(text)
        except (TypeError, json.JSONDecodeError) as error:
            raise ValueError(f"could not read the configuration as JSON: {error}") from None
        return cls.from_dict(values)

    def replace(self, **changes) -> PlaygroundConfig:
        return dataclasses.replace(self, **changes)


def check_custom_data(X, y, problem: str):
    """Your own data: X of shape (n, 2); y two classes (mapped to −1/+1) or numbers (regression).

    For classification the smaller of the two label values becomes −1 (orange) and the
    larger +1 (blue), so 0/1, −1/+1 and False/True labels all work.
    """
    X = check_points(X, "X")
    if X.shape[0] < 4:
        raise ValueError(
            f"X must have at least 4 points (some to train on, some to test on); got {X.shape[0]}."
        )
    y = check_targets(y, X.shape[0], "y")
    if problem == "classification":
        values = np.unique(y)
        if values.size != 2:
            raise ValueError(
                "y must have exactly two classes for classification; "
                f"got {values.size} distinct values "
                f"(use problem='regression' for numeric targets)."
            )
        y = np.where(y == values[1], 1.0, -1.0)
    return X, y


class PlaygroundSession:
    """Data, split, network and history for a :class:`PlaygroundConfig`.

    Parameters
    ----------
    config : PlaygroundConfig
    X, y : arrays, optional
        Your own data (the config's dataset must then be ``"custom"``).

    Attributes
    ----------
    X, y : ndarray
        All points and labels.
    X_train, y_train, X_test, y_test : ndarray
        The split (training order is the order of every epoch).
    net : PlaygroundNet
    epoch : int
    history : list of (float, float)
        (training loss, test loss) after each epoch, from epoch 0.
    diverged : str or None
        Why training stopped, once it has diverged.
    resets : int
        How often "reset" has been pressed: it seeds the next initial weights.
    """

    def __init__(self, config: PlaygroundConfig, X=None, y=None):
        self.config = config
        self.resets = 0
        self._custom = None
        if X is not None or y is not None:
            if X is None or y is None:
                raise ValueError("give both X and y for your own data, or neither.")
            self._custom_raw = (X, y)
            self._custom = check_custom_data(X, y, config.problem)
        elif config.dataset == CUSTOM:
            raise ValueError("dataset='custom' needs your own data: pass X and y.")
        self._make_data()

    # ------------------------------------------------------------------ building

    def _rng(self, purpose: int, extra: int = 0) -> np.random.Generator:
        # Independent streams for the data (0), the split (1) and the weights (2).
        return np.random.default_rng([self.config.seed, purpose, extra])

    def _make_data(self):
        config = self.config
        if config.dataset == CUSTOM:
            if self._custom is None:
                raise ValueError("dataset='custom' needs your own data: pass X and y.")
            self._custom = check_custom_data(*self._custom_raw, config.problem)
            self.X, self.y = self._custom
        else:
            self.X, self.y = make_data(config.dataset, noise=config.noise, seed=self._rng(0))
        self._split()

    def _split(self):
        self.X_train, self.y_train, self.X_test, self.y_test = split(
            self.X, self.y, self.config.train_percent, seed=self._rng(1)
        )
        self._make_net()

    def _make_net(self):
        config = self.config
        self.F_train = featurize(self.X_train, config.features)
        self.F_test = (
            featurize(self.X_test, config.features)
            if len(self.X_test)
            else np.zeros((0, len(config.features)))
        )
        self.net = PlaygroundNet(
            len(config.features),
            config.hidden,
            config.activation,
            config.problem,
            seed=self._rng(2, self.resets),
        )
        self.epoch = 0
        self.diverged = None
        self._over_streak = 0
        self.history = [self.losses()]
        baseline = float(np.mean(0.5 * self.y_train**2))
        self._divergence_level = DIVERGENCE_MARGIN * max(self.history[0][0], baseline)

    @property
    def has_custom_data(self) -> bool:
        return self._custom is not None

    @property
    def custom_data(self):
        """Your own data as the session uses it, ``(X, y)`` (labels −1/+1), or None."""
        return self._custom

    def apply(self, config: PlaygroundConfig) -> str:
        """Move to ``config``, redoing only what its changes require.

        Returns
        -------
        str
            ``"data"``, ``"split"``, ``"network"`` or ``"none"``: the deepest thing rebuilt.
        """
        old, self.config = self.config, config
        if config.dataset == CUSTOM and self._custom is None:
            self.config = old
            raise ValueError(
                "dataset='custom' needs your own data: pass X and y to the Playground."
            )
        if (old.dataset, old.noise, old.problem, old.seed) != (
            config.dataset,
            config.noise,
            config.problem,
            config.seed,
        ):
            self._make_data()
            return "data"
        if old.train_percent != config.train_percent:
            self._split()
            return "split"
        if (old.features, old.hidden, old.activation, old.regularization, old.batch_size) != (
            config.features,
            config.hidden,
            config.activation,
            config.regularization,
            config.batch_size,
        ):
            self._make_net()
            return "network"
        return "none"

    def reset(self):
        """New initial weights (the next in the seeded sequence), same data; epoch 0."""
        self.resets += 1
        self._make_net()

    def regenerate(self) -> PlaygroundConfig:
        """New data: the seed moves on by one (your own data is only split anew)."""
        self.config = self.config.replace(seed=self.config.seed + 1)
        self._make_data()
        return self.config

    # ------------------------------------------------------------------ training

    def losses(self) -> tuple:
        """(training loss, test loss): mean ½(o − t)², no penalty.

        The test loss is 0.0 (not NaN) when there are no test points.
        """
        train = self.net.loss(self.F_train, self.y_train) if len(self.y_train) else 0.0
        test = self.net.loss(self.F_test, self.y_test) if len(self.y_test) else 0.0
        return train, test

    @property
    def train_loss(self) -> float:
        return self.history[-1][0]

    @property
    def test_loss(self) -> float:
        return self.history[-1][1]

    def train(self, epochs: int) -> PlaygroundSession:
        """Train ``epochs`` epochs (fewer if the run diverges); returns the session."""
        for _ in range(check_integer(epochs, "epochs", low=0)):
            if not self.train_epoch():
                break
        return self

    @property
    def status(self) -> str:
        """One line: the epoch and both losses, or why training stopped."""
        if self.diverged:
            return self.diverged
        return (
            f"epoch {self.epoch}: test loss {self.test_loss:.3f}, "
            f"training loss {self.train_loss:.3f}"
        )

    def summary(self) -> str:
        """The settings and the state, in two lines (for a chapter's printed output)."""
        config = self.config
        hidden = ", ".join(str(h) for h in config.hidden) or "none"
        reg = config.regularization or "none"
        return (
            f"data {config.dataset} (noise {config.noise}%, {config.train_percent}% training), "
            f"features {', '.join(config.features)}; hidden layers: {hidden}; "
            f"{config.activation}; learning rate "
            f"{config.learning_rate:g}, batch {config.batch_size}, regularization {reg}"
            f"{f' {config.reg_rate:g}' if config.regularization else ''}\n{self.status}"
        )

    def train_epoch(self) -> bool:
        """Train one epoch; return False (and train nothing) once the run has diverged."""
        if self.diverged:
            return False
        config = self.config
        try:
            self.net.train_epoch(
                self.F_train,
                self.y_train,
                learning_rate=config.learning_rate,
                batch_size=config.batch_size,
                regularization=config.regularization,
                reg_rate=config.reg_rate,
            )
        except DivergenceError:
            self.diverged = (
                f"diverged at epoch {self.epoch + 1}: the weights grew without bound. "
                f"Lower the learning rate, then press reset."
            )
            return False
        self.epoch += 1
        self.history.append(self.losses())
        train = self.history[-1][0]
        self._over_streak = self._over_streak + 1 if train > self._divergence_level else 0
        if self._over_streak >= DIVERGENCE_PATIENCE:
            self.diverged = (
                f"diverged at epoch {self.epoch}: "
                "the training loss has stayed above where it started "
                f"for {DIVERGENCE_PATIENCE} epochs, each update overshooting. "
                f"Lower the learning rate, then press reset."
            )
        return True


def run_playground(epochs: int = 0, X=None, y=None, **settings) -> PlaygroundSession:
    """Build a Playground's session from its settings and train it, without any widget.

    The settings are the :class:`~widgets.explorers.playground.Playground`'s keywords (``dataset``,
    ``features``, ``hidden``, ...), so a network found in the explorer can be rebuilt
    and trained in one line, e.g. ``run_playground(300, dataset="spiral", hidden=(8, 6))``.
    Chapters use it for worked examples: it draws nothing, so it is quick and adds no
    widget to the saved notebook.
    """
    if (X is not None or y is not None) and settings.get("dataset") is None:
        settings["dataset"] = CUSTOM
    if "features" in settings and not isinstance(settings["features"], str):
        settings["features"] = tuple(settings["features"])
    session = PlaygroundSession(PlaygroundConfig(**settings), X, y)
    return session.train(epochs)
