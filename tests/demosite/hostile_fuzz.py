"""Hypothesis strategies for fuzzing (tests/unit/test_fuzz.py): random text, URLs and documents, mutated demo pages."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from functools import cache

from hypothesis import strategies as st

from crawler.items import FetchedPage, SiteRules

from .hostile import HostileSite
from .model import DEFAULT_END_DATE, HOSTILE_NAME, OUTLET_NAMES, generate_site, make_outlet
from .site import OutletSite, Response

NOW = datetime(2026, 11, 15, 12, 0, tzinfo=UTC)
ZONES = ("UTC", "Asia/Riyadh", "Asia/Beirut", "Africa/Cairo", "Asia/Tehran", "America/New_York")
ORDERS = ("DMY", "MDY", "YMD", "unknown")

ARABIC = "".join(map(chr, range(0x0621, 0x064B)))
SPICY = ("\u200f\u200e\u200b\u200c\u200d\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\x00\x0b\r\n\t "
         "\u0640\u064b\u064e\u064f\u0650\u0651\u0652\u0670\ufefb\ufef5\ufe8d\ufdf2\u06cc\u06a9\u067e\u0686\u0698\u06af"
         "\u0660\u0661\u0665\u0669\u06f1\u06f5\u060c\u061b\u061f\u066b\u066c%:/.,-()«»\"'\x01\x1f\x7f\x85")
# Pieces of what the parsers look for, so random text reaches their deeper paths.
PIECES = (
    "15 نوفمبر 2026", "١٥ تشرين الثاني ٢٠٢٦", "الأحد، 15 نوفمبر 2026 - 10:30 ص", "10:30 ص", "09:05 م", "منذ 3 ساعات",
    "منذ يومين", "أمس", "3/7/2026", "11/15/2026", "2026-11-15T10:30:00+03:00", "2026-11-15", "15.11.2026",
    "Tue, 15 Sep 2026 10:30:00 +0300", "15 ربيع الأول 1446 هـ", "الموافق", "آخر تحديث:", "نشر في", "بتاريخ",
    "31 فبراير 2026", "0000-00-00", "99:99", "9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+14:00",
    "2,345 مشاهدة", "١٬٢٣٤ قراءة", "1.2 ألف", "3 مليون", "قرأ 532 مرة", "عدد المشاهدات: ٣٤٥", "12 تعليق", "7 مشاركة",
    "دبي (وام) -", "عواصم (وكالات) -", "بيروت (رويترز، أ ف ب) -", "القاهرة - أ ش أ:", "الرياض، السعودية (واس) --",
    "أبوظبي (الاتحاد)", "(", ")", "-", "،", ":", " ", "\n", "ـ", "لـ", "«", "»",
)
FRAGMENT = st.one_of(st.sampled_from(PIECES), st.text(alphabet=ARABIC + SPICY + "0123456789", max_size=12),
                     st.text(max_size=8), st.integers(0, 10**12).map(str), st.integers(10**300, 10**330).map(str))
TEXT = st.one_of(st.text(max_size=200), st.lists(FRAGMENT, max_size=14).map(" ".join),
                 st.lists(FRAGMENT, max_size=14).map("".join))
URL_PART = st.one_of(st.sampled_from(("http://", "https://", "//", "/", "news/", "?id=", "&p=", "#", "[", "]", ":", "@",
                                      "127.0.0.2:8780", "%", "%zz", "..", "2026/11/15", "12345", "-a-b-c", ".xml")),
                     st.text(max_size=6))
URL = st.lists(URL_PART, max_size=10).map("".join)

# Random documents: nested elements with telling attributes, and JSON-LD of any shape.
JSON_KEYS = ("@type", "@graph", "headline", "datePublished", "dateModified", "author", "name", "image", "$where", "a.b")
JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10)
    | st.sampled_from(("NewsArticle", "Article", "WebPage", "Person", "Organization", *PIECES)),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(JSON_KEYS), inner, max_size=5),
    max_leaves=15)
TAGS = ("div", "p", "span", "h1", "h2", "ul", "li", "table", "td", "article", "time", "a", "img", "meta", "link",
        "form", "aside", "b", "script", "noscript", "textarea")
ATTRS = ("", ' class="c-x4"', ' id="comments"', ' dir="ltr"', ' alt="news-picture" src="/i.jpg"', ' src="//["',
         ' href="http://[x"', ' rel="canonical" href="http://a:b:c/"', ' property="og:image" content="http://[::1"',
         ' property="article:published_time" content="2031-01-01T00:00:00Z"', ' name="author" content="واس"',
         ' datetime="2026-11-15T10:30:00+03:00"', ' type="application/ld+json"', ' lang="fa"')


def _element(tag: str, attrs: str, children: list[str]) -> str:
    return f"<{tag}{attrs}>{''.join(children)}</{tag}>"


ELEMENT = st.recursive(FRAGMENT, lambda kids: st.builds(_element, st.sampled_from(TAGS), st.sampled_from(ATTRS),
                                                         st.lists(kids, max_size=5)), max_leaves=40)


@st.composite
def random_html(draw: st.DrawFn) -> bytes:
    """A random document; often with a real article paragraph so extraction goes all the way."""
    ld = "".join(f'<script type="application/ld+json">{json.dumps(v, ensure_ascii=False)}</script>'
                 for v in draw(st.lists(JSON_VALUE, max_size=2)))
    body = "".join(draw(st.lists(ELEMENT, max_size=6)))
    if draw(st.booleans()):
        body += f"<p>{draw(st.sampled_from(paragraphs()))}</p>" * draw(st.integers(1, 3))
    return f"<html><head>{ld}</head><body>{body}</body></html>".encode("utf-8", "surrogatepass")


@cache
def paragraphs() -> tuple[str, ...]:
    """Real body paragraphs of the demo site (each longer than the minimum body)."""
    return tuple(p for s in generate_site(12, DEFAULT_END_DATE)["wasat"] for p in s.paragraphs if len(p) > 90)


@cache
def real_pages() -> tuple[bytes, ...]:
    """Article, home, sitemap and feed bodies of every demo outlet plus the hostile outlet's small pages."""
    specs = generate_site(12, DEFAULT_END_DATE)
    bodies: list[bytes] = []
    for name in OUTLET_NAMES:
        site = OutletSite(make_outlet(name, 8780), specs[name])
        paths = [s.path for s in specs[name][:3]] + ["/", "/sitemap_index.xml", "/sitemaps/news.xml",
                                                     site.layout.feed_path]
        bodies += [site.get(p).body for p in paths]
    hostile = HostileSite(make_outlet(HOSTILE_NAME, 8780), DEFAULT_END_DATE)
    for path in ("/news/7001", "/news/9004", "/news/9009", "/news/9026", "/news/9027", "/news/9030", "/news/9040",
                 "/sitemaps/malformed.xml", "/sitemaps/lol.xml", "/sitemaps/xxe.xml", "/rss-broken.xml"):
        response = hostile.get(path)
        assert isinstance(response, Response)
        bodies.append(response.body)
    return tuple(bodies)


TAG = re.compile(rb"<[^<>]{0,300}>")
NESTING = (b"<div>", b"<table><tr><td>", b"<ul><li>", b"<b><i>", b"<p>", b"<![CDATA[", b"<!--", b"<?xml ")
# A fuzzing dictionary: tokens that stress URL joining, number parsing, XML and JSON-LD handling.
SNIPPETS = (b"http://[", b"//[::1", b"%zz", b"9" * 400, "٩".encode() * 300, b"1e400", b"-0", b"&#0;", b"&#xD800;",
            b"&lol;", b"]]>", b'<!DOCTYPE x [<!ENTITY a "aaaa">]>', b'"@type": {}', b'"@type": [[]]', b": null",
            b'"datePublished": 1', b'"datePublished": {}', b'"author": [{}]', b"\\ud800", b"\\u0000")  # JSON escapes


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A real page after 1-4 mutations: truncation, byte flips, tag deletion or duplication, odd text, deep nesting."""
    data = bytearray(draw(st.sampled_from(real_pages())))
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(("cut", "flip", "drop", "dup", "text", "nest", "bytes", "word")))
        at = draw(st.integers(0, len(data)))
        tags = list(TAG.finditer(data))
        if op == "cut":
            del data[at:]
        elif op == "flip" and data:
            for i in draw(st.lists(st.integers(0, len(data) - 1), min_size=1, max_size=20)):
                data[i] ^= 1 << draw(st.integers(0, 7))
        elif op in ("drop", "dup") and tags:
            tag = tags[draw(st.integers(0, len(tags) - 1))]
            if op == "drop":
                del data[tag.start():tag.end()]
            else:
                data[at:at] = tag.group() * draw(st.integers(1, 50))
        elif op == "text":
            data[at:at] = draw(st.text(alphabet=SPICY + ARABIC, max_size=30)).encode("utf-8", "surrogatepass")
        elif op == "word":
            data[at:at] = draw(st.sampled_from(SNIPPETS))
        elif op == "nest":
            data[at:at] = draw(st.sampled_from(NESTING)) * draw(st.integers(1, 3000))
        else:
            data[at:at] = draw(st.binary(max_size=40))
    return bytes(data)


CONTENT_TYPES = st.one_of(st.none(), st.sampled_from((
    "text/html", "text/html; charset=utf-8", "text/html; charset=windows-1256", "text/html; charset=x-klingon",
    "text/html; charset=utf-16", "text/html; charset=", "application/json", "text/html; charset=utf-7",
    "application/xhtml+xml; charset=iso-8859-6", "text/html; charset=\"utf-8\"; boundary=x")), st.text(max_size=30))
HINT_DATES = st.one_of(st.none(), st.sampled_from(PIECES), st.text(max_size=30))


@st.composite
def fetched_pages(draw: st.DrawFn, body: st.SearchStrategy[bytes]) -> FetchedPage:
    """A FetchedPage around a fuzzed body, with fuzzed Content-Type, rules and sitemap hints."""
    url = draw(st.sampled_from(("http://127.0.0.2:8780/news/48012", "http://127.0.0.3:8780/2026/11/14/a-b-c-10245/",
                                "http://127.0.0.4:8780/article.php?id=3107", "http://127.0.0.5:8780/news/9001")))
    content_type = draw(CONTENT_TYPES)
    hints = {k: v for k, v in (("published", draw(HINT_DATES)), ("lastmod", draw(HINT_DATES))) if v is not None}
    staff = tuple(draw(st.lists(st.sampled_from(("الاتحاد", "واس", "")), max_size=2)))
    rules = SiteRules(draw(st.sampled_from(("nabaa", "wasat", "sham", "hostile"))), draw(st.sampled_from(ZONES)),
                      draw(st.sampled_from(ORDERS)), staff)
    return FetchedPage(url=url, final_url=url, site=rules.site, body=draw(body), encoding=None,
                       headers={"Content-Type": content_type} if content_type is not None else {},
                       fetched_at=NOW, rules=rules, hints=hints)
