# zhpipe: the two commands a fresh clone needs are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEV    := $(VENV)/.installed-dev
INPUT  ?= data/raw
OUTPUT ?= data/processed
ARGS   ?=

.PHONY: run test lint typecheck unit fonts bench bench-scale evaluate train-ner mutation test-pandas2 clean help

help:
	@echo "make run    - create .venv, install zhpipe, process $(INPUT) into $(OUTPUT)"
	@echo "make test   - install dev extras, lint, type-check and run the whole test suite"
	@echo "make bench  - benchmarks (speed and memory) and a profile of each stage, printed as tables"
	@echo "make bench-scale - a 100 MB and a 1 GB JSONL end to end: time, memory, a rerun (about 40 minutes)"
	@echo "make evaluate - accuracy against the peer suites in ../shared"
	@echo "make train-ner - retrain the packaged entity model from ../shared/corpora/ner"
	@echo "make mutation - mutation testing (mutmut) of the modules that build and store rows (slow)"
	@echo "make test-pandas2 - the dtype and API tests again on pandas 2.x (the suite runs on pandas 3)"

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

# Chart labels in the notebook need a CJK font: installed the standard way (Debian's
# fonts-noto-cjk) where we can; elsewhere the notebook test skips and says why.
fonts:
	@if fc-list :lang=zh 2>/dev/null | grep -q .; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing fonts-noto-cjk for the notebook's Chinese chart labels"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fontconfig fonts-noto-cjk >/dev/null; \
	else echo "no CJK font and no root: install fonts-noto-cjk to render the notebook's Chinese labels" >&2; fi

test: fonts lint typecheck unit

bench-scale: $(DEV)
	$(BIN)/python bench/bench_scale.py --mb 100 1000 --workers 2

bench: $(DEV)
	$(BIN)/python bench/bench_pipeline.py --mb 20 --workers 1 2 --engines local dask --paths fast --memory --repeat 3
	$(BIN)/python bench/bench_pipeline.py --mb 20 --workers 1 2 --engines local dask --paths full
	@# what attribution, quotes and claims cost the fast path (issue 16 allows 15%), with and without them in each round
	$(BIN)/python bench/bench_pipeline.py --mb 3 --workers 1 --paths fast bare --repeat 9
	@# where each stage's time goes (cProfile, one profile a stage, its costliest functions)
	$(BIN)/python bench/profile_stages.py --mb 3
	$(BIN)/python bench/bench_figures.py
	$(BIN)/python bench/bench_entities.py
	$(BIN)/python bench/bench_partitions.py --mb 5 --files 50 --sizes 0.5 1 2 4 8
	$(BIN)/python bench/bench_reprints.py --n 100000
	$(BIN)/python bench/bench_plan_memory.py --mb 100 1000

evaluate: $(DEV)
	$(BIN)/python -m pipeline.evaluate segmentation
	$(BIN)/python -m pipeline.evaluate figures
	$(BIN)/python -m pipeline.evaluate entities

train-ner: $(DEV)
	$(BIN)/python -m ner.train

# Slow (about an hour on two cores): not part of `make test`. Results: docs/testing.md.
mutation: $(DEV)
	$(BIN)/python -m pip install --quiet -e '.[dev,mutation]'
	rm -rf mutants
	$(BIN)/mutmut run --max-children 2
	$(BIN)/mutmut results

# pandas 2.x beside the venv's pandas 3 (a separate folder first on PYTHONPATH): the tables must
# load with the same dtypes on both (tests/cases/dtypes.json)
test-pandas2: $(DEV)
	$(BIN)/python -m pip install --quiet --target .pandas2 --no-deps 'pandas>=2.2,<3' pytz tzdata
	PYTHONPATH=.pandas2 $(BIN)/python -c "import pandas; assert pandas.__version__ < '3', pandas.__version__; print('pandas', pandas.__version__)"
	PYTHONPATH=.pandas2 $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_run.py tests/test_api.py -k "dtypes or pipe or extract_figures"

clean:
	rm -rf mutants $(VENV) .pandas2 .pytest_cache .mypy_cache .ruff_cache
	cd $(OUTPUT) && rm -rf documents sentences tokens figures entities entity_catalog failures _partitions _shares .zhpipe manifest.json
