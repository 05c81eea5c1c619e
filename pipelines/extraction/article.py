"""Turn a fetched page into an Article: trafilatura for the body, Arabic-aware rules for the rest."""

from __future__ import annotations

import re
from urllib.parse import urlparse

from lxml import etree
from lxml import html as lxml_html
from trafilatura.utils import load_html

from crawler.items import Article, FetchedPage, content_type, url_hash
from pipelines.arabic.language import detect_language
from pipelines.arabic.text import fold
from pipelines.extraction.agency import find_attribution, outlet_names
from pipelines.extraction.body import (
    DISCLAIMER,
    MIN_PARAGRAPH,
    cut_related_tail,
    dense_body,
    first_long_text,
    in_layout_table,
    is_furniture,
    is_link_list,
    lead_paragraph,
    title_heading,
    trafilatura_text,
)
from pipelines.extraction.byline import byline_author, byline_line, clean_author, page_byline
from pipelines.extraction.comments import comment_blocks, remove_comment_blocks, strip_forms
from pipelines.extraction.counters import counters_from_meta_list, counters_from_text
from pipelines.extraction.decode import decode_html
from pipelines.extraction.layouts import rules_for_layout
from pipelines.extraction.pagemeta import PageMeta, canonical_link, lead_image
from pipelines.extraction.published import find_published, header_text, header_texts
from pipelines.extraction.structured import jsonld_articles, jsonld_person, meta_content

MAX_DEPTH = 200  # elements nested deeper are flattened (libxml2's HTML parser gives up at 256)
MAX_KEPT_DEPTH = 240  # ... but for those carrying the article (_CONTENT_TAGS), kept up to this depth
_CONTENT_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "article", "main", "a", "b", "i", "em", "strong",
                           "blockquote", "ul", "ol", "dl", "time", "figure", "figcaption"})
_TOO_DEEP = etree.XPath(f"boolean(//*[ancestor::*[{MAX_DEPTH}]])")
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)[^>]*?(/?)>")
_NOT_NESTING = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                          "source", "track", "wbr", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th",
                          "thead", "tbody", "tfoot", "colgroup", "caption", "rp", "rt"})
# Where a short body is still an article: the page's own date (not a date discovery attached to the URL).
_PAGE_DATES = frozenset({"jsonld", "meta", "visible_text", "url", "htmldate"})


class ExtractionError(ValueError):
    """A page that holds no article."""


def _title(h1: str | None, meta: PageMeta) -> str | None:
    if h1 and 8 <= len(h1) <= 400:
        return h1
    return meta.title or h1


def _body(text: str, title: str | None) -> str:
    paragraphs = [" ".join(line.split()) for line in text.splitlines()]
    kept = cut_related_tail([p for p in paragraphs if p and not is_furniture(p)])
    if kept and title and kept[0] == title:  # the headline repeated as the first line
        kept = kept[1:]
    while kept and DISCLAIMER.search(kept[-1]):  # comment policies and site disclaimers after the article
        kept.pop()
    return "\n".join(kept)


def flatten_nesting(html: str, limit: int = MAX_DEPTH) -> str:
    """html without the wrapper tags nested deeper than limit (their text stays, at that depth), in one pass; tags
    that carry the article (headings, lists, links, emphasis) stay up to MAX_KEPT_DEPTH. Tags that never nest (void
    elements, self-closed ones, and those the parser closes by itself: p, li, td, …) are not counted."""
    kept_flags: list[bool] = []  # each open tag: whether it was kept
    depth = 0  # of the kept tags

    def keep(tag: re.Match[str]) -> str:
        nonlocal depth
        closing, name, self_closed = tag.groups()
        name = name.lower()
        if self_closed or name in _NOT_NESTING:
            return tag.group()
        if closing:
            kept = kept_flags.pop() if kept_flags else True
            depth -= kept
        else:
            kept = depth < limit or (name in _CONTENT_TAGS and depth < MAX_KEPT_DEPTH)
            kept_flags.append(kept)
            depth += kept
        return tag.group() if kept else ""

    return _TAG.sub(keep, html)


def _load(html: str) -> lxml_html.HtmlElement:
    tree = load_html(html)  # None for a text that is not HTML (a single-line shell, a URL)
    return tree if tree is not None else lxml_html.fromstring(html.encode("utf-8", "surrogatepass"))


def _parse(html: str) -> lxml_html.HtmlElement:
    """The page's tree, parsed as trafilatura parses it (so its body is the one trafilatura would find). libxml2
    stops reading a page at depth 256 and drops the rest: a page nested that deep is flattened and parsed again."""
    try:
        tree = _load(html)
        return _load(flatten_nesting(html)) if _TOO_DEEP(tree) else tree
    except (ValueError, etree.ParserError) as exc:
        raise ExtractionError(f"unparsable HTML: {exc}") from exc


def _best_body(extracted: str, structural: str) -> str:
    """trafilatura's body, unless the structural body holds all of it and more (trafilatura drops some paragraphs)."""
    if not extracted or not structural:
        return extracted or structural
    whole = fold(structural)
    if len(structural) > len(extracted) and all(fold(p) in whole for p in extracted.split("\n")):
        return structural
    return extracted


def _author(tree: lxml_html.HtmlElement) -> str | None:
    for obj in jsonld_articles(tree):
        name = jsonld_person(obj.get("author"))
        if name:
            return name
    return meta_content(tree, ("author", "article:author", "dc.creator", "sailthru.author"))


def _site_label(url: str) -> str:
    """The brand part of a host: «akhbarelyom» for www.akhbarelyom.com."""
    labels = (urlparse(url).hostname or "").split(".")
    return max(labels[:-1] or labels, key=len) if not labels[-1].isdigit() else ""


def _counters(tree: lxml_html.HtmlElement) -> dict[str, int | None]:
    h1 = title_heading(tree)
    following = h1.xpath("following::li[position() <= 12]") if h1 is not None else []
    items = [" ".join(li.text_content().split()) for li in following]
    return counters_from_meta_list(items) or counters_from_text(header_text(tree))


def extract_article(page: FetchedPage) -> Article:
    """Extract one article from a fetched page; raises ExtractionError when the page holds none."""
    _, html = decode_html(page.body, content_type(page.headers))
    tree = _parse(html)
    rules = rules_for_layout(tree, page.rules)
    # Everything read off the whole page comes first: the comment sections are removed from the tree further down.
    date = find_published(tree, page.final_url, rules, page.hints, page.fetched_at)
    counters = _counters(tree)
    canonical, image = canonical_link(tree, page.final_url), lead_image(tree, page.final_url)
    label, header = _site_label(page.final_url), header_texts(tree)
    outlets = outlet_names(tree, page.final_url, rules.staff_names)
    author = clean_author(_author(tree), label, outlets) or clean_author(
        next(filter(None, map(byline_author, header)), None) or page_byline(tree), label, outlets)
    heading = title_heading(tree)
    h1 = " ".join(heading.text_content().split()) if heading is not None else None
    doc = PageMeta(tree)
    start = first_long_text(tree, heading)
    fallback = dense_body(tree, start)
    comments = comment_blocks(tree, heading, start)  # found by their forms, which go before trafilatura reads the page
    strip_forms(tree, heading, start)
    extracted = trafilatura_text(tree, page.final_url, in_layout_table(heading, start), fallback)
    extracted, removed = remove_comment_blocks(comments, extracted)
    if removed:  # the structure without the comment sections
        fallback = dense_body(tree, start)
    title = _title(h1, doc)
    body = _best_body(_body(extracted, title), _body(fallback or "", title))
    lead = lead_paragraph(tree, heading, body)
    if lead and lead != title and not is_furniture(lead):
        body = f"{lead}\n{body}"
    # A short body is an article when the page shows a title and its own date (a two-paragraph wire brief).
    if not body or (len(body) < MIN_PARAGRAPH and (heading is None or date.source not in _PAGE_DATES)):
        raise ExtractionError("no article body found" if not body else f"body too short ({len(body)} characters)")
    if is_link_list(tree, body):
        raise ExtractionError("no article body found: a list of links")
    dateline = find_attribution(body, rules.staff_names, outlets, header)
    return Article(
        url=page.url,
        url_hash=url_hash(page.url),
        canonical_url=canonical,
        site=page.site,
        title=title,
        body=body,
        author=(author or clean_author(doc.author if doc else None, label, outlets)
                or clean_author(byline_line(body.split("\n", 1)[0]), label, outlets)),
        published_at=date.published_at,
        published_local=date.published_local,
        published_at_source=date.source,
        modified_at=date.modified_at,
        views=counters["views"],
        comments=counters["comments"],
        shares=counters["shares"],
        agencies=dateline.agencies,
        agency_is_staff=dateline.is_staff,
        dateline_place=dateline.place,
        language=detect_language(body),
        lead_image=image,
        tags=list(doc.tags or []) if doc else [],
        category=(doc.categories or [None])[0] if doc else None,
        fetched_at=page.fetched_at,
    )
