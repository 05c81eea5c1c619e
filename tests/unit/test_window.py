"""The backfill date window and what sitemap names, URLs and date hints say about it."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from crawler.planning.window import (
    DateWindow,
    day_archive_urls,
    latest_instant,
    parse_day_argument,
    sitemap_days,
    url_days,
)

OCT = DateWindow(date(2026, 10, 1), date(2026, 10, 7), "Asia/Riyadh")


@pytest.mark.parametrize(
    ("since", "until", "message"),
    [
        ("2015-9-1", None, "since must be a date written YYYY-MM-DD, got '2015-9-1'"),
        (None, "20150930", "until must be a date written YYYY-MM-DD, got '20150930'"),
        ("2015-02-30", None, "since must be a date written YYYY-MM-DD, got '2015-02-30'"),
        ("2015-10-01", "2015-09-30", "since (2015-10-01) is after until (2015-09-30)"),
    ],
)
def test_bad_arguments(since, until, message):
    with pytest.raises(ValueError) as err:
        DateWindow.from_arguments(since, until)
    assert str(err.value) == message


def test_arguments_and_open_bounds():
    assert parse_day_argument("2015-09-01", "since") == date(2015, 9, 1)
    window = DateWindow.from_arguments("2015-09-01", None, "Asia/Riyadh")
    assert window.bounded and window.days is None and window.describe() == "2015-09-01.."
    assert not DateWindow.from_arguments(None, None).bounded
    assert DateWindow.from_arguments(None, "2015-09-30").describe() == "..2015-09-30"
    assert OCT.days == 7


def test_days_are_local_to_the_site():
    # 22:30 UTC on Sep 30 is already Oct 1 in Riyadh (+03:00)
    assert OCT.contains(datetime(2026, 9, 30, 22, 30, tzinfo=UTC))
    assert not OCT.contains(datetime(2026, 9, 30, 20, 30, tzinfo=UTC))
    assert OCT.contains(datetime(2026, 10, 7, 20, 59, tzinfo=UTC))
    assert not OCT.contains(datetime(2026, 10, 7, 21, 0, tzinfo=UTC))


def test_place_of_days():
    assert OCT.place_of_days(date(2026, 9, 1), date(2026, 9, 30)) == "before"
    assert OCT.place_of_days(date(2026, 10, 8), date(2026, 10, 31)) == "after"
    assert OCT.place_of_days(date(2026, 10, 2), date(2026, 10, 2)) == "in"
    assert OCT.place_of_days(date(2026, 10, 1), date(2026, 10, 31)) == "unknown"


@pytest.mark.parametrize(
    ("url", "days"),
    [
        ("http://h/2026/10/03/slug-1/", (date(2026, 10, 3),) * 2),
        ("http://h/news/2026-10-03-slug", (date(2026, 10, 3),) * 2),
        ("http://h/2026/10/slug-1/", (date(2026, 10, 1), date(2026, 10, 31))),
        ("http://h/news/20261003", None),  # could be an id
        ("http://h/news/2019123", None),
        ("http://h/2026/02/30/x/", (date(2026, 2, 1), date(2026, 2, 28))),  # no such day: the month still holds
        ("http://h/article.php?id=2026", None),
    ],
)
def test_url_days(url, days):
    assert url_days(url) == days


def test_url_days_with_a_site_pattern():
    pattern = r"/(?P<y>\d{4})/[a-z_]+/(?P<m>\d{1,2})/(?P<d>\d{1,2})/"
    assert url_days("https://arabic.cnn.com/2026/middle_east/10/3/x", pattern) == (date(2026, 10, 3),) * 2
    assert url_days("https://arabic.cnn.com/sport/x", pattern) is None


@pytest.mark.parametrize(
    ("url", "days"),
    [
        ("http://127.0.0.2:2019/sitemaps/2026-09.xml", (date(2026, 9, 1), date(2026, 9, 30))),
        ("http://h/post-sitemap_2015_09_30.xml", (date(2015, 9, 30),) * 2),
        ("http://h/sitemap/2015/02/", (date(2015, 2, 1), date(2015, 2, 28))),
        ("http://h/sitemap-2015.xml", (date(2015, 1, 1), date(2015, 12, 31))),
        ("http://h/sitemap.xml?yyyy=2015&mm=09", (date(2015, 9, 1), date(2015, 9, 30))),
        ("http://h/sitemaps/news.xml", None),
        ("http://h/post-sitemap2.xml", None),
        ("http://h/sitemap-20150930.xml", None),
    ],
)
def test_sitemap_days(url, days):
    assert sitemap_days(url) == days


def test_article_evidence_in_order_of_trust():
    # a published date decides, even against the URL
    assert OCT.place_of_article("http://h/2026/10/03/x/", "2026-09-01T10:00:00+03:00", None) == ("before", "published")
    assert OCT.place_of_article("http://h/2026/10/03/x/", None, None) == ("in", "url_date")
    assert OCT.place_of_article("http://h/2026/10/x/", None, None) == ("unknown", "none")
    # lastmod bounds publication from above only: it can prune before since, never after until
    assert OCT.place_of_article("http://h/news/1", None, "2026-09-30T23:00:00+03:00") == ("before", "lastmod")
    assert OCT.place_of_article("http://h/news/1", None, "2026-11-30T23:00:00+03:00") == ("unknown", "none")
    # the days of the dated sitemap listing it, when they lie wholly inside or outside the window
    week, month = (date(2026, 10, 2), date(2026, 10, 3)), (date(2026, 10, 1), date(2026, 10, 31))
    assert OCT.place_of_article("http://h/news/1", None, None, sitemap=week) == ("in", "sitemap_name")
    assert OCT.place_of_article("http://h/news/1", None, None, sitemap=month) == ("unknown", "none")
    # an ambiguous date without a site rule places nothing
    assert OCT.place_of_article("http://h/news/1", "3/10/2026", None) == ("unknown", "none")
    assert OCT.place_of_article("http://h/news/1", "10/3/2026", None, date_order="MDY") == ("in", "published")


def test_sitemap_evidence():
    assert OCT.place_of_sitemap("http://h/sitemaps/2026-09.xml", "2026-10-02T00:00:00+03:00") == ("before", "name")
    assert OCT.place_of_sitemap("http://h/sitemaps/2026-11.xml", None) == ("after", "name")
    assert OCT.place_of_sitemap("http://h/sitemap-posts-3.xml", "2026-09-12") == ("before", "lastmod")
    assert OCT.place_of_sitemap("http://h/sitemaps/2026-10.xml", "2026-10-31") == ("unknown", "none")


def test_latest_instant_reads_a_bare_date_as_its_whole_day():
    assert latest_instant("2026-10-03", "UTC") == datetime(2026, 10, 4, tzinfo=UTC)
    assert latest_instant("2026-10-03T10:00:00Z", "UTC") == datetime(2026, 10, 3, 10, tzinfo=UTC)
    assert latest_instant(None, "UTC") is None


def test_day_archive_urls():
    window = DateWindow(date(2026, 10, 1), date(2026, 10, 3))
    assert day_archive_urls("/{day:%Y/%m/%d}/", "http://h/", window) == [
        "http://h/2026/10/03/", "http://h/2026/10/02/", "http://h/2026/10/01/"]
    assert day_archive_urls(None, "http://h/", window) == []
    assert day_archive_urls("/{day:%Y/%m/%d}/", "http://h/", DateWindow(None, date(2026, 10, 3))) == []
    open_end = DateWindow(date(2026, 10, 1), None)
    assert len(day_archive_urls("/a/{day:%Y-%m-%d}", "http://h/", open_end, today=date(2026, 10, 10))) == 10
