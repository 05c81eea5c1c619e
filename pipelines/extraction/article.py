"""Turn a fetched page into an Article: trafilatura for the body, Arabic-aware rules for the rest."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin, urlparse

from lxml import etree
from lxml import html as lxml_html
from trafilatura import bare_extraction

from crawler.items import Article, FetchedPage, content_type, url_hash
from pipelines.arabic.language import detect_language
from pipelines.arabic.text import clean_display, fold
from pipelines.extraction.agency import parse_dateline
from pipelines.extraction.body import MIN_PARAGRAPH, dense_body, remove_comment_blocks, title_heading
from pipelines.extraction.byline import byline_author, clean_author
from pipelines.extraction.counters import counters_from_meta_list, counters_from_text
from pipelines.extraction.decode import decode_html
from pipelines.extraction.layouts import rules_for_layout
from pipelines.extraction.published import find_published, header_text, header_texts
from pipelines.extraction.structured import jsonld_articles, jsonld_person, meta_content

# Page furniture that trafilatura may keep inside the content block.
_DISCLAIMER = re.compile(r"لا\s+تعبر\s+عن\s+رأي|تعبر\s+عن\s+(?:آراء|رأي)\s+أصحابها|سياسة\s+الخصوصية|شروط\s+الاستخدام|"
                         r"بالنقاش|إرشادات\s+الاستخدام")
_FURNITURE = re.compile(r"^(?:\.{2,}|…)?\s*(?:اقرأ\s+)?المزيد\s*(?:\.{2,}|…)?$|^مشاركة\s*:|^شارك(?:\s+الخبر)?\s*:|"
                        r"^(?:اقرأ|إقرأ)\s+(?:أيضا|أيضاً|ايضا)|^تابعونا\s+على|^(?:المصدر|الصورة)\s*:\s*$|"
                        r"^(?:تصوير|الصورة|صورة|مصدر الصورة)\s*[:：]|^\([^()]{1,30}\)$")
_TRAFILATURA_OPTIONS: dict[str, Any] = {
    "with_metadata": True,
    "include_comments": False,
    "include_tables": False,
    "favor_precision": True,
    "fast": True,  # no readability/justext comparison: the structural body (pipelines.extraction.body) is our fallback
    "date_extraction_params": {"extensive_search": False, "original_date": True},
}


class ExtractionError(ValueError):
    """A page that holds no article."""


def _first_text(tree: lxml_html.HtmlElement, xpath: str) -> str | None:
    for node in tree.xpath(xpath):
        text = " ".join((node.text_content() if hasattr(node, "text_content") else str(node)).split())
        if text:
            return text
    return None


def _title(h1: str | None, fallback: str | None) -> str | None:
    if h1 and 8 <= len(h1) <= 400:
        return h1
    return fallback or h1


def _body(text: str, title: str | None) -> str:
    paragraphs = [line.strip() for line in text.splitlines()]
    kept = [p for p in paragraphs if p and not _FURNITURE.search(p)]
    if kept and title and " ".join(kept[0].split()) == title:  # the headline repeated as the first line
        kept = kept[1:]
    while kept and _DISCLAIMER.search(kept[-1]):  # comment policies and site disclaimers after the article
        kept.pop()
    return "\n".join(kept)


def _best_body(extracted: str, structural: str) -> str:
    """trafilatura's body, unless the structural body holds all of it and more (trafilatura drops some paragraphs)."""
    if not extracted or not structural:
        return extracted or structural
    whole = fold(structural)
    if len(structural) > len(extracted) and all(fold(p) in whole for p in extracted.split("\n")):
        return structural
    return extracted


def _absolute(base: str, link: str | None) -> str | None:
    """An absolute URL for a link found on the page; None when the link is not a usable URL."""
    if not link:
        return None
    try:
        return urljoin(base, link)
    except ValueError:  # «http://[x» and other malformed hosts
        return None


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
    try:
        tree = lxml_html.fromstring(html)
    except (ValueError, etree.ParserError) as exc:
        raise ExtractionError(f"unparsable HTML: {exc}") from exc
    rules = rules_for_layout(tree, page.rules)
    # Everything read off the page's structure comes first: trafilatura prunes the tree it is given.
    date = find_published(tree, page.final_url, rules, page.hints, page.fetched_at)
    counters = _counters(tree)
    canonical = _first_text(tree, "//link[@rel='canonical']/@href") or meta_content(tree, ("og:url",))
    image = _first_text(tree, "//img[@alt='news-picture']/@src") or meta_content(tree, ("og:image",))
    label = _site_label(page.final_url)
    author = clean_author(_author(tree), label, rules.staff_names) or next(
        filter(None, map(byline_author, header_texts(tree))), None)
    heading = title_heading(tree)
    h1 = " ".join(heading.text_content().split()) if heading is not None else None
    remove_comment_blocks(tree)
    fallback = dense_body(tree)
    try:
        doc = bare_extraction(tree, url=page.final_url, **_TRAFILATURA_OPTIONS)
    except ValueError:  # lxml refuses some control characters deep inside trafilatura; the structural body remains
        doc = None
    title = _title(h1, doc.title if doc else None)
    body = _best_body(_body(doc.text if doc is not None and doc.text else "", title), _body(fallback or "", title))
    if len(body) < MIN_PARAGRAPH:
        raise ExtractionError("no article body found" if not body else f"body too short ({len(body)} characters)")
    dateline = parse_dateline(clean_display(body.split("\n", 1)[0]), rules.staff_names)
    return Article(
        url=page.url,
        url_hash=url_hash(page.url),
        canonical_url=canonical,
        site=page.site,
        title=title,
        body=body,
        author=author or clean_author(doc.author if doc else None, label, rules.staff_names),
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
        lead_image=_absolute(page.final_url, image),
        tags=list(doc.tags or []) if doc else [],
        category=(doc.categories or [None])[0] if doc else None,
        fetched_at=page.fetched_at,
    )
