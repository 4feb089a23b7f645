"""What explorers share: the Explorer base class, figures, images, the palette, small charts.

- :mod:`.explorer`: :class:`Explorer`, the base class of every explorer, and its
  contract (read its docstring first); :func:`status_html`;
- :mod:`.palette`: every colour by name, and the diverging ramp of the heatmaps;
- :mod:`.images`: the one image pipeline: RGB arrays and matplotlib figures to PNG,
  PNG and SVG to ``<img>`` tags with required alt text;
- :mod:`.charts`: small reusable charts without matplotlib (heatmap, line chart);
- :mod:`.controls`: the look every explorer's controls share (label column, width,
  sliders that report on release) and the progress bar of explorers that train;
- :mod:`.figures`: matplotlib figures without pyplot (:func:`new_figure`) and fast
  redraws of a mostly static figure (:class:`BlittedFigure`);
- :mod:`.vega`: interactive figures that need no kernel: an Altair (Vega-Lite) chart
  as a notebook output JupyterLab draws and the built site draws from its vendored
  Vega scripts (:func:`~.vega.interactive_chart`).

This layer imports only :mod:`widgets.engine` (and ipywidgets, matplotlib, PIL; altair
where a chart is made).

Adding an explorer: write ``widgets/explorers/<name>.py`` with a subclass of
:class:`Explorer` (implement ``_build_controls``, ``_read``, ``_draw`` and ``status``),
add its public name to ``widgets/__init__.py``, and the generic test
``tests/explorers/test_every_explorer.py`` drives it through every control's extremes
and every button, with no further code.
"""

from .explorer import Explorer, status_html

__all__ = ["Explorer", "status_html"]
