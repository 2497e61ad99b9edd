"""One bad article never stops the build with a traceback: it is named."""

from __future__ import annotations

from _util import copy_raw

from analysis import pipeline, sources
from analysis.__main__ import main


def test_a_cleaner_failure_names_the_article_file(tmp_path, capsys, monkeypatch):
    raw = copy_raw(tmp_path)
    real = sources.clean_article

    def flaky(raw_text, outlet=None):
        if "Ekhbary" in raw_text:
            raise ValueError("boom")
        return real(raw_text, outlet)

    monkeypatch.setattr(sources, "clean_article", flaky)
    assert main(["data", "--raw", str(raw), "--out", str(tmp_path / "out")]) == 2
    err = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error")]
    assert len(err) == 1 and err[0].startswith("error: articles/001_e6fce53cebec8c0e.txt (001_e6fce53cebec8c0e): cannot be cleaned")
    assert not (tmp_path / "out").exists()


def test_a_reader_failure_names_the_article_and_sentence(tmp_path, capsys, monkeypatch):
    raw = copy_raw(tmp_path)

    def failing(text):
        if "Tencent 0700.HK" in text:
            raise ValueError("bad digits")
        return []

    monkeypatch.setattr(pipeline, "find_quantities", failing)
    assert main(["data", "--raw", str(raw), "--out", str(tmp_path / "out")]) == 2
    err = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error")]
    assert len(err) == 1 and err[0].startswith("error: article 003_5f22817db57bbc42, sentence 3: the number reader failed (ValueError: bad digits)")


def test_a_vague_amount_never_feeds_a_claim():
    import pandas as pd
    import pytest

    from analysis.claims import make_table_claims, read_metrics
    from analysis.errors import InputError

    sentences = pd.DataFrame([{"article_id": "900_x", "sentence_id": 1, "text": "Beijing approved several hundred thousand H200 chips."}])
    claims = pd.DataFrame([{"claim_id": "c01", "article_id": "900_x", "metric": "approved_units", "entity": "total",
                            "quote": "approved several hundred thousand H200 chips"}])
    with pytest.raises(InputError, match="needs a precise number, but the quote's is vague"):
        make_table_claims(claims, sentences, read_metrics())
