# The two commands of the README: `make run` and `make test`. Both create .venv first.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: run test lint format clean

$(STAMP): pyproject.toml
	@$(PY) -c 'import sys; v = sys.version_info; sys.exit(0 if v >= (3, 12) else f"exodus needs Python >= 3.12 but $(PY) is {v.major}.{v.minor}: install 3.12 (pyenv reads .python-version) or run make PY=python3.12")'
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[dev,dashboard]'
	@rm -f $(VENV)/.installed-* && touch $@

run: $(STAMP)
	$(BIN)/exodus +experiment=default
	$(BIN)/exodus-compare results/default

test: $(STAMP)
	$(BIN)/ruff check sim tests benchmarks experiments
	$(BIN)/ruff format --check sim tests benchmarks experiments
	$(BIN)/python -m pytest -q -n 2

lint: $(STAMP)
	$(BIN)/ruff check sim tests benchmarks experiments

format: $(STAMP)
	$(BIN)/ruff format sim tests benchmarks experiments
	$(BIN)/ruff check --fix sim tests benchmarks experiments

clean:
	rm -rf $(VENV) results/*/ .pytest_cache
