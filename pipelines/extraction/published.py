"""The publication date of a page, from the most to the least trustworthy source.

The order of the sources and the rules applied on the way are described in docs/architecture.md («The publication
date»). In short: structured data (JSON-LD, then meta tags naming the publication date), the dates shown under the
title, dates in elements marked as dates (<time>, itemprop, a «date» class or id), generic date meta tags, the URL,
the discovery hints, a date labelled as the publication date anywhere on the page, htmldate's fast search, any short
date line on the page; a relative date («منذ 3 ساعات», «today») only when none of these gives an absolute date.
Then the date chosen is checked against the others: the source the visible dates confirm wins when sources
disagree, a URL minted before a later date wins (the article was re-published), and a structured instant is shown
as the page shows it (its local clock).

Every source is read only when the ones before it gave nothing (or a check needs it): most pages stop at JSON-LD.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from copy import deepcopy
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from functools import cached_property

from htmldate import find_date
from lxml import etree
from lxml import html as lxml_html

from crawler.items import SiteRules
from pipelines.extraction.body import MIN_PARAGRAPH, title_heading
from pipelines.extraction.dates.types import ParsedDate
from pipelines.extraction.dates.url import url_date
from pipelines.extraction.local_clock import as_shown, local_text, mislabelled_utc
from pipelines.extraction.marked_dates import marked_dates, named_dates
from pipelines.extraction.page_dates import DateReading, ShownDates, header_dates, scan_date_lines
from pipelines.extraction.structured import (
    GENERIC_DATE_META,
    MODIFIED_META,
    PUBLICATION_META,
    jsonld_articles,
    meta_content,
    meta_map,
)

EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)  # the earliest plausible publication date (precheck reports earlier ones)
HEADER_TEXT_LIMIT = 600
REPUBLISHED_AFTER = timedelta(days=1)  # a structured date this much later than the URL's day is a re-publication


@dataclass(frozen=True)
class PublishedDate:
    """The chosen publication date, as UTC and as the page shows it, with where it came from."""

    published_at: datetime | None = None
    published_local: str | None = None
    source: str | None = None
    modified_at: datetime | None = None


def _texts(element: lxml_html.HtmlElement) -> Iterator[str]:
    """The text nodes of element and its tail, in page order; none inside scripts, styles and comments."""
    if isinstance(element.tag, str) and element.tag not in ("script", "style"):
        if element.text:
            yield element.text
        for child in element:
            yield from _texts(child)
    if element.tail:
        yield element.tail


def _following_texts(element: lxml_html.HtmlElement) -> Iterator[str]:
    """The text nodes after element (XPath's following::text(), outside scripts and styles), lazily: callers read
    only the first few."""
    node: lxml_html.HtmlElement | None = element
    while node is not None:
        if node.tail:
            yield node.tail
        for sibling in node.itersiblings():
            yield from _texts(sibling)
        node = node.getparent()


def header_texts(tree: lxml_html.HtmlElement, h1: lxml_html.HtmlElement | None = None) -> list[str]:
    """Short visible texts right after the first <h1> (h1, when the caller has it), up to where the body paragraphs
    start."""
    h1 = title_heading(tree) if h1 is None else h1
    if h1 is None:
        return []
    parts: list[str] = []
    size = 0
    for text in _following_texts(h1):
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


def htmldate_guess(tree: lxml_html.HtmlElement, url: str) -> str | None:
    """htmldate's fast guess for an already parsed page (a tree, so it never downloads anything); None on failure.

    Its extensive search (every text of the page) is never run: slow, and often wrong on Arabic pages.
    """
    try:
        return find_date(deepcopy(tree), url=url, extensive_search=False, original_date=True,
                         outputformat="%Y-%m-%d")
    except (ValueError, TypeError, etree.LxmlError):  # htmldate's cleaning chokes on some control characters
        return None


class _Page:
    """The date sources of one page, each read when first asked for (most pages need only the first ones)."""

    def __init__(self, tree: lxml_html.HtmlElement, url: str, rules: SiteRules, fetched_at: datetime) -> None:
        self.tree, self.url, self.rules = tree, url, rules
        self.reading = DateReading(rules, fetched_at, EARLIEST)
        self.metas = meta_map(tree)
        self.objects = jsonld_articles(tree)
        self.h1 = title_heading(tree)

    def parse(self, value: object) -> ParsedDate | None:
        return self.reading.parse(value)

    def usable(self, parsed: ParsedDate | None) -> bool:
        return parsed is not None and not parsed.relative and self.reading.plausible(parsed.utc)

    @cached_property
    def jsonld(self) -> list[ParsedDate | None]:
        return [self.parse(obj.get("datePublished")) for obj in self.objects]

    @cached_property
    def meta(self) -> ParsedDate | None:
        return self.parse(meta_content(self.tree, PUBLICATION_META, self.metas))

    @cached_property
    def generic_meta(self) -> ParsedDate | None:
        return self.parse(meta_content(self.tree, GENERIC_DATE_META, self.metas))

    @cached_property
    def meta_dates(self) -> list[ParsedDate | None]:
        """Every date meta tag, not only the first: other forms of the same moment."""
        return [self.parse(self.metas[name.lower()]) for name in (*PUBLICATION_META, *GENERIC_DATE_META)
                if name.lower() in self.metas]

    @cached_property
    def structured_modified(self) -> ParsedDate | None:
        values = (*(obj.get("dateModified") for obj in self.objects), meta_content(self.tree, MODIFIED_META,
                                                                                    self.metas))
        return next((p for p in map(self.parse, values) if self.usable(p)), None)

    @cached_property
    def header(self) -> ShownDates:
        return header_dates(header_texts(self.tree, self.h1) if self.h1 is not None else [], self.reading)

    @cached_property
    def marked(self) -> ShownDates:
        """<time> and microdata only: cheap, and enough as evidence of how the page shows time."""
        return marked_dates(self.tree, self.h1, self.reading)

    @cached_property
    def named(self) -> ShownDates:
        """<time> and microdata, else elements named as dates."""
        return named_dates(self.tree, self.h1, self.reading, self.marked)

    @cached_property
    def scan(self) -> tuple[ParsedDate | None, ParsedDate | None]:
        return scan_date_lines(self.tree, self.h1, self.reading)

    @cached_property
    def day(self) -> date | None:
        return url_date(self.url, self.rules.url_date_pattern)

    def evidence(self) -> Iterator[ParsedDate]:
        """Other forms of the page's dates, the nearest to what a reader sees first."""
        for parsed in (*self.header.shown, *self.jsonld, self.meta, *self.meta_dates):
            if parsed is not None:
                yield parsed
        if self.rules.timezone == "UTC":  # the offset is still unknown: <time> elements may show it
            yield from self.marked.shown

    def shown_day(self) -> date | None:
        """The day the page shows: under the title, else in its first date-marked element, else in its URL."""
        first = self.header.published or self.named.published
        return first.local.date() if first and not first.has_time else self.day


def _confirmed(page: _Page, chosen: ParsedDate, source: str) -> tuple[ParsedDate, str]:
    """When sources disagree, the one the page's visible dates confirm.

    - JSON-LD and the meta tags give different days, and the date shown under the title (or in the first element
      marked as a date) is the meta tags' day: the meta tags;
    - the first date shown under the title is not the generic date meta tag's day, but another date shown there
      is: that one (the first was a masthead's «today» or an event's date);
    - the first date shown under the title is that of an element marked as the modification date (itemprop
      dateModified, class «updated»), and another element is marked as the publication date: that one.
    """
    day = chosen.local.date()
    if source == "jsonld" and page.usable(meta := page.meta) and meta.local.date() != day:
        shown = {p.local.date() for p in (page.header.published, page.marked.published) if p}
        if meta.local.date() in shown and day not in shown:
            return meta, "meta"
    if source == "visible_text" and chosen is page.header.published:
        if page.usable(generic := page.generic_meta) and generic.local.date() != day and \
                generic.local.date() in {p.local.date() for p in page.header.shown}:
            return generic, "meta"
        marked = page.marked
        if marked.modified and marked.published and abs(marked.modified.utc - chosen.utc) < timedelta(minutes=1) \
                and marked.published.local.date() != day:
            return marked.published, source  # the header shows the text of an element marked as the modification
    return chosen, source


def find_published(tree: lxml_html.HtmlElement, url: str, rules: SiteRules, hints: dict,
                   fetched_at: datetime) -> PublishedDate:
    """Walk the sources in order of trust (docs/architecture.md) and take the first plausible absolute date."""
    page = _Page(tree, url, rules, fetched_at)
    steps: list[tuple[str, Callable[[], ParsedDate | None]]] = [
        *(("jsonld", lambda i=i: page.jsonld[i]) for i in range(len(page.objects))),
        ("meta", lambda: page.meta),
        ("visible_text", lambda: page.header.published),
        ("visible_text", lambda: page.named.published),
        ("meta", lambda: page.generic_meta),
        ("url", lambda: page.parse(page.day.isoformat()) if page.day else None),
        ("sitemap", lambda: page.parse(hints.get("published") or hints.get("lastmod"))),
        ("visible_text", lambda: page.scan[0]),
        ("htmldate", lambda: page.parse(htmldate_guess(tree, url))),
        ("visible_text", lambda: page.scan[1]),
    ]
    chosen, source = next(((p, s) for s, read in steps if page.usable(p := read())), (None, None))
    if chosen is None:  # no absolute date anywhere: a relative one, resolved against the fetch time
        relative = (*page.header.relative, *page.named.relative)
        chosen, source = next(((p, "visible_text") for p in relative if page.reading.plausible(p.utc)), (None, None))
    read = page.__dict__.get("named") or page.__dict__.get("marked")  # only if already read: never read for this
    modified = page.structured_modified or page.header.modified or (read.modified if read else None)
    if chosen is None:
        return PublishedDate(modified_at=modified.utc if modified else None)
    chosen, source = _confirmed(page, chosen, source)
    if page.day and source != "url" and chosen.local.date() - page.day > REPUBLISHED_AFTER:
        # the URL was minted at the first publication: a later date is a re-publication or a migration
        chosen, source = page.parse(page.day.isoformat()), "url"
    shown = local_text(chosen)
    if source in ("jsonld", "meta"):
        visible = page.header.published
        if mislabelled_utc(chosen, visible):
            chosen, source, shown = visible, "visible_text", local_text(visible)
            if modified is not None and modified is page.structured_modified and modified.offset_shown and \
                    modified.local.utcoffset() == timedelta(0):  # the same clock, labelled UTC alike
                modified = replace(modified, utc=modified.utc - visible.local.utcoffset())
        else:
            chosen, shown = as_shown(chosen, page.evidence(), page.shown_day, rules)
    return PublishedDate(chosen.utc, shown, source, modified.utc if modified else None)
