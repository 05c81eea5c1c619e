"""The day a URL states: one rule for discovery (crawler.planning.window) and extraction (pipelines.extraction)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from lxml import html as lxml_html

from crawler.items import SiteRules
from crawler.planning.window import url_days
from pipelines.extraction.dates.url import url_date
from pipelines.extraction.published import find_published

CNN = r"/(?P<y>\d{4})/[a-z_]+/(?P<m>\d{1,2})/(?P<d>\d{1,2})/"


@pytest.mark.parametrize(
    ("url", "day"),
    [
        # year, month, day with one separator, at the start of a path segment
        ("http://h/news/2024/09/15.html", date(2024, 9, 15)),
        ("http://h/2024-09-15_slug", date(2024, 9, 15)),
        ("http://h/2024/09/15/slug/", date(2024, 9, 15)),
        ("http://h/2024/9/5/slug", date(2024, 9, 5)),
        ("http://h/ar/2024-09-15-slug-words", date(2024, 9, 15)),
        ("http://h/2024/09/15", date(2024, 9, 15)),
        ("http://h/2024/09/15?utm_source=x#top", date(2024, 9, 15)),
        ("http://h/1999/12/31/x", date(1999, 12, 31)),
        # mixed separators: a year folder, then a slug or id starting with two numbers («3-1», «9-15»)
        ("http://h/2024/9-15/", None),
        ("http://h/2024-09/15/x", None),
        ("http://h/sport/2024/3-1-win", None),
        ("http://h/2023/10/3-fragen-an-tina/", None),
        ("http://h/2023/10/13-ideas", None),
        # a date inside a slug is free text, not a path date
        ("http://h/news/slug-2024-09-15", None),
        ("http://h/news/x2024/09/15/", None),
        # years out of range, months and days that do not exist
        ("http://h/1850/09/15/x", None),
        ("http://h/2100/01/01/x", None),
        ("http://h/2024/13/01/x", None),
        ("http://h/2024/02/30/x", None),
        ("http://h/2024/09/32/x", None),
        ("http://h/2023/02/29/x", None),
        ("http://h/2024/02/29/x", date(2024, 2, 29)),
        # ids that look like dates
        ("http://h/news/20240915", None),
        ("http://h/news/2024-09-1501", None),
        ("http://h/2024/09/150/x", None),
        ("http://h/article.php?id=2024-09-15", None),
        ("http://h/x?date=/2024/09/15/", None),
        # the host is not the path
        ("http://2024-09-15.example.com/x", None),
        ("http://[/2024/09/15/", None),
    ],
)
def test_url_date(url: str, day: date | None) -> None:
    assert url_date(url) == day


def test_a_site_pattern_replaces_the_rule() -> None:
    assert url_date("https://arabic.cnn.com/2026/middle_east/10/3/x", CNN) == date(2026, 10, 3)
    assert url_date("https://arabic.cnn.com/2026/10/03/x", CNN) is None  # the general rule is not tried
    assert url_date("https://arabic.cnn.com/2026/middle_east/2/30/x", CNN) is None


@pytest.mark.parametrize("url", ["http://h/news/2024/09/15.html", "http://h/2024-09-15_slug", "http://h/2024/9-15/",
                                 "http://h/2024/09/15?x=1"])
def test_discovery_and_extraction_agree(url: str) -> None:
    tree = lxml_html.fromstring("<html><body><h1>عنوان</h1><p>نص</p></body></html>")
    rules = SiteRules(site="t", timezone="Asia/Riyadh")
    found = find_published(tree, url, rules, {}, datetime(2026, 1, 1, tzinfo=UTC))
    days = url_days(url)
    extracted = found.published_local if found.source == "url" else None
    assert extracted == (days[0].isoformat() if days else None)
