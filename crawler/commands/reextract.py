"""`scrapy reextract [--site S] [--since D] [--workers N] [--dry-run]`: rebuild stored articles from their raw pages."""

from __future__ import annotations

import argparse
import os
import sys

from scrapy.commands import ScrapyCommand

from crawler.commands.arguments import (
    day_arg,
    positive_int,
    reader_may_stop,
)
from crawler.commands.store_reader import StoreReader
from crawler.sites import rules_for_site


class Command(StoreReader, ScrapyCommand):
    """Re-run today's extraction on the kept raw pages and update the articles that changed."""

    command_name = "reextract"

    def syntax(self) -> str:
        return "[options]"

    def short_desc(self) -> str:
        return "Re-extract stored articles from their kept raw pages (no network); report the fields that changed"

    def long_desc(self) -> str:
        return ("Re-run extraction and normalization on the stored raw pages (no network), update the articles whose "
                "fields changed, and print how many articles changed which fields. Each page gets EXTRACT_TIMEOUT "
                "seconds of CPU. Progress goes to stderr: a bar on a terminal, else a line every few seconds.")

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--site", action="append", metavar="SITE", help="only this site (repeatable)")
        parser.add_argument("--since", type=day_arg, metavar="YYYY-MM-DD",
                            help="pages fetched on or after this UTC day")
        parser.add_argument("--workers", type=positive_int, default=os.cpu_count() or 1,
                            help="extraction processes (default: one per core)")
        parser.add_argument("--dry-run", action="store_true", help="report the changes without writing them")

    def read_store(self, opts: argparse.Namespace) -> None:
        from pipelines.analysis import reextract  # where used (crawler/commands/__init__.py)

        query = reextract.raw_pages_query(opts.site, opts.since)
        report = reextract.reextract_store(opts.store, query, rules_for_site, opts.workers, write=not opts.dry_run,
                                           progress=sys.stderr.isatty(),
                                           cpu_seconds=self.settings.getfloat("EXTRACT_TIMEOUT"))
        if not report.pages:
            print("no raw pages match: pages are kept by crawls run with STORE_RAW_PAGES on", file=sys.stderr)
        with reader_may_stop():
            print(reextract.format_report(report, write=not opts.dry_run))
