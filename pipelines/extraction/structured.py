"""Structured metadata of a page: JSON-LD article objects and meta tags."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from lxml import html as lxml_html

ARTICLE_TYPES = {"NewsArticle", "Article", "BlogPosting", "ReportageNewsArticle", "AnalysisNewsArticle",
                 "OpinionNewsArticle", "WebPage", "LiveBlogPosting"}
# Meta tags (property, name or itemprop) naming the publication date, in order of preference ...
PUBLICATION_META = ("article:published_time", "og:published_time", "og:article:published_time", "article:published",
                    "article.published", "datePublished", "publishdate", "publish-date", "publish_date", "pub_date",
                    "published_time", "published_date", "published-date", "dc.date.issued", "dcterms.issued",
                    "dc.date.created", "dcterms.created", "sailthru.date", "parsely-pub-date",
                    "cxenseparse:publishtime", "shareaholic:article_published_time", "article.created",
                    "article:post_date", "citation_publication_date", "citation_date", "originalpublicationdate",
                    "rnews:datepublished", "pubdate", "og:pubdate")
# ... and generic names that some pages fill with the publication date, others with the last change or the day the
# page was served: weaker than a date the page shows.
GENERIC_DATE_META = ("date", "dc.date", "dcterms.date", "dc:date", "datecreated")
PUBLISHED_META = PUBLICATION_META + GENERIC_DATE_META
MODIFIED_META = ("article:modified_time", "og:updated_time", "og:article:modified_time", "dateModified",
                 "last-modified", "dcterms.modified", "dc.date.modified", "modified_time", "article:modified")


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def jsonld_articles(tree: lxml_html.HtmlElement) -> list[dict[str, Any]]:
    """Article-like objects from every JSON-LD block; blocks that are not JSON are skipped."""
    found = []
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text_content() or "null")
        except (ValueError, RecursionError):
            continue
        for obj in _walk(data):
            types = obj.get("@type")
            types = {t for t in (types if isinstance(types, list) else [types]) if isinstance(t, str)}
            if types & ARTICLE_TYPES and (obj.get("datePublished") or obj.get("headline")):
                found.append(obj)
    # articles before generic WebPage objects
    return sorted(found, key=lambda o: o.get("@type") == "WebPage")


def meta_map(tree: lxml_html.HtmlElement) -> dict[str, str]:
    """Every meta tag's non-empty content by its lower-cased property, name or itemprop; the first one of each wins."""
    metas: dict[str, str] = {}
    for meta in tree.xpath("//meta[@content]"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        if key and key not in metas and meta.get("content", "").strip():
            metas[key] = meta.get("content").strip()
    return metas


def meta_content(tree: lxml_html.HtmlElement, names: tuple[str, ...],
                 metas: dict[str, str] | None = None) -> str | None:
    """The first non-empty content of a meta tag (property, name or itemprop) among names, in their order."""
    metas = meta_map(tree) if metas is None else metas
    for name in names:
        if metas.get(name.lower()):
            return metas[name.lower()]
    return None


def jsonld_person(value: Any) -> str | None:
    """An author name from a JSON-LD author value (string, Person or list of them)."""
    if isinstance(value, list):
        names = [n for n in (jsonld_person(v) for v in value) if n]
        return ", ".join(names) or None
    if isinstance(value, dict):
        if value.get("@type") == "Organization":
            return None
        value = value.get("name")
    return value.strip() if isinstance(value, str) and value.strip() else None
