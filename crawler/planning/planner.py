"""Which discovered article URLs to fetch: session parameters stripped, date-window pruning, deferral of undated ones,
store lookups."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal, Protocol

from crawler.discovery.parsers import Entry
from crawler.items import SiteRules, url_hash, without_session_params
from crawler.planning.window import DateWindow

State = Literal["new", "deferred", "pruned", "check", "fetch", "skipped"]


class Stats(Protocol):
    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None: ...

    def set_value(self, key: str, value: Any) -> None: ...


class StoreLookup(Protocol):
    async def last_seen(self, keys: list[str]) -> dict[str, datetime | None]: ...


@dataclass(frozen=True)
class StoreSkip:
    """Skip stored articles: any of them (incremental), or those seen since a time (a resumed job)."""

    seen_since: datetime | None
    stat: str


@dataclass(slots=True)  # one per discovered URL: a sitemap brings 50,000
class Candidate:
    """One article URL found while discovering, with what is known about it."""

    url: str
    key: str
    found_in: str
    published: str | None = None
    lastmod: str | None = None
    sitemap_days: tuple[date, date] | None = None  # the days a dated sitemap listing it covers
    state: State = "new"
    stored: bool | None = None
    pruned_by: str | None = None

    @property
    def hints(self) -> dict[str, str]:
        """Discovery hints for the fetched page (published, lastmod, found_in)."""
        hints = {k: v for k, v in (("lastmod", self.lastmod), ("published", self.published)) if v}
        return {**hints, "found_in": self.found_in}


@dataclass
class Plan:
    """What to fetch from one batch of discovered URLs, and which of those URLs the store does not have."""

    fetch: list[Candidate] = field(default_factory=list)
    fresh: set[str] = field(default_factory=set)


class FetchPlanner:
    """Decide once per article URL whether to fetch it; undated ones wait until discovery has run dry."""

    def __init__(self, window: DateWindow, stats: Stats, rules: SiteRules | None = None,
                 store: StoreLookup | None = None, skip: StoreSkip | None = None) -> None:
        self.window = window
        self.stats = stats
        self.rules = rules or SiteRules(site="", timezone=window.timezone)
        self.store = store if skip else None
        self.skip = skip
        self.seen: dict[str, Candidate] = {}
        self.deferred: dict[str, Candidate] = {}

    async def plan(self, entries: Iterable[Entry], found_in: str,
                   sitemap_days: tuple[date, date] | None = None) -> Plan:
        """Merge entries into what is known, prune or defer by date, look the rest up in the store."""
        batch: dict[str, Candidate] = {}
        for entry in entries:
            candidate = self._merge(entry, found_in)
            candidate.sitemap_days = candidate.sitemap_days or sitemap_days
            batch[entry.url] = candidate
            if candidate.state in ("new", "deferred", "pruned"):
                self._judge(candidate)
        checked = list({c.key: c for c in batch.values() if c.state == "check"}.values())
        await self._check(checked)
        return Plan([c for c in checked if c.state == "fetch"], {url for url, c in batch.items() if c.stored is False})

    async def release_deferred(self) -> list[Candidate]:
        """The URLs no hint could place: fetch them (after the store lookup), since they may be in the window."""
        batch = list(self.deferred.values())
        self.deferred.clear()
        self.stats.set_value("akhbar/plan/deferred", 0)
        for candidate in batch:
            candidate.state = "check"
        self.stats.inc_value("akhbar/plan/undated_fetched", len(batch))
        await self._check(batch)
        return [c for c in batch if c.state == "fetch"]

    def add_revisits(self, docs: Iterable[Mapping[str, Any]]) -> list[Candidate]:
        """Stored young articles to fetch again for fresh counters; they are not planned a second time."""
        revisits = []
        for doc in docs:
            published = doc.get("published_local") or (doc["published_at"].isoformat() if doc.get("published_at")
                                                       else None)
            candidate = Candidate(doc["url"], doc["url_hash"], "revisit", published=published, state="fetch",
                                  stored=True)
            self.seen[candidate.key] = candidate
            revisits.append(candidate)
        self.stats.inc_value("akhbar/incremental/revisits", len(revisits))
        return revisits

    def _merge(self, entry: Entry, found_in: str) -> Candidate:
        url = without_session_params(entry.url)  # a session-id trap's thousand links are one article, fetched once
        key = url_hash(url)
        candidate = self.seen.get(key)
        if candidate is None:
            candidate = self.seen[key] = Candidate(url, key, found_in)
        candidate.published = candidate.published or entry.published
        candidate.lastmod = candidate.lastmod or entry.lastmod
        return candidate

    def _judge(self, candidate: Candidate) -> None:
        if not self.window.bounded:
            candidate.state = "check"
            return
        place, evidence = self.window.place_of_article(candidate.url, candidate.published, candidate.lastmod,
                                                       self.rules.date_order, self.rules.url_date_pattern,
                                                       candidate.sitemap_days)
        if candidate.state == "pruned" and place in ("before", "after"):
            return
        if candidate.pruned_by:  # newer evidence overrules an earlier pruning
            self.stats.inc_value(f"akhbar/pruned/article/{candidate.pruned_by}", -1)
            candidate.pruned_by = None
        self.deferred.pop(candidate.key, None)
        if place in ("before", "after"):
            candidate.state, candidate.pruned_by = "pruned", evidence
            self.stats.inc_value(f"akhbar/pruned/article/{evidence}")
        elif place == "unknown":
            candidate.state = "deferred"
            self.deferred[candidate.key] = candidate
        else:
            candidate.state = "check"
        self.stats.set_value("akhbar/plan/deferred", len(self.deferred))

    async def _check(self, candidates: list[Candidate]) -> None:
        if not candidates:
            return
        seen = await self.store.last_seen([c.key for c in candidates]) if self.store and self.skip else {}
        for candidate in candidates:
            candidate.stored = candidate.key in seen if self.store else None
            last_seen = seen.get(candidate.key)
            if candidate.stored and self.skip and (self.skip.seen_since is None or
                                                   (last_seen is not None and last_seen >= self.skip.seen_since)):
                candidate.state = "skipped"
                self.stats.inc_value(self.skip.stat)
            else:
                candidate.state = "fetch"
                self.stats.inc_value("akhbar/plan/scheduled")
