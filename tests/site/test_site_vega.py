"""The built site's interactive charts (Vega-Lite): offline, light, and answering controls.

Static checks: the pages with a chart, and only those, load the loader
``_static/vega-charts.js``; the vendored Vega scripts are on the site; a chart adds at
most 1.5 MB to its page. In Chromium, with every request outside 127.0.0.1 blocked:
each bound control of each chart is moved and the drawn marks must change, one drawn
value is compared with the engine, and the console stays clean: one file per figure,
``tests/site/test_chart_*.py``, with the shared checks of ``tests/vegacheck.py``.
"""

from __future__ import annotations

import re

from build_book import PAGE_BUDGET, over_budget, page_weights

# Each page with interactive charts, and how many it has.
CHART_PAGES = {
    "chapters/01_gradient_descent.html": 1,
    "chapters/02_architecture.html": 1,
    "chapters/04_outputs_and_loss.html": 3,
    "chapters/05_network_size.html": 1,
    "chapters/06_when_to_stop.html": 2,
    "chapters/07_regularization.html": 1,
    "chapters/08_training_issues.html": 1,
    "chapters/09_activations_and_batches.html": 1,
    "chapters/10_optimizers.html": 1,
}
LOADER = 'src="../_static/vega-charts.js'
CHART = re.compile(r'<div class="nnoe-vega" id="[^"]+">.*?</script></div>', re.S)
MAX_CHART_BYTES = 1_500_000


def _pages(site_dir):
    return {
        p.relative_to(site_dir).as_posix(): p.read_text(encoding="utf-8")
        for p in site_dir.rglob("*.html")
        if not p.relative_to(site_dir).as_posix().startswith(("_static/", "_sources/"))
    }


def test_only_pages_with_a_chart_load_vega(site_dir):
    for asset in ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js"):
        assert (site_dir / "_static" / "vendor" / "vega" / asset).is_file(), asset
    assert (site_dir / "_static" / "vega-charts.js").is_file()
    with_charts = {}
    for name, text in _pages(site_dir).items():
        charts = len(CHART.findall(text))
        if charts:
            with_charts[name] = charts
        assert ("vega-charts.js" in text) == bool(charts), name
        assert "vega.min.js" not in text, f"{name}: Vega is loaded by vega-charts.js only"
    assert with_charts == CHART_PAGES
    for name in CHART_PAGES:
        assert LOADER in _pages(site_dir)[name]


def test_each_chart_weighs_at_most_1_5_mb(site_dir):
    pages = _pages(site_dir)
    for name in CHART_PAGES:
        for chart in CHART.findall(pages[name]):
            assert len(chart.encode("utf-8")) <= MAX_CHART_BYTES, name


def test_every_page_within_the_weight_budget(site_dir):
    weights = page_weights(site_dir)
    assert {name for name, _ in weights} == set(_pages(site_dir))
    assert over_budget(weights) == []
    # (the check can fail)
    assert over_budget([("heavy.html", PAGE_BUDGET + 1), ("light.html", 10)]) == ["heavy.html"]
