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

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from copy import deepcopy
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, timezone
from functools import cached_property
from zoneinfo import ZoneInfo

from htmldate import find_date
from lxml import etree
from lxml import html as lxml_html

from crawler.items import SiteRules
from pipelines.extraction.body import MIN_PARAGRAPH, title_heading
from pipelines.extraction.dates.parse import ParsedDate, find_dates, parse_date
from pipelines.extraction.dates.url import url_date
from pipelines.extraction.structured import (
    GENERIC_DATE_META,
    MODIFIED_META,
    PUBLICATION_META,
    jsonld_articles,
    meta_content,
    meta_map,
)

EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
HEADER_TEXT_LIMIT = 600
MARKED_LIMIT = 40  # date-marked elements read at most, in page order
MARKED_TEXT_LIMIT = 160  # a marked element's text is read this far
SCAN_TEXT_LIMIT = 80  # the last resort reads texts this short only: a date line, not a sentence mentioning a date
SCAN_NODES = 4000  # and at most this many text nodes
DATELINE_LIMIT = 32  # a longer text after the title is read only this far: a dateline opening a paragraph
REPUBLISHED_AFTER = timedelta(days=1)  # a structured date this much later than the URL's day is a re-publication
_UPDATED = re.compile(r"آخر\s+تحديث|تم\s+التحديث|محدث|updated|modified|aktualisiert|mis\s+à\s+jour|actualizado|"
                      r"aggiornato|atualizado|bijgewerkt|geändert", re.IGNORECASE)
_PUBLISHED = re.compile(r"نشر|published|posted|written|veröffentlicht|erschienen|geschrieben|verfasst|publié|publicado|"
                        r"pubblicato|gepubliceerd",
                        re.IGNORECASE)
# Elements marked as holding a date: <time> and microdata first; then elements whose class or id says «date».
# Separate queries, not one union: sorting a union into page order costs more than the queries.
_TIMES = etree.XPath("//time")
_ITEMPROPS = etree.XPath("//@itemprop")
_MARKED_PROPS = frozenset({"datePublished", "dateCreated", "dateModified"})
_CLASSES, _IDS = etree.XPath("//@class"), etree.XPath("//@id")
_CUE = re.compile(r"date|datum|fecha|publish|posted|byline|time|meta", re.IGNORECASE)
_PUBLISHED_MARK = re.compile(r"publish|datecreated|post-?date|entry-date", re.IGNORECASE)
_MODIFIED_MARK = re.compile(r"updated|modified|datemodified|update-?date|changed", re.IGNORECASE)
_CUE_TAGS = frozenset({"span", "div", "p", "small", "li", "dd", "td", "em", "strong", "b", "i", "a", "abbr", "h2",
                       "h3", "h4", "h5", "h6", "header", "footer", "section", "time"})
# Containers whose dates belong to other articles or to readers: related lists, sidebars, teasers, comments.
_ELSEWHERE = re.compile(r"(?<![a-z])nav|masthead|comment|related|sidebar|widget|teaser|recommend|popular|most-?read|"
                        r"trending|latest|more-?news|similar|breadcrumb|newsletter|promo|menu|share|next|prev|archive|"
                        r"(?:page|site|global|main)-?footer|calendar|event|ticker|marquee|slider|carousel",
                        re.IGNORECASE)
_ELSEWHERE_TAGS = frozenset({"aside", "nav", "select"})  # not form: ASP.NET pages wrap the whole page in one
_PAGE_TAGS = frozenset({"article", "main", "body", "html"})  # their classes name the article's categories and tags
_SCAN_SKIPPED = frozenset({"script", "style", "nav", "aside", "select", "option", "noscript", "template",
                           "button", "label", "textarea"})
_DIGIT_RUN = re.compile(r"\d{2}")
_SCAN_LABEL = re.compile(r"(?:datum|date|fecha|data|التاريخ|تاريخ النشر|published|veröffentlicht|erstellt)\s*:?",
                         re.IGNORECASE)


@dataclass(frozen=True)
class PublishedDate:
    """The chosen publication date, as UTC and as the page shows it, with where it came from."""

    published_at: datetime | None = None
    published_local: str | None = None
    source: str | None = None
    modified_at: datetime | None = None


@dataclass
class _Read:
    """What one place on the page says: its publication date, its modification date, every date it shows."""

    published: ParsedDate | None = None
    modified: ParsedDate | None = None
    relative: list[ParsedDate] = field(default_factory=list)  # «منذ 3 ساعات»: the last resort
    shown: list[ParsedDate] = field(default_factory=list)  # absolute dates, the evidence of how the page shows time


def _plausible(value: datetime | None, fetched_at: datetime) -> bool:
    return value is not None and EARLIEST <= value <= fetched_at + timedelta(days=1)


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


def local_text(parsed: ParsedDate) -> str:
    """The date as the page shows it: ISO date and time with offset, or the date alone when no time is shown.

    A shown time of 00:00 is a placeholder (aggregators print it for every article), not a time.
    """
    if not parsed.has_time or parsed.local.time() == time(0):
        return parsed.local.date().isoformat()
    return parsed.local.isoformat()


def _parse(value: object, rules: SiteRules) -> ParsedDate | None:
    # structured data is page data: a date may arrive as a number, a list or an object
    if not isinstance(value, str) or not value.strip():
        return None
    return parse_date(value[:200], tz=rules.timezone, date_order=rules.date_order)


def htmldate_guess(tree: lxml_html.HtmlElement, url: str) -> str | None:
    """htmldate's fast guess for an already parsed page (a tree, so it never downloads anything); None on failure.

    Its extensive search (every text of the page) is never run: slow, and often wrong on Arabic pages.
    """
    try:
        return find_date(deepcopy(tree), url=url, extensive_search=False, original_date=True,
                         outputformat="%Y-%m-%d")
    except (ValueError, TypeError, etree.LxmlError):  # htmldate's cleaning chokes on some control characters
        return None


def _mislabelled_utc(structured: ParsedDate, shown: ParsedDate | None) -> bool:
    """Structured data saying «09:23Z» while the page shows 09:23 local time: the local clock was labelled UTC."""
    return (shown is not None and shown.has_time and structured.local.utcoffset() == timedelta(0)
            and shown.local.utcoffset() != timedelta(0)
            and structured.local.replace(tzinfo=None, second=0) == shown.local.replace(tzinfo=None, second=0))


def _read_text(text: str, rules: SiteRules, fetched_at: datetime, update_spans: list[tuple[int, int]],
               read: _Read) -> None:
    """Adds the dates of one visible text to read: the first published (else unknown-role) date, the first
    modified one, relative dates apart."""
    unknown = None
    for match in find_dates(text, tz=rules.timezone, date_order=rules.date_order, now=fetched_at):
        parsed = match.parsed
        if not _plausible(parsed.utc, fetched_at):
            continue
        updated = match.role == "modified" or (match.role != "published" and any(
            start <= match.start < end for start, end in update_spans))
        if parsed.relative:
            if not updated:
                read.relative.append(parsed)
            continue
        read.shown.append(parsed)
        if updated:
            read.modified = read.modified or parsed
        elif match.role == "published":
            read.published = read.published or parsed
        else:
            unknown = unknown or parsed
    read.published = read.published or unknown


def _header(tree: lxml_html.HtmlElement, h1: lxml_html.HtmlElement | None, rules: SiteRules,
            fetched_at: datetime) -> _Read:
    """The dates shown between the title (h1) and the body."""
    pieces = header_texts(tree, h1) if h1 is not None else []
    # «الأربعاء، 28 آب 2013، آخر تحديث 14:00»: a date in a piece that speaks of an update dates the update
    update_spans, offset = [], 0
    for piece in pieces:
        if _UPDATED.search(piece) and not _PUBLISHED.search(piece):
            update_spans.append((offset, offset + len(piece)))
        offset += len(piece) + 1
    read = _Read()
    _read_text(" ".join(pieces), rules, fetched_at, update_spans, read)
    return read


def _elsewhere(element: lxml_html.HtmlElement, verdicts: dict[lxml_html.HtmlElement, bool]) -> bool:
    """Inside a related list, a sidebar, a teaser, the comments or the page footer: another article's date.
    verdicts: each container's own verdict, by its class and id (elements share their ancestors)."""
    aside = False
    for node in element.iterancestors():
        if node.tag == "article" and aside:
            return False  # an <aside> of the article itself: its byline, date and sharing box
        if node.tag in _ELSEWHERE_TAGS:
            if node.tag != "aside":
                return True
            aside = True
        if node.tag in _PAGE_TAGS:
            continue
        if (verdict := verdicts.get(node)) is None:
            names = f"{node.get('class') or ''} {node.get('id') or ''}"
            # an article's own footer (class) holds its date; the page's (id) holds «today»
            verdict = verdicts[node] = bool((names.strip() and _ELSEWHERE.search(names))
                                            or "footer" in (node.get("id") or "").lower())
        if verdict:
            return True
    return aside


def _named(values: list[str]) -> list[lxml_html.HtmlElement]:
    """The elements of attribute values (class or id) that name a date («date», «datum», «published», «byline» …)."""
    joined = "\n".join(values)  # one regex pass over all the names, not one per name
    names = set()
    for match in _CUE.finditer(joined):
        start, end = joined.rfind("\n", 0, match.start()) + 1, joined.find("\n", match.end())
        names.add(joined[start:end if end >= 0 else len(joined)])
    return [value.getparent() for value in values if value in names] if names else []


def _page_order(element: lxml_html.HtmlElement) -> list[int]:
    """A key that sorts elements into page order: the child index at each level from the root."""
    key = []
    while (parent := element.getparent()) is not None:
        key.append(parent.index(element))
        element = parent
    return key[::-1]


def _around_title(found: list[lxml_html.HtmlElement], h1: lxml_html.HtmlElement | None) -> list[lxml_html.HtmlElement]:
    """found in page order, those after the title first, then those before it (nearest first).

    Sorted by source line, and by position in the tree only among elements sharing a line (one-line pages): the
    tree position costs a scan of each ancestor's children."""
    unique = list({id(e): e for e in found}.values())
    everyone = unique if h1 is None else [*unique, h1]
    lines = Counter(e.sourceline for e in everyone)

    def key(element: lxml_html.HtmlElement) -> tuple[int, list[int]]:
        line = element.sourceline
        return (line or 0, _page_order(element) if line is None or lines[line] > 1 else [])

    keyed = sorted(((key(e), e) for e in unique), key=lambda pair: pair[0])
    if h1 is None:
        return [e for _, e in keyed]
    title = key(h1)
    return [e for k, e in keyed if k > title] + [e for k, e in reversed(keyed) if k < title]


def _marks(element: lxml_html.HtmlElement) -> str:
    """What an element's markup says its date is: "modified", "published" or ""."""
    names = f"{element.get('itemprop') or ''} {element.get('class') or ''}"
    return "modified" if _MODIFIED_MARK.search(names) else "published" if _PUBLISHED_MARK.search(names) else ""


def _marked_elements(h1: lxml_html.HtmlElement | None,
                     found: list[lxml_html.HtmlElement]) -> Iterator[lxml_html.HtmlElement]:
    """The date-marked elements of found that are not another article's, at most MARKED_LIMIT: those marked as the
    publication date first, then after the title, then before it (nearest first)."""
    count, verdicts = 0, {}
    for element in sorted(_around_title(found, h1), key=lambda e: _marks(e) != "published"):
        if _elsewhere(element, verdicts):
            continue
        yield element
        count += 1
        if count >= MARKED_LIMIT:
            return


def _marked(tree: lxml_html.HtmlElement, h1: lxml_html.HtmlElement | None, rules: SiteRules,
            fetched_at: datetime) -> _Read:
    """The dates of <time> elements and microdata (itemprop datePublished, dateCreated, dateModified): a
    machine-readable attribute first, else the element's short text."""
    read = _Read()
    found = [*_TIMES(tree), *(p.getparent() for p in _ITEMPROPS(tree) if p in _MARKED_PROPS)]
    _read_marked(_marked_elements(h1, [e for e in found if e.tag != "meta"]), rules, fetched_at, read)
    return read


def _named_marked(tree: lxml_html.HtmlElement, h1: lxml_html.HtmlElement | None, rules: SiteRules,
                  fetched_at: datetime, marked: _Read) -> _Read:
    """marked, and when it holds no publication date (only then, as it costs more), the first one of elements whose
    class or id names a date."""
    if marked.published:
        return marked
    read = replace(marked, relative=[*marked.relative], shown=[*marked.shown])
    found = [e for e in (*_named(_CLASSES(tree)), *_named(_IDS(tree))) if e.tag in _CUE_TAGS]
    _read_marked(_marked_elements(h1, found), rules, fetched_at, read, first=True)
    return read


def _read_marked(elements: Iterator[lxml_html.HtmlElement], rules: SiteRules, fetched_at: datetime,
                 read: _Read, first: bool = False) -> None:
    """Adds the dates of elements to read; with first, stops at the first publication date."""
    for element in elements:
        if first and read.published:
            return
        modified = _marks(element) == "modified"
        value = element.get("datetime") or element.get("content") or (
            element.get("title") if element.tag == "abbr" else None)
        if value:
            parsed = _parse(value, rules)
            if parsed and _plausible(parsed.utc, fetched_at) and not parsed.relative:
                read.shown.append(parsed)
                if modified:
                    read.modified = read.modified or parsed
                else:
                    read.published = read.published or parsed
                continue
        text = _text_start(element, MARKED_TEXT_LIMIT)  # a date line opens a marked box
        if not text:
            continue
        spans = [(0, len(text))] if modified or (_UPDATED.search(text) and not _PUBLISHED.search(text)) else []
        _read_text(text, rules, fetched_at, spans, read)


def _text_start(element: lxml_html.HtmlElement, limit: int) -> str:
    """The first limit characters of element's text, spaces collapsed, without reading the rest of a big box."""
    parts, size = [], 0
    for text in element.itertext():
        parts.append(text)
        size += len(text)
        if size > 2 * limit:
            break
    return " ".join(" ".join(parts).split())[:limit]


def _short_texts(element: lxml_html.HtmlElement, marker: lxml_html.HtmlElement | None,
                 seen: list[bool], in_article: bool = False) -> Iterator[tuple[str, bool]]:
    """(text, after the marker) for the texts holding digits under element (their start only), in page order; none
    inside scripts, styles, navigation, asides (but an article's own) or comments."""
    in_article = in_article or element.tag == "article"
    if element is marker:
        seen[0] = True
    if isinstance(element.tag, str) and (element.tag not in _SCAN_SKIPPED or (element.tag == "aside" and in_article)):
        if element.text and _DIGIT_RUN.search(text := element.text[:4 * SCAN_TEXT_LIMIT]):
            yield text, seen[0]
        for child in element:
            yield from _short_texts(child, marker, seen, in_article)
    if element.tail and _DIGIT_RUN.search(text := element.tail[:4 * SCAN_TEXT_LIMIT]):
        # «<h5>Datum:</h5> 03.02.2022»: the element before a text may be its label
        label = element.text if isinstance(element.tag, str) and len(element) == 0 and element.text else ""
        yield (f"{label} {text}" if _SCAN_LABEL.fullmatch(label.strip()) else text), seen[0]


def _scan(tree: lxml_html.HtmlElement, h1: lxml_html.HtmlElement | None, rules: SiteRules,
          fetched_at: datetime) -> tuple[ParsedDate | None, ParsedDate | None]:
    """The last resort: the short texts of the whole page that hold a date, outside navigation and asides, after
    the title first, then before it (nearest first). Returns (the first date labelled as the publication date, the
    first date)."""
    labelled: list[ParsedDate] = []
    first: list[ParsedDate] = []
    before_labelled: list[ParsedDate] = []
    before: list[ParsedDate] = []
    body = tree.find("body")
    for count, (text, after) in enumerate(_short_texts(tree if body is None else body, h1, [h1 is None])):
        if count >= SCAN_NODES or (after and labelled):
            break
        text = " ".join(text.split())
        if len(text) > SCAN_TEXT_LIMIT:  # a paragraph: only a dateline opening it («Karlsruhe, (12.11.2021). …»)
            text = text[:DATELINE_LIMIT] if after else ""
        if not text:
            continue
        for match in find_dates(text, tz=rules.timezone, date_order=rules.date_order, now=fetched_at):
            parsed = match.parsed
            if parsed.relative or not _plausible(parsed.utc, fetched_at) or match.role == "modified" or (
                    _UPDATED.search(text) and not _PUBLISHED.search(text)):
                continue
            (first if after else before).append(parsed)
            label = _SCAN_LABEL.match(text)
            if match.role == "published" or (label and match.start <= label.end() + 1):
                (labelled if after else before_labelled).append(parsed)
            break
    pick = (labelled or before_labelled[-1:] or [None])[0], (first or before[-1:] or [None])[0]
    return pick


def _shift_unknown_zone(instant: ParsedDate, clock: ParsedDate) -> ParsedDate | None:
    """instant (a UTC instant, or a wall clock of unknown zone) and clock (another form of the same moment) → the
    moment with the offset that makes both agree, when they are whole quarter hours apart; else None.

    «2023-11-09T03:28:35Z» and «Nov. 8, 2023, 10:28 p.m. ET» are 03:28:35 UTC, shown at -05:00.
    """
    if (instant.offset_shown and clock.offset_shown) or (not instant.offset_shown and not clock.offset_shown):
        return None
    zoned, naive = (instant, clock) if instant.offset_shown else (clock, instant)
    if not (zoned.has_time and naive.has_time) or zoned.local.utcoffset() != timedelta(0):
        return None
    delta = naive.local.replace(tzinfo=None) - zoned.utc.replace(tzinfo=None)
    quarters = round(delta / timedelta(minutes=15))
    offset = quarters * timedelta(minutes=15)
    if quarters == 0 or abs(offset) > timedelta(hours=14) or abs(delta - offset) >= timedelta(minutes=1):
        return None
    local = zoned.utc.astimezone(timezone(offset))
    return replace(zoned, local=local, offset_shown=True)


def _as_shown(chosen: ParsedDate, evidence: Iterable[ParsedDate], day: Callable[[], date | None],
              rules: SiteRules) -> tuple[ParsedDate, str]:
    """The chosen structured date and its published_local, as the page shows it.

    - an instant the page also shows in its own clock (same minute) is kept, shown as the page shows it;
    - with an unknown site timezone, a UTC instant and a wall clock of the same moment give the offset;
    - with an unknown site timezone, a UTC instant whose day differs from the day the page shows (day()), by no
      more than a timezone can make, is shown as that day;
    - else a UTC instant is shown in the site's timezone.
    """
    utc_labelled = chosen.offset_shown and chosen.local.utcoffset() == timedelta(0)
    unknown_zone = rules.timezone == "UTC" and (not chosen.offset_shown or utc_labelled)
    # a date alone, or an instant in a known offset, is already as the page shows it
    for other in evidence if chosen.has_time and (unknown_zone or utc_labelled) else ():
        if (other.local.replace(tzinfo=None), other.local.utcoffset()) == (
                chosen.local.replace(tzinfo=None), chosen.local.utcoffset()):
            continue  # the chosen date itself (again)
        if (other.has_time and abs(other.utc - chosen.utc) < timedelta(minutes=1)
                and (other.offset_shown or rules.timezone != "UTC")):
            return chosen, local_text(replace(other, utc=chosen.utc))
        if unknown_zone and (shifted := _shift_unknown_zone(chosen, other)):
            return shifted, local_text(shifted)
    if unknown_zone and chosen.has_time and (shown := day()) and shown != chosen.local.date() and \
            (chosen.utc - timedelta(hours=12)).date() <= shown <= (chosen.utc + timedelta(hours=14)).date():
        return chosen, shown.isoformat()
    if utc_labelled and rules.timezone != "UTC":
        chosen = replace(chosen, local=chosen.utc.astimezone(ZoneInfo(rules.timezone)))
    return chosen, local_text(chosen)


class _Page:
    """The date sources of one page, each read when first asked for (most pages need only the first ones)."""

    def __init__(self, tree: lxml_html.HtmlElement, url: str, rules: SiteRules, fetched_at: datetime) -> None:
        self.tree, self.url, self.rules, self.fetched_at = tree, url, rules, fetched_at
        self.metas = meta_map(tree)
        self.objects = jsonld_articles(tree)
        self.h1 = title_heading(tree)

    def parse(self, value: object) -> ParsedDate | None:
        return _parse(value, self.rules)

    def usable(self, parsed: ParsedDate | None) -> bool:
        return parsed is not None and not parsed.relative and _plausible(parsed.utc, self.fetched_at)

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
    def header(self) -> _Read:
        return _header(self.tree, self.h1, self.rules, self.fetched_at)

    @cached_property
    def marked(self) -> _Read:
        """<time> and microdata only: cheap, and enough as evidence of how the page shows time."""
        return _marked(self.tree, self.h1, self.rules, self.fetched_at)

    @cached_property
    def named(self) -> _Read:
        """<time> and microdata, else elements named as dates."""
        return _named_marked(self.tree, self.h1, self.rules, self.fetched_at, self.marked)

    @cached_property
    def scan(self) -> tuple[ParsedDate | None, ParsedDate | None]:
        return _scan(self.tree, self.h1, self.rules, self.fetched_at)

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
        chosen, source = next(((p, "visible_text") for p in relative if _plausible(p.utc, fetched_at)), (None, None))
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
        if _mislabelled_utc(chosen, visible):
            chosen, source, shown = visible, "visible_text", local_text(visible)
            if modified is not None and modified is page.structured_modified and modified.offset_shown and \
                    modified.local.utcoffset() == timedelta(0):  # the same clock, labelled UTC alike
                modified = replace(modified, utc=modified.utc - visible.local.utcoffset())
        else:
            chosen, shown = _as_shown(chosen, page.evidence(), page.shown_day, rules)
    return PublishedDate(chosen.utc, shown, source, modified.utc if modified else None)
