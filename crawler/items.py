"""Items that flow through the crawl: a fetched page in, an article out, and an article's identity."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from w3lib.url import canonicalize_url


@dataclass
class SiteRules:
    """What extraction must know about one outlet: its name, clock, date order and own staff names."""

    site: str
    timezone: str = "UTC"
    date_order: str = "unknown"  # DMY, MDY, YMD; unknown never resolves an ambiguous 3/7/2026
    staff_names: tuple[str, ...] = ()
    url_date_pattern: str | None = None  # regex with named groups y, m, d when dates in URLs are unusual


@dataclass
class FetchedPage:
    """A downloaded article page, as a spider yields it: raw bytes plus what discovery learned."""

    url: str
    final_url: str
    site: str
    body: bytes = field(repr=False)  # up to DOWNLOAD_MAXSIZE: never in a log line
    encoding: str | None
    headers: dict[str, str]
    fetched_at: datetime
    rules: SiteRules
    hints: dict[str, Any] = field(default_factory=dict)  # sitemap lastmod, news:publication_date, listing date


@dataclass
class Article:
    """One stored news article; field meanings: docs/schema.md."""

    url: str
    url_hash: str
    canonical_url: str | None
    site: str
    title: str | None
    body: str
    author: str | None
    published_at: datetime | None
    published_local: str | None
    published_at_source: str | None
    modified_at: datetime | None
    views: int | None
    comments: int | None
    shares: int | None
    agencies: list[str]
    agency_is_staff: bool
    dateline_place: str | None
    language: str | None
    lead_image: str | None
    tags: list[str]
    category: str | None
    fetched_at: datetime
    title_folded: str = ""
    body_folded: str = ""
    tokens: list[str] = field(default_factory=list)
    story_id: str | None = None
    duplicate_of: str | None = None
    story_similarity: float | None = None


def content_type(headers: Mapping[str, str]) -> str | None:
    """The Content-Type header of a page's headers, whatever the case of its name; None when there is none."""
    return next((v for k, v in headers.items() if k.lower() == "content-type"), None)


def canonical_url(url: str) -> str:
    """The canonical form of a URL (w3lib), used for identity."""
    return canonicalize_url(url, keep_fragments=False)


def url_hash(url: str) -> str:
    """Stable identity of an article: SHA-1 of its canonical URL."""
    return hashlib.sha1(canonical_url(url).encode("utf-8")).hexdigest()
