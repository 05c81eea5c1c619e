"""News agencies: canonical name → the Arabic names, abbreviations and spellings used in datelines."""

from __future__ import annotations

from pipelines.arabic.fold import HARAKAT, LETTER_FOLDS, TATWEEL

AGENCY_NAMES: dict[str, tuple[str, ...]] = {
    "agencies": ("وكالات", "الوكالات", "وكالات الأنباء", "وكالات انباء", "وكالات عالمية", "وكالات دولية"),
    "Reuters": ("رويترز", "رويتر", "وكالة رويترز", "Reuters"),
    "AFP": ("أ ف ب", "ا ف ب", "أ.ف.ب", "فرانس برس", "فرانس بريس", "فرنس برس", "وكالة فرانس برس", "الفرنسية",
            "وكالة الصحافة الفرنسية", "AFP"),
    "AP": ("أ ب", "ا ب", "أ.ب", "أسوشيتد برس", "أسوشييتد برس", "أسوشيتيد برس", "أسوشيتدبرس", "الأسوشيتد برس",
           "أسوشيتد بريس", "وكالة أسوشيتد برس", "AP"),
    "DPA": ("د ب أ", "د.ب.أ", "الألمانية", "وكالة الأنباء الألمانية", "DPA"),
    "MENA": ("أ ش أ", "ا ش ا", "أ.ش.أ", "وكالة أنباء الشرق الأوسط", "MENA"),
    "WAM": ("وام", "وكالة أنباء الإمارات", "WAM"),
    "SPA": ("واس", "وكالة الأنباء السعودية", "SPA"),
    "QNA": ("قنا", "وكالة الأنباء القطرية", "QNA"),
    "KUNA": ("كونا", "وكالة الأنباء الكويتية", "KUNA"),
    "BNA": ("بنا", "وكالة أنباء البحرين", "BNA"),
    "ONA": ("العمانية", "وكالة الأنباء العمانية", "ONA"),
    "SANA": ("سانا", "وكالة الأنباء السورية", "وكالة سانا", "SANA"),
    "WAFA": ("وفا", "وكالة وفا", "وكالة الأنباء الفلسطينية", "وكالة الأنباء والمعلومات الفلسطينية", "WAFA"),
    "Petra": ("بترا", "وكالة الأنباء الأردنية", "Petra"),
    "NNA": ("الوكالة الوطنية للإعلام", "الوكالة الوطنية", "وطنية", "NNA"),
    "INA": ("واع", "وكالة الأنباء العراقية", "INA"),
    "SUNA": ("سونا", "وكالة السودان للأنباء", "SUNA"),
    "Saba": ("سبأ", "وكالة الأنباء اليمنية", "Saba"),
    "MAP": ("ومع", "لاماب", "وكالة المغرب العربي للأنباء", "MAP"),
    "APS": ("واج", "وكالة الأنباء الجزائرية", "APS"),
    "TAP": ("وات", "وكالة تونس إفريقيا للأنباء", "وكالة تونس أفريقيا للأنباء", "TAP"),
    "LANA": ("وال", "وكالة الأنباء الليبية", "LANA"),
    "AMI": ("الوكالة الموريتانية للأنباء", "AMI"),
    "Anadolu": ("الأناضول", "وكالة الأناضول", "Anadolu"),
    "Xinhua": ("شينخوا", "شينخوا الصينية", "وكالة شينخوا", "وكالة أنباء شينخوا", "Xinhua"),
    "Sputnik": ("سبوتنيك", "وكالة سبوتنيك", "Sputnik"),
    "IRNA": ("إرنا", "ارنا", "IRNA"),
    "TASS": ("تاس", "إيتار تاس", "TASS"),
    "RIA Novosti": ("نوفوستي", "ريا نوفوستي"),
    "Kyodo": ("كيودو", "Kyodo"),
    "Yonhap": ("يونهاب", "Yonhap"),
    "ANSA": ("أنسا", "آنسا", "ANSA"),
    "EFE": ("إفي", "افي", "EFE"),
    "AKI": ("آكي", "AKI"),
    "UPI": ("يو بي آي", "يو بي أي", "UPI"),
    "Bloomberg": ("بلومبرغ", "بلومبيرغ", "بلومبرج", "Bloomberg"),
    "Quds Press": ("قدس برس", "Quds Press"),
    "CNN": ("CNN", "سي إن إن", "سي ان ان"),
    "BBC": ("BBC", "بي بي سي"),
}

_SQUASH = str.maketrans({**LETTER_FOLDS, **dict.fromkeys(HARAKAT + TATWEEL + ". ")})


def agency_key(text: str) -> str:
    """The lookup form of an agency name: letters folded, no harakat, tatweel, dots or spaces, case-folded."""
    return text.translate(_SQUASH).casefold()


AGENCY_LOOKUP: dict[str, str] = {agency_key(name): canonical
                                 for canonical, names in AGENCY_NAMES.items() for name in names}
