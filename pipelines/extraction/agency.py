"""Where a story comes from: the dateline that opens an Arabic news body, or the credit that closes it.

The forms are data (``pipelines.extraction.datelines``), the agencies too (``pipelines.extraction.agencies``), and
``pipelines.extraction.dateline_parser`` reads them in one text. ``find_attribution`` reads a whole body (and the
header lines between the title and the body); ``parse_dateline`` reads one opening paragraph; ``outlet_names`` are
the names the outlet goes by, which a dateline may sign with.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from urllib.parse import urlparse

from lxml import html as lxml_html

from pipelines.arabic.text import clean_display
from pipelines.extraction.agencies import AGENCY_LOOKUP, agency_key
from pipelines.extraction.byline import byline_line
from pipelines.extraction.dateline_parser import Dateline, SourceNames, read_closing, read_header_credit, read_opening
from pipelines.extraction.datelines import TITLE_SEPARATORS
from pipelines.extraction.structured import jsonld_articles, meta_content

_READ = 400  # characters read at each end of a body


def canonical_agency(name: str) -> str | None:
    """The canonical name of an agency written in any known spelling; None when unknown."""
    return AGENCY_LOOKUP.get(agency_key(name.strip()))


def _combine(*found: Dateline) -> Dateline:
    found = tuple(d for d in found if d)
    if not found:
        return Dateline()
    return Dateline(place=next((d.place for d in found if d.place), None),
                    agencies=list(dict.fromkeys(a for d in found for a in d.agencies)),
                    is_staff=any(d.is_staff for d in found), form="+".join(d.form or "" for d in found))


def parse_dateline(first_paragraph: str, staff_names: Iterable[str] = (), outlet_names: Iterable[str] = ()) -> Dateline:
    """The dateline at the start of a body's first paragraph (display-cleaned here); empty when there is none."""
    return read_opening(clean_display(first_paragraph[:_READ]), SourceNames(staff_names, outlet_names))


def find_attribution(body: str, staff_names: Iterable[str] = (), outlet_names: Iterable[str] = (),
                     header: Sequence[str] = ()) -> Dateline:
    """Place, agencies and staff attribution of a whole body (paragraphs separated by newlines, display-cleaned here).

    The opening dateline of the first paragraph (of the second when the first is a byline such as «حوار: NAME»), a
    credit line among the header lines (`header`: the short texts between the title and the body), and the closing
    credit of the last paragraph, combined: the first place found, every agency in that order, staff when any names
    the outlet. `staff_names` are the outlet's names declared by its spider, `outlet_names` those read off the page
    (``outlet_names()``): a known agency wins over a page name, never over a declared one.
    """
    names = SourceNames(staff_names, outlet_names)
    paragraphs = [p for p in body.split("\n") if p.strip()]
    if not paragraphs:
        return _combine(read_header_credit([clean_display(t) for t in header], names))
    # a dateline opens a paragraph and a credit closes one: their ends are enough (a body may be one huge paragraph)
    first, last = clean_display(paragraphs[0][:_READ]), clean_display(paragraphs[-1][-_READ:])
    opening = read_opening(first, names)
    if not opening and len(paragraphs) > 1 and byline_line(first):
        opening = read_opening(clean_display(paragraphs[1][:_READ]), names)
    closing = read_closing(last, names, whole=len(paragraphs[-1]) <= _READ)
    return _combine(opening, read_header_credit([clean_display(t) for t in header], names), closing)


def _publisher(tree: lxml_html.HtmlElement) -> str | None:
    for obj in jsonld_articles(tree):
        publisher = obj.get("publisher")
        publisher = publisher[0] if isinstance(publisher, list) and publisher else publisher
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            return publisher["name"]
    return None


def _title_names(tree: lxml_html.HtmlElement) -> list[str]:
    """The short ends of a <title> that holds more than the headline: «HEADLINE | النبأ», «الشام - HEADLINE»."""
    title = " ".join((tree.findtext(".//title") or "").split())
    segments = [s for s in TITLE_SEPARATORS.split(title) if s.strip()]
    if len(segments) < 2:
        return []
    return [s for s in (segments[-1], segments[0]) if len(s.split()) <= 4 and len(s) <= 40]


def outlet_names(tree: lxml_html.HtmlElement, url: str, staff_names: Iterable[str] = ()) -> tuple[str, ...]:
    """The names the outlet goes by: its spider's staff names, then the page's own (og:site_name, application-name,
    the JSON-LD publisher; without those, the short ends of the <title>) and the brand label of its host."""
    names = [*staff_names]
    declared = [n for n in (meta_content(tree, ("og:site_name",)), meta_content(tree, ("application-name",)),
                            _publisher(tree)) if n and "/" not in n and len(n) <= 60]
    names += declared or _title_names(tree)
    labels = (urlparse(url).hostname or "").split(".")
    if labels and not labels[-1].isdigit():
        names.append(max(labels[:-1] or labels, key=len))
    return tuple(dict.fromkeys(n.strip() for n in names if n and n.strip()))
