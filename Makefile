# One entry point for people and CI. `make run` serves the platform; `make test` tests it.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Django 6 needs Python 3.12 or newer: use one from PATH or pyenv, else let uv fetch one.
PYTHON_FOR_UV := $(shell for v in 3.14 3.13 3.12; do \
	  p=$$(command -v python$$v 2>/dev/null) && $$p -c '' 2>/dev/null && { echo $$p; exit 0; }; \
	done; \
	for d in $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*; do \
	  [ -x $$d/bin/python ] && { echo $$d/bin/python; exit 0; }; \
	done)
ifneq ($(PYTHON_FOR_UV),)
export UV_PYTHON ?= $(PYTHON_FOR_UV)
endif
export PATH := $(HOME)/.local/bin:$(PATH)
UV := uv
RUN := $(UV) run --frozen

.PHONY: help install uv run test checks pytest image stop lint format messages

help:
	@echo "make run    install everything and serve the platform on http://127.0.0.1:8000"
	@echo "make test   install everything and run the checks and the whole test suite"
	@echo "make stop   stop the embedded PostgreSQL and Redis"

uv:
	@command -v $(UV) >/dev/null || python3 -m pip install --user --quiet uv \
	  || python3 -m pip install --user --quiet --break-system-packages uv

install: uv
	$(UV) sync --frozen --quiet
	npm ci --no-audit --no-fund --loglevel=error
	npm run --silent build:css
	$(RUN) pybabel compile --domain django --directory locale --statistics
	$(RUN) pybabel compile --domain django --directory stations/locale --statistics

run: install
	$(RUN) python -m config.serve

checks:
	$(UV) lock --check
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) djhtml --check templates */templates
	$(RUN) lint-imports
	$(RUN) mypy
	$(RUN) python manage.py check
	$(RUN) python manage.py makemigrations --check --dry-run

pytest:
	$(RUN) pytest -n 2 --dist loadgroup --durations=25

# The production image's steps run outside Docker under production settings (see the script).
image:
	$(RUN) python .ci/prove_image.py

test: install checks image pytest

stop:
	$(RUN) python -m config.embedded stop

format:
	$(RUN) ruff check --fix .
	$(RUN) ruff format .
	$(RUN) djhtml templates */templates

messages:
	$(RUN) python manage.py makemessages --locale cy --ignore ".venv/*" --ignore "node_modules/*" --ignore "stations/*"
	cd stations && $(RUN) python ../manage.py makemessages --locale cy
