"""`scrapy search QUERY [--site S] [--since T] [--until T] [--limit N] [--json]`: stored articles holding every word."""

from __future__ import annotations

import argparse

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.commands.arguments import (
    check_order,
    moment_arg,
    positive_int,
    reader_may_stop,
)
from crawler.commands.store_reader import StoreReader
from pipelines.arabic.text import tokens


class Command(StoreReader, ScrapyCommand):
    """Print the stored articles holding every word of a query, whatever its spelling, newest first."""

    command_name = "search"

    def syntax(self) -> str:
        return "[options] QUERY"

    def short_desc(self) -> str:
        return "Find stored articles holding every word of a query, whatever its spelling; newest first"

    def long_desc(self) -> str:
        return ("Find stored articles containing every word of the query, whatever its spelling variant (hamza, ta "
                "marbuta, alef maqsura, tashkeel, tatweel, digits). Dates are ISO (2026-11-01 or "
                "2026-11-01T08:00+03:00), UTC without an offset. Prints one line per hit: published (UTC), site, "
                "title, URL; exit 1 when the store cannot be reached, 2 on bad arguments.")

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("query", help="words to find, e.g. \"أعلنت الوزارة\"")
        parser.add_argument("--site", help="only this outlet (the article's site field)")
        parser.add_argument("--since", type=moment_arg(end_of_day=False), help="published at or after (inclusive)")
        parser.add_argument("--until", type=moment_arg(end_of_day=True),
                            help="published at or before (inclusive; a bare date includes that whole day)")
        parser.add_argument("--limit", type=positive_int, default=20, help="at most this many hits (default 20)")
        parser.add_argument("--json", action="store_true", help="print one JSON object per hit (JSONL)")

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        if not tokens(opts.query):
            raise UsageError("the query has no searchable words", print_help=False)
        check_order(opts.since, opts.until)

    def read_store(self, opts: argparse.Namespace) -> None:
        from pipelines.analysis import search  # where used (crawler/commands/__init__.py)

        hits = search.search_store(opts.store, opts.query, opts.site, opts.since, opts.until, opts.limit)
        with reader_may_stop():
            for hit in hits:
                print(search.format_hit(hit, opts.json))
