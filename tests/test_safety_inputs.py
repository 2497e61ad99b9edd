"""Issue 18, data side: nothing appended to `data/raw/` that the next build
refuses (class 1), spreadsheet formulas neutralised in the processed tables
(class 3), wrong results without a word (class 6) and tracebacks instead of one
line (class 7, data side). Each table was run against the code before its fix."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from helpers import copy_raw, replace_in_file

from analysis.__main__ import main
from analysis.core import files
from analysis.core.errors import InputError
from analysis.metadata.processed import read_processed
from analysis.quantities.reader import find_quantities
from analysis.sources import html_pages
from analysis.sources.cleaning import normalise_text
from analysis.sources.manifest import read_manifest

STORY = (
    "Nvidia a livré 82 000 puces H200 aux clients chinois au cours du premier trimestre, selon deux sources proches du dossier. "
    "Les autorités de Pékin ont validé chaque commande une par une, ce qui a ralenti les expéditions vers les centres de données. "
    "Les analystes estiment que la demande dépasse largement l'offre disponible pour cette année et la suivante."
)


def _one_error_line(capsys) -> str:
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip() and not line.startswith("data: ")]
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "Traceback" not in err
    return lines[0]


def _page(tmp_path: Path, ld: dict, *, site_name: str = "", name: str = "page.html", story: str = STORY) -> Path:
    """A saved page with a JSON-LD block (written as JSON text: escapes such as \\u0000 stay escapes)."""
    og = f'<meta property="og:site_name" content="{site_name}">' if site_name else ""
    page = tmp_path / name
    page.write_text(
        "<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'><title>Titre</title>"
        f'{og}<script type="application/ld+json">{json.dumps(ld)}</script></head>'
        f"<body><article><h1>Nvidia en Chine</h1><p>{story}</p><p>{story}</p></article></body></html>",
        encoding="utf-8",
    )
    return page


def _manifest_row(raw: Path, article_id: str) -> dict[str, str]:
    manifest = read_manifest(raw)
    return manifest.set_index("article_id").loc[article_id].to_dict()


# --- class 1: raw data the next build refuses ---------------------------------------------

BASE_LD = {"@type": "NewsArticle", "datePublished": "2026-02-03", "publisher": {"name": "Le Courrier"}}

# A control character in a page's metadata: stored cleaned (a line break or control becomes a space), never raw.
METADATA_CONTROLS = {
    "NUL in the headline": ({"headline": "Nvidia\u0000 livre"}, "Title: Nvidia livre", "Le Courrier"),
    "escape sequence in the headline": ({"headline": "\u001b[31mNvidia livre"}, "Title: [31mNvidia livre", "Le Courrier"),
    "vertical tab and form feed": ({"headline": "Nvidia\u000b\u000clivre"}, "Title: Nvidia livre", "Le Courrier"),
    "NEL and line separator": ({"headline": "Nvidia\u0085livre\u2028vite"}, "Title: Nvidia livre vite", "Le Courrier"),
    "CR LF in the publisher": ({"headline": "Titre", "publisher": {"name": "Le\r\nCourrier"}}, "Title: Titre", "Le Courrier"),
    "DEL and C1 in the publisher": ({"headline": "Titre", "publisher": {"name": "Le\u007f Cour\u009brier"}}, "Title: Titre", "Le Courrier"),
}


@pytest.mark.parametrize("case", list(METADATA_CONTROLS))
def test_page_metadata_is_normalised_before_it_reaches_the_manifest(tmp_path, capsys, case):
    raw = copy_raw(tmp_path)
    fields, note, outlet = METADATA_CONTROLS[case]
    page = _page(tmp_path, {**BASE_LD, **fields})
    assert main(["add-article", str(page), "--raw", str(raw)]) == 0, capsys.readouterr().err
    manifest = read_manifest(raw)
    row = manifest.iloc[-1]
    assert (row["note"], row["outlet"], row["published"], row["language"]) == (note, outlet, "2026-02-03", "fr")
    assert main(["data", "--raw", str(raw), "--out", str(tmp_path / "out")]) == 0  # the next build takes it


def _candidates_with_new(tmp_path: Path, raw: Path) -> tuple[Path, list[str]]:
    """A processed folder built from ``raw`` whose first two candidates are not yet curated; their ids."""
    from analysis.evidence.claims_review import candidate_id

    out = tmp_path / "processed"
    assert main(["data", "--raw", str(raw), "--out", str(out), "--quiet"]) == 0
    table = pd.read_csv(out / "claim_candidates.csv", dtype=str, keep_default_na=False)
    table.loc[[0, 1], "status"] = "new"
    table.loc[[0, 1], "matches_claim"] = ""
    (out / "claim_candidates.csv").write_text(table.to_csv(index=False, lineterminator="\n"), encoding="utf-8")
    ids = [candidate_id(row) for row in table.head(2).astype({"sentence_id": int, "value": float}).itertuples(index=False)]
    return out, ids


def _claim_rows(raw: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO((raw / "claims.csv").read_text(encoding="utf-8"))))[1:]


def _gone_article(raw: Path, out: Path, ids: list[str]) -> list[str]:
    """The candidates' article removed from the manifest after the table was built (the claims citing it too)."""
    table = pd.read_csv(out / "claim_candidates.csv", dtype=str, keep_default_na=False)
    gone = table.at[0, "article_id"]
    for name in ("articles.csv", "claims.csv"):
        lines = (raw / name).read_text(encoding="utf-8").splitlines(keepends=True)
        (raw / name).write_text("".join(line for line in lines if gone not in line), encoding="utf-8")
    return ids[:1]


ACCEPTS = {
    # name: (how to break the inputs after the table was built → the ids to accept, exit status, claims added)
    "the same id twice": (lambda raw, out, ids: [ids[0], ids[0]], 0, 1),
    "two ids, one repeated": (lambda raw, out, ids: [ids[0], ids[1], ids[0]], 0, 2),
    "article gone from the manifest": (_gone_article, 2, 0),
    "quote with a control character": (
        lambda raw, out, ids: (replace_in_file(out / "claim_candidates.csv", "Beijing approuve", "Beijing\x1b approuve"), ids[:1])[1],
        2,
        0,
    ),
}


@pytest.mark.parametrize("case", list(ACCEPTS))
def test_accept_appends_only_what_the_next_build_takes(tmp_path, capsys, case):
    raw = copy_raw(tmp_path)
    out, ids = _candidates_with_new(tmp_path, raw)
    breaks, status, added = ACCEPTS[case]
    wanted = breaks(raw, out, ids)
    before = _claim_rows(raw)
    capsys.readouterr()
    assert main(["claims", "review", "--accept", *wanted, "--raw", str(raw), "--processed", str(out)]) == status
    if status == 2:
        _one_error_line(capsys)
    after = _claim_rows(raw)
    assert len(after) == len(before) + added
    assert len({row[0] for row in after}) == len(after)  # claim ids distinct
    assert len({(row[1], row[2], row[3], row[4]) for row in after}) == len(after)  # no quote twice
    if status == 0:
        assert main(["data", "--raw", str(raw), "--out", str(tmp_path / "rebuilt"), "--quiet"]) == 0
    else:
        assert after == before


def test_concurrent_accepts_take_turns(tmp_path):
    raw = copy_raw(tmp_path)
    out, ids = _candidates_with_new(tmp_path, raw)
    before = len(_claim_rows(raw))
    # Each process accepts a different candidate; without the lock two of them take the same next id.
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "analysis", "claims", "review", "--accept", ids[n % 2], "--raw", str(raw), "--processed", str(out)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for n in range(4)
    ]
    outcomes = [p.communicate(timeout=120) + (p.returncode,) for p in procs]
    assert sorted(rc for *_, rc in outcomes) == [0, 0, 2, 2], outcomes  # each candidate lands once; the repeat is refused
    rows = _claim_rows(raw)
    assert len(rows) == before + 2
    assert len({row[0] for row in rows}) == len(rows)
    assert main(["data", "--raw", str(raw), "--out", str(tmp_path / "rebuilt"), "--quiet"]) == 0


def test_accept_waits_for_the_add_article_lock(tmp_path):
    """While add-article holds data/raw/, an accept does not touch claims.csv (the race above, made certain)."""
    raw = copy_raw(tmp_path)
    out, ids = _candidates_with_new(tmp_path, raw)
    before = (raw / "claims.csv").read_bytes()
    command = [sys.executable, "-m", "analysis", "claims", "review", "--accept", ids[0], "--raw", str(raw), "--processed", str(out)]
    with files.locked(raw):
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            proc.wait(timeout=8)  # long enough to start, read the table and append, had it not waited
        except subprocess.TimeoutExpired:
            pass
        assert proc.poll() is None and (raw / "claims.csv").read_bytes() == before
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert len(_claim_rows(raw)) == len(before.decode("utf-8").splitlines())  # header aside, one more row


# --- class 3: spreadsheet formulas ----------------------------------------------------------

NEUTRALISED = {
    # cell as built → cell as written
    '=HYPERLINK("http://x")': '\'=HYPERLINK("http://x")',
    "+33 1 23 45": "'+33 1 23 45",
    "-1+cmd|' /C calc'!A0": "'-1+cmd|' /C calc'!A0",
    "@SUM(A1:A9)": "'@SUM(A1:A9)",
    "\t=1+1": "'\t=1+1",
    "\r=1+1": "'\r=1+1",
    "'=1": "''=1",  # already quoted: one more quote, so reading back is exact
    "-5": "-5",
    "-0.3": "-0.3",
    "+12": "+12",
    "-1.5e3": "-1.5e3",
    "Nvidia = 40 %": "Nvidia = 40 %",
    "'quoted'": "'quoted'",
    "": "",
}


@pytest.mark.parametrize("cell", list(NEUTRALISED))
def test_formula_cells_are_neutralised_and_read_back(tmp_path, cell):
    assert files.neutralise_formula_cell(cell) == NEUTRALISED[cell]
    assert files.restore_formula_cell(NEUTRALISED[cell]) == cell
    path = tmp_path / "t.csv"
    path.write_text(files.csv_text(pd.DataFrame({"quote": [cell], "value": [-5.0]})), encoding="utf-8", newline="")
    if "\r" not in cell:  # a bare carriage return never reaches a table: normalisation removes it
        assert files.read_csv_text(path).iloc[0].tolist() == [NEUTRALISED[cell], "-5.0"]


def test_processed_tables_hold_no_formula_and_raw_stays(tmp_path):
    raw = copy_raw(tmp_path)
    article = next(raw.glob("articles/002_*.txt"))
    original = article.read_bytes()
    hostile = '=HYPERLINK("http://evil","x") Nvidia aurait livré 10 000 puces H200.\n@SUM(1+1) et -2+3 puces H200 vendues.\n'
    article.write_bytes(original + hostile.encode("utf-8"))
    out = tmp_path / "out"
    assert main(["data", "--raw", str(raw), "--out", str(out), "--quiet"]) == 0
    assert article.read_bytes() == original + hostile.encode("utf-8")
    seen = 0
    for table in out.glob("*.csv"):
        for row in csv.reader(io.StringIO(table.read_text(encoding="utf-8"), newline="")):
            for value in row:
                if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
                    assert files.PLAIN_NUMBER.fullmatch(value), (table.name, value)
                seen += value.lstrip("'").startswith(("=HYPERLINK", "@SUM"))
    assert seen >= 1  # the hostile sentence is there, neutralised
    sentences = read_processed("sentences", out)
    assert sentences["text"].str.startswith("@SUM(1+1)").any()  # read back as written in the article


# --- class 6: wrong results without a word ---------------------------------------------------


def _second_row_naming(raw: Path, file_of: str) -> None:
    manifest = (raw / "articles.csv").read_text(encoding="utf-8")
    (raw / "articles.csv").write_text(manifest + f"005_0000000000000000,{file_of},,,,fr,\n", encoding="utf-8")


DOUBLE_COUNTED = {
    "the same file": lambda raw: _second_row_naming(raw, "002_365c5dd10a5ec3f5.txt"),
    "a copy of a file": lambda raw: (
        (raw / "articles" / "copy.txt").write_bytes((raw / "articles" / "002_365c5dd10a5ec3f5.txt").read_bytes()),
        _second_row_naming(raw, "copy.txt"),
    ),
}


@pytest.mark.parametrize("case", list(DOUBLE_COUNTED))
def test_one_article_named_twice_is_refused(tmp_path, capsys, case):
    raw = copy_raw(tmp_path)
    DOUBLE_COUNTED[case](raw)
    assert main(["data", "--raw", str(raw), "--out", str(tmp_path / "out")]) == 2
    line = _one_error_line(capsys)
    rows = len((raw / "articles.csv").read_text(encoding="utf-8").splitlines())  # the header is row 1, the appended row the last
    assert f"articles.csv, row {rows}" in line and "002_365c5dd10a5ec3f5" in line


CONTEXT_UNITS = {
    "dies for chips": ("huawei_910c_plan_2026,600000,approx,chips,", "huawei_910c_plan_2026,600000,approx,dies,"),
    "USD for chips": ("huawei_ascend_output_2025_commerce,200000,at_most,chips,", "huawei_ascend_output_2025_commerce,200000,at_most,USD,"),
}


@pytest.mark.parametrize("case", list(CONTEXT_UNITS))
def test_context_figure_in_another_unit_is_refused(tmp_path, capsys, case):
    from analysis.evidence import compute

    raw = copy_raw(tmp_path)
    old, new = CONTEXT_UNITS[case]
    replace_in_file(raw / "context_figures.csv", old, new)
    assert main(["data", "--raw", str(raw), "--out", str(tmp_path / "out")]) == 2
    line = _one_error_line(capsys)
    figure, unit = old.split(",")[0], new.split(",")[3]
    assert "context_figures.csv, row" in line and figure in line and repr(unit) in line and "chips" in line
    figures = pd.DataFrame([{"figure": figure, "value": 1.0, "unit": unit}])
    with pytest.raises(InputError, match=figure):
        compute.context_value(figures, figure, "chips")


UNICODE_NUMBERS = {
    # text → (value, unit) of the quantity read after normalisation
    "Arabic-Indic digits and thousands separator": ("Nvidia shipped ٤٠٠٬٠٠٠ H200 chips.", 400_000.0),
    "Arabic-Indic digits with a space": ("Nvidia a livré ٨٢ ٠٠٠ puces H200.", 82_000.0),
    "extended Arabic-Indic (Persian) digits": ("Nvidia shipped ۸۲,۰۰۰ H200 chips.", 82_000.0),
    "Devanagari digits": ("Nvidia shipped ८२,००० H200 chips.", 82_000.0),
    "full-width digits and comma": ("Nvidia shipped ８２，０００ H200 chips.", 82_000.0),
    "right-to-left mark inside a number": ("Nvidia shipped 82,\u200f000 H200 chips.", 82_000.0),
    "left-to-right and Arabic letter marks": ("Nvidia shipped 8\u200e2\u061c,000 H200 chips.", 82_000.0),
    "Arabic decimal separator": ("Nvidia shipped ١٫٥ million H200 chips.", 1_500_000.0),
}


@pytest.mark.parametrize("case", list(UNICODE_NUMBERS))
def test_unicode_digits_are_read_as_their_value(case):
    text, value = UNICODE_NUMBERS[case]
    found = [(q.value, q.unit) for q in find_quantities(normalise_text(text))]
    assert (value, "chips") in found, found
    assert 0.0 not in [v for v, _ in found]


PUBLISHERS = {
    "a list of organisations": ([{"@type": "Organization", "name": "Le Courrier"}, {"name": "AFP"}], "Le Courrier"),
    "a list of names": (["Le Courrier", "AFP"], "Le Courrier"),
    "a list holding an empty one first": ([{}, {"name": "Le Courrier"}], "Le Courrier"),
    "an organisation whose name is a list": ({"name": ["Le Courrier"]}, "Le Courrier"),
    "a plain string": ("Le Courrier", "Le Courrier"),
}


@pytest.mark.parametrize("case", list(PUBLISHERS))
def test_publisher_forms_give_the_name(tmp_path, case):
    publisher, outlet = PUBLISHERS[case]
    page = _page(tmp_path, {"@type": "NewsArticle", "datePublished": "2026-02-03", "publisher": publisher, "headline": "T"})
    assert html_pages.page_metadata(page.read_text(encoding="utf-8"))["outlet"] == outlet


FUTURE_DATES = {
    "from the page": ({"datePublished": "2999-01-01"}, []),
    "from the command line": ({"datePublished": "2026-01-03"}, ["--published", "2999-12-31"]),
}


@pytest.mark.parametrize("case", list(FUTURE_DATES))
def test_publication_date_in_the_future_is_refused(tmp_path, capsys, case):
    raw = copy_raw(tmp_path)
    fields, options = FUTURE_DATES[case]
    page = _page(tmp_path, {**BASE_LD, "headline": "T", **fields})
    before = (raw / "articles.csv").read_bytes()
    assert main(["add-article", str(page), *options, "--raw", str(raw)]) == 2
    assert "in the future" in _one_error_line(capsys)
    assert (raw / "articles.csv").read_bytes() == before
    text = tmp_path / "a.txt"
    text.write_text(STORY, encoding="utf-8")
    assert main(["add-article", str(text), "--outlet", "X", "--published", "2999-01-01", "--language", "fr", "--raw", str(raw)]) == 2
    assert "in the future" in _one_error_line(capsys)


# --- class 7, data side: one line, not a traceback ---------------------------------------------

SURROGATES = {
    "lone high surrogate in the headline": {"headline": "Nvidia \ud800 livre"},
    "lone low surrogate in the publisher": {"headline": "T", "publisher": {"name": "Le \udc00Courrier"}},
    "reversed pair in the url": {"headline": "T", "url": "https://example.org/\udc00\ud800"},
}


@pytest.mark.parametrize("case", list(SURROGATES))
def test_lone_surrogate_in_metadata_is_one_line_or_dropped(tmp_path, capsys, case):
    raw = copy_raw(tmp_path)
    page = _page(tmp_path, {**BASE_LD, **SURROGATES[case]})
    status = main(["add-article", str(page), "--raw", str(raw)])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert status == 0, err  # a lone surrogate is not text: dropped, the rest kept
    row = read_manifest(raw).iloc[-1]
    assert all("\ud800" not in str(v) and "\udc00" not in str(v) for v in row)
    assert main(["data", "--raw", str(raw), "--out", str(tmp_path / "out"), "--quiet"]) == 0


def _damage(out: Path, how: str) -> None:
    path = out / "claim_candidates.csv"
    text = path.read_text(encoding="utf-8")
    if how == "truncated inside a quote":
        path.write_text(text[: text.index("Beijing") + 10], encoding="utf-8")
    elif how == "empty":
        path.write_text("", encoding="utf-8")
    elif how == "a column missing":
        path.write_text(text.replace("article_id,", "", 1).replace(",status", ",state", 1), encoding="utf-8")
    elif how == "a value that is not a number":
        path.write_text(text.replace(",400000.0,", ",lots,", 1), encoding="utf-8")
    elif how == "not UTF-8":
        path.write_bytes(text.encode("utf-8") + "é\n".encode("latin-1"))
    elif how == "a folder":
        path.unlink()
        path.mkdir()


@pytest.mark.parametrize(
    "how", ["truncated inside a quote", "empty", "a column missing", "a value that is not a number", "not UTF-8", "a folder"]
)
def test_damaged_candidates_table_is_one_line(tmp_path, capsys, how):
    raw = copy_raw(tmp_path)
    out = tmp_path / "processed"
    assert main(["data", "--raw", str(raw), "--out", str(out), "--quiet"]) == 0
    _damage(out, how)
    before = (raw / "claims.csv").read_bytes()
    for extra in ([], ["--accept", "0.1.approved_units.total.400000"]):
        assert main(["claims", "review", *extra, "--raw", str(raw), "--processed", str(out)]) == 2
        assert "claim_candidates.csv" in _one_error_line(capsys)
    assert (raw / "claims.csv").read_bytes() == before


def test_oversized_article_is_refused_quickly(tmp_path, capsys):
    import time

    raw = copy_raw(tmp_path)
    page = tmp_path / "huge.html"
    filler = "<p>" + "Nvidia livre des puces. " * 40 + "</p>\n"
    with page.open("w", encoding="utf-8") as handle:
        handle.write("<html lang='fr'><body><article>")
        for _ in range(files.MAX_ARTICLE_BYTES // len(filler) + 10):
            handle.write(filler)
        handle.write("</article></body></html>")
    started = time.perf_counter()
    options = ["--outlet", "X", "--published", "2026-01-30", "--language", "fr", "--raw", str(raw)]
    assert main(["add-article", str(page), *options]) == 2
    assert time.perf_counter() - started < 5
    line = _one_error_line(capsys)
    assert "huge.html" in line and f"limited to {files.MAX_ARTICLE_BYTES}" in line
    # Placed by hand into articles/, the next build refuses it the same way.
    (raw / "articles" / "huge.html").write_bytes(page.read_bytes())
    _second_row_naming(raw, "huge.html")
    assert main(["data", "--raw", str(raw), "--out", str(tmp_path / "out")]) == 2
    assert f"limited to {files.MAX_ARTICLE_BYTES}" in _one_error_line(capsys)
