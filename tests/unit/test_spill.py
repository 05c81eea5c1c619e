"""The spill journal (pure file logic) and the outbox that fills and replays it, against a store that is down or up."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from bson import ObjectId

from crawler.items import url_hash
from pipelines.delivery.outbox import ARTICLE, DEAD_LETTERS, ERROR, RUN, Outbox, journal_path, record
from pipelines.delivery.spill import SpillJournal, decode_record, encode_record
from pipelines.storage.batch_write import write_articles
from pipelines.storage.config import StoreConfig
from pipelines.storage.link import Backoff, StoreLink
from tests.support.articles import article_doc, own_database

T0 = datetime(2026, 11, 15, 7, 30, 0, 123000, tzinfo=UTC)


def _doc(n: int, site: str = "s", **fields: object) -> dict:
    """An article document as the crawl journals it when the store was down: no story yet."""
    return article_doc(f"http://127.0.0.9/news/{n}", site=site, story_id=None, **fields)


def test_records_round_trip_with_their_types() -> None:
    doc = {"_id": ObjectId(), "at": T0, "none": None, "list": ["أ", 1, 2**40, 0.5, True], "nested": {"k": [T0]},
           "text": "خبر \u200f عاجل", "bytes": b"\x00\xff"}
    line = encode_record(doc)
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    assert decode_record(line) == doc


def test_datetimes_keep_the_store_precision() -> None:
    at = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
    assert decode_record(encode_record({"at": at}))["at"] == at.replace(microsecond=678000)


def test_append_read_and_drain(tmp_path: Path) -> None:
    journal = SpillJournal(tmp_path / "spill" / "site.jsonl")
    with journal.reading() as records:
        assert list(records) == []
    journal.append([{"n": 1}, {"n": 2}])
    journal.append([{"n": 3}])
    with journal.reading() as records:
        assert list(records) == [{"n": 1}, {"n": 2}, {"n": 3}]
    with journal.draining() as records:
        assert [r["n"] for r in records] == [1, 2, 3]
    assert journal.path.read_bytes() == b""


def test_a_failed_or_partial_drain_keeps_everything(tmp_path: Path) -> None:
    journal = SpillJournal(tmp_path / "j.jsonl")
    journal.append([{"n": i} for i in range(5)])
    with pytest.raises(RuntimeError), journal.draining() as records:
        next(records)
        raise RuntimeError("store went down mid-replay")
    with journal.draining() as records:
        next(records)  # read one, stop: nothing may be lost
    with journal.reading() as records:
        assert len(list(records)) == 5


def test_a_torn_last_line_is_isolated_not_glued(tmp_path: Path) -> None:
    journal = SpillJournal(tmp_path / "j.jsonl")
    journal.append([{"n": 1}])
    with open(journal.path, "ab") as handle:
        handle.write(b'{"n": 2, "cut mid-wri')  # a crash mid-append
    journal.append([{"n": 3}])
    with journal.reading() as records:
        found = list(records)
    assert found[0] == {"n": 1} and isinstance(found[1], bytes) and found[2] == {"n": 3}


def test_concurrent_appends_never_interleave(tmp_path: Path) -> None:
    journal = SpillJournal(tmp_path / "j.jsonl")
    big = "ب" * 50_000

    def writer(w: int) -> None:
        for i in range(20):
            journal.append([{"w": w, "i": i, "pad": big}, {"w": w, "i": i, "second": True}])

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with journal.reading() as records:
        found = list(records)
    assert len(found) == 160 and all(isinstance(r, dict) for r in found)
    assert all(found[i]["i"] == found[i + 1]["i"] and found[i + 1]["second"] for i in range(0, 160, 2))


def test_journal_path_is_a_safe_file_name(tmp_path: Path) -> None:
    assert journal_path(tmp_path, "sham") == tmp_path / "spill" / "sham.jsonl"
    assert journal_path(tmp_path, "../../etc/x y").parent == tmp_path / "spill"


def test_backoff_doubles_up_to_its_cap_and_resets() -> None:
    now = [100.0]
    backoff = Backoff(first=1, cap=5, clock=lambda: now[0])
    assert backoff.due() and backoff.up is None
    assert [backoff.failed() for _ in range(5)] == [1, 2, 4, 5, 5]
    assert not backoff.due()
    now[0] += 5
    assert backoff.due()
    assert backoff.succeeded() == 5 and backoff.up and backoff.due()
    assert backoff.failed() == 1


def _down_link(tmp_path: Path) -> StoreLink:
    """A link to a port where nothing listens (refused at once)."""
    config = StoreConfig("mongodb://127.0.0.1:9/?retryWrites=false", "akhbar_down", tmp_path / "data")
    return StoreLink(config, Backoff(first=60, cap=60), select_timeout_ms=300)


def test_store_down_journals_every_record(tmp_path: Path) -> None:
    outbox = Outbox(_down_link(tmp_path), SpillJournal(tmp_path / "data" / "spill" / "s.jsonl"))
    docs = [_doc(i) for i in range(3)]
    result = outbox.put([record(ARTICLE, d) for d in docs] + [record(RUN, {"_id": ObjectId(), "site": "s"})])
    assert result.journaled == 4 and result.new == 0
    assert outbox.link.database() is None  # known down: answered at once, no new attempt before the backoff
    assert outbox.waiting() == {ARTICLE: 3, RUN: 1}


@pytest.fixture
def db(store_db):
    """A database of this module's own."""
    with own_database(store_db, "spill") as own:
        yield own


@pytest.fixture
def up_outbox(store_env, db, tmp_path: Path) -> Outbox:
    """An outbox on the test store, with a spill directory of its own."""
    config = StoreConfig(store_env["MONGO_URI"], db.name, tmp_path / "data")
    return Outbox(StoreLink(config, Backoff(cap=30)), SpillJournal(journal_path(config.data_dir, "s")))


def test_replay_delivers_every_journal_once(up_outbox: Outbox, db, tmp_path: Path) -> None:
    docs = [_doc(i) for i in range(5)]
    run_id = ObjectId()
    up_outbox.journal.append([record(ARTICLE, d) for d in docs[:3]] + [record(RUN, {"_id": run_id, "site": "s"})])
    other = SpillJournal(journal_path(tmp_path / "data", "other"))  # another site's crawl left this one
    other.append([record(ARTICLE, docs[3]), record(ERROR, {"_id": ObjectId(), "site": "other", "kind": "timeout"})])
    up_outbox.journal.append([record(ARTICLE, {**docs[0], "views": 999})])  # a later fetch of an article
    result = up_outbox.put([record(ARTICLE, docs[4])])
    assert (result.replayed, result.new, result.journaled) == (7, 5, 0)
    stored = {d["url_hash"]: d for d in db.articles.find({"site": "s"})}
    assert len(stored) == 5 and stored[docs[0]["url_hash"]]["views"] == 999
    assert all(d["story_id"] for d in stored.values())  # journaled without a story: assigned on delivery
    assert db.crawl_runs.count_documents({"_id": run_id}) == 1
    assert db.crawl_errors.count_documents({"site": "other"}) == 1
    assert up_outbox.waiting() == {} and other.path.read_bytes() == b""
    again = up_outbox.put([record(ARTICLE, d) for d in docs])  # delivering twice stores nothing twice
    assert (again.new, again.unchanged) == (0, 4) and db.articles.count_documents({"site": "s"}) == 5


def test_a_refused_document_is_set_aside_not_replayed_forever(up_outbox: Outbox, db) -> None:
    good, bad = _doc(1), _doc(2, body=12345)  # the validator wants a string
    up_outbox.journal.append([record(ARTICLE, bad), record(ARTICLE, good)])
    result = up_outbox.replay()
    assert [url for url, _ in result.rejected] == [bad["url"]] and "failed validation" in result.rejected[0][1]
    assert db.articles.count_documents({"url": good["url"]}) == 1
    assert up_outbox.waiting() == {}
    dead = (up_outbox.journal.path.parent / DEAD_LETTERS).read_bytes().splitlines()
    assert len(dead) == 1 and decode_record(dead[0])["doc"]["url"] == bad["url"]


def test_a_corrupt_line_is_moved_aside(up_outbox: Outbox, db) -> None:
    up_outbox.journal.append([record(ARTICLE, _doc(1))])
    with open(up_outbox.journal.path, "ab") as handle:
        handle.write(b"\xff not json\n")
    up_outbox.journal.append([record(ARTICLE, {"url": 1}), {"op": "drop", "doc": {}}])  # JSON, but not records
    assert up_outbox.replay().replayed == 1
    aside = up_outbox.journal.path.with_suffix(".jsonl.corrupt").read_bytes().splitlines()
    assert aside[0] == b"\xff not json" and len(aside) == 3


def test_an_article_record_that_makes_no_article_is_moved_aside(up_outbox: Outbox, db) -> None:
    partial = {"url": "http://h/news/9", "url_hash": url_hash("http://h/news/9")}  # decodes, but is no Article
    up_outbox.journal.append([record(ARTICLE, partial), record(ARTICLE, _doc(1))])
    assert up_outbox.replay().replayed == 1
    assert up_outbox.waiting() == {} and db.articles.count_documents({}) == 1
    aside = up_outbox.journal.path.with_suffix(".jsonl.corrupt").read_bytes().splitlines()
    assert len(aside) == 1 and decode_record(aside[0])["doc"] == partial


def test_history_is_not_duplicated_by_a_replay(up_outbox: Outbox, db) -> None:
    doc = _doc(7)
    now = datetime.now(UTC)
    write_articles(db, [doc], now - timedelta(minutes=5))
    up_outbox.journal.append([record(ARTICLE, doc)])  # stored, but its reply was lost: journaled as well
    up_outbox.replay()
    assert len(db.articles.find_one({"url_hash": doc["url_hash"]})["counts_history"]) == 1
