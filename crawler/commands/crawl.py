"""`scrapy crawl`, guarded: bad arguments give one error line, and a site already being crawled is left alone."""

from __future__ import annotations

import argparse

from redis.exceptions import RedisError
from scrapy import Spider
from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.crawler import Crawler

from crawler.commands.runguard import EX_DRIFT, EX_TEMPFAIL, check_arguments, fail, load_spider, site_lock
from crawler.distributed import check_pushed_arguments, distributed, masked
from pipelines.outcomes.drift import STAT_DRIFT


class Command(ScrapyCrawlCommand):
    """Scrapy's crawl command with argument checks, a per-site lock, and exit status 3 when the coverage drifted."""

    crawler: Crawler | None = None

    def short_desc(self) -> str:
        return "Run a spider: incremental, or a backfill with -a since=YYYY-MM-DD -a until=YYYY-MM-DD"

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        if len(args) == 1:
            try:
                check_arguments(load_spider(self.settings, args[0]), opts.spargs)
                if distributed(self.settings):
                    check_pushed_arguments(self.settings, args[0], opts.spargs)
            except ValueError as exc:
                fail(str(exc))
            except RedisError as exc:
                fail(f"cannot reach Redis at {masked(self.settings['REDIS_URL'])}: {exc}", 1)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            super().run(args, opts)  # Scrapy's own usage errors
            return
        lock = site_lock(self.settings, load_spider(self.settings, args[0]), opts.spargs)
        if not distributed(self.settings) and not lock.acquire():  # a site's distributed workers share its run
            fail(lock.busy_message(), EX_TEMPFAIL)
        try:
            super().run(args, opts)
        finally:
            lock.release()
        if not self.exitcode and self.crawler is not None and self.crawler.stats.get_value(STAT_DRIFT):
            self.exitcode = EX_DRIFT

    def _create_crawler(self, spidercls: type[Spider] | str) -> Crawler:
        self.crawler = super()._create_crawler(spidercls)  # kept for its stats once the crawl is over
        return self.crawler
