"""`scrapy export --format jsonl|csv|parquet --out FILE [--after CURSOR] [--site S] [--since D] [--until D]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.commands.arguments import (
    EX_FAILED,
    check_order,
    day_arg,
    reader_may_stop,
)
from crawler.commands.store_reader import StoreReader


class Command(StoreReader, ScrapyCommand):
    """Export stored articles in ingestion order; print the cursor of the next export."""

    command_name = "export"

    def syntax(self) -> str:
        return "--format FORMAT --out FILE [options]"

    def short_desc(self) -> str:
        return "Export stored articles to JSONL, CSV or Parquet; prints the cursor for the next export"

    def long_desc(self) -> str:
        return ("Export stored articles in ingestion order. Prints the cursor to pass as --after next time on stdout "
                "(nothing when nothing was ever exported); counts go to stderr. An export that finds nothing leaves "
                "an existing FILE as it was, and says why (articles first seen in the last --lag seconds wait for the "
                "next export).")

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        # pipelines.analysis is imported where used (crawler/commands/__init__.py): export loads pyarrow.
        from pipelines.analysis.export import DEFAULT_LAG_S
        from pipelines.analysis.export_formats import FORMATS

        super().add_options(parser)
        parser.add_argument("--site", action="append", metavar="SITE", help="only this site (repeatable)")
        parser.add_argument("--since", type=day_arg, metavar="YYYY-MM-DD", help="published on or after this UTC day")
        parser.add_argument("--until", type=day_arg, metavar="YYYY-MM-DD", help="published on or before this UTC day")
        parser.add_argument("--after", metavar="CURSOR",
                            help="cursor printed by the previous export: only articles stored since")
        parser.add_argument("--format", required=True, choices=FORMATS)
        parser.add_argument("--out", required=True, type=Path, help="file to write (replaced when complete)")
        parser.add_argument("--lag", type=float, default=DEFAULT_LAG_S, metavar="SECONDS",
                            help=f"leave out articles first seen in the last SECONDS (default {DEFAULT_LAG_S:.0f})")

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        from pipelines.analysis.export import Cursor

        super().process_options(args, opts)
        check_order(opts.since, opts.until)
        try:
            opts.after = Cursor.decode(opts.after) if opts.after else None
        except ValueError as exc:
            raise UsageError(f"--after: {exc}", print_help=False) from None
        if not opts.out.parent.is_dir():
            raise UsageError(f"--out: directory {opts.out.parent} does not exist", print_help=False)
        if opts.lag < 0:
            raise UsageError("--lag must not be negative", print_help=False)

    def read_store(self, opts: argparse.Namespace) -> None:
        from pipelines.analysis import export
        from pipelines.analysis.days import day_range

        query = export.export_query(opts.site, day_range(opts.since, opts.until), opts.after, export.horizon(opts.lag))
        try:
            result = export.export_to_file(opts.store, opts.format, opts.out, query, opts.after,
                                           progress=sys.stderr.isatty())
        except OSError as exc:
            print(f"error: cannot write {opts.out}: {exc}", file=sys.stderr)
            self.exitcode = EX_FAILED
            return
        print(export.describe_export(result, opts.out, opts.lag, opts.after), file=sys.stderr)
        if result.last:
            with reader_may_stop():
                print(result.last.encode())
