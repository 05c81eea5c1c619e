"""Parse dates as Arabic news pages show them: a regex fast path, with dateparser as a last resort.

Hijri-only dates are converted with the tabular (arithmetic) Islamic calendar, which can differ by ±1 day
from the observed or Umm al-Qura calendar.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import parsedate_tz
from zoneinfo import ZoneInfo

from pipelines.extraction.dates import months as W
from pipelines.extraction.dates.fallback import ORDERS, dateparser_date
from pipelines.extraction.dates.months import hijri_to_gregorian
from pipelines.extraction.dates.types import DateMatch, ParsedDate, Role, aware

# Normalization is 1:1 substitutions plus deletions only, so match spans map back onto the source text.
_TABLE = str.maketrans({**W.CHAR_MAP, **dict.fromkeys(W.DELETED_CHARS)})


def _normalize(text: str) -> tuple[str, list[int] | None]:
    norm = text.translate(_TABLE)
    if len(norm) == len(text):
        return norm, None
    return norm, [i for i, ch in enumerate(text) if ord(ch) not in W.DELETED_CHARS]


def _k(word: str) -> str:
    """Lookup key: normalized, lower-case, without spaces."""
    return "".join(word.translate(_TABLE).lower().split())


def _alt(words: Iterable[str]) -> str:
    """An alternation matching any of words (normalized, lower-case; spaces match any run of spaces), the longest
    first, so «كانون الثاني» wins over «كانون» and «تشرين الأول» over «تشرين». Built as a trie: the engine tries
    one branch per character instead of every word at every position (the month names of ten languages)."""
    trie: dict[str, dict] = {}
    for key in {" ".join(w.translate(_TABLE).lower().split()) for w in words}:
        node = trie
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here
    return _trie_pattern(trie)


def _trie_pattern(node: dict[str, dict]) -> str:
    branches = [(r"\s*" if char == " " else re.escape(char)) + _trie_pattern(child)
                for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body  # greedy: the longer word first


_MONTH_TABLES = (W.STANDARD_MONTHS, W.LEVANTINE_MONTHS, W.MAGHREBI_MONTHS, W.ALGERIAN_MONTHS, W.ENGLISH_MONTHS)
_MONTHS = {_k(n): i + 1 for table in _MONTH_TABLES for i, n in enumerate(table)}
_MONTHS.update({_k(n): m for n, m in (*W.MONTH_VARIANTS.items(), *W.EUROPEAN_MONTHS.items())})
_HIJRI = {_k(n): m for n, m in W.HIJRI_MONTHS.items()}
_UNITS = {_k(n): v for n, v in W.RELATIVE_UNITS.items()}
_NUMBERS = {_k(n): v for n, v in W.NUMBER_WORDS.items()}
_AM, _PM = {_k(w) for w in W.AM_WORDS}, {_k(w) for w in W.PM_WORDS}
_DAY_WORDS = {_k(n): v for n, v in W.DAY_WORDS.items()}
_ZONES = {_k(n): v for n, v in W.ZONE_WORDS.items()}

_I = re.IGNORECASE
_L, _R = r"(?<![^\W\d_])", r"(?![^\W\d_])"  # no letter right before / right after
_SEP = r"\s*+[-/.,|]?+\s*+"  # possessive: long whitespace runs must not backtrack quadratically
_MON = rf"{_L}(?:{_alt([*(n for t in _MONTH_TABLES for n in t), *W.MONTH_VARIANTS, *W.EUROPEAN_MONTHS])}){_R}\.?"
_DMY = re.compile(rf"(?<!\d)(?P<d>\d{{1,2}})(?!\d)(?:st|nd|rd|th|er)?{_SEP}(?:(?:من|de|del)\s+)?(?:شهر\s+)?"
                  rf"(?P<mon>{_MON})(?:\s*+[-/(|]?\s*+{_MON}\s*+\)?)?{_SEP}(?:(?:سنه|عام|de|del)\s+)?"
                  rf"(?P<y>\d{{4}})(?!\d)(?:\s*م{_R})?", _I)
_MDY = re.compile(rf"(?P<mon>{_MON})\s*+(?P<d>\d{{1,2}})(?!\d)(?:st|nd|rd|th)?\s*+,?\s*+(?P<y>\d{{4}})(?!\d)", _I)
_DM = re.compile(rf"(?<!\d)(?P<d>\d{{1,2}})(?!\d){_SEP}(?:من\s+)?(?P<mon>{_MON})(?!{_SEP}\d{{3}})", _I)
_HIJ = re.compile(rf"(?<!\d)(?P<d>\d{{1,2}})(?!\d){_SEP}(?:من\s+)?(?:شهر\s+)?{_L}(?P<mon>{_alt(W.HIJRI_MONTHS)}){_R}"
                  rf"{_SEP}(?P<y>1[2-6]\d\d)(?!\d)(?:\s*(?:هجريه|هجري|ه){_R})?")
_NUM = re.compile(r"(?<![\d/.:,-])(?P<a>\d{1,4})\s?(?P<sep>[/.-])\s?(?P<b>\d{1,2})\s?(?P=sep)\s?(?P<c>\d{1,4})"
                  rf"(?!\d|[/.:,-]\d)(?P<suf>\s*(?:هجريه|هجري|ه|م){_R})?")
# «منذ عام 2011», «منذ يوم الأحد», «منذ شهر رمضان» mean "since …", not "… ago"
_SINCE = rf"(?!\s*+(?:\d|{_MON}|(?:{_alt(W.WEEKDAYS)}|{_alt(W.HIJRI_MONTHS)}){_R}))"
_REL = re.compile(rf"{_L}(?:منذ|قبل)\s+(?:(?:حوالي|نحو|قرابه|اكثر\s+من)\s+)?(?:(?P<n>\d{{1,4}}|{_alt(_NUMBERS)})\s+)?"
                  rf"(?P<unit>{_alt(_UNITS)}){_R}{_SINCE}|{_L}(?P<en>\d{{1,4}}|an?|one)\s+(?P<eu>{'|'.join(W.ENGLISH_UNITS)})s?"
                  r"\s+ago\b", _I)
_BARE = re.compile(rf"{_L}(?P<w>{_alt(W.DAY_WORDS)}){_R}", _I)
_TIME = (rf"(?:(?:الساعه|at|@)\s*)?(?<![\d:])(?P<H>\d{{1,2}}):(?P<M>\d{{2}})(?::(?P<S>\d{{2}})(?:\.\d+)?)?(?!\d)"
         rf"(?:\s*(?P<ap>{_alt(_AM | _PM)}){_R})?"
         rf"(?:(?P<z>Z){_R}|(?P<s2>[+-])(?P<h2>\d{{2}}):?(?P<m2>\d{{2}})(?!\d)|\s+(?P<s3>[+-])(?P<h3>\d{{2}})(?P<m3>\d{{2}})(?!\d)"
         rf"|\s*\(?\s*(?P<zw>{_alt(W.ZONE_WORDS)}){_R}\s*(?:(?P<s1>[+-])\s*(?P<h1>\d{{1,2}})(?::?(?P<m1>\d{{2}}))?(?!\d))?"
         r"\s*\)?)?")
# «11 تشرين الثاني 2013، آخر تحديث 16:30»: a label between the day and its time says what both are
_TIME_AFTER = re.compile(rf"[\s,;:|/-]*+(?:{_L}(?:(?P<lpub>{_alt(W.PUBLISHED_LABELS)})|"
                         rf"(?P<lmod>{_alt(W.MODIFIED_LABELS)})){_R}[\s:|.-]*+)?"
                         rf"(?:T|(?:في\s+تمام|في|على|عند|at|um|a\s+las|alle|às)\s+)?{_TIME}", _I)
_TIME_BEFORE = re.compile(rf"{_TIME}[\s,;|/-]*$", _I)
_WEEKDAY_BEFORE = re.compile(rf"{_L}(?:يوم\s+)?(?:{_alt(W.WEEKDAYS)}){_R}\.?[\s,;|/-]*$", _I)
_LABEL_BEFORE = re.compile(rf"{_L}(?:(?P<pub>{_alt(W.PUBLISHED_LABELS)})|(?P<mod>{_alt(W.MODIFIED_LABELS)})){_R}"
                           r"(?:[\s:|/.-]|في|بتاريخ|يوم|on|at)*$", _I)
_LABEL_ANY = re.compile(rf"{_L}(?:{_alt((*W.PUBLISHED_LABELS, *W.MODIFIED_LABELS))}){_R}[\s:]*(?:في|بتاريخ)?", _I)
_DIGIT, _YEAR, _LETTER = re.compile(r"\d"), re.compile(r"(?<!\d)\d{4}(?!\d)"), re.compile(r"[^\W\d_]")
_TWIN_GAP = re.compile(r"[\s,;|/()-]*(?:(?:ال)?موافق\s*ل?)?[\s,;|/()-]*")
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
        unit, count = m["eu"].lower() + "s", _NUMBERS.get(m["en"].lower()) or float(m["en"])
    else:
        unit, base = _UNITS[_k(m["unit"])]
        raw = m["n"]
        count = (float(raw) if raw.isdigit() else _NUMBERS[_k(raw)]) if raw else base or W.PLURAL_COUNT
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
    ap = _k(t["ap"]) if t["ap"] else None
    if ap and 1 <= h <= 12:
        if ap in _AM:
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
        base = _ZONES.get(_k(t["zw"]), 0) if t["zw"] else 0
        delta = int(hh or 0) * 60 + int(mm or 0)
        offset = base + (-delta if sign == "-" else delta)
        hit.offset = offset if abs(offset) <= 14 * 60 else None
    return True


def _candidates(norm: str, zone: ZoneInfo, order: str, now: datetime, loose: bool) -> list[_Hit]:
    hits: list[_Hit] = []
    today = now.astimezone(zone).date()
    if _DIGIT.search(norm):
        for rx in (_DMY, _MDY):
            hits += [_Hit(m.start(), m.end(), d) for m in rx.finditer(norm)
                     if (d := _valid(int(m["y"]), _MONTHS[_k(m["mon"]).rstrip(".")], int(m["d"])))]
        hits += [_Hit(m.start(), m.end(), d, hijri=True) for m in _HIJ.finditer(norm)
                 if (d := hijri_to_gregorian(int(m["y"]), _HIJRI[_k(m["mon"])], int(m["d"])))]
        hits += [h for m in _NUM.finditer(norm) if (h := _numeric(m, order))]
        for m in _DM.finditer(norm) if loose else ():
            mon, d = _MONTHS[_k(m["mon"]).rstrip(".")], int(m["d"])
            day = _valid(today.year, mon, d)
            if day and day > today + timedelta(days=1):  # a year-less date is the latest one not in the future
                day = _valid(today.year - 1, mon, d)
            if day:
                hits.append(_Hit(m.start(), m.end(), day))
    for m in _REL.finditer(norm):
        try:
            hits.append(_relative(m, now, zone))
        except (ValueError, OverflowError):  # «منذ 9999 سنة»
            continue
    for m in _BARE.finditer(norm):
        back = _DAY_WORDS[_k(m["w"])]
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
        if hit.day is not None and (after := _TIME_AFTER.match(norm, hit.end)) and _attach_time(hit, after):
            hit.end = after.end()
            late = "published" if after["lpub"] else "modified" if after["lmod"] else None
        if weekday := _WEEKDAY_BEFORE.search(norm, lo, hit.start):
            hit.start = weekday.start()
        before = _TIME_BEFORE.search(norm, lo, hit.start) if hit.day is not None and hit.time is None else None
        if before and _attach_time(hit, before):
            hit.start = before.start()
        label = _LABEL_BEFORE.search(norm, lo, hit.start)
        role: Role = "published" if label and label["pub"] else "modified" if label else late or "unknown"
        if late and role != late:  # «نشر 15 أيلول 2024، آخر تحديث 16:30»: the time is the update's, not this date's
            hit.end, hit.time, hit.offset = day_end, None, None
        if role == "unknown" and out and out[-1][0].hijri and _TWIN_GAP.fullmatch(norm, prev_end, hit.start):
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
    zone, (norm, index), now = ZoneInfo(tz), _normalize(text), aware(now or datetime.now(UTC), UTC)
    found = [(h, role, *_build(h, text, index, zone)) for h, role in _scan(norm, zone, date_order, now, False)]
    gregorian = [p.local.date() for h, _, p, *_ in found if not h.hijri]
    # «15 ربيع الأول 1446 هـ الموافق 18 سبتمبر 2024» is one date: keep the Gregorian half
    return [DateMatch(p, start, end, role) for h, role, p, start, end in found
            if not (h.hijri and any(abs((g - p.local.date()).days) <= 2 for g in gregorian))]


def parse_date(text: str, *, tz: str = "UTC", date_order: str = "DMY",
               now: datetime | None = None) -> ParsedDate | None:
    """Parse one date string as shown on an Arabic news page; None when it holds no date."""
    zone, (norm, index), now = ZoneInfo(tz), _normalize(text), aware(now or datetime.now(UTC), UTC)
    hits = _scan(norm, zone, date_order, now, True)
    if hits:
        hit = next((h for h, _ in hits if not h.hijri), hits[0][0])
        return _build(hit, text, index, zone)[0]
    return _fallback(norm, text, zone, date_order)


def _fallback(norm: str, text: str, zone: ZoneInfo, date_order: str) -> ParsedDate | None:
    # Only absolute dates with a 4-digit year: dateparser resolves relative dates against the system clock.
    if len(norm) > 200 or not _YEAR.search(norm) or not _LETTER.search(norm):
        return None
    if any(rx.search(norm) for rx in (_DMY, _MDY, _NUM, _HIJ)):  # a shape we know, but an invalid date («31 شباط»)
        return None
    value = dateparser_date(_LABEL_ANY.sub(" ", norm), date_order)
    if value is None:
        return None
    local = aware(value, zone)
    return ParsedDate(local.astimezone(UTC), local, bool(re.search(r"\d:\d\d", norm)), text.strip(),
                      offset_shown=value.tzinfo is not None)


def to_utc(value: str, *, tz: str = "UTC") -> datetime | None:
    """ISO-8601 / RFC-822 / structured-data date string → aware UTC datetime (naive → site tz)."""
    s = " ".join(value.translate(_TABLE).split())
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
