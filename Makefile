# The chores, as the README, CI and developers run them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install run test lint bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

# The main job on the embedded default: ingest the bundled programme, show its targets and directives.
run: install
	$(BIN)/dondoc ingest --sample
	$(BIN)/dondoc items --kind target
	$(BIN)/dondoc items --kind directive

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: install
	$(BIN)/python bench/parse_ingest.py
	$(BIN)/python bench/chase.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
