"""Store outages end to end: the store stopped part-way through a crawl and restarted, and a store down for a whole
run. Every article ends up stored exactly once; the crawl neither fails nor hangs. Each test runs its own daemon."""

from __future__ import annotations

import os
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pymongo
import pytest

from pipelines.storage.embedded import free_port, start_daemon, stop_process, uri_for
from tests.support.crawl import PROJECT_ROOT, SCRAPY, crawl

pytestmark = pytest.mark.e2e
OUTLET = "sham"
PASSWORD = "s3cr3t-Pw"
WAITING = re.compile(r"(\d+) articles \(and (\d+) other records\) wait in the spill journal (\S+):")


class OwnStore:
    """A store daemon on a fixed port and storage path, which a test stops and starts again."""

    def __init__(self, root: Path) -> None:
        self.root, self.port, self.pid = root, free_port(), 0
        self.env = {"MONGO_URI": uri_for(self.port), "MONGO_DATABASE": "outage", "AKHBAR_DATA_DIR": str(root / "data")}

    def start(self) -> None:
        """Start (or restart) the daemon on the same port and storage."""
        self.pid = start_daemon(self.root / "db", self.port, self.root / "daemon.log").pid

    def stop(self) -> None:
        """Stop the daemon, if it runs."""
        if self.pid:
            stop_process(self.pid)
            self.pid = 0

    def db(self) -> pymongo.database.Database:
        """The test database (a fresh client: the store may have been restarted)."""
        return pymongo.MongoClient(self.env["MONGO_URI"], tz_aware=True, serverSelectionTimeoutMS=5000)["outage"]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[OwnStore]:
    own = OwnStore(tmp_path)
    yield own
    own.stop()


def _check_stored_once(db: pymongo.database.Database, truth: list[dict]) -> list[dict]:
    docs = list(db.articles.find({"site": OUTLET}))
    assert sorted(d["url"] for d in docs) == sorted(t["url"] for t in truth)
    assert all(d["story_id"] for d in docs)  # journaled without a story: assigned on delivery
    return docs


def test_store_stopped_part_way_loses_nothing(demo_site, store: OwnStore) -> None:
    store.start()
    truth = demo_site.truth(OUTLET)
    slow = ["-s", "DOWNLOAD_DELAY=0.1", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "-s", "STORE_BATCH_SIZE=10",
            "-s", "STORE_FLUSH_INTERVAL=0.5", "-s", "STORE_RETRY_MAX_S=2"]
    log_path = store.root / "crawl.log"
    command = [*SCRAPY, "crawl", OUTLET, "-a", f"url={demo_site.outlet(OUTLET).base_url}", *slow]
    with log_path.open("w") as log:
        proc = subprocess.Popen(command, cwd=PROJECT_ROOT, env={**os.environ, **store.env}, stdout=subprocess.DEVNULL,
                                stderr=log)
    try:
        db = store.db()
        deadline = time.monotonic() + 60
        while db.articles.count_documents({}) < 15 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        store.stop()  # part-way: some batches stored, the rest still to come
        time.sleep(3)
        store.start()
        assert proc.poll() is None, "the crawl ended before the store came back: slow it down further"
        code = proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    log = log_path.read_text()
    assert code == 0 and "Traceback" not in log, log[-3000:]
    assert "unreachable" in log and "answers again" in log
    db = store.db()
    _check_stored_once(db, truth)
    run = db.crawl_runs.find_one({"site": OUTLET})
    assert run["status"] == "finished" and run["spill"]["journaled"] > 0
    assert run["spill"]["replayed"] == run["spill"]["journaled"] and run["spill"]["articles_waiting"] == 0
    assert (Path(store.env["AKHBAR_DATA_DIR"]) / "spill" / f"{OUTLET}.jsonl").read_bytes() == b""


def test_store_down_for_a_whole_run_is_delivered_by_the_next(demo_site, store: OwnStore) -> None:
    truth = demo_site.truth(OUTLET)
    url = f"url={demo_site.outlet(OUTLET).base_url}"
    with_password = {**store.env, "MONGO_URI": store.env["MONGO_URI"].replace("//", f"//akhbar:{PASSWORD}@")}
    started = time.monotonic()
    first = crawl(OUTLET, with_password, "-a", url, timeout=120)  # nothing listens on the store's port
    assert first.returncode == 0 and "Traceback" not in first.stderr, first.stderr[-3000:]
    assert time.monotonic() - started < 60
    assert PASSWORD not in first.stderr and "mongodb://akhbar:***@127.0.0.1" in first.stderr
    waiting = WAITING.search(first.stderr)
    assert waiting and int(waiting[1]) == len(truth), first.stderr[-2000:]
    journal = Path(waiting[3]).read_bytes()
    assert len(journal.splitlines()) == len(truth) + int(waiting[2]) and PASSWORD.encode() not in journal
    store.start()
    # A backfill of days without articles: every article stored comes from the journal.
    second = crawl(OUTLET, store.env, "-a", url, "-a", "since=2000-01-01", "-a", "until=2000-01-02", timeout=120)
    assert second.returncode == 0 and "Traceback" not in second.stderr, second.stderr[-3000:]
    db = store.db()
    _check_stored_once(db, truth)
    runs = {r["mode"]: r for r in db.crawl_runs.find({"site": OUTLET})}
    assert runs["incremental"]["status"] == "finished"
    assert runs["incremental"]["spill"]["articles_waiting"] == len(truth)
    assert runs["backfill"]["spill"]["replayed"] == len(truth) + int(waiting[2])
    assert Path(waiting[3]).read_bytes() == b""
