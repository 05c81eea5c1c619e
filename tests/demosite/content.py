"""Generation of article text: facts, titles, datelines and paragraphs from the templates in vocab."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from .vocab import (
    AGENCY_CANON,
    AGENCY_HOUSE_FORMS,
    DATELINE_FORMS,
    DECORATIONS,
    FEMININE_HEADS,
    FIRST_NAMES,
    GENERIC_SENTENCES,
    GULF_MONTHS,
    HOUSE_STYLES,
    LAST_NAMES,
    LEVANT_MONTHS,
    PLACES,
    SOURCE_JOINERS,
    TEAMS,
    WIRE_DATELINES,
    Topic,
)


@dataclass(frozen=True)
class Dateline:
    """A dateline such as «بيروت (رويترز، أ ف ب) -»; `printed` holds the agency (or outlet) labels as printed."""

    place: str
    printed: tuple[str, ...]
    staff: bool = False

    @property
    def text(self) -> str:
        """The dateline as it opens the first paragraph, including the trailing dash."""
        return f"{self.place} ({'، '.join(self.printed)}) -"

    @property
    def agencies(self) -> list[str]:
        """Canonical agency names for the truth file (empty for staff datelines)."""
        return [] if self.staff else [AGENCY_CANON[a] for a in self.printed]


@dataclass(frozen=True)
class Attribution:
    """How one copy of a story prints its dateline or credit (a form of DATELINE_FORMS), and what it tells a reader:
    the place (None when the form prints none), the canonical agencies, whether it names the outlet itself."""

    form: str
    printed: str
    where: str  # "opening", "tail" or "line" (DATELINE_FORMS)
    place: str | None
    agencies: tuple[str, ...]
    staff: bool

    def apply(self, paragraphs: tuple[str, ...]) -> tuple[str, ...]:
        """The story's bare paragraphs with the dateline or credit printed where the form puts it."""
        first, *rest = paragraphs
        if self.where == "opening":
            return (f"{self.printed} {first}", *rest)
        if self.where == "tail":
            return (*paragraphs[:-1], f"{paragraphs[-1]} {self.printed}")
        return (*paragraphs, self.printed)


def attribute(dateline: Dateline, form: str, outlet_name: str, day: date) -> Attribution:
    """Print a dateline in one form for one outlet's copy published on `day`."""
    where, template = DATELINE_FORMS[form]
    agencies = () if dateline.staff else dateline.printed
    joiner = SOURCE_JOINERS.get(form, "، ")
    printed = template.format(place=dateline.place, sources=joiner.join(agencies), outlet=outlet_name, day=day.day,
                              month=day.month, month_name=LEVANT_MONTHS[day.month - 1])
    staff = dateline.staff or "{outlet}" in template
    return Attribution(form, printed, where, dateline.place if "{place}" in template else None,
                       tuple(AGENCY_CANON[a] for a in agencies), staff)


def house_form(rng: random.Random, outlet: str, dateline: Dateline) -> str:
    """The form one outlet prints a dateline in: the agency's own house style when the outlet keeps it («agency» in
    its HOUSE_STYLES), else drawn from its house styles."""
    styles = [(f, w) for f, w in HOUSE_STYLES[outlet]["staff" if dateline.staff else "wire"]]
    own = AGENCY_HOUSE_FORMS.get(dateline.printed[0]) if len(dateline.printed) == 1 and not dateline.staff else None
    if own and any(f == "agency" for f, _ in styles):
        return own
    forms, weights = zip(*[(f, w) for f, w in styles if f != "agency"], strict=True)
    return rng.choices(forms, weights)[0]


@dataclass(frozen=True)
class StoryText:
    """The outlet-independent part of a story: topic, slot values, dateline and body paragraphs."""

    topic: Topic
    facts: Mapping[str, str] = field(compare=False)
    dateline: Dateline | None
    paragraphs: tuple[str, ...]
    tags: tuple[tuple[str, str], ...]

    @property
    def bare_paragraphs(self) -> tuple[str, ...]:
        """The paragraphs without the dateline (each outlet prints it in its own form: Attribution)."""
        if self.dateline is None:
            return self.paragraphs
        first, *rest = self.paragraphs
        return (first.removeprefix(f"{self.dateline.text} "), *rest)

    @property
    def subject_slug(self) -> str:
        """Ascii slug of the story's main subject (used in WordPress-style URLs)."""
        return self.facts["subj_slug"]


def person_name(rng: random.Random) -> str:
    """A random Arabic person name (first + family name)."""
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def wire_dateline(rng: random.Random) -> Dateline:
    """A random agency dateline; multi-agency ones are rarer."""
    singles = [d for d in WIRE_DATELINES if len(d[1]) == 1]
    multis = [d for d in WIRE_DATELINES if len(d[1]) > 1]
    place, printed = rng.choice(multis if rng.random() < 0.1 else singles)
    return Dateline(place, printed)


def _facts(rng: random.Random, topic: Topic) -> dict[str, str]:
    subj, subj_slug = rng.choice(topic.subjects)
    team, team2 = rng.sample(TEAMS, 2)
    return {
        "subj": subj,
        "subj_slug": subj_slug,
        "y": "ت" if subj.split()[0] in FEMININE_HEADS else "ي",
        "obj": rng.choice(topic.objects),
        "place": rng.choice(PLACES),
        "num": str(rng.randint(3, 95)),
        "pct": f"{rng.randint(1, 19)}.{rng.randint(1, 9)}",
        "official": f"{rng.choice(topic.roles)} {person_name(rng)}",
        "month": rng.choice(GULF_MONTHS),
        "team": team,
        "team2": team2,
        "score": f"{rng.randint(1, 4)}-{rng.randint(0, 3)}",
        "temp": str(rng.randint(38, 51)),
    }


def _decorate(sentence: str, rng: random.Random) -> str:
    """Occasionally respell one word with tashkeel or tatweel."""
    if rng.random() > 0.12:
        return sentence
    words = sentence.split(" ")
    spots = [i for i, w in enumerate(words) if w in DECORATIONS]
    if spots:
        i = rng.choice(spots)
        words[i] = DECORATIONS[words[i]]
    return " ".join(words)


def _fill(template: str, facts: Mapping[str, str], rng: random.Random) -> str:
    local = dict(facts, num=str(rng.randint(3, 95)), pct=f"{rng.randint(1, 19)}.{rng.randint(1, 9)}")
    return _decorate(template.format(**local), rng)


def make_story(rng: random.Random, topic: Topic, dateline: Dateline | None) -> StoryText:
    """Generate one story body: 3-7 paragraphs of 2-4 sentences, the first opening with the dateline."""
    facts = _facts(rng, topic)
    pool: list[str] = []
    paragraphs: list[str] = []
    for p in range(rng.randint(3, 7)):
        sentences: list[str] = []
        for s in range(rng.randint(2, 4)):
            if p == 0 and s == 0:
                sentences.append(_decorate(topic.sentences[0].format(**facts), rng))
                continue
            if not pool:
                pool = list(topic.sentences[1:] + GENERIC_SENTENCES)
                rng.shuffle(pool)
            sentences.append(_fill(pool.pop(), facts, rng))
        paragraphs.append(" ".join(sentences))
    if dateline is not None:
        paragraphs[0] = f"{dateline.text} {paragraphs[0]}"
    tags = tuple(rng.sample(topic.tags, min(len(topic.tags), rng.randint(2, 3))))
    return StoryText(topic, facts, dateline, tuple(paragraphs), tags)


def make_title(rng: random.Random, story: StoryText, attempt: int = 0) -> str:
    """A title for one copy of the story; later attempts re-draw numbers to escape duplicates."""
    facts = dict(story.facts)
    if attempt:
        team, team2 = rng.sample(TEAMS, 2)
        facts.update(num=str(rng.randint(3, 95 + attempt * 10)), pct=f"{rng.randint(1, 19)}.{rng.randint(1, 9)}",
                     place=rng.choice(PLACES), obj=rng.choice(story.topic.objects), team=team, team2=team2,
                     score=f"{rng.randint(1, 5)}-{rng.randint(0, 4)}", temp=str(rng.randint(38, 51)))
    return rng.choice(story.topic.titles).format(**facts)
