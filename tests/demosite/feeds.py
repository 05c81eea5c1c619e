"""robots.txt, sitemap index, monthly and Google News sitemaps, and the RSS 2.0 feed of one outlet."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from xml.sax.saxutils import escape

from .fmt import iso, rfc822
from .model import ArticleSpec, Outlet

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
NEWS_SITEMAP_PATH = "/sitemaps/news.xml"
DISALLOWED: dict[str, tuple[str, ...]] = {
    "nabaa": ("/admin/", "/search"), "wasat": ("/admin/", "/wp-admin/"), "sham": ("/admin/", "/print.php"),
}


def _abs(outlet: Outlet, path: str) -> str:
    return outlet.base_url.rstrip("/") + path


def month_path(month: str) -> str:
    """Path of the monthly sitemap for 'YYYY-MM'."""
    return f"/sitemaps/{month}.xml"


def months(specs: Sequence[ArticleSpec]) -> dict[str, list[ArticleSpec]]:
    """Articles grouped by local publication month 'YYYY-MM', newest month first."""
    grouped: dict[str, list[ArticleSpec]] = {}
    for spec in specs:
        grouped.setdefault(f"{spec.published:%Y-%m}", []).append(spec)
    return dict(sorted(grouped.items(), reverse=True))


def news_articles(specs: Sequence[ArticleSpec]) -> list[ArticleSpec]:
    """Articles of the last 2 days before the newest one (the Google News sitemap window)."""
    if not specs:
        return []
    newest = max(s.published for s in specs)
    return [s for s in specs if s.published >= newest - timedelta(days=2)]


def robots_txt(outlet: Outlet) -> str:
    """robots.txt with a couple of disallowed paths and the sitemap index."""
    lines = ["User-agent: *", *(f"Disallow: {p}" for p in DISALLOWED[outlet.name]), "",
             f"Sitemap: {_abs(outlet, '/sitemap_index.xml')}", ""]
    return "\n".join(lines)


def sitemap_index(outlet: Outlet, specs: Sequence[ArticleSpec]) -> str:
    """Sitemap index listing the news sitemap and one sitemap per month, each with <lastmod>."""
    entries: list[tuple[str, str]] = []
    news = news_articles(specs)
    if news:
        entries.append((NEWS_SITEMAP_PATH, iso(max(s.modified for s in news))))
    for month, group in months(specs).items():
        entries.append((month_path(month), iso(max(s.modified for s in group))))
    body = "".join(f"  <sitemap>\n    <loc>{escape(_abs(outlet, p))}</loc>\n    <lastmod>{m}</lastmod>\n  </sitemap>\n"
                   for p, m in entries)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{SITEMAP_NS}">\n{body}</sitemapindex>\n'


def month_sitemap(outlet: Outlet, group: Sequence[ArticleSpec]) -> str:
    """A urlset with <loc> and <lastmod> for one month's articles."""
    body = "".join(f"  <url>\n    <loc>{escape(_abs(outlet, s.path))}</loc>\n    <lastmod>{iso(s.modified)}</lastmod>\n"
                   "  </url>\n" for s in group)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}">\n{body}</urlset>\n'


def news_sitemap(outlet: Outlet, specs: Sequence[ArticleSpec]) -> str:
    """Google News sitemap of the last 2 days of articles."""
    parts = []
    for s in news_articles(specs):
        parts.append(
            f"  <url>\n    <loc>{escape(_abs(outlet, s.path))}</loc>\n    <news:news>\n"
            f"      <news:publication>\n        <news:name>{escape(outlet.display_name)}</news:name>\n"
            "        <news:language>ar</news:language>\n      </news:publication>\n"
            f"      <news:publication_date>{iso(s.published)}</news:publication_date>\n"
            f"      <news:title>{escape(s.title)}</news:title>\n    </news:news>\n  </url>\n")
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">\n'
            f"{''.join(parts)}</urlset>\n")


def rss_feed(outlet: Outlet, specs: Sequence[ArticleSpec], feed_path: str, tagline: str) -> str:
    """RSS 2.0 feed of the latest 20 articles; the XML declaration names the outlet's encoding."""
    latest = list(specs[:20])
    items = []
    for s in latest:
        creator = f"      <dc:creator>{escape(s.author)}</dc:creator>\n" if s.author else ""
        items.append(
            f"    <item>\n      <title>{escape(s.title)}</title>\n      <link>{escape(_abs(outlet, s.path))}</link>\n"
            f'      <guid isPermaLink="true">{escape(_abs(outlet, s.path))}</guid>\n'
            f"      <pubDate>{rfc822(s.published)}</pubDate>\n      <category>{escape(s.text.topic.label)}</category>\n"
            f"{creator}      <description>{escape(s.paragraphs[0])}</description>\n    </item>\n")
    build = rfc822(latest[0].published) if latest else ""
    return (
        f'<?xml version="1.0" encoding="{outlet.encoding.upper()}"?>\n'
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        f"  <channel>\n    <title>{escape(outlet.display_name)}</title>\n    <link>{escape(outlet.base_url)}</link>\n"
        f"    <description>{escape(tagline)}</description>\n    <language>ar</language>\n"
        f"    <lastBuildDate>{build}</lastBuildDate>\n"
        f'    <atom:link href="{escape(_abs(outlet, feed_path))}" rel="self" type="application/rss+xml"/>\n'
        f"{''.join(items)}  </channel>\n</rss>\n"
    )
