# h200-china: every target creates .venv first if it is missing, so any of
# them works as the first command on a clean clone.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
KERNEL := h200-china
# The stamp names the Python version: a .venv built by another Python (say
# `make reports PYTHON=python3.12`, then `make reports`) has no stamp for this
# one, so it is detected and rebuilt instead of silently reused.
PYTHON_VERSION := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
STAMP := $(VENV)/.installed-stamp-py$(PYTHON_VERSION)
JOBS ?=
# Exact versions of every package in the venv (pip freeze), installed with
# `pip install -c`: pyproject.toml holds the compatible ranges. `make lock`
# rewrites it; README "Dependencies" says when and how.
LOCK := constraints.txt
EXTRAS := dev

.PHONY: all reports data notebooks test lint lab bench docs clean distclean venv lock git-filter

all: reports

# The pip that venv brings with Python 3.11 (23.2) compares extras unnormalised
# and warns at every install that lxml "does not provide the extra 'html_clean'"
# (jusText asks for it so; lxml spells it html-clean). A pip with PEP 685 does not.
PIP_VERSION := pip==24.3.1
# Every kernel of the venv reads it (Lab, papermill, nbval, reports): it drops
# ipykernel's TCP notice, the one start-up message an analyst cannot act on.
KERNEL_CONFIG := jupyter/ipython_kernel_config.py

venv: $(STAMP)

$(STAMP): $(KERNEL_CONFIG)

# Re-installs when pyproject.toml or the lock changes. The kernel is registered
# inside the venv (--sys-prefix), so two clones never overwrite each other's kernel.
$(STAMP): pyproject.toml $(LOCK)
	@test -n "$(PYTHON_VERSION)" || { echo "error: $(PYTHON) is not a working Python (set PYTHON=...)" >&2; exit 2; }
	@if test -x $(PY) && [ "$$($(PY) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" != "$(PYTHON_VERSION)" ]; then \
	  echo "make: $(VENV) is not Python $(PYTHON_VERSION) ($(PYTHON)): rebuilding it"; rm -rf $(VENV); fi
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check '$(PIP_VERSION)' 2>/dev/null || \
	  echo "make: could not install $(PIP_VERSION) (offline?): keeping pip $$($(PY) -m pip --version | cut -d' ' -f2)"
	$(PY) -m pip install --quiet --disable-pip-version-check -c $(LOCK) -e '.[$(EXTRAS)]'
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (h200-china)" >/dev/null
	install -D -m 644 $(KERNEL_CONFIG) $(VENV)/etc/ipython/ipython_kernel_config.py
	@$(MAKE) --no-print-directory git-filter
	@rm -f $(VENV)/.installed-stamp*
	@touch $(STAMP)

# The clean filter of .gitattributes (notebooks/*.ipynb): what Lab saves is
# staged in the committed form (analysis/reports/notebook_refresh.py), so a "Run All"
# and save leaves git clean. Outside a git checkout there is nothing to set.
git-filter:
	@if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
	  git config filter.h200-notebook.clean '$(PY) -m analysis.reports.notebook_refresh --clean'; \
	  git config filter.h200-notebook.smudge cat; fi

# Skipped (in a few milliseconds) when nothing under data/raw/ nor the code that
# reads it changed and the tables are as the last build wrote them (analysis/tables/data_stamp.py).
data: $(STAMP)
	$(PY) -m analysis data --if-changed

# Re-executes notebooks/NN-*.ipynb on the current data (central scenario) and
# writes them in their committed form: run after `make data` changed the data,
# so that `make test` (strict nbval) is green again. NOTEBOOK=03-demand-vs-stock for one.
notebooks: $(STAMP)
	PYTHONPATH=$(CURDIR) $(PY) -m analysis notebooks $(NOTEBOOK)

reports: data
	$(PY) -m analysis reports $(if $(JOBS),--jobs $(JOBS),)

# Strict nbval (not --nbval-lax) on the committed notebooks, on the project kernel.
NBVAL := --nbval --nbval-kernel-name $(KERNEL) --nbval-sanitize-with tests/nbval_sanitize.cfg

# ruff (lint, with the complexity limit, and the format check) and mypy: configured in pyproject.toml.
lint: $(STAMP)
	$(VENV)/bin/ruff check analysis tests benchmarks
	$(VENV)/bin/ruff format --check analysis tests benchmarks
	$(VENV)/bin/mypy analysis

# Two pytest-xdist workers (the machine's two cores), each taking whole files
# (a notebook's nbval cells share one kernel, in order): the report builds wait
# on kernels while the quick tests run beside them. TEST_WORKERS=0: one process.
# Not --dist loadgroup: pytest 9.2 silently drops its groups (pytest-xdist#1386).
TEST_WORKERS ?= 2
test: $(STAMP) lint
	$(PY) -m pytest $(NBVAL) -n $(TEST_WORKERS) --dist loadfile tests notebooks

# Lab is rooted at the repository (scenarios/, data/ and reports/ reachable) and
# opens on notebooks/. JupyterLab refuses to start as root unless told (containers often run as root).
lab: $(STAMP)
	$(VENV)/bin/jupyter lab --ServerApp.root_dir=$(CURDIR) --LabApp.default_url=/lab/tree/notebooks \
		$(if $(filter 0,$(shell id -u)),--allow-root,) $(LAB_ARGS)

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
	  $(LOCK_VENV)/bin/python -m pip freeze --all --exclude pip --exclude-editable --disable-pip-version-check; } > $(LOCK).tmp
	mv $(LOCK).tmp $(LOCK)
	rm -rf $(LOCK_VENV)
	@echo "wrote $(LOCK); run make venv (or make test) to install it"

clean:
	rm -rf reports .pytest_cache .hypothesis .mypy_cache .ruff_cache build
	find . -name __pycache__ -type d -prune -not -path './$(VENV)/*' -exec rm -rf {} +

# clean, and the virtual environments too (the next target rebuilds .venv).
distclean: clean
	rm -rf $(VENV) $(LOCK_VENV)
