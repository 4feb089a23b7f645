"""Chapter 13's attention explorer: move a query among five keys and watch the weights.

:class:`AttentionExplorer` computes one row of scaled dot-product attention with the
engine (:func:`widgets.engine.attention.scaled_dot_product_attention`): five tokens
A to E, each with a 2-D key and a 2-D value, and one query set by its angle and length.
The scores ``q·k_j / T`` (``T`` the temperature; transformers use ``T = √d``, here
``√2``), their softmax weights and the output ``Σ_j w_j v_j`` are drawn and printed.
A checkbox adds the attention map of a head trained on the look-up task of
:func:`widgets.engine.attention.key_value_task` (trained once, on first use, and
cached); "next sequence" shows it on another test sequence.

Headless use::

    explorer = AttentionExplorer(angle=90, length=2.0)
    explorer.weights, explorer.output, explorer.status
"""

from __future__ import annotations

import math

import ipywidgets as ipw
import numpy as np

from ...display import Explorer
from ...display.controls import control_look, progress_bar, slider_look
from ...display.images import png_img_tag
from ...engine.attention import key_value_task, scaled_dot_product_attention, train_attention_head
from ...engine.validation import check_integer, check_number
from .attention_figures import PatternFigure, QueryFigure, token_labels

__all__ = [
    "AttentionExplorer",
    "NAMES",
    "KEYS",
    "VALUES",
    "TEMPERATURES",
    "trained_head",
    "HEAD_STEPS",
]

#: The tokens' names, keys and values (one row each).
NAMES = ("A", "B", "C", "D", "E")
KEYS = np.array([[1.0, 0.35], [0.15, 1.1], [-1.05, 0.4], [-0.45, -0.95], [0.75, -0.75]])
VALUES = np.array([[1.6, 1.3], [-0.5, 1.8], [-1.7, -0.3], [0.1, -1.7], [1.6, -1.0]])

#: √d for 2-D keys: the temperature a transformer would use.
ROOT_D = math.sqrt(2.0)
#: The temperatures offered: (label, value).
TEMPERATURES = (
    ("0.25", 0.25),
    ("0.5", 0.5),
    ("1", 1.0),
    ("√2 ≈ 1.41 (√d)", ROOT_D),
    ("2", 2.0),
    ("4", 4.0),
)

#: The longest query the length slider allows.
MAX_LENGTH = 3.0
#: Adam steps of the trained head, and its data (train, test) and seed.
HEAD_STEPS = 200
HEAD_DATA = {"train": (1000, 1), "test": (200, 2)}
HEAD_SEED = 0

_HEAD: dict = {}
_PATTERNS: dict = {}


def trained_head(callback=None):
    """``(head, test_task)``: the head of the explorer, trained once and cached.

    :func:`~widgets.engine.attention.train_attention_head` on 1000 look-up sequences
    (seed 1), tested on 200 others (seed 2), :data:`HEAD_STEPS` Adam steps, seed 0.
    """
    if "head" not in _HEAD:
        train = key_value_task(HEAD_DATA["train"][0], seed=HEAD_DATA["train"][1])
        test = key_value_task(HEAD_DATA["test"][0], seed=HEAD_DATA["test"][1])
        _HEAD["head"] = train_attention_head(
            train, test, n_steps=HEAD_STEPS, seed=HEAD_SEED, callback=callback
        )
        _HEAD["test"] = test
    return _HEAD["head"], _HEAD["test"]


class AttentionExplorer(Explorer):
    """One query among five keys: scores, softmax weights and the output.

    Controls: ``angle`` (degrees) and ``length`` of the query, ``temperature`` (the
    scores are ``q·k / T``), ``trained`` (show the trained head's attention map).
    Button: ``next_sequence`` (the trained head on the next test sequence).
    """

    def __init__(self, angle=35, length=1.0, temperature=ROOT_D, trained=False):
        temperatures = [value for _, value in TEMPERATURES]
        temperature = check_number(temperature, "temperature", low=0, low_inclusive=False)
        if not any(math.isclose(temperature, t) for t in temperatures):
            raise ValueError(
                f"temperature must be one of {[round(t, 3) for t in temperatures]}; "
                f"got {temperature!r}."
            )
        if not isinstance(trained, bool):
            raise TypeError(f"trained must be True or False; got {trained!r}.")
        self._start = {
            "angle": check_integer(angle, "angle", low=0, high=360),
            "length": check_number(length, "length", low=0.0, high=MAX_LENGTH),
            "temperature": min(temperatures, key=lambda t: abs(t - temperature)),
            "trained": trained,
        }
        self.sequence = 0
        self.query = np.zeros(2)
        self.temperature = self._start["temperature"]
        self.show_trained = trained
        self.figure = ipw.HTML()
        self.pattern = ipw.HTML()
        self.progress = progress_bar(HEAD_STEPS, "training")
        self.progress.layout.display = "none"
        self._figure = QueryFigure(KEYS, VALUES, NAMES, MAX_LENGTH + 0.2)
        super().__init__()

    # ------------------------------------------------------------------ controls

    def _build_controls(self) -> dict:
        start = self._start
        look = slider_look("9em", width="28em")
        return {
            "angle": ipw.IntSlider(
                value=start["angle"], min=0, max=360, step=5, description="query angle (°)", **look
            ),
            "length": ipw.FloatSlider(
                value=start["length"],
                min=0.0,
                max=MAX_LENGTH,
                step=0.1,
                description="query length",
                **look,
            ),
            "temperature": ipw.SelectionSlider(
                options=list(TEMPERATURES),
                value=start["temperature"],
                description="temperature T",
                **look,
            ),
            "trained": ipw.Checkbox(
                value=start["trained"],
                description="show the trained head",
                indent=False,
                **control_look("9em", width="28em"),
            ),
        }

    def _build_buttons(self) -> dict:
        button = ipw.Button(description="next sequence", tooltip="the trained head on another")
        return {"next_sequence": button}

    def _build_outputs(self) -> list:
        return [self.figure, self.progress, self.pattern]

    # ------------------------------------------------------------------ model

    def _read(self, names) -> None:
        angle = check_number(self.controls["angle"].value, "angle", low=0, high=360)
        length = check_number(self.controls["length"].value, "length", low=0, high=MAX_LENGTH)
        temperature = check_number(
            self.controls["temperature"].value, "temperature", low=0, low_inclusive=False
        )
        trained = bool(self.controls["trained"].value)
        if trained and "head" not in _HEAD:
            self.progress.layout.display = None
            trained_head(callback=lambda step: setattr(self.progress, "value", step))
            self.progress.layout.display = "none"
        radians = math.radians(angle)
        self.query = np.array([math.cos(radians), math.sin(radians)]) * length
        self.temperature = temperature
        self.show_trained = trained

    def next_sequence(self) -> None:
        """Show the trained head on the next test sequence (and show the head)."""

        def action():
            head, test = trained_head()
            self.sequence = (self.sequence + 1) % len(test.y)
            self.controls["trained"].value = True
            self._read(set(self.controls))

        self._update(action)

    @property
    def attention(self):
        """``(output, weights)`` of the query: the engine's scaled dot-product attention."""
        output, weights = scaled_dot_product_attention(
            self.query[None, :], KEYS, VALUES, scale=1.0 / self.temperature
        )
        return output[0], weights[0]

    @property
    def scores(self) -> np.ndarray:
        """The scores ``q·k_j / T`` of the five keys."""
        return KEYS @ self.query / self.temperature

    @property
    def weights(self) -> np.ndarray:
        return self.attention[1]

    @property
    def output(self) -> np.ndarray:
        return self.attention[0]

    @property
    def status(self) -> str:
        output, weights = self.attention
        top = int(np.argmax(weights))
        shares = ", ".join(f"{n} {w:.2f}" for n, w in zip(NAMES, weights))
        text = (
            f"query ({self.query[0]:.2f}, {self.query[1]:.2f}), T = {self.temperature:.2f}: "
            f"weights {shares}; largest on {NAMES[top]}; output ({output[0]:.2f}, "
            f"{output[1]:.2f})"
        )
        if self.show_trained:
            head, test = trained_head()
            weights = head.weights(test.X[self.sequence : self.sequence + 1])[0, -1]
            labels = token_labels(test, self.sequence)
            answer = int(test.answer[self.sequence])
            predicted = int(head.predict(test.X[self.sequence : self.sequence + 1])[0])
            text += (
                f". Trained head, test sequence {self.sequence + 1}: {labels[-1]} puts "
                f"{weights[answer]:.2f} on {labels[answer]}, answers {predicted} "
                f"(test accuracy {head.test_accuracy:.2f})"
            )
        return text

    # ------------------------------------------------------------------ drawing

    def _draw(self) -> None:
        output, weights = self.attention
        scores = self.scores
        png = self._figure.png(self.query, scores, weights, output)
        top = int(np.argmax(weights))
        angle = self.controls["angle"].value
        alt = (
            f"Three panels. Left: five keys A to E as points in the plane and the query as a "
            f"red arrow at {angle} degrees, length {np.hypot(*self.query):.1f}. Middle: bars "
            f"of the softmax weights, "
            + ", ".join(f"{n} {w:.2f} (score {s:.2f})" for n, w, s in zip(NAMES, weights, scores))
            + f". Right: the five values as squares and the output, their weighted mean, "
            f"as a gold star at ({output[0]:.2f}, {output[1]:.2f}), pulled most towards "
            f"value {NAMES[top]}."
        )
        self.images = {"query": png_img_tag(png, alt)}
        self.figure.value = self.images["query"]
        if self.show_trained:
            tag = self._pattern_tag()
            self.images["trained"] = tag
            self.pattern.value = tag
        else:
            self.pattern.value = ""

    def _pattern_tag(self) -> str:
        if self.sequence in _PATTERNS:
            return _PATTERNS[self.sequence]
        head, test = trained_head()
        index = self.sequence
        weights = head.weights(test.X[index : index + 1])
        labels = token_labels(test, index)
        answer = int(test.answer[index])
        if "figure" not in _HEAD:
            _HEAD["figure"] = PatternFigure(len(labels))
        png = _HEAD["figure"].png(weights[0], labels, f"trained head, test sequence {index + 1}")
        row = weights[0, -1]
        alt = (
            f"Heat map of the trained head's attention weights on the sequence "
            f"{', '.join(labels)}: rows are the tokens asking, columns the tokens looked at. "
            f"The last row, the query {labels[-1]}, puts "
            + ", ".join(f"{w:.2f} on {label}" for label, w in zip(labels, row))
            + ": "
            + (
                f"most on {labels[answer]}, the pair holding the answer."
                if int(np.argmax(row)) == answer
                else f"most on {labels[int(np.argmax(row))]}, not on {labels[answer]}, "
                "the pair holding the answer."
            )
        )
        _PATTERNS[index] = png_img_tag(png, alt)
        return _PATTERNS[index]
