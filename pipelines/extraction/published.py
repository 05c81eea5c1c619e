"""The publication date of a page, from the most to the least trustworthy source."""

from __future__ import annotations

import re
from copy import deepcopy
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from htmldate import find_date
from lxml import etree
from lxml import html as lxml_html

from crawler.items import SiteRules
from pipelines.extraction.body import MIN_PARAGRAPH, title_heading
from pipelines.extraction.dates.parse import ParsedDate, find_dates, parse_date, to_utc
from pipelines.extraction.dates.url import url_date
from pipelines.extraction.structured import MODIFIED_META, PUBLISHED_META, jsonld_articles, meta_content

EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
HEADER_TEXT_LIMIT = 600
_UPDATED = re.compile(r"آخر\s+تحديث|تم\s+التحديث|محدث|updated|modified", re.IGNORECASE)
_PUBLISHED = re.compile(r"نشر|published", re.IGNORECASE)


@dataclass(frozen=True)
class PublishedDate:
    """The chosen publication date, as UTC and as the page shows it, with where it came from."""

    published_at: datetime | None = None
    published_local: str | None = None
    source: str | None = None
    modified_at: datetime | None = None


def _plausible(value: datetime | None, fetched_at: datetime) -> bool:
    return value is not None and EARLIEST <= value <= fetched_at + timedelta(days=1)


def header_texts(tree: lxml_html.HtmlElement) -> list[str]:
    """Short visible texts right after the first <h1>, up to where the body paragraphs start."""
    h1 = title_heading(tree)
    if h1 is None:
        return []
    parts: list[str] = []
    size = 0
    for text in h1.xpath("following::text()[not(ancestor::script) and not(ancestor::style)]"):
        text = " ".join(str(text).split())
        if not text:
            continue
        if len(text) >= MIN_PARAGRAPH or size > HEADER_TEXT_LIMIT:  # the body has started
            break
        parts.append(text)
        size += len(text)
    return parts


def header_text(tree: lxml_html.HtmlElement) -> str:
    """The header texts joined: where dates, counters and bylines sit."""
    return " ".join(header_texts(tree))


def local_text(parsed: ParsedDate) -> str:
    """The date as the page shows it: ISO date and time with offset, or the date alone when no time is shown.

    A shown time of 00:00 is a placeholder (aggregators print it for every article), not a time.
    """
    if not parsed.has_time or parsed.local.time() == time(0):
        return parsed.local.date().isoformat()
    return parsed.local.isoformat()


def _parse(value: object, rules: SiteRules) -> ParsedDate | None:
    # structured data is page data: a date may arrive as a number, a list or an object
    return parse_date(value, tz=rules.timezone, date_order=rules.date_order) if isinstance(value, str) else None


def _to_utc(value: object, rules: SiteRules) -> datetime | None:
    return to_utc(value, tz=rules.timezone) if isinstance(value, str) and value else None


def htmldate_guess(tree: lxml_html.HtmlElement, url: str, extensive: bool) -> str | None:
    """htmldate's date for an already parsed page (a tree, so htmldate never downloads anything); None on failure."""
    try:
        return find_date(deepcopy(tree), url=url, extensive_search=extensive, original_date=True,
                         outputformat="%Y-%m-%d")
    except (ValueError, TypeError, etree.LxmlError):  # htmldate's cleaning chokes on some control characters
        return None


def _mislabelled_utc(structured: ParsedDate, shown: ParsedDate | None) -> bool:
    """Structured data saying «09:23Z» while the page shows 09:23 local time: the local clock was labelled UTC."""
    return (shown is not None and shown.has_time and structured.local.utcoffset() == timedelta(0)
            and shown.local.utcoffset() != timedelta(0)
            and structured.local.replace(tzinfo=None, second=0) == shown.local.replace(tzinfo=None, second=0))


def find_published(tree: lxml_html.HtmlElement, url: str, rules: SiteRules, hints: dict,
                   fetched_at: datetime) -> PublishedDate:
    """Walk the sources in order of trust: jsonld, meta, visible_text, url, sitemap, htmldate."""
    modified = None
    candidates: list[tuple[str, ParsedDate | None]] = []
    for obj in jsonld_articles(tree):
        candidates.append(("jsonld", _parse(obj.get("datePublished"), rules)))
        modified = modified or _to_utc(obj.get("dateModified"), rules)
    candidates.append(("meta", _parse(meta_content(tree, PUBLISHED_META), rules)))
    modified = modified or _to_utc(meta_content(tree, MODIFIED_META), rules)
    visible, visible_modified = _visible(tree, rules, fetched_at)
    modified = modified or visible_modified
    candidates.append(("visible_text", visible))
    candidates.append(("url", _url_date(url, rules)))
    candidates.append(("sitemap", _parse(hints.get("published") or hints.get("lastmod"), rules)))
    for source, found in candidates:
        if found and _plausible(found.utc, fetched_at):
            if source in ("jsonld", "meta") and _mislabelled_utc(found, visible):
                found, source = visible, "visible_text"
            return PublishedDate(found.utc, local_text(found), source, modified)
    for extensive in (False, True):
        found = _parse(htmldate_guess(tree, url, extensive), rules)
        if found and _plausible(found.utc, fetched_at):
            return PublishedDate(found.utc, local_text(found), "htmldate", modified)
    return PublishedDate(modified_at=modified)


def _visible(tree: lxml_html.HtmlElement, rules: SiteRules, fetched_at: datetime):
    pieces = header_texts(tree)
    # «الأربعاء، 28 آب 2013، آخر تحديث 14:00»: a date in a piece that speaks of an update dates the update
    update_spans, offset = [], 0
    for piece in pieces:
        if _UPDATED.search(piece) and not _PUBLISHED.search(piece):
            update_spans.append((offset, offset + len(piece)))
        offset += len(piece) + 1
    matches = []
    for match in find_dates(" ".join(pieces), tz=rules.timezone, date_order=rules.date_order, now=fetched_at):
        if _plausible(match.parsed.utc, fetched_at):
            updated = any(start <= match.start < end for start, end in update_spans)
            matches.append(("modified" if updated else match.role, match.parsed))
    published = [p for role, p in matches if role == "published"] or [p for role, p in matches if role == "unknown"]
    modified = next((p.utc for role, p in matches if role == "modified"), None)
    return (published[0] if published else None), modified


def _url_date(url: str, rules: SiteRules) -> ParsedDate | None:
    day = url_date(url, rules.url_date_pattern)
    return _parse(day.isoformat(), rules) if day else None
