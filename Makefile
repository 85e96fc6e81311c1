# Morocco digital & outsourcing services exports: replication package.
# `make` lists the targets. A new user needs only `make all` and `make test`.

SHELL := /bin/bash
# Supported CPython versions (pyproject.toml's requires-python; tests/unit/test_environment.py).
PYTHON_MIN := 3.11
PYTHON_MAX := 3.13
comma := ,
SUPPORTED = ($(subst .,$(comma),$(PYTHON_MIN)),) <= sys.version_info[:2] <= ($(subst .,$(comma),$(PYTHON_MAX)),)
PYVER = import sys; print(*sys.version_info[:2], sep=".")
# The first of python3, python3.13, python3.12, python3.11 that is a supported version;
# `make setup PYTHON=/path/to/python3.12` picks another (after `make clean`).
ifndef PYTHON
PYTHON := $(shell for p in python3 python3.13 python3.12 python3.11; do \
	$$p -c 'import sys; sys.exit(not $(SUPPORTED))' >/dev/null 2>&1 && { command -v $$p; break; }; done)
endif
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
KERNEL := digital-exports
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
# uv installs the lock in seconds; pip (INSTALLER=pip) is the fallback. The uv version is the
# lock's, so one file pins it. Both compile the installed packages to bytecode (uv does not by
# default): where PYTHONDONTWRITEBYTECODE is set, as in most containers, every kernel and process
# would otherwise compile pandas and matplotlib again (a cold run 9.3 s instead of 5.6 s). The
# package's own modules are compiled too (a no-op run: 0.25 s instead of 0.32 s).
INSTALLER ?= uv
UV_VERSION := $(shell sed -n 's/^uv==//p' requirements.lock)
ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help setup all run test test-fast lint unit pipeline-tests nbval fuzz lab kernel clean clean-reports new-release draft check seal

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# uv does not read pip's configuration: hand it pip's index and certificates (pip's defaults,
# PyPI and the system store, when none is set), so both installers fetch from the same place.
# pip's extra indexes and find-links are not passed: the lock's packages come from the index.
UV_FROM_PIP = pipconf() { $(BIN)/python -m pip config get "global.$$1" 2>/dev/null || true; }; \
	index=$${UV_DEFAULT_INDEX:-$${PIP_INDEX_URL:-$$(pipconf index-url)}}; \
	cert=$${SSL_CERT_FILE:-$${PIP_CERT:-$$(pipconf cert)}}; \
	if [ -n "$$index" ]; then export UV_DEFAULT_INDEX=$$index; fi; \
	if [ -n "$$cert" ]; then export SSL_CERT_FILE=$$cert; fi

$(STAMP): requirements.lock pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python $(PYTHON_MIN) to $(PYTHON_MAX) is required; none found as python3 or python3.1x (set PYTHON=...)"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(not $(SUPPORTED) and "Python $(PYTHON_MIN) to $(PYTHON_MAX) is required, $(PYTHON) is " + sys.version.split()[0])'
	@if test -x $(BIN)/python && [ "$$($(BIN)/python -c '$(PYVER)')" != "$$($(PYTHON) -c '$(PYVER)')" ]; then \
		echo "$(VENV) has Python $$($(BIN)/python -c '$(PYVER)'), $(PYTHON) is another: run 'make clean' first"; exit 1; fi
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@if [ "$(INSTALLER)" = uv ]; then \
		set -e; $(UV_FROM_PIP); \
		test -x $(BIN)/uv && [ "$$($(BIN)/uv --version | cut -d' ' -f2)" = "$(UV_VERSION)" ] \
			|| { echo "pip install uv==$(UV_VERSION)"; $(BIN)/python -m pip install --quiet uv==$(UV_VERSION); }; \
		echo "uv pip sync --compile-bytecode requirements.lock"; \
		$(BIN)/uv pip sync --quiet --compile-bytecode --python $(BIN)/python requirements.lock; \
		$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps --no-build-isolation -e .; \
	else \
		set -ex; \
		$(BIN)/python -m pip install --quiet --compile --no-deps -r requirements.lock; \
		$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .; \
	fi
	$(BIN)/python -m compileall -q src
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "$(KERNEL_DISPLAY)" >/dev/null
	touch $(STAMP)

KERNEL_DISPLAY = Python $$($(BIN)/python -c '$(PYVER)') (digital_exports)

setup: $(STAMP) ## Create .venv from requirements.lock (uv; INSTALLER=pip for pip), register the kernel

all: setup ## Run the whole pipeline: raw releases -> processed tables, notebooks, charts
	$(BIN)/python -m digital_exports run

run: setup ## The runner with arguments, e.g. make run ARGS="-p year=2023 -p lang=en"
	$(BIN)/python -m digital_exports run $(ARGS)

lint: setup ## ruff (lint and format), mypy on src/, and the direction of imports (import-linter)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

unit: setup ## Unit tests (tests/unit)
	$(BIN)/python -m pytest -q tests/unit

test-fast: setup ## The loop to run while you work: ruff, then the unit and in-process tests (no process started)
	$(BIN)/ruff check src tests benchmarks
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

# The working tree and reports/ (ignored by git, so listed by hand): make test writes neither.
# Without git (the package unpacked from an archive), every file but the venv's and caches.
TREE_STATE = { if git rev-parse --show-prefix 2>/dev/null | grep -qx ''; then \
	git status --porcelain=v1 --untracked-files=all; git diff --binary; \
	else find . -type f -not -path './.venv/*' -not -path './reports/*' -not -path '*/__pycache__/*' \
	-not -path './.*_cache/*' -not -path './.hypothesis/*' | LC_ALL=C sort | xargs -r sha256sum; fi; \
	find reports -type f 2>/dev/null | LC_ALL=C sort | xargs -r sha256sum; } | sha256sum

test: setup ## Everything CI runs: ruff, mypy, import direction, unit, pipeline and notebook tests; the tree is left as found
	@$(TREE_STATE) > $(VENV)/.tree-before
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports
	@$(IN_TEMP_COPY) $(BIN)/python -m pytest -q --durations=15 tests $(TEMP_NOTEBOOKS) $(NBVAL)
	@$(TREE_STATE) | cmp -s - $(VENV)/.tree-before || { git status --short; echo "FAILED: make test changed the working tree or reports/: tests must write in temporary folders only, and outputs be deterministic"; exit 1; }

MINUTES ?= 10
fuzz: setup ## The model's properties on generated worlds for MINUTES (default 10): worlds, properties, misprints caught
	cd tests && ../$(BIN)/python -m support.fuzz --minutes $(MINUTES)

lab: setup ## Open JupyterLab on the project (as root too)
	$(BIN)/jupyter lab --notebook-dir=. $$([ "$$(id -u)" = 0 ] && echo --allow-root)

kernel: setup ## Register the kernel for your own Jupyter (in ~/.local/share/jupyter)
	$(BIN)/python -m ipykernel install --user --name $(KERNEL) --display-name "$(KERNEL_DISPLAY)"

new-release: setup ## Create a release folder: make new-release OUTLET=le360 DATE=2026-04-20 SLUG=exportations-2025
	$(BIN)/python -m digital_exports new-release $(OUTLET) $(DATE) $(SLUG)

draft: setup ## Draft a release from an article: make draft OUTLET=le360 DATE=2026-04-20 SLUG=x FROM=article.html [REVIEW=1]
	$(BIN)/python -m digital_exports draft $(OUTLET) $(DATE) $(SLUG) --from "$(FROM)" $(if $(REVIEW),--review)

check: setup ## Validate releases, show how each figure was read (RELEASE=<id> for one; all by default)
	$(BIN)/python -m digital_exports check $(RELEASE)

seal: setup ## Seal new raw files in data/raw/SHA256SUMS once check passes (checksums --add)
	$(BIN)/python -m digital_exports checksums --add

clean-reports: ## Remove reports/ (HTML, charts, run state); the next make all rebuilds them
	rm -rf reports

clean: ## Remove .venv (the data and notebooks stay)
	rm -rf $(VENV)
