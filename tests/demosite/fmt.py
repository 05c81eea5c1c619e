"""Date, number and escaping helpers shared by layouts and feeds."""

from __future__ import annotations

import html
from datetime import datetime
from email.utils import format_datetime

from .vocab import GULF_MONTHS, LEVANT_MONTHS, WEEKDAYS


def esc(text: str) -> str:
    """HTML-escape text for element content and attribute values."""
    return html.escape(text, quote=True)


def indic_entities(text: str | int) -> str:
    """Arabic-Indic digits as numeric character references (cp1256 has no such digits)."""
    return "".join(f"&#{ord(c) + 0x0660 - 0x30};" if c.isascii() and c.isdigit() else c for c in str(text))


def iso(dt: datetime) -> str:
    """ISO-8601 with seconds and the UTC offset, e.g. 2026-09-15T10:30:00+03:00."""
    return dt.isoformat(timespec="seconds")


def rfc822(dt: datetime) -> str:
    """RFC-822 date for RSS pubDate, e.g. Tue, 15 Sep 2026 10:30:00 +0300."""
    return format_datetime(dt)


def us_date(dt: datetime) -> str:
    """M/D/YYYY without zero padding (US order)."""
    return f"{dt.month}/{dt.day}/{dt.year}"


def hhmm(dt: datetime) -> str:
    """24h HH:MM."""
    return f"{dt.hour:02d}:{dt.minute:02d}"


def gulf_words(dt: datetime, with_time: bool = True) -> str:
    """Gulf-style Arabic date in words, e.g. «الأحد، 15 نوفمبر 2026 - 10:30 ص»."""
    text = f"{WEEKDAYS[dt.weekday()]}، {dt.day} {GULF_MONTHS[dt.month - 1]} {dt.year}"
    if not with_time:
        return text
    hour = dt.hour % 12 or 12
    suffix = "ص" if dt.hour < 12 else "م"
    return f"{text} - {hour}:{dt.minute:02d} {suffix}"


def levant_words(dt: datetime, with_time: bool = True) -> str:
    """Levantine date with Arabic-Indic digits as entities, e.g. «١٥ أيلول ٢٠٢٦ - ١٠:٣٠»."""
    text = f"{indic_entities(dt.day)} {LEVANT_MONTHS[dt.month - 1]} {indic_entities(dt.year)}"
    if with_time:
        text += f" - {indic_entities(hhmm(dt))}"
    return text


def thousands(n: int) -> str:
    """Integer with a comma thousands separator, e.g. 2,345."""
    return f"{n:,}"
