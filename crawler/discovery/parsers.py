"""Pure parsers for what a site publishes to be discovered: robots.txt, sitemaps, feeds and links."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlparse

from lxml import etree

# Parser options for what a site publishes: no entity expansion, no network, recover what a break leaves.
_SAFE_XML = {"resolve_entities": False, "no_network": True, "huge_tree": False, "recover": True}
_ARTICLE_PATH = re.compile(
    r"/\d{4}/\d{1,2}/\d{1,2}/|/(?:news|article|story|post|akhbar|details?)s?/[^/?#]*\d{3,}"
    r"|/\d{4,}(?:[/-]|$)|[?&](?:id|p|nid|article_id)=\d+|/[^/?#]*(?:-[^/?#-]+){3,}/?$",
    re.IGNORECASE,
)
_NOT_ARTICLE = re.compile(r"/(?:tag|tags|category|categories|author|page|search|feed|rss|sitemap)s?(?:/|$)"
                          r"|[?&](?:page|p)=\d+$|\.(?:jpg|jpeg|png|gif|webp|svg|pdf|css|js|xml|zip)$",
                          re.IGNORECASE)
_NEXT_TEXT = re.compile(r"التالي|الصفحة التالية|التالية|المزيد من الأخبار|next|older|›|»", re.IGNORECASE)


@dataclass(frozen=True)
class Entry:
    """A URL found while discovering, with any date the site attached to it."""

    url: str
    lastmod: str | None = None
    published: str | None = None


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child_text(el: etree._Element, name: str) -> str | None:
    for child in el.iter():
        if _local(child.tag) == name and child.text and child.text.strip():
            return child.text.strip()
    return None


def sitemap_urls_from_robots(text: str) -> list[str]:
    """The Sitemap: lines of a robots.txt."""
    return [m.strip() for m in re.findall(r"^\s*sitemap\s*:\s*(\S+)", text, re.IGNORECASE | re.MULTILINE)]


def _parse_xml(body: bytes, problems: list[str] | None) -> etree._Element | None:
    """The root of an XML document, recovering from errors (listed in problems); None for a document that declares
    its own entities (a DOCTYPE internal subset: billion laughs, external entities), which is never read."""
    found = problems if problems is not None else []
    parser = etree.XMLParser(**_SAFE_XML)  # one per document: its error log is that document's (threads parse too)
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as exc:
        found.append(f"not XML: {exc}")
        return None
    if root is not None and root.getroottree().docinfo.internalDTD is not None:
        found.append("declares its own entities (DOCTYPE internal subset): refused unread")
        return None
    found.extend(f"line {e.line}: {e.message}" for e in parser.error_log if e.level >= etree.ErrorLevels.ERROR)
    if root is None and not found:
        found.append("empty document")
    return root


def parse_sitemap(body: bytes, problems: list[str] | None = None,
                  limit: int | None = None) -> tuple[str, list[Entry]]:
    """A sitemap or sitemap index: ('index' | 'urlset' | 'invalid', its first `limit` entries with lastmod and news
    dates); what is wrong with the document is appended to problems (a recovering parser keeps the entries before a
    break)."""
    root = _parse_xml(body, problems)
    if root is None or _local(root.tag) not in ("sitemapindex", "urlset"):
        return "invalid", []
    entries = []
    for item in root:
        if len(entries) == limit:
            break
        try:
            loc = _child_text(item, "loc")
            if loc:
                entries.append(Entry(loc, _child_text(item, "lastmod"), _child_text(item, "publication_date")))
        except UnicodeDecodeError:  # lxml keeps a character reference it cannot decode (&#xD800;): skip the entry
            continue
    return ("index" if _local(root.tag) == "sitemapindex" else "urlset"), entries


def parse_feed(body: bytes, problems: list[str] | None = None, limit: int | None = None) -> list[Entry]:
    """The first `limit` items of an RSS or Atom feed, with their publication dates; problems as for parse_sitemap."""
    root = _parse_xml(body, problems)
    if root is None:
        return []
    entries = []
    for item in root.iter():
        if len(entries) == limit:
            break
        try:
            entry = _feed_entry(item)
        except UnicodeDecodeError:  # an undecodable character reference (&#xD800;): skip the item
            continue
        if entry:
            entries.append(entry)
    return entries


def _feed_entry(item: etree._Element) -> Entry | None:
    name = _local(item.tag)
    if name == "item":
        link = _child_text(item, "link")
        published = _child_text(item, "pubDate") or _child_text(item, "date")
    elif name == "entry":
        links = [c for c in item if _local(c.tag) == "link" and c.get("rel", "alternate") == "alternate"]
        link = links[0].get("href") if links else None
        published = _child_text(item, "published") or _child_text(item, "updated")
    else:
        return None
    return Entry(link.strip(), published=published) if link else None


def looks_like_article(url: str) -> bool:
    """Whether a same-site URL has the shape of an article page rather than a listing or asset."""
    try:
        parsed = urlparse(url)
    except ValueError:  # e.g. «http://[», an unbalanced IPv6 host
        return False
    path = parsed.path + ("?" + parsed.query if parsed.query else "")
    return bool(_ARTICLE_PATH.search(path)) and not _NOT_ARTICLE.search(path)


def is_next_page_link(text: str, rel: str | None) -> bool:
    """Whether a link is a listing's 'next page' link, from rel=next or its words."""
    return (rel or "").lower() == "next" or bool(_NEXT_TEXT.search(text.strip()))


def same_site(url: str, base: str) -> bool:
    """Whether url is on the same host (and port) as base; a malformed URL never is."""
    try:
        return urlparse(urljoin(base, url)).netloc == urlparse(base).netloc
    except ValueError:
        return False
