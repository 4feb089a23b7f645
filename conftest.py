"""How pytest shares the run between its two workers (pytest-xdist).

At the repository root so that it applies to every test pytest collects (tests/, and
the notebooks under chapters/ and book/ that nbval runs), whichever of them are named
on the command line. The shared fixtures are in tests/conftest.py.

`make test` runs pytest on two workers (pyproject.toml: `-n auto --maxprocesses=2
--dist loadgroup --no-loadscope-reorder`). Every test is a unit of work that either
worker may take, except the cells of a notebook: nbval runs them in order in one kernel,
so each notebook is one unit (one worker, its cells in order). The units are handed out
in the order set here, the longest first, so that the run does not end on one long unit
while the other worker idles: the notebooks, then the browser tests (the site sweep's
pages, live JupyterLab, the charts), then everything else in its usual order.

(pytest-xdist's own groups, the `xdist_group` mark, do not work with pytest 9, which
no longer lets a plugin rename a test; hence the scheduler below.)
"""

from __future__ import annotations

import pytest

#: Notebooks by how long nbval takes to run them (measured, slowest first); a notebook
#: not listed runs after these, before the browser tests.
SLOWEST_NOTEBOOKS = [
    "12_activity",
    "13_beyond_mlps",
    "02_architecture",
    "11_hyperparameters",
    "08_training_issues",
    "06_when_to_stop",
    "09_activations_and_batches",
    "10_optimizers",
    "07_regularization",
    "01_gradient_descent",
    "04_outputs_and_loss",
    "05_network_size",
    "03_initialization",
    "14_review",
]
#: Browser test files whose tests take longest, longest first.
SLOWEST_BROWSER_FILES = ["test_site_sweep.py", "test_live_lab.py"]


def _unit_rank(item) -> tuple[int, int]:
    if item.path.suffix == ".ipynb":
        stem = item.path.stem
        return (0, SLOWEST_NOTEBOOKS.index(stem) if stem in SLOWEST_NOTEBOOKS else 99)
    if item.get_closest_marker("browser"):
        name = item.path.name
        return (1, SLOWEST_BROWSER_FILES.index(name) if name in SLOWEST_BROWSER_FILES else 99)
    return (2, 0)


def pytest_collection_modifyitems(items):
    items.sort(key=_unit_rank)  # (a stable sort: each notebook's cells stay in order)


def _unit_of(nodeid: str) -> str:
    """A notebook's cells are one unit of work (the notebook's path); any other test is
    a unit of its own."""
    path = nodeid.split("::", 1)[0]
    return path if path.endswith(".ipynb") else nodeid


# (tryfirst: before pytest-xdist's own; optional: pytest also runs without pytest-xdist)
@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class NotebookScheduling(LoadScopeScheduling):
        """pytest-xdist's scheduling by scope, a notebook being the only scope."""

        def _split_scope(self, nodeid: str) -> str:
            return _unit_of(nodeid)

    return NotebookScheduling(config, log)
