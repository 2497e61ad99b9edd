"""``python -m analysis notebooks`` and the git clean filter: the committed form
of a notebook, what a JupyterLab save adds to it, and the analyst's whole loop
(add an article, accept a claim, rebuild, refresh, strict nbval) on a copy."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.core import paths
from analysis.reports.notebook_refresh import clean_filter, committed_text
from analysis.reports.worker import REPR_ADDRESS

NOTEBOOKS = sorted(paths.NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
ROOT = Path(__file__).resolve().parents[2]


def lab_save(text: str, seed: int = 7) -> str:
    """What JupyterLab writes after "Run All" (twice for some cells) and save:
    execution timings in every code cell's metadata, fresh memory addresses in
    reprs, higher execution counts, ``tags: []``, and no final newline."""
    notebook = json.loads(text)
    for position, cell in enumerate(notebook["cells"]):
        cell["metadata"].setdefault("tags", [])
        if cell["cell_type"] != "code":
            continue
        cell["metadata"]["execution"] = {
            "iopub.execute_input": f"2026-12-01T10:00:{position:02d}.123456Z",
            "shell.execute_reply": f"2026-12-01T10:00:{position:02d}.654321Z",
        }
        if cell.get("execution_count") is not None:
            cell["execution_count"] += 10 + seed
        for output in cell.get("outputs", []):
            if output["output_type"] == "execute_result":
                output["execution_count"] = cell["execution_count"]
            plain = output.get("data", {}).get("text/plain")
            if plain is not None:
                lines = plain if isinstance(plain, list) else [plain]
                output["data"]["text/plain"] = [line.replace(REPR_ADDRESS, f"0x7f{seed:02d}bb26a990") for line in lines]
    notebook["metadata"]["language_info"]["version"] = "3.11.9"
    return json.dumps(notebook, indent=1, ensure_ascii=False)  # Lab's indent; no newline at the end


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_a_lab_save_normalises_to_the_committed_bytes(notebook):
    committed = committed_text(notebook.read_text(encoding="utf-8"))
    saved = lab_save(committed)
    assert saved != committed
    assert committed_text(saved) == committed
    assert committed_text(committed) == committed  # idempotent: the filter leaves the committed form alone
    assert committed.endswith("}\n")


def test_the_committed_form_drops_session_metadata_and_addresses():
    committed = committed_text(lab_save(committed_text(NOTEBOOKS[0].read_text(encoding="utf-8"))))
    notebook = json.loads(committed)
    assert not re.search(r" at 0x(?!ADDRESS)[0-9a-f]+>", committed)
    assert '"execution"' not in committed and '"papermill"' not in committed
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert [cell["execution_count"] for cell in code] == list(range(1, len(code) + 1))
    assert [cell["id"] for cell in notebook["cells"]] == [f"cell-{i:02d}" for i in range(len(notebook["cells"]))]
    assert code[0]["metadata"] == {"tags": ["parameters"]}  # the one tag that means something stays
    assert "version" not in notebook["metadata"]["language_info"]
    pngs = [o["data"]["image/png"] for c in code for o in c["outputs"] if "image/png" in o.get("data", {})]
    original = json.loads(NOTEBOOKS[0].read_text(encoding="utf-8"))
    assert pngs == [o["data"]["image/png"] for c in original["cells"] for o in c.get("outputs", []) if "image/png" in o.get("data", {})]


def test_the_filter_passes_what_is_not_a_notebook_unchanged():
    conflicted = '{\n<<<<<<< HEAD\n "cells": []\n=======\n'
    sink = io.StringIO()
    assert clean_filter(io.StringIO(conflicted), sink) == 0
    assert sink.getvalue() == conflicted


def _git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


def test_git_stays_clean_after_a_lab_save(tmp_path):
    """The filter as `make venv` configures it, in a scratch repository."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    (repo / "notebooks").mkdir(parents=True)
    shutil.copy(ROOT / ".gitattributes", repo / ".gitattributes")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    clean = re.search(r"git config filter\.h200-notebook\.clean '\$\(PY\) (-m [^']+)'", makefile).group(1)
    notebook = repo / "notebooks" / NOTEBOOKS[2].name
    committed = committed_text(NOTEBOOKS[2].read_text(encoding="utf-8"))
    notebook.write_text(committed, encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "config", "filter.h200-notebook.clean", f"{sys.executable} {clean}")
    _git(repo, "config", "filter.h200-notebook.smudge", "cat")
    _git(repo, "add", ".")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "notebook")
    notebook.write_text(lab_save(committed), encoding="utf-8")
    assert _git(repo, "diff") == ""  # git status may list the file until it is staged (its size changed), as with nbstripout
    _git(repo, "add", ".")
    assert _git(repo, "status", "--porcelain") == ""
    assert _git(repo, "show", f":notebooks/{notebook.name}") == committed  # staged bytes are the committed form


def test_the_gitattributes_cover_every_notebook():
    attributes = (ROOT / ".gitattributes").read_text(encoding="utf-8")
    assert "notebooks/*.ipynb filter=h200-notebook" in attributes.splitlines()


# --- the analyst's loop, on a copy of the project (slow: runs every notebook twice) -------------------

ARTICLE = """Nvidia's H200 sales to China

Nvidia has about 700,000 H200 chips in stock, one of the people said.
"""


def _copy_project(target: Path) -> Path:
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True).stdout.decode().split("\0")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def _run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(project), paths.ROOT_ENV: str(project)}
    env.pop("H200_DEFER_CHART_SVG", None)
    return subprocess.run([sys.executable, *args], check=False, cwd=project, env=env, capture_output=True, text=True, timeout=900)


def _nbval(project: Path, *notebooks: str) -> subprocess.CompletedProcess[str]:
    return _run(
        project,
        *("-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval", "--nbval-kernel-name", paths.KERNEL_NAME),
        *("--nbval-sanitize-with", "tests/nbval_sanitize.cfg", *notebooks),
    )


@pytest.mark.slow
def test_add_article_accept_data_notebooks_then_strict_nbval_is_green(tmp_path):
    project = _copy_project(tmp_path / "project")
    # Two notebooks keep the loop within the test budget: the sources page and a figures page that reads the stock.
    kept = ("01-sources-and-claims.ipynb", "03-demand-vs-stock.ipynb")
    for notebook in (project / "notebooks").glob("[0-9][0-9]-*.ipynb"):
        if notebook.name not in kept:
            notebook.unlink()
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    added = _run(
        project, "-m", "analysis", "add-article", str(article), "--outlet", "Test Wire", "--published", "2026-02-10", "--language", "en"
    )
    assert added.returncode == 0, added.stderr
    assert _run(project, "-m", "analysis", "data", "-q").returncode == 0
    review = _run(project, "-m", "analysis", "claims", "review")
    ids = re.findall(r"^ *(\d+)\. H200 units in Nvidia's stock: about 700k chips$", review.stdout, re.MULTILINE)
    assert len(ids) == 1, review.stdout
    accepted = _run(project, "-m", "analysis", "claims", "review", "--accept", ids[0])
    assert accepted.returncode == 0, accepted.stderr
    assert _run(project, "-m", "analysis", "data", "-q").returncode == 0
    stale = _nbval(project, "notebooks/01-sources-and-claims.ipynb")
    assert stale.returncode != 0, "the new claim should change notebook 01's outputs"

    refreshed = _run(project, "-m", "analysis", "notebooks")
    assert refreshed.returncode == 0, refreshed.stdout + refreshed.stderr
    lines = refreshed.stdout.splitlines()
    assert sorted(line.split()[2] for line in lines if line.lstrip().startswith("[")) == list(kept)  # as they finish
    assert "refreshed 01-sources-and-claims.ipynb" in refreshed.stdout
    assert "700,000" in (project / "notebooks" / "01-sources-and-claims.ipynb").read_text(encoding="utf-8")
    green = _nbval(project, "notebooks")
    assert green.returncode == 0, green.stdout[-3000:]
    again = _run(project, "-m", "analysis", "notebooks", "01-sources-and-claims")
    assert "unchanged 01-sources-and-claims.ipynb" in again.stdout  # same data, same bytes
