# Quick start: `make run` serves the system with demo data; `make test` runs every test.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: install ocr run test lint bench clean

install: $(VENV)/.installed ocr

# Scanned PDFs are read by Debian's Tesseract: installed where this user may (root with apt-get); elsewhere
# the upload of a scan answers with what to install, and text PDFs work without it.
OCR_PACKAGES := tesseract-ocr tesseract-ocr-eng tesseract-ocr-fra tesseract-ocr-deu tesseract-ocr-nld \
	tesseract-ocr-spa tesseract-ocr-ita
ocr:
	@command -v tesseract >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	  $(OCR_PACKAGES)) >/dev/null; } || \
	  echo "note: Tesseract is not installed, so scanned PDFs cannot be read: apt-get install $(OCR_PACKAGES)"

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

run: install
	$(BIN)/oms run

# pytest exits non-zero when a test fails and with 5 when it collected none: both fail the target.
# --dist loadscope: a module's tests on one worker, so a module's fixtures (a seeded demo, a live
# server) are built once, not once per worker: 591 s against 635 s for the whole suite.
test: install
	$(BIN)/pytest -n 2 --dist loadscope -p no:cacheprovider

lint: install
	$(BIN)/ruff check src agents tests evals

bench: install
	$(BIN)/python -m evals.perf.bench_api

clean:
	rm -rf $(VENV) .oms build *.egg-info
