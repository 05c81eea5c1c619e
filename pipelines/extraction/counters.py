"""View, comment and share counters as Arabic news pages show them."""

from __future__ import annotations

import re
from collections.abc import Sequence

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫", "01234567890123456789.")
_MULTIPLIERS = {"ألف": 1_000, "الف": 1_000, "آلاف": 1_000, "k": 1_000, "ك": 1_000,
                "مليون": 1_000_000, "ملايين": 1_000_000, "m": 1_000_000}
# A numeral is Western digits (Arabic-Indic and Persian ones are translated first) with thousands separators or a
# decimal point, standing alone: «1e30», «0x10», «+5», «-3», «10:30», «3/7» and «１２３» hold no count.
_NUMERAL = r"[0-9]{1,3}(?:[,٬.][0-9]{3})+|[0-9]+(?:\.[0-9]+)?"
_MULTIPLIER = r"\s*(ألف|الف|آلاف|مليون|ملايين|k|m|ك)(?!\w)"
_NUMBER = (r"(?<![0-9A-Za-z_/.,٬+\-−])(?<![0-9]:)(" + _NUMERAL + r")"
           r"(?:" + _MULTIPLIER + r"|(?![0-9A-Za-z_:/]|[.,٬][0-9]))")
_LABELS = {
    "views": r"مشاهد(?:ة|ات)|قراء(?:ة|ات)|القراءات|المشاهدات|زيار(?:ة|ات)|views?|reads?",
    "comments": r"تعليق(?:ات)?|التعليقات|comments?",
    "shares": r"مشارك(?:ة|ات)|المشاركات|shares?",
}
# «2,345 مشاهدة» (number, label), «عدد القراءات: 1234» (label, number), «قرأ 532 مرة» / «شوهد 1,204 مرة»
_AFTER = {k: re.compile(_NUMBER + r"\s*(?:" + v + r")(?!\w)", re.IGNORECASE) for k, v in _LABELS.items()}
_BEFORE = {k: re.compile(r"(?<!\w)(?:عدد\s+)?(?:" + v + r")\s*[:：]?\s*" + _NUMBER, re.IGNORECASE)
           for k, v in _LABELS.items()}
_TIMES_READ = re.compile(r"(?<!\w)(?:قرأ|قرئ|قُرئ|شوهد|شوهدت|شاهده)\s*(?:ها|ه)?\s*" + _NUMBER + r"\s*(?:مرة|مرات)")
_US_DATE = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$")
_CLOCK = re.compile(r"^\d{1,2}:\d{2}$")
_COUNT = re.compile(r"^" + _NUMBER + r"$", re.IGNORECASE)


MAX_COUNT = 10**12  # no page is read more often; larger "counters" are phone numbers, ids or garbage


def _value(number: str, multiplier: str | None) -> int | None:
    if len(number) > 16:
        return None
    if multiplier:
        value = round(float(number.replace(",", "").replace("٬", "")) * _MULTIPLIERS[multiplier.lower()])
    elif re.fullmatch(r"\d{1,3}(?:[,٬.]\d{3})+", number):
        value = int(re.sub(r"[,٬.]", "", number))
    elif number.isdigit():
        value = int(number)
    else:  # «12.5 مشاهدة»: a fraction of a view is no count
        return None
    return value if value <= MAX_COUNT else None


def parse_count(text: str) -> int | None:
    """An integer counter from «2,345», «١٬٢٣٤», «1.2 ألف» or «3 مليون»; None when it is not one."""
    match = _COUNT.match(text.strip().translate(_DIGITS))
    return _value(match.group(1), match.group(2)) if match else None


def counters_from_text(text: str) -> dict[str, int | None]:
    """Counters labelled in words, e.g. «2,345 مشاهدة», «عدد القراءات: ١٢٣٤», «قرأ 532 مرة»."""
    text = text.translate(_DIGITS)
    found: dict[str, int | None] = {}
    for kind in _LABELS:
        match = _AFTER[kind].search(text) or _BEFORE[kind].search(text)
        if kind == "views" and not match:
            match = _TIMES_READ.search(text)
        found[kind] = _value(match.group(1), match.group(2)) if match else None
    return found


def counters_from_meta_list(items: Sequence[str]) -> dict[str, int | None] | None:
    """Counters from an unlabelled meta list: a date, a time, then views, comments and shares."""
    texts = [t.strip().translate(_DIGITS) for t in items if t.strip()]
    for i in range(len(texts) - 4):
        if _US_DATE.match(texts[i]) and _CLOCK.match(texts[i + 1]):
            numbers = [parse_count(t) for t in texts[i + 2 : i + 5]]
            if all(n is not None for n in numbers):
                return dict(zip(("views", "comments", "shares"), numbers, strict=True))
    return None
