"""Distributed crawling on one Redis (scrapy-redis): a shared frontier, start requests pushed once, a shared rate.

With `REDIS_URL` set, every `scrapy crawl <site>` process on any machine is a worker of one run: they share the
site's request queue and seen-request set in Redis, `scrapy push <site>` queues the run's start requests once,
each worker closes after `MAX_IDLE_TIME_BEFORE_CLOSE` seconds without work, and every HTTP(S) download first takes
a token from the domain's bucket in Redis, so the workers together fetch at most `REDIS_RATE_PER_DOMAIN` pages per
second from one host.

scrapy-redis 0.9.1 (its queue and duplicate filter) is used as is on Scrapy 2.19; only its scheduler makes calls
that Scrapy 2.13 deprecated (`spider=` on stats, `Spider.log()`), and `RedisScheduler` is that scheduler without them.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from redis.asyncio import Redis as AsyncRedis
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.http import Response
from scrapy.settings import BaseSettings
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import load_object
from scrapy_redis.connection import get_redis_from_settings
from scrapy_redis.scheduler import Scheduler

from crawler.downloader.bounded import BoundedDownloadHandler
from crawler.extensions.shutdown import REQUESTS_DROPPED

logger = logging.getLogger(__name__)

ARGUMENTS_KEY = "akhbar:%(spider)s:arguments"  # the -a arguments of the pushed run, which its workers must share
RATE_KEY = "akhbar:rate:%(domain)s"
# A token bucket kept as GCRA state (the bucket's "theoretical arrival time") in Redis server time, so the workers'
# clocks never matter. A call takes a token and returns 0, or takes none and returns the seconds until the next one.
# Nothing is reserved ahead: a worker that wakes up late asks again rather than sending a stale reservation.
# KEYS[1] the domain's bucket; ARGV[1] seconds between requests; ARGV[2] burst (requests that may go at once).
TAKE_TOKEN = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local interval = tonumber(ARGV[1])
local tat = math.max(tonumber(redis.call('GET', KEYS[1]) or 0), now)
local wait = tat - (tonumber(ARGV[2]) - 1) * interval - now
if wait > 0 then
  return string.format('%.6f', wait)
end
redis.call('SET', KEYS[1], string.format('%.6f', tat + interval), 'PX', math.ceil((tat + interval - now) * 1000) + 1000)
return '0'
"""


def distributed(settings: BaseSettings) -> bool:
    """Whether the crawl runs as a worker of a shared Redis frontier (REDIS_URL is set)."""
    return bool(settings.get("REDIS_URL"))


def pulls_start_requests(settings: BaseSettings) -> bool:
    """Whether a spider leaves its start requests to `scrapy push` and takes its work from Redis."""
    return distributed(settings) and not settings.getbool("AKHBAR_PUSH")


def masked(url: str) -> str:
    """A Redis URL without its credentials, for messages."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"***@{host}" if "@" in parts.netloc else host))


def format_arguments(arguments: dict[str, str]) -> str:
    """The -a options that give these spider arguments."""
    return " ".join(f"-a {k}={v}" for k, v in sorted(arguments.items()))


def arguments_key(spider: str) -> str:
    """Where the pushed run of a spider keeps its -a arguments."""
    return ARGUMENTS_KEY % {"spider": spider}


def record_arguments(settings: BaseSettings, spider: str, arguments: dict[str, str]) -> None:
    """Remember the -a arguments of a run being pushed."""
    get_redis_from_settings(settings).set(arguments_key(spider), json.dumps(arguments, sort_keys=True))


def check_pushed_arguments(settings: BaseSettings, spider: str, arguments: dict[str, str]) -> None:
    """ValueError unless a run of the spider was pushed, with the same -a arguments as this worker's."""
    pushed = get_redis_from_settings(settings).get(arguments_key(spider))
    if pushed is None:
        raise ValueError(f"no run of {spider!r} was pushed to {masked(settings['REDIS_URL'])}: "
                         f"queue one with `scrapy push {spider}` first")
    if json.loads(pushed) != arguments:
        shown = format_arguments(json.loads(pushed)) or "no -a arguments"
        raise ValueError(f"the run of {spider!r} in Redis was pushed with {shown}: start its workers with the same")


class RedisScheduler(Scheduler):
    """scrapy-redis's scheduler (shared queue and seen set), logging and counting stats the Scrapy 2.13+ way."""

    def open(self, spider: Spider) -> None:
        """Attach to the spider's queue and seen set in Redis (emptied first with SCHEDULER_FLUSH_ON_START)."""
        self.spider = spider
        self.queue = load_object(self.queue_cls)(server=self.server, spider=spider, serializer=self.serializer,
                                                 key=self.queue_key % {"spider": spider.name})
        self.df = self.df or load_object(self.dupefilter_cls).from_spider(spider)
        queued = len(self.queue)
        if self.flush_on_start:
            if queued:
                logger.warning("discarding the %d requests still queued for %s", queued, spider.name)
            self.flush()
        elif queued:
            logger.info("%d requests of %s are queued in Redis", queued, spider.name)

    def enqueue_request(self, request: Request) -> bool:
        """Queue a request in Redis unless some worker has already seen it."""
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        self.queue.push(request)
        self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        """The next request of the shared queue, if any."""
        request = self.queue.pop(self.idle_before_close)
        if request is not None:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request


class PushScheduler(RedisScheduler):
    """`scrapy push` (with SCHEDULER_FLUSH_ON_START): queue the start requests of a new run, fetch nothing."""

    def next_request(self) -> None:
        """Nothing is fetched here: the workers pull the queued requests."""
        return None

    def has_pending_requests(self) -> bool:
        """Never: the spider closes as soon as its start requests are queued."""
        return False


class RateLimitedDownloadHandler(BoundedDownloadHandler):
    """The project's HTTP(S) handler (bounded response headers), waiting first for a token of the domain's shared
    Redis bucket.

    The wait happens in the download slot, just before the request is sent, so the rate holds on the wire.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        settings = crawler.settings
        self.rate = settings.getfloat("REDIS_RATE_PER_DOMAIN")
        self.burst = max(1, settings.getint("REDIS_RATE_BURST"))
        self.stats = crawler.stats
        self.redis = AsyncRedis.from_url(settings["REDIS_URL"])
        self.take_token = self.redis.register_script(TAKE_TOKEN)

    async def download_request(self, request: Request) -> Response:
        """Wait until the domain's bucket gives a token, then download."""
        if self.rate > 0:
            key = RATE_KEY % {"domain": urlparse_cached(request).hostname or ""}
            delayed = False
            while (wait := float(await self.take_token(keys=[key], args=[1 / self.rate, self.burst]))) > 0:
                delayed = True
                await asyncio.sleep(wait)
            if delayed:
                self.stats.inc_value("akhbar/ratelimit/delayed")
        return await super().download_request(request)

    async def close(self) -> None:
        """Close the Redis connection and the HTTP connection pool."""
        await self.redis.aclose()
        await super().close()


class IdleClose:
    """Close a worker once it has found no work for MAX_IDLE_TIME_BEFORE_CLOSE seconds (0: never).

    A worker with an empty queue is not done while others still discover: their requests reach it through Redis. A
    worker that stops sending requests (its error budget ran out) is done at once.
    """

    def __init__(self, crawler: Crawler, max_idle: float) -> None:
        self.max_idle = max_idle
        self.idle_since: float | None = None
        self.stopping = False
        crawler.signals.connect(self.on_idle, signal=signals.spider_idle)
        crawler.signals.connect(self.on_work, signal=signals.request_reached_downloader)
        crawler.signals.connect(self.on_stopping, signal=REQUESTS_DROPPED)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IdleClose:
        if not pulls_start_requests(crawler.settings):
            raise NotConfigured
        return cls(crawler, crawler.settings.getfloat("MAX_IDLE_TIME_BEFORE_CLOSE"))

    def on_idle(self) -> None:
        """Keep the worker open until it has been idle long enough."""
        if self.stopping:
            return
        now = time.monotonic()
        self.idle_since = self.idle_since or now
        if self.max_idle <= 0 or now - self.idle_since < self.max_idle:
            raise DontCloseSpider

    def on_stopping(self, why: str) -> int:
        """The worker sends no new request: nothing to wait for (it holds no request back itself)."""
        self.stopping = True
        return 0

    def on_work(self, **_: Any) -> None:
        """A request left the queue: the worker is busy again."""
        self.idle_since = None
