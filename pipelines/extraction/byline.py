"""Author names from Arabic bylines such as «بقلم: عمر العلي» or «كتبت أسماء نصار».

A byline is a prefix and a name; the prefix is not part of the name:

| prefix                                          | needs «:» or «-» after it | example                       |
|-------------------------------------------------|---------------------------|-------------------------------|
| بقلم، كتب، كتبت، كتبه، كتبها، إعداد، اعداد، تحرير | no                        | «كتبت أسماء نصار», «بقلم عمر» |
| تقرير، حوار، متابعة، المحرر، الكاتب              | yes (they are also nouns) | «تقرير: سارة النجار»          |

An outlet's own name, or an agency's, is not an author («كتب - «النبأ»», an author field «رويترز»).
"""

from __future__ import annotations

import re

from lxml import html as lxml_html

from pipelines.extraction.agencies import AGENCY_LOOKUP, agency_key
from pipelines.extraction.datelines import name_forms

# Prefixes that are only ever bylines, and prefixes that are common nouns unless a colon or dash follows.
BYLINE_PREFIXES: tuple[str, ...] = ("بقلم", "كتبت", "كتبه", "كتبها", "كتب", "إعداد", "اعداد", "تحرير")
LABEL_PREFIXES: tuple[str, ...] = ("تقرير", "حوار", "متابعة", "المحرر", "الكاتب")
_NAME_WORD = r"[\u0621-\u064A\u0671-\u06D3][\u0621-\u065F\u0670-\u06D3]*"
_NOT_LETTER = r"(?![\u0621-\u064A])"
_BYLINE = re.compile(
    rf"(?<![\u0621-\u064A])(?:(?:{'|'.join(BYLINE_PREFIXES)}){_NOT_LETTER}\s*(?:[:：]|[-–—])?"
    rf"|(?:{'|'.join(LABEL_PREFIXES)}){_NOT_LETTER}\s*(?:[:：]|[-–—]))\s*"
    rf"(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,3}})"
)
# A field that starts with a byline prefix: «بقلم: عمر العلي» in an author meta.
_PREFIX = re.compile(rf"^\s*(?:{'|'.join(BYLINE_PREFIXES + LABEL_PREFIXES)}){_NOT_LETTER}\s*(?:[:：]|[-–—])?\s*")
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


def byline_line(paragraph: str) -> str | None:
    """The person named when a whole paragraph is a byline («حوار: سلمى الورتاني»); None otherwise."""
    text = " ".join(paragraph.split())
    match = _BYLINE.match(text)
    if not match or len(text.split()) > 7:
        return None
    name = byline_author(text)
    return name if name and text[match.end():].strip(" .،,:-–—") == "" and match.group("name") == name else None


# Texts after the title that may be a whole byline; the first few hundred are enough.
_BYLINE_TEXTS = "(//h1)[1]/following::text()[not(ancestor::script) and not(ancestor::style)][position() <= 400]"


def page_byline(tree: lxml_html.HtmlElement) -> str | None:
    """The person named by the first text after the <h1> that is a whole byline («<strong>حوار: سلمى الورتاني
    </strong>» between a subtitle and the body), wherever the body starts."""
    for text in tree.xpath(_BYLINE_TEXTS):
        if len(text) <= 80 and (name := byline_line(str(text))):
            return name
    return None


def _is_brand(part: str, site_label: str, staff_names: tuple[str, ...]) -> bool:
    key = agency_key(part)
    if key in AGENCY_LOOKUP or any(key == agency_key(f) for n in staff_names for f in name_forms(n)):
        return True
    return bool(site_label) and site_label.lower() in part.lower().replace(" ", "")


def clean_author(name: str | None, site_label: str = "", staff_names: tuple[str, ...] = ()) -> str | None:
    """A person's name from an author field: byline prefix dropped, datelines dropped, « - PLACE» cut, the outlet's
    names (its host label, its staff names) and agency names removed."""
    if not name:
        return None
    people = []
    for part in re.split(r"\s*[;|،,]\s*", name):
        part = _PREFIX.sub("", part.strip())  # «بقلم: عمر العلي»
        part = re.split(r"\s+[-–—]\s+", part.strip())[0].strip()  # «حسام أبو العلا - القاهرة»
        # «(أبوظبي - البيان)» is a dateline, not a person; a brand is not a person either
        if not part or "(" in part or ")" in part or len(part) > 60:
            continue
        if _is_brand(part.strip("«»\"“” "), site_label, staff_names):
            continue
        people.append(part)
    return ", ".join(dict.fromkeys(people)) or None
