"""`scrapy crawl`, guarded: bad arguments give one error line, and a site already being crawled is left alone. Its exit
status says how the crawl ended (docs/operations.md#exit-statuses): stopped by a signal, the site down, its error budget
run out, the coverage drifted."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Iterable

from redis.exceptions import RedisError
from scrapy import Spider
from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings

from crawler.commands.runguard import EX_DRIFT, EX_TEMPFAIL, check_arguments, fail, load_spider, site_lock
from crawler.distributed import check_pushed_arguments, distributed, masked
from crawler.extensions.error_budget import ERROR_BUDGET, STAT_ERROR_BUDGET
from crawler.extensions.shutdown import stop_signal
from crawler.spiders.site_down import SITE_DOWN, STAT_SITE_DOWN
from pipelines.outcomes.drift import STAT_DRIFT

logger = logging.getLogger(__name__)
EX_SITE_DOWN = 69  # sysexits.h EX_UNAVAILABLE: the site never answered (every request failed), nothing was crawled
EX_ERROR_BUDGET = 76  # sysexits.h EX_PROTOCOL: the site answered mostly errors, the crawl stopped early (error budget)


def record_runs(settings: BaseSettings) -> None:
    """Have the crawl write its run record (RUN_RECORDS: the crawl commands only, not shell, parse or push)."""
    settings.set("RUN_RECORDS", True, priority="cmdline")


def outcome_status(crawlers: Iterable[Crawler]) -> int:
    """The exit status of crawls that ran, with one closing line for each site that was down or ran out of its error
    budget: 128 + the signal that stopped them, else EX_SITE_DOWN, else EX_ERROR_BUDGET, else EX_DRIFT, else 0."""
    crawlers = list(crawlers)
    for crawler in crawlers:
        site = getattr(crawler.spider, "site", crawler.spidercls.name)
        if crawler.stats.get_value("finish_reason") == SITE_DOWN:
            logger.error("%s is down, nothing was crawled: %s", site, crawler.stats.get_value(STAT_SITE_DOWN))
        elif crawler.stats.get_value("finish_reason") == ERROR_BUDGET:
            logger.error("%s: crawl stopped, its error budget ran out: %s", site,
                         crawler.stats.get_value(STAT_ERROR_BUDGET))
    if (signum := stop_signal()) is not None:
        return 128 + signum
    if any(c.stats.get_value("finish_reason") == SITE_DOWN for c in crawlers):
        return EX_SITE_DOWN
    if any(c.stats.get_value("finish_reason") == ERROR_BUDGET for c in crawlers):
        return EX_ERROR_BUDGET
    if any(c.stats.get_value(STAT_DRIFT) for c in crawlers):
        return EX_DRIFT
    return 0


class Command(ScrapyCrawlCommand):
    """Scrapy's crawl command with argument checks, a per-site lock, and exit status 3 when the coverage drifted."""

    crawler: Crawler | None = None

    def short_desc(self) -> str:
        return "Run a spider: incremental, or a backfill with -a since=YYYY-MM-DD -a until=YYYY-MM-DD"

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        record_runs(self.settings)
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
        if not self.exitcode and self.crawler is not None:
            self.exitcode = outcome_status([self.crawler])

    def _create_crawler(self, spidercls: type[Spider] | str) -> Crawler:
        self.crawler = super()._create_crawler(spidercls)  # kept for its stats once the crawl is over
        return self.crawler
