"""Chapter 4's explorers and figures: softmax, cross-entropy, output/loss pairings.

- :mod:`.softmax`: :class:`SoftmaxExplorer` and the worked example's numbers;
- :mod:`.cross_entropy`: :class:`CrossEntropyExplorer` and the lecture's t/z/CE table;
- :mod:`.pairing`: each output/loss pairing's loss and error signal, from the engine's
  back-propagation; :mod:`.pairing_widget`: :class:`PairingExplorer`;
- :mod:`.figures`: softmax in the wild (digits) and a regression with an identity output;
- :mod:`.bars`: the small SVG bar chart the explorers share;
- :mod:`.softmax_chart`, :mod:`.cross_entropy_chart`, :mod:`.pairing_chart`: the
  softmax, the cross-entropy's terms and the output/loss pairings as interactive figures
  computed in the browser (Vega-Lite), for the site's readers who have no kernel.
"""

from .cross_entropy import (
    EXAMPLES,
    LECTURE_OUTPUTS,
    LECTURE_TARGETS,
    CrossEntropyExplorer,
    CrossEntropyTable,
    cross_entropy_table,
    lecture_table_term,
    lecture_table_total,
)
from .cross_entropy_chart import CROSS_ENTROPY_EXPRESSIONS, chart_target, cross_entropy_chart
from .figures import (
    CurveFit,
    DigitsModel,
    fit_curve,
    plot_curve_fit,
    plot_digit_probabilities,
    train_digits,
)
from .pairing import PAIRINGS, PairingSweep, all_pairings, error_signal, pairing_sweep
from .pairing_chart import PAIRING_EXPRESSIONS, pairing_chart
from .pairing_widget import PairingExplorer
from .softmax import (
    LECTURE_LOGITS,
    SoftmaxExplorer,
    SoftmaxParts,
    softmax_parts,
    worked_example_probability,
    worked_example_total,
)
from .softmax_chart import SOFTMAX_EXPRESSIONS, softmax_chart

__all__ = [
    "CROSS_ENTROPY_EXPRESSIONS",
    "EXAMPLES",
    "LECTURE_LOGITS",
    "LECTURE_OUTPUTS",
    "LECTURE_TARGETS",
    "PAIRINGS",
    "PAIRING_EXPRESSIONS",
    "CrossEntropyExplorer",
    "CrossEntropyTable",
    "CurveFit",
    "DigitsModel",
    "PairingExplorer",
    "PairingSweep",
    "SOFTMAX_EXPRESSIONS",
    "SoftmaxExplorer",
    "SoftmaxParts",
    "all_pairings",
    "chart_target",
    "cross_entropy_chart",
    "cross_entropy_table",
    "error_signal",
    "fit_curve",
    "lecture_table_term",
    "lecture_table_total",
    "pairing_chart",
    "pairing_sweep",
    "plot_curve_fit",
    "plot_digit_probabilities",
    "softmax_chart",
    "softmax_parts",
    "train_digits",
    "worked_example_probability",
    "worked_example_total",
]
