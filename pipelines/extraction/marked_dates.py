"""The dates of elements marked as dates (<time>, microdata, a «date» class or id), outside other articles' boxes."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace

from lxml import etree
from lxml import html as lxml_html

from pipelines.extraction.page_dates import DateReading, ShownDates, read_text, speaks_of_update

MARKED_LIMIT = 40  # date-marked elements read at most, in page order
MARKED_TEXT_LIMIT = 160  # a marked element's text is read this far
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


def marked_dates(tree: lxml_html.HtmlElement, h1: lxml_html.HtmlElement | None, reading: DateReading) -> ShownDates:
    """The dates of <time> elements and microdata (itemprop datePublished, dateCreated, dateModified): a
    machine-readable attribute first, else the element's short text."""
    read = ShownDates()
    found = [*_TIMES(tree), *(p.getparent() for p in _ITEMPROPS(tree) if p in _MARKED_PROPS)]
    _read_marked(_marked_elements(h1, [e for e in found if e.tag != "meta"]), reading, read)
    return read


def named_dates(tree: lxml_html.HtmlElement, h1: lxml_html.HtmlElement | None, reading: DateReading,
                marked: ShownDates) -> ShownDates:
    """marked, and when it holds no publication date (only then, as it costs more), the first one of elements whose
    class or id names a date."""
    if marked.published:
        return marked
    read = replace(marked, relative=[*marked.relative], shown=[*marked.shown])
    found = [e for e in (*_named(_CLASSES(tree)), *_named(_IDS(tree))) if e.tag in _CUE_TAGS]
    _read_marked(_marked_elements(h1, found), reading, read, first=True)
    return read


def _read_marked(elements: Iterator[lxml_html.HtmlElement], reading: DateReading, read: ShownDates,
                 first: bool = False) -> None:
    """Adds the dates of elements to read; with first, stops at the first publication date."""
    for element in elements:
        if first and read.published:
            return
        modified = _marks(element) == "modified"
        value = element.get("datetime") or element.get("content") or (
            element.get("title") if element.tag == "abbr" else None)
        if value:
            parsed = reading.parse(value)
            if parsed and reading.plausible(parsed.utc) and not parsed.relative:
                read.shown.append(parsed)
                if modified:
                    read.modified = read.modified or parsed
                else:
                    read.published = read.published or parsed
                continue
        text = _text_start(element, MARKED_TEXT_LIMIT)  # a date line opens a marked box
        if not text:
            continue
        spans = [(0, len(text))] if modified or speaks_of_update(text) else []
        read_text(text, reading, spans, read)


def _text_start(element: lxml_html.HtmlElement, limit: int) -> str:
    """The first limit characters of element's text, spaces collapsed, without reading the rest of a big box."""
    parts, size = [], 0
    for text in element.itertext():
        parts.append(text)
        size += len(text)
        if size > 2 * limit:
            break
    return " ".join(" ".join(parts).split())[:limit]

