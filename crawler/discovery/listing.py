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


def _item(anchor: etree._Element, url: str, anchors: dict[etree._Element, str]) -> etree._Element:
    """The largest ancestor of the anchor that links to no other article: the listing item."""
    item = anchor
    parent = item.getparent()
    while parent is not None and all(anchors.get(a, url) == url for a in parent.iter("a")):
        item, parent = parent, parent.getparent()
    return item


def _text_outside_links(item: etree._Element) -> str:
    """The item's text without link texts, so a number in a headline is never read as its date."""
    in_links = {el for anchor in item.iter("a") for el in anchor.iter()}
    parts = []
    for el in item.iter():
        if el not in in_links and isinstance(el.tag, str) and el.text:
            parts.append(el.text)
        if el is not item and el.tail and el.getparent() not in in_links:
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
    entries: dict[str, Entry] = {}
    for anchor, url in anchors.items():
        if url in entries and entries[url].published:
            continue
        published = item_date(_item(anchor, url, anchors), rules, now)
        entries[url] = Entry(url, published=published)
    return list(entries.values())


def next_page_links(root: etree._Element, page_url: str, home: str) -> list[str]:
    """The listing's 'next page' links (same site, not article-shaped)."""
    found: list[str] = []
    for anchor in root.iter("a"):
        url = _join(page_url, anchor.get("href"))
        text = " ".join("".join(anchor.itertext()).split())
        if url and same_site(url, home) and not looks_like_article(url) and url not in found \
                and is_next_page_link(text, anchor.get("rel")):
            found.append(url)
    return found


def feed_links(root: etree._Element, page_url: str) -> list[str]:
    """The RSS/Atom feeds a page announces with <link rel="alternate" type=…>."""
    links = (_join(page_url, link.get("href")) for link in root.iter("link")
             if (link.get("rel") or "").lower() == "alternate" and (link.get("type") or "").lower() in FEED_TYPES)
    return list(dict.fromkeys(url for url in links if url))
