"""Arabic letter folding, written once: the letter variants that search, date and agency matching treat as one letter.

Every table that folds letters is built from ``LETTER_FOLDS`` (pipelines.arabic.text for search keys,
pipelines.extraction.dates.months for date words, pipelines.extraction.agencies for agency names) or, for the
language detector, from its ``KEYBOARD_VARIANTS`` part (pipelines.arabic.language). Each user adds its own
deletions (``HARAKAT``, ``TATWEEL``, ...) on top. Every fold is one letter for one letter, so a folded text keeps the
positions of its source (date matches are mapped back onto the page text).
"""

from __future__ import annotations

__all__ = ["HARAKAT", "KEYBOARD_VARIANTS", "LETTER_FOLDS", "TATWEEL"]

# Persian keyboards and old fonts type ی ک ھ where Arabic has ي ك ه: the same letter, another code point.
KEYBOARD_VARIANTS: dict[str, str] = {
    "\u06cc": "\u064a",  # ی → ي
    "\u06a9": "\u0643",  # ک → ك
    "\u06be": "\u0647",  # ھ → ه
}
# Spellings writers use interchangeably: hamza and madda on or under alef, alef maqsura, ta marbuta, hamza seats.
LETTER_FOLDS: dict[str, str] = {
    "\u0623": "\u0627",  # أ → ا
    "\u0625": "\u0627",  # إ → ا
    "\u0622": "\u0627",  # آ → ا
    "\u0671": "\u0627",  # ٱ → ا
    "\u0649": "\u064a",  # ى → ي
    "\u0629": "\u0647",  # ة → ه
    "\u0624": "\u0648",  # ؤ → و
    "\u0626": "\u064a",  # ئ → ي
    **KEYBOARD_VARIANTS,
}
# Harakat (fathatan … sukun and the marks up to U+065F) and superscript alef.
HARAKAT = "".join(map(chr, (*range(0x064B, 0x0660), 0x0670)))
TATWEEL = "\u0640"
