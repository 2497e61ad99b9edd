"""Command line: ``python -m analysis {data,add-article,claims review,reports,notebooks,docs}``, also
installed as the ``h200-china`` console script.

Heavy imports happen inside each command so that ``--help`` answers at once."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.core.errors import InputError
from analysis.lang.vocabulary import LANGUAGES
from analysis.metadata.processed import read_processed

if TYPE_CHECKING:  # pandas is imported by the commands that need it, so that --help answers at once
    import pandas as pd

__all__ = ["build_parser", "main", "next_after_data"]


def _data(args: argparse.Namespace) -> int:
    from analysis.tables import data_stamp

    if args.if_changed and data_stamp.is_current(args.raw, args.out):  # before importing pandas: a no-op stays instant
        if not args.quiet:
            print(f"data: {args.out} is up to date (nothing under {args.raw} nor the code that reads it changed)", file=sys.stderr)
        return 0
    inputs = data_stamp.inputs_fingerprint(args.raw)
    from analysis.tables import pipeline

    tables = pipeline.run(raw_dir=args.raw, processed_dir=args.out, quiet=args.quiet)
    if args.if_changed:  # only `make data` keeps a stamp (the tables' bytes are checked too, so a plain build never misleads it)
        data_stamp.record(args.raw, args.out, inputs)
    if not args.quiet:
        print(f"next: {next_after_data(tables)}", file=sys.stderr)
    return 0


def next_after_data(tables: dict[str, pd.DataFrame]) -> str:
    """What to run after ``data``: review the new claim candidates if there
    are any, then refresh the notebooks (strict nbval compares their outputs)."""
    from analysis.core.formatting import plural

    pending = int((tables["claim_candidates"]["status"] != "curated").sum())
    refresh = "`make notebooks` (re-executes the notebooks on the new data), then `make test` and `make reports`"
    if pending:
        return f"`python -m analysis claims review` ({plural(pending, 'new claim candidate')}), then {refresh}"
    return refresh


def _add_article(args: argparse.Namespace) -> int:
    from analysis.sources import html_pages, manifest

    if html_pages.is_html(args.file):
        article_id = _add_html_article(args)
        print(f"added {article_id}; run `make data` to rebuild data/processed/")
        return 0
    missing = [f"--{option}" for option in ("outlet", "published", "language") if not getattr(args, option)]
    if missing:  # all of them at once, not one per run
        from analysis.core.formatting import and_list

        them = "it" if len(missing) == 1 else "them"
        raise InputError(f"{args.file}: a text article needs {and_list(missing)} (only a saved .html page can give {them})")
    article_id = manifest.add_article(
        Path(args.file),
        outlet=args.outlet,
        published=args.published,
        language=args.language,
        url=args.url,
        note=args.note,
        raw_dir=args.raw,
    )
    print(f"added {article_id}; run `make data` to rebuild data/processed/")
    return 0


def _add_html_article(args: argparse.Namespace) -> str:
    """A saved web page: metadata the command line leaves out comes from the page."""
    from analysis.sources import html_pages

    return html_pages.add_html_article(
        Path(args.file),
        outlet=args.outlet,
        published=args.published,
        language=args.language,
        url=args.url,
        note=args.note,
        raw_dir=args.raw,
    )


def _claims_review(args: argparse.Namespace) -> int:
    """List the claim candidates that are not curated claims; --accept appends some to claims.csv."""
    from analysis.evidence import claims_review

    table = claims_review.read_candidates(args.processed)
    table = table.astype({"quote": str, "entity": str, "metric": str, "article_id": str})
    table["matches_claim"] = table["matches_claim"].where(table["matches_claim"].notna(), None)
    from analysis.evidence import claim_consistency
    from analysis.metadata.metrics import metrics
    from analysis.present.display import article_labels

    names = article_labels(read_processed("articles", args.processed))  # 'Reuters, 2026-01-28', never an id
    descriptions = {name: metric.description for name, metric in metrics().items()}
    if args.accept:
        ids = claim_consistency.resolve_ids(args.accept, table)
        added = claims_review.accept(ids, table, raw_dir=args.raw)
        by_id = {claims_review.candidate_id(row): row for row in table.itertuples(index=False)}
        from analysis.model import claim_feeds

        print("\n".join(claim_feeds.accept_lines([by_id[i] for i in ids], added, descriptions, names)))
        print(f"written to {args.raw / 'claims.csv'}; next: `make data`, then `make notebooks`")
        return 0
    lines = claim_consistency.review_entries(table, read_processed("claims", args.processed), names, descriptions)
    print("\n".join(lines) if lines else "no new claim candidates")
    accept = "; accept with `claims review --accept N ...` (N as numbered above)" if lines else ""
    print(f"{len(lines)} new candidate(s), {int((table['status'] == 'curated').sum())} already curated{accept}", file=sys.stderr)
    return 0


def _reports(args: argparse.Namespace) -> int:
    from analysis.reports import build

    return build.build_reports(
        scenarios=[Path(s) for s in args.scenario] or None,
        jobs=build.check_jobs(args.jobs),
        force=args.force,
        show_code=args.show_code,
        as_of=args.as_of,
        quiet=args.quiet,
    )


def _notebooks(args: argparse.Namespace) -> int:
    from analysis.reports import notebook_refresh

    return notebook_refresh.refresh_notebooks(names=args.notebook or None, jobs=args.jobs)


def _docs(args: argparse.Namespace) -> int:
    from analysis.reports import build

    if not args.no_screenshots:  # first: vl-convert must not have started in this process before the workers fork
        from analysis.reports import screenshots

        screenshots.write_screenshots()
    build.write_docs_chart(Path(args.out))
    return 0


def _prog() -> str:
    """``h200-china`` when run as the console script, else ``python -m analysis``."""
    return "h200-china" if Path(sys.argv[0]).name == "h200-china" else "python -m analysis"


def build_parser() -> argparse.ArgumentParser:
    from analysis.core import paths

    parser = argparse.ArgumentParser(
        prog=_prog(),
        description="h200-china: articles → tidy tables → figures → offline HTML reports.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    data = sub.add_parser("data", help="rebuild data/processed/ from data/raw/")
    data.add_argument("--raw", type=Path, default=paths.RAW, help="raw data folder (default: %(default)s)")
    data.add_argument("--out", type=Path, default=paths.PROCESSED, help="output folder (default: %(default)s)")
    data.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors")
    data.add_argument(
        "--if-changed",
        action="store_true",
        help="skip the rebuild when data/raw/, the code that reads it and the tables are unchanged (make data)",
    )
    data.set_defaults(func=_data)

    add = sub.add_parser("add-article", help="copy a new article into data/raw/ and register it in the manifest")
    add.add_argument("file", help="UTF-8 text file of the article, or a saved web page (.html, kept byte for byte)")
    add.add_argument("--outlet", default="", help="publication name (a .html page gives it if omitted)")
    add.add_argument("--published", default="", help="publication date, YYYY-MM-DD (a .html page gives it if omitted)")
    add.add_argument("--language", default="", choices=["", *LANGUAGES], help="language of the text (a .html page gives it if omitted)")
    add.add_argument("--url", default="", help="address of the article, if known")
    add.add_argument("--note", default="", help="free-text note for the manifest")
    add.add_argument("--raw", type=Path, default=paths.RAW, help="raw data folder (default: %(default)s)")
    add.set_defaults(func=_add_article)

    claims = sub.add_parser("claims", help="claim candidates proposed from the articles")
    claims_sub = claims.add_subparsers(dest="claims_command", required=True, metavar="ACTION")
    review = claims_sub.add_parser("review", help="list new claim candidates; --accept ID appends them to claims.csv")
    review.add_argument("--accept", nargs="+", default=[], metavar="ID", help="candidate id(s) to append to data/raw/claims.csv")
    review.add_argument("--raw", type=Path, default=paths.RAW, help="raw data folder (default: %(default)s)")
    review.add_argument("--processed", type=Path, default=paths.PROCESSED, help="processed folder (default: %(default)s)")
    review.set_defaults(func=_claims_review)

    rep = sub.add_parser("reports", help="run every notebook under every scenario and export offline HTML")
    rep.add_argument(
        "--scenario", action="append", default=[], metavar="PATH", help="scenario file (repeatable; default: every scenarios/*.yaml)"
    )
    # Read as text and checked by build.check_jobs: a bad value is one `error:` line, not argparse's usage screen.
    rep.add_argument("--jobs", default=None, help="parallel runs, 1 to 256 (default: number of cores)")
    rep.add_argument("--force", action="store_true", help="rebuild even when inputs are unchanged")
    rep.add_argument("--show-code", action="store_true", help="keep code cells in the HTML")
    rep.add_argument("--as-of", default=None, metavar="YYYY-MM-DD", help="take every figure at this date (default: the latest evidence)")
    rep.add_argument("--quiet", "-q", action="store_true", help="print nothing but failures and errors")
    rep.set_defaults(func=_reports)

    nbs = sub.add_parser("notebooks", help="re-execute the committed notebooks on the current data (central scenario), normalised")
    nbs.add_argument("notebook", nargs="*", help="notebook name(s), e.g. 03-demand-vs-stock (default: every notebooks/NN-*.ipynb)")
    nbs.add_argument("--jobs", type=int, default=None, help="notebooks run at a time (default: number of cores)")
    nbs.set_defaults(func=_notebooks)

    docs = sub.add_parser("docs", help="render the README's example chart and screenshots of the reports to docs/")
    docs.add_argument("--out", default=str(paths.PROJECT_ROOT / "docs" / "market-sensitivity.png"))
    docs.add_argument("--no-screenshots", action="store_true", help="only the example chart (no reports build, no Chromium)")
    docs.set_defaults(func=_docs)
    return parser


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    on_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _stop) if on_main_thread else None  # `kill` cleans up like Ctrl-C
    try:
        return _run(args)
    finally:
        if on_main_thread:
            signal.signal(signal.SIGTERM, previous)


def _run(args: argparse.Namespace) -> int:
    try:
        command: Callable[[argparse.Namespace], int] = args.func  # set by build_parser's set_defaults
        return command(args)
    except InputError as err:
        from analysis.core import paths

        hint = (
            ""
            if paths.is_project_root(paths.PROJECT_ROOT)
            else (f" (no h200-china checkout at or above {paths.PROJECT_ROOT}: run inside one or set {paths.ROOT_ENV})")
        )
        print(f"error: {err}{hint}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl-C: one line, not a screen of tracebacks
        print(f"interrupted: {args.command} stopped; each output is either as it was or complete", file=sys.stderr)
        return 130
    except OSError as err:  # a full disk, a read-only or vanished folder: the file and the reason
        where = err.filename if err.filename is not None else "(file system)"
        print(f"error: {where}: {err.strerror or err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
