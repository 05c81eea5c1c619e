"""What date parsing returns: a parsed date, a date found in a longer text, and its role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

Role = Literal["published", "modified", "unknown"]


@dataclass(frozen=True)
class ParsedDate:
    """One parsed date: the instant in UTC and as the page meant it.

    relative: resolved against the fetch time («منذ 3 ساعات», «أمس», «today»), not stated on the page;
    offset_shown: the text gave its UTC offset («+03:00», «Z», «GMT+3»), rather than the site's timezone supplying it.
    """

    utc: datetime
    local: datetime
    has_time: bool
    text: str
    relative: bool = False
    offset_shown: bool = False


@dataclass(frozen=True)
class DateMatch:
    """A date found in a longer text: where it is and what its label says it is."""

    parsed: ParsedDate
    start: int
    end: int
    role: Role


def aware(value: datetime, tz: str | ZoneInfo) -> datetime:
    """value itself when it has a timezone, else value in tz."""
    return value if value.tzinfo else value.replace(tzinfo=ZoneInfo(tz) if isinstance(tz, str) else tz)
