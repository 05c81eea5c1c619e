"""News agencies: canonical name → the Arabic names, abbreviations and spellings used in datelines."""

from __future__ import annotations

from pipelines.arabic.fold import HARAKAT, LETTER_FOLDS, TATWEEL

AGENCY_NAMES: dict[str, tuple[str, ...]] = {
    "agencies": ("وكالات", "الوكالات", "وكالات الأنباء", "وكالات انباء"),
    "Reuters": ("رويترز", "رويتر", "Reuters"),
    "AFP": ("أ ف ب", "ا ف ب", "أ.ف.ب", "فرانس برس", "فرانس بريس", "وكالة فرانس برس", "الفرنسية",
            "وكالة الصحافة الفرنسية", "AFP"),
    "AP": ("أ ب", "ا ب", "أ.ب", "أسوشيتد برس", "أسوشييتد برس", "أسوشيتيد برس", "أسوشيتدبرس", "AP"),
    "DPA": ("د ب أ", "د.ب.أ", "الألمانية", "DPA"),
    "MENA": ("أ ش أ", "ا ش ا", "أ.ش.أ", "وكالة أنباء الشرق الأوسط", "MENA"),
    "WAM": ("وام", "وكالة أنباء الإمارات", "WAM"),
    "SPA": ("واس", "وكالة الأنباء السعودية", "SPA"),
    "QNA": ("قنا", "وكالة الأنباء القطرية", "QNA"),
    "KUNA": ("كونا", "وكالة الأنباء الكويتية", "KUNA"),
    "BNA": ("بنا", "وكالة أنباء البحرين", "BNA"),
    "ONA": ("العمانية", "وكالة الأنباء العمانية", "ONA"),
    "SANA": ("سانا", "SANA"),
    "WAFA": ("وفا", "WAFA"),
    "Petra": ("بترا", "Petra"),
    "NNA": ("الوكالة الوطنية للإعلام", "الوكالة الوطنية", "وطنية", "NNA"),
    "INA": ("واع", "وكالة الأنباء العراقية", "INA"),
    "SUNA": ("سونا", "SUNA"),
    "Saba": ("سبأ", "Saba"),
    "MAP": ("ومع", "لاماب", "MAP"),
    "APS": ("واج", "APS"),
    "TAP": ("وات", "TAP"),
    "LANA": ("وال", "LANA"),
    "Anadolu": ("الأناضول", "وكالة الأناضول", "Anadolu"),
    "Xinhua": ("شينخوا", "شينخوا الصينية", "Xinhua"),
    "Sputnik": ("سبوتنيك", "Sputnik"),
    "IRNA": ("إرنا", "ارنا", "IRNA"),
    "TASS": ("تاس", "TASS"),
    "RIA Novosti": ("نوفوستي", "ريا نوفوستي"),
    "Kyodo": ("كيودو", "Kyodo"),
    "EFE": ("إفي", "افي", "EFE"),
    "AKI": ("آكي", "AKI"),
    "CNN": ("CNN", "سي إن إن", "سي ان ان"),
    "BBC": ("BBC", "بي بي سي"),
}

_SQUASH = str.maketrans({**LETTER_FOLDS, **dict.fromkeys(HARAKAT + TATWEEL + ". ")})


def agency_key(text: str) -> str:
    """The lookup form of an agency name: letters folded, no harakat, tatweel, dots or spaces, case-folded."""
    return text.translate(_SQUASH).casefold()


AGENCY_LOOKUP: dict[str, str] = {agency_key(name): canonical
                                 for canonical, names in AGENCY_NAMES.items() for name in names}
