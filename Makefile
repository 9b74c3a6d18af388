# Two commands matter: `make run` (serve the portal with demo data) and `make test` (the whole suite).
# Both set up everything they need first. `make help` lists the rest.

VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app portal
DEV_ENV := PORTAL_ENV=development SMTP_HOST=127.0.0.1 SMTP_PORT=1025
# The interface's texts: where they are extracted from, and the options that keep the catalogue's diffs small
# (file names without line numbers, no wrapping, no fuzzy guesses, no obsolete entries, no creation date).
BABEL_SOURCES := portal admin citizen_portal formsengine earlyyears templates
BABEL_EXTRACT := -F babel.cfg -k _l -k lazy_gettext -k N_ --add-location=file --no-wrap --sort-output
BABEL_UPDATE := -d portal/translations -l cy --no-wrap --no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date
PORT ?= 5000

.DEFAULT_GOAL := help
.PHONY: help install run worker test test-fast bench lint mailcatcher translations

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 14

$(VENV)/.installed: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

install: $(VENV)/.installed node_modules/.installed ## Create .venv, install the project with its dev extras, and the front-end assets

run: install ## Migrate, load the forms, create demo data and serve on http://127.0.0.1:5000 with the worker alongside
	$(DEV_ENV) $(FLASK) db upgrade
	$(DEV_ENV) $(FLASK) forms load form_definitions
	$(DEV_ENV) $(FLASK) demo
	@echo "Emails are printed by a local mail catcher on port 1025."
	@trap 'kill 0' EXIT INT TERM; \
	  $(BIN)/python -m aiosmtpd -n -l 127.0.0.1:1025 -c aiosmtpd.handlers.Debugging stdout & \
	  $(DEV_ENV) $(FLASK) worker & \
	  $(DEV_ENV) $(FLASK) run --host 127.0.0.1 --port $(PORT)

worker: install ## Run the background worker (email outbox, scheduled jobs)
	$(FLASK) worker

test: install ## Run the whole test suite (TEST_DATABASE_URL=postgresql+psycopg://... for PostgreSQL)
	$(BIN)/pytest

test-fast: install ## Run the suite without the browser tests
	$(BIN)/pytest -m "not browser"

bench: install ## Run the benchmarks in bench/
	@for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

lint: install ## Check the code with ruff
	$(BIN)/ruff check .

translations: install ## Extract the interface's texts and add the new ones to the Welsh catalogue (running it twice changes nothing)
	@pot=$$(mktemp) && trap 'rm -f "$$pot"' EXIT && \
	  $(BIN)/pybabel -q extract $(BABEL_EXTRACT) -o "$$pot" $(BABEL_SOURCES) && \
	  $(BIN)/pybabel -q update -i "$$pot" $(BABEL_UPDATE)
