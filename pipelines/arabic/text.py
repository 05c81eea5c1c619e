"""Arabic text cleaning for display and folding for search: pure functions, no I/O.

``clean_display(text)`` is what we store and show (article ``title`` and ``body``):

| rule                                                            | example                                  |
|-----------------------------------------------------------------|------------------------------------------|
| presentation forms U+FB50–U+FDEF, U+FE70–U+FEFE → NFKC          | «ﻻ» → «لا», «ﻷ» → «لأ», «ﺍﻟﻌﺮﺑﻴﺔ» → «العربية» |
| isolated/medial haraka forms drop NFKC's leading space          | «ﹰ» (U+FE70) → «ً» (joins previous letter) |
| word ligatures U+FDF0–U+FDFF kept as they are (see note 1)      | «ﷺ», «ﷻ», «ﷲ», «﷼» unchanged              |
| tatweel U+0640 removed, but for a connector (see note 4)        | «الـــعربية» → «العربية»                  |
| invisible controls removed (see _INVISIBLE)                     | «غزة<RLM>» → «غزة», «<BOM>خبر» → «خبر»    |
| tab, NBSP-type and other spaces → space; runs → one space       | «غزة<NBSP>\\tاليوم» → «غزة اليوم»          |
| CR, CRLF, NEL, U+2028/U+2029 → "\\n"                              | «أ\\r\\nب» → «أ\\nب»                         |
| each line stripped, blank lines dropped (see note 2)            | «أ \\n\\n\\n ب» → «أ\\nب»                    |
| no space before ، ؛ ؟ ? . ! : (kept before a decimal «.5»)      | «قال : نعم .» → «قال: نعم.»               |
| one space after ، ؛ when a letter follows                       | «غزة،رفح» → «غزة، رفح»                     |
| nothing else: letters, hamza forms, tashkeel, digits are kept   | «مُدَرِّسَة ٢٠٢٤» unchanged                  |

Note 1: NFKC turns one honorific glyph into a phrase («ﷺ» → «صلى الله عليه وسلم», «ﷻ» → «جل جلاله»)
and «﷼» into a Persian-spelled «ریال»; the writer chose the glyph, so display keeps it and ``fold``
expands it instead, so a search for «الله» still finds «ﷲ».
Note 2: body paragraphs are separated by exactly one "\\n"; any run of newlines becomes one.
Note 4: one tatweel is kept where it connects, as the page shows it: after a one-letter prefix (ب ل ك, optionally
after و or ف) that opens a word, «لـالتجارة», «بـأمطار»; and between a letter and a quote, digit or Latin word,
«بـ"حلوى"», «الـ36». Display must read as the page does; ``fold`` drops every tatweel, so «لـالتجارة» and
«لالتجارة» are one search key.
Full NFKC is not applied: it does not touch Arabic-Indic digits, but it rewrites «…» to «...», «½» to
«1⁄2», superscripts, full-width forms and more, which is not ours to change in display text.

``fold(text)`` is the search key: the character rules of ``clean_display``, then

| rule                                                             | example                          |
|------------------------------------------------------------------|----------------------------------|
| word ligatures U+FDF0–U+FDFC expanded (NFKC), then folded        | «ﷲ» → «الله», «ﷺ» → «صلي الله عليه وسلم» |
| harakat U+064B–U+065F, superscript alef U+0670 removed           | «مُدَرِّسَةٌ» → «مدرسه»            |
| Quranic marks U+0610–U+061A, U+06D6–U+06ED removed               | «الرَّحِيمِ ۝» → «الرحيم»          |
| every other format character (Unicode Cf) removed                | «می<ZWNJ>شود» → «میشود» → «ميشود» |
| أ إ آ ٱ → ا                                                      | «أعلنت» → «اعلنت», «ٱلله» → «الله» |
| ى → ي                                                            | «مستشفى» → «مستشفي»              |
| ة → ه                                                            | «مدرسة» → «مدرسه»                 |
| ؤ → و, ئ → ي; standalone ء stays                                 | «مسؤول» → «مسوول», «رئيس» → «رييس», «جزء» stays |
| Persian ی → ي, ک → ك, and ھ → ه (see note 3)                     | «علی» → «علي», «ھذا» → «هذا»     |
| any decimal digit (Arabic-Indic, Persian, …) → 0-9               | «٢٠٢٤» → «2024», «۱۴۰۳» → «1403» |
| casefold                                                         | «CNN» → «cnn»                    |
| punctuation and symbols (Unicode P*, S*) and controls → space    | «(رويترز)» → «رويترز», «3.5» → «3 5» |
| whitespace collapsed to single spaces, one line, stripped        | «أ\\n\\n ب» → «أ ب»                 |

Note 3: Arabic pages typed on Persian keyboards or old fonts carry ی ک ھ where Arabic has ي ك ه.
Library check: pyarabic (GPL) ``normalize_hamza`` makes «أعلنت» «ءعلنت» and ``normalize_alef`` maps ى to ا,
neither of which we want; camel-tools is MIT but pulls a large dependency tree for three one-line
mappings. The rules above match Lucene's ArabicNormalizer plus ؤ/ئ/digits/punctuation, so they are
plain ``str.translate`` tables built from ``unicodedata`` at import.
The letter rows (أ إ آ ٱ … ھ) are ``pipelines.arabic.fold.LETTER_FOLDS``, shared with date and agency matching.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from pipelines.arabic.fold import HARAKAT, LETTER_FOLDS, TATWEEL

__all__ = ["DISPLAY_TABLE", "FOLD_TABLE", "clean_display", "fold", "tokens"]

_PRESENTATION_BLOCKS = (range(0xFB50, 0xFE00), range(0xFE70, 0xFF00))
_WORD_LIGATURES = range(0xFDF0, 0xFE00)
# ZWSP ZWNJ ZWJ LRM RLM, ALM, LRE RLE PDF LRO RLO, word joiner + invisible operators, LRI RLI FSI PDI,
# deprecated format controls, BOM, soft hyphen, Mongolian vowel separator.
_INVISIBLE = (
    "\u200b\u200c\u200d\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\u206a\u206b\u206c\u206d\u206e\u206f"
    "\ufeff\u00ad\u180e"
)
_LINE_BREAKS = "\r\x85\u2028\u2029"
# Every other whitespace character (tab, NBSP, thin space, ideographic space, ...) becomes a plain space.
_SPACES = "".join(c for c in map(chr, range(0x3001)) if c.isspace() and c not in _LINE_BREAKS + "\n ")
# translate() raises and swallows a KeyError for every unmapped character; identity entries for the
# common blocks (Latin to Arabic, general punctuation) make the hot path a plain dict hit.
_IDENTITY = {cp: cp for cp in (*range(0x800), *range(0x2000, 0x2070))}

# Harakat, plus the Quranic annotation marks that only a search key drops.
_FOLD_MARKS = frozenset(HARAKAT).union(map(chr, (*range(0x0610, 0x061B), *range(0x06D6, 0x06EE))))


def _build_display_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for block in _PRESENTATION_BLOCKS:
        for cp in block:
            if cp in _WORD_LIGATURES:
                continue
            ch = chr(cp)
            norm = unicodedata.normalize("NFKC", ch)
            if norm == ch:
                continue
            if norm[0] == " " and len(norm) > 1 and all(unicodedata.combining(c) for c in norm[1:]):
                norm = norm[1:]  # isolated haraka forms: attach the mark instead of floating it on a space
            table[cp] = norm
    table.update(dict.fromkeys(map(ord, _INVISIBLE + TATWEEL)))
    table.update(dict.fromkeys(map(ord, _SPACES), " "))
    table.update(dict.fromkeys(map(ord, _LINE_BREAKS), "\n"))
    # Close the table (e.g. U+FE71 → tatweel + fathatan → fathatan) so a second pass changes nothing.
    for cp, value in table.items():
        if value:
            table[cp] = value.translate(table)
    return table


DISPLAY_TABLE: dict[int, str | None] = _build_display_table()
# clean_display translates with tatweel kept, then decides which tatweel is a connector (_TATWEEL below).
_DISPLAY_LOOKUP: dict[int, str | int | None] = {**_IDENTITY, **DISPLAY_TABLE, ord(TATWEEL): ord(TATWEEL)}


def _fold_char(ch: str) -> str:
    """Fold one code point (build time only)."""
    cp = ord(ch)
    expanded = unicodedata.normalize("NFKC", ch) if cp in _WORD_LIGATURES else ch.translate(DISPLAY_TABLE)
    out = []
    for c in expanded.casefold():
        if c in LETTER_FOLDS:
            out.append(LETTER_FOLDS[c])
            continue
        category = unicodedata.category(c)
        if c in _FOLD_MARKS or category == "Cf" or c == TATWEEL:
            continue
        if category[0] in "PS" or (category == "Cc" and not c.isspace()):
            out.append(" ")
        elif category == "Nd":
            out.append(str(unicodedata.decimal(c)))
        else:
            out.append(c)
    return "".join(out)


def _fold_candidates() -> Iterable[int]:
    yield from _IDENTITY
    yield from _WORD_LIGATURES
    yield from DISPLAY_TABLE
    yield from map(ord, _FOLD_MARKS)
    # Planes 2-3 are ideographs only; plane 14 holds the tag characters (Cf).
    for cp in (*range(0x800, 0x20000), *range(0xE0000, 0xE1000)):
        category = unicodedata.category(chr(cp))
        if category[0] in "PS" or category in ("Cf", "Cc", "Nd") or chr(cp) in LETTER_FOLDS:
            yield cp


def _build_fold_table() -> dict[int, str | int | None]:
    table: dict[int, str | int | None] = {}
    for cp in _fold_candidates():
        folded = _fold_char(chr(cp))
        if folded == chr(cp):
            table[cp] = cp
        else:
            table[cp] = folded or None
    return table


FOLD_TABLE: dict[int, str | int | None] = _build_fold_table()

_SPACE_RUN = re.compile(" {2,}")
_NEWLINE_RUN = re.compile(r" ?\n[\n ]*")
_SPACE_BEFORE_PUNCT = re.compile(r" +(?=[،؛؟?!:]|\.(?!\d))")
_NO_SPACE_AFTER_COMMA = re.compile(r"([،؛])(?=[^\W\d_])")


# A tatweel is a connector, not decoration, in two places, and one is kept there: after a one-letter prefix that
# opens a word («لـالتجارة», «بـأمطار», «وبـالتالي»: ب ل ك, after an optional و or ف), and after any letter before
# a quote, digit or Latin word («بـ"حلوى القطن"», «لـ«الصباح»», «الـ36»). Every other tatweel goes («الـــعربية»).
# A word starts after anything but a letter, a mark or a tatweel. fold() drops every tatweel.
_TATWEEL = re.compile(
    r"(?<![\u0621-\u065F\u0670-\u06D3])(?P<prefix>[وف]?[بلك][\u064B-\u065F\u0670]*)\u0640+"
    r"|(?P<connector>(?<=[\u0621-\u064A])\u0640+(?=[«»\"'“”„0-9٠-٩۰-۹A-Za-z]))"
    r"|\u0640+"
)


def _tatweel(match: re.Match[str]) -> str:
    if match.group("prefix") is not None:
        return match.group("prefix") + TATWEEL
    return TATWEEL if match.group("connector") else ""


def clean_display(text: str) -> str:
    """Clean text for display: presentation forms, invisible marks, tatweel, spacing; letters untouched."""
    text = text.translate(_DISPLAY_LOOKUP)
    if TATWEEL in text:
        text = _TATWEEL.sub(_tatweel, text)
    text = _SPACE_RUN.sub(" ", text)
    text = _NEWLINE_RUN.sub("\n", text).strip(" \n")
    text = _SPACE_BEFORE_PUNCT.sub("", text)
    return _NO_SPACE_AFTER_COMMA.sub(r"\1 ", text)


def fold(text: str) -> str:
    """Fold text to a one-line search key: no diacritics, unified letter variants, ASCII digits, no punctuation."""
    # One combined table does what clean_display does to characters plus the fold rules; clean_display's
    # spacing rules do not matter here because punctuation becomes space and whitespace is collapsed.
    return " ".join(text.casefold().translate(FOLD_TABLE).split())


def tokens(text: str) -> list[str]:
    """Fold text and split it into search tokens, keeping order and duplicates."""
    return fold(text).split()
