"""dateparser as the last resort for date strings no regex of pipelines.extraction.dates.grammar matches."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any

ORDERS = ("DMY", "MDY", "YMD")


@lru_cache(maxsize=3)
def _parser(date_order: str) -> Any:
    from dateparser.date import DateDataParser  # imported lazily: ~0.5 s, and rarely needed

    settings = {"DATE_ORDER": date_order if date_order in ORDERS else "DMY", "REQUIRE_PARTS": ["day", "month", "year"]}
    return DateDataParser(languages=["ar", "en"], settings=settings)


def dateparser_date(text: str, date_order: str) -> datetime | None:
    """The day (and time) dateparser reads in text, with one reused parser per date order; None on a miss."""
    try:
        found = _parser(date_order).get_date_data(text)
    except Exception:  # dateparser raises assorted errors on odd input; a miss is the right answer here
        return None
    value = found.date_obj
    if value is None or found.period not in ("day", "time") or not 100 <= value.year <= 9998:
        return None
    return value
