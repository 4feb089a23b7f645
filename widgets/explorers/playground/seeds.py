"""Results over several seeds: how often a setting separates the data or meets a challenge.

A network's result depends on its seed: the seed draws the data, the train/test split
and the starting weights (pressing "regenerate" and "reset" in the Playground). So the
chapter never reports one run: it runs the same setting over :data:`SEEDS` and reports
how many runs meet the challenge (the share) and how far apart they land (the spread)::

    from widgets.explorers.playground.seeds import challenge_over_seeds, seed_table

    two = challenge_over_seeds(3, 600, label="2 neurons", dataset="xor", hidden=(2,))
    three = challenge_over_seeds(3, 600, label="3 neurons", dataset="xor", hidden=(3,))
    print(seed_table([two, three]))

Each run trains like a learner who presses play and runs the checker every ``every``
epochs: it stops at the first check that :func:`~.challenges.check_challenge` passes,
or after ``max_epochs``. The report gives the epochs each successful run needed and the
share of test points each run misclassified when it stopped.

:func:`runs_over_seeds` trains every run for the same number of epochs instead (chapter 2's
comparisons of networks), and :meth:`SeedReport.from_shares` summarizes runs made
elsewhere (chapter 12's scikit-learn runs) in the same form. :func:`seed_table` prints
any of them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...engine.validation import check_integer
from .challenges import check_challenge, is_separated, misclassified_share
from .session import run_playground

#: The seeds a chapter's result is reported over.
SEEDS = tuple(range(10))


def _spread(values, fmt) -> str:
    """'median (smallest to largest)' of values, or the one value they all share."""
    values = np.asarray(values, dtype=float)
    low, high = fmt(values.min()), fmt(values.max())
    if low == high:
        return f"{low} in every run" if values.size > 1 else low
    return f"{fmt(np.median(values))} ({low} to {high})"


def _percent(value) -> str:
    return f"{value:.0%}"


def _loss(value) -> str:
    return f"{value:.3f}"


def _epochs(value) -> str:
    return f"{value:g}"


@dataclass(frozen=True)
class SeedReport:
    """Several runs of one setting: which met the challenge, when, and how many points they missed.

    Attributes
    ----------
    label : str
        The setting, as the chapter's table names it.
    misclassified : tuple of float
        Per run, the share of test points misclassified when the run stopped.
    met_at : tuple of (int or None) or None
        Per run, the epoch at which the challenge was first met (None: not within
        ``max_epochs``); None for runs summarized by :meth:`from_shares`.
    max_epochs : int or None
        The training budget of each run.
    test_losses : tuple of float or None
        Per run, the test loss when the run stopped.
    sessions : tuple
        The runs themselves (each a :class:`~.session.PlaygroundSession`), when kept.
    """

    label: str
    misclassified: tuple
    met_at: tuple | None = None
    max_epochs: int | None = None
    test_losses: tuple | None = None
    sessions: tuple = ()

    @classmethod
    def from_shares(cls, label: str, misclassified) -> SeedReport:
        """Runs made elsewhere, given by their shares of misclassified test points."""
        shares = tuple(float(share) for share in misclassified)
        if not shares:
            raise ValueError("misclassified must hold at least one run's share.")
        return cls(label=str(label), misclassified=shares)

    @property
    def runs(self) -> int:
        return len(self.misclassified)

    @property
    def met(self) -> int:
        """How many runs met it: by the checker (its epoch) or, from shares, at most 10% wrong."""
        if self.met_at is not None:
            return sum(epoch is not None for epoch in self.met_at)
        return sum(is_separated(share) for share in self.misclassified)

    @property
    def epochs_needed(self) -> list:
        """The epochs the successful runs needed, in seed order."""
        return [epoch for epoch in (self.met_at or ()) if epoch is not None]

    def epochs_text(self) -> str:
        """'20 (10 to 590)': median and range of the epochs the successful runs needed."""
        return _spread(self.epochs_needed, _epochs) if self.epochs_needed else "-"

    def misclassified_text(self) -> str:
        """'6% (3% to 11%)': median and range of the misclassified shares."""
        return _spread(self.misclassified, _percent)

    def loss_text(self) -> str:
        """'0.113 (0.080 to 0.150)': median and range of the test losses."""
        return _spread(self.test_losses, _loss) if self.test_losses else "-"

    def __str__(self) -> str:
        text = f"{self.label}: {self.met}/{self.runs} runs meet it"
        if self.max_epochs is not None:
            text += f" within {self.max_epochs} epochs"
        return text + f"; misclassified {self.misclassified_text()} (median and range)"


def _checked_seeds(seeds, settings) -> list:
    """The seeds as a non-empty list of whole numbers ≥ 0; ``settings`` must not hold ``seed``."""
    if "seed" in settings:
        raise ValueError("give the seeds as seeds=..., not seed=.")
    seeds = [check_integer(seed, "seeds", low=0) for seed in seeds]
    if not seeds:
        raise ValueError("seeds must hold at least one seed.")
    return seeds


def _hidden_label(session) -> str:
    """A table's default name for a setting: its hidden layers."""
    hidden = session.config.hidden
    return f"hidden layers {', '.join(map(str, hidden))}" if hidden else "no hidden layer"


def challenge_over_seeds(
    challenge, max_epochs: int, seeds=SEEDS, every: int = 10, label: str | None = None, **settings
) -> SeedReport:
    """Train ``settings`` once per seed until ``check_challenge(challenge, ...)`` passes.

    Parameters
    ----------
    challenge : 1, 2, 3, 3.5, 4, 4.5 or 5
    max_epochs : int
        The most epochs a run trains.
    seeds : iterable of int, default :data:`SEEDS`
    every : int, default 10
        Epochs between two checks (the checker runs after epoch ``every``, ``2 every``, ...).
    label : str, optional
        How the table names the setting (default: its hidden layers).
    **settings
        The Playground's keywords (``dataset``, ``features``, ``hidden``, ...), as for
        :func:`~.session.run_playground`; not ``seed``.
    """
    max_epochs = check_integer(max_epochs, "max_epochs", low=1)
    every = check_integer(every, "every", low=1)
    seeds = _checked_seeds(seeds, settings)
    sessions, met_at = [], []
    for seed in seeds:
        session = run_playground(0, seed=seed, **settings)
        check_challenge(challenge, session)  # a wrong challenge number fails before training
        met = None
        while session.epoch < max_epochs and not session.diverged:
            session.train(min(every, max_epochs - session.epoch))
            if check_challenge(challenge, session):
                met = session.epoch
                break
        sessions.append(session)
        met_at.append(met)
    if label is None:
        label = _hidden_label(sessions[0])
    return SeedReport(
        label=label,
        misclassified=tuple(misclassified_share(session) for session in sessions),
        met_at=tuple(met_at),
        max_epochs=max_epochs,
        test_losses=tuple(session.test_loss for session in sessions),
        sessions=tuple(sessions),
    )


def runs_over_seeds(epochs: int, seeds=SEEDS, label: str | None = None, **settings) -> SeedReport:
    """Train ``settings`` for ``epochs`` epochs once per seed; report how many separate the data.

    A run separates the data when at most 10% of its test points are misclassified
    (:func:`~.challenges.is_separated`, the checkers' rule). The seed sets the data, the
    split and the initial weights, so the runs differ in all three. ``settings`` are the
    Playground's keywords, as for :func:`~.session.run_playground` (not ``seed``); the
    runs are kept in ``sessions`` (for figures of one of them).
    """
    epochs = check_integer(epochs, "epochs", low=0)
    seeds = _checked_seeds(seeds, settings)
    sessions = tuple(run_playground(epochs, seed=seed, **settings) for seed in seeds)
    if label is None:
        label = _hidden_label(sessions[0])
    return SeedReport(
        label=label,
        misclassified=tuple(misclassified_share(session) for session in sessions),
        max_epochs=epochs,
        test_losses=tuple(session.test_loss for session in sessions),
        sessions=sessions,
    )


#: The columns :func:`seed_table` can show: header and how a report fills it.
COLUMNS = {
    "met": ("met", lambda report: f"{report.met}/{report.runs}"),
    "separated": ("separated", lambda report: f"{report.met}/{report.runs}"),
    "allowed": (
        "epochs allowed",
        lambda report: "-" if report.max_epochs is None else str(report.max_epochs),
    ),
    "epochs": ("epochs needed", SeedReport.epochs_text),
    "misclassified": ("misclassified", SeedReport.misclassified_text),
    "loss": ("test loss", SeedReport.loss_text),
}


def seed_table(
    reports, heading: str = "setting", columns=("met", "epochs", "misclassified")
) -> str:
    """The reports as an aligned table, one row per setting, with a line saying how to read it.

    ``columns`` are names of :data:`COLUMNS`: ``met`` (runs that met the challenge),
    ``allowed`` (the epochs each run could train), ``epochs`` (epochs the successful runs
    needed), ``misclassified`` (share of test points wrong when each run stopped) and
    ``loss`` (test loss when each run stopped). Spreads are the median over the runs,
    then the smallest and largest value.
    """
    reports = list(reports)
    if not reports or not all(isinstance(report, SeedReport) for report in reports):
        raise TypeError("reports must be a non-empty list of SeedReport.")
    unknown = [name for name in columns if name not in COLUMNS]
    if unknown or not columns:
        raise ValueError(f"columns must be names from {list(COLUMNS)}; got {list(columns)}.")
    header = [heading] + [COLUMNS[name][0] for name in columns]
    rows = [[report.label] + [COLUMNS[name][1](report) for name in columns] for report in reports]
    widths = [max(len(row[i]) for row in [header] + rows) for i in range(len(header))]
    lines = []
    for row in [header] + rows:
        cells = [row[0].ljust(widths[0])]
        for name, cell, width in zip(columns, row[1:], widths[1:]):
            cells.append(
                cell.rjust(width) if name in ("met", "separated", "allowed") else cell.ljust(width)
            )
        lines.append("  ".join(cells).rstrip())
    runs = {report.runs for report in reports}
    count = f"{runs.pop()} runs (seeds)" if len(runs) == 1 else "the runs"
    lines.append(f"(over {count}: median, then smallest to largest)")
    return "\n".join(lines)


def separation_table(reports) -> str:
    """:func:`seed_table` of :func:`runs_over_seeds` reports: how many runs separate the data,
    their test loss and their share of misclassified test points."""
    return seed_table(reports, heading="network", columns=("separated", "loss", "misclassified"))
