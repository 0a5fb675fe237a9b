# disis-tally: `make help` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
MONTH  ?=
JOBS   ?=
PORT   ?= 8888
# test processes (pytest-xdist): two by default (quiet machine: 71 s over two, 117 s in one); TEST_JOBS=0 runs in one
TEST_JOBS ?= 2
# INSTALLER=pip installs with pip alone; by default uv installs when it can (much faster), pip otherwise
INSTALLER ?= uv
# Bytecode is written as Python writes it by default, on a module's first import, whatever the shell says:
# where PYTHONDONTWRITEBYTECODE is set, each process of a report or a test run would otherwise compile
# pandas and matplotlib for itself. Nothing is compiled at install (uv's default; pip is told so), which
# would take longer than the first run's compiling of what it imports.
export PYTHONDONTWRITEBYTECODE =

.PHONY: help setup data check update report reports lint test lab bench readme docs clean

help: ## list the targets, one line each
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "disis-tally needs Python 3.11 or newer; found " + sys.version.split()[0])'
	@echo "Installing disis-tally and its dependencies into $(VENV) (first run only)..."
	@# uv installs in seconds where pip takes a minute or more. Without uv on the PATH, it is put into the
	@# venv by the system's pip (or the venv's own); if that or uv fails, pip installs everything.
	@UV=; \
	if [ "$(INSTALLER)" = uv ]; then \
		test -x $(BIN)/python || $(PYTHON) -m venv --without-pip $(VENV); \
		UV=$$(command -v uv); \
		if [ -z "$$UV" ] && { $(PYTHON) -m pip --python $(BIN)/python install --quiet --disable-pip-version-check uv >/dev/null 2>&1 \
			|| { $(BIN)/python -m ensurepip >/dev/null 2>&1 && $(BIN)/python -m pip install --quiet --disable-pip-version-check uv >/dev/null 2>&1; }; }; \
		then UV=$(BIN)/uv; fi; \
	fi; \
	if [ -n "$$UV" ] && "$$UV" pip install --quiet --python $(BIN)/python -e '.[test]' pip; then :; else \
		if [ "$(INSTALLER)" = uv ]; then echo "uv is not available here: installing with pip (a minute or two)"; fi; \
		test -x $(BIN)/python || $(PYTHON) -m venv $(VENV); \
		$(BIN)/python -m pip --version >/dev/null 2>&1 || $(BIN)/python -m ensurepip >/dev/null || exit 1; \
		$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-compile -e '.[test]' || exit 1; \
	fi
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
	@$(BIN)/tally build
	@$(BIN)/tally report --last-added

report: data ## render the latest month's report (or MONTH=YYYY-MM) into reports/
	@$(BIN)/tally report $(if $(MONTH),--month $(MONTH),)

reports: data ## render every month and reports/index.html (JOBS=N workers)
	@$(BIN)/tally report --all $(if $(JOBS),--jobs $(JOBS),)

lint: setup ## check src/, tests/ and bench/ with ruff (rules in pyproject.toml: F, E, W, I, C90)
	@$(BIN)/ruff check src tests bench

test: setup lint ## run ruff, then the test suite (TEST_JOBS=N: over N processes)
	@$(BIN)/python -m pytest -n $(TEST_JOBS)

lab: data ## start JupyterLab on notebooks/ in the project's environment (PORT=8888)
	@$(BIN)/jupyter lab --notebook-dir=notebooks --port=$(PORT) $(if $(filter 0,$(shell id -u)),--allow-root,)

bench: data ## run the benchmarks under bench/ and print their figures
	@for f in bench/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

readme: data ## regenerate the README's example figure and narrative excerpt from the data
	@$(BIN)/python -m helpers.readme

docs: setup ## regenerate datapackage.json and data/README.md's column tables from helpers.schema
	@$(BIN)/python -m helpers.schema

clean: ## remove reports and caches (keeps .venv and the committed data/processed/)
	rm -rf reports/*/ reports/index.html .pytest_cache .hypothesis
