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

.PHONY: help run serve test test-fast check lint format install install-dev browser-check clean

help:
	@echo "make run     install, migrate, load content and serve on http://$(HOST):$(PORT) (SQLite, console email)"
	@echo "make test    the whole suite, browser tests included"
	@echo "make serve   production settings under granian on http://$(HOST):$(PORT)"
	@echo "make lint    ruff lint and format check"

$(BIN)/python:
	@if [ -z "$(PYTHON)" ]; then echo "Python 3.12 or newer is needed (python3.12 not found)." >&2; exit 1; fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_content
	@echo
	@echo "  Common Ground is running at http://$(HOST):$(PORT)/"
	@echo "  Emails (sign-up confirmations, password resets) are printed in this terminal."
	@echo "  Data: .local/db.sqlite3 · keys: .local/secrets (keep it; it unlocks what you write)."
	@echo "  Stop with Ctrl+C."
	@echo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production settings under granian (the faster server here: docs/deploy.md) on local HTTP.
serve: install
	DJANGO_SETTINGS_MODULE=config.settings.serve $(BIN)/python manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=config.settings.serve $(BIN)/python manage.py collectstatic --noinput -v0
	DJANGO_SETTINGS_MODULE=config.settings.serve $(BIN)/python manage.py load_content
	@echo "  Common Ground (production settings, granian) at http://$(HOST):$(PORT)/"
	DJANGO_SETTINGS_MODULE=config.settings.serve $(BIN)/granian --interface wsgi \
		--host $(HOST) --port $(PORT) --workers 2 --blocking-threads 1 config.wsgi:application

browser-check: install-dev
	@$(BIN)/python -m tests.browser.find_chromium

check: install-dev
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

test: install-dev browser-check check
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Everything but the browser tests, for a quick loop while editing.
test-fast: install-dev
	$(BIN)/python -m pytest -m "not browser" $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles .cache
