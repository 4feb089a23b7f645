"""The interactive charts (widgets/display/vega.py and the two chapter charts), without a browser.

What they compute is checked in Chromium against the engine (tests/site/test_vega_values.py);
here: what a notebook stores, what the site's HTML holds, MyST-NB's plugin, and the
charts' arguments.
"""

from __future__ import annotations

import json
from importlib.metadata import entry_points

import pytest

from widgets.display.vega import (
    VEGALITE_MIMETYPE,
    MystNbPlugin,
    VegaChart,
    site_html,
)
from widgets.explorers.activations_batches import activation_chart, activation_expressions
from widgets.explorers.outputs import softmax_chart

DESCRIPTION = "A test chart: one bar per class, its height the class's probability."


def _spec(**extra):
    return {"$schema": "https://vega.github.io/schema/vega-lite/v6.1.0.json", "mark": "bar"} | extra


def test_chart_needs_a_description():
    with pytest.raises(ValueError, match="description"):
        VegaChart(_spec())
    with pytest.raises(ValueError, match="description"):
        VegaChart(_spec(description="bars"))
    with pytest.raises(TypeError, match="spec"):
        VegaChart("not a spec")


def test_notebook_output_is_jupyterlab_vegalite_and_text():
    chart = VegaChart(_spec(description=DESCRIPTION))
    data, metadata = chart._repr_mimebundle_()
    assert set(data) == {VEGALITE_MIMETYPE, "text/plain"}
    assert VEGALITE_MIMETYPE == "application/vnd.vegalite.v5+json"
    assert data[VEGALITE_MIMETYPE] == chart.spec
    assert DESCRIPTION in data["text/plain"]
    assert metadata[VEGALITE_MIMETYPE]["embed_options"]["actions"] is False


def test_site_html_carries_spec_description_and_a_stable_id():
    spec = _spec(description=DESCRIPTION + " </script><b>", title="x")
    page = site_html(spec)
    assert page == site_html(dict(reversed(list(spec.items())))), "same spec, same HTML"
    assert "</script><b>" not in page, "the spec cannot end its script element early"
    payload = page.split('class="nnoe-vega-spec">', 1)[1].split("</script>", 1)[0]
    assert json.loads(payload) == spec
    assert "&lt;/script&gt;&lt;b&gt;" in page, "the visible description is escaped"
    element = page.split('id="', 1)[1].split('"', 1)[0]
    assert f'aria-describedby="{element}-description"' in page


class _Renderer:
    def __init__(self):
        self.js = {}

    def add_js_file(self, key, uri, kwargs):
        self.js[key] = (uri, kwargs)


class _Data:
    def __init__(self, mime_type, content, cell_index=None, output_index=None):
        self.mime_type, self.content = mime_type, content
        self.cell_index, self.output_index = cell_index, output_index


def test_mystnb_plugin_writes_the_chart_and_adds_the_loader_once():
    spec = _spec(description=DESCRIPTION)
    renderer = _Renderer()
    assert MystNbPlugin.handle_mime(renderer, _Data("text/plain", "x"), False) is None
    assert MystNbPlugin.handle_mime(renderer, _Data(VEGALITE_MIMETYPE, spec), True) is None
    for content in (spec, json.dumps(spec)):
        (node,) = MystNbPlugin.handle_mime(renderer, _Data(VEGALITE_MIMETYPE, content), False)
        assert node.astext() == site_html(spec)
    assert renderer.js == {"nnoe_vega_charts": ("vega-charts.js", {"defer": "defer"})}
    # The same chart in two cells of a page: two ids.
    (first,) = MystNbPlugin.handle_mime(renderer, _Data(VEGALITE_MIMETYPE, spec, 3, 0), False)
    (second,) = MystNbPlugin.handle_mime(renderer, _Data(VEGALITE_MIMETYPE, spec, 7, 0), False)
    assert first.astext() != second.astext() and 'id="nnoe-vega-' in first.astext()
    assert ("html", VEGALITE_MIMETYPE, 25) in MystNbPlugin.mime_priority_overrides


def test_plugin_is_registered_with_mystnb():
    found = [e.value for e in entry_points(group="myst_nb.mime_renderers")]
    assert "widgets.display.vega:MystNbPlugin" in found, "run `make setup` (pip install -e .)"


def test_softmax_chart_controls_and_description():
    chart = softmax_chart()
    assert chart.parameters == {"z1": 0.0, "z2": 0.5, "z3": 1.0, "z4": 0.0, "classes": 3, "T": 1.0}
    # The description quotes the engine's probabilities of the starting logits.
    assert "0.186, 0.307, 0.506" in chart.description
    assert softmax_chart([1, 2, 3, 4], 2.0).parameters["classes"] == 4
    with pytest.raises(ValueError, match="logits"):
        softmax_chart([1, 2])
    with pytest.raises(ValueError, match="logits"):
        softmax_chart([1, 2, 9])
    with pytest.raises(ValueError, match="temperature"):
        softmax_chart(temperature=0)


def test_activation_chart_controls_and_description():
    chart = activation_chart()
    assert chart.parameters == {"fn": "logistic", "slope": 0.1, "net": 1.0}
    (fn,) = [p for p in chart.spec["params"] if p["name"] == "fn"]
    assert fn["bind"]["options"] == [
        "identity",
        "logistic",
        "tanh",
        "relu",
        "leaky_relu",
        "sine",
    ]
    assert "f = 0.731, f′ = 0.197" in chart.description
    with pytest.raises(ValueError, match="function"):
        activation_chart("softmax")
    with pytest.raises(ValueError, match="net"):
        activation_chart(net=7)
    with pytest.raises(TypeError):
        activation_expressions("")


def test_charts_are_the_same_on_every_run():
    # nbval compares a chart cell's stored output with a fresh run.
    assert softmax_chart().spec == softmax_chart().spec
    assert activation_chart().spec == activation_chart().spec
