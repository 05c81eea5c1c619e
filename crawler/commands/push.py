"""`scrapy push <spider> [-a …]`: start a distributed run by queueing the spider's start requests in Redis once."""

from __future__ import annotations

import argparse

from redis.exceptions import RedisError
from scrapy.commands import BaseRunSpiderCommand

from crawler.commands.runguard import check_arguments, fail, load_spider
from crawler.distributed import distributed, format_arguments, masked, record_arguments

EX_FAILED = 1  # Redis or the store could not be reached, or the spider failed to start


class Command(BaseRunSpiderCommand):
    """Run the spider's start() against Redis (REDIS_URL): its requests are queued for the workers, none is fetched."""

    requires_project = True

    def syntax(self) -> str:
        return "[options] <spider>"

    def short_desc(self) -> str:
        return "Start a distributed run: queue a spider's start requests in Redis (REDIS_URL) for its workers"

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        if not distributed(self.settings):
            fail("scrapy push needs REDIS_URL in the environment: the Redis that the workers share")
        if len(args) != 1:
            fail("scrapy push takes one spider name: scrapy push <spider> [-a since=… -a until=…]")
        try:
            self.spidercls = load_spider(self.settings, args[0])
            check_arguments(self.spidercls, opts.spargs)
        except ValueError as exc:
            fail(str(exc))
        # Only the spider's start() runs: no item pipelines, no run record, nothing fetched (PushScheduler).
        self.settings.set("SCHEDULER", "crawler.distributed.PushScheduler", priority="cmdline")
        self.settings.set("SCHEDULER_FLUSH_ON_START", True, priority="cmdline")  # a new run: forget the last one
        self.settings.set("AKHBAR_PUSH", True, priority="cmdline")
        self.settings.set("ITEM_PIPELINES", {}, priority="cmdline")
        self.settings.set("EXTENSIONS", dict.fromkeys(self.settings.getdict("EXTENSIONS")), priority="cmdline")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.crawler_process is not None
        where = masked(self.settings["REDIS_URL"])
        try:
            record_arguments(self.settings, self.spidercls.name, opts.spargs)
        except RedisError as exc:
            fail(f"cannot reach Redis at {where}: {exc}", EX_FAILED)
        crawler = self.crawler_process.create_crawler(self.spidercls)
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        reason = crawler.stats.get_value("finish_reason")
        if self.crawler_process.bootstrap_failed or reason != "finished":
            fail(f"could not queue the start requests of {self.spidercls.name} ({reason or 'not started'})",
                 EX_FAILED)
        queued = crawler.stats.get_value("scheduler/enqueued/redis", 0)
        print(f"queued {queued} start requests of {self.spidercls.name} in {where}; "
              f"start its workers with: scrapy crawl {self.spidercls.name} {format_arguments(opts.spargs)}".rstrip())
