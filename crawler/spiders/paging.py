"""When the news spider pages on through a site's listing pages: incrementally while they list unstored articles, in
a backfill until a page lies wholly before the window, never beyond max_listing_pages."""

from __future__ import annotations

from datetime import date

from scrapy.crawler import Crawler

from crawler.discovery.guard import DiscoveryGuard
from crawler.discovery.parsers import Entry
from crawler.planning.window import DateWindow, url_days


class ListingPaging:
    """Mixin of the news spider: whether to follow a listing page's next-page links."""

    crawler: Crawler
    guard: DiscoveryGuard
    mode: str
    window: DateWindow
    date_archive: str | None
    date_order: str
    url_date_pattern: str | None
    max_listing_pages: int
    listing_pages: int

    def keep_paging(self, own: list[Entry], fresh: bool, archive: bool) -> bool:
        """Incremental: while pages list unstored articles. Backfill: until a page lies wholly before since."""
        if self.listing_pages >= self.max_listing_pages:
            self.guard.listing_pages_exhausted(self.max_listing_pages)
            return False
        if self.mode == "incremental":
            if not fresh:
                self.crawler.stats.inc_value("akhbar/listing/stopped/nothing_new")
            return fresh
        if self.date_archive and self.window.since and not archive:
            return False
        days = [d for e in own if (d := self.latest_day(e))]
        if self.window.since and days and max(days) < self.window.since:
            self.crawler.stats.inc_value("akhbar/listing/stopped/past_since")
            return False
        return True

    def latest_day(self, entry: Entry) -> date | None:
        """The latest day a listed article can be from: its shown date, else its URL date."""
        day = self.window.hint_day(entry.published, self.date_order)
        days = url_days(entry.url, self.url_date_pattern)
        return day or (days[1] if days else None)
