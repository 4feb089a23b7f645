"""Live test: the chapters in JupyterLab, as Binder runs them, with a real kernel.

JupyterLab starts from the project's .venv (built from requirements.txt, like Binder's
environment from binder/) on 127.0.0.1 with a token. Headless Chromium opens a
chapter, runs its cells, moves one explorer control, and checks that the kernel
answered: the figure or the numbers change. The server is stopped whatever happens.
The chapters are copied to a temporary folder first, so JupyterLab's autosave cannot
touch the committed notebooks.

Chapter 1 runs whole (its quiz too: JupyterLab gives the quiz no MathJax). For every
other chapter the test opens a short copy of it, its first code cell (the imports) and
the cell that builds its first explorer, so that a dozen chapters fit the test budget:
what is tested is the explorer in a live kernel, and nbval already runs every cell of
every chapter.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    """A JupyterLab server on a copy of chapters/ (and of the lab's student notebooks, in
    its lab/ folder); yields (base_url, token, folder).

    One per test worker, for the whole run: a worker may run these tests between
    others (tests/conftest.py), and starting JupyterLab takes seconds."""
    home = tmp_path_factory.mktemp("lab")
    notebooks = home / "notebooks"
    shutil.copytree(ROOT / "chapters", notebooks)
    shutil.copytree(
        ROOT / "lab", notebooks / "lab", ignore=shutil.ignore_patterns("source", "solutions")
    )
    settings = home / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    # Render every cell (no virtual scrolling), so the test can find every output.
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
    )
    log = (home / "server.log").open("w")
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("jupyter")),
            "lab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={notebooks}",
            f"--LabApp.user_settings_dir={home / 'settings'}",
            f"--LabApp.workspaces_dir={home / 'workspaces'}",
            # No look-ups on package indexes from the extension manager.
            "--LabApp.extension_manager=readonly",
            *(["--allow-root"] if os.geteuid() == 0 else []),
        ],
        cwd=notebooks,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(
                    f"{base}/api/status?token={token}", timeout=2
                ) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    "JupyterLab did not start:\n" + (home / "server.log").read_text()[-3000:]
                )
            time.sleep(0.5)
        yield base, token, notebooks
    finally:
        # Stop the server and its kernels, pass or fail.
        _stop(server)
        log.close()


def _stop(process: subprocess.Popen) -> None:
    """End the server's whole process group (the server and its kernels)."""
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue


def _shut_down_kernels(base, token) -> None:
    """End every session (and its kernel) the lab server has."""
    headers = {"Authorization": f"token {token}"}
    request = urllib.request.Request(f"{base}/api/sessions", headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        sessions = json.load(response)
    for session in sessions:
        delete = urllib.request.Request(
            f"{base}/api/sessions/{session['id']}", headers=headers, method="DELETE"
        )
        urllib.request.urlopen(delete, timeout=30).close()


@pytest.fixture
def lab_session(lab):
    """The lab server for one test; afterwards every kernel it started is shut down, so
    the next chapter starts alone (as a student's Binder session would)."""
    base, token, folder = lab
    try:
        yield base, token, folder
    finally:
        _shut_down_kernels(base, token)


def _run_chapter(page, base, token, notebook, explorer_selector, quiz=True):
    """Open ``notebook`` in a workspace of its own, run all its cells, wait until its
    quiz (the last cell) is drawn (unless ``quiz`` is false), and return its first
    explorer, scrolled into view.

    A workspace per chapter (reset on opening), so JupyterLab does not restore the tabs
    an earlier test left open: only this notebook's panel is in the page.
    """
    # JupyterLab may ask which kernel to start, at any moment while it loads (when its
    # kernel list arrives after the notebook, later on a slow first start): whenever the
    # dialog shows, take the notebook's own kernel, Python 3 from this environment.
    page.add_locator_handler(
        page.get_by_role("button", name="Select", exact=True), lambda button: button.click()
    )
    explorer = page.locator(f".jp-NotebookPanel:not(.lm-mod-hidden) {explorer_selector}").first
    # On a loaded 2-core machine JupyterLab's start-up now and then misses a step (the
    # kernel never reports Idle, or Run All finds no notebook in focus). One more try,
    # from a fresh workspace, tells such a hiccup from a broken chapter, which fails
    # both times.
    for attempt in (1, 2):
        workspace = Path(notebook).stem.replace("_", "-") + f"-{attempt}"
        page.goto(
            f"{base}/lab/workspaces/{workspace}/tree/{notebook}?reset&token={token}",
            wait_until="domcontentloaded",
        )
        try:
            page.locator(".jp-NotebookPanel .jp-Notebook").first.wait_for(
                state="visible", timeout=60_000
            )
            page.get_by_text(re.compile(r"\| Idle$")).first.wait_for(
                state="visible", timeout=90_000
            )
            page.get_by_role("menuitem", name="Run", exact=True).click()
            page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
            if quiz:
                page.locator(f"#quiz{notebook[:2]} .Quiz").first.wait_for(
                    state="attached", timeout=180_000
                )
            explorer.wait_for(state="attached", timeout=120_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
            # The second try gets a kernel of its own: the first one's widgets would
            # otherwise keep talking to a page that no longer knows them.
            _shut_down_kernels(base, token)
    explorer.scroll_into_view_if_needed()
    return explorer


def _first_explorer_copy(folder, notebook, class_name, suffix="first_explorer") -> str:
    """Write a copy of ``notebook`` with its first code cell and the cell that builds its
    first ``class_name``, outputs cleared; return the copy's file name."""
    import nbformat

    chapter = nbformat.read(folder / notebook, as_version=4)
    code = [cell for cell in chapter.cells if cell.cell_type == "code"]
    builds = next(cell for cell in code if f"{class_name}(" in cell.source)
    short = nbformat.v4.new_notebook(metadata=chapter.metadata)
    for cell in (code[0], builds):
        short.cells.append(nbformat.v4.new_code_cell(cell.source))
    name = f"{Path(notebook).stem}_{suffix}.ipynb"
    nbformat.write(short, folder / name)
    return name


def _img_src(locator) -> str:
    return locator.get_attribute("src") or ""


def test_chapter1_learning_rate_redraws_through_the_kernel(lab_session, page_and_record):
    base, token, _ = lab_session
    page, record = page_and_record
    explorer = _run_chapter(page, base, token, "01_gradient_descent.ipynb", ".nnoe-explorer")
    # JupyterLab gives the quiz's script no MathJax: its math is written out as HTML.
    page.wait_for_function(
        "() => document.querySelector('#quiz01').innerText.includes('\u03b7 = 0.1')", timeout=15_000
    )
    assert "\\(" not in page.locator("#quiz01").inner_text()
    figure = explorer.locator("img[alt^='Left: contour map']")
    figure.wait_for(state="visible", timeout=60_000)
    before_src, before_text = _img_src(figure), explorer.inner_text()

    # Type a new learning rate into the slider's readout, as a student would.
    readout = explorer.locator(".widget-readout").first
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("0.2")
    page.keyboard.press("Enter")

    # The kernel answers by replacing the picture (a new <img> with a new PNG).
    page.wait_for_function(
        "src => { const img = document.querySelector("
        "\".nnoe-explorer img[alt^='Left: contour map']\");"
        " return img !== null && img.getAttribute('src') !== src; }",
        arg=before_src,
        timeout=30_000,
    )
    after_text = explorer.inner_text()
    assert after_text != before_text
    assert "Last step's learning rate: 0.2" in after_text
    assert record.unexpected_console_errors() == []


def test_playground_step_button_trains_through_the_kernel(lab_session, page_and_record):
    base, token, folder = lab_session
    page, record = page_and_record
    short = _first_explorer_copy(folder, "12_activity.ipynb", "Playground")
    playground = _run_chapter(page, base, token, short, ".nnoe-playground", quiz=False)
    epoch = playground.locator(".nnoe-epoch")
    epoch.wait_for(state="visible", timeout=60_000)
    before_epoch, before_text = epoch.inner_text(), playground.inner_text()
    before_pictures = playground.locator("img").evaluate_all(
        "imgs => imgs.map(i => i.getAttribute('src'))"
    )

    playground.get_by_role("button", name="step", exact=True).click()

    page.wait_for_function(
        "before => { const e = document.querySelector('.nnoe-playground .nnoe-epoch');"
        " return e !== null && e.innerText !== before; }",
        arg=before_epoch,
        timeout=30_000,
    )
    after_pictures = playground.locator("img").evaluate_all(
        "imgs => imgs.map(i => i.getAttribute('src'))"
    )
    assert after_pictures != before_pictures, "a step must redraw the Playground"
    assert playground.inner_text() != before_text

    # Play mode: the Play widget's ticks train an epoch per frame until paused.
    stepped = epoch.inner_text()
    play, pause = (
        playground.locator(".widget-play button").nth(0),
        playground.locator(".widget-play button").nth(1),
    )
    play.click()
    page.wait_for_function(
        "before => { const e = document.querySelector('.nnoe-playground .nnoe-epoch');"
        " return e !== null && parseInt(e.innerText.replace(/\\D/g, ''))"
        " >= parseInt(before.replace(/\\D/g, '')) + 5; }",
        arg=stepped,
        timeout=30_000,
    )
    pause.click()
    page.wait_for_timeout(1_000)
    paused_at = epoch.inner_text()
    page.wait_for_timeout(1_500)
    assert epoch.inner_text() == paused_at, "pause must stop training"
    assert record.unexpected_console_errors() == []


# The first explorer of each chapter after the first two: the control typed into (by the
# position of its readout among the explorer's slider readouts), the value typed, and
# the control's name. The status the kernel must show is computed here by the same
# explorer, in this process.
FIRST_EXPLORERS = [
    ("03_initialization.ipynb", "InitExplorer", 0, "multiplier", "0.1"),
    ("04_outputs_and_loss.ipynb", "SoftmaxExplorer", 0, "classes", "4"),
    ("05_network_size.ipynb", "WidthSweepExplorer", 0, "noise", "0.1"),
    ("06_when_to_stop.ipynb", "EarlyStoppingExplorer", 0, "n_train", "100"),
    ("07_regularization.ipynb", "RegularizationExplorer", 0, "noise", "0.1"),
    # (The restarts explorer's first readout, the width's, is a selection: not typed into.)
    ("08_training_issues.ipynb", "RestartsExplorer", 1, "seeds", "20"),
    # (The activation explorer's first readout, the leaky slope, changes nothing shown
    # for the logistic of its first view.)
    ("09_activations_and_batches.ipynb", "ActivationExplorer", 1, "net", "2"),
    ("10_optimizers.ipynb", "OptimizerRace", 0, "steps", "50"),
    ("11_hyperparameters.ipynb", "GridSearchExplorer", 0, "passes", "1"),
    ("13_beyond_mlps.ipynb", "ConvolutionExplorer", 0, "digit", "7"),
]


@pytest.mark.parametrize(
    ("notebook", "class_name", "readout", "control", "typed"),
    FIRST_EXPLORERS,
    ids=[row[0].split("_")[0] for row in FIRST_EXPLORERS],
)
def test_first_explorer_answers_through_the_kernel(
    lab_session, page_and_record, notebook, class_name, readout, control, typed
):
    import widgets

    base, token, folder = lab_session
    page, record = page_and_record
    explorer_class = getattr(widgets, class_name)
    first_view, changed = explorer_class(), explorer_class()
    changed.set(**{control: type(changed.controls[control].value)(typed)})
    assert changed.status != first_view.status, "the typed value must change the explorer"

    short = _first_explorer_copy(folder, notebook, class_name)
    explorer = _run_chapter(page, base, token, short, ".nnoe-explorer", quiz=False)
    status = explorer.locator(".nnoe-status").first
    status.wait_for(state="visible", timeout=60_000)
    assert status.inner_text() == first_view.status
    before_pictures = explorer.locator("img").evaluate_all(
        "imgs => imgs.map(i => i.getAttribute('src'))"
    )

    explorer.locator(".widget-readout").nth(readout).click()
    page.keyboard.press("Control+A")
    page.keyboard.type(typed)
    page.keyboard.press("Enter")

    page.wait_for_function(
        "([selector, expected]) => { const s = document.querySelector(selector);"
        " return s !== null && s.innerText === expected; }",
        arg=[
            ".jp-NotebookPanel:not(.lm-mod-hidden) .nnoe-explorer .nnoe-status",
            changed.status,
        ],
        timeout=60_000,
    )
    after_pictures = explorer.locator("img").evaluate_all(
        "imgs => imgs.map(i => i.getAttribute('src'))"
    )
    assert after_pictures != before_pictures, "the kernel must redraw the pictures"
    assert record.unexpected_console_errors() == []


def test_diagnosis_is_judged_through_the_kernel(lab_session, page_and_record):
    """Chapter 14's explorer has no slider: pick a cause and a fix, press check."""
    from widgets import DiagnoseExplorer

    base, token, folder = lab_session
    page, record = page_and_record
    cause, fix = "learning rate too high", "lower the learning rate (÷ 30)"
    expected = DiagnoseExplorer()
    expected.set(cause="rate_too_high", fix="lower_rate")
    expected.buttons["check"].click()
    assert expected.status.startswith("Case 1: Right"), expected.status

    short = _first_explorer_copy(folder, "14_review.ipynb", "DiagnoseExplorer")
    explorer = _run_chapter(page, base, token, short, ".nnoe-explorer", quiz=False)
    status = explorer.locator(".nnoe-status").first
    status.wait_for(state="visible", timeout=60_000)
    assert status.inner_text() == DiagnoseExplorer().status
    pictures = "imgs => imgs.map(i => i.getAttribute('src'))"
    before_pictures = explorer.locator("img").evaluate_all(pictures)

    explorer.locator("select").nth(0).select_option(label=cause)
    explorer.locator("select").nth(1).select_option(label=fix)
    explorer.get_by_role("button", name="check and apply the fix").click()

    page.wait_for_function(
        "([selector, expected]) => { const s = document.querySelector(selector);"
        " return s !== null && s.innerText === expected; }",
        arg=[
            ".jp-NotebookPanel:not(.lm-mod-hidden) .nnoe-explorer .nnoe-status",
            expected.status,
        ],
        timeout=60_000,
    )
    after_pictures = explorer.locator("img").evaluate_all(pictures)
    assert after_pictures != before_pictures, "the fixed run must be drawn"
    assert record.unexpected_console_errors() == []


def test_interactive_chart_draws_in_jupyterlab(lab_session, page_and_record):
    """JupyterLab's own Vega renderer draws a course chart (widgets/display/vega.py: the
    Vega-Lite 5 mimetype), and its controls redraw it in the page, with no kernel call."""
    from widgets.engine.activations import softmax_with_temperature

    base, token, folder = lab_session
    page, record = page_and_record
    short = _first_explorer_copy(folder, "04_outputs_and_loss.ipynb", "softmax_chart", "chart")
    chart = _run_chapter(page, base, token, short, ".jp-RenderedVegaLite", quiz=False)
    labels = chart.locator("svg g.mark-text.role-mark text")
    labels.first.wait_for(state="attached", timeout=60_000)

    def drawn():
        return [float(t.replace("\u2212", "-")) for t in labels.all_text_contents()]

    assert drawn() == pytest.approx(softmax_with_temperature([0, 0.5, 1], 1.0), abs=5e-4)
    before, before_text = drawn(), ",".join(labels.all_text_contents())
    chart.locator(".vega-bind input[type=range][name='z3']").fill("3")
    page.wait_for_function(
        "before => { const texts = Array.from(document.querySelectorAll("
        "'.jp-RenderedVegaLite svg g.mark-text.role-mark text')).map(t => t.textContent);"
        " return texts.length > 0 && texts.join() !== before; }",
        arg=before_text,
        timeout=15_000,
    )
    assert drawn() != before
    assert drawn() == pytest.approx(softmax_with_temperature([0, 0.5, 3], 1.0), abs=5e-4)
    assert record.unexpected_console_errors() == []


LAB1_FORWARD = """def forward(X, W1, b1, W2, b2, activation="tanh"):
    net = X @ W1 + b1
    hidden = np.tanh(net) if activation == "tanh" else 1 / (1 + np.exp(-net))
    return hidden, hidden @ W2 + b2
"""


def test_student_lab_runs_and_checks_an_answer_in_jupyterlab(lab_session, page_and_record):
    """A student opens Lab 1 as handed out, runs every cell: each check says Not yet.
    Then they write exercise 1 and run its check again: it passes, through otter, live."""
    base, token, _ = lab_session
    page, record = page_and_record
    panel = ".jp-NotebookPanel:not(.lm-mod-hidden)"
    last_check = "q4_backpropagation results"
    _run_chapter(
        page,
        base,
        token,
        "lab/lab1_forward_backward.ipynb",
        f".jp-OutputArea-output:has-text('{last_check}')",
        quiz=False,
    )
    outputs = page.locator(f"{panel} .jp-OutputArea-output")
    text = "\n".join(outputs.all_inner_texts())
    for question in (
        "q1_forward",
        "q2_softmax_cross_entropy",
        "q3_output_deltas",
        "q4_backpropagation",
    ):
        assert f"{question} results" in text
    assert text.count("AssertionError: Not yet:") >= 6, text
    assert "Traceback" not in text

    # Exercise 1's answer cell: replace its `...` body with a solution, run it, then the
    # check below it.
    answer = page.locator(f"{panel} .jp-CodeCell").filter(has_text="def forward(").first
    answer.locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(LAB1_FORWARD)
    page.keyboard.press("Shift+Enter")  # runs it and moves to the check cell
    page.keyboard.press("Shift+Enter")
    page.locator(f"{panel} .jp-OutputArea-output").filter(
        has_text="q1_forward passed!"  # otter's HTML verdict (then an emoji)
    ).first.wait_for(state="visible", timeout=60_000)
    assert record.unexpected_console_errors() == []
