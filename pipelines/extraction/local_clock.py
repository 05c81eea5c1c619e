"""A chosen publication date as the page shows it: its local clock, for published_local."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date, time, timedelta, timezone
from zoneinfo import ZoneInfo

from crawler.items import SiteRules
from pipelines.extraction.dates.types import ParsedDate


def local_text(parsed: ParsedDate) -> str:
    """The date as the page shows it: ISO date and time with offset, or the date alone when no time is shown.

    A shown time of 00:00 is a placeholder (aggregators print it for every article), not a time.
    """
    if not parsed.has_time or parsed.local.time() == time(0):
        return parsed.local.date().isoformat()
    return parsed.local.isoformat()


def mislabelled_utc(structured: ParsedDate, shown: ParsedDate | None) -> bool:
    """Structured data saying «09:23Z» while the page shows 09:23 local time: the local clock was labelled UTC."""
    return (shown is not None and shown.has_time and structured.local.utcoffset() == timedelta(0)
            and shown.local.utcoffset() != timedelta(0)
            and structured.local.replace(tzinfo=None, second=0) == shown.local.replace(tzinfo=None, second=0))


def _shift_unknown_zone(instant: ParsedDate, clock: ParsedDate) -> ParsedDate | None:
    """instant (a UTC instant, or a wall clock of unknown zone) and clock (another form of the same moment) → the
    moment with the offset that makes both agree, when they are whole quarter hours apart; else None.

    «2023-11-09T03:28:35Z» and «Nov. 8, 2023, 10:28 p.m. ET» are 03:28:35 UTC, shown at -05:00.
    """
    if (instant.offset_shown and clock.offset_shown) or (not instant.offset_shown and not clock.offset_shown):
        return None
    zoned, naive = (instant, clock) if instant.offset_shown else (clock, instant)
    if not (zoned.has_time and naive.has_time) or zoned.local.utcoffset() != timedelta(0):
        return None
    delta = naive.local.replace(tzinfo=None) - zoned.utc.replace(tzinfo=None)
    quarters = round(delta / timedelta(minutes=15))
    offset = quarters * timedelta(minutes=15)
    if quarters == 0 or abs(offset) > timedelta(hours=14) or abs(delta - offset) >= timedelta(minutes=1):
        return None
    local = zoned.utc.astimezone(timezone(offset))
    return replace(zoned, local=local, offset_shown=True)


def as_shown(chosen: ParsedDate, evidence: Iterable[ParsedDate], day: Callable[[], date | None],
             rules: SiteRules) -> tuple[ParsedDate, str]:
    """The chosen structured date and its published_local, as the page shows it.

    - an instant the page also shows in its own clock (same minute) is kept, shown as the page shows it;
    - with an unknown site timezone, a UTC instant and a wall clock of the same moment give the offset;
    - with an unknown site timezone, a UTC instant whose day differs from the day the page shows (day()), by no
      more than a timezone can make, is shown as that day;
    - else a UTC instant is shown in the site's timezone.
    """
    utc_labelled = chosen.offset_shown and chosen.local.utcoffset() == timedelta(0)
    unknown_zone = rules.timezone == "UTC" and (not chosen.offset_shown or utc_labelled)
    # a date alone, or an instant in a known offset, is already as the page shows it
    for other in evidence if chosen.has_time and (unknown_zone or utc_labelled) else ():
        if (other.local.replace(tzinfo=None), other.local.utcoffset()) == (
                chosen.local.replace(tzinfo=None), chosen.local.utcoffset()):
            continue  # the chosen date itself (again)
        if (other.has_time and abs(other.utc - chosen.utc) < timedelta(minutes=1)
                and (other.offset_shown or rules.timezone != "UTC")):
            return chosen, local_text(replace(other, utc=chosen.utc))
        if unknown_zone and (shifted := _shift_unknown_zone(chosen, other)):
            return shifted, local_text(shifted)
    if unknown_zone and chosen.has_time and (shown := day()) and shown != chosen.local.date() and \
            (chosen.utc - timedelta(hours=12)).date() <= shown <= (chosen.utc + timedelta(hours=14)).date():
        return chosen, shown.isoformat()
    if utc_labelled and rules.timezone != "UTC":
        chosen = replace(chosen, local=chosen.utc.astimezone(ZoneInfo(rules.timezone)))
    return chosen, local_text(chosen)

