"""The date window of a backfill, and what each discovery hint says about where an article falls in it."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

from pipelines.extraction.dates.parse import parse_date
from pipelines.extraction.dates.url import url_date

Place = Literal["before", "in", "after", "unknown"]
_DAY_ARG = re.compile(r"\d{4}-\d{2}-\d{2}")
# /2015/09/slug: a month archive path, when the URL states no day (pipelines.extraction.dates.url).
_URL_MONTH = re.compile(r"/((?:19|20)\d{2})/(0[1-9]|1[0-2])/")
# sitemap-2015-09.xml, post-sitemap_2015_09_30.xml, /sitemaps/2015-09.xml, /sitemap/2015/09/, sitemap-2015.xml
_SITEMAP_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:[-_/](0[1-9]|1[0-2])(?:[-_/](0[1-9]|[12]\d|3[01]))?)?(?!\d)")
_SITEMAP_QUERY = re.compile(r"[?&]yyyy=((?:19|20)\d{2})(?:&mm=(0[1-9]|1[0-2]))?(?:&dd=(0[1-9]|[12]\d|3[01]))?")


def parse_day_argument(value: str, name: str) -> date:
    """A since/until argument as a date; ValueError with a message fit for the command line."""
    try:
        if not _DAY_ARG.fullmatch(value):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{name} must be a date written YYYY-MM-DD, got {value!r}") from None


def _valid_day(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _span(year: str, month: str | None, day: str | None) -> tuple[date, date] | None:
    y = int(year)
    if month is None:
        return date(y, 1, 1), date(y, 12, 31)
    m = int(month)
    if day is None:
        return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])
    found = _valid_day(year, month, day)
    return (found, found) if found else None


def url_days(url: str, pattern: str | None = None) -> tuple[date, date] | None:
    """The publication day (or month) an article URL shows, as (first, last) day; pattern is a site's own
    regex with named groups y, m, d (SiteRules.url_date_pattern)."""
    day = url_date(url, pattern)
    if day:
        return day, day
    match = None if pattern else _URL_MONTH.search(url.split("?", 1)[0])  # a site's pattern states days only
    return _span(match[1], match[2], None) if match else None


def sitemap_days(url: str) -> tuple[date, date] | None:
    """The days a dated sitemap covers, from its name (yearly, monthly or daily sitemaps)."""
    match = _SITEMAP_QUERY.search(url)
    if match:
        return _span(match[1], match[2], match[3])
    name = url.split("?", 1)[0].rsplit("://", 1)[-1].split("/", 1)[-1]
    found = list(_SITEMAP_DATE.finditer(name))
    return _span(found[-1][1], found[-1][2], found[-1][3]) if found else None


def latest_instant(value: str | None, timezone: str, date_order: str = "unknown") -> datetime | None:
    """The latest instant a date string can mean: itself, or the end of its day when it gives no time."""
    parsed = parse_date(value, tz=timezone, date_order=date_order) if value else None
    if parsed is None:
        return None
    return parsed.utc if parsed.has_time else parsed.utc + timedelta(days=1)


@dataclass(frozen=True)
class DateWindow:
    """Inclusive local-calendar days [since, until] of one site; either bound may be open."""

    since: date | None
    until: date | None
    timezone: str = "UTC"

    @classmethod
    def from_arguments(cls, since: str | None, until: str | None, timezone: str = "UTC") -> DateWindow:
        """Validate `-a since=… -a until=…`; ValueError names the bad argument."""
        first = parse_day_argument(since, "since") if since else None
        last = parse_day_argument(until, "until") if until else None
        if first and last and first > last:
            raise ValueError(f"since ({first}) is after until ({last})")
        return cls(first, last, timezone)

    @property
    def bounded(self) -> bool:
        """Whether the window limits anything (a backfill) or not (an incremental crawl)."""
        return self.since is not None or self.until is not None

    @property
    def days(self) -> int | None:
        """Number of days in the window, None when a bound is open."""
        return (self.until - self.since).days + 1 if self.since and self.until else None

    def describe(self) -> str:
        """The window as since..until; an open bound is left empty (2015-09-01.., ..2015-09-30)."""
        return f"{self.since or ''}..{self.until or ''}"

    def local_day(self, instant: datetime) -> date:
        """The day an instant falls on in the site's calendar (naive means site-local)."""
        zone = ZoneInfo(self.timezone)
        return (instant if instant.tzinfo else instant.replace(tzinfo=zone)).astimezone(zone).date()

    def place_of_days(self, first: date, last: date) -> Place:
        """Where the days first..last fall: wholly before, inside, after the window, or across a bound."""
        if self.since and last < self.since:
            return "before"
        if self.until and first > self.until:
            return "after"
        if (self.since is None or first >= self.since) and (self.until is None or last <= self.until):
            return "in"
        return "unknown"

    def contains(self, instant: datetime) -> bool:
        """Whether an instant falls on a day of the window."""
        day = self.local_day(instant)
        return self.place_of_days(day, day) == "in"

    def hint_day(self, value: str | None, date_order: str = "unknown") -> date | None:
        """The site-local day of a date string from a sitemap, feed or listing."""
        if not value:
            return None
        try:  # W3C datetimes (sitemaps, Atom) take the fast path: a 50,000-URL sitemap is parsed in the reactor
            return self.local_day(datetime.fromisoformat(value.strip()))
        except ValueError:
            parsed = parse_date(value, tz=self.timezone, date_order=date_order)
            return self.local_day(parsed.utc) if parsed else None

    def place_of_article(self, url: str, published: str | None, lastmod: str | None, date_order: str = "unknown",
                         url_pattern: str | None = None,
                         sitemap: tuple[date, date] | None = None) -> tuple[Place, str]:
        """Where the best evidence puts an article, and which evidence decided: published, url_date, sitemap_name
        (the days the dated sitemap listing it covers) or lastmod."""
        day = self.hint_day(published, date_order)
        if day:
            return self.place_of_days(day, day), "published"
        for days, evidence in ((url_days(url, url_pattern), "url_date"), (sitemap, "sitemap_name")):
            if days and (place := self.place_of_days(*days)) != "unknown":
                return place, evidence
        day = self.hint_day(lastmod, date_order)
        # A page cannot be published after its last modification, so only the since side can be pruned.
        if day and self.since and day < self.since:
            return "before", "lastmod"
        return "unknown", "none"

    def place_of_sitemap(self, url: str, lastmod: str | None) -> tuple[Place, str]:
        """Where a sub-sitemap's articles fall, from its name or lastmod (name, lastmod)."""
        days = sitemap_days(url)
        if days and (place := self.place_of_days(*days)) in ("before", "after"):
            return place, "name"
        day = self.hint_day(lastmod)
        if day and self.since and day < self.since:
            return "before", "lastmod"
        return "unknown", "none"


def day_archive_urls(template: str | None, home: str, window: DateWindow, today: date | None = None) -> list[str]:
    """A backfill's day-archive pages (template like "/{day:%Y/%m/%d}/"), newest day first; none without since."""
    if not (template and window.since):
        return []
    last = window.until or today or datetime.now(ZoneInfo(window.timezone)).date()
    return [urljoin(home, template.format(day=last - timedelta(days=n))) for n in range((last - window.since).days + 1)]
