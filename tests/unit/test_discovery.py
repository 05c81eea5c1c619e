"""Robots, sitemaps, feeds and link classification."""

from __future__ import annotations

import pytest

from crawler.discovery.parsers import (
    is_next_page_link,
    looks_like_article,
    parse_feed,
    parse_sitemap,
    same_site,
    sitemap_urls_from_robots,
)

NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>http://127.0.0.3:1/2026/11/14/a-b-c/</loc><lastmod>2026-11-14T10:00:00+03:00</lastmod>
    <news:news><news:publication><news:name>x</news:name><news:language>ar</news:language></news:publication>
      <news:publication_date>2026-11-14T09:30:00+03:00</news:publication_date><news:title>t</news:title>
    </news:news></url>
</urlset>"""


def test_robots_sitemaps():
    text = "User-agent: *\nDisallow: /admin/\nSitemap: http://127.0.0.2:1/sitemap_index.xml\nsitemap:  /other.xml\n"
    assert sitemap_urls_from_robots(text) == ["http://127.0.0.2:1/sitemap_index.xml", "/other.xml"]


def test_news_sitemap_keeps_publication_date():
    kind, entries = parse_sitemap(NEWS_SITEMAP)
    assert kind == "urlset"
    assert entries[0].url == "http://127.0.0.3:1/2026/11/14/a-b-c/"
    assert entries[0].lastmod == "2026-11-14T10:00:00+03:00"
    assert entries[0].published == "2026-11-14T09:30:00+03:00"


def test_sitemap_index_and_garbage():
    index = b"<sitemapindex><sitemap><loc>http://h/s1.xml</loc><lastmod>2026-10-01</lastmod></sitemap></sitemapindex>"
    assert parse_sitemap(index)[0] == "index"
    assert parse_sitemap(index)[1][0].lastmod == "2026-10-01"
    assert parse_sitemap(b"\x89PNG not xml")[0] == "invalid"
    assert parse_sitemap(b"<html><body>hi</body></html>")[0] == "invalid"


def test_sitemap_entities_are_not_expanded():
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>' \
           b"<urlset><url><loc>http://h/&b;</loc></url></urlset>"
    _, entries = parse_sitemap(bomb)
    assert all("aaaa" not in e.url for e in entries)


def test_rss_and_atom():
    rss = b"<rss><channel><item><link>http://h/news/1</link><pubDate>Sat, 14 Nov 2026 09:00:00 +0300</pubDate>" \
          b"</item></channel></rss>"
    atom = b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="http://h/news/2"/>' \
           b"<published>2026-11-14T09:00:00Z</published></entry></feed>"
    assert [(e.url, e.published) for e in parse_feed(rss)] == [("http://h/news/1", "Sat, 14 Nov 2026 09:00:00 +0300")]
    assert [(e.url, e.published) for e in parse_feed(atom)] == [("http://h/news/2", "2026-11-14T09:00:00Z")]
    broken = parse_feed(b"<rss><channel><item><link>http://h/news/3</link><title>broken")
    assert [e.url for e in broken] in ([], ["http://h/news/3"])  # recovered or empty, never raises


@pytest.mark.parametrize(
    ("url", "article"),
    [
        ("http://h/news/123", True),
        ("http://h/2026/09/15/some-slug/", True),
        ("http://h/article.php?id=5", True),
        ("http://h/page/2/", False),
        ("http://h/news?page=2", False),
        ("http://h/category/economy/", False),
        ("http://h/images/12.jpg", False),
        ("http://h/", False),
    ],
)
def test_looks_like_article(url, article):
    assert looks_like_article(url) is article


def test_next_page_and_same_site():
    assert is_next_page_link("الصفحة التالية", None)
    assert is_next_page_link("2", "next")
    assert not is_next_page_link("اقتصاد", None)
    assert same_site("/x", "http://127.0.0.2:8780/")
    assert not same_site("http://127.0.0.3:8780/x", "http://127.0.0.2:8780/")
