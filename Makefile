# Two commands matter: `make demo` and `make test`. Everything they need is installed here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
export SPARK_LOCAL_IP ?= 127.0.0.1
export PYTHONHASHSEED ?= 0

.PHONY: demo serve test lint test-fast test-slow bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e ".[test,spark]"
	touch $@ $(VENV)/.installed

## make demo: set up, generate the demo trust, import it, run the main job, say where the outputs are
demo: $(VENV)/.installed
	$(BIN)/parity demo

## make serve: the dashboard on the demo workspace (run make demo first); prints a set-up link on first run
serve: $(VENV)/.installed
	$(BIN)/parity serve --workspace parity-demo

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks

## make test: set up and run the whole test suite (lint first: a lint failure fails the build)
test: lint
	$(BIN)/python -m pytest -n 2 --dist loadfile -q

test-fast: $(VENV)/.installed-test
	$(BIN)/python -m pytest -n 2 --dist loadfile -q -m "not spark and not slow"

test-slow: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q -m slow

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/synth_national.py
	$(BIN)/python benchmarks/wres_national.py

clean:
	rm -rf $(VENV) parity-demo demo-data .pytest_cache .ruff_cache
