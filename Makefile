# `make demo` and `make test` each create their own virtualenv and do all set-up.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SOURCES := pyproject.toml $(shell find extractor pipelines -type f \( -name '*.py' -o -name '*.cfg' -o -name '*.json' -o -name '*.jsonl' \) 2>/dev/null)

.PHONY: demo test lint eval bench clean

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

clean:
	rm -rf $(VENV) build *.egg-info records.jsonl
