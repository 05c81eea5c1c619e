"""Store outages end to end: the store stopped part-way through a crawl and restarted, and a store down for a whole
run. Every article ends up stored exactly once; the crawl neither fails nor hangs. Each test runs its own daemon."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pymongo
import pytest

from pipelines.storage.embedded import free_port, start_daemon, stop_process, uri_for
from tests.support.crawl import PROJECT_ROOT, SCRAPY, crawl
from tests.support.store_proxy import StallingProxy

pytestmark = pytest.mark.e2e
OUTLET = "sham"
PASSWORD = "s3cr3t-Pw"
WAITING = re.compile(r"(\d+) articles \(and (\d+) other records\) wait in the spill journal (\S+):")
UNREACHABLE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) \[pipelines\.storage\.link\] WARNING: .* is unreachable",
                         re.M)
# A crawl slow enough for the store to fail part-way through, with a store deadline of 3 s (STORE_TIMEOUT_MS).
SLOW = ["-s", "DOWNLOAD_DELAY=0.1", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "-s", "STORE_BATCH_SIZE=10",
        "-s", "STORE_FLUSH_INTERVAL=0.5", "-s", "STORE_RETRY_MAX_S=2", "-s", "STORE_TIMEOUT_MS=3000"]


class OwnStore:
    """A store daemon on a fixed port and storage path, which a test stops and starts again."""

    def __init__(self, root: Path) -> None:
        self.root, self.port, self.pid = root, free_port(), 0
        self.env = {"MONGO_URI": uri_for(self.port), "MONGO_DATABASE": "outage", "AKHBAR_DATA_DIR": str(root / "data")}

    def start(self) -> None:
        """Start (or restart) the daemon on the same port and storage."""
        self.pid = start_daemon(self.root / "db", self.port, self.root / "daemon.log").pid

    def stop(self) -> None:
        """Stop the daemon, if it runs (a frozen one is thawed first)."""
        if self.pid:
            self.thaw()
            stop_process(self.pid)
            self.pid = 0

    def freeze(self) -> None:
        """SIGSTOP the daemon: it keeps its port and its connections, and answers nothing."""
        os.killpg(self.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        """SIGCONT a frozen daemon."""
        os.killpg(self.pid, signal.SIGCONT)

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



def _crawl_through_an_outage(demo_site, store: OwnStore, env: dict[str, str], fail, heal) -> dict[str, float]:
    """Crawl the outlet; once 15 articles are stored, fail the store (fail()) until the crawl has ended, then heal it;
    check that the crawl ended by itself with its articles journaled, and that the next run delivered every one."""
    truth = demo_site.truth(OUTLET)
    url = f"url={demo_site.outlet(OUTLET).base_url}"
    log_path = store.root / "crawl.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen([*SCRAPY, "crawl", OUTLET, "-a", url, *SLOW], cwd=PROJECT_ROOT,
                                env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=log)
    try:
        db = store.db()
        deadline = time.monotonic() + 60
        while db.articles.count_documents({}) < 15 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        stored_before = db.articles.count_documents({})
        db.client.close()
        fail()
        failed_at, failed_clock = time.monotonic(), time.time()
        assert proc.poll() is None, "the crawl ended before the store failed: slow it down further"
        try:
            code = proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the crawl did not end within 120 s of the store failing:\n{log_path.read_text()[-3000:]}")
        wall = time.monotonic() - failed_at
    finally:
        if proc.poll() is None:
            proc.kill()
        heal()
    log = log_path.read_text()
    assert code == 0 and "Traceback" not in log, log[-3000:]
    waiting = WAITING.search(log)
    assert waiting and int(waiting[1]) > 0, log[-3000:]
    first_outage = UNREACHABLE.search(log)
    assert first_outage, log[-3000:]
    noticed = datetime.strptime(first_outage[1], "%Y-%m-%d %H:%M:%S").timestamp() - failed_clock
    # The next run (a backfill of days without articles: everything it stores comes from the journal) delivers.
    second = crawl(OUTLET, store.env, "-a", url, "-a", "since=2000-01-01", "-a", "until=2000-01-02", timeout=120)
    assert second.returncode == 0 and "Traceback" not in second.stderr, second.stderr[-3000:]
    db = store.db()
    _check_stored_once(db, truth)
    assert Path(waiting[3]).read_bytes() == b""
    runs = {r["mode"]: r for r in db.crawl_runs.find({"site": OUTLET})}
    assert runs["incremental"]["status"] == "finished" and runs["incremental"]["spill"]["journaled"] > 0
    return {"stored_before": stored_before, "wall": wall, "noticed": noticed, "journaled": int(waiting[1]),
            "delivered": db.articles.count_documents({"site": OUTLET}), "truth": len(truth)}


def _say(what: str, m: dict[str, float]) -> None:
    print(f"\n{what}: {m['stored_before']} articles stored before; the outage was noticed {m['noticed']:.0f} s in "
          f"and the crawl ended {m['wall']:.1f} s after the store failed, {m['journaled']} articles journaled; the "
          f"next run delivered them: {m['delivered']} of {m['truth']} stored")


def test_a_frozen_store_ends_the_crawl_and_the_next_run_delivers(demo_site, store: OwnStore) -> None:
    """SIGSTOP: the store keeps its port and connections and answers nothing. A write that outlives STORE_TIMEOUT_MS
    is an outage at once (before the deadline, the crawl waited for pymongo's monitor: 20 s and more)."""
    store.start()
    measured = _crawl_through_an_outage(demo_site, store, store.env, store.freeze, store.thaw)
    assert measured["noticed"] <= 3 + 7, measured  # STORE_TIMEOUT_MS, and a batch or two of margin
    _say("frozen store", measured)


def test_a_store_that_never_finishes_a_write_ends_the_crawl(demo_site, store: OwnStore) -> None:
    """A store that answers its monitors and pings but holds every other command (as the embedded store retrying
    write conflicts for 511 s did): before store operations had a deadline, the crawl logged «Closing spider
    (finished)» and then waited for ever."""
    store.start()
    proxy = StallingProxy(store.port)
    try:
        env = {**store.env, "MONGO_URI": f"mongodb://127.0.0.1:{proxy.port}/?retryWrites=false&directConnection=true"}
        measured = _crawl_through_an_outage(demo_site, store, env, proxy.stall, proxy.release)
    finally:
        proxy.close()
    assert proxy.held > 0
    _say("store holding every write", measured)
