"""The dateline and credit grammar as data: the forms Arabic news uses to say where a story comes from.

One parser, ``pipelines.extraction.dateline_parser``, reads these tables; a new form, label or word is a table edit. The
source names themselves (agencies and their spellings) are ``pipelines.extraction.agencies``; the outlet's own name
comes from its spider (``staff_names``) or, on a site without one, from the page (``outlet_names``).

Opening datelines, read at the start of the body's first paragraph (or of the second, when the first is a byline):

| form           | shape                                   | examples                                                |
|----------------|-----------------------------------------|---------------------------------------------------------|
| `paren`        | [PLACE [-]] [DATE [-]] (SOURCES) [END]  | «عواصم (وكالات) تكثفت», «دبي (وام) -», «(رويترز) -»,    |
|                | END: «-», «--», «:» or the text itself  | «بيروت - (رويترز) -», «دمشق، سوريا (CNN) --»,           |
|                |                                         | KUNA «الكويت - 15 - 11 (كونا) --»,                      |
|                |                                         | Petra «عمان 15 تشرين الثاني (بترا)-»,                   |
|                |                                         | «جدة («الوسط»، واس) -»                                  |
| `paren_place`  | (PLACE - SOURCES) [END]                 | «(دبي - البيان)», «(القاهرة - أ ش أ) -»                 |
| `dash`         | PLACE - SOURCES [«:», «-», «--»]; with  | «القاهرة - أ ش أ:», «الرباط - ومع -»,                   |
|                | no delimiter, the sources are agencies  | «مسقط - العمانية أعلنت», «الخرطوم-سونا»,                |
|                | or quoted                               | «الرياض - «عكاظ»:»                                      |
| `colon_quoted` | PLACE: «SOURCES»                        | «بيروت: «النهار»»                                       |

Closing credits, read on the last paragraph, and on the short header lines between the title and the body:

| form           | shape                                   | examples                                                |
|----------------|-----------------------------------------|---------------------------------------------------------|
| `credit_line`  | LABEL: SOURCES, the whole line          | «المصدر: وكالات», «المصدر: رويترز + أ ف ب»,             |
|                |                                         | «المصدر: النبأ + وكالات», «المصدر: (دبي - البيان)»      |
| `credit_tail`  | … (SOURCES) closing the last paragraph  | «… خلال الأيام المقبلة. (رويترز)»                       |

SOURCES is a list of agencies and the outlet's own name, joined by «،», «,», «+», «/», «&» or «و» (standalone or
prefixed: «أ ف ب ورويترز»), each optionally in quotes («عكاظ», "النهار"). Every part must be known: one unknown
part and the list is not a source list («(في تصريح خاص)», «(مصدر مجهول)»).

PLACE is one to four words of letters (a «، COUNTRY» may follow: «دمشق، سوريا»), none of them a label or a
reporting verb (``NOT_PLACE_WORDS``), its last word longer than one letter (not the «ل» of «لـ(رويترز)»).
DATE is the day in an agency's house style: «15 - 11», «15/11/2025», «15 تشرين الثاني», «15 نوفمبر 2025».

Not attributions, by construction: an agency cited in running text («نقلت وكالة الأناضول عن…»: no dateline
shape), a photo credit («الصورة: رويترز», «(تصوير: أ ف ب)»: a label, not a place nor a source), a parenthesis that
is not a source («أكد الوزير (في تصريح خاص) - أمس -»), a byline («إعداد - NAME:», «كتب - NAME»), «خاص:», an
agency named in a parenthesis inside the last sentence («… أعلنت الوكالة الرسمية (سانا).»: a `credit_tail` follows
the end of a sentence), and a bare «(رويترز)» in the header (a photo caption: only a `credit_line` or a
`paren_place` is read there).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "CLOSING_FORMS",
    "CREDIT_LABELS",
    "CREDIT_TAIL",
    "HEADER_FORMS",
    "NOT_PLACE_WORDS",
    "OPENING_FORMS",
    "OUTLET_AFFIXES",
    "SOURCE_SEPARATORS",
    "TITLE_SEPARATORS",
    "Form",
    "name_forms",
]

DASH = r"[-–—]"
# Letters, with the marks and tatweel written inside words (a place may carry a shadda: «عمّان»).
_LETTER = r"(?:[^\W\d_]|[\u064B-\u065F\u0670\u0640])"
_PLACE = rf"(?P<place>{_LETTER}(?:{_LETTER}|[ \u00a0،,'’]){{0,60}}?)"  # bounded: a body may be one long paragraph
_DIGIT = r"\d"  # any decimal digit: 0-9, ٠-٩, ۰-۹
_DATE = (rf"(?P<date>{_DIGIT}{{1,2}}(?:\s*[-/.]\s*{_DIGIT}{{1,2}}(?:\s*[-/.]\s*{_DIGIT}{{2,4}})?"
         rf"|\s+{_LETTER}{{1,20}}(?:\s+{_LETTER}{{1,20}})?(?:\s+{_DIGIT}{{4}})?))")
_PAREN = r"\((?P<src>[^()\n]{1,80})\)"
_END = rf"(?P<end>{DASH}{{1,2}}|:)?"

# Separators inside a source list; «و» joins two names too, standalone or as a prefix (handled by the parser).
SOURCE_SEPARATORS = re.compile(r"\s*[،,+/&؛]\s*|\s+و\s+")
QUOTES = "«»\"“”„'‘’"
# The label of a credit line: «المصدر: وكالات».
CREDIT_LABELS: tuple[str, ...] = ("المصدر", "المصادر", "مصدر الخبر", "المصدر الأصلي")
# Words that are never part of a place: byline, photo and section labels, and the reporting verbs that open a
# sentence («قال الوزير (رويترز)» is a sentence, not «PLACE (AGENCY)»). Compared folded (agency_key).
NOT_PLACE_WORDS: tuple[str, ...] = (
    "بقلم", "كتب", "كتبت", "كتبه", "إعداد", "اعداد", "تقرير", "حوار", "تحرير", "متابعة", "متابعات", "ترجمة",
    "تصوير", "الصورة", "صورة", "الصور", "المصدر", "مصدر", "المصادر", "خاص", "حصري", "حصريا", "عاجل", "تحديث",
    "محدث", "مراسل", "مراسلنا", "مراسلة", "المحرر", "الكاتب", "فيديو", "شاهد", "اقرأ", "أيضا",
    "قال", "وقال", "قالت", "وقالت", "أكد", "وأكد", "أكدت", "وأكدت", "أعلن", "وأعلن", "أعلنت", "وأعلنت", "ذكر", "وذكر",
    "ذكرت", "وذكرت", "أفاد", "وأفاد", "أفادت", "وأفادت", "أشار", "وأشار", "أشارت", "نقل", "نقلت", "ونقلت", "كشف",
    "وكشف", "كشفت", "أوضح", "وأوضح", "أوضحت", "صرح", "وصرح", "أضاف", "وأضاف", "أضافت", "تابع", "وتابع", "أفادت",
    "في", "من", "على", "عن", "إلى", "الى", "مع", "أن", "إن", "التي", "الذي", "هذا", "هذه",
)
# Words an outlet's name is written with but its datelines leave out: «صحيفة عكاظ» signs «عكاظ».
OUTLET_AFFIXES: tuple[tuple[str, ...], tuple[str, ...]] = (
    ("صحيفة", "جريدة", "موقع", "بوابة", "شبكة", "قناة", "مجلة", "تلفزيون", "إذاعة", "راديو"),
    ("الإلكترونية", "الالكترونية", "الإلكتروني", "نت"),
)


def name_forms(name: str) -> set[str]:
    """An outlet's name and the shorter signatures its datelines use: «صحيفة عكاظ» → {«صحيفة عكاظ», «عكاظ»}."""
    prefixes, suffixes = OUTLET_AFFIXES
    words = name.split()
    forms = {" ".join(words)}
    start = 1 if len(words) > 1 and words[0] in prefixes else 0
    end = len(words) - 1 if len(words) - start > 1 and words[-1] in suffixes else len(words)
    forms |= {" ".join(words[start:]), " ".join(words[:end]), " ".join(words[start:end])}
    return {f for f in forms if f}


# How a <title> separates the headline from the outlet's name: «HEADLINE | النبأ», «الشام - HEADLINE».
TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|»|«|•|·)\s+|\s*\|\s*")


@dataclass(frozen=True)
class Form:
    """One shape of a dateline or credit.

    `pattern` is matched at the start of the text (``re.match``); it names `place` (optional) and either `src` (the
    sources, delimited) or nothing, in which case the sources are read from what follows the match (`rest`): up to a
    «:» or a dash, or, without a delimiter, the longest run of words that names agencies (`bare`). `quoted_only`: every
    source must be written in quotes. `whole`: the form must take the whole text (header lines, credit lines).
    """

    name: str
    pattern: re.Pattern[str]
    rest: bool = False
    quoted_only: bool = False
    whole: bool = False


OPENING_FORMS: tuple[Form, ...] = (
    Form("paren", re.compile(rf"\s*(?:{_PLACE}\s*(?:{DASH}\s*)?)?(?:{_DATE}\s*(?:{DASH}{{1,2}}\s*)?)?"
                             rf"{_PAREN}\s*{_END}")),
    Form("paren_place", re.compile(rf"\s*\(\s*{_PLACE}\s*{DASH}\s*(?P<src>[^()\n]{{1,60}}?)\s*\)\s*{_END}")),
    Form("dash", re.compile(rf"\s*{_PLACE}\s*{DASH}\s*"), rest=True),
    Form("colon_quoted", re.compile(rf"\s*{_PLACE}\s*:\s*"), rest=True, quoted_only=True),
)
_LABEL = "|".join(map(re.escape, CREDIT_LABELS))
CLOSING_FORMS: tuple[Form, ...] = (
    Form("credit_line", re.compile(rf"\s*(?:{_LABEL})\s*:\s*(?P<src>.{{1,120}}?)\s*[.]?\s*$"), whole=True),
)
# The closing «(SOURCES)» of a last paragraph, after the end of its last sentence (or a dash): searched, not matched.
CREDIT_TAIL = re.compile(r"(?<=[.!?؟…»\"”\-–—])\s*\((?P<src>[^()\n]{1,80})\)\s*[.]?\s*$")
# Header lines (between the title and the body) hold photo captions too: only these forms are read there.
HEADER_FORMS: tuple[Form, ...] = (
    *CLOSING_FORMS,
    Form("paren_place", OPENING_FORMS[1].pattern, whole=True),
)
