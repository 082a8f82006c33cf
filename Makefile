# The two commands of the README: `make run` and `make test`. Both create .venv first.
# `run` installs the package; `test` adds the test tools and every
# extra the suite exercises (cluster launcher, dashboard, calibration, exploratory analysis, the Optuna fit, the public roster).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUM := $(shell cksum pyproject.toml | cut -d' ' -f1)
RUN_STAMP := $(VENV)/.run-$(SUM)
TEST_STAMP := $(VENV)/.test-$(SUM)
PIP := $(BIN)/python -m pip install -q --disable-pip-version-check
SRC := sim tests benchmarks experiments hydra_plugins

.PHONY: run test test-slow lint format clean venv mutation

venv: $(BIN)/python

$(BIN)/python:
	@$(PY) -c 'import sys; v = sys.version_info; sys.exit(0 if v >= (3, 12) else f"exodus needs Python >= 3.12 but $(PY) is {v.major}.{v.minor}: install 3.12 (pyenv reads .python-version) or run make PY=python3.12")'
	$(PY) -m venv $(VENV)

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(PIP) -e .
	@rm -f $(VENV)/.run-* && touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(PIP) -e '.[dev,cluster,dashboard,calibrate,explore,optuna,roster]'
	@rm -f $(VENV)/.test-* && touch $@

run: $(RUN_STAMP)
	$(BIN)/exodus-calibrate --posterior xai --out results/calibration
	$(BIN)/exodus +experiment=default
	$(BIN)/exodus-compare results/default

test: $(TEST_STAMP)
	$(BIN)/ruff check $(SRC)
	$(BIN)/ruff format --check $(SRC)
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q -n 2 -m 'not slow'

# the end-to-end tests marked slow (a wheel in a fresh venv, the browser, the notebook, the IBM roster chain, ...):
# CI runs them after `make test`
test-slow: $(TEST_STAMP)
	$(BIN)/python -m pytest -q -n 2 -m slow

# mutation testing (docs/mutation.md; not part of `make test`): mutmut over the modules [tool.mutmut] lists, the
# equations run as Python (NUMBA_DISABLE_JIT=1) so their mutants are tested; hours on one core, resumable
mutation: $(TEST_STAMP)
	NUMBA_DISABLE_JIT=1 $(BIN)/mutmut run --max-children 1
	$(BIN)/python benchmarks/mutation_score.py mutants

lint: $(TEST_STAMP)
	$(BIN)/ruff check $(SRC)

format: $(TEST_STAMP)
	$(BIN)/ruff format $(SRC)
	$(BIN)/ruff check --fix $(SRC)

clean:
	rm -rf $(VENV) .pytest_cache
