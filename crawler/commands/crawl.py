"""`scrapy crawl`, guarded: bad arguments give one error line, and a site already being crawled is left alone."""

from __future__ import annotations

import argparse

from scrapy.commands.crawl import Command as ScrapyCrawlCommand

from crawler.commands.runguard import EX_TEMPFAIL, check_arguments, fail, load_spider, site_lock


class Command(ScrapyCrawlCommand):
    """Scrapy's crawl command with argument checks before start-up and a per-site lock around the run."""

    def short_desc(self) -> str:
        return "Run a spider: incremental, or a backfill with -a since=YYYY-MM-DD -a until=YYYY-MM-DD"

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        if len(args) == 1:
            try:
                check_arguments(load_spider(self.settings, args[0]), opts.spargs)
            except ValueError as exc:
                fail(str(exc))

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            super().run(args, opts)  # Scrapy's own usage errors
            return
        lock = site_lock(load_spider(self.settings, args[0]), opts.spargs)
        if not lock.acquire():
            fail(lock.busy_message(), EX_TEMPFAIL)
        try:
            super().run(args, opts)
        finally:
            lock.release()
