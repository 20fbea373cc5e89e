# Common Ground: the two commands in the README are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Python 3.12+: pyenv picks 3.12 from .python-version; otherwise python3.12 or python3.
PYTHON ?= $(shell for p in python3.12 python3.13 python3.14 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; \
	then command -v $$p; break; fi; done)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help run serve test test-fast check lint format install install-dev browser-check clean lock

help:
	@echo "make run     install, migrate, load content and serve on http://$(HOST):$(PORT) (SQLite, console email)"
	@echo "make test    the whole suite, browser tests included"
	@echo "make serve   production settings under granian on http://$(HOST):$(PORT)"
	@echo "make lint    ruff, djlint (templates), django-upgrade and mypy checks"

# Without pip: uv installs everything (ensurepip alone took 5-10 s of a fresh `make run`).
$(BIN)/python:
	@if [ -z "$(PYTHON)" ]; then echo "Python 3.12 or newer is needed (python3.12 not found)." >&2; exit 1; fi
	$(PYTHON) -m venv --without-pip $(VENV)

# uv installs from uv.lock (the whole tree, every file checked against its hash). uv
# itself comes first: .ci/install_uv.py unpacks the wheel uv.lock lists for this machine,
# checked against the lock's hash, into .venv/bin. Where the lock has no wheel for the
# machine (exit 3), pip installs uv instead, with the same hashes.
$(BIN)/uv: uv.lock | $(BIN)/python
	@$(BIN)/python .ci/install_uv.py $(VENV) || { [ $$? -eq 3 ] \
		&& echo "uv.lock has no uv wheel for this machine: installing uv with pip" \
		&& $(BIN)/python -m ensurepip --default-pip >/dev/null \
		&& $(BIN)/python .ci/install_uv.py --requirement > $(VENV)/uv-requirement.txt \
		&& $(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(VENV)/uv-requirement.txt; }
	@touch $@

# --locked: refuse a uv.lock that no longer matches pyproject.toml (run `make lock`).
# --inexact: leave uv and pip in place (they install, they are not the project).
UV_SYNC := UV_PYTHON_DOWNLOADS=never $(BIN)/uv sync --locked --inexact --python $(BIN)/python --quiet

$(VENV)/.installed: pyproject.toml uv.lock | $(BIN)/uv
	$(UV_SYNC)
	@touch $@

$(VENV)/.installed-dev: pyproject.toml uv.lock $(VENV)/.installed
	$(UV_SYNC) --extra dev
	@touch $@

# After editing a dependency list in pyproject.toml: re-lock, keeping every other pin.
lock: | $(BIN)/uv
	UV_PYTHON_DOWNLOADS=never $(BIN)/uv lock

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Django's autoreloader (runserver, and db_worker under DEBUG) is two processes: a parent
# that only starts the child again whenever it exits with status 3 (a file changed), and
# the child, which serves, watching the files (RUN_MAIN=true tells it that it is the child).
# The parent starts Django first, for nothing: 1.5 s of CPU, 5-8 s on a busy machine
# (measured), before the child starts it again. This loop is that parent, without Django.
reloading = while RUN_MAIN=true $(1); [ $$? -eq 3 ]; do :; done

# The server in the foreground, the task worker (manage.py db_worker) beside it; when
# either stops (Ctrl+C stops both), the other is stopped too: each is a process group
# (set -m), child processes included. $(1): environment, $(2): server.
# The worker starts once the server's port answers, and skips the system checks
# `load_content --migrate` has just run: its start-up (seconds of CPU) is not taken from
# the server's on a busy machine (make run from a fresh clone, side by side at load 5-9,
# 5 pairs: the home page came 2-28 s sooner in 4 of them, 7 s later in one).
define with_worker
	set -m; trap 'kill -TERM -- -$$worker -$$server 2>/dev/null; wait' INT TERM EXIT; \
	$(2) & server=$$!; \
	{ until (: </dev/tcp/$(HOST)/$(PORT)) 2>/dev/null; do sleep 0.2; done; \
	$(call reloading,$(1) $(BIN)/python manage.py db_worker --queue-name '*' --interval 1 --skip-checks); } & worker=$$!; \
	wait -n $$worker $$server
endef

# One process migrates and loads the content, after running the system checks once (the
# content's and the database's included; a content problem stops here, listed in full):
# a second process would pay Django's start-up and the content's 2-3 s again. The commands
# after it skip the checks (runserver runs them again itself, before serving and on reloads).
run: install
	$(BIN)/python manage.py load_content --migrate
	@echo
	@echo "  Common Ground is running at http://$(HOST):$(PORT)/"
	@echo "  Emails (sign-up confirmations, password resets) are printed in this terminal."
	@echo "  Data: .local/db.sqlite3 · keys: .local/secrets (keep it; it unlocks what you write)."
	@echo "  A background worker runs beside it (imports, PDFs, archives, reminders)."
	@echo "  Stop with Ctrl+C."
	@echo
	@$(call with_worker,,$(call reloading,$(BIN)/python manage.py runserver $(HOST):$(PORT)))

# Production settings under granian (the faster server here: docs/deploy.md) on local HTTP.
serve: install
	DJANGO_SETTINGS_MODULE=config.settings.serve $(BIN)/python manage.py load_content --migrate
	DJANGO_SETTINGS_MODULE=config.settings.serve $(BIN)/python manage.py collectstatic --noinput -v0 --skip-checks
	@echo "  Common Ground (production settings, granian) at http://$(HOST):$(PORT)/"
	@$(call with_worker,DJANGO_SETTINGS_MODULE=config.settings.serve,DJANGO_SETTINGS_MODULE=config.settings.serve \
		$(BIN)/granian --interface wsgi --host $(HOST) --port $(PORT) --workers 2 --blocking-threads 1 \
		config.wsgi:application)

browser-check: install-dev
	@$(BIN)/python -m tests.browser.find_chromium

check: install-dev
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

# Two passes: everything else in parallel (one pytest-xdist worker per core, each with
# its own test database, live server and Chromium), then the timing and concurrency
# tests (marked `serial` in tests/conftest.py) alone, so a neighbour cannot skew them.
# Exit 5 ("no tests collected") is fine for a pass that PYTEST_ARGS narrowed to nothing.
# The parallel pass ends with its 15 slowest tests, so CI time can be read from its output.
TEST_WORKERS ?= 2
test: install-dev browser-check check
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal -m "not serial" --durations=15 $(PYTEST_ARGS) || [ $$? -eq 5 ]
	$(BIN)/python -m pytest -p no:xdist -m serial $(PYTEST_ARGS) || [ $$? -eq 5 ]

# Everything but the browser tests, for a quick loop while editing.
test-fast: install-dev
	$(BIN)/python -m pytest -m "not browser" $(PYTEST_ARGS)

# django-upgrade reads the files git tracks (and any new ones not ignored), migrations aside.
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint
	git ls-files --cached --others --exclude-standard '*.py' | grep -v '/migrations/' \
		| xargs $(BIN)/django-upgrade --target-version 6.1 --check
	$(BIN)/mypy .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles .cache
