# h200-china: every target creates .venv first if it is missing, so any of
# them works as the first command on a clean clone.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
KERNEL := h200-china
STAMP := $(VENV)/.installed-stamp
JOBS ?=

.PHONY: all reports data test lab bench docs clean venv

all: reports

venv: $(STAMP)

# Re-installs when pyproject.toml changes. The kernel is registered inside the
# venv (--sys-prefix), so two clones never overwrite each other's kernel.
$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (h200-china)" >/dev/null
	@touch $(STAMP)

data: $(STAMP)
	$(PY) -m analysis data

reports: data
	$(PY) -m analysis reports $(if $(JOBS),--jobs $(JOBS),)

# Strict nbval (not --nbval-lax) on the committed notebooks, on the project kernel.
NBVAL := --nbval --nbval-kernel-name $(KERNEL) --nbval-sanitize-with tests/nbval_sanitize.cfg

test: $(STAMP)
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

clean:
	rm -rf reports .pytest_cache .hypothesis build
	find . -name __pycache__ -type d -prune -not -path './$(VENV)/*' -exec rm -rf {} +
