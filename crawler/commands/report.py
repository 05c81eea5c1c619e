"""`scrapy report --out DIR [--site S] [--since D] [--until D]`: the coverage report of the store, as PNG and HTML."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scrapy.commands import ScrapyCommand

from crawler.commands.arguments import (
    EX_FAILED,
    check_order,
    day_arg,
    reader_may_stop,
)
from crawler.commands.store_reader import StoreReader


class Command(StoreReader, ScrapyCommand):
    """Write the coverage charts and page of the stored articles into a directory."""

    command_name = "report"

    def syntax(self) -> str:
        return "--out DIR [options]"

    def short_desc(self) -> str:
        return "Write a coverage report of the store (articles per day, field coverage, missing days) into DIR"

    def long_desc(self) -> str:
        from pipelines.analysis.report import ARTICLES_PNG, COVERAGE_PNG  # where used: loads matplotlib

        return (f"Write {ARTICLES_PNG} (articles per day per site), {COVERAGE_PNG} (share of articles with date, "
                "views, agency, author per site over time) and index.html (both, with a table of days without "
                "articles) into DIR.")

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--site", action="append", metavar="SITE", help="only this site (repeatable)")
        parser.add_argument("--since", type=day_arg, metavar="YYYY-MM-DD", help="from this UTC day")
        parser.add_argument("--until", type=day_arg, metavar="YYYY-MM-DD", help="to this UTC day, included")
        parser.add_argument("--out", required=True, type=Path, metavar="DIR", help="directory to write (created)")

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        check_order(opts.since, opts.until)

    def read_store(self, opts: argparse.Namespace) -> None:
        from pipelines.analysis import report

        try:
            lines = report.report_store(opts.store, opts.out, opts.site, opts.since, opts.until)
        except OSError as exc:
            print(f"error: cannot write the report into {opts.out}: {exc}", file=sys.stderr)
            self.exitcode = EX_FAILED
            return
        if lines is None:
            print("error: no articles stored for these sites and days; nothing to report", file=sys.stderr)
            self.exitcode = EX_FAILED
            return
        with reader_may_stop():
            print(f"wrote {opts.out / 'index.html'}, {report.ARTICLES_PNG} and {report.COVERAGE_PNG} "
                  f"({sum(s.articles for s in lines)} articles, {len(lines)} sites)")
