"""Chapter 6's early-stopping explorer: training and validation curves, and where to stop.

:class:`EarlyStoppingExplorer` trains one network for :data:`EPOCHS` epochs exactly as
``MLPClassifier(early_stopping=True)`` of scikit-learn and of :mod:`widgets.engine`
trains it (:func:`widgets.engine.stopping.epoch_curves`), and applies the early-stopping
rule (:func:`widgets.engine.stopping.stopping_rule`) with the patience and tolerance of
the controls. It shows the loss and accuracy curves of every epoch (the epochs after
the rule's stop greyed: what training on would have done), the epoch the rule stops
at, the epoch whose weights it keeps, and the test accuracy there against the last
epoch. A run is cached per setting; patience and tolerance only re-apply the rule.
"""

from __future__ import annotations

from collections import OrderedDict

import ipywidgets as ipw
import numpy as np

from widgets.display import Explorer
from widgets.display.controls import control_look, slider_look
from widgets.display.figures import BlittedFigure, new_figure
from widgets.display.images import png_img_tag
from widgets.display.palette import GOLD, GREY, NAVY, RED, TEAL
from widgets.engine.stopping import epoch_curves, label_noise_data, stopping_rule
from widgets.engine.sweeps import DATASETS
from widgets.engine.validation import check_choice, check_integer, check_number

__all__ = [
    "EarlyStoppingExplorer",
    "EPOCHS",
    "LEARNING_RATE",
    "N_TEST",
    "WIDTHS",
    "stopping_data",
    "explain_rule",
]

#: Epochs every run trains (the rule then says where it would have stopped).
EPOCHS = 300
#: Adam's learning rate (scikit-learn's default 0.001 needs ten times more epochs).
LEARNING_RATE = 0.01
#: Size of the separate test set.
N_TEST = 500
#: Hidden-layer widths offered.
WIDTHS = (4, 8, 16, 32, 64, 128)
#: Runs kept in the cache.
CACHE_SIZE = 64

_RUNS: OrderedDict = OrderedDict()
_FIGURES: OrderedDict = OrderedDict()


def stopping_data(name="moons", noise=0.2, n_train=200, seed=0):
    """The explorer's data: ``n_train`` examples to split, a share ``noise`` of them
    with a flipped label, and :data:`N_TEST` test examples with correct labels
    (:func:`widgets.engine.stopping.label_noise_data`, points jittered by 0.2)."""
    return label_noise_data(name, noise, n_train, N_TEST, seed=seed)


def _run(key):
    if key in _RUNS:
        _RUNS.move_to_end(key)
        return _RUNS[key]
    name, n_train, noise, layers, width, fraction, seed = key
    X, y, X_test, y_test = stopping_data(name, noise, n_train, seed)
    curves = epoch_curves(
        X,
        y,
        X_test,
        y_test,
        (width,) * layers,
        validation_fraction=fraction,
        max_iter=EPOCHS,
        learning_rate_init=LEARNING_RATE,
        seed=seed,
    )
    _RUNS[key] = curves
    while len(_RUNS) > CACHE_SIZE:
        _RUNS.popitem(last=False)
    return curves


def explain_rule(curves, decision) -> str:
    """The rule spelled out with the run's numbers (plain text, one paragraph)."""
    scores = curves.val_score
    p, tol = decision.n_iter_no_change, decision.tol
    best, at = decision.best_score, decision.best_epoch
    text = (
        f"Rule: after each epoch compare the validation accuracy with the best so far; "
        f"an epoch that does not beat the best by at least tol = {tol:g} counts as "
        f"'no improvement'; stop when more than {p} epochs in a row are. "
    )
    if decision.stopped:
        first = decision.stop_epoch - p
        shown = ", ".join(f"{s:.3f}" for s in scores[first - 1 : decision.stop_epoch])
        text += (
            f"Here the best, {best:.3f}, came at epoch {at}. Epochs {first} to "
            f"{decision.stop_epoch} ({p + 1} in a row) scored {shown}: none beat the best "
            f"before it by {tol:g} or more, so training stops after epoch "
            f"{decision.stop_epoch} and the weights of epoch {at} are restored."
        )
    else:
        text += (
            f"In {curves.n_epochs} epochs the count never passed {p}, so the rule did not "
            f"fire; the weights of the best epoch, {at} (validation {best:.3f}), are kept."
        )
    return text


def _one_of(value, options, argument):
    """``value`` if it is one of ``options`` (numbers), else ValueError naming ``argument``."""
    if value not in options:
        raise ValueError(f"{argument} must be one of {list(options)}; got {value!r}.")
    return value


class EarlyStoppingExplorer(Explorer):
    """Training and validation curves of one network, and the epoch early stopping picks.

    Controls: ``data`` (moons, circles, xor, spirals), ``n_train`` (examples before the
    validation split), ``noise`` (share of those examples with a flipped label),
    ``layers`` (1 or 2 hidden layers), ``width`` (hidden units of each),
    ``validation_fraction`` (share held out for validation), ``patience``
    (``n_iter_no_change``), ``tol`` and ``seed``.
    """

    def __init__(
        self,
        data="moons",
        n_train=200,
        noise=0.2,
        layers=2,
        width=128,
        validation_fraction=0.3,
        patience=10,
        tol=1e-4,
        seed=0,
    ):
        self._start = {
            "data": check_choice(data, DATASETS[:4], "data"),
            "n_train": check_integer(n_train, "n_train", low=40, high=400),
            "noise": check_number(noise, "noise", low=0.0, high=0.3),
            "layers": _one_of(check_integer(layers, "layers"), (1, 2), "layers"),
            "width": _one_of(check_integer(width, "width"), WIDTHS, "width"),
            "validation_fraction": check_number(
                validation_fraction, "validation_fraction", low=0.1, high=0.5
            ),
            "patience": check_integer(patience, "patience", low=1, high=50),
            "tol": check_number(tol, "tol", low=1e-5, high=0.1),
            "seed": check_integer(seed, "seed", low=0, high=4),
        }
        self.figure = ipw.HTML()
        self.rule = ipw.HTML()
        self._key = None
        self.patience, self.tol = self._start["patience"], self._start["tol"]
        super().__init__()

    # ------------------------------------------------------------------ controls

    def _build_controls(self) -> dict:
        start = self._start
        look = control_look("11em", width="32em")
        common = slider_look("11em", width="32em")
        return {
            "data": ipw.Dropdown(
                options=list(DATASETS[:4]),
                value=start["data"],
                description="data set",
                **look,
            ),
            "n_train": ipw.IntSlider(
                value=start["n_train"], min=40, max=400, step=20, description="examples", **common
            ),
            "noise": ipw.FloatSlider(
                value=start["noise"],
                min=0.0,
                max=0.3,
                step=0.05,
                description="label noise",
                **common,
            ),
            "layers": ipw.ToggleButtons(
                options=[1, 2],
                value=start["layers"],
                description="hidden layers",
                style={**look["style"], "button_width": "4em"},
            ),
            "width": ipw.SelectionSlider(
                options=list(WIDTHS), value=start["width"], description="hidden units", **common
            ),
            "validation_fraction": ipw.FloatSlider(
                value=start["validation_fraction"],
                min=0.1,
                max=0.5,
                step=0.05,
                description="validation fraction",
                **common,
            ),
            "patience": ipw.IntSlider(
                value=start["patience"],
                min=1,
                max=50,
                description="patience",
                **common,
            ),
            "tol": ipw.FloatLogSlider(
                value=start["tol"],
                base=10,
                min=-5,
                max=-1,
                step=0.5,
                description="tol",
                readout_format=".0e",
                **common,
            ),
            "seed": ipw.IntSlider(value=start["seed"], min=0, max=4, description="seed", **common),
        }

    def _build_outputs(self) -> list:
        return [self.figure, self.rule]

    # ------------------------------------------------------------------ model

    def _read(self, names) -> None:
        c = {name: control.value for name, control in self.controls.items()}
        key = (
            check_choice(c["data"], DATASETS[:4], "data"),
            check_integer(c["n_train"], "n_train", low=20),
            round(check_number(c["noise"], "noise", low=0.0, high=0.5), 3),
            _one_of(check_integer(c["layers"], "layers"), (1, 2), "layers"),
            _one_of(check_integer(c["width"], "width"), WIDTHS, "width"),
            round(check_number(c["validation_fraction"], "validation_fraction", 0.05, 0.9), 3),
            check_integer(c["seed"], "seed", low=0),
        )
        patience = check_integer(c["patience"], "patience", low=1)
        tol = float(f"{check_number(c['tol'], 'tol', low=0.0):.3g}")
        curves = _run(key)
        if curves.n_epochs == 0:
            raise ValueError("Training diverged in the first epoch; nothing to show.")
        self._key, self.patience, self.tol = key, patience, tol

    @property
    def curves(self):
        """The :class:`~widgets.engine.stopping.EpochCurves` of the current setting."""
        return _run(self._key)

    @property
    def decision(self):
        """The :class:`~widgets.engine.stopping.StoppingDecision` for the current rule."""
        return stopping_rule(self.curves.val_score, self.patience, self.tol)

    @property
    def test_at_best(self) -> float:
        """Test accuracy of the weights the rule keeps."""
        return float(self.curves.test_score[self.decision.best_epoch - 1])

    @property
    def test_at_last(self) -> float:
        """Test accuracy after the last epoch trained (no early stopping)."""
        return float(self.curves.test_score[-1])

    @property
    def status(self) -> str:
        c, d = self.curves, self.decision
        where = f"stops after epoch {d.stop_epoch}" if d.stopped else "never fires"
        return (
            f"{c.n_train} training, {c.n_validation} validation examples: the rule {where}, "
            f"keeps epoch {d.best_epoch} (validation {d.best_score:.3f}); test accuracy "
            f"{self.test_at_best:.3f} there, {self.test_at_last:.3f} after all "
            f"{c.n_epochs} epochs"
        )

    # ------------------------------------------------------------------ drawing

    def _draw(self) -> None:
        curves, decision = self.curves, self.decision
        blitted = _FIGURES.get(self._key)
        if blitted is None:
            blitted = _FIGURES[self._key] = _StoppingFigure(curves, self._key[0])
            while len(_FIGURES) > 8:
                _FIGURES.popitem(last=False)
        else:
            _FIGURES.move_to_end(self._key)
        png = blitted.png(decision)
        alt = (
            f"Two panels against epochs 1 to {curves.n_epochs}. Left, losses: training "
            f"loss from {curves.loss[0]:.2f} to {curves.loss[-1]:.2f}, validation loss from "
            f"{curves.val_loss[0]:.2f} to {curves.val_loss[-1]:.2f} (lowest "
            f"{curves.val_loss.min():.2f} at epoch {int(curves.val_loss.argmin()) + 1}). "
            f"Right, accuracy: training ends at {curves.train_score[-1]:.2f}, validation "
            f"at {curves.val_score[-1]:.2f}, test at {curves.test_score[-1]:.2f}. A dashed "
            f"line marks the stop after epoch {decision.stop_epoch}, a gold line the kept "
            f"epoch {decision.best_epoch} (test {self.test_at_best:.2f})."
        )
        self.images = {"curves": png_img_tag(png, alt)}
        self.figure.value = self.images["curves"]
        self.rule.value = (
            '<p style="max-width:44em;font-size:14px">'
            + explain_rule(curves, decision).replace("&", "&amp;").replace("<", "&lt;")
            + "</p>"
        )


class _StoppingFigure:
    """The two panels of one run; only the markers of the rule move (blitted)."""

    def __init__(self, curves, name):
        epochs = np.arange(1, curves.n_epochs + 1)
        figure = new_figure(6.8, 2.9)
        figure.subplots_adjust(left=0.085, right=0.985, top=0.90, bottom=0.30, wspace=0.28)
        loss_ax, acc_ax = figure.subplots(1, 2)
        loss_ax.plot(epochs, curves.loss, color=NAVY, label="training")
        loss_ax.plot(epochs, curves.val_loss, color=RED, label="validation")
        loss_ax.set_ylabel("loss", fontsize=10)
        top = float(np.percentile(np.concatenate([curves.loss, curves.val_loss]), 99))
        loss_ax.set_ylim(0, max(top * 1.1, 0.1))
        acc_ax.plot(epochs, curves.train_score, color=NAVY, label="training")
        acc_ax.plot(epochs, curves.val_score, color=RED, label="validation")
        acc_ax.plot(epochs, curves.test_score, color=TEAL, label="test")
        acc_ax.set_ylabel("accuracy", fontsize=10)
        low = float(min(curves.val_score.min(), curves.test_score.min(), 0.9))
        acc_ax.set_ylim(max(0.0, low - 0.05), 1.01)
        for axes, title in ((loss_ax, f"{name}: loss"), (acc_ax, "accuracy")):
            axes.set_xlabel("epoch", fontsize=10)
            axes.set_xlim(0, curves.n_epochs + 1)
            axes.tick_params(labelsize=9.5)
            axes.set_title(title, fontsize=10)
        self.moving = []
        self.spans = []
        for axes in (loss_ax, acc_ax):
            span = axes.axvspan(0, 1, color=GREY, alpha=0.12, linewidth=0)
            stop = axes.axvline(1, color=GREY, linestyle="--", linewidth=1.3, label="rule stops")
            kept = axes.axvline(1, color=GOLD, linewidth=2.2, label="weights kept")
            self.spans.append(span)
            self.moving += [span, stop, kept]
        handles, labels = acc_ax.get_legend_handles_labels()
        figure.legend(handles, labels, loc="lower center", ncol=5, fontsize=9.5, frameon=False)
        self.n_epochs = curves.n_epochs
        self.blitted = BlittedFigure(figure, self.moving)

    def png(self, decision) -> bytes:
        stop, best = decision.stop_epoch, decision.best_epoch
        for i, span in enumerate(self.spans):
            x0 = stop + 0.5 if decision.stopped else self.n_epochs + 1
            span.set_x(x0)
            span.set_width(max(self.n_epochs + 1 - x0, 0.0))
            span.set_visible(decision.stopped)
            stop_line, kept_line = self.moving[3 * i + 1], self.moving[3 * i + 2]
            stop_line.set_xdata([stop, stop])
            stop_line.set_visible(decision.stopped)
            kept_line.set_xdata([best, best])
        return self.blitted.png()
