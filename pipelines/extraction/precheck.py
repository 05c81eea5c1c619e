"""Checks around extraction: pages refused before any parsing (empty, not HTML by type or by their first bytes, too
large to extract in bounded time) and, after it, a publication date the page claims that cannot be true."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from lxml import etree
from lxml import html as lxml_html

from crawler.items import FetchedPage, content_type
from pipelines.extraction.dates.parse import parse_date
from pipelines.extraction.decode import decode_html
from pipelines.extraction.published import EARLIEST
from pipelines.extraction.structured import PUBLISHED_META, jsonld_articles, meta_content

_YEAR = re.compile(r"(?<!\d)\d{4,5}(?!\d)")  # a year as dates write it, 0000 to 99999
_SHOWN_CHARS = 100  # of a stated date, in the crawl error's message

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"), (b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"), (b"\xff\xd8\xff", "a JPEG image"), (b"PK\x03\x04", "a ZIP archive (or office file)"),
    (b"\x1f\x8b", "gzip data"), (b"BZh", "bzip2 data"), (b"\xfd7zXZ\x00", "xz data"), (b"RIFF", "a RIFF file"),
    (b"OggS", "an Ogg file"), (b"ID3", "an MP3 file"), (b"\xd0\xcf\x11\xe0", "an office document"),
    (b"wOFF", "a font"), (b"wOF2", "a font"), (b"\x7fELF", "an executable"), (b"\x00asm", "WebAssembly"),
)


def media_type(headers: dict[str, str]) -> str | None:
    """The Content-Type's media type, lower-cased, without parameters; None when there is none."""
    media = (content_type(headers) or "").split(";", 1)[0].strip().lower()
    return media or None


def refusal(page: FetchedPage, max_bytes: int, max_tags: int) -> tuple[str, str] | None:
    """Why a fetched page is not handed to extraction, as (kind, message); None when it is. Elements are counted as
    the opening tags (`<` not followed by `/`): parsing and extracting cost CPU and memory by the element (a 1.9 MB
    page of 210,000 took an extraction worker 360 MB and minutes)."""
    if not page.body.strip():
        return "no_article", "empty body"
    media = media_type(page.headers)
    if media is not None and media not in HTML_TYPES:
        return "no_article", f"not an HTML page: served as {media}"
    head = page.body[:32].lstrip()
    for magic, what in MAGIC:
        if head.startswith(magic):
            return "no_article", f"not an HTML page: {what} served as {media or 'no Content-Type'}"
    if len(page.body) > max_bytes:
        return "too_large", f"{len(page.body)} bytes of HTML, over the extraction limit EXTRACT_MAX_BYTES ({max_bytes})"
    elements = page.body.count(b"<") - page.body.count(b"</") if max_tags else 0  # 0: no limit
    if elements > max_tags:
        return "too_large", f"{elements} elements, over the extraction limit EXTRACT_MAX_TAGS ({max_tags})"
    return None


def implausible_date(page: FetchedPage) -> str | None:
    """The publication date a page states in its metadata when it cannot be one (before 1990, after the page was
    fetched, or in a year no datetime holds such as 0000 or 9999), as a message naming the date as the page states it;
    None when there is none. Extraction already ignores such dates: this records them."""
    try:
        _, html = decode_html(page.body, content_type(page.headers))
        tree = lxml_html.fromstring(html)
    except (ValueError, etree.LxmlError):
        return None
    stated = [("jsonld", obj.get("datePublished")) for obj in jsonld_articles(tree)]
    stated += [("meta", meta_content(tree, PUBLISHED_META))]
    stated += [("time", str(v)) for v in tree.xpath("//time/@datetime")[:3]]
    latest = page.fetched_at + timedelta(days=1)
    for source, value in stated:
        if not isinstance(value, str) or not value.strip():
            continue
        found = _parse(value, page)
        year = found.year if found else _unreadable_year(value, page)
        if year is None or (found and EARLIEST <= found <= latest):
            continue
        when = f"before {EARLIEST.year}" if year < EARLIEST.year else "after the page was fetched"
        shown = value if len(value) <= _SHOWN_CHARS else value[:_SHOWN_CHARS] + "…"
        return f"{source} date {shown!r} is {when}: stored without a publication date"
    return None


def _parse(value: str, page: FetchedPage) -> datetime | None:
    try:
        parsed = parse_date(value[:100], tz=page.rules.timezone, date_order=page.rules.date_order)
    except Exception:  # a date parser failure must not cost the article
        return None
    return parsed.utc if parsed else None


def _unreadable_year(value: str, page: FetchedPage) -> int | None:
    """The year of a stated date that reads as a date only with another year: one no datetime holds or that the
    parser refuses (0000, 9999, 12026); None when the value is no date whatever its year."""
    for match in _YEAR.finditer(value[:100]):
        year = int(match.group())
        if EARLIEST.year <= year <= page.fetched_at.year:
            continue
        if _parse(f"{value[:match.start()]}{EARLIEST.year}{value[match.end():]}", page):
            return year
    return None
