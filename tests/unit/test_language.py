from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.arabic.language import detect_language, script_stats
from tests.support.extraction_truth import CORPUS

ARABIC = (
    "أعلنت وزارة الصحة في غزة اليوم أن عدد المصابين ارتفع إلى مئة شخص، وقالت إن المستشفيات التي "
    "تعمل في المدينة تواجه نقصاً حاداً في الوقود والأدوية."
)
PERSIAN = (
    "وزارت بهداشت روز دوشنبه اعلام کرد که شمار بیماران در استان تهران افزایش یافته است و "
    "بیمارستان‌ها برای پذیرش بیماران جدید آماده می‌شوند."
)
URDU = "حکومت نے اعلان کیا ہے کہ اگلے ہفتے سے تمام سرکاری اسکول دوبارہ کھل جائیں گے اور طلبہ کو کتابیں مفت دی جائیں گی۔"
KURDISH = (
    "حکومەتی هەرێمی کوردستان ڕایگەیاند کە مووچەی فەرمانبەران لە هەفتەی داهاتوودا دابەش دەکرێت و کێشەکە چارەسەر دەبێت."
)
ENGLISH = "The ministry said on Monday that schools will reopen next week after the long holiday."


@pytest.mark.parametrize(
    ("text", "expected"),
    [(ARABIC, "ar"), (PERSIAN, "fa"), (URDU, "ur"), (KURDISH, "ckb"), (ENGLISH, "other")],
    ids=["ar", "fa", "ur", "ckb", "en"],
)
def test_samples(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_arabic_headline_with_tashkeel_and_presentation_forms() -> None:
    assert detect_language("وَقَالَ الرَّئِيسُ إِنَّ الحُكُومَةَ سَتُعلِنُ القرار ﻻحقاً") == "ar"


def test_arabic_with_a_few_persian_letters_stays_arabic() -> None:
    text = ARABIC + " وذكرت شركة گوگل أن تطبيق «چت» سيتوفر في پاكستان قريباً."
    assert detect_language(text) == "ar"


def test_arabic_quoting_a_persian_phrase_stays_arabic() -> None:
    assert detect_language(ARABIC + " وكتب على لافتة: «ایران قوی است»." + ARABIC) == "ar"


def test_persian_typed_with_arabic_yeh_and_kaf_is_persian() -> None:
    text = PERSIAN.replace("ی", "ي").replace("ک", "ك")
    assert script_stats(text).persian_chars < script_stats(PERSIAN).persian_chars
    assert detect_language(text) == "fa"


def test_persian_without_zwnj_is_persian() -> None:
    assert detect_language(PERSIAN.replace("\u200c", "")) == "fa"


@pytest.mark.parametrize("text", ["", "   \n", "غزة", "عاجل: انفجار في بيروت", "١٢٣٤٥ 2024 ۱۴۰۳ ...", "!!! ؟؟؟"])
def test_too_little_text_is_undetermined(text: str) -> None:
    assert detect_language(text) == "und"


def test_mixed_scripts_go_by_majority() -> None:
    assert detect_language(ARABIC + " (Reuters)") == "ar"
    assert detect_language(ENGLISH + " " + ENGLISH + " غزة") == "other"
    assert detect_language("Привет мир, это короткая новость дня") == "other"


def test_script_stats_counts() -> None:
    stats = script_stats("في المدينة abc ١٢")
    assert stats.letters == 12
    assert stats.arabic_letters == 9
    assert stats.arabic_only_chars == 1  # ة
    assert stats.words == 2
    assert stats.arabic_words == 1


# --- real pages ----------------------------------------------------------------------------------------------


def _page_text(path: Path) -> str:
    trafilatura = pytest.importorskip("trafilatura")
    text = trafilatura.extract(path.read_bytes())  # bytes: trafilatura finds the encoding itself
    assert text, f"no text extracted from {path}"
    return text


@pytest.mark.corpus
@pytest.mark.parametrize(("folder", "expected"), [("arabic", "ar"), ("non-arabic", "fa")])
def test_corpus_pages(folder: str, expected: str) -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is absent")
    pages = sorted((CORPUS / folder).glob("*.html"))
    assert pages, f"no pages in {CORPUS / folder}"
    got = {page.name: detect_language(_page_text(page)) for page in pages}
    assert got == dict.fromkeys(got, expected)


def test_keyboard_variants_are_folded_before_words_are_counted() -> None:
    assert script_stats("ھذا الخبر ھذه").arabic_words == 2  # ھ typed for ه
    assert script_stats("این کرد که").persian_words == 3  # ی ک typed for ي ك
    assert script_stats("آن").arabic_words == 0 and script_stats("أن").persian_words == 0  # hamza kept apart
