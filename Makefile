# Customer Pulse: `make run` and `make test` do everything on a fresh machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# uv comes from PATH, or is installed with pip when missing.
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
VENV_STAMP := .venv/.synced

export PULSE_WAREHOUSE ?= $(CURDIR)/data/warehouse.duckdb
export PULSE_LANDING_DIR ?= $(CURDIR)/data/landing
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home

.PHONY: help install uv-available run sample dev dashboard test test-postgres test-spark lint docs bench bench-quick clean

help:
	@echo "make run    install, write the sample data set if absent, run the whole pipeline"
	@echo "make test   install and run the test suite"
	@echo "make test-spark  the marts on a local Spark against DuckDB (needs Java)"
	@echo "make dev    open the Dagster UI on http://127.0.0.1:3000"
	@echo "make dashboard  open the dashboard on http://127.0.0.1:8501 (after make run)"
	@echo "make lint   ruff (lint and format), mypy and sqlfluff (dbt SQL)"
	@echo "make docs   Great Expectations Data Docs and dbt docs for the warehouse (after make run)"
	@echo "make bench  M benchmark (bench-quick: S smoke run); results in bench/results/"
	@echo "make clean  remove the warehouse, sample data and Dagster history"

uv-available:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv

# Bytecode is compiled at install: where PYTHONDONTWRITEBYTECODE is set, every dbt,
# Dagster and check process would otherwise compile its imports from source again.
$(VENV_STAMP): pyproject.toml uv.lock | uv-available
	@echo "installing the locked dependencies into .venv (uv sync)"
	@$(UV) sync --frozen --compile-bytecode --quiet
	@touch $@

install: $(VENV_STAMP)

sample: install
	@if [ ! -f "$(PULSE_LANDING_DIR)/survey_registry.yml" ]; then \
		$(UV) run --frozen pulse sample --out "$(PULSE_LANDING_DIR)"; \
	else echo "sample data present in $(PULSE_LANDING_DIR)"; fi

run: sample
	@$(UV) run --frozen pulse run

$(DAGSTER_HOME)/dagster.yaml: dagster.yaml
	@mkdir -p $(DAGSTER_HOME)
	cp dagster.yaml $@

dev: install $(DAGSTER_HOME)/dagster.yaml
	$(UV) run --frozen dagster dev -m orchestration.definitions -h 127.0.0.1 -p 3000

dashboard: install
	$(UV) run --frozen pulse dashboard

test: install lint
	$(UV) run --frozen pytest

lint: install
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .
	$(UV) run --frozen mypy
	$(UV) run --frozen sqlfluff lint dbt_project

# Validates every suite against $(PULSE_WAREHOUSE) and writes the sites under
# expectations/gx/uncommitted/data_docs/local_site/ and dbt_project/target/ (both ignored).
docs: install
	$(UV) run --frozen python -m orchestration.docs_sites

test-postgres: install
	pg_env="$$(tests/services/postgres.sh)" && eval "$$pg_env" && $(UV) run --frozen pytest tests/postgres

test-spark: install
	$(UV) run --frozen pytest tests/spark tests/unit/test_lake.py

bench: install
	$(UV) run --frozen python -m bench --size M

bench-quick: install
	$(UV) run --frozen python -m bench --size S --repeat 1 --check

clean:
	rm -rf data .dagster_home dbt_project/target dbt_project/logs
