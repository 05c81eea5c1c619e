"""Site rules by name or by host, read from the spider classes that declare them."""

from __future__ import annotations

from functools import cache
from urllib.parse import urlparse

from scrapy.spiderloader import SpiderLoader
from scrapy.utils.project import get_project_settings

from crawler.items import SiteRules


@cache
def _spiders() -> dict[str, type]:
    loader = SpiderLoader.from_settings(get_project_settings())
    return {name: loader.load(name) for name in loader.list()}


def _bare_host(url: str) -> str:
    host = urlparse(url).hostname or ""
    return host.removeprefix("www.")


def site_names() -> list[str]:
    """Names of the sites that have a spider of their own."""
    return sorted(name for name in _spiders() if name != "news")


def rules_for_site(name: str) -> SiteRules:
    """The rules declared by the spider named name; KeyError when there is none."""
    spider = _spiders()[name]
    return spider.site_rules(name)


def rules_for_url(url: str) -> SiteRules | None:
    """The rules of the site spider whose home page is on url's host, if any."""
    host = _bare_host(url)
    for name, spider in _spiders().items():
        if spider.home_url and name != "news" and _bare_host(spider.home_url) == host:
            return spider.site_rules(name)
    return None
