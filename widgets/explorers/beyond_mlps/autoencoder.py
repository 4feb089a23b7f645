"""Chapter 13's autoencoder explorer: squeeze the digits through k numbers, against PCA.

:class:`AutoencoderExplorer` trains one :class:`~widgets.engine.autoencoder.Autoencoder`
(64 → 32 → k → 32 → 64, tanh, 150 epochs of Adam) per code size ``k`` in
:data:`~widgets.engine.autoencoder.BOTTLENECK_SIZES` on the training digits when it is
built (a progress bar fills; the fitted models are kept for the session, so a second
explorer starts at once), and PCA with ``k`` components on the same digits. The size
and example sliders then only look up what was computed (another seed trains its four
sizes once, about a second): ten held-out digits beside their two
reconstructions, the error of both against ``k``, and the digits' codes in a scatter
(for ``k = 2`` the codes themselves; for larger ``k`` their first two principal
components, since a page has two axes).
"""

from __future__ import annotations

import html

import ipywidgets as ipw
import numpy as np
from sklearn.decomposition import PCA
from threadpoolctl import threadpool_limits

from widgets.display import Explorer
from widgets.display.controls import progress_bar, slider_look
from widgets.display.figures import BlittedFigure, new_figure
from widgets.display.images import encode_png, png_img_tag
from widgets.display.palette import GREY
from widgets.engine.autoencoder import (
    BOTTLENECK_SIZES,
    Autoencoder,
    ErrorTable,
    load_digit_split,
    pca_reconstruct,
    reconstruction_error,
)
from widgets.engine.validation import check_integer

from .autoencoder_figures import DIGIT_COLOURS, digit_strip, draw_error_vs_size, scatter_pixels

#: The scatter's colour key: a swatch of each digit's colour beside the digit. (The digit
#: itself stays in the text colour: several palette colours are too light to read as text.)
_KEY = (
    '<div style="line-height:1.25">digit<br>'
    + "<br>".join(
        f'<span aria-hidden="true" style="display:inline-block;width:0.7em;height:0.7em;'
        f'border-radius:50%;background:{colour}"></span> {digit}'
        for digit, colour in enumerate(DIGIT_COLOURS)
    )
    + "</div>"
)

__all__ = ["AutoencoderExplorer", "trained_sizes", "error_table", "N_EXAMPLES", "N_SEEDS"]

#: How many examples of each digit the "example" slider steps through.
N_EXAMPLES = 5

#: Screen pixels per digit pixel in the strips of digits.
STRIP_SCALE = 5

#: Seeds the explorer offers.
N_SEEDS = 5

#: (k, seed) → the fitted autoencoder and what the explorer shows of it.
_RESULTS: dict = {}


def _one_of(value, options, argument):
    value = check_integer(value, argument)
    if value not in options:
        raise ValueError(f"{argument} must be one of {list(options)}; got {value!r}.")
    return value


def trained_sizes(seed=0, progress=None):
    """Per code size: the fitted autoencoder and its codes, reconstructions and errors.

    Returns a dict ``k → dict`` with keys ``model``, ``codes`` (test digits' codes),
    ``reconstructions`` (test digits), ``error`` (autoencoder, per pixel),
    ``pca_reconstructions`` and ``pca_error``. Computed once per seed and session;
    ``progress`` (an ``IntProgress``) counts the sizes trained.
    """
    data = load_digit_split()
    results = {}
    for k in BOTTLENECK_SIZES:
        key = (k, seed)
        if key not in _RESULTS:
            model = Autoencoder(k, random_state=seed).fit(data.X_train)
            reconstructions = model.reconstruct(data.X_test)
            _, pca_reconstructions = pca_reconstruct(data.X_train, data.X_test, k)
            codes = model.encode(data.X_test)
            if k > 2:  # two axes: the codes' own first two principal components
                codes = PCA(2).fit(model.encode(data.X_train)).transform(codes)
            _RESULTS[key] = {
                "model": model,
                "codes": codes,
                "reconstructions": reconstructions,
                "error": reconstruction_error(data.X_test, reconstructions),
                "pca_reconstructions": pca_reconstructions,
                "pca_error": reconstruction_error(data.X_test, pca_reconstructions),
            }
        results[k] = _RESULTS[key]
        if progress is not None:
            progress.value = BOTTLENECK_SIZES.index(k) + 1
    return results


def error_table(seeds=range(N_SEEDS)):
    """The held-out errors of :func:`trained_sizes` for several seeds, as an ``ErrorTable``.

    The same numbers :func:`widgets.engine.autoencoder.compare_with_pca` computes (same
    data, same autoencoders), from the models the explorer keeps, so that a chapter and
    its explorer train each one once.
    """
    seeds = tuple(check_integer(seed, "seeds", low=0) for seed in seeds)
    with threadpool_limits(1):  # small matrices; the course shares two cores
        results = [trained_sizes(seed) for seed in seeds]
    return ErrorTable(
        BOTTLENECK_SIZES,
        seeds,
        np.array([[r[k]["error"] for r in results] for k in BOTTLENECK_SIZES]),
        np.array([results[0][k]["pca_error"] for k in BOTTLENECK_SIZES]),
    )


class AutoencoderExplorer(Explorer):
    """Reconstructions through a bottleneck of k numbers, against PCA with k components.

    Controls: ``bottleneck`` (the code size k: 2, 4, 8 or 16), ``example`` (which
    held-out example of each digit 0–9 is shown) and ``seed`` (0–4: the autoencoders'
    initial weights and mini-batches). The four sizes of the starting seed are trained
    when the explorer is built; another seed's four are trained the first time it is
    chosen (the progress bar fills) and kept for the session.
    """

    def __init__(self, bottleneck=2, example=1, seed=0):
        self._start = {
            "bottleneck": _one_of(bottleneck, BOTTLENECK_SIZES, "bottleneck"),
            "example": check_integer(example, "example", low=1, high=N_EXAMPLES),
            "seed": check_integer(seed, "seed", low=0, high=N_SEEDS - 1),
        }
        self.data = load_digit_split()
        self.progress = progress_bar(len(BOTTLENECK_SIZES), "trained")
        self.k, self.example = self._start["bottleneck"], self._start["example"]
        self.seed = self._start["seed"]
        self.results = self._train(self.seed)
        self.strips = ipw.HTML()
        self.errors_view = ipw.HTML()
        self.scatter_view = ipw.HTML()
        self._errors_figures: dict = {}
        super().__init__()

    def _train(self, seed) -> dict:
        self.progress.value = 0
        with threadpool_limits(1):  # small matrices; the course shares two cores
            return trained_sizes(seed, self.progress)

    # ------------------------------------------------------------------ controls

    def _build_controls(self) -> dict:
        look = slider_look("10em")
        return {
            "bottleneck": ipw.SelectionSlider(
                options=list(BOTTLENECK_SIZES),
                value=self._start["bottleneck"],
                description="code size k",
                **look,
            ),
            "example": ipw.IntSlider(
                value=self._start["example"],
                min=1,
                max=N_EXAMPLES,
                description="example of each digit",
                **look,
            ),
            "seed": ipw.IntSlider(
                value=self._start["seed"], min=0, max=N_SEEDS - 1, description="seed", **look
            ),
        }

    def _build_outputs(self) -> list:
        return [
            self.progress,
            self.strips,
            ipw.HBox([self.errors_view, self.scatter_view], layout={"flex_flow": "row wrap"}),
        ]

    # ------------------------------------------------------------------ model

    def _read(self, names) -> None:
        k = _one_of(self.controls["bottleneck"].value, BOTTLENECK_SIZES, "code size k")
        example = check_integer(self.controls["example"].value, "example", low=1, high=N_EXAMPLES)
        seed = check_integer(self.controls["seed"].value, "seed", low=0, high=N_SEEDS - 1)
        if seed != self.seed:
            self.results = self._train(seed)
        self.k, self.example, self.seed = k, example, seed

    @property
    def result(self) -> dict:
        """What was computed for the current code size (see :func:`trained_sizes`)."""
        return self.results[self.k]

    @property
    def shown(self) -> np.ndarray:
        """Row indices into the test digits shown: the chosen example of each of 0–9."""
        y = self.data.y_test
        return np.array([np.flatnonzero(y == digit)[self.example - 1] for digit in range(10)])

    @property
    def status(self) -> str:
        ae, pca = self.result["error"], self.result["pca_error"]
        if ae < pca:
            verdict = f"autoencoder lower by {100 * (pca - ae) / pca:.0f}%"
        else:
            verdict = f"PCA lower by {100 * (ae - pca) / ae:.0f}%"
        return (
            f"k = {self.k}: test error per pixel, autoencoder {ae:.4f}, PCA {pca:.4f} "
            f"({verdict}; {len(self.data.X_test)} held-out digits, seed {self.seed})"
        )

    # ------------------------------------------------------------------ drawing

    def _errors_figure(self):
        """The error-against-k chart of the current seed (a blitted figure, made once)."""
        if self.seed not in self._errors_figures:
            figure = new_figure(3.9, 2.7, dpi=100)
            axes = figure.add_axes((0.19, 0.17, 0.78, 0.78))
            sizes = list(BOTTLENECK_SIZES)
            draw_error_vs_size(
                axes,
                sizes,
                [self.results[k]["error"] for k in sizes],
                [self.results[k]["pca_error"] for k in sizes],
            )
            marker = axes.axvline(sizes[0], color=GREY, linewidth=8, alpha=0.25, zorder=0)
            self._errors_figures[self.seed] = (BlittedFigure(figure, [marker]), marker)
        return self._errors_figures[self.seed]

    def _draw(self) -> None:
        result, shown, k = self.result, self.shown, self.k
        X = self.data.X_test[shown]
        digits = ", ".join(str(d) for d in range(10))
        rows = [
            ("original", X, f"Ten held-out digits, {digits}: example {self.example} of each."),
            (
                "autoencoder",
                result["reconstructions"][shown],
                f"The same ten digits redrawn by the autoencoder from a code of {k} numbers "
                f"each; error on these ten "
                f"{reconstruction_error(X, result['reconstructions'][shown]):.4f} per pixel.",
            ),
            (
                "PCA",
                result["pca_reconstructions"][shown],
                f"The same ten digits redrawn by PCA from {k} components each; error on "
                f"these ten {reconstruction_error(X, result['pca_reconstructions'][shown]):.4f}"
                " per pixel.",
            ),
        ]
        self.images = {}
        cells = []
        for name, images, alt in rows:
            tag = png_img_tag(encode_png(digit_strip(images, scale=STRIP_SCALE)), alt)
            self.images[name] = tag
            cells.append(
                f'<tr><td style="padding-right:0.8em;text-align:right">{html.escape(name)}</td>'
                f"<td>{tag}</td></tr>"
            )
        self.strips.value = f'<table style="border-collapse:separate">{"".join(cells)}</table>'

        chart, marker = self._errors_figure()
        marker.set_xdata([k, k])
        sizes = BOTTLENECK_SIZES
        summary = "; ".join(
            f"k={s}: {self.results[s]['error']:.4f} vs {self.results[s]['pca_error']:.4f}"
            for s in sizes
        )
        self.images["errors"] = png_img_tag(
            chart.png(),
            "Test error per pixel against code size k, autoencoder (red) and PCA (navy), "
            f"k = {k} highlighted; autoencoder vs PCA: {summary}.",
        )
        codes_text = (
            "the 2-number codes"
            if k == 2
            else f"the {k}-number codes, projected on their first two principal components,"
        )
        self.images["codes"] = png_img_tag(
            encode_png(scatter_pixels(result["codes"], self.data.y_test)),
            f"Scatter of {codes_text} of the {len(self.data.y_test)} held-out "
            "digits, each point drawn as its digit in its own colour; digits of one class "
            "gather in groups, some classes overlap.",
        )
        self.errors_view.value = self.images["errors"]
        title = "the codes" if k == 2 else f"the codes' first 2 principal components (k = {k})"
        self.scatter_view.value = (
            f'<div style="text-align:center">{html.escape(title)}</div>'
            f'<div style="display:flex;align-items:center;gap:0.6em">{self.images["codes"]}'
            f"{_KEY}</div>"
        )
