# h200-china: every target creates .venv first if it is missing, so any of
# them works as the first command on a clean clone.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
KERNEL := h200-china
STAMP := $(VENV)/.installed-stamp
JOBS ?=
# Exact versions of every package in the venv (pip freeze), installed with
# `pip install -c`: pyproject.toml holds the compatible ranges. `make lock`
# rewrites it; README "Dependencies" says when and how.
LOCK := constraints.txt
EXTRAS := dev

.PHONY: all reports data test lint lab bench docs clean venv lock

all: reports

venv: $(STAMP)

# Re-installs when pyproject.toml or the lock changes. The kernel is registered
# inside the venv (--sys-prefix), so two clones never overwrite each other's kernel.
$(STAMP): pyproject.toml $(LOCK)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c $(LOCK) -e '.[$(EXTRAS)]'
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (h200-china)" >/dev/null
	@touch $(STAMP)

data: $(STAMP)
	$(PY) -m analysis data

reports: data
	$(PY) -m analysis reports $(if $(JOBS),--jobs $(JOBS),)

# Strict nbval (not --nbval-lax) on the committed notebooks, on the project kernel.
NBVAL := --nbval --nbval-kernel-name $(KERNEL) --nbval-sanitize-with tests/nbval_sanitize.cfg

# ruff (lint, with the complexity limit, and the format check) and mypy: configured in pyproject.toml.
lint: $(STAMP)
	$(VENV)/bin/ruff check analysis tests benchmarks
	$(VENV)/bin/ruff format --check analysis tests benchmarks
	$(VENV)/bin/mypy analysis

test: $(STAMP) lint
	$(PY) -m pytest $(NBVAL) tests notebooks

# JupyterLab refuses to start as root unless told (containers often run as root).
lab: $(STAMP)
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root,) $(LAB_ARGS)

bench: $(STAMP)
	$(PY) benchmarks/parser_throughput.py
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 $(PY) benchmarks/monte_carlo.py
	@if [ -f benchmarks/report_build.py ]; then $(PY) benchmarks/report_build.py; fi

docs: $(STAMP)
	$(PY) -m analysis docs

# Rewrites $(LOCK) from a fresh venv: the versions already locked are kept
# (a new dependency gets the newest release its range allows); UPGRADE=1 takes
# the newest release within every range instead.
LOCK_VENV := .venv-lock
lock:
	rm -rf $(LOCK_VENV) && $(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet --disable-pip-version-check \
		$(if $(UPGRADE),,$(if $(wildcard $(LOCK)),-c $(LOCK),)) -e '.[$(EXTRAS)]'
	{ echo "# Exact versions for h200-china: written by \`make lock\` (pip freeze of a fresh venv"; \
	  echo "# with .[$(EXTRAS)] installed); \`make venv\` installs with pip install -c $(LOCK)."; \
	  echo "# Python $$($(LOCK_VENV)/bin/python -c 'import platform; print(platform.python_version())'). Do not edit by hand: change pyproject.toml, then make lock."; \
	  $(LOCK_VENV)/bin/python -m pip freeze --exclude-editable --disable-pip-version-check; } > $(LOCK).tmp
	mv $(LOCK).tmp $(LOCK)
	rm -rf $(LOCK_VENV)
	@echo "wrote $(LOCK); run make venv (or make test) to install it"

clean:
	rm -rf reports .pytest_cache .hypothesis .mypy_cache .ruff_cache build
	find . -name __pycache__ -type d -prune -not -path './$(VENV)/*' -exec rm -rf {} +
