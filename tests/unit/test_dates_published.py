"""How find_published chooses among a page's dates: sources, relative dates, the page's own clock, markup."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from lxml import html as lxml_html

import pipelines.extraction.published as published
from crawler.items import SiteRules
from pipelines.extraction.dates.parse import find_dates, parse_date
from pipelines.extraction.page_dates import DateReading
from pipelines.extraction.published import find_published

FETCHED = datetime(2026, 11, 16, 12, 0, tzinfo=UTC)
UNKNOWN = SiteRules(site="t")  # a page nobody here wrote: timezone and date order unknown
CAIRO = SiteRules(site="t", timezone="Africa/Cairo", date_order="DMY")
BODY = "<p>" + "وقال المتحدث باسم الوزارة إن الخطة الجديدة ستدخل حيز التنفيذ مطلع الشهر المقبل. " * 3 + "</p>"


def _found(head: str = "", header: str = "", after: str = "", before: str = "", url: str = "http://h/news/1001",
           rules: SiteRules = UNKNOWN, hints: dict | None = None) -> published.PublishedDate:
    page = (f"<html><head>{head}</head><body>{before}<h1>عنوان الخبر الرئيسي اليوم</h1>{header}{BODY}{after}"
            "</body></html>")
    return find_published(lxml_html.fromstring(page), url, rules, hints or {}, FETCHED)


def _jsonld(published_at: str) -> str:
    return f'<script type="application/ld+json">{{"@type": "NewsArticle", "datePublished": "{published_at}"}}</script>'


# Relative dates: resolved against the fetch time only when the page gives no absolute date anywhere.

def test_a_relative_date_alone_is_resolved_against_the_fetch_time():
    found = _found(header="<span>منذ 3 ساعات</span>")
    assert (found.published_at, found.source) == (datetime(2026, 11, 16, 9, 0, tzinfo=UTC), "visible_text")


@pytest.mark.parametrize(("page", "day", "source"), [
    ({"head": _jsonld("2026-11-10T08:00:00+02:00")}, "2026-11-10", "jsonld"),
    ({"url": "http://h/2026/11/12/story"}, "2026-11-12", "url"),
    ({"after": "<div class='post-date'>12.11.2026</div>"}, "2026-11-12", "visible_text"),
    ({"hints": {"published": "2026-11-13T10:00:00Z"}}, "2026-11-13", "sitemap"),
    ({"after": "<p>تاريخ النشر: 14 نوفمبر 2026</p>"}, "2026-11-14", "visible_text"),
])
def test_any_absolute_date_beats_a_relative_one(page, day, source):
    found = _found(header="<span>منذ 3 ساعات</span>", **page)
    assert (found.published_local[:10], found.source) == (day, source)


@pytest.mark.parametrize("text", ["today", "yesterday", "اليوم 09:15", "أمس الساعة 10:30 م", "3 hours ago", "الآن"])
def test_relative_forms_are_marked_relative(text):
    assert parse_date(text, now=FETCHED).relative


@pytest.mark.parametrize("text", ["15 سبتمبر 2024", "2024-09-15T10:30:00Z", "15.09.2024 10:30", "منذ عام 2011"])
def test_absolute_forms_are_not_relative(text):
    parsed = parse_date(text, now=FETCHED)
    assert parsed is None or not parsed.relative


def test_offset_shown_tells_a_stated_offset_from_the_site_timezone():
    assert parse_date("2024-09-15T10:30:00+03:00").offset_shown
    assert parse_date("2024-09-15T10:30:00Z").offset_shown
    assert parse_date("15 سبتمبر 2024 10:30 GMT+3").offset_shown
    assert not parse_date("15 سبتمبر 2024 10:30", tz="Asia/Riyadh").offset_shown


# The page's own clock: a structured UTC instant is shown as the page shows it.

def test_utc_instant_and_the_wall_clock_the_page_shows_give_the_offset():
    found = _found(head=_jsonld("2023-11-09T03:28:35Z"), header="<span>Published Nov. 8, 2023, 10:28 p.m. ET</span>")
    assert found.published_at == datetime(2023, 11, 9, 3, 28, 35, tzinfo=UTC)
    assert found.published_local == "2023-11-08T22:28:35-05:00"


def test_utc_instant_and_a_naive_time_element_give_the_offset():
    found = _found(head=_jsonld("2023-11-08T21:56:18Z"),
                   header="<div class='byline'><time datetime='2023-11-08 16:56:18'>November 8</time></div>")
    assert (found.published_at.hour, found.published_local) == (21, "2023-11-08T16:56:18-05:00")


def test_utc_instant_shown_as_the_day_the_page_shows_when_no_clock_is_shown():
    found = _found(head=_jsonld("2018-12-31T23:11:59+00:00"), header="<span>1 January 2019</span>")
    assert (found.published_at.date().isoformat(), found.published_local) == ("2018-12-31", "2019-01-01")


def test_utc_instant_shown_in_the_site_timezone():
    found = _found(head=_jsonld("2026-02-10T09:15:20Z"), rules=SiteRules(site="t", timezone="Asia/Beirut"))
    assert found.published_local == "2026-02-10T11:15:20+02:00"


def test_utc_instant_shown_as_the_page_shows_it_in_the_site_timezone():
    found = _found(head=_jsonld("2026-02-10T09:15:20+00:00"), header="<span>2026-02-10 | 11:15</span>",
                   rules=SiteRules(site="t", timezone="Asia/Beirut", date_order="DMY"))
    assert (found.published_at, found.published_local) == (datetime(2026, 2, 10, 9, 15, 20, tzinfo=UTC),
                                                            "2026-02-10T11:15:00+02:00")


def test_local_clock_labelled_utc_is_corrected_for_the_modification_too():
    head = ('<meta property="article:published_time" content="2025-01-27T14:05:41Z">'
            '<meta property="article:modified_time" content="2025-01-27T14:05:41Z">')
    found = _found(head=head, header="<span>الإثنين، 27 يناير 2025 02:05 م</span>", rules=CAIRO)
    assert found.published_at == datetime(2025, 1, 27, 12, 5, tzinfo=UTC)
    assert found.modified_at == datetime(2025, 1, 27, 12, 5, 41, tzinfo=UTC)


def test_a_modification_label_between_day_and_time_keeps_the_time_and_offset():
    header = "<div>الاثنين، 11 تشرين الثاني/نوفمبر 2013، آخر تحديث 16:30 (GMT+0400)</div>"
    found = _found(header=header, url="http://h/2013/11/04/story", rules=CAIRO)
    assert found.modified_at == datetime(2013, 11, 11, 12, 30, tzinfo=UTC)
    assert [m.role for m in find_dates("11 نوفمبر 2013، آخر تحديث 16:30", now=FETCHED)] == ["modified"]


def test_a_time_after_another_label_is_not_this_dates_time():
    [match] = find_dates("نشر 15 أيلول 2024، آخر تحديث 16:30", now=FETCHED)
    assert (match.role, match.parsed.has_time) == ("published", False)


# Which source: URL against a re-published structured date, markup, generic meta tags, page furniture.

def test_a_url_minted_before_a_later_structured_date_wins():
    found = _found(head=_jsonld("2019-06-17T18:28:00+02:00"), url="http://h/home/2017/7/12/slug")
    assert (found.published_local, found.source) == ("2017-07-12", "url")


def test_a_structured_date_a_day_from_the_url_is_kept():
    found = _found(head=_jsonld("2020-02-19T10:00:00+01:00"), url="http://h/2020/02/18/slug")
    assert found.source == "jsonld"


def test_the_time_element_marked_published_beats_the_one_marked_updated():
    header = ("<div class='entry-meta'><time class='entry-date published' datetime='2019-02-10T09:30:10+01:00'>"
              "10. Februar 2019</time><time class='updated' datetime='2019-02-09T23:00:55+01:00'>9. Februar</time>"
              "</div>")
    found = _found(before=header)
    assert (found.published_local[:10], found.modified_at.date().isoformat()) == ("2019-02-10", "2019-02-09")


def test_dates_in_navigation_sidebars_and_page_footers_are_not_the_article_date():
    before = "<div class='navtop'><time datetime='2023-11-01T13:56:20+01:00'>Mittwoch, 01. November 2023</time></div>"
    after = ("<aside class='sidebar'><span class='date'>02.11.2023</span></aside>"
             "<div id='page-footer'><p class='time'>Aktuelle Zeit: 14.10.2020, 12:18</p></div>")
    found = _found(before=before, after=after, header="<p><span class='text_datum'>31. Oktober 2023.</span></p>")
    assert found.published_local == "2023-10-31"


def test_the_date_shown_beats_a_generic_date_meta_tag():
    found = _found(head='<meta name="date" content="2020-04-30">', header="<time>29.04.2020, 12:01 Uhr</time>")
    assert (found.published_local[:10], found.source) == ("2020-04-29", "visible_text")


def test_a_generic_date_meta_tag_confirmed_by_a_shown_date_beats_a_masthead_date():
    header = "<span>Mittwoch, 26.02.2020</span><span>LIVE</span><span>01.05.2017</span>"
    found = _found(head='<meta name="date" content="2017-05-01T17:05:00+0200">', header=header)
    assert (found.published_local[:10], found.source) == ("2017-05-01", "meta")


def test_the_meta_tags_the_page_confirms_beat_a_stale_json_ld_date():
    head = (_jsonld("2023-11-03T10:25:56+00:00")
            + '<meta property="article:published_time" content="2023-11-06T14:25:00Z">')
    found = _found(head=head, header="<span>6. November 2023, 15:25 Uhr</span>")
    assert (found.published_at, found.source) == (datetime(2023, 11, 6, 14, 25, tzinfo=UTC), "meta")


@pytest.mark.parametrize(("after", "day"), [
    ("<p>Veröffentlicht am 16.08.2019<br>Dauer: 1 Stunde</p>", "2019-08-16"),
    ("<div class='x'><h5>Datum: </h5>03.02.2022</div>", "2022-02-03"),
    ("<p><strong>01.02.2022 „Der Arbeitsmarkt ist gut in das Jahr gestartet“, sagte die Vorsitzende heute in "
     "Nürnberg vor der Presse.</strong></p>", "2022-02-01"),
])
def test_the_last_resort_reads_date_lines_anywhere_on_the_page(after, day):
    assert _found(after=after).published_local == day


def test_a_plausible_date_lies_between_1990_and_the_day_after_the_fetch():
    reading = DateReading(UNKNOWN, FETCHED, published.EARLIEST)
    assert reading.plausible(published.EARLIEST) and reading.plausible(FETCHED + timedelta(days=1))
    assert not reading.plausible(published.EARLIEST - timedelta(seconds=1))
    assert not reading.plausible(FETCHED + timedelta(days=1, seconds=1)) and not reading.plausible(None)


def test_htmldate_extensive_search_is_never_run(monkeypatch):
    calls = []
    monkeypatch.setattr(published, "find_date", lambda tree, **kw: calls.append(kw) or None)
    _found()
    assert calls and all(kw["extensive_search"] is False for kw in calls)


# Dates of pages in other languages.

@pytest.mark.parametrize(("text", "day"), [
    ("20. Mai 2007", "2007-05-20"), ("14 de enero de 2020", "2020-01-14"), ("30 septembre 2018", "2018-09-30"),
    ("14 Gennaio 2020", "2020-01-14"), ("15 августа 2016, 13:43", "2016-08-15"), ("3 maart 2021", "2021-03-03"),
    ("03.04.2019", "2019-04-03"), ("8.5.12", "2012-05-08"), ("Nov. 8, 2023, 10:28 p.m.", "2023-11-08"),
])
def test_european_dates_on_pages_nobody_here_wrote(text, day):
    assert parse_date(text).local.date().isoformat() == day


@pytest.mark.parametrize(("text", "order"), [("03/04/2019", "unknown"), ("04.03.2019", "MDY")])
def test_only_dots_decide_an_unknown_order(text, order):
    parsed = parse_date(text, date_order=order)
    assert parsed is None if order == "unknown" else parsed.local.date().isoformat() == "2019-04-03"


def test_named_zones_with_one_offset():
    assert parse_date("Nov 8, 2023 / 10:35 PM PST").local.isoformat() == "2023-11-08T22:35:00-08:00"
    assert parse_date("Nov 8, 2023 / 10:35 PM ET").local.isoformat() == "2023-11-08T22:35:00+00:00"  # ET: either
