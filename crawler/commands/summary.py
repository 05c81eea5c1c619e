"""`scrapy summary [--site S]`: articles stored per site, dates covered, and a sample article."""

from __future__ import annotations

import argparse
import sys

from pymongo.errors import PyMongoError
from scrapy.commands import ScrapyCommand

from crawler.commands.arguments import EX_FAILED, check_no_extra, name_errors, reader_may_stop, store_settings
from pipelines.storage.embedded import StoreError
from pipelines.storage.link import store_error


class Command(ScrapyCommand):
    """Print what the store holds."""

    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "[options]"

    def short_desc(self) -> str:
        return "Print articles stored per site, dates covered and a sample"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        name_errors(parser, "summary")
        parser.add_argument("--site", action="append", help="only this site (repeatable)")

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        check_no_extra(args)
        opts.store = store_settings(self.settings)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        from pipelines.analysis import summary  # where used (crawler/commands/__init__.py)

        try:
            text = summary.store_summary(opts.store, opts.site)
        except (PyMongoError, StoreError) as exc:
            print(store_error(opts.store, exc), file=sys.stderr)
            self.exitcode = EX_FAILED
            return
        with reader_may_stop():
            print(text)
