"""The hostile outlet's newer cases: discovery traps where discovery reads them (robots.txt, the sitemap index, the
home page's next pages and feeds), endless or unsized responses, costly or misleading articles, odd redirects and
charsets. `builders` serves the catalogued paths, `dynamic` the endless families of URLs the traps point to."""

from __future__ import annotations

import base64
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from urllib.parse import parse_qsl, urlsplit

from . import hostile_articles as articles
from . import hostile_feeds as feeds
from .fmt import esc
from .hostile_pages import VALID_IDS, PageText, article_html, case_text, listing_html
from .hostile_raw import HTML, RSS, XML, chunked, endless_headers, redirect
from .site import RawResponse, Response

UNSIZED_BYTES = 24 * 1024 * 1024  # over DOWNLOAD_MAXSIZE (16 MiB)
COOKIES = 150
COOKIE_VALUE_BYTES = 100
MANY_FEEDS = 50_000
FEED_STUB = "/feeds/{}.xml"  # each an empty feed
MANY_NEXT = 100_000
NEXT_PAGE = "/archive/next?page={}"  # each an empty listing
NEXT_ARTICLE = "/news/n000001"  # the one article the many-next listing shows (404): its next pages are worth reading
SAME_ANCHORS = 1_500
SAME_TARGET = "/news/7003"
FILLER = "تفاصيل الخبر الكاملة في الصفحة الداخلية مع الصور ومقاطع الفيديو وآراء القراء"  # no date, no digit
RETRY_AFTER = "3600"

Served = Response | RawResponse


def many_feeds_html(count: int = MANY_FEEDS) -> str:
    """A listing announcing `count` feeds in its head."""
    head = "".join(f'<link rel="alternate" type="application/rss+xml" href="{FEED_STUB.format(n)}">\n'
                   for n in range(1, count + 1))
    return listing_html("خلاصات", []).replace("</title>", "</title>\n" + head, 1)


def many_next_html(count: int = MANY_NEXT) -> str:
    """A listing of one article and `count` rel=next links, each to another page."""
    nexts = "".join(f'<a rel="next" href="{NEXT_PAGE.format(n)}">التالي</a>\n' for n in range(1, count + 1))
    return listing_html("الأرشيف", [(NEXT_ARTICLE, "خبر")], nexts)


def same_article_html(count: int = SAME_ANCHORS, target: str = SAME_TARGET) -> str:
    """A listing of `count` undated items, all linking to one article."""
    items = "".join(f'<li><a href="{target}">اقرأ المزيد</a> <span>{FILLER}</span></li>\n' for _ in range(count))
    return listing_html("أخبار متفرقة", []).replace("<ul>\n", "<ul>\n" + items, 1)


def _cookie_page(page: str) -> Response:
    cookies = tuple(("Set-Cookie", f"c{n:03d}={'v' * COOKIE_VALUE_BYTES}; Path=/") for n in range(COOKIES))
    return Response(200, HTML, page.encode(), cookies)


def _unsized(text: PageText, closing: threading.Event) -> RawResponse:
    head, tail = articles.around_paragraphs(text)
    unit = "".join(f"<p>{esc(p)}</p>\n" for p in text.paragraphs).encode()
    return chunked(HTML, head.encode(), unit, UNSIZED_BYTES, tail.encode(), closing)


def _data_url(page: str) -> str:
    return "data:text/html;charset=utf-8;base64," + base64.b64encode(page.encode()).decode()


def builders(base: str, end_date: date, closing: threading.Event) -> dict[str, Callable[[], Served]]:
    """One builder per newer case kind."""

    def text(kind: str) -> PageText:
        return case_text(kind, end_date)

    def html(page: str, content_type: str = HTML) -> Response:
        return Response(200, content_type, page.encode())

    parts = urlsplit(base)
    other_port = f"{parts.scheme}://{parts.hostname}:{(parts.port or 80) % 65535 + 1}/news/{VALID_IDS[0]}"
    ebcdic = article_html(text("ebcdic-cp037"), charset="cp037").encode("cp037", "xmlcharrefreplace")
    return {
        "endless-headers": lambda: endless_headers(closing),
        "unsized-download": lambda: _unsized(text("unsized-download"), closing),
        "comment-forms": lambda: html(articles.comment_forms(text("comment-forms"))),
        "big-paragraph": lambda: html(articles.big_paragraph(text("big-paragraph"))),
        "slow-extraction": lambda: html(articles.slow_extraction(text("slow-extraction"))),
        "cookie-flood": lambda: _cookie_page(article_html(text("cookie-flood"))),
        "session-id-trap": lambda: html(article_html(text("session-id-trap"))),
        "script-urls": lambda: html(articles.script_urls(text("script-urls"))),
        "exponent-count": lambda: html(articles.exponent_comments(replace(text("exponent-count"), views=None))),
        "giant-h1": lambda: html(articles.giant_h1(text("giant-h1"))),
        "giant-word": lambda: html(articles.giant_word(text("giant-word"))),
        "redirect-other-port": lambda: redirect(other_port),
        "redirect-file": lambda: redirect("file:///etc/passwd"),
        "redirect-ftp": lambda: redirect(f"ftp://{parts.hostname}/news/7001"),
        "redirect-data": lambda: redirect(_data_url(article_html(text("redirect-data")))),
        "redirect-javascript": lambda: redirect(articles.SCRIPT_CANONICAL),
        "retry-after-hour": lambda: Response(429, "text/plain; charset=utf-8", b"slow down\n",
                                             (("Retry-After", RETRY_AFTER),)),
        "year-9999": lambda: html(articles.stated_date(text("year-9999"), "9999-11-15T10:30:00+03:00")),
        "year-0": lambda: html(articles.stated_date(text("year-0"), "0000-11-15T10:30:00+03:00")),
        "utf16-no-bom": lambda: Response(200, "text/html; charset=utf-16",
                                         article_html(text("utf16-no-bom"), charset="utf-16").encode("utf-16-le")),
        "ebcdic-cp037": lambda: Response(200, "text/html; charset=cp037", ebcdic),
        "deep-nesting": lambda: html(articles.deep_nesting(text("deep-nesting"))),
        "sitemap-index-chain": lambda: Response(200, XML, feeds.chain_index(base, 1).encode()),
        "huge-feed": lambda: Response(200, RSS, feeds.huge_feed(base, [f"/news/{n}" for n in VALID_IDS]
                                                                 + feeds.page_cases()).encode()),
        "robots-many-sitemaps": lambda: Response(200, "text/plain; charset=utf-8", feeds.robots_txt(base).encode()),
        "many-feeds": lambda: html(many_feeds_html()),
        "many-next-links": lambda: html(many_next_html()),
        "same-article-anchors": lambda: html(same_article_html()),
    }


def dynamic(base: str, path: str, query: str) -> Served | None:
    """The endless families the traps point to: chained sitemap indexes, stub feeds, next pages; None otherwise."""
    number = _number(path, feeds.CHAIN_INDEX)
    if number is not None:
        return Response(200, XML, feeds.chain_index(base, number).encode())
    number = _number(path, FEED_STUB)
    if number is not None:
        return Response(200, RSS, feeds.rss_items(base, ()).encode())
    page = dict(parse_qsl(query)).get("page", "")
    if path == urlsplit(NEXT_PAGE).path and page.isdigit():
        return Response(200, HTML, listing_html(f"الأرشيف - صفحة {page}", []).encode())
    return None


def _number(path: str, pattern: str) -> int | None:
    """N when `path` is `pattern` formatted with a positive integer N."""
    prefix, suffix = pattern.split("{}")
    middle = path.removeprefix(prefix).removesuffix(suffix) if path.startswith(prefix) and path.endswith(suffix) \
        else ""
    return int(middle) if middle.isdigit() and int(middle) > 0 else None
