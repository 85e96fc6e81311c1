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
.PHONY: help setup all test lint unit pipeline-tests nbval lab clean clean-reports new-release check seal

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

# nbval executes the notebooks, which write charts to reports/figures/ of their project: run
# them in a temporary copy, so that tests write nothing into the user's reports/.
IN_TEMP_COPY = tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && cp -r pyproject.toml data notebooks "$$tmp"/ &&
TEMP_NOTEBOOKS = $(addprefix "$$tmp"/,$(NOTEBOOKS))
NBVAL = --rootdir . -c pyproject.toml --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-kernel-name $(KERNEL)

nbval: setup ## Re-execute the committed notebooks (in a temporary copy) and compare their outputs
	@$(IN_TEMP_COPY) $(BIN)/python -m pytest -q $(NBVAL) $(TEMP_NOTEBOOKS)

TREE_STATE = { git status --porcelain=v1 --untracked-files=all; git diff --binary; } | sha256sum

test: setup ## Everything CI runs: ruff, unit, pipeline and notebook tests; the tree is left as found
	@$(TREE_STATE) > $(VENV)/.tree-before
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	@$(IN_TEMP_COPY) $(BIN)/python -m pytest -q tests $(TEMP_NOTEBOOKS) $(NBVAL)
	@$(TREE_STATE) | cmp -s - $(VENV)/.tree-before || { git status --short; echo "FAILED: make test changed the working tree: outputs are not deterministic"; exit 1; }

lab: setup ## Open JupyterLab on the project
	$(BIN)/jupyter lab --notebook-dir=.

new-release: setup ## Create a release folder: make new-release OUTLET=le360 DATE=2026-04-20 SLUG=exportations-2025
	$(BIN)/python -m digital_exports new-release $(OUTLET) $(DATE) $(SLUG)

check: setup ## Validate releases, show how each figure was read (RELEASE=<id> for one; all by default)
	$(BIN)/python -m digital_exports check $(RELEASE)

seal: setup ## Seal new raw files in data/raw/SHA256SUMS once check passes (checksums --add)
	$(BIN)/python -m digital_exports checksums --add

clean-reports: ## Remove reports/ (HTML, charts, run state); the next make all rebuilds them
	rm -rf reports

clean: ## Remove .venv (the data and notebooks stay)
	rm -rf $(VENV)
