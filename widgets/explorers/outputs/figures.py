"""Chapter 4's static figures and the trained models behind them: softmax in the wild."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from matplotlib.patches import Patch
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split

from ...display.figures import new_figure
from ...display.palette import AMBER, GREEN, GREY, NAVY, RED
from ...engine import MLPClassifier, MLPRegressor
from ...engine.validation import check_integer


@dataclass(frozen=True)
class DigitsModel:
    """An engine MLPClassifier trained on scikit-learn's 8×8 digits, with its test set."""

    model: MLPClassifier
    X_test: np.ndarray
    y_test: np.ndarray
    probabilities: np.ndarray  # predict_proba on the test set

    @property
    def accuracy(self) -> float:
        return float((self.probabilities.argmax(axis=1) == self.y_test).mean())

    def pick(self):
        """Indices of a confident right, an uncertain, and a confident wrong test digit.

        Confident right: the highest top probability among correct answers. Uncertain:
        the lowest top probability of all. Confident wrong: the highest top probability
        among wrong answers.
        """
        top = self.probabilities.max(axis=1)
        right = self.probabilities.argmax(axis=1) == self.y_test
        confident_right = int(np.flatnonzero(right)[np.argmax(top[right])])
        uncertain = int(np.argmin(top))
        wrong = np.flatnonzero(~right)
        confident_wrong = int(wrong[np.argmax(top[wrong])]) if wrong.size else uncertain
        return confident_right, uncertain, confident_wrong


def train_digits(seed=0, hidden=32, max_iter=200) -> DigitsModel:
    """Train an engine MLPClassifier (softmax output, relu hidden) on 70% of the digits."""
    seed = check_integer(seed, "seed", low=0)
    digits = load_digits()
    X = digits.data / 16.0
    X_train, X_test, y_train, y_test = train_test_split(
        X, digits.target, test_size=0.3, random_state=seed, stratify=digits.target
    )
    model = MLPClassifier(hidden_layer_sizes=(hidden,), max_iter=max_iter, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X_train, y_train)
    return DigitsModel(model, X_test, y_test, model.predict_proba(X_test))


def plot_digit_probabilities(digits: DigitsModel, indices, titles):
    """Each chosen test digit (image) above its softmax output (ten probability bars)."""
    figure = new_figure(6.8, 4.4, layout="constrained")
    axes = figure.subplots(2, len(indices), height_ratios=[1, 1.2])
    for column, (index, title) in enumerate(zip(indices, titles)):
        image_ax, bar_ax = axes[0, column], axes[1, column]
        image_ax.imshow(digits.X_test[index].reshape(8, 8), cmap="gray_r")
        image_ax.set_xticks([])
        image_ax.set_yticks([])
        p = digits.probabilities[index]
        guess, truth = int(p.argmax()), int(digits.y_test[index])
        image_ax.set_title(f"{title}\ntrue {truth}, guess {guess}", fontsize=10)
        colours = [NAVY] * 10
        colours[guess] = RED if guess != truth else GREEN
        if guess != truth:
            colours[truth] = AMBER
        bar_ax.bar(range(10), p, color=colours)
        bar_ax.set_ylim(0, 1.15)
        bar_ax.set_yticks([0, 0.5, 1])
        bar_ax.set_xticks(range(10))
        bar_ax.tick_params(labelsize=10)
        bar_ax.set_xlabel("class", fontsize=10)
        bar_ax.text(
            guess, p[guess] + 0.03, f"{p[guess]:.3f}", ha="center", fontsize=10, va="bottom"
        )
    axes[1, 0].set_ylabel("probability", fontsize=10)
    # A key for the bar colours, under the figure.
    key = [
        Patch(color=GREEN, label="guess, right"),
        Patch(color=RED, label="guess, wrong"),
        Patch(color=AMBER, label="true class (when missed)"),
        Patch(color=NAVY, label="other classes"),
    ]
    figure.legend(handles=key, loc="outside lower center", ncol=4, fontsize=9, frameon=False)
    return figure


@dataclass(frozen=True)
class CurveFit:
    """An engine MLPRegressor (identity output) fitted to a noisy 1-D curve."""

    model: MLPRegressor
    x: np.ndarray
    y: np.ndarray
    grid: np.ndarray
    prediction: np.ndarray


def fit_curve(seed=0, n=80, hidden=16, max_iter=500, alpha=0.1) -> CurveFit:
    """Fit y = 3 sin(x) + x / 2 + noise, x in [-3, 3], with tanh hidden units."""
    seed = check_integer(seed, "seed", low=0)
    n = check_integer(n, "n", low=5)
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-3, 3, n))
    y = 3 * np.sin(x) + x / 2 + rng.normal(0, 0.3, n)
    model = MLPRegressor(
        hidden_layer_sizes=(hidden,),
        activation="tanh",
        solver="lbfgs",
        alpha=alpha,
        max_iter=max_iter,
        random_state=seed,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(x[:, None], y)
    grid = np.linspace(-3.5, 3.5, 200)
    return CurveFit(model, x, y, grid, model.predict(grid[:, None]))


def plot_curve_fit(fit: CurveFit):
    """The data, the regressor's curve, and the range of the targets (outputs go beyond)."""
    figure = new_figure(6.4, 3.4, layout="constrained")
    ax = figure.subplots()
    ax.scatter(fit.x, fit.y, s=14, color=NAVY, label="training data", zorder=3)
    ax.plot(fit.grid, fit.prediction, color=RED, linewidth=2, label="MLPRegressor output")
    ax.axhspan(0, 1, color=GREY, alpha=0.15, label="all a sigmoid output can reach")
    ax.set_xlabel("input x", fontsize=10)
    ax.set_ylabel("output (identity, unbounded)", fontsize=10)
    ax.set_title("Regression: the output unit passes its net input through", fontsize=11)
    ax.legend(fontsize=10, loc="lower right")
    return figure
