"""The cross-entropy explorer: a target t and a prediction z, term by term.

Headless use::

    explorer = CrossEntropyExplorer()            # the lecture's t/z table
    explorer.table.terms, explorer.table.total   # 0, 0, 0.11, 0.69, 2.30; 3.1
    explorer.set(example="soft target")          # distributions: entropy and KL too
    explorer.set(unit="bits")
"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as ipw
import numpy as np

from ...display import Explorer
from ...display.images import svg_img_tag
from ...display.palette import AMBER, NAVY, RED
from ...engine.losses import cross_entropy_terms, entropy, kl_divergence
from ...engine.validation import as_float_array, check_choice
from .bars import bars_svg

#: The lecture's table: five targets and five outputs (not one distribution: see the chapter).
LECTURE_TARGETS = (0.0, 1.0, 1.0, 1.0, 1.0)
LECTURE_OUTPUTS = (0.01, 1.0, 0.9, 0.5, 0.1)

#: Ready-made examples: name -> (targets, predictions).
EXAMPLES = {
    "lecture's table": (LECTURE_TARGETS, LECTURE_OUTPUTS),
    "one-hot, confident and right": ((0, 1, 0, 0), (0.04, 0.88, 0.04, 0.04)),
    "one-hot, unsure": ((0, 1, 0, 0), (0.25, 0.3, 0.25, 0.2)),
    "one-hot, confident and wrong": ((0, 1, 0, 0), (0.88, 0.04, 0.04, 0.04)),
    "soft target": ((0.1, 0.7, 0.1, 0.1), (0.2, 0.5, 0.2, 0.1)),
    "soft target, matched": ((0.1, 0.7, 0.1, 0.1), (0.1, 0.7, 0.1, 0.1)),
}
CUSTOM = "custom (typed)"
UNITS = ("nats", "bits")
MAX_ENTRIES = 8


def parse_values(text, argument):
    """Read a comma-separated list of 2 to 8 numbers; ValueError says what is wrong."""
    if not isinstance(text, str):
        raise TypeError(f"{argument} must be text such as '0, 1, 0'; got {type(text).__name__}.")
    pieces = [piece for piece in text.replace(";", ",").split(",") if piece.strip()]
    try:
        values = [float(piece) for piece in pieces]
    except ValueError:
        raise ValueError(
            f"{argument}: type 2 to {MAX_ENTRIES} numbers separated by commas, "
            f"such as 0, 1, 0; got {text!r}."
        ) from None
    array = as_float_array(values, argument)
    if not 2 <= array.size <= MAX_ENTRIES or not np.isfinite(array).all():
        raise ValueError(f"{argument}: type 2 to {MAX_ENTRIES} finite numbers; got {text!r}.")
    return array


@dataclass(frozen=True)
class CrossEntropyTable:
    """The per-term table of ``-t ln z`` and what follows from it.

    ``terms`` and ``total`` are in ``unit``. When both columns are probability
    distributions (each sums to 1), ``target_entropy`` is H(t) and ``gap`` the KL
    divergence H(t, z) - H(t); otherwise both are None.
    """

    targets: np.ndarray
    outputs: np.ndarray
    unit: str
    terms: np.ndarray
    total: float
    target_entropy: float | None
    gap: float | None

    @property
    def distributions(self) -> bool:
        return self.target_entropy is not None


def cross_entropy_table(targets=LECTURE_TARGETS, outputs=LECTURE_OUTPUTS, unit="nats"):
    """Build the table for targets ``t`` in [0, 1] and outputs ``z`` in (0, 1].

    >>> table = cross_entropy_table()
    >>> table.terms.round(2).tolist(), round(table.total, 1)
    ([0.0, 0.0, 0.11, 0.69, 2.3], 3.1)
    """
    unit = check_choice(unit, UNITS, "unit")
    t = as_float_array(targets, "targets")
    z = as_float_array(outputs, "outputs")
    if t.shape != z.shape or t.ndim != 1:
        raise ValueError(
            f"targets and outputs must be lists of the same length; got {t.size} and {z.size}."
        )
    if not np.isfinite(t).all() or (t < 0).any() or (t > 1).any():
        raise ValueError("targets must be numbers between 0 and 1.")
    if not np.isfinite(z).all() or (z <= 0).any() or (z > 1).any():
        raise ValueError(
            "outputs (predictions z) must be above 0 and at most 1: ln 0 is minus infinity."
        )
    factor = 1.0 if unit == "nats" else 1.0 / np.log(2.0)
    terms = cross_entropy_terms(t, z) * factor
    is_distribution = np.isclose(t.sum(), 1.0, atol=1e-6) and np.isclose(z.sum(), 1.0, atol=1e-6)
    h = entropy(t / t.sum(), unit) if is_distribution else None
    gap = kl_divergence(t / t.sum(), z / z.sum(), unit) if is_distribution else None
    return CrossEntropyTable(t, z, unit, terms, float(terms.sum()), h, gap)


def lecture_table_total(unit="nats"):
    """The total of the lecture's t/z/CE table (3.1 nats)."""
    return cross_entropy_table(LECTURE_TARGETS, LECTURE_OUTPUTS, unit).total


def lecture_table_term(row=2):
    """One term, -t ln z, of the lecture's table (row 0 to 4)."""
    return float(cross_entropy_table().terms[row])


def _as_text(values) -> str:
    return ", ".join(f"{v:g}" for v in values)


class CrossEntropyExplorer(Explorer):
    """Cross-entropy of a prediction against a target, one term per class.

    Parameters
    ----------
    example : str, default "lecture's table"
        One of :data:`EXAMPLES`: fills the two text fields.
    unit : {"nats", "bits"}, default "nats"

    Attributes
    ----------
    controls : dict
        ``example`` (dropdown), ``targets`` and ``outputs`` (text: numbers separated by
        commas), ``unit`` (nats or bits).
    table : CrossEntropyTable
        The numbers on display.
    """

    def __init__(self, example="lecture's table", unit="nats"):
        self._example = check_choice(example, EXAMPLES, "example")
        self._unit = check_choice(unit, UNITS, "unit")
        super().__init__()

    def _build_controls(self) -> dict:
        targets, outputs = EXAMPLES[self._example]
        style = {"description_width": "8em"}
        layout = ipw.Layout(width="30em", max_width="100%")
        return {
            "example": ipw.Dropdown(
                options=[*EXAMPLES, CUSTOM],
                value=self._example,
                description="example",
                style=style,
                layout=layout,
            ),
            "targets": ipw.Text(
                value=_as_text(targets),
                description="targets t",
                continuous_update=False,
                style=style,
                layout=layout,
            ),
            "outputs": ipw.Text(
                value=_as_text(outputs),
                description="predictions z",
                continuous_update=False,
                style=style,
                layout=layout,
            ),
            "unit": ipw.ToggleButtons(options=list(UNITS), value=self._unit, description="unit"),
        }

    def _build_outputs(self) -> list:
        self.summary = ipw.HTML()
        self.figure = ipw.HTML()
        self.table_view = ipw.HTML()
        return [self.summary, self.figure, self.table_view]

    def _read(self, names) -> None:
        example = self.controls["example"].value
        if "example" in names and example != CUSTOM and names == {"example"}:
            targets, outputs = EXAMPLES[example]
            self.controls["targets"].value = _as_text(targets)
            self.controls["outputs"].value = _as_text(outputs)
        elif names & {"targets", "outputs"} and len(names) < len(self.controls):
            self.controls["example"].value = CUSTOM
        targets = parse_values(self.controls["targets"].value, "targets")
        outputs = parse_values(self.controls["outputs"].value, "predictions")
        self.table = cross_entropy_table(targets, outputs, self.controls["unit"].value)

    @property
    def status(self) -> str:
        t = self.table
        line = f"cross-entropy {t.total:.4g} {t.unit}"
        if t.distributions:
            line += (
                f"; target entropy {t.target_entropy:.4g} {t.unit}; gap (KL) {t.gap:.4g} {t.unit}"
            )
        else:
            line += "; t and z are not both distributions (no entropy or KL)"
        return line

    def _draw(self) -> None:
        t = self.table
        n = t.targets.size
        top = max(1.0, float(np.ceil(t.terms.max())))
        svg = bars_svg(
            [f"{k + 1}" for k in range(n)],
            [(t.targets, NAVY), (t.outputs, AMBER), (t.terms, RED)],
            ["target t", "prediction z", f"term −t ln z ({t.unit})"],
            top=top,
        )
        worst = int(np.argmax(t.terms))
        alt = (
            f"Bar chart over {n} rows: targets "
            + _as_text(t.targets)
            + ", predictions "
            + _as_text(t.outputs)
            + ", and the cross-entropy terms "
            + ", ".join(f"{v:.2f}" for v in t.terms)
            + f" {t.unit}; the largest term is row {worst + 1}, and they sum to {t.total:.2f}."
        )
        self.images["figure"] = svg_img_tag(svg, alt)
        self.figure.value = self.images["figure"]
        self.table_view.value = self._table_html()
        self.summary.value = self._summary_html()

    def _summary_html(self) -> str:
        t = self.table
        example = self.controls["example"].value
        text = f"<p>Example: <i>{example}</i>. Cross-entropy H(t, z) = {t.total:.4g} {t.unit}. "
        if t.distributions:
            text += (
                f"The target's own entropy H(t) = {t.target_entropy:.4g} {t.unit} is the "
                f"least it can be; the gap, the KL divergence, is {t.gap:.4g} {t.unit}.</p>"
            )
        else:
            text += (
                f"The targets sum to {t.targets.sum():g} and the predictions to "
                f"{t.outputs.sum():.4g}, so they are not two distributions over the same "
                "classes: read each row as its own example, the predicted probability z of "
                "an outcome whose target is t.</p>"
            )
        return text

    def _table_html(self) -> str:
        t = self.table
        rows = "".join(
            f"<tr><td>{k + 1}</td><td>{a:g}</td><td>{b:g}</td><td>{c:.2f}</td></tr>"
            for k, (a, b, c) in enumerate(zip(t.targets, t.outputs, t.terms))
        )
        return (
            "<table class='nnoe-table'><tr><th>row</th><th>t</th><th>z</th>"
            f"<th>−t ln z ({t.unit})</th></tr>{rows}"
            f"<tr><td colspan='3'><b>total</b></td><td><b>{t.total:.2f}</b></td></tr></table>"
        )
