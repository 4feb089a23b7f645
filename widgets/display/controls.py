"""The look every explorer's controls share: one width, one label column, one progress bar.

An explorer builds its controls with ipywidgets as usual and passes these keyword
arguments, so that every explorer of the course lines its controls up the same way and a
change of look is made here once::

    look = control_look("9em")
    ipw.Dropdown(options=..., value=..., description="data set", **look)
    ipw.FloatSlider(value=..., min=0, max=1, description="noise", **slider_look("9em"))
"""

from __future__ import annotations

import ipywidgets as ipw

#: Width of a control row (the slider or menu and its label); never wider than the page.
CONTROL_WIDTH = "30em"


def control_look(description_width: str = "9em", width: str = CONTROL_WIDTH) -> dict:
    """Keyword arguments for a control: its label column's width and the row's width."""
    return {
        "style": {"description_width": description_width},
        "layout": ipw.Layout(width=width, max_width="100%"),
    }


def slider_look(description_width: str = "9em", width: str = CONTROL_WIDTH) -> dict:
    """:func:`control_look` for a slider, which reports its value only on release.

    (``continuous_update=False``: an explorer that trains must not retrain for every
    pixel the handle passes.)
    """
    return {**control_look(description_width, width), "continuous_update": False}


def progress_bar(steps: int, description: str = "trained") -> ipw.IntProgress:
    """The bar an explorer that trains many networks fills while it works (0 of ``steps``)."""
    return ipw.IntProgress(
        value=0, min=0, max=steps, description=description, layout={"width": CONTROL_WIDTH}
    )
