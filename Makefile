# Morocco digital & outsourcing services exports: replication package.
# `make` lists the targets. A new user needs only `make all` and `make test`.

SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
KERNEL := digital-exports
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))

.DEFAULT_GOAL := help
.PHONY: help setup all test lint unit pipeline-tests nbval lab clean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11) and "Python 3.11 is required, found " + sys.version.split()[0])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python 3.11 (digital_exports)" >/dev/null
	touch $(STAMP)

setup: $(STAMP) ## Create .venv from requirements.lock, install the package, register the kernel

all: setup ## Run the whole pipeline: raw releases -> processed tables, notebooks, charts
	$(BIN)/python -m digital_exports run

lint: setup ## ruff: lint and format check
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

unit: setup ## Unit tests (tests/unit)
	$(BIN)/python -m pytest -q tests/unit

pipeline-tests: setup ## Pipeline tests: rerun into a temporary folder, broken releases
	$(BIN)/python -m pytest -q tests/pipeline

nbval: setup ## Re-execute the committed notebooks and compare their outputs (nbval, strict)
	$(BIN)/python -m pytest -q --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-kernel-name $(KERNEL) $(NOTEBOOKS)

TREE_STATE = { git status --porcelain=v1 --untracked-files=all; git diff --binary; } | sha256sum

test: setup ## Everything CI runs: ruff, unit, pipeline and notebook tests; the tree is left as found
	@$(TREE_STATE) > $(VENV)/.tree-before
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/python -m pytest -q tests $(NOTEBOOKS) --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-kernel-name $(KERNEL)
	@$(TREE_STATE) | cmp -s - $(VENV)/.tree-before || { git status --short; echo "FAILED: make test changed the working tree: outputs are not deterministic"; exit 1; }

lab: setup ## Open JupyterLab on the project
	$(BIN)/jupyter lab --notebook-dir=.

clean: ## Remove .venv (the data and notebooks stay)
	rm -rf $(VENV)
