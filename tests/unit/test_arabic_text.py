from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.arabic.fold import LETTER_FOLDS
from pipelines.arabic.text import DISPLAY_TABLE, FOLD_TABLE, clean_display, fold, tokens
from pipelines.extraction.agencies import agency_key
from pipelines.extraction.dates.months import CHAR_MAP
from tests.demosite import OUTLET_NAMES, generate_outlet

RLM, LRM, ALM, ZWNJ, ZWJ, ZWSP = "\u200f", "\u200e", "\u061c", "\u200c", "\u200d", "\u200b"
BOM, SHY = "\ufeff", "\u00ad"
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
INVISIBLE = RLM + LRM + ALM + ZWNJ + ZWJ + ZWSP + BOM + SHY + BIDI
TATWEEL = "\u0640"
HARAKAT = "".join(map(chr, range(0x064B, 0x0660))) + "\u0670"


# --- clean_display -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ﻻ", "لا"),
        ("ﻷ", "لأ"),
        ("ﺍﻟﻌﺮﺑﻴﺔ", "العربية"),  # isolated/initial/medial/final forms of a whole word
        ("ﺑﺴﻢ", "بسم"),
        ("كتبﹰ", "كتبً"),  # isolated fathatan form attaches to the letter, no floating space
    ],
)
def test_clean_display_presentation_forms(raw: str, expected: str) -> None:
    assert clean_display(raw) == expected


@pytest.mark.parametrize("ligature", ["ﷺ", "ﷻ", "ﷲ", "﷼", "﷽"])
def test_clean_display_keeps_word_ligatures(ligature: str) -> None:
    assert clean_display(f"النبي {ligature}") == f"النبي {ligature}"


def test_clean_display_removes_tatweel_and_invisibles() -> None:
    assert clean_display("الـــعربية") == "العربية"
    assert clean_display(f"{BOM}{RLM}غزة{LRM} {ALM}اليوم{ZWSP}{ZWJ}") == "غزة اليوم"
    assert clean_display(f"{BIDI}خبر{SHY}عاجل") == "خبرعاجل"


def test_clean_display_keeps_letters_hamza_tashkeel_and_digits() -> None:
    text = "مُدَرِّسَةٌ أُعلنت إِسرائيل آمنة مسؤول رئيس جزء مستشفى ٢٠٢٤ ۱۴۰۳ 2024"
    assert clean_display(text) == text


def test_clean_display_does_not_apply_full_nfkc() -> None:
    assert clean_display("انتظر… ½ ²") == "انتظر… ½ ²"


def test_clean_display_spaces_and_lines() -> None:
    assert clean_display("غزة\u00a0\u00a0 \t اليوم") == "غزة اليوم"
    assert clean_display("  الفقرة الأولى  \r\n\r\n\n   الفقرة الثانية \n\n\n\n") == "الفقرة الأولى\nالفقرة الثانية"
    assert clean_display("أ\u2029ب\x85ج\rد") == "أ\nب\nج\nد"


def test_clean_display_punctuation_spacing() -> None:
    assert clean_display("قال : نعم .") == "قال: نعم."
    assert clean_display("هل حضر ؟ لا !") == "هل حضر؟ لا!"
    assert clean_display("غزة،رفح؛خان يونس") == "غزة، رفح؛ خان يونس"
    assert clean_display("غزة ، رفح") == "غزة، رفح"
    assert clean_display("بنسبة .5 في المئة") == "بنسبة .5 في المئة"
    assert clean_display("١،٢") == "١،٢"  # a space is added only before a letter


def test_clean_display_empty_and_blank() -> None:
    assert clean_display("") == ""
    assert clean_display(f" \n\t{RLM}\n ") == ""


# --- fold / tokens -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("مُدَرِّسَةٌ", "مدرسه"),
        ("أعلنت", "اعلنت"),  # not pyarabic's «ءعلنت»
        ("إسرائيل", "اسراييل"),
        ("آمنة", "امنه"),
        ("ٱلله", "الله"),
        ("مستشفى", "مستشفي"),  # not pyarabic's «مستشفا»
        ("مدرسة", "مدرسه"),
        ("مسؤول", "مسوول"),
        ("رئيس", "رييس"),
        ("جزء سماء", "جزء سماء"),  # standalone hamza stays
        ("٢٠٢٤", "2024"),
        ("۱۴۰۳", "1403"),
        ("الـــعربية", "العربيه"),
        ("CNN Arabic", "cnn arabic"),
        ("«الصباح»: (رويترز) — “قال” ، نعم؛ لا؟!", "الصباح رويترز قال نعم لا"),
        ("3.5% و ٤٫٥٪", "3 5 و 4 5"),
        ("الرَّحِيمِ ۝١", "الرحيم 1"),
        ("علی ھذا", "علي هذا"),
        ("ﷲ", "الله"),
        ("ﷺ", "صلي الله عليه وسلم"),
        ("ﻷ", "لا"),
        ("أ\n\n  ب\tج", "ا ب ج"),
        (f"{RLM}غزة{ZWNJ}{BOM}", "غزه"),
        ("", ""),
    ],
)
def test_fold_rules(raw: str, expected: str) -> None:
    assert fold(raw) == expected


def test_fold_keeps_tashkeel_only_in_display() -> None:
    text = "وَقَالَ الرَّئِيسُ"
    assert clean_display(text) == text
    assert fold(text) == "وقال الرييس"


def test_tokens() -> None:
    assert tokens("أعلنت الوزارة، اليوم (٢٠٢٤)، أن الوزارة…") == ["اعلنت", "الوزاره", "اليوم", "2024", "ان", "الوزاره"]
    assert tokens(" ... ، ") == []


def test_tables_are_closed() -> None:
    for table in (DISPLAY_TABLE, FOLD_TABLE):
        for value in table.values():
            if isinstance(value, str):
                assert value.translate(table) == value


# --- properties ----------------------------------------------------------------------------------------------

NOISE = HARAKAT + TATWEEL + INVISIBLE + "\u0610\u06d6\u06ed"
ARABIC_MIX = (
    "ابتثجحخدذرزسشصضطظعغفقكلمنهويأإآٱىةؤئء٠١٢٣٤٥٦٧٨٩۰۹0123456789 \n\t\r\u00a0،؛؟?.!:«»()-ﻻﻷﺍﺑﹰﷺﷲ﷽ABCabc" + NOISE
)
any_text = st.one_of(
    st.text(st.characters(exclude_categories=["Cs"]), max_size=200),
    st.text(st.sampled_from(ARABIC_MIX), max_size=200),
)


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_clean_display_properties(text: str) -> None:
    once = clean_display(text)
    assert clean_display(once) == once
    assert not set(once) & set(INVISIBLE + "\r\u00a0\t")
    # the only tatweel left is a single connector: between a letter and a quote, digit or Latin letter, or after a
    # one-letter prefix that opens a word
    assert re.fullmatch(r"(?:[^\u0640]|(?<=[\u0621-\u064A])\u0640(?=[«»\"'“”„0-9٠-٩۰-۹A-Za-z])"
                        r"|(?:(?<![\u0621-\u065F\u0670-\u06D3])|(?<![\u0621-\u065F\u0670-\u06D3])[وف])"
                        r"[بلك][\u064B-\u065F\u0670]*\u0640(?!\u0640))*", once, re.S)
    assert "  " not in once
    assert "\n\n" not in once
    assert all(line == line.strip(" ") for line in once.split("\n"))


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_fold_properties(text: str) -> None:
    once = fold(text)
    assert fold(once) == once
    assert fold(clean_display(text)) == once
    assert "\n" not in once
    assert "  " not in once
    assert once == once.strip()


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_tokens_have_no_space_or_punctuation(text: str) -> None:
    toks = tokens(text)
    assert toks == [t for t in fold(text).split(" ") if t]
    for token in toks:
        assert token
        for ch in token:
            assert not ch.isspace()
            assert unicodedata.category(ch)[0] not in "PS", (token, ch)


PLAIN = "ابتثجحخدذرزسشصضطظعغفقكلمنهويء0123456789 "
VARIANTS = {
    "ا": "اأإآٱ",
    "ي": "يىئ",
    "ه": "هة",
    "و": "وؤ",
    **{d: d + chr(0x0660 + int(d)) + chr(0x06F0 + int(d)) for d in "0123456789"},
}


@st.composite
def spelling_variant(draw: st.DrawFn) -> tuple[str, str]:
    base = draw(st.text(st.sampled_from(PLAIN), max_size=80))
    out = [draw(st.text(st.sampled_from(NOISE), max_size=2))]
    for ch in base:
        out.append(draw(st.sampled_from(VARIANTS.get(ch, ch))))
        out.append(draw(st.text(st.sampled_from(NOISE), max_size=2)))
    return base, "".join(out)


@settings(max_examples=300, deadline=None)
@given(spelling_variant())
def test_fold_equates_spelling_variants(pair: tuple[str, str]) -> None:
    base, variant = pair
    assert fold(variant) == fold(base)
    assert tokens(variant) == tokens(base)


@pytest.mark.parametrize(
    ("text", "shown"),
    [('بـ"حلوى القطن"', 'بـ"حلوى القطن"'), ("لـ«الصباح»", "لـ«الصباح»"), ("الـ36", "الـ36"), ("الـــ36", "الـ36"),
     ("الـــعربية", "العربية"), ("جديـــدة", "جديدة"), ("كبيـر", "كبير")],
)
def test_connector_tatweel_before_quotes_digits_and_latin_is_kept(text, shown):
    assert clean_display(text) == shown


@pytest.mark.parametrize(
    ("text", "shown"),
    [("يطلق منصة لـالتجارة الإلكترونية", "يطلق منصة لـالتجارة الإلكترونية"),  # a demo-site title, as the page shows
     ("توقعات بـأمطار غزيرة", "توقعات بـأمطار غزيرة"), ("بـموجة", "بـموجة"), ("بـــموجة", "بـموجة"),
     ("كـرئيس", "كـرئيس"), ("وبـالتالي", "وبـالتالي"), ("فلـلمرة", "فلـلمرة"), ("(لـالتجارة)", "(لـالتجارة)"),
     ("بِـالتجارة", "بِـالتجارة"),  # a haraka on the prefix
     ("الـتجارة", "التجارة"), ("مـنصة", "منصة"), ("تلـك", "تلك"),  # not a one-letter prefix: decoration
     ("اـبـال", "ابال"), ("ـبـال", "بال")],  # a tatweel joins a word: the ب after it does not open one
)
def test_connector_tatweel_after_a_one_letter_prefix_is_kept(text, shown):
    assert clean_display(text) == shown
    assert clean_display(shown) == shown
    assert fold(text) == fold(text.replace(TATWEEL, ""))  # the search key has none


def test_demo_titles_display_as_the_pages_show_them():
    titles = [spec.title for name in OUTLET_NAMES for spec in generate_outlet(name)]
    connected = [t for t in titles if TATWEEL in t]  # «يطلق منصة لـالتجارة الإلكترونية», «توقعات بـأمطار غزيرة»
    assert len(connected) >= len(titles) // 20
    assert [t for t in titles if clean_display(t) != t] == []


@pytest.mark.parametrize(("letter", "folded"), LETTER_FOLDS.items())
def test_search_dates_and_agencies_fold_letters_alike(letter: str, folded: str) -> None:
    assert fold(letter) == agency_key(letter) == CHAR_MAP[ord(letter)] == folded
