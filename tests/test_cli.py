"""Command-line output (`python -m analysis`): --quiet, and counts in the right number.
The reports command's output is tested in test_reports.py."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd

from analysis.core import paths
from analysis.metadata.processed import read_processed


def test_data_quiet_prints_nothing(tmp_path):
    command = [sys.executable, "-m", "analysis", "data", "--out", str(tmp_path / "processed")]
    loud = subprocess.run(command, capture_output=True, text=True, check=True)
    counts = {name: len(pd.read_csv(paths.PROCESSED / f"{name}.csv")) for name in ("articles", "claims", "chip_specs")}
    assert min(counts.values()) > 1  # plural forms below
    assert f"data: read {counts['articles']} articles, {counts['claims']} claims, {counts['chip_specs']} chips, " in loud.stderr
    assert f"data: wrote {len(list(paths.PROCESSED.glob('*.csv')))} tables to" in loud.stderr
    quiet = subprocess.run([*command, "--quiet"], capture_output=True, text=True, check=True)
    assert quiet.stdout == "" and quiet.stderr == ""
    assert (tmp_path / "processed" / "claims.csv").read_bytes() == (paths.PROCESSED / "claims.csv").read_bytes()


def test_data_says_what_to_run_next(tmp_path):
    from analysis.__main__ import next_after_data

    done = subprocess.run(
        [sys.executable, "-m", "analysis", "data", "--out", str(tmp_path / "processed")], capture_output=True, text=True, check=True
    )
    last = done.stderr.strip().splitlines()[-1]
    built = read_processed("claim_candidates", tmp_path / "processed")
    assert last == f"next: {next_after_data({'claim_candidates': built})}", last
    assert "`make notebooks`" in last
    pending = pd.DataFrame({"status": ["curated", "new", "contradicts"]})
    assert next_after_data({"claim_candidates": pending}).startswith(
        "`python -m analysis claims review` (2 new claim candidates), then `make notebooks`"
    )


ADD_ARTICLE_MISSING = [
    (["--published", "2026-01-28", "--language", "en"], "a text article needs --outlet (only a saved .html page can give it)"),
    (["--language", "en"], "a text article needs --outlet and --published (only a saved .html page can give them)"),
    ([], "a text article needs --outlet, --published and --language (only a saved .html page can give them)"),
]


def test_add_article_names_every_missing_option_at_once(tmp_path, capsys):
    import pytest
    from helpers import copy_raw

    from analysis.__main__ import main

    raw = copy_raw(tmp_path)
    article = tmp_path / "a.txt"
    article.write_text("China approved more than 400,000 H200 chips.", encoding="utf-8")
    before = (raw / "articles.csv").read_bytes()
    for options, message in ADD_ARTICLE_MISSING:
        assert main(["add-article", str(article), *options, "--raw", str(raw)]) == 2
        assert capsys.readouterr().err == f"error: {article}: {message}\n"
    assert (raw / "articles.csv").read_bytes() == before
    page = tmp_path / "bare.html"
    page.write_text(
        "<html><body><article><p>" + "China approved more than 400,000 H200 chips for three groups. " * 5 + "</p></article></body></html>",
        encoding="utf-8",
    )
    assert main(["add-article", str(page), "--raw", str(raw)]) == 2
    err = capsys.readouterr().err
    if "no article text" in err:
        pytest.skip("trafilatura found no main text in the bare page")
    assert err == f"error: {page}: the page does not give outlet, published and language; pass --outlet, --published and --language\n"


def test_the_kernel_config_drops_only_the_tcp_notice():
    import logging
    import runpy

    from analysis.core.paths import PROJECT_ROOT

    logger = logging.getLogger("IPKernelApp")
    before = list(logger.filters)
    try:
        runpy.run_path(str(PROJECT_ROOT / "jupyter" / "ipython_kernel_config.py"), init_globals={"c": None})
        added = [f for f in logger.filters if f not in before]
        assert len(added) == 1

        def record(message: str) -> logging.LogRecord:
            return logging.LogRecord("IPKernelApp", logging.WARNING, __file__, 1, message, None, None)

        assert not added[0].filter(record("Kernel is running over TCP without encryption. All communication ..."))
        assert added[0].filter(record("Parent appears to have exited, shutting down."))
    finally:
        logger.filters[:] = before
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    assert "install -D -m 644 $(KERNEL_CONFIG) $(VENV)/etc/ipython/ipython_kernel_config.py" in makefile
