"""`scrapy extract [options] FILE ... | --manifest FILE`: saved pages through the crawl's own extraction, one JSON line
per input."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.commands.arguments import EX_FAILED, check_no_extra, name_errors, positive_int, reader_may_stop
from crawler.sites import rules_for_site, rules_for_url, site_names

EX_INPUT = 2  # a manifest that cannot be read, or a line of it that is no page


class Command(ScrapyCommand):
    """Extract articles from saved HTML pages exactly as the crawl does."""

    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "[options] FILE ... | --manifest FILE"

    def short_desc(self) -> str:
        return "Extract articles from saved HTML pages as the crawl does; one JSON line per input"

    def long_desc(self) -> str:
        return ("Extract articles from saved HTML pages exactly as the crawl does; prints one JSON object per input "
                "(JSONL), in input order. Pages that hold no article print {path, url, error}; exit status 1 when no "
                "input held an article, 2 for bad arguments or an unreadable manifest.")

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        name_errors(parser, "extract")
        parser.add_argument("files", nargs="*", type=Path, metavar="FILE", help="saved HTML pages")
        parser.add_argument("--manifest", type=Path, help='JSONL file, one {"path": ..., "url": ...} per line')
        parser.add_argument("--url", help="the page's original URL (one FILE only)")
        parser.add_argument("--site", help=f"apply this site's rules (known: {', '.join(site_names())})")
        parser.add_argument("--fetched-at", help="fetch time for relative dates such as «منذ ساعة» (ISO-8601; "
                                                 "default: now)")
        parser.add_argument("--workers", type=positive_int, default=os.cpu_count() or 1,
                            help="worker processes (default: one per core)")

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        check_no_extra(args)
        if bool(opts.files) == bool(opts.manifest):
            raise UsageError("give FILE arguments or --manifest, not both or neither", print_help=False)
        if opts.url and len(opts.files) != 1:
            raise UsageError("--url applies to exactly one FILE", print_help=False)
        try:
            opts.rules = rules_for_site(opts.site) if opts.site else None
        except KeyError:
            raise UsageError(f"unknown site {opts.site!r}; known: {', '.join(site_names())}", print_help=False) \
                from None
        try:
            fetched_at = datetime.fromisoformat(opts.fetched_at) if opts.fetched_at else datetime.now(UTC)
        except ValueError:
            raise UsageError(f"--fetched-at must be ISO-8601, got {opts.fetched_at!r}", print_help=False) from None
        opts.fetched_at = fetched_at if fetched_at.tzinfo else fetched_at.replace(tzinfo=UTC)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        from pipelines.analysis.extract import InputError, extract_files, manifest_entries, page_jobs  # where used

        try:
            entries = manifest_entries(opts.manifest) if opts.manifest else \
                [{"path": str(f), "url": opts.url, "site": opts.site} for f in opts.files]
        except (OSError, InputError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            self.exitcode = EX_INPUT
            return
        articles = failed = 0
        with reader_may_stop():
            for result in extract_files(page_jobs(entries, opts.rules, opts.fetched_at, rules_for_url), opts.workers):
                sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
                failed += "error" in result
                articles += "error" not in result
        if failed and not articles:
            print(f"error: no article in {'the' if failed == 1 else f'any of the {failed}'} "
                  f"input{'' if failed == 1 else 's'}", file=sys.stderr)
            self.exitcode = EX_FAILED
