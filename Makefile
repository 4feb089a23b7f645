# Neural Net Odds and Ends: the two commands are `make book` and `make test`.
# Each sets up what it needs on its own: a project .venv with pinned Python packages
# (requirements.txt), the site's browser assets from the npm registry (package-lock.json)
# and, for the browser tests, Debian's Chromium.

PYTHON ?= python3

# One BLAS kernel on every x86-64 machine: OpenBLAS picks its kernels by CPU (Haswell's
# AVX2, SkylakeX's AVX-512, ...), and they round matrix products differently in the
# last bits, which a trained network amplifies into different printed numbers. The
# notebooks' stored outputs are computed with the Haswell kernels, which every x86-64
# CPU since 2013 runs, so nbval compares like with like on any of them.
export OPENBLAS_CORETYPE ?= Haswell
# One BLAS thread per process. `make test` runs two test workers, with the notebooks'
# kernels, JupyterLab and Chromium beside them; on a 2-core machine an OpenBLAS thread
# that waits for a busy core spins and burns it (nbval over chapters 8, 9, 11 and 13 on
# two workers: 236 CPU-seconds with OpenBLAS's default of one thread per core, 171 with
# one). Every stored output is reproduced with one thread, as nbval checks.
export OPENBLAS_NUM_THREADS ?= 1
VENV   := .venv
BIN    := $(VENV)/bin
SETUP  := $(VENV)/.installed
VENDOR := assets/vendor/.installed

.PHONY: help setup vendor chromium book lint test notebooks lab-notebooks lab bench quizzes animations publish lock clean

help:
	@echo "make book       build the site into _build/html (warnings are errors)"
	@echo "make test       run every test: lint, engine, explorers, quizzes, notebooks (nbval), site, browser"
	@echo "make lint       ruff (lint and format check) and the import contracts (lint-imports)"
	@echo "make notebooks  re-execute every chapter in place, storing outputs and widget state"
	@echo "make lab-notebooks  regenerate the Neural Net Lab's student and solution notebooks from lab/source (otter assign)"
	@echo "make lab        open the course (chapters/, lab/) in JupyterLab from the project's .venv"
	@echo "make bench      time the explorers and the engine (not pass/fail)"
	@echo "make quizzes    export every quiz bank into _build/quizzes (Moodle GIFT, Canvas QTI, answer keys, printable)"
	@echo "make animations explorer runs as GIFs for slides, with captions, into _build/animations"
	@echo "make publish    build, then push _build/html to the gh-pages branch"

setup: $(SETUP)

$(SETUP): requirements.txt pyproject.toml setup.py
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Python 3.10 or newer is needed, found " + sys.version.split()[0])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

vendor: $(VENDOR)

$(VENDOR): package.json package-lock.json tools/vendor.py
	@command -v npm >/dev/null || { echo "npm (Node.js) is needed to fetch the site's widget runtime and MathJax"; exit 1; }
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	$(PYTHON) tools/vendor.py
	touch $@

chromium:
	@$(PYTHON) tools/ensure_chromium.py

book: setup vendor
	$(BIN)/python tools/build_book.py

# All three checks run, and each one reports, before the target fails on any of them.
lint: setup
	@status=0; \
	$(BIN)/ruff check . || status=1; \
	$(BIN)/ruff format --check . || status=1; \
	$(BIN)/lint-imports || status=1; \
	exit $$status

test: lint setup vendor chromium
	$(BIN)/python tools/build_book.py
	$(BIN)/python -m pytest

notebooks: setup
	$(BIN)/python tools/execute_notebooks.py

# The lab is written once with solutions (lab/source); otter assign makes the student
# notebooks (lab/*.ipynb), their checks (lab/tests) and the executed solutions (lab/solutions).
lab-notebooks: setup
	$(BIN)/python tools/build_lab.py

# (--allow-root only where make runs as root, as in containers; JupyterLab refuses otherwise.)
lab: setup
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) .

bench: setup
	$(BIN)/python bench/bench_explorers.py
	$(BIN)/python bench/bench_playground.py
	@if [ -f bench/bench_engine.py ]; then $(BIN)/python bench/bench_engine.py; fi

# Every quiz bank for instructors (widgets/course/exports.py): Moodle GIFT, Canvas QTI
# (text2qti), answer keys (Markdown, HTML) and printable quizzes, in _build/quizzes/.
# MathJax for the HTML pages is copied from assets/vendor when `make vendor` has run.
quizzes: setup
	$(BIN)/python tools/export_quizzes.py

# Explorer runs for slides (widgets/course/animations.py): GIFs written with matplotlib's
# PillowWriter, each with a caption file, in _build/animations/.
animations: setup
	$(BIN)/python tools/make_animations.py

# Push the built site to the gh-pages branch of `origin` (GitHub Pages serves it).
# .github/workflows/deploy.yml does the same on every push to main, with `make book`.
publish: book
	$(BIN)/ghp-import --no-jekyll --push --force --message "Publish the course site" _build/html

# Re-pin requirements.txt from requirements.in on the oldest supported Python
# (set LOCK_PYTHON to its interpreter, e.g. `make lock LOCK_PYTHON=~/.pyenv/versions/3.10.13/bin/python`).
LOCK_PYTHON ?= python3.10
lock:
	rm -rf .lock-venv && $(LOCK_PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet -r requirements.in
	{ echo "# Pinned environment of the course (generated from requirements.in by \`make lock\`"; \
	  echo "# on Python 3.10, the oldest supported; also used on 3.11+). Do not edit by hand."; \
	  .lock-venv/bin/pip freeze; } > requirements.txt
	rm -rf .lock-venv

clean:
	rm -rf _build assets/vendor node_modules
