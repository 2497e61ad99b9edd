"""Command line: ``python -m analysis {data,add-article,reports,docs}``.

Heavy imports happen inside each command so that ``--help`` answers at once."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis.errors import InputError


def _data(args: argparse.Namespace) -> int:
    from analysis import pipeline

    pipeline.run(raw_dir=args.raw, processed_dir=args.out)
    return 0


def _add_article(args: argparse.Namespace) -> int:
    from analysis import sources

    article_id = sources.add_article(
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


def _reports(args: argparse.Namespace) -> int:
    from analysis import reports

    return reports.build_reports(
        scenarios=[Path(s) for s in args.scenario] or None,
        jobs=args.jobs,
        force=args.force,
        show_code=args.show_code,
    )


def _docs(args: argparse.Namespace) -> int:
    from analysis import reports

    if not args.no_screenshots:  # first: vl-convert must not have started in this process before the workers fork
        from analysis import screenshots

        screenshots.write_screenshots()
    reports.write_docs_chart(Path(args.out))
    return 0


def build_parser() -> argparse.ArgumentParser:
    from analysis import paths

    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="h200-china: articles → tidy tables → figures → offline HTML reports.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    data = sub.add_parser("data", help="rebuild data/processed/ from data/raw/")
    data.add_argument("--raw", type=Path, default=paths.RAW, help="raw data folder (default: %(default)s)")
    data.add_argument("--out", type=Path, default=paths.PROCESSED, help="output folder (default: %(default)s)")
    data.set_defaults(func=_data)

    add = sub.add_parser("add-article", help="copy a new article into data/raw/ and register it in the manifest")
    add.add_argument("file", help="UTF-8 text file of the article")
    add.add_argument("--outlet", required=True, help="publication name")
    add.add_argument("--published", required=True, help="publication date, YYYY-MM-DD")
    add.add_argument("--language", required=True, choices=["fr", "en"], help="language of the text")
    add.add_argument("--url", default="", help="address of the article, if known")
    add.add_argument("--note", default="", help="free-text note for the manifest")
    add.add_argument("--raw", type=Path, default=paths.RAW, help="raw data folder (default: %(default)s)")
    add.set_defaults(func=_add_article)

    rep = sub.add_parser("reports", help="run every notebook under every scenario and export offline HTML")
    rep.add_argument("--scenario", action="append", default=[], metavar="PATH",
                     help="scenario file (repeatable; default: every scenarios/*.yaml)")
    rep.add_argument("--jobs", type=int, default=None, help="parallel runs (default: number of cores)")
    rep.add_argument("--force", action="store_true", help="rebuild even when inputs are unchanged")
    rep.add_argument("--show-code", action="store_true", help="keep code cells in the HTML")
    rep.set_defaults(func=_reports)

    docs = sub.add_parser("docs", help="render the README's example chart and screenshots of the reports to docs/")
    docs.add_argument("--out", default=str(paths.PROJECT_ROOT / "docs" / "market-sensitivity.png"))
    docs.add_argument("--no-screenshots", action="store_true", help="only the example chart (no reports build, no Chromium)")
    docs.set_defaults(func=_docs)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
