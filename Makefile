# Healix — `make run` serves the API with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
FLASK := $(BIN)/flask --app healix
PYTEST_WORKERS ?= 2

.PHONY: help install migrate seed run serve worker test lint format bench clean

help:
	@echo "make run    - install, migrate, seed demo data, serve on http://127.0.0.1:5000 (docs: /api/docs)"
	@echo "make worker - Celery worker with the scheduler (beat) for development; needs CELERY_BROKER_URL"
	@echo "make test   - install and run lint + the whole test suite (TEST_DATABASE_URL for PostgreSQL)"
	@echo "make lint   - ruff lint and format check, mypy (strict) on src/healix"
	@echo "make format - apply ruff formatting and safe fixes"
	@echo "make bench  - benchmark against PostgreSQL (BENCH_DATABASE_URL)"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

migrate: install
	$(FLASK) db upgrade

seed: migrate
	$(FLASK) seed-demo

run: seed
	$(BIN)/python app.py

serve: install
	$(BIN)/gunicorn --workers $${WORKERS:-2} --bind $${HOST:-127.0.0.1}:$${PORT:-5000} wsgi:app

# development: one worker process with the scheduler embedded; production runs them apart
worker: migrate
	$(BIN)/celery -A healix.worker worker --beat --loglevel=$${LOG_LEVEL:-INFO} --concurrency=$${CONCURRENCY:-2}

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: install lint
	$(BIN)/pytest -n $(PYTEST_WORKERS)

bench: install
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
