"""The Explorer base class: the contract every explorer of the course keeps."""

from __future__ import annotations

import html
import time
from contextlib import contextmanager

import ipywidgets as w

#: Typed into a text control by :meth:`Explorer.control_extremes` as a value no explorer
#: can read.
UNREADABLE_TEXT = "?"


def status_html(text: str, error: bool = False) -> str:
    """A status line: the explorer's summary, or (``error``) a message or "diverged".

    An error is red (``nnoe-error``, styled in ``assets/course.css``) and announced to
    screen readers (``role="alert"``).
    """
    kind = "nnoe-status nnoe-error" if error else "nnoe-status"
    role = ' role="alert"' if error else ""
    return f'<span class="{kind}"{role}>{html.escape(text)}</span>'


class Explorer:
    """An interactive figure on the engine: controls in, pictures and a status line out.

    Every explorer of the course is a subclass. What it promises, and what the generic
    test (``tests/explorers/test_every_explorer.py``) checks for every explorer listed in
    ``widgets.__all__``:

    **Construction.** ``Explorer()`` with no argument works and is seeded: the first view
    is the same on every run. Keyword arguments set the controls' starting values and
    are checked like any argument (wrong type: ``TypeError``; wrong value: ``ValueError``;
    the message names the argument; use :mod:`widgets.engine.validation`).

    **State.**

    - ``controls``: dict name → ipywidget. Setting ``controls[name].value`` does exactly
      what moving the control in a notebook does.
    - ``buttons``: dict name → ``ipywidgets.Button`` (or ``ipywidgets.Play``), maybe
      empty. A click (a tick of a Play) runs the public method of the same name
      (``step``, ``reset``), which headless code may call directly.
    - ``status``: one line of plain text whose numbers come from the engine (never
      "nan"; "diverged ..." when the run blew up). ``diverged`` is true then.
    - ``message``: the in-widget message for input that cannot be used, else ``""``.
    - ``images``: name → the ``<img>`` HTML of each picture drawn last, each with alt
      text describing what it shows now (:mod:`widgets.display.images` requires it).
    - ``widget``: the whole explorer (CSS class ``nnoe-explorer``); displaying the
      explorer displays it. ``status_line`` shows ``status`` or the message.

    **One redraw path.** Every change goes through :meth:`_update`: a control's change
    (its observer), a button, :meth:`redraw`, :meth:`set` and the subclass's headless
    methods (``step()``, ``train()``). ``_update(action)`` runs ``action`` (a change to
    the model, e.g. reading the controls or training an epoch), then :meth:`_draw`, then
    the status line. If ``action`` raises ``ValueError``/``TypeError`` (input the
    explorer cannot use), the message is shown in the widget, red and as an alert,
    instead of a traceback, and the last good picture stays. A diverging run is not an
    error: the model records it, ``status`` says "diverged" and the picture shows the
    run up to there, never NaN axes. While :meth:`hold` is open, control changes are
    collected and drawn once at its end (``set(a=1, b=2)`` draws once); inside
    :meth:`quiet`, the explorer sets its own controls without triggering anything.

    **Timing.** ``last_update_seconds`` is how long the last pass through the redraw
    path took (``make bench`` reports its median; the budget is 100 ms), and
    :meth:`timed_redraw` redraws once and returns that time.

    **A subclass** sets up its model, then calls ``super().__init__()``, and implements

    - ``_build_controls()`` → dict of controls (and ``_build_buttons()``, optional);
    - ``_read(names)``: bring the model up to date with the controls named in ``names``
      (every control on the first draw and on :meth:`redraw`); raise ``ValueError`` or
      ``TypeError`` for a value it cannot use, leaving the model as it was;
    - ``_draw()``: draw the model: set ``images`` and the output widgets' values;
    - ``status`` (a property), and ``diverged`` if a run can diverge;
    - ``_build_outputs()`` → the output widgets under the status line (or
      ``_build_view()`` for a whole layout of its own).

    It may override :meth:`control_extremes` for a control whose values cannot be
    guessed from its widget type, and list in ``deferred_controls`` the controls whose
    change shows only once the explorer trains on (a learning rate at epoch 0).
    """

    #: CSS classes of :attr:`widget`; the site's tests look for ``nnoe-explorer``.
    css_classes: tuple = ("nnoe-explorer",)

    #: Controls whose new value may leave every picture as it is until the explorer
    #: trains on (a learning rate before the first step). The generic test does not
    #: expect their change to redraw anything different.
    deferred_controls: tuple = ()

    def __init__(self):
        self.message = ""
        self.images: dict = {}
        self.redraw_count = 0
        self.last_update_seconds = 0.0
        self._quiet_depth = 0
        self._held: set | None = None
        self.status_line = w.HTML()
        self.controls = dict(self._build_controls())
        self.buttons = dict(self._build_buttons())
        self.widget = self._build_view()
        for css_class in self.css_classes:
            self.widget.add_class(css_class)
        self._control_names = {id(control): name for name, control in self.controls.items()}
        for control in self.controls.values():
            control.observe(self._on_control, names="value")
        for name, button in self.buttons.items():
            if isinstance(button, w.Play):
                button.observe(lambda change, name=name: self._on_tick(name, change), "value")
            elif isinstance(button, w.Button):
                button.on_click(lambda _, name=name: self._press(name))
        self.redraw()

    # ------------------------------------------------------------------ for subclasses

    def _build_controls(self) -> dict:
        raise NotImplementedError

    def _build_buttons(self) -> dict:
        return {}

    def _build_outputs(self) -> list:
        return []

    def _build_view(self) -> w.Box:
        """The layout: controls, a row of buttons, the status line, then the outputs."""
        rows = [*self.controls.values()]
        if self.buttons:
            rows.append(w.HBox(list(self.buttons.values())))
        return w.VBox([*rows, self.status_line, *self._build_outputs()])

    def _read(self, names) -> None:
        """Bring the model up to date with the controls in ``names`` (a set of names)."""

    def _draw(self) -> None:
        raise NotImplementedError

    @property
    def status(self) -> str:
        raise NotImplementedError

    @property
    def diverged(self):
        """Truthy once a run has diverged (then ``status`` says so)."""
        return False

    # ------------------------------------------------------------------ the redraw path

    def _update(self, action=None) -> bool:
        """The one redraw path: run ``action``, then draw; False if the input was refused."""
        start = time.perf_counter()
        try:
            with self.quiet():
                if action is not None:
                    action()
        except (ValueError, TypeError) as error:
            self._show_message(str(error))
            self.last_update_seconds = time.perf_counter() - start
            return False
        self.message = ""
        with self.quiet():
            self._draw()
        self.status_line.value = status_html(self.status, error=bool(self.diverged))
        self.redraw_count += 1
        self.last_update_seconds = time.perf_counter() - start
        return True

    def _show_message(self, text: str) -> None:
        """Say what is wrong in the widget itself; the pictures stay as they were."""
        self.message = text
        self.status_line.value = status_html(text, error=True)

    def _on_control(self, change) -> None:
        if self._quiet_depth:
            return
        name = self._control_names[id(change["owner"])]
        if self._held is not None:
            self._held.add(name)
            return
        self._update(lambda: self._read({name}))

    def _press(self, name: str) -> None:
        """A click on button ``name``: run the method of the same name."""
        getattr(self, name)()

    def _on_tick(self, name: str, change) -> None:
        # A Play widget's tick is a press; its stop button rewinds to 0, which is not.
        if not self._quiet_depth and change["new"] > change["old"]:
            self._press(name)

    def _watch(self, widget, names="value") -> None:
        """Redraw when ``widget`` (a view option that is not a control) changes."""
        widget.observe(lambda _: None if self._quiet_depth else self._update(), names=names)

    def redraw(self) -> None:
        """Read every control into the model and draw it (what the first view does)."""
        self._update(lambda: self._read(set(self.controls)))

    def timed_redraw(self) -> float:
        """Redraw once through the redraw path; return the seconds it took."""
        self.redraw()
        return self.last_update_seconds

    @contextmanager
    def quiet(self):
        """Set controls without each change running the explorer."""
        self._quiet_depth += 1
        try:
            yield self
        finally:
            self._quiet_depth -= 1

    @contextmanager
    def hold(self):
        """Collect control changes and draw once, when the block ends."""
        if self._held is not None:  # already holding: the outer block draws
            yield self
            return
        self._held = set()
        try:
            yield self
        finally:
            names, self._held = self._held, None
            if names:
                self._update(lambda: self._read(names))

    def set(self, **values):
        """Set several controls by name and draw once; ``ValueError`` if refused.

        The message is also shown in the widget, as for a change made by hand.
        """
        unknown = sorted(set(values) - set(self.controls))
        if unknown:
            raise ValueError(
                f"set: unknown control(s) {unknown}; this explorer's controls are "
                f"{sorted(self.controls)}."
            )
        with self.hold():
            for name, value in values.items():
                self.controls[name].value = value
        if self.message:
            raise ValueError(self.message)
        return self

    # ------------------------------------------------------------------ for tests

    def control_extremes(self) -> dict:
        """Name → the values the generic test drives each control through.

        Guessed from the widget: a slider's minimum and maximum (a log slider's too),
        every option of a dropdown, toggle or radio buttons, both values of a checkbox
        or toggle, and for a text field its current (readable) value and
        :data:`UNREADABLE_TEXT`. An empty list means the widget type is unknown: the
        subclass must then give the values.
        """
        return {name: _extremes(control) for name, control in self.controls.items()}

    def rendered(self) -> str:
        """Everything the explorer shows now apart from its controls, as one HTML text."""
        skip = {id(widget) for widget in (*self.controls.values(), *self.buttons.values())}
        parts = []

        def walk(widget):
            if id(widget) in skip:
                return
            if isinstance(widget, (w.HTML, w.HTMLMath, w.Label)):
                parts.append(widget.value)
            for child in getattr(widget, "children", ()):
                walk(child)

        walk(self.widget)
        return "\n".join(parts)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def _extremes(control) -> list:
    if hasattr(control, "options"):
        return [o[1] if isinstance(o, tuple) and len(o) == 2 else o for o in control.options]
    value = control.value
    if isinstance(value, bool):
        return [not value, value]
    if isinstance(value, str):
        return [value, UNREADABLE_TEXT]
    if isinstance(control, w.FloatLogSlider):
        return [control.base**control.min, control.base**control.max]
    if hasattr(control, "min") and hasattr(control, "max"):
        if isinstance(value, tuple):  # a range slider
            return [(control.min, control.min), (control.max, control.max)]
        return [control.min, control.max]
    return []
