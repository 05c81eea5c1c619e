"""Near-duplicate fingerprints: copies match, different stories on one topic stay apart, short bodies never match."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from hypothesis import given
from hypothesis import strategies as st

from pipelines.arabic.text import fold
from pipelines.stories.fingerprint import MIN_TOKENS, SAME_STORY, Fingerprint, fingerprint, jaccard
from tests.demosite.model import generate_site

STORY = (
    "بيروت (رويترز) - أعلنت وزارة الصحة اللبنانية اليوم الثلاثاء أن عدد المصابين في الانفجار الذي وقع في مرفأ "
    "المدينة ارتفع إلى ١٢٠ شخصاً، وقالت إن المستشفيات التي تعمل في العاصمة تواجه نقصاً حاداً في الوقود والأدوية.\n"
    "وقال وزير الصحة في مؤتمر صحفي إن فرق الإنقاذ ما زالت تبحث عن مفقودين تحت الأنقاض، مضيفاً أن الحكومة "
    "طلبت مساعدة عاجلة من الدول الصديقة لتأمين المعدات الطبية اللازمة خلال الأيام المقبلة.\n"
    "وأشار إلى أن التحقيقات الأولية تشير إلى أن الانفجار نجم عن حريق في مستودع للمواد الكيميائية، وأن السلطات "
    "أوقفت عدداً من المسؤولين عن المرفأ بانتظار انتهاء التحقيق الذي تشرف عليه النيابة العامة."
)


def _fp(text: str) -> Fingerprint:
    fp = fingerprint(fold(text))
    assert fp is not None
    return fp


def _same(a: Fingerprint, b: Fingerprint) -> bool:
    return bool(set(a.bands) & set(b.bands)) and jaccard(a.shingles, b.shingles) >= SAME_STORY


def test_copy_with_other_dateline_boilerplate_and_small_edits_is_the_same_story() -> None:
    edited = (STORY.replace("بيروت (رويترز) -", "بيروت - (أ ف ب)")
              .replace("اليوم الثلاثاء", "الثلاثاء")
              .replace("١٢٠", "121")
              .replace("الدول الصديقة", "الدول الشقيقة"))
    copy = f"اقرأ أيضاً: أسعار الوقود ترتفع مجدداً في لبنان\n{edited}\nتابعونا على تويتر وفيسبوك لآخر الأخبار العاجلة."
    assert _same(_fp(STORY), _fp(copy))


def test_spelling_variants_give_the_identical_fingerprint() -> None:
    respelled = STORY.replace("أعلنت", "اعلنت").replace("الصحة", "الصحه").replace("إلى", "الى")
    decorated = STORY.replace("الانفجار", "الانْفِجَار").replace("الحكومة", "الحكـــومة")
    assert _fp(STORY) == _fp(respelled) == _fp(decorated)


def test_truncated_copy_keeping_most_of_the_text_is_the_same_story() -> None:
    first_two = "\n".join(STORY.split("\n")[:2])
    assert _same(_fp(STORY), _fp(first_two))


def test_different_stories_on_the_same_topic_stay_apart() -> None:
    # The demo site writes every story of a topic from one set of sentence templates: the hardest case there is.
    stories = {spec.story: spec.text for specs in generate_site().values() for spec in specs}
    by_topic: dict[str, list[Fingerprint]] = defaultdict(list)
    for text in stories.values():
        by_topic[text.topic.key].append(_fp("\n".join(text.paragraphs)))
    pairs = [(a, b) for fps in by_topic.values() for a, b in combinations(fps, 2)]
    assert len(pairs) > 1000
    assert max(jaccard(a.shingles, b.shingles) for a, b in pairs) < SAME_STORY


def test_short_bodies_get_no_fingerprint() -> None:
    short = " ".join(fold(STORY).split()[: MIN_TOKENS - 1])
    assert fingerprint(short) is None
    assert fingerprint("") is None
    assert fingerprint(" ".join(fold(STORY).split()[:MIN_TOKENS])) is not None


def test_jaccard_bounds() -> None:
    fp = _fp(STORY)
    assert jaccard(fp.shingles, fp.shingles) == 1.0
    assert jaccard(fp.shingles, b"") == 0.0
    assert len(fp.bands) == len(set(fp.bands)) == 32


@given(st.text(max_size=3000))
def test_fingerprint_never_raises_and_is_deterministic(text: str) -> None:
    folded = fold(text)
    first = fingerprint(folded)
    assert first == fingerprint(folded)
    if first is not None:
        assert jaccard(first.shingles, first.shingles) == 1.0


@given(st.lists(st.sampled_from(fold(STORY).split()), min_size=MIN_TOKENS, max_size=300))
def test_identical_word_sequences_give_identical_fingerprints(words: list[str]) -> None:
    text = " ".join(words)
    assert fingerprint(text) == fingerprint(fold(text)) == fingerprint(f"  {text}\n")
