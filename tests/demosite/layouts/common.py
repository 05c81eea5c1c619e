"""Base class and helpers shared by the three outlet layouts."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import ClassVar

from ..model import ArticleSpec, Outlet
from ..vocab import COMMENT_POOL, TOPICS, Topic

PER_PAGE = 20


class Layout(ABC):
    """Renders one outlet's HTML pages; `route` maps a path + query to a page body or None (404)."""

    feed_path: ClassVar[str]
    tagline: ClassVar[str]
    # Fixed strings that appear on every article page outside the article body (nav, sidebar, footer, comments).
    PHRASES: ClassVar[tuple[str, ...]]

    def __init__(self, outlet: Outlet, specs: Sequence[ArticleSpec]) -> None:
        self.outlet = outlet
        self.specs = tuple(specs)
        self.year = self.specs[0].published.year if self.specs else 2026
        recent = self.specs[:30]
        self.most_read = sorted(recent, key=lambda s: (-s.views, s.id))[:5]
        self.sections: dict[str, list[ArticleSpec]] = {t.key: [] for t in TOPICS}
        self.tags: dict[str, list[ArticleSpec]] = {}
        self.tag_names: dict[str, str] = {}
        for spec in self.specs:
            self.sections[spec.section].append(spec)
            for label, slug in spec.text.tags:
                self.tags.setdefault(slug, []).append(spec)
                self.tag_names[slug] = label
        self.by_path = {spec.path: spec for spec in self.specs}
        self.page_count = max(1, -(-len(self.specs) // PER_PAGE))

    def url(self, path: str) -> str:
        """Absolute URL of a site path."""
        return self.outlet.base_url.rstrip("/") + path

    def listing(self, page: int) -> list[ArticleSpec] | None:
        """Articles on listing page `page` (1-based, newest first), or None when out of range."""
        if not 1 <= page <= self.page_count:
            return None
        return list(self.specs[(page - 1) * PER_PAGE: page * PER_PAGE])

    def related(self, spec: ArticleSpec, n: int = 3) -> list[ArticleSpec]:
        """Other articles of the same section published on a different local day."""
        same = [s for s in self.sections[spec.section] if s.published.date() != spec.published.date()]
        same.sort(key=lambda s: (abs((s.published - spec.published).total_seconds()), s.id))
        return same[:n]

    @abstractmethod
    def route(self, path: str, query: dict[str, str]) -> str | None:
        """HTML for a layout-specific path (home, listings, article, sections, ...), or None."""

    @abstractmethod
    def not_found(self) -> str:
        """HTML of the 404 page."""


def topic(key: str) -> Topic:
    """Topic by ascii key."""
    return next(t for t in TOPICS if t.key == key)


def int_arg(value: str | None) -> int | None:
    """Parse a positive integer query value, None when absent or malformed."""
    if value is None or not value.isdigit() or value.startswith("0"):
        return None
    return int(value)


def comment_entries(spec: ArticleSpec) -> list[tuple[str, str, datetime]]:
    """Reader comments shown under an article: (name, text, posted time)."""
    return [(*COMMENT_POOL[i], spec.published + timedelta(minutes=41 * (n + 1) + i))
            for n, i in enumerate(spec.comment_ids)]


def excerpt(spec: ArticleSpec, words: int = 22) -> str:
    """The first `words` words of the body followed by an ellipsis marker."""
    return " ".join(spec.paragraphs[0].split()[:words]) + " […]"
