"""View, comment and share counters as Arabic news pages show them."""

from __future__ import annotations

import re
from collections.abc import Sequence

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_NUMBER = r"(\d{1,3}(?:[,٬.]\d{3})+|\d+)"
_LABELS = {
    "views": r"مشاهد(?:ة|ات)|قراء(?:ة|ات)|القراءات|المشاهدات|زيار(?:ة|ات)|views?",
    "comments": r"تعليق(?:ات)?|التعليقات|comments?",
    "shares": r"مشارك(?:ة|ات)|المشاركات|shares?",
}
# «2,345 مشاهدة» (number before label) and «عدد القراءات: 1234» (label before number)
_AFTER = {k: re.compile(_NUMBER + r"\s*(?:" + v + r")(?!\w)", re.IGNORECASE) for k, v in _LABELS.items()}
_BEFORE = {k: re.compile(r"(?<!\w)(?:عدد\s+)?(?:" + v + r")\s*[:：]?\s*" + _NUMBER, re.IGNORECASE)
           for k, v in _LABELS.items()}
_US_DATE = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$")
_CLOCK = re.compile(r"^\d{1,2}:\d{2}$")
_INTEGER = re.compile(r"^\d+(?:[,٬.]\d{3})*$")


def parse_count(text: str) -> int | None:
    """An integer counter from text such as «2,345», «١٢٣٤» or «1.234»; None when it is not one."""
    cleaned = text.strip().translate(_DIGITS)
    if not _INTEGER.match(cleaned):
        return None
    return int(re.sub(r"[,٬.]", "", cleaned))


def counters_from_text(text: str) -> dict[str, int | None]:
    """Counters labelled in words, e.g. «2,345 مشاهدة», «عدد القراءات: ١٢٣٤», «12 تعليقات»."""
    text = text.translate(_DIGITS)
    found: dict[str, int | None] = {}
    for kind in _LABELS:
        match = _AFTER[kind].search(text) or _BEFORE[kind].search(text)
        found[kind] = parse_count(match.group(1)) if match else None
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
