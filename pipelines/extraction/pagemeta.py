"""What akhbar takes from a page's metadata: the title and author fallbacks, tags and categories (as trafilatura
reads them), and the canonical and lead image URLs (web_url: absolute http(s) URLs of sane length, or nothing).

trafilatura's own metadata pass (bare_extraction with_metadata=True) also looks for the date with htmldate, which
akhbar does itself (pipelines.extraction.published), and for the URL, site name and licence, which akhbar does not
use. PageMeta reads the fields akhbar uses as trafilatura reads them, the title and the author from the page's
elements only when asked for (the <h1> and the byline usually give them).

The author search is trafilatura's (metadata.extract_author: three XPaths in turn for author-marked elements, outside
comments, sidebars, dates and figures) done in one pass over the page: libxml2 evaluates each XPath predicate for
every element, and those four XPaths took a tenth of akhbar's time on general web pages. tests/unit/test_bodies.py
checks that page_author finds what extract_author finds.
"""

from __future__ import annotations

import contextlib
import re
from copy import deepcopy
from functools import cached_property
from html import unescape
from urllib.parse import urljoin, urlsplit

from lxml import html as lxml_html
from trafilatura.htmlprocessing import prune_unwanted_nodes
from trafilatura.json_metadata import normalize_authors
from trafilatura.metadata import examine_meta, extract_catstags, extract_meta_json, extract_title
from trafilatura.utils import line_processing, trim
from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS

from crawler.items import WEB_SCHEMES
from pipelines.arabic.normalize import bounded_title
from pipelines.extraction.structured import meta_content

MAX_URL_CHARS = 2048  # the sitemap protocol's limit, and what every browser and server accepts

# trafilatura.xpaths.AUTHOR_XPATHS and AUTHOR_DISCARD_XPATHS, element by element. Every attribute value an author
# XPath tests contains one of these strings:
_AUTHOR_HINT = re.compile(r"uthor|yline|writer|screenname|username|byl|BBL|zuozhe|bianji|xiaobian|channel-name|"
                          r"submitted-by|posted-by|journalist-name")
_AUTHOR_NAME_CLASS = re.compile(r"author-?name|AuthorName|authorName")
_AUTHOR_ID = re.compile(r"author|zuozhe|bianji|xiaobian")
_AUTHOR_CLASS = re.compile(r"author|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|journalist-name")
_ANY_AUTHOR_ID = re.compile(r"[Aa]uthor")
_ANY_AUTHOR_CLASS = re.compile(r"[Aa]uthor|screenname|writer|[Bb]yline")
_DISCARD_ID = re.compile(r"^comments|comment-?list|ProductReviews")
_DISCARD_CLASS = re.compile(r"^[Cc]omments|commentlist|comments-list|sidebar|is-hidden|quote|embedly-instagram|"
                            r"article-(?:share|support)|print|category|meta-date|meta-reviewer")
_TAGS_0 = frozenset({"a", "address", "div", "link", "p", "span", "strong"})
_TAGS_1 = frozenset({"a", "div", "h3", "h4", "p", "span"})
_DISCARD_TAGS = frozenset({"a", "div", "section", "span"})


class PageMeta:
    """trafilatura's metadata of a page without its date search: meta tags and JSON-LD at once, tags and categories
    from the page's blocks when those give none, the title and author elements only when asked for."""

    def __init__(self, tree: lxml_html.HtmlElement) -> None:
        self._tree = tree
        doc = examine_meta(tree)
        if doc.author and " " not in doc.author:
            doc.author = None
        with contextlib.suppress(Exception):  # trafilatura's JSON-LD reading fails on odd JSON-LD: the meta tags remain
            doc = extract_meta_json(tree, doc)
        self._doc = doc
        self.tags: list[str] = list(doc.tags or extract_catstags("tag", tree))
        self.categories: list[str] = list(doc.categories or extract_catstags("category", tree))

    @cached_property
    def title(self) -> str | None:
        return bounded_title(_cleaned(self._doc.title or extract_title(self._tree)))

    @cached_property
    def author(self) -> str | None:
        return _cleaned(self._doc.author or page_author(self._tree))


def _discarded(element: lxml_html.HtmlElement) -> bool:
    """AUTHOR_DISCARD_XPATHS: comments, sidebars, quotes, dates, figures…"""
    tag = element.tag
    if tag in ("time", "figure"):
        return True
    if tag not in _DISCARD_TAGS:
        return False
    ident, cls = element.get("id"), element.get("class")
    return (ident == "comments" or cls in ("comments", "title", "date")
            or (ident is not None and _DISCARD_ID.search(ident) is not None)
            or (cls is not None and _DISCARD_CLASS.search(cls) is not None)
            or "Figure" in (element.get("data-component") or ""))


def _author_rank(element: lxml_html.HtmlElement) -> int | None:
    """Which of trafilatura's AUTHOR_XPATHS selects element first (0, 1, 2), or None."""
    tag, get = element.tag, element.get
    cls, ident, itemprop = get("class") or "", get("id") or "", get("itemprop") or ""
    if tag == "author" or (tag in _TAGS_0 and (
            get("rel") == "author" or ident == "author" or cls == "author" or itemprop == "author name"
            or get("data-testid") in ("AuthorCard", "AuthorURL") or _AUTHOR_NAME_CLASS.search(cls)
            or any(child.tag == "rel" and child.text_content() == "me" for child in element))):
        return 0
    if tag in _TAGS_1 and (cls in ("byline", "username", "byl", "BBL") or "author" in itemprop
                           or _AUTHOR_ID.search(ident) or _AUTHOR_CLASS.search(cls)):
        return 1
    if ("Byline" in (get("data-component") or "") or "author" in itemprop or _ANY_AUTHOR_ID.search(ident)
            or _ANY_AUTHOR_CLASS.search(cls)):
        return 2
    return None


def page_author(tree: lxml_html.HtmlElement) -> str | None:
    """trafilatura.metadata.extract_author: the first element marked as the author (by the first of its three XPaths
    that finds one with 3–119 characters) outside comments, sidebars, quotes, dates and figures."""
    ranked: list[list[lxml_html.HtmlElement]] = [[], [], []]
    holding_rel = {rel.getparent() for rel in tree.iter("rel")}  # «rel='me'»: a child element <rel>
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        if (element.tag == "author" or element in holding_rel
                or _AUTHOR_HINT.search(" ".join(element.attrib.values()))):
            rank = _author_rank(element)
            if rank is not None:
                ranked[rank].append(element)
    for candidates in ranked:
        for element in candidates:
            if any(map(_discarded, (element, *element.iterancestors()))):
                continue
            if any(map(_discarded, element.iterdescendants())):
                element = prune_unwanted_nodes(deepcopy(element), AUTHOR_DISCARD_XPATHS)
            content = trim(" ".join(element.itertext()))
            if content and 2 < len(content) < 120:
                return normalize_authors(None, content)
    return None


def _cleaned(value: str | None) -> str | None:
    """trafilatura's Document.clean_and_trim, for one field."""
    if not value:
        return None
    return line_processing(unescape(value if len(value) <= 10000 else value[:9999] + "…")) or None


def web_url(link: str | None, base: str) -> str | None:
    """link resolved against base when that is an http(s) URL with a host, of at most MAX_URL_CHARS and without
    control characters; None otherwise (javascript:, file:, data:, a malformed host or port, megabytes of URL)."""
    if not link or len(link) > MAX_URL_CHARS:
        return None
    try:
        url = urljoin(base, link.strip())
        parts = urlsplit(url)
        _ = parts.port  # a port that is no number, or out of range, raises
    except ValueError:
        return None
    if (parts.scheme not in WEB_SCHEMES or not parts.hostname or len(url) > MAX_URL_CHARS
            or any(c < " " or c == "\x7f" for c in url)):
        return None
    return url


def _first_web_url(links: list[str | None], base: str) -> str | None:
    return next((url for url in (web_url(link, base) for link in links) if url), None)


def canonical_link(tree: lxml_html.HtmlElement, base: str) -> str | None:
    """The page's canonical URL: the first usable <link rel=canonical>, else og:url (web_url, against base)."""
    return _first_web_url([*tree.xpath("//link[@rel='canonical']/@href"), meta_content(tree, ("og:url",))], base)


def lead_image(tree: lxml_html.HtmlElement, base: str) -> str | None:
    """The lead image's URL: the aggregator layout's `news-picture` image, else og:image (web_url, against base)."""
    return _first_web_url([*tree.xpath("//img[@alt='news-picture']/@src"), meta_content(tree, ("og:image",))], base)
