"""The publication date of a page, from the most to the least trustworthy source."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from htmldate import find_date
from lxml import html as lxml_html

from crawler.items import SiteRules
from pipelines.body import MIN_PARAGRAPH
from pipelines.dates import find_dates, parse_date, to_utc
from pipelines.structured import MODIFIED_META, PUBLISHED_META, jsonld_articles, meta_content

EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|$|-)")
HEADER_TEXT_LIMIT = 600


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
    h1s = tree.xpath("//h1")
    if not h1s:
        return []
    parts: list[str] = []
    size = 0
    for text in h1s[0].xpath("following::text()[not(ancestor::script) and not(ancestor::style)]"):
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


def _from_string(value: str | None, rules: SiteRules) -> tuple[datetime, str] | None:
    if not value:
        return None
    parsed = parse_date(value, tz=rules.timezone, date_order=rules.date_order)
    if parsed is None:
        return None
    return parsed.utc, parsed.local.isoformat()


def find_published(tree: lxml_html.HtmlElement, html: str, url: str, rules: SiteRules, hints: dict,
                   fetched_at: datetime) -> PublishedDate:
    """Walk the sources in order of trust: jsonld, meta, visible_text, url, sitemap, htmldate."""
    modified = None
    candidates: list[tuple[str, tuple[datetime, str] | None]] = []
    for obj in jsonld_articles(tree):
        candidates.append(("jsonld", _from_string(obj.get("datePublished"), rules)))
        modified = modified or to_utc(obj.get("dateModified") or "", tz=rules.timezone)
    candidates.append(("meta", _from_string(meta_content(tree, PUBLISHED_META), rules)))
    modified = modified or to_utc(meta_content(tree, MODIFIED_META) or "", tz=rules.timezone)
    for source, found in candidates:
        if found and _plausible(found[0], fetched_at):
            return PublishedDate(found[0], found[1], source, modified)

    visible = _visible(tree, rules, fetched_at)
    if visible:
        return PublishedDate(*visible[0], "visible_text", modified or visible[1])
    for source, found in (("url", _url_date(url, rules)),
                          ("sitemap", _from_string(hints.get("published") or hints.get("lastmod"), rules))):
        if found and _plausible(found[0], fetched_at):
            return PublishedDate(found[0], found[1], source, modified)
    for extensive in (False, True):
        found = _from_string(find_date(html, url=url, extensive_search=extensive, original_date=True,
                                       outputformat="%Y-%m-%d"), rules)
        if found and _plausible(found[0], fetched_at):
            return PublishedDate(found[0], found[1], "htmldate", modified)
    return PublishedDate(modified_at=modified)


def _visible(tree: lxml_html.HtmlElement, rules: SiteRules, fetched_at: datetime):
    matches = [m for m in find_dates(header_text(tree), tz=rules.timezone, date_order=rules.date_order,
                                     now=fetched_at) if _plausible(m.parsed.utc, fetched_at)]
    published = [m for m in matches if m.role == "published"] or [m for m in matches if m.role == "unknown"]
    if not published:
        return None
    modified = next((m.parsed.utc for m in matches if m.role == "modified"), None)
    chosen = published[0].parsed
    return (chosen.utc, chosen.local.isoformat()), modified


def _url_date(url: str, rules: SiteRules) -> tuple[datetime, str] | None:
    match = _URL_DATE.search(url)
    if not match:
        return None
    return _from_string("-".join(match.groups()), rules)
