"""The dates a page's visible text shows: under the title, and on short date lines anywhere on the page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from lxml import html as lxml_html

from crawler.items import SiteRules
from pipelines.extraction.dates.parse import find_dates, parse_date
from pipelines.extraction.dates.types import DateMatch, ParsedDate

SCAN_TEXT_LIMIT = 80  # the last resort reads texts this short only: a date line, not a sentence mentioning a date
SCAN_NODES = 4000  # and at most this many text nodes
DATELINE_LIMIT = 32  # a longer text after the title is read only this far: a dateline opening a paragraph
_UPDATED = re.compile(r"آخر\s+تحديث|تم\s+التحديث|محدث|updated|modified|aktualisiert|mis\s+à\s+jour|actualizado|"
                      r"aggiornato|atualizado|bijgewerkt|geändert", re.IGNORECASE)
_PUBLISHED = re.compile(r"نشر|published|posted|written|veröffentlicht|erschienen|geschrieben|verfasst|publié|publicado|"
                        r"pubblicato|gepubliceerd",
                        re.IGNORECASE)
_SCAN_SKIPPED = frozenset({"script", "style", "nav", "aside", "select", "option", "noscript", "template",
                           "button", "label", "textarea"})
_DIGIT_RUN = re.compile(r"\d{2}")
_SCAN_LABEL = re.compile(r"(?:datum|date|fecha|data|التاريخ|تاريخ النشر|published|veröffentlicht|erstellt)\s*:?",
                         re.IGNORECASE)


@dataclass(frozen=True)
class DateReading:
    """How one page's dates are read: its site's timezone and date order, the fetch time (relative dates count
    from it, and a date after the day after it is implausible) and the earliest plausible date."""

    rules: SiteRules
    fetched_at: datetime
    earliest: datetime

    def plausible(self, value: datetime | None) -> bool:
        """Whether value can be this page's publication date."""
        return value is not None and self.earliest <= value <= self.fetched_at + timedelta(days=1)

    def parse(self, value: object) -> ParsedDate | None:
        """A date value of page data (structured data, an attribute) parsed; None when it is not a date string."""
        # structured data is page data: a date may arrive as a number, a list or an object
        if not isinstance(value, str) or not value.strip():
            return None
        return parse_date(value[:200], tz=self.rules.timezone, date_order=self.rules.date_order)

    def find(self, text: str) -> list[DateMatch]:
        """Every date in a visible text, with its role."""
        return find_dates(text, tz=self.rules.timezone, date_order=self.rules.date_order, now=self.fetched_at)


@dataclass
class ShownDates:
    """What one place on the page says: its publication date, its modification date, every date it shows."""

    published: ParsedDate | None = None
    modified: ParsedDate | None = None
    relative: list[ParsedDate] = field(default_factory=list)  # «منذ 3 ساعات»: the last resort
    shown: list[ParsedDate] = field(default_factory=list)  # absolute dates, the evidence of how the page shows time


def speaks_of_update(text: str) -> bool:
    """Whether text labels an update («آخر تحديث», «updated») and not the publication: its dates are modifications."""
    return bool(_UPDATED.search(text) and not _PUBLISHED.search(text))


def read_text(text: str, reading: DateReading, update_spans: list[tuple[int, int]], read: ShownDates) -> None:
    """Adds the dates of one visible text to read: the first published (else unknown-role) date, the first
    modified one, relative dates apart."""
    unknown = None
    for match in reading.find(text):
        parsed = match.parsed
        if not reading.plausible(parsed.utc):
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


def header_dates(pieces: list[str], reading: DateReading) -> ShownDates:
    """The dates shown between the title and the body (pieces: the header texts)."""
    # «الأربعاء، 28 آب 2013، آخر تحديث 14:00»: a date in a piece that speaks of an update dates the update
    update_spans, offset = [], 0
    for piece in pieces:
        if speaks_of_update(piece):
            update_spans.append((offset, offset + len(piece)))
        offset += len(piece) + 1
    read = ShownDates()
    read_text(" ".join(pieces), reading, update_spans, read)
    return read


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


def scan_date_lines(tree: lxml_html.HtmlElement, h1: lxml_html.HtmlElement | None,
                    reading: DateReading) -> tuple[ParsedDate | None, ParsedDate | None]:
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
        for match in reading.find(text):
            parsed = match.parsed
            if (parsed.relative or not reading.plausible(parsed.utc) or match.role == "modified"
                    or speaks_of_update(text)):
                continue
            (first if after else before).append(parsed)
            label = _SCAN_LABEL.match(text)
            if match.role == "published" or (label and match.start <= label.end() + 1):
                (labelled if after else before_labelled).append(parsed)
            break
    pick = (labelled or before_labelled[-1:] or [None])[0], (first or before[-1:] or [None])[0]
    return pick
