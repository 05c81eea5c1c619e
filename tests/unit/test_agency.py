"""Datelines and news-agency attribution."""

from __future__ import annotations

import pytest

from pipelines.extraction.agency import parse_dateline


@pytest.mark.parametrize(
    ("paragraph", "place", "agencies"),
    [
        ("عواصم (وكالات) - قالت مصادر", "عواصم", ["agencies"]),
        ("دبي (وام) - أعلنت الهيئة", "دبي", ["WAM"]),
        ("(رويترز) - قال مسؤول", None, ["Reuters"]),
        ("بيروت - (رويترز) - ارتفعت", "بيروت", ["Reuters"]),
        ("القاهرة (أ ش أ) - أكد", "القاهرة", ["MENA"]),
        ("باريس (أ ف ب، رويترز) - ذكرت", "باريس", ["AFP", "Reuters"]),
        ("باريس (أ ف ب ورويترز): ذكرت", "باريس", ["AFP", "Reuters"]),
        ("الكويت (كونا) - ", "الكويت", ["KUNA"]),
        ("الکویت (کونا) - ", "الکویت", ["KUNA"]),  # typed on a Persian keyboard
    ],
)
def test_wire_datelines(paragraph, place, agencies):
    dateline = parse_dateline(paragraph)
    assert (dateline.place, dateline.agencies, dateline.is_staff) == (place, agencies, False)


def test_staff_dateline_is_not_an_agency():
    dateline = parse_dateline("أبوظبي (الاتحاد) - افتتح", staff_names=["الاتحاد"])
    assert (dateline.place, dateline.agencies, dateline.is_staff) == ("أبوظبي", [], True)


@pytest.mark.parametrize(
    "paragraph",
    [
        "أثار ظهور الرئيس موجة من الجدل، وفق ما نقل موقع دايلي ميل.",
        "قال الوزير (في تصريح لرويترز) إن الاتفاق قريب.",  # agency in a parenthesis mid-sentence
        "",
        "الرياض (مصدر مجهول) - خبر",  # unknown source: no agency claimed
        "صنعاء (سبئ) - خبر",  # ئ folds to ي, not to the ا of «سبأ» (Saba)
    ],
)
def test_no_agency(paragraph):
    assert parse_dateline(paragraph).agencies == []
