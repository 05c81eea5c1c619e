"""Parse dates as Arabic news pages show them: a regex fast path, with dateparser as a last resort.

Hijri-only dates are converted with the tabular (arithmetic) Islamic calendar, which can differ by ±1 day
from the observed or Umm al-Qura calendar.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import parsedate_tz
from zoneinfo import ZoneInfo

from pipelines.extraction.dates import grammar as G
from pipelines.extraction.dates import months as W
from pipelines.extraction.dates.fallback import ORDERS, dateparser_date
from pipelines.extraction.dates.months import hijri_to_gregorian
from pipelines.extraction.dates.types import DateMatch, ParsedDate, Role, aware

_LOOKBACK = 48  # how far before a date to look for its label, weekday or time


@dataclass
class _Hit:
    start: int
    end: int
    day: date | None = None  # calendar date in the site tz; a time may still be attached
    instant: datetime | None = None  # «الآن», «منذ 3 ساعات»: already a point in time
    hijri: bool = False
    bare: bool = False  # «اليوم», «أمس»: too common a word to trust without a label or a time
    relative: bool = False  # «منذ 3 ساعات», «أمس»: resolved against now
    time: tuple[int, int, int] | None = None
    offset: int | None = None  # minutes east of UTC, when the text gave one


def _valid(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d) if 100 <= y <= 9998 else None  # keeps later tz arithmetic inside datetime's range
    except ValueError:
        return None


def _numeric(m: re.Match[str], order: str) -> _Hit | None:
    sa, sb, sc = m["a"], m["b"], m["c"]
    a, b, c = int(sa), int(sb), int(sc)
    dotted = m["sep"] == "." and order not in ("MDY", "YMD") and len(sa) <= 2
    if dotted and order not in ORDERS:
        order = "DMY"  # 03.04.2019: dotted dates put the day first (US pages write 4/3/2019, never 4.3.2019)
    if len(sa) == 4 and len(sc) <= 2:
        y, mo, d = a, b, c
    elif len(sc) == 4 and len(sa) <= 2:
        if a <= 12 and b <= 12 and a != b and order not in ORDERS:
            return None  # ambiguous, and no site rule decides the order: never guess
        mdy = b > 12 >= a or (order == "MDY" and a <= 12 and b <= 12)
        y, (mo, d) = c, ((a, b) if mdy else (b, a))
    elif len(sc) == 2 and len(sa) <= 2 and order != "YMD" and (a > 12 or b > 12 or a == b or dotted):
        # 2-digit years only when day and month cannot be swapped (or dots put the day first): one ambiguity at a time
        y, (mo, d) = (2000 + c if c < 70 else 1900 + c), ((a, b) if b > 12 else (b, a))  # strptime's %y pivot
    else:
        return None
    hijri = bool(m["suf"]) and m["suf"].strip() != "م"
    day = hijri_to_gregorian(y, mo, d) if hijri else _valid(y, mo, d)
    return _Hit(m.start(), m.end(), day, hijri=hijri) if day else None


def _minus_months(d: date, n: int) -> date:
    y, m = divmod(d.year * 12 + d.month - 1 - n, 12)
    return date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def _relative(m: re.Match[str], now: datetime, zone: ZoneInfo) -> _Hit:
    if m["eu"]:
        unit, count = m["eu"].lower() + "s", G.NUMBERS.get(m["en"].lower()) or float(m["en"])
    else:
        unit, base = G.UNITS[G.lookup_key(m["unit"])]
        raw = m["n"]
        count = (float(raw) if raw.isdigit() else G.NUMBERS[G.lookup_key(raw)]) if raw else base or W.PLURAL_COUNT
    hit = _Hit(m.start(), m.end(), relative=True)
    if unit in ("seconds", "minutes", "hours"):
        hit.instant = (now - timedelta(**{unit: count})).replace(microsecond=0)
        return hit
    today = now.astimezone(zone).date()
    if unit in ("days", "weeks"):
        hit.day = today - timedelta(**{unit: count})
    else:
        hit.day = _minus_months(today, int(count * (12 if unit == "years" else 1)))
    return hit


def _attach_time(hit: _Hit, t: re.Match[str]) -> bool:
    h, mi, s = int(t["H"]), int(t["M"]), int(t["S"] or 0)
    ap = G.lookup_key(t["ap"]) if t["ap"] else None
    if ap and 1 <= h <= 12:
        if ap in G.AM:
            h = 0 if h == 12 else h
        elif ap == "ليلا":  # «12 ليلا» is midnight, «1 ليلا» 01:00, «11 ليلا» 23:00
            h = 0 if h == 12 else h + 12 if h >= 6 else h
        elif ap == "ظهرا":  # «12 ظهرا» is noon, «2 ظهرا» 14:00
            h = h + 12 if h <= 6 else h
        elif h != 12:
            h += 12
    if h > 23 or mi > 59 or s > 59:
        return False
    hit.time = (h, mi, s)
    sign, hh, mm = t["s2"] or t["s3"] or t["s1"], t["h2"] or t["h3"] or t["h1"], t["m2"] or t["m3"] or t["m1"]
    if t["z"] or t["zw"] or sign:
        base = G.ZONES.get(G.lookup_key(t["zw"]), 0) if t["zw"] else 0
        delta = int(hh or 0) * 60 + int(mm or 0)
        offset = base + (-delta if sign == "-" else delta)
        hit.offset = offset if abs(offset) <= 14 * 60 else None
    return True


def _candidates(norm: str, zone: ZoneInfo, order: str, now: datetime, loose: bool) -> list[_Hit]:
    hits: list[_Hit] = []
    today = now.astimezone(zone).date()
    if G.DIGIT.search(norm):
        for rx in (G.DMY, G.MDY):
            hits += [_Hit(m.start(), m.end(), d) for m in rx.finditer(norm)
                     if (d := _valid(int(m["y"]), G.MONTHS[G.lookup_key(m["mon"]).rstrip(".")], int(m["d"])))]
        hits += [_Hit(m.start(), m.end(), d, hijri=True) for m in G.HIJ.finditer(norm)
                 if (d := hijri_to_gregorian(int(m["y"]), G.HIJRI[G.lookup_key(m["mon"])], int(m["d"])))]
        hits += [h for m in G.NUM.finditer(norm) if (h := _numeric(m, order))]
        for m in G.DM.finditer(norm) if loose else ():
            mon, d = G.MONTHS[G.lookup_key(m["mon"]).rstrip(".")], int(m["d"])
            day = _valid(today.year, mon, d)
            if day and day > today + timedelta(days=1):  # a year-less date is the latest one not in the future
                day = _valid(today.year - 1, mon, d)
            if day:
                hits.append(_Hit(m.start(), m.end(), day))
    for m in G.REL.finditer(norm):
        try:
            hits.append(_relative(m, now, zone))
        except (ValueError, OverflowError):  # «منذ 9999 سنة»
            continue
    for m in G.BARE.finditer(norm):
        back = G.DAY_WORDS[G.lookup_key(m["w"])]
        hits.append(_Hit(m.start(), m.end(), bare=True, relative=True,
                         instant=now.replace(microsecond=0) if back is None else None,
                         day=None if back is None else today - timedelta(days=back)))
    return hits


def _scan(norm: str, zone: ZoneInfo, order: str, now: datetime, loose: bool) -> list[tuple[_Hit, Role]]:
    hits = sorted(_candidates(norm, zone, order, now, loose), key=lambda h: (h.start, h.start - h.end))
    out: list[tuple[_Hit, Role]] = []
    prev_end = 0
    for hit in hits:
        if hit.start < prev_end:  # overlapping: the earlier, longer match already won
            continue
        lo = max(prev_end, hit.start - _LOOKBACK)
        late: Role | None = None
        day_end = hit.end
        if hit.day is not None and (after := G.TIME_AFTER.match(norm, hit.end)) and _attach_time(hit, after):
            hit.end = after.end()
            late = "published" if after["lpub"] else "modified" if after["lmod"] else None
        if weekday := G.WEEKDAY_BEFORE.search(norm, lo, hit.start):
            hit.start = weekday.start()
        before = G.TIME_BEFORE.search(norm, lo, hit.start) if hit.day is not None and hit.time is None else None
        if before and _attach_time(hit, before):
            hit.start = before.start()
        label = G.LABEL_BEFORE.search(norm, lo, hit.start)
        role: Role = "published" if label and label["pub"] else "modified" if label else late or "unknown"
        if late and role != late:  # «نشر 15 أيلول 2024، آخر تحديث 16:30»: the time is the update's, not this date's
            hit.end, hit.time, hit.offset = day_end, None, None
        if role == "unknown" and out and out[-1][0].hijri and G.TWIN_GAP.fullmatch(norm, prev_end, hit.start):
            role = out[-1][1]  # «نُشر: 12 ربيع الأول 1446 هـ - 15 سبتمبر 2024»: the label covers both halves
        if hit.bare and not loose and role == "unknown" and hit.time is None:
            continue
        out.append((hit, role))
        prev_end = hit.end
    return out


def _build(hit: _Hit, text: str, index: list[int] | None, zone: ZoneInfo) -> tuple[ParsedDate, int, int]:
    start, end = hit.start, hit.end
    if index is not None:  # back to source offsets; the end takes in marks on the last letter
        start, end = index[start], index[end] if end < len(index) else len(text)
    if hit.instant is not None:
        return ParsedDate(hit.instant.astimezone(UTC), hit.instant.astimezone(zone), True, text[start:end],
                          relative=True), start, end
    assert hit.day is not None
    tzinfo = zone if hit.offset is None else timezone(timedelta(minutes=hit.offset))
    local = datetime(hit.day.year, hit.day.month, hit.day.day, *(hit.time or (0, 0, 0)), tzinfo=tzinfo)
    return ParsedDate(local.astimezone(UTC), local, hit.time is not None, text[start:end], relative=hit.relative,
                      offset_shown=hit.offset is not None), start, end


def find_dates(text: str, *, tz: str = "UTC", date_order: str = "DMY", now: datetime | None = None) -> list[DateMatch]:
    """Every date found in a longer visible text, in order, with its role."""
    zone, (norm, index), now = ZoneInfo(tz), G.normalize(text), aware(now or datetime.now(UTC), UTC)
    found = [(h, role, *_build(h, text, index, zone)) for h, role in _scan(norm, zone, date_order, now, False)]
    gregorian = [p.local.date() for h, _, p, *_ in found if not h.hijri]
    # «15 ربيع الأول 1446 هـ الموافق 18 سبتمبر 2024» is one date: keep the Gregorian half
    return [DateMatch(p, start, end, role) for h, role, p, start, end in found
            if not (h.hijri and any(abs((g - p.local.date()).days) <= 2 for g in gregorian))]


def parse_date(text: str, *, tz: str = "UTC", date_order: str = "DMY",
               now: datetime | None = None) -> ParsedDate | None:
    """Parse one date string as shown on an Arabic news page; None when it holds no date."""
    zone, (norm, index), now = ZoneInfo(tz), G.normalize(text), aware(now or datetime.now(UTC), UTC)
    hits = _scan(norm, zone, date_order, now, True)
    if hits:
        hit = next((h for h, _ in hits if not h.hijri), hits[0][0])
        return _build(hit, text, index, zone)[0]
    return _fallback(norm, text, zone, date_order)


def _fallback(norm: str, text: str, zone: ZoneInfo, date_order: str) -> ParsedDate | None:
    # Only absolute dates with a 4-digit year: dateparser resolves relative dates against the system clock.
    if len(norm) > 200 or not G.YEAR.search(norm) or not G.LETTER.search(norm):
        return None
    if any(rx.search(norm) for rx in (G.DMY, G.MDY, G.NUM, G.HIJ)):  # a shape we know, but an invalid date («31 شباط»)
        return None
    value = dateparser_date(G.LABEL_ANY.sub(" ", norm), date_order)
    if value is None:
        return None
    local = aware(value, zone)
    return ParsedDate(local.astimezone(UTC), local, bool(re.search(r"\d:\d\d", norm)), text.strip(),
                      offset_shown=value.tzinfo is not None)


def to_utc(value: str, *, tz: str = "UTC") -> datetime | None:
    """ISO-8601 / RFC-822 / structured-data date string → aware UTC datetime (naive → site tz)."""
    s = " ".join(value.translate(G.TABLE).split())
    try:
        return aware(datetime.fromisoformat(s), tz).astimezone(UTC)
    except (ValueError, OverflowError):
        pass
    try:  # RFC-822, including its 2-digit years
        p = parsedate_tz(s) if s.isascii() and re.match(r"[A-Za-z]{3},?\s+\d", s) else None
        if p and _valid(p[0], p[1], p[2]):
            zone = ZoneInfo(tz) if p[9] is None else timezone(timedelta(seconds=p[9]))
            return datetime(*p[:6], tzinfo=zone).astimezone(UTC)
    except (ValueError, TypeError, IndexError, OverflowError):
        pass
    result = parse_date(s, tz=tz)
    return result.utc if result else None
