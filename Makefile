# One command for every check, as CI runs them: `make check`.
# The tools come from the test extra, installed from the lock (see README, Set-up).
VENV ?= .venv
BIN := $(VENV)/bin
# Tests are type-checked too, with annotations optional: a test's parameters are fixtures.
MYPY_TESTS := --strict --allow-untyped-defs --allow-incomplete-defs --allow-untyped-calls --check-untyped-defs

.PHONY: check format lint types contracts test install

check: lint types contracts test

install:
	python3.11 -m venv $(VENV) && $(BIN)/pip install -c requirements/lock.txt -e '.[test]'

# Rewrites files: formatting and the fixes ruff can make safely.
format:
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

lint:
	$(BIN)/ruff format --check src tests bench
	$(BIN)/ruff check src tests bench

# Test files not yet clean under MYPY_TESTS, checked as imports only (their errors silenced)
# until each is fixed: delete a name here once its file passes.
MYPY_TESTS_PENDING :=
MYPY_TESTS_FILES := $(filter-out $(addprefix tests/,$(addsuffix .py,$(MYPY_TESTS_PENDING))),$(wildcard tests/*.py tests/tui/*.py))

types:
	$(BIN)/mypy
	MYPYPATH=src $(BIN)/mypy $(MYPY_TESTS) --follow-imports=silent $(MYPY_TESTS_FILES)

contracts:
	$(BIN)/lint-imports

# The suite runs the same tools itself (tests/test_code_quality.py); they ran above.
test:
	$(BIN)/python -m pytest --ignore=tests/test_code_quality.py
