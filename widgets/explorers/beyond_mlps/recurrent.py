"""Chapter 13's recurrent-network explorer: a tiny RNN unrolled over a bit stream.

:class:`RecurrentExplorer` trains an :class:`~widgets.engine.recurrent.ElmanNetwork`
(8 tanh hidden units, Adam, back-propagation through time) on a task that needs memory,
:func:`widgets.engine.recurrent.train_recurrent`: output the bit seen ``k`` steps ago
(``delay``), or the parity of the last ``k + 1`` bits (``parity``). One network per
(task, k) is trained when first asked for (a fraction of a second, progress shown) and
cached. The learner types or draws a bit sequence and sees it run through the network
unrolled in time: the hidden state at each step as a column of coloured cells, the
output against the target at each step, and how much of the last step's gradient
reaches each earlier hidden state. A slider multiplies the trained recurrent weights
:math:`W_h`: shrink them and the network forgets and its gradient vanishes sooner.
"""

from __future__ import annotations

from collections import OrderedDict

import ipywidgets as ipw
import numpy as np

from widgets.display import Explorer
from widgets.display.controls import control_look, progress_bar, slider_look
from widgets.display.images import svg_img_tag
from widgets.display.palette import GREY, RED
from widgets.engine.recurrent import (
    TASKS,
    accuracy,
    bit_task,
    hidden_state_gradients,
    memoryless_table_accuracy,
    task_targets,
    train_recurrent,
)
from widgets.engine.validation import check_choice, check_integer, check_number

from .rnn_figures import reach_svg, unrolled_svg

__all__ = ["RecurrentExplorer", "TRAINING", "parse_bits", "MAX_LENGTH"]

#: How every network of the explorer is trained (:func:`train_recurrent`'s arguments).
TRAINING = dict(n_hidden=8, length=20, batch_size=32, n_updates=400, learning_rate=0.02, seed=0)
#: Longest and shortest sequences the learner may type.
MAX_LENGTH, MIN_LENGTH = 40, 2
#: Largest k of the slider.
MAX_K = 8
#: Fresh sequences the status's test accuracy is measured on.
N_FRESH = 200
CACHE_SIZE = 24

_RUNS: OrderedDict = OrderedDict()


def _trained(task, k, progress=None):
    """The :class:`~widgets.engine.recurrent.TrainingRun` of (task, k), cached, and the
    best accuracy a memoryless model reaches on its test sequences."""
    key = (task, k)
    if key in _RUNS:
        _RUNS.move_to_end(key)
        return _RUNS[key]
    run = train_recurrent(task, delay=k, progress=progress, n_test=N_FRESH, **TRAINING)
    train = bit_task(task, 100, TRAINING["length"], k, seed=TRAINING["seed"] + 7)
    table = memoryless_table_accuracy(train, run.test)
    _RUNS[key] = (run, table)
    while len(_RUNS) > CACHE_SIZE:
        _RUNS.popitem(last=False)
    return _RUNS[key]


def parse_bits(text) -> np.ndarray:
    """The bits typed in ``text`` (0 and 1; spaces and commas ignored), as an int array.

    Raises
    ------
    TypeError
        If ``text`` is not a string.
    ValueError
        If it holds anything but 0, 1, spaces and commas, or fewer than
        :data:`MIN_LENGTH` or more than :data:`MAX_LENGTH` bits.
    """
    if not isinstance(text, str):
        raise TypeError(f"bits must be a string of 0s and 1s; got {type(text).__name__}.")
    cleaned = text.replace(" ", "").replace(",", "")
    wrong = sorted(set(cleaned) - {"0", "1"})
    if wrong:
        raise ValueError(
            f"bits must hold only 0 and 1 (spaces and commas are ignored); got {''.join(wrong)!r}."
        )
    if not MIN_LENGTH <= len(cleaned) <= MAX_LENGTH:
        raise ValueError(
            f"bits must hold from {MIN_LENGTH} to {MAX_LENGTH} bits; got {len(cleaned)}."
        )
    return np.array([int(c) for c in cleaned])


def _random_bits(draw, length=TRAINING["length"]) -> str:
    rng = np.random.default_rng([2026, draw])
    return "".join(str(b) for b in rng.integers(0, 2, size=length))


class RecurrentExplorer(Explorer):
    """A tiny recurrent network unrolled over a bit stream the learner types.

    Controls: ``task`` (``"delay"``: output the bit k steps ago; ``"parity"``: the
    parity of the last k + 1 bits), ``k`` (1 to 8), ``bits`` (the input sequence, 2 to
    40 bits) and ``scale`` (the trained recurrent weights :math:`W_h` multiplied by
    0 to 2). Button: ``randomise`` (a new random sequence of 20 bits).
    """

    def __init__(self, task="delay", k=3, bits=None, scale=1.0):
        self._start = {
            "task": check_choice(task, TASKS, "task"),
            "k": check_integer(k, "k", low=1, high=MAX_K),
            "bits": _random_bits(0) if bits is None else bits,
            "scale": check_number(scale, "scale", low=0.0, high=2.0),
        }
        if len(parse_bits(self._start["bits"])) <= self._start["k"]:
            raise ValueError(f"bits must be longer than k = {self._start['k']}.")
        self.draws = 0
        self.progress = progress_bar(TRAINING["n_updates"], description="training")
        self.diagram = ipw.HTML()
        self.chart = ipw.HTML()
        super().__init__()

    def _build_controls(self) -> dict:
        start = self._start
        look = control_look("11em", width="36em")
        return {
            "task": ipw.ToggleButtons(
                options=[("bit k steps ago", "delay"), ("parity of last k+1 bits", "parity")],
                value=start["task"],
                description="task",
                style={**look["style"], "button_width": "14em"},
            ),
            "k": ipw.IntSlider(
                value=start["k"], min=1, max=MAX_K, description="k", **slider_look("11em", "36em")
            ),
            "bits": ipw.Text(
                value=start["bits"], description="input bits", continuous_update=False, **look
            ),
            "scale": ipw.FloatSlider(
                value=start["scale"],
                min=0.0,
                max=2.0,
                step=0.1,
                readout_format=".1f",
                description="recurrent weights ×",
                **slider_look("11em", "36em"),
            ),
        }

    def _build_buttons(self) -> dict:
        return {
            "randomise": ipw.Button(
                description="new random sequence", icon="random", layout={"width": "16em"}
            )
        }

    def _build_outputs(self) -> list:
        return [self.progress, self.diagram, self.chart]

    def randomise(self) -> None:
        """Type a new random sequence of 20 bits into ``bits`` and redraw."""

        def action():
            self.draws += 1
            with self.quiet():
                self.controls["bits"].value = _random_bits(self.draws)
            self._read({"bits"})

        self._update(action)

    # ------------------------------------------------------------------ model

    def _read(self, names) -> None:
        c = {name: control.value for name, control in self.controls.items()}
        task = check_choice(c["task"], TASKS, "task")
        k = check_integer(c["k"], "k", low=1, high=MAX_K)
        bits = parse_bits(c["bits"])
        if len(bits) <= k:
            raise ValueError(
                f"bits must be longer than k = {k}: the first target comes at step {k + 1}; "
                f"got {len(bits)} bits."
            )
        scale = check_number(c["scale"], "scale", low=0.0, high=2.0)
        if (task, k) not in _RUNS:
            self.progress.value = 0

            def tick(done, total):
                self.progress.value = done

            _trained(task, k, tick)
        self.progress.value = self.progress.max
        self.task, self.k, self.bits, self.scale = task, k, bits, scale
        self._compute()

    def _compute(self) -> None:
        run, self.memoryless = _trained(self.task, self.k)
        self.run = run
        network = run.network.copy()
        network.W_h *= self.scale
        self.network = network
        targets, mask = task_targets(self.bits[None, :].astype(float), self.task, self.k)
        self.targets, self.mask = targets[0], mask[0]
        result = network.forward(self.bits[None, :, None].astype(float))
        self.hidden = result.hidden[0, 1:]
        self.outputs = result.outputs[0, :, 0]
        right = ((self.outputs > 0.5) == (self.targets > 0.5)) * self.mask
        self.n_right, self.n_scored = int(right.sum()), int(self.mask.sum())
        test = run.test
        self.fresh_accuracy = accuracy(network.predict(test.X), test.Y, test.mask)
        X, Y = self.bits[None, :, None].astype(float), targets[..., None]
        self.reach = hidden_state_gradients(network, X, Y, mask, relative=True)
        if self.scale != 1.0:
            self.reach_trained = hidden_state_gradients(run.network, X, Y, mask, relative=True)
        else:
            self.reach_trained = None

    @property
    def diverged(self):
        return self.run.diverged_at is not None

    def _task_text(self) -> str:
        if self.task == "delay":
            return f"output the bit seen {self.k} step{'s' if self.k > 1 else ''} ago"
        return f"output the parity of the last {self.k + 1} bits"

    @property
    def status(self) -> str:
        if self.diverged:
            return f"training diverged at update {self.run.diverged_at}; nothing to show"
        left = self.reach[self.k] if self.k < len(self.reach) else 0.0
        return (
            f"{self._task_text()}, recurrent weights ×{self.scale:.1f}: "
            f"{self.n_right} of {self.n_scored} outputs right on this sequence; "
            f"{self.fresh_accuracy:.1%} on {N_FRESH} fresh sequences "
            f"(best without memory {self.memoryless:.1%}); "
            f"gradient left {self.k} steps back: {left:.1e} of the last step's"
        )

    # ------------------------------------------------------------------ drawing

    def _draw(self) -> None:
        bits_text = "".join(str(b) for b in self.bits)
        predicted = "".join(
            str(int(y > 0.5)) if m else "-" for y, m in zip(self.outputs, self.mask)
        )
        wanted = "".join(str(int(t)) if m else "-" for t, m in zip(self.targets, self.mask))
        hidden_range = f"{self.hidden.min():+.2f} to {self.hidden.max():+.2f}"
        saturated = float((np.abs(self.hidden) > 0.95).mean())
        diagram_alt = (
            f"The recurrent network unrolled over {len(self.bits)} steps of the input "
            f"{bits_text}, task: {self._task_text()}. Each step's 8 hidden units are a "
            f"column of coloured cells (values {hidden_range}, {saturated:.0%} of them "
            f"beyond ±0.95), passed to the next step by an arrow. Outputs thresholded: "
            f"{predicted}; targets: {wanted}; {self.n_right} of {self.n_scored} right."
        )
        self.images = {
            "unrolled": svg_img_tag(
                unrolled_svg(self.bits, self.hidden, self.outputs, self.targets, self.mask),
                diagram_alt,
            )
        }
        curves = [(self.reach, RED, f"weights ×{self.scale:.1f}")]
        if self.reach_trained is not None:
            curves.append((self.reach_trained, GREY, "as trained (×1.0)"))
        shown = [k for k in (1, self.k, 10) if k < len(self.reach)]
        described = ", ".join(f"{self.reach[k]:.1e} at k = {k}" for k in sorted(set(shown)))
        chart_alt = (
            "Log-scale chart of how much of the last step's gradient reaches the hidden "
            f"state k steps back, k = 0 to {len(self.reach) - 1}, recurrent weights "
            f"×{self.scale:.1f}: {described}. A gold line marks k = {self.k}."
        )
        self.images["reach"] = svg_img_tag(reach_svg(curves, self.k), chart_alt)
        self.diagram.value = self.images["unrolled"]
        self.chart.value = self.images["reach"]
