# `make demo` and `make test` each create their own virtualenv and do all set-up.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SOURCES := pyproject.toml $(shell find extractor pipelines -type f \( -name '*.py' -o -name '*.cfg' -o -name '*.json' -o -name '*.jsonl' \) 2>/dev/null)

.PHONY: demo test lint eval bench clean
# The review page's JS/CSS/HTML are package data too: a change reinstalls.
SOURCES += $(wildcard extractor/review_assets/*)
.PHONY: review screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# A regular (non-editable) install, so every run checks that the package ships its data and configs.
$(VENV)/.installed: $(BIN)/python $(SOURCES)
	$(BIN)/pip install --quiet ".[test]"
	touch $@

demo: $(VENV)/.installed
	$(BIN)/extractor run $(sort $(wildcard samples/*/)) -o records.jsonl
	$(BIN)/extractor eval samples/gold.jsonl records.jsonl

test: $(VENV)/.installed
	$(BIN)/ruff check extractor tests $(wildcard benchmarks)
	$(BIN)/pytest

eval: $(VENV)/.installed
	$(BIN)/extractor run $(sort $(wildcard samples/*/)) -o records.jsonl --quiet
	$(BIN)/extractor eval samples/gold.jsonl records.jsonl

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/throughput.py

# The review page for the samples: open review.html in a browser (see README, "Reviewing records").
review: $(VENV)/.installed
	$(BIN)/extractor run $(sort $(wildcard samples/*/)) -o records.jsonl --quiet
	$(BIN)/extractor review records.jsonl -o review.html

# docs/*.png, taken by the browser test in headless Chromium (apt-get install chromium).
screenshots: $(VENV)/.installed
	EXTRACTOR_SCREENSHOTS=docs $(BIN)/pytest -q tests/test_browser.py -k flow

clean:
	rm -rf $(VENV) build *.egg-info records.jsonl review.html
