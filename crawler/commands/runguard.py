"""What the crawl commands check before anything starts: the store settings, the spider, its arguments, and the site
lock."""

from __future__ import annotations

import sys
from typing import NoReturn

from scrapy import Spider
from scrapy.settings import BaseSettings
from scrapy.spiderloader import get_spider_loader

from crawler.commands.runlock import SiteLock, lock_dir
from pipelines.storage.config import store_config

EX_USAGE = 2  # bad command line: nothing was crawled
EX_DRIFT = 3  # the crawl ran, but a site's field coverage dropped (pipelines.outcomes.drift): look at its layout
EX_TEMPFAIL = 75  # sysexits.h: the site is being crawled by another run; try again later


def fail(message: str, code: int = EX_USAGE) -> NoReturn:
    """Print one error line and exit, before any crawl starts."""
    print(f"error: {message}", file=sys.stderr)
    sys.exit(code)


def check_store(settings: BaseSettings) -> None:
    """ValueError, in one line with the password masked, for store settings no crawl could use: a MONGO_URI that
    pymongo's parser refuses (taken for a host name, it would send every article to the spill journal)."""
    store_config(settings)


def load_spider(settings: BaseSettings, name: str) -> type[Spider]:
    """The spider class of a name, once the store settings are checked (check_store: `crawl`, `crawlall` and `push`
    load their spiders before anything starts); ValueError when there is none, or the store settings are wrong."""
    check_store(settings)
    try:
        return get_spider_loader(settings).load(name)
    except KeyError:
        raise ValueError(f"no spider named {name!r} (`scrapy list` shows them)") from None


def all_spiders(settings: BaseSettings) -> dict[str, type[Spider]]:
    """Every spider of the project by name, once the store settings are checked (check_store)."""
    check_store(settings)
    loader = get_spider_loader(settings)
    return {name: loader.load(name) for name in sorted(loader.list())}


def check_arguments(spidercls: type[Spider], arguments: dict[str, str]) -> None:
    """Let the spider validate its `-a` arguments (NewsSpider.check_arguments); ValueError when they are wrong."""
    check = getattr(spidercls, "check_arguments", None)
    if check is not None:
        check(arguments)


def site_lock(settings: BaseSettings, spidercls: type[Spider], arguments: dict[str, str]) -> SiteLock:
    """The lock of the site this spider and these arguments crawl, under the settings' data directory."""
    site_for = getattr(spidercls, "site_for", None)
    site = site_for(arguments.get("url"), arguments.get("site")) if site_for else spidercls.name
    return SiteLock(site, lock_dir(settings))
