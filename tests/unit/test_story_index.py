"""The in-memory story candidate index: window, eviction, and staying in step with other processes through the store."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest

from pipelines.storage.articles import ensure_indexes
from pipelines.stories.assign import assign_stories
from pipelines.stories.index import STORY_COPIES, StoryCopy, StoryIndex, copy_order, ensure_copy_indexes
from tests.demosite.content import make_story
from tests.demosite.vocab import TOPICS
from tests.support.articles import own_database
from tests.unit.test_stories import T0, _article

DAY = date(2026, 11, 1)


def _copy(name: str, bands: tuple[int, ...], day: date) -> StoryCopy:
    moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return StoryCopy(name, name, bands, b"", copy_order(moment, moment, name), day)


def _loaded(*days: date, max_copies: int = 100) -> StoryIndex:
    index = StoryIndex(window=timedelta(days=2), max_copies=max_copies)
    for day in days:
        index.days[day] = set()
    return index


def test_candidates_share_a_band_and_fall_within_the_window():
    index = _loaded(*(DAY + timedelta(days=n) for n in range(6)))
    for copy in (_copy("a", (1, 2), DAY), _copy("b", (2, 3), DAY + timedelta(days=2)),
                 _copy("c", (3, 4), DAY + timedelta(days=5))):
        index.add(copy)
    assert {c.url_hash for c in index.candidates((2, 3), DAY + timedelta(days=1))} == {"a", "b"}
    assert {c.url_hash for c in index.candidates((3,), DAY + timedelta(days=4))} == {"b", "c"}
    assert index.candidates((9,), DAY) == []


def test_a_copy_added_again_replaces_its_bands_and_removal_leaves_nothing_behind():
    index = _loaded(DAY)
    index.add(_copy("a", (1, 2), DAY))
    index.add(_copy("b", (2,), DAY))
    index.add(_copy("a", (5,), DAY))
    assert index.by_band == {2: "b", 5: "a"}
    assert [c.url_hash for c in index.candidates((1,), DAY)] == []


def test_a_copy_of_a_day_not_loaded_is_not_held():
    index = _loaded(DAY)
    index.add(_copy("later", (1,), DAY + timedelta(days=9)))
    assert index.copies == {}


def test_least_recently_used_days_go_first_and_needed_days_stay(db):
    index = StoryIndex(window=timedelta(days=0), max_copies=2)
    days = [DAY + timedelta(days=n) for n in range(3)]
    db[STORY_COPIES].insert_many([{"_id": f"{d}-{k}", "story_id": "s", "bands": [f"{k:02d}{'a' * 16}"], "shingles": b"",
                                   "published_at": datetime(d.year, d.month, d.day, tzinfo=UTC),
                                   "first_seen_at": T0, "day": d.isoformat()} for d in days for k in range(2)])
    index.load_around(db[STORY_COPIES], days[:1])
    index.load_around(db[STORY_COPIES], days[1:2])
    assert list(index.days) == days[1:2] and len(index.copies) == 2
    index.load_around(db[STORY_COPIES], days)  # more than max_copies, all needed: kept
    assert len(index.copies) == 6


@pytest.fixture
def db(store_db):
    with own_database(store_db, "story_index") as fresh:
        yield fresh


def _body(seed: int) -> str:
    return "\n".join(make_story(random.Random(seed), TOPICS[1], None).paragraphs)


def test_a_long_lived_index_sees_the_copies_other_processes_wrote(db):
    ours, theirs = StoryIndex(), StoryIndex()
    body = _body(3)
    first = _article("nabaa", 1, _body(4), T0)
    assign_stories(db, [first], "us", ours)  # loads the days around T0, before the copy below exists
    original = _article("wasat", 2, body, T0)
    assign_stories(db, [original], "them", theirs)
    copy = _article("sham", 3, body, T0 + timedelta(hours=2))
    assert assign_stories(db, [copy], "us", ours) == {"copy": 1}
    assert (copy.story_id, copy.duplicate_of) == (original.url_hash, original.url_hash)


def test_copies_published_further_apart_than_the_window_are_different_stories(db):
    body = _body(5)
    first = _article("nabaa", 1, body, T0)
    much_later = _article("wasat", 2, body, T0 + timedelta(days=30))
    assert assign_stories(db, [first], "run") == {"new": 1}
    assert assign_stories(db, [much_later], "run") == {"new": 1}


def test_copies_stored_before_days_existed_are_given_one_and_found(db):
    body = _body(6)
    original = _article("nabaa", 1, body, T0)
    assign_stories(db, [original], "run")
    db[STORY_COPIES].update_many({}, {"$unset": {"day": "", "seq": ""}})
    ensure_copy_indexes(db)
    assert db[STORY_COPIES].find_one({"_id": original.url_hash})["day"] == "2026-11-01"
    copy = _article("wasat", 2, body, T0)
    assert assign_stories(db, [copy], "run") == {"copy": 1}


def test_an_index_whose_store_was_emptied_starts_again(db):
    index = StoryIndex()
    body = _body(7)
    assign_stories(db, [_article("nabaa", 1, body, T0), _article("nabaa", 2, _body(8), T0)], "run", index)
    db.client.drop_database(db.name)
    ensure_indexes(db)
    assign_stories(db, [_article("nabaa", 3, _body(9), T0)], "run", index)  # the sequence went back: reloaded
    again = _article("wasat", 4, body, T0)
    assert assign_stories(db, [again], "run", index) == {"new": 1}
    assert len(index.copies) == 2
