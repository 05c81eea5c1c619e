"""Datelines, closing credits and news-agency attribution: the grammar of pipelines/extraction/datelines.py."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.extraction.agencies import AGENCY_LOOKUP, AGENCY_NAMES, agency_key
from pipelines.extraction.agency import canonical_agency, find_attribution, parse_dateline
from pipelines.extraction.datelines import CLOSING_FORMS, HEADER_FORMS, OPENING_FORMS


def _read(paragraph: str, staff=(), outlets=()):
    dateline = parse_dateline(paragraph, staff, outlets)
    return dateline.place, dateline.agencies, dateline.is_staff


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
    assert _read(paragraph) == (place, agencies, False)


@pytest.mark.parametrize(
    ("paragraph", "place", "agencies"),
    [
        # parentheses with no dash: the agency directly followed by the text (the seed article's form)
        ("عواصم (وكالات) تكثفت الاتصالات الأميركية -الروسية بشأن الأزمة السورية", "عواصم", ["agencies"]),
        ("بغداد (واع) أعلنت وزارة الداخلية", "بغداد", ["INA"]),
        ("المنامة (بنا) أكد صاحب السمو", "المنامة", ["BNA"]),
        ("رام الله (وفا) أفاد مراسلنا", "رام الله", ["WAFA"]),
        ("عمّان (بترا) قال وزير", "عمّان", ["Petra"]),  # a shadda in the place
        # a bare agency after a dash: no colon, no closing dash, with or without spaces
        ("مسقط - العمانية أعلنت وزارة الصحة", "مسقط", ["ONA"]),
        ("الخرطوم-سونا", "الخرطوم", ["SUNA"]),
        ("الخرطوم-سونا أعلن مجلس السيادة", "الخرطوم", ["SUNA"]),
        ("الجزائر - واج أعلنت", "الجزائر", ["APS"]),
        ("تونس - وات - أعلن", "تونس", ["TAP"]),
        ("صنعاء - سبأ: قال", "صنعاء", ["Saba"]),
        ("طرابلس - وال أفاد", "طرابلس", ["LANA"]),
        ("بيروت - الوكالة الوطنية للإعلام أفادت", "بيروت", ["NNA"]),
        ("موسكو - سبوتنيك قال", "موسكو", ["Sputnik"]),
        ("بكين - شينخوا أعلنت", "بكين", ["Xinhua"]),
        ("باريس - فرانس برس ذكرت", "باريس", ["AFP"]),
        ("مرسيليا - الفرنسية أفادت", "مرسيليا", ["AFP"]),
        ("نيويورك - أسوشيتد برس ذكرت", "نيويورك", ["AP"]),
        ("بيروت - رويترز وأ ف ب أعلنت", "بيروت", ["Reuters", "AFP"]),
        ("غزة-وفا والأناضول كشفت", "غزة", ["WAFA", "Anadolu"]),
        # agency house styles with the date inside the dateline: the place is the city, never the date
        ("الكويت - 15 - 11 (كونا) -- أعلنت وزارة", "الكويت", ["KUNA"]),
        ("الكويت - ١٥ - ١١ (كونا) -- أعلنت", "الكويت", ["KUNA"]),
        ("عمان 15 تشرين الثاني (بترا)- قال", "عمان", ["Petra"]),
        ("عمان 15 تشرين الثاني 2025 (بترا) - قال", "عمان", ["Petra"]),
        ("الرياض 15/11/2025 (واس) - أعلن", "الرياض", ["SPA"]),
    ],
)
def test_more_real_forms(paragraph, place, agencies):
    assert _read(paragraph) == (place, agencies, False)


@pytest.mark.parametrize(
    ("paragraph", "place", "agencies"),
    [
        ("الرياض - «عكاظ»: أعلنت الهيئة", "الرياض", []),
        ("بيروت: «النهار» أعلن الجيش", "بيروت", []),
        ("جدة («عكاظ»، واس) - أعلنت", "جدة", ["SPA"]),
        ("بيروت («النهار»، رويترز، أ ف ب) - ", "بيروت", ["Reuters", "AFP"]),
        ("(دبي - البيان) أعلنت", "دبي", []),
        ("الدمام - اليوم: أعلنت", "الدمام", []),  # a staff name that is a word: read with its delimiter
    ],
)
def test_the_outlets_own_staff(paragraph, place, agencies):
    # declared by a spider (staff_names) or read off the page (outlet_names): the same attribution
    names = ("عكاظ", "النهار", "البيان", "اليوم")
    assert _read(paragraph, staff=names) == (place, agencies, True)
    assert _read(paragraph, outlets=names) == (place, agencies, True)


def test_staff_dateline_is_not_an_agency():
    assert _read("أبوظبي (الاتحاد) - افتتح", staff=["الاتحاد"]) == ("أبوظبي", [], True)


def test_an_outlet_name_read_off_the_page_never_hides_an_agency():
    assert _read("دمشق (سانا) - أعلن", outlets=["سانا"]) == ("دمشق", ["SANA"], False)
    assert _read("دمشق (سانا) - أعلن", staff=["سانا"]) == ("دمشق", [], True)  # a spider's word is final


@pytest.mark.parametrize(
    "paragraph",
    [
        "أثار ظهور الرئيس موجة من الجدل، وفق ما نقل موقع دايلي ميل.",
        "قال الوزير (في تصريح لرويترز) إن الاتفاق قريب.",  # agency in a parenthesis mid-sentence
        "",
        "الرياض (مصدر مجهول) - خبر",  # unknown source: no agency claimed
        "صنعاء (سبئ) - خبر",  # ئ folds to ي, not to the ا of «سبأ» (Saba)
        # an agency cited in the text
        "نقلت وكالة الأناضول عن مصادر أمنية أن الهجوم وقع فجرا",
        "ذكرت رويترز - نقلا عن مصادر - أن الاتفاق قريب",
        "قال الوزير (رويترز) إن الاتفاق قريب",  # a sentence, not «PLACE (AGENCY)»
        "قال مسؤول لـ(رويترز) إن الاتفاق قريب",
        # a parenthesis that is not a source
        "أكد الوزير (في تصريح خاص) - أمس - أن الخطة جاهزة",
        "الرياض (تحديث) - أعلنت",
        # a photo credit
        "الصورة: رويترز",
        "تصوير: أ ف ب",
        "(الصورة: رويترز) أعلنت",
        # bylines and section labels
        "إعداد - محمد العلي: الاقتصاد في أسبوع",
        "كتب - عمر العلي: أعلنت",
        "خاص: رويترز تقول إن",
        "عاجل - رويترز: انفجار",
        # a quoted name that is neither an agency nor the outlet
        "الوزير: «لن نتراجع» عن القرار",
        "الرياض - «عكاظ»: أعلنت",  # another outlet's staff (no staff_names, no page name)
        # a bare word after a dash that only looks like a staff name
        "الرياض - اليوم أعلنت الوزارة",
        "قال الوزير - في بيان - إن",
        "بيروت (رويترز، مراسلنا) - ",  # one unknown part: not a source list
    ],
)
def test_no_agency(paragraph):
    dateline = parse_dateline(paragraph, (), ("اليوم",))
    assert (dateline.place, dateline.agencies, dateline.is_staff) == (None, [], False), dateline


@pytest.mark.parametrize(
    ("body", "place", "agencies", "staff"),
    [
        ("تكثفت الاتصالات بين البلدين.\nوأكد الوزير أن الخطة جاهزة.\nالمصدر: وكالات", None, ["agencies"], False),
        ("تكثفت الاتصالات.\nوأكد الوزير أن الخطة جاهزة.\nالمصدر: رويترز + أ ف ب", None, ["Reuters", "AFP"], False),
        ("تكثفت الاتصالات.\nوأكد الوزير.\nالمصدر: رويترز و أ ف ب", None, ["Reuters", "AFP"], False),
        ("تكثفت الاتصالات.\nوأكد الوزير.\nالمصدر: رويترز، د ب أ", None, ["Reuters", "DPA"], False),
        ("تكثفت الاتصالات.\nوأكد الوزير.\nالمصدر: النبأ + وكالات", None, ["agencies"], True),
        ("تكثفت الاتصالات.\nوأكد الوزير أن الخطة جاهزة. (رويترز)", None, ["Reuters"], False),
        ("تكثفت الاتصالات.\nوأكد الوزير أن الخطة «جاهزة».(أ ف ب)", None, ["AFP"], False),
        ("الرياض - «النبأ»: تكثفت الاتصالات.\nوأكد الوزير.\nالمصدر: النبأ + وكالات", "الرياض", ["agencies"], True),
        ("حوار: سلمى الورتاني\nتونس - وات - قال الخبير", "تونس", ["TAP"], False),  # a byline line comes first
    ],
)
def test_closing_credits(body, place, agencies, staff):
    dateline = find_attribution(body, ("النبأ",))
    assert (dateline.place, dateline.agencies, dateline.is_staff) == (place, agencies, staff), dateline


@pytest.mark.parametrize(
    "body",
    [
        "تكثفت الاتصالات.\nوأعلنت الوكالة الرسمية (سانا).",  # an agency named inside the last sentence
        "تكثفت الاتصالات.\nوقال الوزير لوكالة (رويترز)",
        "تكثفت الاتصالات.\nوأكد الوزير.\nمصدر الصورة: رويترز",  # a photo credit
        "تكثفت الاتصالات.\nوأكد الوزير. (تصوير: رويترز)",
        "تكثفت الاتصالات.\nوأكد الوزير.\nالمصدر: مواقع التواصل",  # a source that is no agency
        "تكثفت الاتصالات.\nنقلت وكالات روسية عن وزارة الدفاع قولها إن المحادثات مثمرة.",
    ],
)
def test_not_closing_credits(body):
    dateline = find_attribution(body, ("النبأ",))
    assert (dateline.place, dateline.agencies, dateline.is_staff) == (None, [], False), dateline


def test_header_lines_hold_a_credit_line_not_a_caption():
    body = "جمع أكثر من 900 متطوع 12 طناً من المخلفات."
    got = find_attribution(body, ("البيان",), (), ["المصدر:", "(دبي - البيان)", "التاريخ:", "21 مايو 2025"])
    assert (got.place, got.agencies, got.is_staff) == ("دبي", [], True)
    got = find_attribution(body, (), (), ["المصدر: (القاهرة - أ ش أ)"])
    assert (got.place, got.agencies, got.is_staff) == ("القاهرة", ["MENA"], False)
    assert not find_attribution(body, (), (), ["(رويترز)", "صورة أرشيفية"])  # a photo caption under the title


def test_forms_are_data():
    assert {f.name for f in OPENING_FORMS} == {"paren", "paren_place", "dash", "colon_quoted"}
    assert {f.name for f in CLOSING_FORMS} == {"credit_line"}
    assert all(f.whole for f in HEADER_FORMS)


@pytest.mark.parametrize(
    ("agency", "spellings"),
    [("WAFA", ["وفا"]), ("APS", ["واج"]), ("TAP", ["وات"]), ("INA", ["واع"]), ("BNA", ["بنا"]),
     ("ONA", ["العمانية"]), ("Saba", ["سبأ"]), ("SUNA", ["سونا"]), ("LANA", ["وال"]), ("Sputnik", ["سبوتنيك"]),
     ("Xinhua", ["شينخوا"]), ("NNA", ["الوكالة الوطنية للإعلام"]),
     ("AFP", ["الفرنسية", "فرانس برس", "أ ف ب", "ا.ف.ب"]), ("AP", ["أسوشيتد برس", "أسوشييتد برس", "أ ب"]),
     ("Reuters", ["رويترز"]), ("DPA", ["الألمانية", "د ب أ"])],
)
def test_agency_spellings(agency, spellings):
    assert {canonical_agency(s) for s in spellings} == {agency}


def test_agency_table_has_one_owner_per_spelling():
    owners: dict[str, set[str]] = {}
    for canonical, names in AGENCY_NAMES.items():
        for name in names:
            owners.setdefault(agency_key(name), set()).add(canonical)
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}
    assert len(AGENCY_LOOKUP) == len(owners)


DATELINE_ALPHABET = "ابتثجحخدذرزسشصضطظعغفقكلمنهويأإآىةؤئء٠١٥0159 \n-–—:()«»\"،,+/و." + "رويترز وام كونا بترا المصدر"


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(DATELINE_ALPHABET), max_size=160), st.lists(st.text(max_size=30), max_size=3))
def test_attribution_never_raises_and_names_only_known_agencies(body, header):
    found = find_attribution(body, ("النبأ",), ("الوسط",), header)
    assert set(found.agencies) <= set(AGENCY_NAMES)
    assert found.place is None or (found.place.strip() == found.place and len(found.place) <= 40)
    assert bool(found) == bool(found.agencies or found.is_staff)
