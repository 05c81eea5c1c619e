"""Listing pages: the article links they show, each with the date printed beside it."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from urllib.parse import urljoin

from lxml import etree

from crawler.discovery.parsers import Entry, is_next_page_link, looks_like_article, same_site
from crawler.items import SiteRules
from pipelines.extraction.dates.parse import find_dates, parse_date

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json", "application/xml")


def _join(base_url: str, href: str | None) -> str | None:
    if not href or href.startswith(("#", "javascript:", "mailto:")):
        return None
    try:
        return urljoin(base_url, href.strip())
    except ValueError:  # e.g. «http://[», an unbalanced IPv6 host
        return None


def _article_anchors(root: etree._Element, base_url: str, max_links: int | None) -> dict[etree._Element, str]:
    anchors = {}
    for anchor in itertools.islice(root.iter("a"), max_links):
        url = _join(base_url, anchor.get("href"))
        if url and same_site(url, base_url) and looks_like_article(url):
            anchors[anchor] = url
    return anchors


def _one_url_below(anchors: dict[etree._Element, str]) -> dict[etree._Element, str | None]:
    """Per element holding article anchors: the one article URL they link to, or None when they link to several.
    Each element changes at most twice (unset → a URL → None), so the pass is linear in the page."""
    below: dict[etree._Element, str | None] = {}
    for anchor, url in anchors.items():
        el = anchor
        while el is not None:
            if el not in below:
                below[el] = url
            elif below[el] is None or below[el] == url:
                break  # its ancestors already hold this URL or several
            else:
                below[el] = None
            el = el.getparent()
    return below


class _Items:
    """The listing item of each anchor: its largest ancestor that links to no other article."""

    def __init__(self, anchors: dict[etree._Element, str]) -> None:
        self.below = _one_url_below(anchors)
        self.tops: dict[etree._Element, etree._Element] = {}  # element linking to one URL → its item

    def of(self, anchor: etree._Element, url: str) -> etree._Element:
        """The item around the anchor (remembered along the way, so every element is climbed once)."""
        item, climbed = anchor, []
        parent = anchor.getparent()
        while parent is not None and self.below.get(parent) == url:
            if parent in self.tops:
                item = self.tops[parent]
                break
            climbed.append(parent)
            item, parent = parent, parent.getparent()
        self.tops.update(dict.fromkeys(climbed, item))
        return item


def _text_outside_links(item: etree._Element) -> str:
    """The item's text without link texts, so a number in a headline is never read as its date."""
    in_links: set[etree._Element] = set()  # anchors of the item and what they hold; parents come before children
    parts = []
    for el in item.iter():
        parent = el.getparent() if el is not item else None
        if el.tag == "a" or parent in in_links:
            in_links.add(el)
        if el not in in_links and isinstance(el.tag, str) and el.text:
            parts.append(el.text)
        if el is not item and el.tail and parent not in in_links:
            parts.append(el.tail)
    return " ".join(" ".join(parts).split())


def item_date(item: etree._Element, rules: SiteRules, now: datetime) -> str | None:
    """The date a listing item shows (its <time datetime>, else a date in its text), as ISO-8601 with offset."""
    for value in item.xpath(".//time/@datetime"):
        parsed = parse_date(str(value), tz=rules.timezone, date_order=rules.date_order)
        if parsed:
            return parsed.local.isoformat()
    text = _text_outside_links(item)
    matches = [m for m in find_dates(text, tz=rules.timezone, date_order=rules.date_order, now=now)
               if m.role != "modified"]
    return matches[0].parsed.local.isoformat() if matches else None


def dated_links(root: etree._Element, base_url: str, rules: SiteRules, now: datetime | None = None,
                max_links: int | None = None) -> list[Entry]:
    """Same-site article links of a listing page in page order (among its first max_links links), with the date shown
    in each item when there is one."""
    now = now or datetime.now(UTC)
    anchors = _article_anchors(root, base_url, max_links)
    items = _Items(anchors)
    entries: dict[str, Entry] = {}
    read: set[etree._Element] = set()  # items whose date was looked for: many anchors can share one
    for anchor, url in anchors.items():
        if url in entries and entries[url].published:
            continue
        item = items.of(anchor, url)
        if item not in read:
            read.add(item)
            entries[url] = Entry(url, published=item_date(item, rules, now))
    return list(entries.values())


def next_page_links(root: etree._Element, page_url: str, home: str, max_links: int | None = None,
                    limit: int | None = None) -> list[str]:
    """The listing's 'next page' links (same site, not article-shaped): the first `limit` among its first max_links
    links."""
    found: dict[str, None] = {}
    for anchor in itertools.islice(root.iter("a"), max_links):
        if len(found) == limit:
            break
        if not is_next_page_link(" ".join("".join(anchor.itertext()).split()), anchor.get("rel")):
            continue
        url = _join(page_url, anchor.get("href"))
        if url and same_site(url, home) and not looks_like_article(url):
            found[url] = None
    return list(found)


def feed_links(root: etree._Element, page_url: str, home: str, limit: int | None = None) -> list[str]:
    """The first `limit` same-site RSS/Atom feeds a page announces with <link rel="alternate" type=…>."""
    found: dict[str, None] = {}
    for link in root.iter("link"):
        if len(found) == limit:
            break
        if (link.get("rel") or "").lower() == "alternate" and (link.get("type") or "").lower() in FEED_TYPES:
            url = _join(page_url, link.get("href"))
            if url and same_site(url, home):
                found[url] = None
    return list(found)
