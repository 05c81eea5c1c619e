"""`scrapy crawlall [spider ...] [-a since=… -a until=…]`: every site spider in one process, for cron and timers."""

from __future__ import annotations

import argparse
import logging

from scrapy import Spider
from scrapy.commands import BaseRunSpiderCommand
from scrapy.crawler import Crawler

from crawler.commands.crawl import outcome_status, record_runs
from crawler.commands.runguard import (
    EX_TEMPFAIL,
    all_spiders,
    check_arguments,
    fail,
    load_spider,
    site_lock,
)
from crawler.commands.runlock import SiteLock
from crawler.distributed import distributed
from crawler.extensions.error_budget import ERROR_BUDGET
from crawler.spiders.site_down import SITE_DOWN
from pipelines.outcomes.drift import STAT_DRIFT

logger = logging.getLogger(__name__)
WINDOW_ARGUMENTS = ("since", "until")


def scheduled_spiders(names: list[str], load: dict[str, type[Spider]]) -> list[str]:
    """The spiders crawlall runs when none is named: those with a home page of their own and scheduled."""
    return [n for n in names if getattr(load[n], "home_url", None) and getattr(load[n], "scheduled", True)]


class Command(BaseRunSpiderCommand):
    """Run many site spiders at once; a site whose previous run is still going is skipped, a drift is reported."""

    requires_project = True

    def syntax(self) -> str:
        return "[options] [spider ...]"

    def short_desc(self) -> str:
        return "Run every site spider (or the named ones) in one process; -a since/-a until make it a backfill"

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        record_runs(self.settings)
        if distributed(self.settings):
            fail("crawlall does not run with REDIS_URL set: `scrapy push <site>`, then `scrapy crawl <site>` workers")
        extra = sorted(set(opts.spargs) - set(WINDOW_ARGUMENTS))
        if extra:
            fail(f"crawlall takes only -a since=YYYY-MM-DD and -a until=YYYY-MM-DD, not {extra[0]!r}")
        try:
            if args:
                self.spiders = [load_spider(self.settings, name) for name in dict.fromkeys(args)]
            else:
                classes = all_spiders(self.settings)
                self.spiders = [classes[name] for name in scheduled_spiders(list(classes), classes)]
            for spidercls in self.spiders:
                check_arguments(spidercls, opts.spargs)
        except ValueError as exc:
            fail(str(exc))
        if not self.spiders:
            fail("no site spider to run: add one under crawler/spiders/ or name spiders on the command line")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.crawler_process is not None
        locks: list[SiteLock] = []
        crawlers: list[Crawler] = []
        skipped: list[str] = []
        for spidercls in self.spiders:
            lock = site_lock(self.settings, spidercls, opts.spargs)
            if not lock.acquire():
                logger.error("skipped %s: %s", spidercls.name, lock.busy_message())
                skipped.append(spidercls.name)
                continue
            locks.append(lock)
            crawler = self.crawler_process.create_crawler(spidercls)
            self.crawler_process.crawl(crawler, **opts.spargs)
            crawlers.append(crawler)
        try:
            if crawlers:
                self.crawler_process.start()
        finally:
            for lock in locks:
                lock.release()
        for crawler in crawlers:
            stats = crawler.stats.get_stats()
            logger.info("crawlall: %s %s: %d article pages, %d new, %d updated, %d unchanged",
                        crawler.spidercls.name, stats.get("finish_reason", "not started"),
                        stats.get("akhbar/pages/article", 0), stats.get("akhbar/articles/new", 0),
                        stats.get("akhbar/articles/updated", 0), stats.get("akhbar/articles/unchanged", 0))
        drifted = [c.spidercls.name for c in crawlers if c.stats.get_value(STAT_DRIFT)]
        if drifted:
            logger.error("crawlall: field coverage drifted (see the errors above): %s", ", ".join(drifted))
        down = [c.spidercls.name for c in crawlers if c.stats.get_value("finish_reason") == SITE_DOWN]
        if down:
            logger.error("crawlall: down (every request failed): %s", ", ".join(down))
        over_budget = [c.spidercls.name for c in crawlers if c.stats.get_value("finish_reason") == ERROR_BUDGET]
        if over_budget:
            logger.error("crawlall: stopped early, error budget run out (most fetches failed): %s",
                         ", ".join(over_budget))
        if skipped:
            logger.error("crawlall: skipped (a previous run is still going): %s", ", ".join(skipped))
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
        else:
            self.exitcode = outcome_status(crawlers) or (EX_TEMPFAIL if skipped else 0)
