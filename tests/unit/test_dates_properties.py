"""Property tests for pipelines.extraction.dates.parse: never raises, and every month table round-trips."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.extraction.dates import months as W
from pipelines.extraction.dates.parse import find_dates, parse_date
from tests.unit.test_dates import ARABIC_INDIC, NOW, PERSIAN, TABLES

PIECES = st.sampled_from([
    *W.STANDARD_MONTHS, *W.LEVANTINE_MONTHS, *W.MAGHREBI_MONTHS, *W.HIJRI_MONTHS, *W.WEEKDAYS[:8], "منذ", "قبل", "ساعة",
    "أيام", "أمس", "اليوم", "م", "ص", "هـ", "نُشر في:", "آخر تحديث:", "/", "-", ":", "،", "|", "(", ")", "GMT", "+",
])
NUMBERS = st.integers(min_value=0, max_value=99999).map(str)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80), st.sampled_from(["DMY", "MDY", "YMD"]))
def test_never_raises_on_arbitrary_text(text: str, order: str) -> None:
    parsed = parse_date(text, tz="Asia/Beirut", date_order=order, now=NOW)
    assert parsed is None or parsed.utc.utcoffset() == timedelta(0)
    for m in find_dates(text, tz="Asia/Beirut", date_order=order, now=NOW):
        assert 0 <= m.start < m.end <= len(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(PIECES, NUMBERS, NUMBERS.map(lambda s: s.translate(ARABIC_INDIC))), max_size=8),
       st.sampled_from([" ", "", " - "]))
def test_never_raises_on_date_like_pieces(pieces: list[str], joiner: str) -> None:
    text = joiner.join(pieces)
    parsed = parse_date(text, tz="Asia/Beirut", now=NOW)
    assert parsed is None or parsed.local.tzinfo is not None
    find_dates(text, tz="Africa/Casablanca", now=NOW)


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=date(1995, 1, 1), max_value=date(2035, 12, 31)),
       st.sampled_from(["standard", "levantine", "maghrebi", "algerian"]),
       st.sampled_from([None, ARABIC_INDIC, PERSIAN]),
       st.sampled_from(["{d} {m} {y}", "{w} {d} {m} {y}", "نُشر في: {d} {m}، {y}", "{d} {m} {y} - 10:30"]))
def test_round_trip_with_every_month_table(day: date, table: str, digits: dict | None, shape: str) -> None:
    weekday = ("الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")[day.weekday()]
    text = shape.format(d=day.day, m=TABLES[table][day.month - 1], y=day.year, w=weekday)
    text = text.translate(digits) if digits else text
    parsed = parse_date(text, tz="Asia/Beirut", now=NOW)
    assert parsed is not None and parsed.local.date() == day
