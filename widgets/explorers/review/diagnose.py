"""The diagnose-the-run explorer: a training run with one hidden cause; find it and fix it."""

from __future__ import annotations

import ipywidgets as ipw

from widgets.display import Explorer
from widgets.display.controls import control_look, progress_bar
from widgets.display.images import figure_png, png_img_tag
from widgets.engine.diagnosis import (
    CAUSES,
    FIXES,
    case_settings,
    diagnose,
    fixed_settings,
    symptoms_of,
    train_run,
)
from widgets.engine.validation import check_integer

from .figures import cause_options, describe_run, fix_options, plot_run, settings_text

#: Trained runs and drawn pictures, shared by every explorer of the session: a case seen
#: once answers at once.
_RUNS: dict = {}
_PICTURES: dict = {}


def _key(settings: dict) -> tuple:
    return tuple(sorted(settings.items()))


def run_for(settings: dict, progress=None):
    """The run of ``settings`` (trained once per session, then cached)."""
    key = _key(settings)
    if key not in _RUNS:
        _RUNS[key] = train_run(settings, progress)
    return _RUNS[key]


def _picture(settings: dict, title: str, what: str, reference=None) -> str:
    key = (_key(settings), title)
    if key not in _PICTURES:
        run = run_for(settings)
        figure = plot_run(run, title, reference)
        alt = describe_run(run, what, reference)
        _PICTURES[key] = png_img_tag(figure_png(figure), alt, width=560)
    return _PICTURES[key]


def _placeholder() -> str:
    if "placeholder" not in _PICTURES:
        figure = _blank_figure()
        _PICTURES["placeholder"] = png_img_tag(
            figure_png(figure),
            "An empty frame: no fix applied yet. Pick a cause and a fix, then press "
            "'check and apply the fix' to train the case again with the fix.",
            width=560,
        )
    return _PICTURES["placeholder"]


def _blank_figure():
    from widgets.display.figures import new_figure

    figure = new_figure(6.4, 0.6)
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.text(
        0.5,
        0.5,
        "The run with your fix appears here after 'check'.",
        ha="center",
        va="center",
        fontsize=12,
        color="#555555",
    )
    return figure


class DiagnoseExplorer(Explorer):
    """A case: a seeded training run with one thing wrong. Diagnose it, fix it, compare.

    Controls: ``cause`` (what is wrong, the learner's diagnosis) and ``fix`` (the
    setting to change). Buttons: ``check`` (judge the diagnosis and train the case again
    with the chosen fix, shown beside the original), ``reveal`` (choose the right cause
    and fix, then check) and ``new_case`` (the next case of the seeded sequence: each of
    the six causes in turn, then again on fresh data and weights).

    The curves: training and validation loss and accuracy, each layer's gradient norm
    and the saturated share of the first hidden layer, per epoch. Every run is the
    engine's :class:`~widgets.engine.MLPClassifier` (:mod:`widgets.engine.diagnosis`);
    runs are cached, so a case or a fix seen once answers at once.
    """

    def __init__(self, case=0):
        self.case = check_integer(case, "case", low=0)
        self.progress = progress_bar(1, "training")
        self.settings_line = ipw.HTML()
        self.original_view = ipw.HTML()
        self.fixed_view = ipw.HTML()
        self.verdict = None
        self.fixed_run = None
        self.cases_seen = 1
        self._train(case_settings(self.case))
        super().__init__()

    # ------------------------------------------------------------------ layout

    def _build_controls(self) -> dict:
        look = control_look("6em", width="32em")
        return {
            "cause": ipw.Dropdown(
                options=[("(pick a cause)", "")] + cause_options(),
                value="",
                description="cause",
                **look,
            ),
            "fix": ipw.Dropdown(
                options=[("(pick a fix)", "")] + fix_options(),
                value="",
                description="fix",
                **look,
            ),
        }

    def _build_buttons(self) -> dict:
        return {
            "check": ipw.Button(
                description="check and apply the fix", icon="check", layout={"width": "16em"}
            ),
            "reveal": ipw.Button(
                description="show the answer", icon="eye", layout={"width": "12em"}
            ),
            "new_case": ipw.Button(description="new case", icon="random", layout={"width": "9em"}),
        }

    def _build_outputs(self) -> list:
        pictures = ipw.HBox([self.original_view, self.fixed_view], layout={"flex_flow": "row wrap"})
        return [self.progress, self.settings_line, pictures]

    # ------------------------------------------------------------------ model

    @property
    def settings(self) -> dict:
        """The settings of the current case (its hidden ``cause`` included)."""
        return case_settings(self.case)

    @property
    def run(self):
        """The current case's run."""
        return run_for(self.settings)

    def _train(self, settings) -> None:
        """Train ``settings`` if not cached, filling the progress bar as epochs pass."""
        epochs = settings["epochs"]
        self.progress.max = epochs
        if _key(settings) not in _RUNS:
            self.progress.value = 0

            def tick(done, total):
                self.progress.value = done

            run_for(settings, tick)
        self.progress.value = epochs

    def _read(self, names) -> None:
        # A changed diagnosis clears the last verdict: it belonged to the old choice.
        self.verdict = None
        self.fixed_run = None

    def _choices(self):
        cause, fix = self.controls["cause"].value, self.controls["fix"].value
        if not cause or not fix:
            raise ValueError("Pick a cause and a fix first, then press 'check'.")
        return cause, fix

    def check(self) -> None:
        """Judge the chosen cause, train the case with the chosen fix and show both runs."""

        def action():
            cause, fix = self._choices()
            settings = fixed_settings(self.settings, fix)
            self._train(settings)
            self.fixed_run = run_for(settings)
            self.verdict = diagnose(self.run, self.fixed_run, cause, fix)

        self._update(action)

    def reveal(self) -> None:
        """Choose the case's cause and its remedy, then check."""
        cause = self.settings["cause"]
        with self.quiet():
            self.controls["cause"].value = cause
            self.controls["fix"].value = CAUSES[cause][2]
        self.check()

    def new_case(self) -> None:
        """The next case of the seeded sequence."""

        def action():
            self.case += 1
            self.cases_seen += 1
            self._train(self.settings)
            self.verdict = None
            self.fixed_run = None
            with self.quiet():
                self.controls["cause"].value = ""
                self.controls["fix"].value = ""

        self._update(action)

    # ------------------------------------------------------------------ view

    def _draw(self) -> None:
        settings = self.settings
        number = self.case + 1
        self.settings_line.value = (
            f"<b>Case {number}.</b> The run's settings: {settings_text(settings)}."
        )
        original = _picture(settings, f"case {number}: as trained", f"Case {number} as trained")
        if self.fixed_run is None:
            fixed = _placeholder()
        else:
            fix = self.fixed_run.settings["fix"]
            fixed = _picture(
                self.fixed_run.settings,
                f"case {number}: with the fix",
                f"Case {number} trained again with the fix '{FIXES[fix][0]}'",
                reference=self.run,
            )
        self.original_view.value = original
        self.fixed_view.value = fixed
        self.images = {"original": original, "fixed": fixed}

    @property
    def diverged(self) -> bool:
        return self.run.diverged

    @property
    def status(self) -> str:
        run = self.run
        start = f"Case {self.case + 1}"
        if run.diverged:
            start += f" (the run diverged at epoch {run.diverged_at})"
        if self.verdict is None:
            cause, fix = self.controls["cause"].value, self.controls["fix"].value
            chosen = (
                f"your diagnosis: {CAUSES[cause][0] if cause else 'none yet'}; "
                f"your fix: {FIXES[fix][0] if fix else 'none yet'}"
            )
            return f"{start}: {chosen}. Press 'check' to judge it and train with the fix."
        fixed = self.fixed_run
        after = (
            f"With the fix: final training loss {fixed.loss[-1]:.3g}, validation accuracy "
            f"{fixed.val_accuracy[-1]:.0%} (before: {run.loss[-1]:.3g}, "
            f"{run.val_accuracy[-1]:.0%}); symptoms now: "
            f"{', '.join(symptoms_of(fixed)) or 'none'}."
        )
        return f"{start}: {self.verdict.explanation} {after}"
