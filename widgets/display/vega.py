"""Interactive figures that need no kernel: Altair (Vega-Lite) charts, in the browser.

A chart's controls are Vega-Lite parameters bound to sliders, dropdowns or radio
buttons, and its numbers are computed in the browser by Vega expressions, so the
figure answers its controls on the static site (no kernel, no network) and in
JupyterLab alike. :func:`interactive_chart` turns an Altair chart into a
:class:`VegaChart`, which a notebook cell displays:

- **in JupyterLab** through its built-in Vega renderer. JupyterLab 4 renders the
  mimetype ``application/vnd.vegalite.v5+json`` (with Vega-Lite 5.6) and not Altair 6's
  ``application/vnd.vegalite.v6+json``, so the spec is offered under the v5 mimetype.
  The course's charts keep to what both Vega-Lite 5 and 6 read (parameters bound to
  inputs, ``calculate``, ``filter``, ``fold``, ``sequence``, layers), and the live test
  draws one in JupyterLab;
- **on the built site** through :class:`MystNbPlugin` (registered with MyST-NB by the
  package's entry point ``myst_nb.mime_renderers``). It writes the HTML of
  :func:`site_html`, a ``<div class="nnoe-vega">`` holding the spec as JSON, and adds
  ``assets/vega-charts.js`` to that page only; that script loads the vendored Vega,
  Vega-Lite and vega-embed (``_static/vendor/vega/``, copied from npm by
  ``tools/vendor.py``) and draws every chart of the page. Pages without a chart load
  none of it;
- **as text** (a console, nbval's comparison): one line naming the chart and its
  description.

Every chart carries a description for screen readers: the Vega-Lite ``description``
(Vega writes it as the ``aria-label`` of the drawing) and, on the site, the same text
in a visually hidden paragraph beside it.
"""

from __future__ import annotations

import hashlib
import html
import json

__all__ = [
    "VEGALITE_MIMETYPE",
    "VegaChart",
    "interactive_chart",
    "site_html",
    "MystNbPlugin",
]

#: The mimetype JupyterLab 4's built-in Vega renderer draws (Vega-Lite 3 to 5).
VEGALITE_MIMETYPE = "application/vnd.vegalite.v5+json"
#: The class of a chart's element on the site; ``assets/vega-charts.js`` looks for it.
SITE_CLASS = "nnoe-vega"
#: The loader script, under ``_static/`` (``assets/`` in the repository).
LOADER = "vega-charts.js"
#: vega-embed's options: no export menu (it offers downloads and the Vega editor online).
EMBED_OPTIONS = {"actions": False, "renderer": "svg"}


class VegaChart:
    """A Vega-Lite spec with its description, displayable in a notebook.

    Parameters
    ----------
    spec : dict
        A complete Vega-Lite spec (as ``altair.Chart.to_dict()`` returns it) with a
        top-level ``description``.

    Attributes
    ----------
    spec : dict
    description : str
    """

    def __init__(self, spec: dict):
        if not isinstance(spec, dict):
            raise TypeError(f"spec must be a Vega-Lite spec (a dict); got {type(spec).__name__}.")
        description = spec.get("description")
        if not isinstance(description, str) or len(description.strip()) < 40:
            raise ValueError(
                "spec must carry a 'description' of at least 40 characters saying what "
                "the chart shows and how its controls change it."
            )
        self.spec = spec
        self.description = description

    @property
    def parameters(self) -> dict:
        """Name → initial value of each parameter bound to a control."""
        return {p["name"]: p.get("value") for p in self.spec.get("params", []) if "bind" in p}

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = {
            VEGALITE_MIMETYPE: self.spec,
            "text/plain": f"Interactive chart (Vega-Lite): {self.description}",
        }
        metadata = {VEGALITE_MIMETYPE: {"embed_options": dict(EMBED_OPTIONS)}}
        return data, metadata

    def to_html(self) -> str:
        """The chart's HTML on the built site (see :func:`site_html`)."""
        return site_html(self.spec)


def interactive_chart(chart, description: str) -> VegaChart:
    """A :class:`VegaChart` of the Altair ``chart``, described by ``description``.

    The spec is validated against Altair's Vega-Lite schema (``chart.to_dict()``).

    Parameters
    ----------
    chart : altair.TopLevelMixin
        A chart whose controls are parameters bound to inputs.
    description : str
        What the chart shows and how its controls change it (40 characters or more):
        read by screen readers in place of the drawing.
    """
    if not isinstance(description, str):
        raise TypeError(f"description must be a string; got {type(description).__name__}.")
    spec = chart.properties(description=description).to_dict()
    return VegaChart(spec)


def _element_id(spec: dict, place: str) -> str:
    digest = hashlib.sha1(json.dumps(spec, sort_keys=True).encode("utf-8")).hexdigest()
    return f"nnoe-vega-{digest[:12]}" + (f"-{place}" if place else "")


def site_html(spec: dict, place: str = "") -> str:
    """The HTML of a chart on the built site: its description, a place for the drawing,
    and the spec as JSON, which ``assets/vega-charts.js`` draws with the vendored Vega.

    The element's id is derived from the spec and ``place`` (the plugin passes the
    output's cell and output numbers, so the same chart twice on a page gets two ids),
    so the page is the same on every build.
    """
    chart = VegaChart(spec)
    element = _element_id(spec, place)
    # "</" cannot end the script early once written as "<\/" (still valid JSON).
    payload = json.dumps(spec, sort_keys=True, ensure_ascii=False).replace("</", "<\\/")
    options = json.dumps(EMBED_OPTIONS, sort_keys=True)
    return (
        f'<div class="{SITE_CLASS}" id="{element}">'
        f'<p class="nnoe-visually-hidden" id="{element}-description">'
        f"{html.escape(chart.description)}</p>"
        f'<div class="nnoe-vega-view" aria-describedby="{element}-description"></div>'
        f'<script type="application/json" class="nnoe-vega-spec">{payload}</script>'
        f'<script type="application/json" class="nnoe-vega-options">{options}</script>'
        "</div>"
    )


class MystNbPlugin:
    """MyST-NB renders an output of :data:`VEGALITE_MIMETYPE` on HTML pages with this.

    Registered in ``pyproject.toml`` under the entry point group
    ``myst_nb.mime_renderers``. For HTML builders the Vega-Lite output is preferred to
    the text one; the page gets :func:`site_html` and the loader script (once).
    """

    mime_priority_overrides = [
        (builder, VEGALITE_MIMETYPE, 25) for builder in ("html", "dirhtml", "singlehtml")
    ]

    @staticmethod
    def handle_mime(renderer, data, inline):
        if data.mime_type != VEGALITE_MIMETYPE or inline:
            return None
        from docutils import nodes

        content = data.content
        spec = json.loads(content) if isinstance(content, (str, bytes)) else dict(content)
        renderer.add_js_file("nnoe_vega_charts", LOADER, {"defer": "defer"})
        place = "-".join(
            str(n)
            for n in (getattr(data, "cell_index", None), getattr(data, "output_index", None))
            if n is not None
        )
        html_text = site_html(spec, place)
        return [nodes.raw(text=html_text, format="html", classes=["output", "text_html"])]
