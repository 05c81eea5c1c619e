"""Home page, robots.txt, sitemaps (good, malformed, huge, entity attacks, loop) and RSS feeds of the hostile outlet."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape

from .feeds import SITEMAP_NS
from .fmt import esc, iso, rfc822
from .hostile_cases import HOSTILE_CASES
from .hostile_pages import PageText

HUGE_SITEMAP_URLS = 60_000
GOOD_SITEMAP = "/sitemaps/articles.xml"
INDEX_PATH = "/sitemap_index.xml"
FEED_PATH = "/rss.xml"
BROKEN_FEED_PATH = "/rss-broken.xml"
_XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n'


def page_cases() -> list[str]:
    """Paths of the cases that are pages (linked from the home page)."""
    return [c.path for c in HOSTILE_CASES if c.path.startswith("/news/")]


def sitemap_cases() -> list[str]:
    """Paths of the sitemap cases (listed in the sitemap index)."""
    return [c.path for c in HOSTILE_CASES if c.path.startswith("/sitemaps/")]


def home_html(articles: Sequence[tuple[str, str]]) -> str:
    """The home page: title «hostile», both feeds as <link rel=alternate>, the valid articles and every page case."""
    valid = "".join(f'<li><a href="{path}">{esc(title)}</a></li>\n' for path, title in articles)
    cases = "".join(f'<li><a href="{c.path}">{esc(c.kind)}</a>: {esc(c.description)}</li>\n'
                    for c in HOSTILE_CASES if c.path.startswith("/news/"))
    return ('<!DOCTYPE html>\n<html lang="ar" dir="rtl">\n<head>\n<meta charset="utf-8">\n<title>hostile</title>\n'
            f'<link rel="alternate" type="application/rss+xml" title="hostile" href="{FEED_PATH}">\n'
            f'<link rel="alternate" type="application/rss+xml" title="hostile (broken)" href="{BROKEN_FEED_PATH}">\n'
            "</head>\n<body>\n<h1>hostile</h1>\n<h2>آخر الأخبار</h2>\n<ul>\n"
            f"{valid}</ul>\n<h2>cases</h2>\n<ul>\n{cases}</ul>\n</body>\n</html>\n")


def robots_txt(base: str) -> str:
    """robots.txt naming the sitemap index."""
    return f"User-agent: *\nDisallow: /admin/\n\nSitemap: {base}{INDEX_PATH}\n"


def _index(base: str, paths: Iterable[str]) -> str:
    body = "".join(f"  <sitemap><loc>{escape(base + p)}</loc></sitemap>\n" for p in paths)
    return f'{_XML_DECL}<sitemapindex xmlns="{SITEMAP_NS}">\n{body}</sitemapindex>\n'


def _urlset(base: str, entries: Iterable[tuple[str, str | None]], doctype: str = "") -> str:
    body = "".join(f"  <url><loc>{escape(base + p)}</loc>" + (f"<lastmod>{m}</lastmod>" if m else "") + "</url>\n"
                   for p, m in entries)
    return f'{_XML_DECL}{doctype}<urlset xmlns="{SITEMAP_NS}">\n{body}</urlset>\n'


def sitemap_index(base: str) -> str:
    """The sitemap index: the good sitemap and every sitemap case."""
    return _index(base, [GOOD_SITEMAP, *sitemap_cases()])


def loop_index(base: str) -> str:
    """A sitemap index that lists itself and the root index."""
    return _index(base, ["/sitemaps/loop-index.xml", INDEX_PATH])


def good_sitemap(base: str, articles: Sequence[tuple[str, PageText]]) -> str:
    """The valid articles (with lastmod) and every page case."""
    entries = [(path, iso(t.published) if t.published else None) for path, t in articles]
    return _urlset(base, entries + [(p, None) for p in page_cases()])


def malformed_sitemap(base: str) -> str:
    """Two good entries, then broken XML: a bad date, an undefined entity, a stray '<', unclosed tags."""
    return (f'{_XML_DECL}<urlset xmlns="{SITEMAP_NS}">\n  <url><loc>{base}/news/7001</loc></url>\n'
            f"  <url><loc>{base}/news/7002</loc><lastmod>2026-13-45T99:99</lastmod></url>\n"
            f"  <url><loc>{base}/news/9014&nbsp;</loc></url>\n  <url><loc>{base}/news/< 9013</loc>\n"
            f"  <url><lastmod>yesterday</url></loc>\n  <url><loc>{base}/news/9011")


def huge_sitemap(base: str) -> str:
    """A urlset of HUGE_SITEMAP_URLS URLs (over the 50,000 limit), all 404."""
    return _urlset(base, ((f"/news/s{i:06d}", None) for i in range(HUGE_SITEMAP_URLS)))


def lol_sitemap(base: str) -> str:
    """Billion laughs: ten levels of ten internal entities, referenced in a <loc>."""
    levels = ['  <!ENTITY lol0 "lol">'] + [f'  <!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)]
    doctype = "<!DOCTYPE urlset [\n" + "\n".join(levels) + "\n]>\n"
    return _urlset(base, [("/news/&lol9;", None)], doctype).replace("&amp;lol9;", "&lol9;")


def xxe_sitemap(base: str) -> str:
    """An external entity on a local file, referenced in a <loc>."""
    doctype = '<!DOCTYPE urlset [\n  <!ENTITY xxe SYSTEM "file:///etc/hostname">\n]>\n'
    return _urlset(base, [("/news/&xxe;", None)], doctype).replace("&amp;xxe;", "&xxe;")


def rss_feed(base: str, articles: Sequence[tuple[str, PageText]], cases: Sequence[str]) -> str:
    """A valid RSS 2.0 feed of the valid articles and some case pages."""
    items = []
    for path, t in articles:
        date = f"<pubDate>{rfc822(t.published)}</pubDate>" if t.published else ""
        items.append(f"    <item><title>{escape(t.title or '')}</title><link>{escape(base + path)}</link>"
                     f"<guid>{escape(base + path)}</guid>{date}</item>\n")
    items += [f"    <item><title>case</title><link>{escape(base + p)}</link></item>\n" for p in cases]
    return (f'{_XML_DECL}<rss version="2.0">\n  <channel>\n    <title>hostile</title>\n    <link>{base}/</link>\n'
            f"    <description>hostile</description>\n{''.join(items)}  </channel>\n</rss>\n")


def broken_rss(base: str) -> str:
    """RSS with an undefined entity, a control character, mismatched and unclosed tags."""
    return (f'{_XML_DECL}<rss version="2.0">\n  <channel>\n    <title>hostile &nbsp; broken</title>\n'
            f"    <item><title>خبر\x0b بلا إغلاق</title><link>{base}/news/7001</link>\n"
            f"    <item><title>وسم غير مطابق</titel><link>{base}/news/7002</link></item>\n"
            f"    <item><link>{base}/news/9014</link><pubDate>Mon, 99 Foo 2026 25:61:00 +9900</pubDate>\n"
            "  </channel>\n")
