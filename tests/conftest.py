"""Shared fixtures: the built site served on 127.0.0.1, and headless Chromium on it.

The site tests read `_build/html`, which `make test` builds (with warnings as errors)
before running pytest. They fail, rather than skip, when it is missing.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import sys
import threading
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

import pytest

# The BLAS kernels the stored outputs were computed with (see the Makefile), for this
# process and the notebooks' kernels that nbval starts, when pytest is run by hand.
os.environ.setdefault("OPENBLAS_CORETYPE", "Haswell")
# One BLAS thread per process, as `make test` runs it (see the Makefile).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "_build" / "html"
sys.path.insert(0, str(ROOT / "tools"))
# (tests/ too, for the shared checks: finite differences in tests/gradcheck.py, the
# interactive charts in tests/vegacheck.py)
sys.path.insert(0, str(ROOT / "tests"))

# Console messages the site may print that are not faults, each with its reason.
# Anything else at level "error" fails the browser tests.
# (Empty today: the site declares its favicon, so Chromium does not ask for a missing
# /favicon.ico, and the widget runtime's MathJax 2 call is bridged in
# assets/widgets-runtime.js.) Add an entry only with the reason it cannot be fixed.
HARMLESS_CONSOLE_ERRORS: list[str] = []


@pytest.fixture(scope="session")
def site_dir() -> Path:
    if not (SITE / "index.html").is_file():
        pytest.fail(
            "the built site is missing: run `make book` (or `make test`, which builds it) first"
        )
    return SITE


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="session")
def site_url(site_dir):
    """Serve the built site on 127.0.0.1 (a free port) for the whole session."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def chart_server(tmp_path_factory):
    """A folder laid out like the site's _static (the chart loader and vendor/vega/),
    served on 127.0.0.1: tests/vegacheck.py draws single charts in it."""
    vendor = ROOT / "assets" / "vendor" / "vega"
    if not (vendor / "vega.min.js").is_file():
        pytest.fail("the vendored Vega scripts are missing: run `make vendor` first")
    folder = tmp_path_factory.mktemp("charts")
    shutil.copy2(ROOT / "assets" / "vega-charts.js", folder / "vega-charts.js")
    shutil.copytree(vendor, folder / "vendor" / "vega")
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield folder, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright (never a downloaded browser)."""
    from ensure_chromium import find_chromium
    from playwright.sync_api import sync_playwright

    executable = find_chromium()
    if executable is None:
        pytest.fail("Chromium is not installed: `make test` installs it (tools/ensure_chromium.py)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            # Without these Chromium phones home (updates, sync, safe browsing) at start.
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        try:
            yield browser
        finally:
            browser.close()


class PageRecorder:
    """What a page did: requests to other hosts (blocked), failed requests, console errors."""

    def __init__(self):
        self.foreign_requests: list[str] = []
        self.failed_requests: list[str] = []
        self.console_errors: list[str] = []

    def unexpected_console_errors(self) -> list[str]:
        return [m for m in self.console_errors if not any(h in m for h in HARMLESS_CONSOLE_ERRORS)]


@pytest.fixture
def page_and_record(browser):
    """A fresh page whose every request outside 127.0.0.1 is recorded and aborted."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    record = PageRecorder()

    def guard(route):
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            route.continue_()
        else:
            record.foreign_requests.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.on(
        "console",
        lambda message: message.type == "error" and record.console_errors.append(message.text),
    )
    page.on("pageerror", lambda error: record.console_errors.append(f"uncaught: {error}"))
    page.on(
        "requestfailed",
        lambda request: record.failed_requests.append(f"{request.url} ({request.failure})"),
    )
    try:
        yield page, record
    finally:
        context.close()


def pytest_terminal_summary(terminalreporter):
    """The site sweep's counts summed over its pages (each page's test records its own
    when it ends, tests/site/test_site_sweep.py; the workers send them in their reports)."""
    totals = Counter()
    for reports in terminalreporter.stats.values():
        for report in reports:
            if getattr(report, "when", None) == "teardown":
                for name, value in report.user_properties:
                    if name == "site sweep":
                        totals.update(value)
    if totals:
        terminalreporter.write_line(
            "site sweep: " + ", ".join(f"{key} {value}" for key, value in sorted(totals.items()))
        )
