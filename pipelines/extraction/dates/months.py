"""Calendar data for pipelines.extraction.dates.grammar: month, weekday, unit and label spellings, and the tabular
Hijri calendar.

Spellings are given as pages show them (with hamza, ة, ى); pipelines.extraction.dates.grammar normalizes them before
matching, folding letters with pipelines.arabic.fold.LETTER_FOLDS.
"""

from __future__ import annotations

from datetime import date

from pipelines.arabic.fold import HARAKAT, LETTER_FOLDS, TATWEEL

# Normalization: 1:1 substitutions (digits, the shared letter folds, Arabic punctuation, odd spaces) ...
CHAR_MAP: dict[int, str] = {
    **{0x0660 + i: str(i) for i in range(10)}, **{0x06F0 + i: str(i) for i in range(10)},
    **{ord(c): folded for c, folded in LETTER_FOLDS.items()},
    ord("،"): ",", ord("؍"): "/", ord("٫"): ".", ord("٬"): ",", ord("؛"): ";", ord("–"): "-", ord("—"): "-",
    **{ord(c): " " for c in "\u00a0\u2007\u2009\u202f\u3000\t\r\n"},
}
# ... and deletions: harakat, tatweel, bidi and zero-width marks.
DELETED_CHARS = frozenset({*map(ord, HARAKAT + TATWEEL), 0x061C, 0xFEFF, *range(0x200B, 0x2010),
                           *range(0x202A, 0x202F), *range(0x2066, 0x206A)})

# One canonical name per month, January first; the round-trip tests format dates with each of these.
STANDARD_MONTHS = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
                   "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر")
LEVANTINE_MONTHS = ("كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران",
                    "تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول")
MAGHREBI_MONTHS = ("يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو",
                   "يوليوز", "غشت", "شتنبر", "أكتوبر", "نونبر", "دجنبر")
ALGERIAN_MONTHS = ("جانفي", "فيفري", "مارس", "أفريل", "ماي", "جوان",
                   "جويلية", "أوت", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر")
ENGLISH_MONTHS = ("january", "february", "march", "april", "may", "june",
                  "july", "august", "september", "october", "november", "december")

# Further spellings: Egyptian/Gulf variants, Iraqi «مايس», short Levantine forms, English abbreviations.
MONTH_VARIANTS: dict[str, int] = {
    "إبريل": 4, "ابريل": 4, "يونيه": 6, "يوليه": 7, "اغسطس": 8, "أغسطوس": 8, "سيبتمبر": 9, "اكتوبر": 10,
    "نوفمبر": 11, "ديسيمبر": 12, "فبرير": 2, "مايس": 5, "جانفييه": 1, "فيفرييه": 2, "أوغسطس": 8,
    "كانون ثاني": 1, "تشرين أول": 10, "تشرين ثاني": 11, "كانون أول": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}

# Month names of the languages of pages nobody here wrote (German, French, Spanish, Italian, Portuguese, Dutch,
# Turkish, and the genitive forms of Russian, Ukrainian and Polish dates), with the German abbreviations. A month name
# is read only beside a day number, so a word such as «mai» or «mars» alone is never a date.
EUROPEAN_MONTHS: dict[str, int] = {
    **{n: i + 1 for i, n in enumerate(("januar", "februar", "märz", "april", "mai", "juni", "juli", "august",
                                       "september", "oktober", "november", "dezember"))},
    "jänner": 1, "feber": 2, "maerz": 3, "jän": 1, "febr": 2, "mär": 3, "mrz": 3, "okt": 10, "dez": 12,
    **{n: i + 1 for i, n in enumerate(("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                                       "septembre", "octobre", "novembre", "décembre"))},
    "fevrier": 2, "aout": 8, "decembre": 12, "janv": 1, "févr": 2, "juil": 7, "déc": 12,
    **{n: i + 1 for i, n in enumerate(("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
                                       "septiembre", "octubre", "noviembre", "diciembre"))},
    "setiembre": 9,
    **{n: i + 1 for i, n in enumerate(("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio",
                                       "agosto", "settembre", "ottobre", "novembre", "dicembre"))},
    **{n: i + 1 for i, n in enumerate(("janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho",
                                       "agosto", "setembro", "outubro", "novembro", "dezembro"))},
    "marco": 3,
    **{n: i + 1 for i, n in enumerate(("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
                                       "september", "oktober", "november", "december"))},
    # Turkish, and the genitive forms dates use in Russian, Ukrainian and Polish («15 августа 2016»)
    **{n: i + 1 for i, n in enumerate(("ocak", "şubat", "mart", "nisan", "mayıs", "haziran", "temmuz", "ağustos",
                                       "eylül", "ekim", "kasım", "aralık"))},
    **{n: i + 1 for i, n in enumerate(("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
                                       "сентября", "октября", "ноября", "декабря"))},
    **{n: i + 1 for i, n in enumerate(("січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня",
                                       "вересня", "жовтня", "листопада", "грудня"))},
    **{n: i + 1 for i, n in enumerate(("stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca",
                                       "sierpnia", "września", "października", "listopada", "grudnia"))},
}

HIJRI_MONTHS: dict[str, int] = {
    "محرم": 1, "صفر": 2, "ربيع الأول": 3, "ربيع أول": 3, "ربيع الآخر": 4, "ربيع الثاني": 4, "ربيع ثاني": 4,
    "جمادى الأولى": 5, "جمادى الأول": 5, "جمادى الآخرة": 6, "جمادى الآخر": 6, "جمادى الثانية": 6,
    "جمادى الثاني": 6, "رجب": 7, "شعبان": 8, "رمضان": 9, "شوال": 10,
    "ذو القعدة": 11, "ذي القعدة": 11, "ذو الحجة": 12, "ذي الحجة": 12,
}

WEEKDAYS = ("الأحد", "الإثنين", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت",
            "أحد", "إثنين", "اثنين", "ثلاثاء", "أربعاء", "خميس", "جمعة", "سبت",
            "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
            "sun", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat")

# Relative-date unit words → (unit, count); count None is a plural without a number («منذ أيام»).
RELATIVE_UNITS: dict[str, tuple[str, int | None]] = {
    "ثانية": ("seconds", 1), "ثانيتين": ("seconds", 2), "ثوان": ("seconds", None), "ثواني": ("seconds", None),
    "دقيقة": ("minutes", 1), "دقيقتين": ("minutes", 2), "دقائق": ("minutes", None),
    "ساعة": ("hours", 1), "ساعتين": ("hours", 2), "ساعات": ("hours", None),
    "يوم": ("days", 1), "يومين": ("days", 2), "أيام": ("days", None),
    "أسبوع": ("weeks", 1), "أسبوعين": ("weeks", 2), "أسابيع": ("weeks", None),
    "شهر": ("months", 1), "شهرين": ("months", 2), "أشهر": ("months", None), "شهور": ("months", None),
    "سنة": ("years", 1), "عام": ("years", 1), "سنتين": ("years", 2), "عامين": ("years", 2),
    "سنوات": ("years", None), "سنين": ("years", None), "أعوام": ("years", None),
}
ENGLISH_UNITS = ("second", "minute", "hour", "day", "week", "month", "year")

NUMBER_WORDS: dict[str, float] = {
    "واحد": 1, "واحدة": 1, "اثنين": 2, "اثنتين": 2, "ثلاث": 3, "ثلاثة": 3, "أربع": 4, "أربعة": 4,
    "خمس": 5, "خمسة": 5, "ست": 6, "ستة": 6, "سبع": 7, "سبعة": 7, "ثمان": 8, "ثماني": 8, "ثمانية": 8,
    "تسع": 9, "تسعة": 9, "عشر": 10, "عشرة": 10, "عشرين": 20, "ثلاثين": 30, "أربعين": 40, "خمسين": 50,
    "نصف": 0.5, "ربع": 0.25,
    "a": 1, "an": 1, "one": 1,
}

# Arabic plurals without a number mean "3 to 10"; take the smallest.
PLURAL_COUNT = 3

AM_WORDS = ("ص", "صباحا", "صباحاً", "فجرا", "فجراً", "am", "a.m.")
PM_WORDS = ("م", "مساء", "مساءً", "مساءا", "عصرا", "عصراً", "ظهرا", "ظهراً", "ليلا", "ليلاً", "pm", "p.m.")

# Bare day words → days before today; None means "now".
DAY_WORDS: dict[str, int | None] = {
    "اليوم": 0, "أمس": 1, "الأمس": 1, "بالأمس": 1, "البارحة": 1, "أول أمس": 2, "أول من أمس": 2,
    "الآن": None, "منذ قليل": None, "قبل قليل": None, "منذ لحظات": None, "قبل لحظات": None,
    "today": 0, "yesterday": 1, "just now": None,
}

PUBLISHED_LABELS = ("تاريخ النشر", "تم النشر", "النشر", "نشر", "نشرت", "نشره", "published", "posted",
                    "date published", "publication date", "posted on", "published on",
                    "veröffentlicht", "veröffentlicht am", "erschienen", "erschienen am", "publiziert", "erstellt",
                    "erstellt am", "publié", "publié le", "publicado", "publicado el", "pubblicato", "pubblicato il",
                    "gepubliceerd", "gepubliceerd op", "written", "written on", "geschrieben", "geschrieben am",
                    "verfasst", "verfasst am")
MODIFIED_LABELS = ("آخر تحديث", "اخر تحديث", "تاريخ التحديث", "تم التحديث", "التحديث", "تحديث", "آخر تعديل",
                   "التعديل", "تعديل", "عدل", "عدلت", "محدث", "محدثة", "updated", "last updated", "update",
                   "modified", "last modified", "edited", "aktualisiert", "aktualisiert am", "zuletzt aktualisiert",
                   "geändert", "bearbeitet", "editiert", "editiert am", "mis à jour", "mis à jour le", "actualisé",
                   "actualizado", "aggiornato", "atualizado", "bijgewerkt")

# Named time zones pages print after a time, as UTC offsets in minutes: only names that stand for one offset.
ZONE_WORDS: dict[str, int] = {
    "gmt": 0, "utc": 0, "ت.غ": 0, "ت غ": 0, "توقيت غرينتش": 0, "بتوقيت غرينتش": 0, "بتوقيت جرينتش": 0,
    "توقيت جرينتش": 0, "بتوقيت مكة": 180, "بتوقيت مكة المكرمة": 180, "توقيت مكة": 180,
    "بتوقيت الرياض": 180, "بتوقيت السعودية": 180,
    # summer time has its own abbreviation; ET and PT (either offset) and CST, BST, IST (two zones each) are left out
    "est": -300, "edt": -240, "mst": -420, "mdt": -360, "pst": -480, "pdt": -420,
    "cet": 60, "cest": 120, "mez": 60, "mesz": 120, "eet": 120, "eest": 180,
}


def hijri_to_gregorian(year: int, month: int, day: int) -> date | None:
    """Tabular Islamic calendar (civil epoch, 16 July 622 Julian) → Gregorian date; ±1 day vs. observed."""
    leap = (14 + 11 * year) % 30 < 11
    length = 30 if month % 2 or (month == 12 and leap) else 29
    if not (1 <= year <= 9000 and 1 <= month <= 12 and 1 <= day <= length):
        return None
    days = day + (59 * (month - 1) + 1) // 2 + (year - 1) * 354 + (3 + 11 * year) // 30
    return date.fromordinal(227014 + days)
