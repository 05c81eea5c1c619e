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


@pytest.mark.parametrize("text", ["1e30", "1E3", "0x10", "١٫٥e٣", "+5", "-5", "−5", "12.5", "１２３", "१२३", "5km",
                                  "1.5.3", "10:30", "inf", "nan", "1_000"])
def test_what_is_no_numeral_is_no_count(text):
    assert parse_count(text) is None
    assert counters_from_text(f"{text} تعليق") == {"views": None, "comments": None, "shares": None}
    assert counters_from_text(f"التعليقات: {text}") == {"views": None, "comments": None, "shares": None}


@pytest.mark.parametrize(("text", "expected"), [("5K", 5_000), ("١٫٥ ألف", 1_500), ("3 مليون", 3_000_000),
                                                ("١٬٢٣٤", 1_234), ("999,999,999,999", 999_999_999_999)])
def test_numerals_with_separators_and_multipliers(text, expected):
    assert parse_count(text) == expected
    assert counters_from_text(f"{text} مشاهدة")["views"] == expected


@pytest.mark.parametrize("text", ["1,000,000,000,001", "2000000 مليون", "9999999999999999999999999"])
def test_absurd_counts_are_none(text):
    assert parse_count(text) is None
    assert counters_from_text(f"{text} مشاهدة")["views"] is None


def test_label_right_before_the_number():
    assert counters_from_text("المشاهدات:1234")["views"] == 1234
