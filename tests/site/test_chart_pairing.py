"""Chapter 4's output/loss pairing chart: its curves are the engine's, and it answers its controls.

The output, the loss and the error signal of each pairing are computed in the browser
(Vega expressions); here every drawn point of every curve, the marked points and the
written values are read back at settings chosen in this file and compared with
:func:`widgets.explorers.outputs.pairing_sweep` (the engine's forward pass and
back-propagation) to 1e-9, then the chart is driven through every control on the built
site.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from vegacheck import (
    changes,
    close,
    control_names,
    drawn_marks,
    number,
    open_figure,
    range_input,
)

from widgets.explorers.outputs import PAIRINGS, pairing_chart, pairing_sweep

pytestmark = pytest.mark.browser
PAGE = "chapters/04_outputs_and_loss.html"
#: The chart's place among the page's charts (softmax, cross-entropy, pairing).
INDEX = 2
NUMBER = r"[\u2212+-]?\d+\.\d+"
SIGMOID_SE, SOFTMAX_CE, IDENTITY_SE = PAIRINGS


def _settings():
    settings = [
        dict(pairing=SIGMOID_SE, t=1.0, net=-4.0),  # the first view: confidently wrong
        dict(pairing=SOFTMAX_CE, t=0.0, net=8.0),  # wrong the other way, at the edge
        dict(pairing=IDENTITY_SE, t=0.3, net=2.5),
        dict(pairing=SOFTMAX_CE, t=0.7, net=-8.0),  # a soft target: both log terms
        dict(pairing=SIGMOID_SE, t=0.55, net=0.1),
    ]
    rng = np.random.default_rng(41)
    for _ in range(3):
        settings.append(
            dict(
                pairing=str(rng.choice(PAIRINGS)),
                t=float(np.round(rng.uniform(0, 1) / 0.05) * 0.05),
                net=float(np.round(rng.uniform(-8, 8), 1)),
            )
        )
    return settings


def _is(item, name):
    """Whether a drawn item belongs to the layer ``name`` (Vega-Lite names its mark
    ``<name>_marks``; Altair suffixes the names of layers inside a concatenation)."""
    return re.fullmatch(rf"{name}(_\d+)?_marks", item["_mark"]) is not None


def _chosen_values(figure):
    """The values written in bold: those of the pairing chosen."""
    marks = figure.locator("svg g.mark-text.role-mark[class*='values_chosen'] text")
    return marks.all_text_contents()


def _by_pairing(items):
    found = {}
    for item in items:
        found.setdefault(item["pairing"], []).append(item)
    return found


def test_pairing_chart_curves_and_marked_values_match_the_engine(chart_server, page_and_record):
    settings = _settings()
    drawn = drawn_marks(chart_server, page_and_record, "pairing", pairing_chart(), settings)
    for setting, marks in zip(settings, drawn):
        t, net, chosen = setting["t"], setting["net"], setting["pairing"]
        # The curves: every point of every line, at the net inputs the browser used.
        for panel in ("loss", "delta"):
            faint = _by_pairing(d for d in marks["line"] if _is(d, f"{panel}_faint"))
            full = _by_pairing(d for d in marks["line"] if _is(d, f"{panel}_full"))
            assert set(faint) == set(PAIRINGS) and set(full) == {chosen}, (setting, panel)
            for pairing, points in [*faint.items(), *full.items()]:
                nets = np.array([d["net"] for d in points])
                assert len(nets) == 161 and nets.min() == -8 and nets.max() == 8
                sweep = pairing_sweep(pairing, t, nets)
                assert close([d["z"] for d in points], sweep.outputs), (setting, pairing)
                assert close([d["loss"] for d in points], sweep.losses), (setting, pairing)
                assert close([d["delta"] for d in points], sweep.deltas), (setting, pairing)
        # The marked points of both panels and the values written above them.
        dots = _by_pairing(marks["symbol"])
        assert all(_is(d, "loss_dots") or _is(d, "delta_dots") for d in marks["symbol"])
        assert {p: len(d) for p, d in dots.items()} == dict.fromkeys(PAIRINGS, 2)
        written = {
            d["pairing"]: d["_text"]
            for d in marks["text"]
            if _is(d, "values_chosen") or _is(d, "values_other")
        }
        (bold,) = [d["pairing"] for d in marks["text"] if _is(d, "values_chosen")]
        assert bold == chosen
        for pairing in PAIRINGS:
            at = pairing_sweep(pairing, t, [net])
            for dot in dots[pairing]:
                assert dot["net"] == net
                assert close(
                    [dot["z"], dot["loss"], dot["delta"]], [*at.outputs, *at.losses, *at.deltas]
                )
            numbers = [number(v) for v in re.findall(NUMBER, written[pairing])]
            assert numbers == pytest.approx(
                [at.outputs[0], at.losses[0], at.deltas[0]], abs=5e-4 + 1e-12
            ), written[pairing]
        (heading,) = [d["_text"] for d in marks["text"] if _is(d, "heading")]
        assert [number(v) for v in re.findall(NUMBER, heading)] == pytest.approx([net, t])
    # What the chart is for: confidently wrong (t = 1, net = -8), the sigmoid with squared
    # error sends back almost nothing, softmax with cross-entropy almost 1.
    assert pairing_sweep(SIGMOID_SE, 1.0, [-8.0]).deltas[0] < 1e-3
    assert pairing_sweep(SOFTMAX_CE, 1.0, [-8.0]).deltas[0] > 0.999


def test_pairing_chart_answers_every_control(site_url, page_and_record):
    page, record = page_and_record
    figure = open_figure(site_url, page, PAGE, INDEX)
    # The first view: the sigmoid with squared error, confidently wrong, in bold.
    (first,) = _chosen_values(figure)
    assert first.startswith(SIGMOID_SE) and "+0.017" in first
    moves = {
        "pairing": lambda: figure.get_by_role("radio", name=SOFTMAX_CE).check(),
        "t": lambda: range_input(figure, "t").fill("0.3"),
        "net": lambda: range_input(figure, "net").fill("2.5"),
    }
    assert set(moves) == control_names(figure), "every control of the chart is moved"
    unchanged = [name for name, move in moves.items() if not changes(page, figure, move)]
    assert unchanged == []
    # The values written for the chosen pairing at this setting, against the engine.
    (bold,) = _chosen_values(figure)
    at = pairing_sweep(SOFTMAX_CE, 0.3, [2.5])
    assert bold.startswith(SOFTMAX_CE)
    assert [number(v) for v in re.findall(NUMBER, bold)] == pytest.approx(
        [at.outputs[0], at.losses[0], at.deltas[0]], abs=5e-4
    ), bold
    assert record.foreign_requests == [] and record.failed_requests == []
    assert record.unexpected_console_errors() == []
