"""Author names from Arabic bylines such as «بقلم: عمر العلي» or «كتبت أسماء نصار»."""

from __future__ import annotations

import re

_NAME_WORD = r"[\u0621-\u064A\u0671-\u06D3][\u0621-\u065F\u0670-\u06D3]*"
_BYLINE = re.compile(
    r"(?<![\u0621-\u064A])(?:بقلم|حوار|كتبت|كتبه|كتبها|كتب|إعداد|اعداد|تحرير|المحرر|الكاتب)(?![\u0621-\u064A])\s*[:：]?\s*"
    rf"(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,3}})"
)
# Words that end a name: a byline is often followed by «-» a place, or by other meta.
_STOP_WORDS = {"في", "من", "على", "عن", "منذ", "نشر", "تاريخ", "عدد", "القراءات", "الساعة"}


def byline_author(text: str) -> str | None:
    """The person named by the first byline in text; None when there is none."""
    match = _BYLINE.search(text)
    if not match:
        return None
    words = []
    for word in match.group("name").split():
        if word in _STOP_WORDS:
            break
        words.append(word)
    return " ".join(words) if len(words) >= 2 else None


def clean_author(name: str | None, site_label: str = "", staff_names: tuple[str, ...] = ()) -> str | None:
    """A person's name from an author field: datelines dropped, « - PLACE» cut, the outlet's brand removed."""
    if not name:
        return None
    people = []
    for part in re.split(r"\s*[;|،,]\s*", name):
        part = re.split(r"\s+[-–—]\s+", part.strip())[0].strip()  # «حسام أبو العلا - القاهرة»
        # «(أبوظبي - البيان)» is a dateline, not a person; a brand is not a person either
        if not part or "(" in part or ")" in part or len(part) > 60:
            continue
        if part in staff_names or (site_label and site_label.lower() in part.lower().replace(" ", "")):
            continue
        people.append(part)
    return ", ".join(dict.fromkeys(people)) or None
