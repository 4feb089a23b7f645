"""The softmax explorer: logits in, exponentials, their sum and probabilities out.

Headless use::

    explorer = SoftmaxExplorer()                 # the lecture's logits 0, 0.5, 1
    explorer.probabilities                       # 0.186, 0.307, 0.506
    explorer.set(shift=3.0)                      # adding a constant: same probabilities
    explorer.set(temperature=2.0)                # dividing by T: flatter
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import ipywidgets as ipw
import numpy as np

from ...display import Explorer
from ...display.images import svg_img_tag
from ...display.palette import NAVY, TEAL
from ...engine.activations import softmax, softmax_with_temperature
from ...engine.validation import as_float_array, check_finite, check_integer, check_number
from .bars import bars_svg

#: Logits of the lecture's worked example, then zeros for the classes it does not have.
LECTURE_LOGITS = (0.0, 0.5, 1.0)
MAX_CLASSES = 6
LOGIT_RANGE = (-5.0, 5.0)
TEMPERATURE_RANGE = (0.1, 10.0)


@dataclass(frozen=True)
class SoftmaxParts:
    """Every number of one softmax, as the lecture writes it out.

    ``scaled = (logits + shift) / temperature``, ``exponentials = exp(scaled)``,
    ``total = sum(exponentials)``, ``probabilities = exponentials / total``
    (computed by :func:`widgets.engine.activations.softmax_with_temperature`, which
    subtracts the largest value first; the two agree whenever ``exp`` does not overflow).
    """

    logits: np.ndarray
    shift: float
    temperature: float
    scaled: np.ndarray
    exponentials: np.ndarray
    total: float
    probabilities: np.ndarray


def softmax_parts(logits=LECTURE_LOGITS, temperature=1.0, shift=0.0) -> SoftmaxParts:
    """The exponentials, their sum and the probabilities of ``softmax((net + shift) / T)``.

    >>> parts = softmax_parts([0, 0.5, 1])
    >>> round(parts.total, 2), parts.exponentials.round(2).tolist()
    (5.37, [1.0, 1.65, 2.72])
    """
    z = check_finite(as_float_array(logits, "logits", "a list of logits"), "logits")
    if z.ndim != 1 or not 2 <= z.size <= MAX_CLASSES:
        raise ValueError(f"logits must be a list of 2 to {MAX_CLASSES} numbers; got {z.shape}.")
    temperature = check_number(temperature, "temperature", low=0, low_inclusive=False)
    shift = check_number(shift, "shift")
    scaled = (z + shift) / temperature
    exponentials = np.exp(scaled)
    probabilities = softmax_with_temperature(z + shift, temperature)
    return SoftmaxParts(
        z, shift, temperature, scaled, exponentials, float(exponentials.sum()), probabilities
    )


def worked_example_probability(index=2):
    """The lecture's worked example, softmax(0, 0.5, 1), entry ``index`` (0, 1 or 2)."""
    index = check_integer(index, "index", low=0, high=2)
    return float(softmax(list(LECTURE_LOGITS))[index])


def worked_example_total():
    """The sum of the exponentials in the lecture's example: 1 + e^0.5 + e^1."""
    return softmax_parts(LECTURE_LOGITS).total


class SoftmaxExplorer(Explorer):
    """Softmax of 3 to 6 logits, with a temperature and a constant added to every logit.

    Parameters
    ----------
    logits : sequence of float, default (0, 0.5, 1)
        Starting logits, 3 to 6 of them, each between -5 and 5 (their number sets
        ``classes``).
    temperature : float, default 1.0
        Between 0.1 and 10 (log slider).
    shift : float, default 0.0
        A constant added to every logit, between -5 and 5.

    Attributes
    ----------
    controls : dict
        ``classes`` (3 to 6), ``logit_1`` ... ``logit_6``, ``temperature``, ``shift``.
    parts : SoftmaxParts
        The numbers on display; ``probabilities`` is a shortcut.
    """

    def __init__(self, logits=LECTURE_LOGITS, temperature=1.0, shift=0.0):
        parts = softmax_parts(logits, temperature, shift)
        if parts.logits.size < 3:
            raise ValueError("logits must be a list of 3 to 6 numbers.")
        low, high = LOGIT_RANGE
        for value in parts.logits:
            check_number(float(value), "logits", low=low, high=high)
        check_number(temperature, "temperature", *TEMPERATURE_RANGE)
        check_number(shift, "shift", low=low, high=high)
        self._initial = (parts.logits, temperature, shift)
        super().__init__()

    def _build_controls(self) -> dict:
        logits, temperature, shift = self._initial
        style = {"description_width": "8em"}
        layout = ipw.Layout(width="28em", max_width="100%")
        controls = {
            "classes": ipw.IntSlider(
                value=logits.size,
                min=3,
                max=MAX_CLASSES,
                description="classes",
                continuous_update=False,
                style=style,
                layout=layout,
            )
        }
        for k in range(MAX_CLASSES):
            controls[f"logit_{k + 1}"] = ipw.FloatSlider(
                value=float(logits[k]) if k < logits.size else 0.0,
                min=LOGIT_RANGE[0],
                max=LOGIT_RANGE[1],
                step=0.1,
                readout_format=".1f",
                description=f"logit net{k + 1}",
                continuous_update=False,
                style=style,
                layout=layout,
            )
        controls["temperature"] = ipw.FloatLogSlider(
            value=temperature,
            base=10,
            min=math.log10(TEMPERATURE_RANGE[0]),
            max=math.log10(TEMPERATURE_RANGE[1]),
            step=0.05,
            readout_format=".3g",
            description="temperature T",
            continuous_update=False,
            style=style,
            layout=layout,
        )
        controls["shift"] = ipw.FloatSlider(
            value=shift,
            min=LOGIT_RANGE[0],
            max=LOGIT_RANGE[1],
            step=0.5,
            readout_format=".1f",
            description="add c to all",
            continuous_update=False,
            style=style,
            layout=layout,
        )
        return controls

    def _build_outputs(self) -> list:
        self.figure = ipw.HTML()
        self.table = ipw.HTML()
        return [self.figure, self.table]

    @property
    def probabilities(self) -> np.ndarray:
        return self.parts.probabilities

    def _read(self, names) -> None:
        n = int(self.controls["classes"].value)
        logits = [float(self.controls[f"logit_{k + 1}"].value) for k in range(n)]
        self.parts = softmax_parts(
            logits,
            float(self.controls["temperature"].value),
            float(self.controls["shift"].value),
        )
        # The plain softmax (T = 1, no shift), drawn beside the bars for comparison.
        self.plain = softmax(logits)

    @property
    def status(self) -> str:
        p = self.parts
        values = ", ".join(f"{v:.3f}" for v in p.probabilities)
        return (
            f"probabilities {values} (sum {p.probabilities.sum():.3f}); "
            f"sum of exponentials {p.total:.4g}; T = {p.temperature:.3g}, "
            f"c = {p.shift:g}"
        )

    def _draw(self) -> None:
        p = self.parts
        n = p.logits.size
        groups = [f"class {k + 1}" for k in range(n)]
        svg = bars_svg(
            groups,
            [(p.probabilities, NAVY), (self.plain, TEAL)],
            ["softmax((net + c) / T)", "plain softmax(net)"],
            top=1.0,
        )
        best = int(np.argmax(p.probabilities))
        alt = (
            f"Bar chart of the softmax probabilities of {n} classes: "
            + ", ".join(f"class {k + 1} {v:.2f}" for k, v in enumerate(p.probabilities))
            + f"; the largest is class {best + 1}. Beside each, the plain softmax of the "
            "logits without temperature or shift: "
            + ", ".join(f"{v:.2f}" for v in self.plain)
            + "."
        )
        self.images["figure"] = svg_img_tag(svg, alt)
        self.figure.value = self.images["figure"]
        self.table.value = self._table_html()

    def _table_html(self) -> str:
        p = self.parts
        head = (
            "<tr><th>class</th><th>logit net</th><th>(net + c) / T</th>"
            "<th>exp((net + c) / T)</th><th>probability</th></tr>"
        )
        rows = [
            f"<tr><td>{k + 1}</td><td>{z:.2f}</td><td>{s:.3f}</td>"
            f"<td>{e:.4g}</td><td>{e:.4g} / {p.total:.4g} = {q:.3f}</td></tr>"
            for k, (z, s, e, q) in enumerate(
                zip(p.logits, p.scaled, p.exponentials, p.probabilities)
            )
        ]
        rows.append(
            f"<tr><td colspan='3'><b>sum</b></td><td><b>{p.total:.4g}</b></td>"
            f"<td><b>{p.probabilities.sum():.3f}</b></td></tr>"
        )
        n = p.logits.size
        off = ""
        if n < MAX_CLASSES:
            unused = ", ".join(
                f"{self.controls[f'logit_{k + 1}'].value:g}" for k in range(n, MAX_CLASSES)
            )
            off = (
                f"<p>Logits {n + 1} to {MAX_CLASSES} are off (set to {unused}); "
                "raise <i>classes</i> to use them.</p>"
            )
        return f"<table class='nnoe-table'>{head}{''.join(rows)}</table>{off}"
