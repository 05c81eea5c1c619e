"""Outlets, article specs and the deterministic generation of every outlet's article list (plus truth records)."""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from .content import (
    Attribution,
    Dateline,
    StoryText,
    attribute,
    house_form,
    make_story,
    make_title,
    person_name,
    wire_dateline,
)
from .fmt import iso
from .vocab import COMMENT_POOL, TOPICS

DEFAULT_END_DATE = date(2026, 11, 15)
DEFAULT_ARTICLES = 120
WINDOW_DAYS = 90
OUTLET_NAMES: tuple[str, ...] = ("nabaa", "wasat", "sham")
# The hostile outlet (bad pages and responses, tests/demosite/hostile.py) is not in OUTLET_NAMES: it has no
# generated articles, but it is served (DemoSite(hostile=True)) and make_outlet knows it.
HOSTILE_NAME = "hostile"
OUTLET_HOSTS: dict[str, str] = {"nabaa": "127.0.0.2", "wasat": "127.0.0.3", "sham": "127.0.0.4",
                                HOSTILE_NAME: "127.0.0.5"}
OUTLET_TIMEZONES: dict[str, str] = {"nabaa": "Asia/Riyadh", "wasat": "Asia/Riyadh", "sham": "Asia/Beirut",
                                    HOSTILE_NAME: "Asia/Riyadh"}
OUTLET_ENCODINGS: dict[str, str] = {"nabaa": "utf-8", "wasat": "utf-8", "sham": "windows-1256", HOSTILE_NAME: "utf-8"}
DISPLAY_NAMES: dict[str, str] = {"nabaa": "النبأ", "wasat": "الوسط", "sham": "الشام", HOSTILE_NAME: "hostile"}
STAFF_PLACES: dict[str, tuple[str, ...]] = {
    "nabaa": ("الرياض", "جدة", "الدمام"), "wasat": ("جدة", "الرياض", "مكة المكرمة"), "sham": ("دمشق", "حلب", "حمص"),
}
INDEX_HOST = "127.0.0.1"
TRUTH_KEYS: tuple[str, ...] = (
    "url", "title", "published", "views", "comments", "shares", "agencies", "dateline_place", "agency_is_staff",
    "author", "story",
)
# Share of stories that are wire stories copied by 2-3 outlets: W / (3K - 1.5W) ~= 15%.
_WIRE_PER_ARTICLE = 0.367


@dataclass(frozen=True)
class Outlet:
    """One served outlet: short name, loopback host, base URL (with port), IANA timezone, page encoding."""

    name: str
    host: str
    base_url: str
    timezone: str
    encoding: str

    @property
    def display_name(self) -> str:
        """Arabic name of the outlet (النبأ, الوسط, الشام; «hostile» for the hostile outlet)."""
        return DISPLAY_NAMES[self.name]


def make_outlet(name: str, port: int) -> Outlet:
    """Build the Outlet record for `name` served on `port`."""
    host = OUTLET_HOSTS[name]
    return Outlet(name, host, f"http://{host}:{port}/", OUTLET_TIMEZONES[name], OUTLET_ENCODINGS[name])


@dataclass(frozen=True)
class ArticleSpec:
    """One article as published by one outlet; counters the layout does not show are None."""

    outlet: str
    id: int
    path: str
    title: str
    published: datetime
    modified: datetime
    story: str
    text: StoryText
    views: int
    comments: int | None
    shares: int | None
    author: str | None
    comment_ids: tuple[int, ...]
    # How this copy prints its dateline or credit; None: as the story text has it («PLACE (AGENCY) -»).
    attribution: Attribution | None = None

    @functools.cached_property
    def paragraphs(self) -> tuple[str, ...]:
        """Body paragraphs, with the dateline (opening the first) or the credit (closing the body) of this copy."""
        if self.attribution is None:
            return self.text.paragraphs
        return self.attribution.apply(self.text.bare_paragraphs)

    @property
    def section(self) -> str:
        """Ascii topic key (economy, sports, ...)."""
        return self.text.topic.key

    @property
    def dateline(self) -> Dateline | None:
        """The dateline, or None."""
        return self.text.dateline

    def truth(self, base_url: str) -> dict[str, Any]:
        """The truth record (exactly TRUTH_KEYS) with the absolute URL under `base_url`."""
        dl, shown = self.text.dateline, self.attribution
        return {
            "url": base_url.rstrip("/") + self.path,
            "title": self.title,
            "published": iso(self.published),
            "views": self.views,
            "comments": self.comments,
            "shares": self.shares,
            "agencies": list(shown.agencies) if shown else dl.agencies if dl else [],
            "dateline_place": shown.place if shown else dl.place if dl else None,
            "agency_is_staff": shown.staff if shown else bool(dl and dl.staff),
            "author": self.author,
            "story": self.story,
        }


def _article_path(outlet: str, article_id: int, published: datetime, text: StoryText) -> str:
    if outlet == "nabaa":
        return f"/news/{article_id}"
    if outlet == "wasat":
        return f"/{published:%Y/%m/%d}/{text.subject_slug}-{article_id}/"
    return f"/article.php?id={article_id}"


_ID_START = {"nabaa": (48000, 9), "wasat": (10200, 4), "sham": (3100, 2)}
_AUTHOR_P = {"nabaa": (0.0, 0.0), "wasat": (0.2, 0.75), "sham": (0.1, 0.55)}  # (wire copy, own story)


def _build_outlet(name: str, copies: list[tuple[str, StoryText, datetime, bool]], seed: str) -> tuple[ArticleSpec, ...]:
    tz = ZoneInfo(OUTLET_TIMEZONES[name])
    copies.sort(key=lambda c: (c[2].astimezone(ZoneInfo("UTC")), c[0]))
    next_id, max_step = _ID_START[name]
    seen_titles: set[str] = set()
    specs: list[ArticleSpec] = []
    for sid, text, when, wire in copies:
        rng = random.Random(f"{seed}/{name}/{sid}")
        next_id += rng.randint(1, max_step)
        published = when.astimezone(tz)
        title = make_title(rng, text)
        for attempt in range(1, 80):
            if title not in seen_titles:
                break
            title = make_title(rng, text, attempt)
        if title in seen_titles:
            title = f"{title} ({next_id})"
        seen_titles.add(title)
        views = int(rng.lognormvariate(6.3, 1.1)) + 12
        comments = int(rng.expovariate(1 / 6))
        shares = int(rng.lognormvariate(3.0, 1.2))
        shown = min(comments, 4) if name != "sham" else rng.randint(0, 3)
        author_p = _AUTHOR_P[name][0 if wire else 1]
        author = person_name(rng) if rng.random() < author_p else None
        edited = rng.random() < 0.4
        modified = published + timedelta(minutes=rng.randint(5, 300) if edited else 0)
        attribution = None
        if text.dateline is not None:  # its own draws: the rest of the copy does not depend on the house style
            form = house_form(random.Random(f"{seed}/{name}/{sid}/dateline"), name, text.dateline)
            attribution = attribute(text.dateline, form, DISPLAY_NAMES[name], published.date())
        specs.append(ArticleSpec(
            outlet=name, id=next_id, path=_article_path(name, next_id, published, text), title=title,
            published=published, modified=modified, story=sid, text=text, views=views,
            comments=comments if name != "sham" else None, shares=shares if name == "nabaa" else None,
            author=author, comment_ids=tuple(rng.sample(range(len(COMMENT_POOL)), shown)), attribution=attribution,
        ))
    specs.reverse()
    return tuple(specs)


@functools.lru_cache(maxsize=8)
def generate_site(articles_per_outlet: int = DEFAULT_ARTICLES,
                  end_date: date = DEFAULT_END_DATE) -> dict[str, tuple[ArticleSpec, ...]]:
    """All outlets' articles (newest first), deterministic in (articles_per_outlet, end_date)."""
    k = articles_per_outlet
    seed = f"akhbar-demosite/{k}/{end_date.isoformat()}"
    rng = random.Random(seed)
    days = [end_date - timedelta(days=i) for i in range(WINDOW_DAYS - 1, -1, -1)]
    quiet = set(rng.sample(days[:-2], WINDOW_DAYS // 10))  # the last days always have news (news sitemap)
    active = [d for d in days if d not in quiet]
    copies: dict[str, list[tuple[str, StoryText, datetime, bool]]] = {n: [] for n in OUTLET_NAMES}
    counter = 0

    def new_story(dateline_for: str | None) -> tuple[str, StoryText]:
        nonlocal counter
        counter += 1
        sid = f"s{counter:04d}"
        srng = random.Random(f"{seed}/{sid}")
        topic = srng.choice(TOPICS)
        if dateline_for is None:
            dateline: Dateline | None = wire_dateline(srng)
        else:
            roll = srng.random()
            staff = Dateline(srng.choice(STAFF_PLACES[dateline_for]), (DISPLAY_NAMES[dateline_for],), staff=True)
            dateline = wire_dateline(srng) if roll < 0.4 else staff if roll < 0.8 else None
        return sid, make_story(srng, topic, dateline)

    riyadh = ZoneInfo("Asia/Riyadh")
    for _ in range(round(k * _WIRE_PER_ARTICLE)):
        sid, text = new_story(None)
        day = rng.choice(active)
        # 07:00-18:59 Riyadh plus at most 4h keeps every copy on the same local day in both timezones.
        base = datetime(day.year, day.month, day.day, rng.randint(7, 18), rng.randint(0, 59), tzinfo=riyadh)
        for name in rng.sample(OUTLET_NAMES, rng.choice((2, 3))):
            copies[name].append((sid, text, base + timedelta(minutes=rng.randint(0, 240)), True))
    for name in OUTLET_NAMES:
        tz = ZoneInfo(OUTLET_TIMEZONES[name])
        covered = {c[2].astimezone(tz).date() for c in copies[name]}
        free = [d for d in active if d not in covered]
        rng.shuffle(free)
        n_own = k - len(copies[name])
        chosen = free[:n_own] + [rng.choice(active) for _ in range(n_own - len(free[:n_own]))]
        for day in chosen:
            sid, text = new_story(name)
            # 06:00-23:59 local avoids Beirut's midnight DST transitions.
            when = datetime(day.year, day.month, day.day, rng.randint(6, 23), rng.randint(0, 59), tzinfo=tz)
            copies[name].append((sid, text, when, False))
    return {name: _build_outlet(name, copies[name], seed) for name in OUTLET_NAMES}


def generate_outlet(name: str, articles_per_outlet: int = DEFAULT_ARTICLES,
                    end_date: date = DEFAULT_END_DATE) -> list[ArticleSpec]:
    """The articles of one outlet, newest first (pure; no server needed)."""
    return list(generate_site(articles_per_outlet, end_date)[name])


def truth_records(name: str, port: int, articles_per_outlet: int = DEFAULT_ARTICLES,
                  end_date: date = DEFAULT_END_DATE) -> list[dict[str, Any]]:
    """Truth dicts for one outlet served on `port`, newest first."""
    base = make_outlet(name, port).base_url
    return [a.truth(base) for a in generate_outlet(name, articles_per_outlet, end_date)]
