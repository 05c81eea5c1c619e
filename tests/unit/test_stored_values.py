"""Only true values stored: URLs that are web URLs, one document per article whatever session a link carries,
bounded titles, paragraphs and search tokens, and implausible years recorded."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from lxml import html as lxml_html

from crawler.items import Article, FetchedPage, SiteRules, url_hash, without_session_params
from pipelines.arabic.normalize import (
    PARAGRAPH_MAX_CHARS,
    TITLE_MAX_CHARS,
    TOKEN_MAX_CHARS,
    bounded_paragraph,
    normalize_article,
)
from pipelines.extraction.article import extract_article
from pipelines.extraction.pagemeta import MAX_URL_CHARS, canonical_link, lead_image, web_url
from pipelines.extraction.precheck import implausible_date
from tests.support.articles import make_article

BASE = "http://127.0.0.5/news/1001"


@pytest.mark.parametrize("link", [
    "javascript:alert(document.cookie)", " JavaScript:alert(1)", "java\tscript:alert(1)", "file:///etc/passwd",
    "data:image/png;base64,iVBORw0KGgo=", "ftp://127.0.0.5/a.jpg", "mailto:desk@example.com", "http://[x/",
    "http://127.0.0.5:99999/a", "http://127.0.0.5/a\x00b", "http://127.0.0.5/" + "a" * MAX_URL_CHARS, "", None,
])
def test_what_is_no_web_url_is_not_stored(link):
    assert web_url(link, BASE) is None


@pytest.mark.parametrize(("link", "url"), [
    ("https://127.0.0.5/news/1001", "https://127.0.0.5/news/1001"),
    ("/images/1.jpg", "http://127.0.0.5/images/1.jpg"),
    ("//cdn.example/1.jpg", "http://cdn.example/1.jpg"),
    (" 1.jpg\n", "http://127.0.0.5/news/1.jpg"),
])
def test_web_urls_are_absolute(link, url):
    assert web_url(link, BASE) == url


def test_canonical_and_lead_image_skip_what_is_no_web_url():
    tree = lxml_html.fromstring(
        '<html><head><link rel="canonical" href="javascript:alert(document.cookie)">'
        '<meta property="og:url" content="/news/1001"><meta property="og:image" content="file:///etc/passwd">'
        '</head><body><img alt="news-picture" src="data:image/png;base64,AAAA"><p>x</p></body></html>')
    assert canonical_link(tree, BASE) == "http://127.0.0.5/news/1001"
    assert lead_image(tree, BASE) is None


@pytest.mark.parametrize(("url", "stripped"), [
    ("http://h/news/1001?sid=0a1b2c3d4e5f", "http://h/news/1001"),
    ("http://h/n?id=5&utm_source=fb&UTM_Campaign=x&fbclid=IwAR0&gclid=1&msclkid=2&mc_cid=3&mc_eid=4&_ga=5",
     "http://h/n?id=5"),
    ("http://h/n?PHPSESSID=1&JSESSIONID=2&ASPSESSIONIDQQGGQGPD=3&cfid=4&cftoken=5&session_id=6&sessionid=7&p=2",
     "http://h/n?p=2"),
    ("http://h/news/1;jsessionid=A1B2C3?page=2", "http://h/news/1?page=2"),
    ("http://h/news/1;v=2?sidebar=1", "http://h/news/1;v=2?sidebar=1"),
    # sid is a story's own id on PHP-Nuke sites: kept unless it holds a session token
    ("http://h/modules.php?name=News&file=article&sid=123", "http://h/modules.php?name=News&file=article&sid=123"),
    ("http://h/article.php?sid=20261114093000", "http://h/article.php?sid=20261114093000"),
    ("http://h/news/1;sid=A1B2C3D4E5F6G7?p=2", "http://h/news/1?p=2"),
    ("http://h/news/1?sid=000000000000000000000000000000ff", "http://h/news/1"),
    ("http://h/news/1?b=2&a=1#top", "http://h/news/1?b=2&a=1#top"),
])
def test_session_and_tracking_parameters_are_stripped(url, stripped):
    assert without_session_params(url) == stripped
    assert url_hash(url) == url_hash(stripped)


def _normalized(title: str | None, body: str) -> Article:
    return normalize_article(make_article(BASE, title=title, body=body))


def test_a_title_over_the_bound_is_no_title():
    assert _normalized("ع" * (TITLE_MAX_CHARS + 1), "نص الخبر").title is None
    title = "عنوان " * (TITLE_MAX_CHARS // 6)
    assert _normalized(title, "نص الخبر").title == title.strip()


def test_a_huge_paragraph_is_cut_at_a_word_and_the_article_kept():
    article = _normalized("عنوان الخبر", "فقرة أولى.\n" + "كلمة " * 200_000 + "\nفقرة أخيرة.")
    first, cut, last = article.body.split("\n")
    assert (first, last) == ("فقرة أولى.", "فقرة أخيرة.")
    assert len(cut) <= PARAGRAPH_MAX_CHARS and cut.endswith("كلمة…")
    assert bounded_paragraph("ب" * 500_000) == "ب" * (PARAGRAPH_MAX_CHARS - 1) + "…"
    assert bounded_paragraph("فقرة عادية.") == "فقرة عادية."


def test_a_word_longer_than_a_token_is_no_search_token():
    article = _normalized("عنوان", "بداية " + "ب" * 500_000 + "\nنهاية " + "ك" * TOKEN_MAX_CHARS)
    assert article.tokens == ["عنوان", "بدايه", "نهايه", "ك" * TOKEN_MAX_CHARS]


def test_a_giant_heading_goes_into_neither_title_nor_body():
    paragraph = "قال المتحدث باسم الوزارة إن الاجتماع ناقش عددا من القضايا المهمة وسبل التعاون المشترك في المنطقة. " * 3
    html = (f"<html><head><title>عنوان الخبر</title></head><body><h1>{'تنويه ' * 20_000}</h1>"
            f"<time datetime='2026-02-01'>1 فبراير 2026</time>{f'<p>{paragraph}</p>' * 4}</body></html>")
    article = normalize_article(extract_article(_page(html)))
    assert article.title is None or len(article.title) <= TITLE_MAX_CHARS
    assert "تنويه" not in (article.title or "") + article.body
    assert article.body.count(paragraph.strip()) == 4


def _dated_page(published: str) -> FetchedPage:
    return _page(f'<html><head><script type="application/ld+json">{{"@type": "NewsArticle", "headline": "خبر", '
                 f'"datePublished": "{published}"}}</script></head><body><h1>خبر</h1><p>نص</p></body></html>')


def _page(html: str) -> FetchedPage:
    return FetchedPage(url=BASE, final_url=BASE, site="s", body=html.encode(), encoding=None,
                       headers={"Content-Type": "text/html; charset=utf-8"},
                       fetched_at=datetime(2026, 3, 1, tzinfo=UTC), rules=SiteRules("s", "Asia/Riyadh"))


@pytest.mark.parametrize(("published", "when"), [
    ("9999-12-31T23:59:59+03:00", "after the page was fetched"), ("12026-01-01", "after the page was fetched"),
    ("0000-01-01T00:00:00Z", "before 1990"), ("0001-01-01T00:00:00", "before 1990"),
    ("٣١ ديسمبر ٩٩٩٩", "after the page was fetched"),
])
def test_years_no_datetime_holds_are_implausible_dates(published, when):
    assert implausible_date(_dated_page(published)) == (
        f"jsonld date {published!r} is {when}: stored without a publication date")


@pytest.mark.parametrize("published", ["2026-02-28T10:00:00+03:00", "0000-00-00 00:00:00", "1700000000", "9999"])
def test_no_implausible_date_where_no_date_is_stated(published):
    assert implausible_date(_dated_page(published)) is None
