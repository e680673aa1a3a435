# zhpipe: the two commands a fresh clone needs are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEV    := $(VENV)/.installed-dev
INPUT  ?= data/raw
OUTPUT ?= data/processed
ARGS   ?=

.PHONY: run test lint typecheck unit notebook bench evaluate train-ner clean help

help:
	@echo "make run    - create .venv, install zhpipe, process $(INPUT) into $(OUTPUT)"
	@echo "make test   - install dev extras, lint, type-check and run the whole test suite"
	@echo "make bench  - benchmarks (speed and memory), printed as tables"
	@echo "make evaluate - accuracy against the peer suites in ../shared"
	@echo "make train-ner - retrain the packaged entity model from ../shared/corpora/ner"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(DEV): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP) $@

run: $(STAMP)
	$(BIN)/zhpipe run $(INPUT) $(OUTPUT) $(ARGS)

lint: $(DEV)
	$(BIN)/ruff check pipeline tests bench
	$(BIN)/ruff format --check pipeline tests bench

typecheck: $(DEV)
	$(BIN)/mypy pipeline

unit: $(DEV)
	$(BIN)/python -m pytest

test: lint typecheck unit

bench: $(DEV)
	$(BIN)/python bench/run.py

evaluate: $(DEV)
	$(BIN)/python -m pipeline.evaluate segmentation
	$(BIN)/python -m pipeline.evaluate figures
	$(BIN)/python -m pipeline.evaluate entities

clean:
	rm -rf $(VENV) $(OUTPUT)/*.parquet $(OUTPUT)/manifest.json .pytest_cache .mypy_cache .ruff_cache
