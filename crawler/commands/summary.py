"""`scrapy summary [--site S]`: articles stored per site, dates covered, and a sample article."""

from __future__ import annotations

import argparse

from scrapy.commands import ScrapyCommand

from crawler.commands.arguments import reader_may_stop
from crawler.commands.store_reader import StoreReader


class Command(StoreReader, ScrapyCommand):
    """Print what the store holds."""

    command_name = "summary"

    def syntax(self) -> str:
        return "[options]"

    def short_desc(self) -> str:
        return "Print articles stored per site, dates covered and a sample"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--site", action="append", help="only this site (repeatable)")

    def read_store(self, opts: argparse.Namespace) -> None:
        from pipelines.analysis import summary  # where used (crawler/commands/__init__.py)

        text = summary.store_summary(opts.store, opts.site)
        with reader_may_stop():
            print(text)
