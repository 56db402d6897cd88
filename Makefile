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

# The main job on the embedded default: ingest the bundled programme, then replay a stretch of it
# day by day (--as-of dates), showing the reminders and escalations it produced, delivered to a
# local Maildir.
run: install
	$(BIN)/dondoc demo

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python -m models.check

bench: install
	$(BIN)/python bench/parse_ingest.py
	$(BIN)/python bench/chase.py
	$(BIN)/python bench/answer_page.py
	$(BIN)/python bench/formats.py
	$(BIN)/python bench/review.py
	$(BIN)/python bench/console.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
