"""Every explorer listed in ``widgets.__all__``, driven through its whole contract.

:func:`check_explorer` builds an explorer with no argument, sets every control to its
extremes (:meth:`widgets.display.Explorer.control_extremes`: a slider's minimum and
maximum, log sliders included, every option of a dropdown or toggle buttons, both
values of a checkbox, a text field's readable value and an unreadable one), presses
every button, and reports each broken promise of the Explorer contract. A new explorer
is covered as soon as it is listed in ``widgets/__init__.py``. The last tests prove the
check bites: deliberately broken copies of the chapter 1 explorer are reported.
"""

from __future__ import annotations

import html
import re

import ipywidgets as ipw
import numpy as np
import pytest

import widgets
from widgets.display import Explorer
from widgets.display.explorer import UNREADABLE_TEXT
from widgets.explorers.descent import DescentExplorer, gradient_descent, parse_point

NOT_A_NUMBER = re.compile(r"\b(nan|inf)\b", re.IGNORECASE)
IMG = re.compile(r"<img\b[^>]*>")
ALT = re.compile(r'\balt="([^"]*)"')
DATA_URI = re.compile(r"data:[^\"')]+")


def _text(markup: str) -> str:
    """What a reader sees of ``markup``: no inline image data, entities decoded."""
    return html.unescape(DATA_URI.sub("", markup))


def _check_state(explorer: Explorer, where: str) -> list:
    """The promises that hold after every change: status, alt text, no NaN shown."""
    failures = []
    status = explorer.status
    if not isinstance(status, str) or not status.strip():
        failures.append(f"{where}: status is {status!r}, not a line of text")
    elif NOT_A_NUMBER.search(status):
        failures.append(f"{where}: status shows a non-number: {status!r}")
    if explorer.diverged and "diverged" not in status:
        failures.append(f"{where}: the run diverged but the status does not say so: {status!r}")
    if not explorer.images:
        failures.append(f"{where}: no picture drawn (images is empty)")
    for name, tag in explorer.images.items():
        tags = IMG.findall(tag)
        if not tags:
            failures.append(f"{where}: picture {name!r} is not an <img>")
        for img in tags:
            alt = ALT.search(img)
            if not alt or not alt.group(1).strip():
                failures.append(f"{where}: picture {name!r} has no alt text")
            elif NOT_A_NUMBER.search(html.unescape(alt.group(1))):
                failures.append(f"{where}: picture {name!r}'s alt text shows a non-number")
    shown = _text(explorer.rendered())
    if NOT_A_NUMBER.search(shown):
        failures.append(f"{where}: the view shows a non-number: {NOT_A_NUMBER.search(shown)[0]!r}")
    line = explorer.status_line.value
    if explorer.message:
        if explorer.message not in html.unescape(line) or "nnoe-error" not in line:
            failures.append(f"{where}: the message {explorer.message!r} is not shown in red")
    elif status not in html.unescape(line):
        failures.append(f"{where}: the status line does not show the status")
    return failures


def _press(button) -> None:
    if isinstance(button, ipw.Play):
        button.value += 1  # one tick of play mode
    else:
        button.click()


def check_explorer(cls) -> list:
    """Drive ``cls`` through every control's extremes and every button; return the failures.

    An empty list means the explorer keeps the contract of
    :class:`widgets.display.Explorer` as far as driving it can tell.
    """
    label = cls.__name__
    if not (isinstance(cls, type) and issubclass(cls, Explorer)):
        return [f"{label}: not a subclass of widgets.display.Explorer"]
    try:
        explorer, twin = cls(), cls()
    except Exception as error:
        return [f"{label}: cannot be built with no argument: {error!r}"]
    failures = _check_state(explorer, f"{label}()")
    if explorer.message:
        failures.append(f"{label}(): the first view shows a message: {explorer.message!r}")
    if explorer.rendered() != twin.rendered():
        failures.append(f"{label}(): the first view differs between two runs (not seeded)")
    if "nnoe-explorer" not in explorer.widget._dom_classes:
        failures.append(f"{label}: the widget lacks the CSS class nnoe-explorer")
    if not (isinstance(explorer.controls, dict) and explorer.controls):
        failures.append(f"{label}: controls is not a non-empty dict")
    if not isinstance(explorer.buttons, dict):
        failures.append(f"{label}: buttons is not a dict")
    if not isinstance(explorer.timed_redraw(), float):
        failures.append(f"{label}: timed_redraw() does not return seconds")

    for name, values in explorer.control_extremes().items():
        if not values:
            failures.append(
                f"{label}: no values to drive control {name!r}; override control_extremes()"
            )
            continue
        control = explorer.controls[name]
        for value in [*values, control.value]:  # the extremes, then back to the start
            where = f"{label}.controls[{name!r}].value = {value!r}"
            before_value, before_view = control.value, explorer.rendered()
            before_images = dict(explorer.images)
            try:
                control.value = value
            except Exception as error:
                failures.append(f"{where}: raised {error!r}")
                continue
            if control.value == before_value:
                continue  # nothing changed (a slider clamps, an option repeats)
            try:
                failures += _check_state(explorer, where)
            except Exception as error:
                failures.append(f"{where}: reading the state raised {error!r}")
                continue
            if explorer.message:
                if explorer.images != before_images:
                    failures.append(f"{where}: refused, but the last good picture was replaced")
            elif isinstance(control.value, str) and value == UNREADABLE_TEXT:
                failures.append(f"{where}: unreadable text accepted without a message")
            elif name not in cls.deferred_controls and explorer.rendered() == before_view:
                failures.append(f"{where}: the view did not change")

    for name, button in explorer.buttons.items():
        where = f"{label}.buttons[{name!r}] pressed"
        try:
            _press(button)
            failures += _check_state(explorer, where)
        except Exception as error:
            failures.append(f"{where}: raised {error!r}")
    return failures


# ----------------------------------------------------------------- every listed explorer

EXPLORERS = widgets.explorer_classes()


def test_the_chapters_explorers_are_listed():
    assert {"DescentExplorer", "Playground"} <= set(EXPLORERS)


@pytest.mark.parametrize("name", sorted(EXPLORERS))
def test_every_explorer_keeps_the_contract(name):
    assert check_explorer(EXPLORERS[name]) == []


# ----------------------------------------------------------------- the check bites


class _RaisesAtTheLargestRate(DescentExplorer):
    def _draw(self):
        if self.controls["learning_rate"].value >= 1.0:
            raise RuntimeError("boom")
        super()._draw()


class _SaysNan(DescentExplorer):
    @property
    def status(self):
        return "loss nan" if self.controls["steps"].value == 200 else super().status


class _IgnoresDecay(DescentExplorer):
    def _read(self, names):
        self._steps = int(self.controls["steps"].value)
        self.run = gradient_descent(
            self.surface,
            parse_point(self.controls["start"].value),
            float(self.controls["learning_rate"].value),
            self._steps,
        )


class _SwallowsUnreadableStart(DescentExplorer):
    def _read(self, names):
        try:
            super()._read(names)
        except ValueError:  # quietly falls back to the origin instead of saying why
            self.run = gradient_descent(self.surface, (0.0, 0.0), 0.05, self._steps)


class _NoAltText(DescentExplorer):
    def _draw(self):
        super()._draw()
        self.images["figure"] = re.sub(r'alt="[^"]*"', 'alt=""', self.images["figure"])


class _ReplacesPictureOnError(DescentExplorer):
    def _show_message(self, text):
        super()._show_message(text)
        self.images["figure"] = '<img src="" alt="nothing to see">'


class _NeedsAnArgument(DescentExplorer):
    def __init__(self, colour):
        super().__init__()


class _Unseeded(DescentExplorer):
    def __init__(self):
        rng = np.random.default_rng()
        super().__init__(start=(round(float(rng.uniform(-1, 1)), 3), 3.0))


@pytest.mark.parametrize(
    "broken, expected",
    [
        (_RaisesAtTheLargestRate, "controls['learning_rate'].value = 1.0: raised"),
        (_SaysNan, "controls['steps'].value = 200: status shows a non-number"),
        (_IgnoresDecay, "controls['decay'].value = 1.0: the view did not change"),
        (_SwallowsUnreadableStart, "unreadable text accepted without a message"),
        (_NoAltText, "picture 'figure' has no alt text"),
        (_ReplacesPictureOnError, "refused, but the last good picture was replaced"),
        (_NeedsAnArgument, "cannot be built with no argument"),
        (_Unseeded, "not seeded"),
    ],
)
def test_the_check_reports_a_broken_explorer(broken, expected):
    failures = check_explorer(broken)
    assert any(expected in failure for failure in failures), failures


# ----------------------------------------------------------------- the base's own promises


def test_set_draws_once_and_refuses_aloud():
    explorer = DescentExplorer()
    count = explorer.redraw_count
    explorer.set(learning_rate=0.2, steps=10, decay=0.5)
    assert explorer.redraw_count == count + 1 and explorer.path.shape == (11, 2)
    with pytest.raises(ValueError, match="type two numbers"):
        explorer.set(start="somewhere")
    assert "nnoe-error" in explorer.status_line.value and explorer.path.shape == (11, 2)
    with pytest.raises(ValueError, match="unknown control"):
        explorer.set(momentum=0.9)


def test_hold_collects_changes_and_quiet_ignores_them():
    explorer = DescentExplorer()
    count = explorer.redraw_count
    with explorer.hold():
        explorer.controls["steps"].value = 5
        explorer.controls["decay"].value = 0.1
        assert explorer.redraw_count == count
    assert explorer.redraw_count == count + 1 and explorer.path.shape == (6, 2)
    with explorer.quiet():
        explorer.controls["steps"].value = 7
    assert explorer.redraw_count == count + 1 and explorer.path.shape == (6, 2)
    explorer.redraw()
    assert explorer.path.shape == (8, 2)


def test_timed_redraw_reports_the_redraw_path():
    explorer = DescentExplorer()
    seconds = explorer.timed_redraw()
    assert seconds > 0 and seconds == explorer.last_update_seconds
