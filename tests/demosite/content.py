"""Generation of article text: facts, titles, datelines and paragraphs from the templates in vocab."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field

from .vocab import (
    AGENCY_CANON,
    DECORATIONS,
    FEMININE_HEADS,
    FIRST_NAMES,
    GENERIC_SENTENCES,
    GULF_MONTHS,
    LAST_NAMES,
    PLACES,
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
class StoryText:
    """The outlet-independent part of a story: topic, slot values, dateline and body paragraphs."""

    topic: Topic
    facts: Mapping[str, str] = field(compare=False)
    dateline: Dateline | None
    paragraphs: tuple[str, ...]
    tags: tuple[tuple[str, str], ...]

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
