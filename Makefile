# Quick start: `make run` serves the system with demo data; `make test` runs every test.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: install run test lint bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

run: install
	$(BIN)/oms run

# pytest exits non-zero when a test fails and with 5 when it collected none: both fail the target.
test: install
	$(BIN)/pytest -n 2 -p no:cacheprovider

lint: install
	$(BIN)/ruff check src agents tests evals

bench: install
	$(BIN)/python -m evals.perf.bench_api

clean:
	rm -rf $(VENV) .oms build *.egg-info
