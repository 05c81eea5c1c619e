"""Listing pages: article links with the date shown beside each, and the next-page link."""

from __future__ import annotations

from datetime import datetime

import pytest
from lxml import html

from crawler.discovery import listing
from crawler.discovery.listing import dated_links, feed_links, next_page_links
from crawler.items import SiteRules
from tests.demosite.client import fetch

RULES = {"nabaa": SiteRules("nabaa", "Asia/Riyadh", "MDY"), "wasat": SiteRules("wasat", "Asia/Riyadh", "DMY"),
         "sham": SiteRules("sham", "Asia/Beirut", "DMY")}


def _page(url: str) -> html.HtmlElement:
    _, headers, body = fetch(url)
    return html.fromstring(body.decode(headers.get_content_charset() or "utf-8"))


@pytest.mark.parametrize("outlet", ["nabaa", "wasat", "sham"])
def test_every_listed_article_gets_its_shown_date(demo_site, outlet):
    base = demo_site.outlet(outlet).base_url
    truth = {t["url"]: datetime.fromisoformat(t["published"]) for t in demo_site.truth(outlet)}
    for page_url in (base, *next_page_links(_page(base), base, base)):
        entries = dated_links(_page(page_url), page_url, RULES[outlet])
        dated = [e for e in entries if e.published]
        assert len(dated) == 20, page_url  # the 20 items of the page; sidebar links carry no date
        for entry in dated:
            shown = datetime.fromisoformat(entry.published)
            assert shown.replace(second=0) == truth[entry.url].replace(second=0), entry.url


def test_next_page_links(demo_site):
    base = demo_site.outlet("wasat").base_url
    assert next_page_links(_page(base), base, base) == [base + "page/2/"]
    last = base + f"page/{-(-len(demo_site.truth('wasat')) // 20)}/"
    assert next_page_links(_page(last), last, base) == []


def test_a_number_in_a_headline_is_not_the_date():
    page = html.fromstring(
        '<ul><li><a href="/news/101">قمة 2026 في الرياض يوم 12/12/2025</a> <span>3/10/2026 09:15</span></li>'
        '<li><a href="/news/102">خبر بلا تاريخ</a></li></ul>')
    entries = dated_links(page, "http://h/", SiteRules("h", "Asia/Riyadh", "DMY"))
    assert [(e.url, e.published) for e in entries] == [
        ("http://h/news/101", "2026-10-03T09:15:00+03:00"), ("http://h/news/102", None)]


def test_malformed_links_are_skipped_not_fatal():
    page = html.fromstring(
        '<html><head><link rel="alternate" type="application/rss+xml" href="http://[">'
        '<link rel="alternate" type="application/rss+xml" href="/rss.xml"></head><body>'
        '<a href="http://[">x</a><a href="http://[/news/5">y</a><a href="/news/701">z</a> <span>3/10/2026</span>'
        '<a href="http://[/page/2" rel="next">التالي</a></body></html>')
    rules = SiteRules("h", "UTC", "DMY")
    assert [e.url for e in dated_links(page, "http://h/", rules)] == ["http://h/news/701"]
    assert next_page_links(page, "http://h/", "http://h/") == []
    assert feed_links(page, "http://h/", "http://h/") == ["http://h/rss.xml"]


def test_anchors_to_one_url_are_dated_once_per_item(monkeypatch):
    calls = []
    monkeypatch.setattr(listing, "item_date", lambda item, *args: calls.append(item) and None)
    page = html.fromstring("<ul>" + '<li><a href="/news/1001">خبر</a><p>بلا تاريخ</p></li>' * 1_500 + "</ul>")
    assert [e.url for e in dated_links(page, "http://h/", SiteRules("h", "UTC"))] == ["http://h/news/1001"]
    assert len(calls) == 1  # the whole list is the one item of that URL


def test_a_later_item_can_date_a_repeated_link():
    page = html.fromstring(
        '<div><a href="/news/101">خبر</a></div><ul><li><a href="/news/101">خبر</a> <span>3/10/2026</span></li>'
        '<li><a href="/news/102">آخر</a></li></ul>')
    entries = dated_links(page, "http://h/", SiteRules("h", "UTC", "DMY"))
    assert [(e.url, e.published) for e in entries] == [
        ("http://h/news/101", "2026-10-03T00:00:00+00:00"), ("http://h/news/102", None)]


def test_next_page_links_are_bounded():
    page = html.fromstring("".join(f'<a rel="next" href="/list?page={i}">{i}</a>' for i in range(100)))
    assert next_page_links(page, "http://h/", "http://h/", limit=3) == [f"http://h/list?page={i}" for i in range(3)]
    assert next_page_links(page, "http://h/", "http://h/", max_links=2) == ["http://h/list?page=0",
                                                                             "http://h/list?page=1"]
