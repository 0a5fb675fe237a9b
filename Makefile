# disis-tally: `make help` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
MONTH  ?=
JOBS   ?=

.PHONY: help setup data check update report reports test lab bench readme clean

help: ## list the targets, one line each
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "disis-tally needs Python 3.11 or newer; found " + sys.version.split()[0])'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing disis-tally and its dependencies into $(VENV) (first run only)..."
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@if git rev-parse --git-dir >/dev/null 2>&1; then $(BIN)/python -m helpers.hygiene install-filter; fi
	@touch $(STAMP)

setup: $(STAMP) ## create .venv and install the package with its test extras (idempotent)
	@# the package's bytecode, as pip writes it for a regular install (an editable one does not):
	@# otherwise, where PYTHONDONTWRITEBYTECODE is set, every run compiles helpers/ afresh
	@$(BIN)/python -m compileall -q src/helpers

check: setup ## validate data/raw/: one line per problem, exit 1 if any
	@$(BIN)/tally check

data: setup ## rebuild data/processed/ from data/raw/
	@$(BIN)/tally build

update: setup ## the monthly update: ingest FILE=release.txt URL=... then rebuild and render its report
	@test -n "$(FILE)" -a -n "$(URL)" || { echo "usage: make update FILE=release.txt URL=https://..."; exit 2; }
	@$(BIN)/tally ingest "$(FILE)" --url "$(URL)" --yes
	@$(MAKE) --no-print-directory report

report: data ## render the latest month's report (or MONTH=YYYY-MM) into reports/
	@$(BIN)/tally report $(if $(MONTH),--month $(MONTH),)

reports: data ## render every month and reports/index.html (JOBS=N workers)
	@$(BIN)/tally report --all $(if $(JOBS),--jobs $(JOBS),)

test: setup ## run the test suite
	@$(BIN)/python -m pytest

lab: data ## start JupyterLab on notebooks/ in the project's environment
	@$(BIN)/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root,)

bench: data ## run the benchmarks under bench/ and print their figures
	@for f in bench/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

readme: data ## regenerate the README's example figure and narrative excerpt from the data
	@$(BIN)/python -m helpers.readme

clean: ## remove processed data, reports and caches (keeps .venv)
	rm -rf data/processed/*.csv reports/*/ reports/index.html .pytest_cache .hypothesis
