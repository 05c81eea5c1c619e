"""Language and script filter for Arabic-script text, from letter and function-word statistics; pure.

Decision (``detect_language``):

1. fewer than ``MIN_LETTERS`` letters (any script) → ``"und"``;
2. less than half of the letters in Arabic script → ``"other"``;
3. Sorani letters ڕ ڵ ۆ ێ ە, or Urdu letters ٹ ڈ ڑ ں ے ہ ۃ ۓ, at ``MIN_DISTINCT_RATE`` (2 %) of the Arabic-script
   letters or more → ``"ckb"`` / ``"ur"``, whichever is higher (neither occurs in Arabic or Persian; in
   real Sorani ە alone is ~8 % of letters, in Urdu ے ں ہ together ~10 %);
4. otherwise Persian against Arabic, each scored as (signal rate / rate typical of a news text) summed
   over two signals, highest wins, ties go to Arabic:
   - Persian: letters پ چ ژ گ ک ی ۀ and digits ۰-۹ (~13 % of letters), and words است این که را می های
     برای از … (~25 % of words);
   - Arabic: letters ة ى (~4 %), and words في على إلى أن التي الذي … (~12 % of words).

Ratios, not presence: an Arabic article naming «گوگل» or quoting a Persian line stays Arabic. Words are
compared after folding the keyboard variants ی→ي, ک→ك, ھ→ه (pipelines.arabic.fold.KEYBOARD_VARIANTS), so Persian
typed on an Arabic keyboard (ي ك, no ی ک) is still caught by its words and by پ چ ژ گ. ي/ك themselves are not
counted for Arabic for the same reason.
Not handled: Pashto, Sindhi, Uyghur and other Arabic-script languages fall into one of the four.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from pipelines.arabic.fold import HARAKAT, KEYBOARD_VARIANTS
from pipelines.arabic.text import DISPLAY_TABLE

__all__ = ["MIN_LETTERS", "ArabicScriptStats", "detect_language", "script_stats"]

MIN_LETTERS = 20
MIN_ARABIC_SCRIPT_SHARE = 0.5
MIN_DISTINCT_RATE = 0.02
# Typical rates in news text, used to put letter and word signals on one scale.
_FA_LETTER_REF, _FA_WORD_REF = 0.10, 0.15
_AR_LETTER_REF, _AR_WORD_REF = 0.04, 0.10

_PERSIAN_CHARS = frozenset("پچژگکیۀ۰۱۲۳۴۵۶۷۸۹")
_URDU_CHARS = frozenset("ٹڈڑںےہۃۓ")
_KURDISH_CHARS = frozenset("ڕڵۆێە")
_ARABIC_ONLY_CHARS = frozenset("ةى")


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Spelled with ي and ك (see _WORD_TABLE). Left out on purpose: words both languages use
# (من، ما، به، بعد، هم، او، کان، اما), and «آن»/«أن», kept apart by the hamza.
_ARABIC_WORDS = _word_set("في على إلى الى أن إن أنه إنه وأن التي الذي الذين عن مع هذا هذه ذلك قال وقال كما حيث وفي لم")
_PERSIAN_WORDS = _word_set(
    "است اين كه را مي هاي براي از با در شد شده شود كرد كرده كند بود خود يك نيز وي آن آنها ها بر تا هر"
)

_SCRIPT_RANGES = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x0870, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
# Only the keyboard variants are folded: the hamza and alef maqsura folds would merge the Arabic «أن» and «على»
# with the Persian «آن» and «علی» (the name Ali), the very words that tell the two apart.
_WORD_TABLE = str.maketrans({**KEYBOARD_VARIANTS, **dict.fromkeys(HARAKAT)})
# Letter runs: ZWNJ, digits and punctuation split words, so «می‌شود» gives «مي» and «شود».
_WORD = re.compile(r"[^\W\d_]+")


def _is_arabic_script(ch: str) -> bool:
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in _SCRIPT_RANGES)


@dataclass(frozen=True)
class ArabicScriptStats:
    """Counts behind a language decision."""

    letters: int = 0
    arabic_letters: int = 0
    persian_chars: int = 0
    urdu_chars: int = 0
    kurdish_chars: int = 0
    arabic_only_chars: int = 0
    words: int = 0
    persian_words: int = 0
    arabic_words: int = 0

    def rate(self, count: int) -> float:
        """Share of Arabic-script letters."""
        return count / self.arabic_letters if self.arabic_letters else 0.0

    def word_rate(self, count: int) -> float:
        """Share of Arabic-script words."""
        return count / self.words if self.words else 0.0


def script_stats(text: str) -> ArabicScriptStats:
    """Count letters by script and language-specific group, and known function words."""
    text = text.translate(DISPLAY_TABLE)  # presentation forms → base letters
    chars = Counter(text)
    letters = arabic_letters = 0
    for ch, n in chars.items():
        if ch.isalpha():
            letters += n
            if _is_arabic_script(ch):
                arabic_letters += n
    words = [w for w in _WORD.findall(text.translate(_WORD_TABLE)) if _is_arabic_script(w[0])]
    return ArabicScriptStats(
        letters=letters,
        arabic_letters=arabic_letters,
        persian_chars=sum(chars[c] for c in _PERSIAN_CHARS),
        urdu_chars=sum(chars[c] for c in _URDU_CHARS),
        kurdish_chars=sum(chars[c] for c in _KURDISH_CHARS),
        arabic_only_chars=sum(chars[c] for c in _ARABIC_ONLY_CHARS),
        words=len(words),
        persian_words=sum(w in _PERSIAN_WORDS for w in words),
        arabic_words=sum(w in _ARABIC_WORDS for w in words),
    )


def detect_language(text: str) -> str:
    """Return "ar", "fa", "ur", "ckb", "other" (not mainly Arabic script) or "und" (too little text)."""
    s = script_stats(text)
    if s.letters < MIN_LETTERS:
        return "und"
    if s.arabic_letters < MIN_ARABIC_SCRIPT_SHARE * s.letters:
        return "other"
    kurdish, urdu = s.rate(s.kurdish_chars), s.rate(s.urdu_chars)
    if max(kurdish, urdu) >= MIN_DISTINCT_RATE:
        return "ckb" if kurdish >= urdu else "ur"
    persian = s.rate(s.persian_chars) / _FA_LETTER_REF + s.word_rate(s.persian_words) / _FA_WORD_REF
    arabic = s.rate(s.arabic_only_chars) / _AR_LETTER_REF + s.word_rate(s.arabic_words) / _AR_WORD_REF
    return "fa" if persian > arabic else "ar"
