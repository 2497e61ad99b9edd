"""The figures as of any date: the January view equals a build that holds only the five seeds, an article
published after the as-of date changes nothing, and an observation after it plays no part."""

from __future__ import annotations

import csv
import itertools

import pandas as pd
import pytest
from helpers import CENTRAL, copy_raw

from analysis.core import paths
from analysis.evidence import claims
from analysis.metadata.processed import read_processed
from analysis.model import engine, figures
from analysis.model.figures import JANUARY_VIEW, headline
from analysis.model.scenarios import month_index
from analysis.tables import pipeline

DRAWS = 2_000


def _keep_rows(path, keep) -> None:
    """Rewrite a raw CSV keeping only the rows ``keep`` accepts (the header stays)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(row for row in body if keep(dict(zip(header, row))))


@pytest.fixture(scope="module")
def seeds_only(tmp_path_factory):
    """data/processed built from a raw copy holding only the five seed articles and their claims."""
    tmp = tmp_path_factory.mktemp("seeds")
    raw = copy_raw(tmp)
    tables = engine.Tables.load()
    arrived = claims.evidence_date(tables.articles, read_processed("claims", paths.PROCESSED))
    seed_ids = set(arrived.index[arrived.notna() & (arrived.fillna("") <= JANUARY_VIEW)])
    assert len(seed_ids) == 5  # the five January seed articles
    _keep_rows(raw / "articles.csv", lambda row: row["article_id"] in seed_ids)
    _keep_rows(raw / "claims.csv", lambda row: row["article_id"] in seed_ids)
    for path in (raw / "articles").iterdir():
        if path.stem not in seed_ids:
            path.unlink()
    out = tmp / "processed"
    pipeline.run(raw, out, quiet=True)
    return out


def test_the_january_view_is_the_view_of_the_five_seeds(seeds_only):
    january = headline(CENTRAL, draws=DRAWS, as_of=JANUARY_VIEW)
    seeds = headline(CENTRAL, seeds_only, draws=DRAWS, as_of=JANUARY_VIEW)
    pd.testing.assert_frame_equal(january, seeds)
    assert january.attrs["survival"].empty  # nothing about deliveries or the gates had been published by then
    # ... and the latest view differs: the later news conditions it.
    assert not headline(CENTRAL, draws=DRAWS).equals(january)


def test_an_article_published_after_as_of_changes_nothing():
    dates = figures.evidence_dates()
    assert dates[0] <= JANUARY_VIEW < dates[-1]
    # Between two evidence dates nothing arrives: the day before the next article gives the figures of the last one.
    last, following = next((a, b) for a, b in itertools.pairwise(dates) if a > JANUARY_VIEW)
    day_before = (pd.Timestamp(following) - pd.Timedelta(days=1)).date().isoformat()
    at_last, at_day_before = headline(CENTRAL, draws=DRAWS, as_of=last), headline(CENTRAL, draws=DRAWS, as_of=day_before)
    pd.testing.assert_frame_equal(at_last, at_day_before)
    # The claims known then are those of articles that had arrived by then, each holding by then.
    known = engine.Tables.load(as_of=day_before)
    arrived = claims.evidence_date(known.articles, read_processed("claims", paths.PROCESSED))
    assert set(known.claims["article_id"]) <= set(arrived.index[arrived.fillna("9999") <= day_before])
    assert (known.claims["as_of"] <= day_before).all()


def test_observations_after_as_of_play_no_part():
    rule = month_index("2026-01")
    spring = engine.Tables.load(as_of="2026-03-31").observations(rule)
    summer = engine.Tables.load().observations(rule)
    assert {o.date for o in spring} <= {o.date for o in summer}
    assert all(o.date <= "2026-03-31" for o in spring)
    assert len(summer) > len(spring)


def test_what_the_news_changed_lists_each_move_in_order_of_arrival():
    history = pd.DataFrame(
        {
            "as_of": ["2026-01-28", "2026-02-05", "2026-03-03"] * 2,
            "figure": ["p"] * 3 + ["units"] * 3,
            "central": [0.8, 0.8, 0.5, 100.0, 100.5, 300.0],
            "title": ["Chance"] * 3 + ["Units"] * 3,
            "unit": ["fraction"] * 3 + ["chips"] * 3,
            "articles": ["Reuters", "FT", "Bloomberg"] * 2,
        }
    )
    changes = figures.what_the_news_changed(history, threshold=0.01)
    # February moves nothing by more than 1% (100 → 100.5 is 0.5%); March moves both figures.
    assert changes[["as_of", "figure", "before", "after"]].values.tolist() == [
        ["2026-03-03", "p", 0.8, 0.5],
        ["2026-03-03", "units", 100.5, 300.0],
    ]
    assert changes["change"].tolist() == pytest.approx([-0.3, 199.5])


def test_the_revision_history_has_one_point_per_evidence_date():
    history = figures.revision_history(CENTRAL, ["p_delivery_by_end_2026"], draws=500)
    assert history["as_of"].tolist() == figures.evidence_dates()
    assert history["surviving_share"].iloc[0] == 1.0  # nothing observed in January
    # The last point is the headline as of the latest evidence (same draws and seed).
    latest = headline(CENTRAL, draws=500)
    assert history["central"].iloc[-1] == latest.at["p_delivery_by_end_2026", "central"]
    assert history["surviving_share"].iloc[-1] == latest.attrs["surviving_share"] < 1.0


def test_reports_as_of_reaches_every_run_and_its_fingerprint(tmp_path, capsys):
    from analysis.reports import build, plan, worker

    notebooks = plan.discover_notebooks(paths.NOTEBOOKS)
    latest = plan.plan(notebooks, [CENTRAL], tmp_path, paths.PROCESSED, False)
    march = plan.plan(notebooks, [CENTRAL], tmp_path, paths.PROCESSED, False, as_of="2026-03-01")
    assert all(a.fingerprint != b.fingerprint for a, b in zip(latest, march))  # a page of another date is another page
    assert worker.notebook_parameters(march[0])["as_of"] == "2026-03-01"
    assert "as_of" not in worker.notebook_parameters(latest[0])
    # A bad date stops the build before any run, in one line naming the parameter.
    assert build.build_reports([CENTRAL], as_of="1 March", output_dir=tmp_path / "out", quiet=True) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "as_of" in err[0] and "YYYY-MM-DD" in err[0]
    assert not (tmp_path / "out" / "central").exists()
