"""Home page, robots.txt, sitemaps (good, malformed, huge, entity attacks, loop, endless chain) and RSS feeds (good,
broken, huge) of the hostile outlet."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape

from .feeds import SITEMAP_NS
from .fmt import esc, iso, rfc822
from .hostile_cases import CASES_BY_KIND, HOSTILE_CASES
from .hostile_pages import PageText

HUGE_SITEMAP_URLS = 60_000
ROBOTS_DEAD_SITEMAPS = 100_000
DEAD_SITEMAP = "/sitemaps/dead/{:06d}.xml"  # all 404
HUGE_FEED_ITEMS = 110_000
CHAIN_INDEX = "/sitemaps/chain/{}.xml"  # each index lists the next one, without end
SESSION_LINKS = 50  # links to the session-id trap, each with its own sid
# Listing traps the home page links as its next pages.
LISTING_TRAPS: tuple[str, ...] = ("many-feeds", "many-next-links", "same-article-anchors")
GOOD_SITEMAP = "/sitemaps/articles.xml"
INDEX_PATH = "/sitemap_index.xml"
FEED_PATH = "/rss.xml"
BROKEN_FEED_PATH = "/rss-broken.xml"
HUGE_FEED_PATH = CASES_BY_KIND["huge-feed"].path
_XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n'


def page_cases() -> list[str]:
    """Paths of the cases that are pages (linked from the home page)."""
    return [c.path for c in HOSTILE_CASES if c.path.startswith("/news/")]


def sitemap_cases() -> list[str]:
    """Paths of the sitemap cases (listed in the sitemap index)."""
    return [c.path for c in HOSTILE_CASES if c.path.startswith("/sitemaps/")]


def session_links(path: str, count: int = SESSION_LINKS) -> list[str]:
    """`count` links to one page, each with another random session id (sid) in its query."""
    rng = random.Random(f"akhbar-demosite/hostile/sid{path}")
    return [f"{path}?sid={rng.getrandbits(64):016x}" for _ in range(count)]


def _case_links(kind: str, path: str) -> list[str]:
    return session_links(path) if kind == "session-id-trap" else [path]


def home_html(articles: Sequence[tuple[str, str]]) -> str:
    """The home page: title «hostile», the feeds as <link rel=alternate>, the valid articles, every page case (the
    session-id trap by its sid links) and the listing traps as next pages."""
    valid = "".join(f'<li><a href="{path}">{esc(title)}</a></li>\n' for path, title in articles)
    cases = "".join(f'<li><a href="{href}">{esc(c.kind)}</a>: {esc(c.description)}</li>\n'
                    for c in HOSTILE_CASES if c.path.startswith("/news/") for href in _case_links(c.kind, c.path))
    feeds = "".join(f'<link rel="alternate" type="application/rss+xml" title="hostile{label}" href="{path}">\n'
                    for path, label in ((FEED_PATH, ""), (BROKEN_FEED_PATH, " (broken)"), (HUGE_FEED_PATH, " (huge)")))
    nexts = "".join(f'<a rel="next" href="{CASES_BY_KIND[k].path}">المزيد</a>\n' for k in LISTING_TRAPS)
    return ('<!DOCTYPE html>\n<html lang="ar" dir="rtl">\n<head>\n<meta charset="utf-8">\n<title>hostile</title>\n'
            f"{feeds}</head>\n<body>\n<h1>hostile</h1>\n<h2>آخر الأخبار</h2>\n<ul>\n"
            f"{valid}</ul>\n<h2>cases</h2>\n<ul>\n{cases}</ul>\n{nexts}</body>\n</html>\n")


def robots_txt(base: str, dead: int = ROBOTS_DEAD_SITEMAPS) -> str:
    """robots.txt naming the sitemap index, then `dead` sitemaps that do not exist."""
    lines = "".join(f"Sitemap: {base}{DEAD_SITEMAP.format(n)}\n" for n in range(1, dead + 1))
    return f"User-agent: *\nDisallow: /admin/\n\nSitemap: {base}{INDEX_PATH}\n{lines}"


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


def chain_index(base: str, n: int) -> str:
    """Index number `n` of an endless chain: it lists index n + 1."""
    return _index(base, [CHAIN_INDEX.format(n + 1)])


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
    return rss_items(base, items)


def broken_rss(base: str) -> str:
    """RSS with an undefined entity, a control character, mismatched and unclosed tags."""
    return (f'{_XML_DECL}<rss version="2.0">\n  <channel>\n    <title>hostile &nbsp; broken</title>\n'
            f"    <item><title>خبر\x0b بلا إغلاق</title><link>{base}/news/7001</link>\n"
            f"    <item><title>وسم غير مطابق</titel><link>{base}/news/7002</link></item>\n"
            f"    <item><link>{base}/news/9014</link><pubDate>Mon, 99 Foo 2026 25:61:00 +9900</pubDate>\n"
            "  </channel>\n")


def huge_feed(base: str, paths: Sequence[str], items: int = HUGE_FEED_ITEMS) -> str:
    """RSS of `items` items linking to `paths` over and over (pages that exist: a feed's dead links would be fetched
    as early as the home page's and exhaust the error budget before the cases are fetched)."""
    return rss_items(base, (f"    <item><link>{base}{paths[n % len(paths)]}</link></item>\n" for n in range(items)))


def rss_items(base: str, items: Iterable[str]) -> str:
    """An RSS 2.0 document around `items` (<item> lines)."""
    return (f'{_XML_DECL}<rss version="2.0">\n  <channel>\n    <title>hostile</title>\n    <link>{base}/</link>\n'
            f"    <description>hostile</description>\n{''.join(items)}  </channel>\n</rss>\n")
