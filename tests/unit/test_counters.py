"""View, comment and share counters."""

from __future__ import annotations

import pytest

from pipelines.extraction.counters import counters_from_meta_list, counters_from_text, parse_count


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2,345", 2345), ("١٢٣٤", 1234), ("1.234", 1234), ("۱۲", 12), ("0", 0), ("12a", None), ("", None), ("3/7", None)],
)
def test_parse_count(text, expected):
    assert parse_count(text) == expected


@pytest.mark.parametrize(
    ("text", "views", "comments", "shares"),
    [
        ("2,345 مشاهدة", 2345, None, None),
        ("عدد القراءات: ١٢٣٤", 1234, None, None),
        ("12 تعليقات · 1,002 مشاهدات · 7 مشاركة", 1002, 12, 7),
        ("المشاهدات 88", 88, None, None),
        ("نشر في 15 أيلول 2024", None, None, None),
    ],
)
def test_counters_from_text(text, views, comments, shares):
    assert counters_from_text(text) == {"views": views, "comments": comments, "shares": shares}


def test_meta_list_after_date_and_time():
    items = ["الرئيسية", "3/7/2026", "09:05", "1,234", "5", "12", "ignored"]
    assert counters_from_meta_list(items) == {"views": 1234, "comments": 5, "shares": 12}


def test_meta_list_needs_date_time_and_three_numbers():
    assert counters_from_meta_list(["3/7/2026", "09:05", "1234", "x"]) is None
    assert counters_from_meta_list(["1234", "5", "12"]) is None
