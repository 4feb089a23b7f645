"""The interactive charts compute what the engine computes: checked in a real browser.

Each chart's numbers are computed in the page by Vega expressions. Here each chart is
drawn in headless Chromium exactly as the site draws it (its HTML from
``widgets.display.vega.site_html``, the loader ``assets/vega-charts.js`` and the
vendored Vega scripts, served on 127.0.0.1 with every other host blocked); its controls'
parameters are set through the Vega view's ``signal()`` API at settings chosen here,
and the values of the marks drawn (the data behind each bar, line point and dot) are
compared with the engine's to 1e-9.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
from pathlib import Path

import numpy as np
import pytest

from widgets.display.vega import site_html
from widgets.engine.activations import softmax_with_temperature
from widgets.engine.schedules_batches import (
    ACTIVATION_NAMES,
    activation_derivative,
    activation_value,
)
from widgets.explorers.activations_batches import activation_chart
from widgets.explorers.outputs import softmax_chart

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
TOLERANCE = 1e-9

# Set the parameters of each setting, run the view, and return what every data mark
# (role "mark", not axes or legends) draws: its items' data, and their text.
DRAWN_AT = """async (settings) => {
    await window.nnoeVegaReady;
    const view = document.querySelector(".nnoe-vega").nnoeView;
    const results = [];
    function collect(mark, out) {
        for (const item of mark.items || []) {
            if (mark.marktype === "group") {
                for (const child of item.items || []) collect(child, out);
            } else if (mark.role === "mark" && item.datum) {
                const drawn = JSON.parse(JSON.stringify(item.datum));
                if (item.text !== undefined) drawn._text = String(item.text);
                (out[mark.marktype] = out[mark.marktype] || []).push(drawn);
            }
        }
    }
    for (const setting of settings) {
        for (const [name, value] of Object.entries(setting)) view.signal(name, value);
        await view.runAsync();
        const out = {};
        collect(view.scenegraph().root, out);
        results.push(out);
    }
    return results;
}"""


def _close(browser_values, engine_values) -> bool:
    a, b = np.asarray(browser_values, float), np.asarray(engine_values, float)
    return a.shape == b.shape and bool(np.all(np.abs(a - b) <= TOLERANCE * np.maximum(1, abs(b))))


@pytest.fixture(scope="module")
def chart_server(tmp_path_factory):
    """Serve a folder laid out like the site's _static: the loader and vendor/vega/."""
    vendor = ROOT / "assets" / "vendor" / "vega"
    if not (vendor / "vega.min.js").is_file():
        pytest.fail("the vendored Vega scripts are missing: run `make vendor` first")
    folder = tmp_path_factory.mktemp("charts")
    shutil.copy2(ROOT / "assets" / "vega-charts.js", folder / "vega-charts.js")
    shutil.copytree(vendor, folder / "vendor" / "vega")
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield folder, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def _drawn(chart_server, page_and_record, name, chart, settings):
    folder, url = chart_server
    (folder / f"{name}.html").write_text(
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>chart</title>"
        "<script defer src='vega-charts.js'></script></head><body>"
        + site_html(chart.spec)
        + "</body></html>",
        encoding="utf-8",
    )
    page, record = page_and_record
    page.goto(f"{url}/{name}.html", wait_until="networkidle")
    drawn = page.evaluate(DRAWN_AT, settings)
    assert record.foreign_requests == [] and record.failed_requests == []
    assert record.unexpected_console_errors() == []
    return drawn


def _softmax_settings():
    settings = [
        dict(z1=0.0, z2=0.5, z3=1.0, z4=0.0, classes=3, T=1.0),  # the lecture's example
        dict(z1=2.3, z2=-1.7, z3=0.4, z4=4.9, classes=4, T=0.1),  # sharp: z/T up to 49
        dict(z1=-5.0, z2=5.0, z3=0.0, z4=5.0, classes=4, T=5.0),  # flat, a tie at the top
        dict(z1=-5.0, z2=-5.0, z3=-5.0, z4=3.0, classes=3, T=0.3),  # three equal logits
    ]
    rng = np.random.default_rng(14)
    for _ in range(4):
        z = np.round(rng.uniform(-5, 5, 4), 1)
        settings.append(
            dict(
                **{f"z{k + 1}": float(z[k]) for k in range(4)},
                classes=int(rng.choice([3, 4])),
                T=float(np.round(rng.uniform(0.1, 5), 1)),
            )
        )
    return settings


def test_softmax_chart_probabilities_match_the_engine(chart_server, page_and_record):
    settings = _softmax_settings()
    drawn = _drawn(chart_server, page_and_record, "softmax", softmax_chart(), settings)
    for setting, marks in zip(settings, drawn):
        n = setting["classes"]
        logits = [setting[f"z{k + 1}"] for k in range(n)]
        expected = softmax_with_temperature(logits, setting["T"])
        bars = sorted(marks["rect"], key=lambda d: d["k"])
        assert [d["k"] for d in bars] == list(range(1, n + 1)), setting
        assert _close([d["p"] for d in bars], expected), (setting, bars, expected)
        labels = sorted(marks["text"], key=lambda d: d["k"])
        assert [float(d["_text"]) for d in labels] == pytest.approx(expected, abs=5e-4 + 1e-12)


def _activation_settings():
    settings = []
    for name in ACTIVATION_NAMES:
        for slope, net in ((0.1, 1.0), (0.0, -4.3), (0.37, 0.0), (0.5, 5.9)):
            settings.append(dict(fn=name, slope=slope, net=net))
    return settings


def test_activation_chart_curves_and_marked_values_match_the_engine(chart_server, page_and_record):
    settings = _activation_settings()
    drawn = _drawn(chart_server, page_and_record, "activation", activation_chart(), settings)
    for setting, marks in zip(settings, drawn):
        name, slope, net = setting["fn"], setting["slope"], setting["net"]
        # The curves: every point of both lines, at the net inputs the browser used.
        points = marks["line"]
        assert len(points) >= 2 * 240, setting
        x = np.array([d["x"] for d in points])
        assert x.min() == pytest.approx(-6) and x.max() == pytest.approx(6)
        assert _close([d["f"] for d in points], activation_value(name, x, slope)), setting
        assert _close([d["df"] for d in points], activation_derivative(name, x, slope)), setting
        values = {d["key"]: d["value"] for d in points if d["x"] == x[0]}
        assert _close([values["f"], values["df"]], [points[0]["f"], points[0]["df"]])
        # The two dots at the chosen net input, and the values written beside them.
        dots = {d["key"]: d for d in marks["symbol"]}
        f, df = activation_value(name, net, slope), activation_derivative(name, net, slope)
        assert dots["f"]["x"] == net and _close(dots["f"]["value"], f), setting
        assert _close(dots["df"]["value"], df), setting
        (readout,) = [d["_text"] for d in marks["text"]]
        # (Vega writes a negative number with a minus sign, U+2212.)
        numbers = [float(v) for v in re.findall(r"-?[\d.]+", readout.replace("\u2212", "-"))]
        assert numbers == pytest.approx([net, float(f), float(df)], abs=5e-4 + 1e-12), (
            setting,
            readout,
        )
