"""The date grammar: text normalization, date words as lookup tables, and the regexes dates are matched with."""

from __future__ import annotations

import re
from collections.abc import Iterable

from pipelines.extraction.dates import months as W

# Normalization is 1:1 substitutions plus deletions only, so match spans map back onto the source text.
TABLE = str.maketrans({**W.CHAR_MAP, **dict.fromkeys(W.DELETED_CHARS)})


def normalize(text: str) -> tuple[str, list[int] | None]:
    """text as the grammar reads it, and the source offset of each of its characters (None when none was deleted)."""
    norm = text.translate(TABLE)
    if len(norm) == len(text):
        return norm, None
    return norm, [i for i, ch in enumerate(text) if ord(ch) not in W.DELETED_CHARS]


def lookup_key(word: str) -> str:
    """Lookup key: normalized, lower-case, without spaces."""
    return "".join(word.translate(TABLE).lower().split())


def _alt(words: Iterable[str]) -> str:
    """An alternation matching any of words (normalized, lower-case; spaces match any run of spaces), the longest
    first, so «كانون الثاني» wins over «كانون» and «تشرين الأول» over «تشرين». Built as a trie: the engine tries
    one branch per character instead of every word at every position (the month names of ten languages)."""
    trie: dict[str, dict] = {}
    for key in {" ".join(w.translate(TABLE).lower().split()) for w in words}:
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
MONTHS = {lookup_key(n): i + 1 for table in _MONTH_TABLES for i, n in enumerate(table)}
MONTHS.update({lookup_key(n): m for n, m in (*W.MONTH_VARIANTS.items(), *W.EUROPEAN_MONTHS.items())})
HIJRI = {lookup_key(n): m for n, m in W.HIJRI_MONTHS.items()}
UNITS = {lookup_key(n): v for n, v in W.RELATIVE_UNITS.items()}
NUMBERS = {lookup_key(n): v for n, v in W.NUMBER_WORDS.items()}
AM, PM = {lookup_key(w) for w in W.AM_WORDS}, {lookup_key(w) for w in W.PM_WORDS}
DAY_WORDS = {lookup_key(n): v for n, v in W.DAY_WORDS.items()}
ZONES = {lookup_key(n): v for n, v in W.ZONE_WORDS.items()}

_I = re.IGNORECASE
_L, _R = r"(?<![^\W\d_])", r"(?![^\W\d_])"  # no letter right before / right after
_SEP = r"\s*+[-/.,|]?+\s*+"  # possessive: long whitespace runs must not backtrack quadratically
_MON = rf"{_L}(?:{_alt([*(n for t in _MONTH_TABLES for n in t), *W.MONTH_VARIANTS, *W.EUROPEAN_MONTHS])}){_R}\.?"
DMY = re.compile(rf"(?<!\d)(?P<d>\d{{1,2}})(?!\d)(?:st|nd|rd|th|er)?{_SEP}(?:(?:من|de|del)\s+)?(?:شهر\s+)?"
                  rf"(?P<mon>{_MON})(?:\s*+[-/(|]?\s*+{_MON}\s*+\)?)?{_SEP}(?:(?:سنه|عام|de|del)\s+)?"
                  rf"(?P<y>\d{{4}})(?!\d)(?:\s*م{_R})?", _I)
MDY = re.compile(rf"(?P<mon>{_MON})\s*+(?P<d>\d{{1,2}})(?!\d)(?:st|nd|rd|th)?\s*+,?\s*+(?P<y>\d{{4}})(?!\d)", _I)
DM = re.compile(rf"(?<!\d)(?P<d>\d{{1,2}})(?!\d){_SEP}(?:من\s+)?(?P<mon>{_MON})(?!{_SEP}\d{{3}})", _I)
HIJ = re.compile(rf"(?<!\d)(?P<d>\d{{1,2}})(?!\d){_SEP}(?:من\s+)?(?:شهر\s+)?{_L}(?P<mon>{_alt(W.HIJRI_MONTHS)}){_R}"
                  rf"{_SEP}(?P<y>1[2-6]\d\d)(?!\d)(?:\s*(?:هجريه|هجري|ه){_R})?")
NUM = re.compile(r"(?<![\d/.:,-])(?P<a>\d{1,4})\s?(?P<sep>[/.-])\s?(?P<b>\d{1,2})\s?(?P=sep)\s?(?P<c>\d{1,4})"
                  rf"(?!\d|[/.:,-]\d)(?P<suf>\s*(?:هجريه|هجري|ه|م){_R})?")
# «منذ عام 2011», «منذ يوم الأحد», «منذ شهر رمضان» mean "since …", not "… ago"
_SINCE = rf"(?!\s*+(?:\d|{_MON}|(?:{_alt(W.WEEKDAYS)}|{_alt(W.HIJRI_MONTHS)}){_R}))"
REL = re.compile(rf"{_L}(?:منذ|قبل)\s+(?:(?:حوالي|نحو|قرابه|اكثر\s+من)\s+)?(?:(?P<n>\d{{1,4}}|{_alt(NUMBERS)})\s+)?"
                  rf"(?P<unit>{_alt(UNITS)}){_R}{_SINCE}|{_L}(?P<en>\d{{1,4}}|an?|one)\s+(?P<eu>{'|'.join(W.ENGLISH_UNITS)})s?"
                  r"\s+ago\b", _I)
BARE = re.compile(rf"{_L}(?P<w>{_alt(W.DAY_WORDS)}){_R}", _I)
_TIME = (rf"(?:(?:الساعه|at|@)\s*)?(?<![\d:])(?P<H>\d{{1,2}}):(?P<M>\d{{2}})(?::(?P<S>\d{{2}})(?:\.\d+)?)?(?!\d)"
         rf"(?:\s*(?P<ap>{_alt(AM | PM)}){_R})?"
         rf"(?:(?P<z>Z){_R}|(?P<s2>[+-])(?P<h2>\d{{2}}):?(?P<m2>\d{{2}})(?!\d)|\s+(?P<s3>[+-])(?P<h3>\d{{2}})(?P<m3>\d{{2}})(?!\d)"
         rf"|\s*\(?\s*(?P<zw>{_alt(W.ZONE_WORDS)}){_R}\s*(?:(?P<s1>[+-])\s*(?P<h1>\d{{1,2}})(?::?(?P<m1>\d{{2}}))?(?!\d))?"
         r"\s*\)?)?")
# «11 تشرين الثاني 2013، آخر تحديث 16:30»: a label between the day and its time says what both are
TIME_AFTER = re.compile(rf"[\s,;:|/-]*+(?:{_L}(?:(?P<lpub>{_alt(W.PUBLISHED_LABELS)})|"
                         rf"(?P<lmod>{_alt(W.MODIFIED_LABELS)})){_R}[\s:|.-]*+)?"
                         rf"(?:T|(?:في\s+تمام|في|على|عند|at|um|a\s+las|alle|às)\s+)?{_TIME}", _I)
TIME_BEFORE = re.compile(rf"{_TIME}[\s,;|/-]*$", _I)
WEEKDAY_BEFORE = re.compile(rf"{_L}(?:يوم\s+)?(?:{_alt(W.WEEKDAYS)}){_R}\.?[\s,;|/-]*$", _I)
LABEL_BEFORE = re.compile(rf"{_L}(?:(?P<pub>{_alt(W.PUBLISHED_LABELS)})|(?P<mod>{_alt(W.MODIFIED_LABELS)})){_R}"
                           r"(?:[\s:|/.-]|في|بتاريخ|يوم|on|at)*$", _I)
LABEL_ANY = re.compile(rf"{_L}(?:{_alt((*W.PUBLISHED_LABELS, *W.MODIFIED_LABELS))}){_R}[\s:]*(?:في|بتاريخ)?", _I)
DIGIT, YEAR, LETTER = re.compile(r"\d"), re.compile(r"(?<!\d)\d{4}(?!\d)"), re.compile(r"[^\W\d_]")
TWIN_GAP = re.compile(r"[\s,;|/()-]*(?:(?:ال)?موافق\s*ل?)?[\s,;|/()-]*")
