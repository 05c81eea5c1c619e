"""Unattended runs (issue 14): a stopped crawl ends in bounded time and loses nothing (item 1), a dead crawl leaves no
process and no `running` record behind (item 3), and a site that never answers is a failure of its own (item 4).
Every network target is on loopback."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pymongo
import pytest

from crawler.commands.crawl import EX_SITE_DOWN
from pipelines.delivery.spill import decode_record
from pipelines.storage.embedded import free_port, start_daemon, stop_process, uri_for
from tests.demosite import HOSTILE_NAME, DemoSite
from tests.demosite.hostile_cases import CASES_BY_KIND
from tests.support.crawl import PROJECT_ROOT, SCRAPY

pytestmark = pytest.mark.e2e
HOSTILE_SITE = "127.0.0.5"  # the generic spider stores an outlet under its host
DOWNLOAD_TIMEOUT = 30  # crawler/settings.py: the hostile crawl runs with the defaults
BOUND = DOWNLOAD_TIMEOUT + 15  # the bound on SIGTERM → exit
SLOW_RESPONSE = CASES_BY_KIND["slow-response"].path
SLOW = ["-s", "DOWNLOAD_DELAY=0.3", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "-s", "AUTOTHROTTLE_ENABLED=False"]


def _env(store_env: dict[str, str], name: str, data: Path) -> dict[str, str]:
    return {**store_env, "MONGO_DATABASE": f"{store_env['MONGO_DATABASE']}_{name}", "AKHBAR_DATA_DIR": str(data)}


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    """A scrapy command in its own process group (like a cron job), its log in a file."""
    with log.open("w") as out:
        return subprocess.Popen([*SCRAPY, *args], cwd=PROJECT_ROOT, env={**os.environ, **env},
                                stdout=subprocess.DEVNULL, stderr=out, start_new_session=True)


def _run(args: list[str], env: dict[str, str], timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run([*SCRAPY, *args], cwd=PROJECT_ROOT, env={**os.environ, **env}, capture_output=True,
                          text=True, timeout=timeout, check=False)


def _wait_for(condition: Callable[[], object], timeout: float, what: str, proc: subprocess.Popen | None = None):
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        assert proc is None or proc.poll() is None, f"the crawl ended before {what}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)
    return result


def _finish(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def _closed_port() -> int:
    """A port on 127.0.0.1 nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- item 1: shutdown in bounded time ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_site() -> Iterator[DemoSite]:
    """A demo site of our own, so the hostile outlet's access log holds only this module's requests."""
    with DemoSite(port=None) as demo:
        yield demo


def _slow_phase(site: DemoSite) -> bool:
    """Whether the crawl is in the slowest phase of a hostile crawl: the response that never comes in time
    (/news/9024, slow-response) requested more than 2 s ago, so a transfer waits for DOWNLOAD_TIMEOUT."""
    asked = [t for t, target in site.access_log(HOSTILE_NAME) if target.startswith(SLOW_RESPONSE)]
    return bool(asked) and time.monotonic() - asked[0] > 2


def test_sigterm_in_the_slowest_phase_of_a_hostile_crawl_exits_in_bounded_time(hostile_site, store_env, store_db,
                                                                                 tmp_path):
    env = _env(store_env, "sigterm", tmp_path / "data")
    db = store_db.client[env["MONGO_DATABASE"]]
    outlet = hostile_site.outlet(HOSTILE_NAME)
    log = tmp_path / "crawl.log"
    proc = _start(["crawl", "news", "-a", f"url={outlet.base_url}"], env, log)  # the default settings
    try:
        _wait_for(lambda: _slow_phase(hostile_site), 400, "the slow phase", proc)
        signalled = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=BOUND + 30)
        except subprocess.TimeoutExpired:
            pytest.fail(f"still running {BOUND + 30} s after SIGTERM:\n{log.read_text()[-3000:]}")
        elapsed = time.monotonic() - signalled
    finally:
        _finish(proc)
    text = log.read_text()
    print(f"SIGTERM in the slowest phase of a hostile crawl: exit after {elapsed:.1f} s (bound {BOUND} s)")
    assert elapsed < BOUND and code == 128 + signal.SIGTERM, text[-3000:]
    assert "Traceback" not in text and "Closing spider (shutdown)" in text
    assert len([t for t, _ in hostile_site.access_log(HOSTILE_NAME) if t > signalled]) <= 1  # no new request
    run = db.crawl_runs.find_one({"site": HOSTILE_SITE})
    assert (run["status"], run["finish_reason"]) == ("stopped", "shutdown")
    assert run["stats"]["akhbar/shutdown/dropped"] > 0
    assert db.articles.count_documents({"site": HOSTILE_SITE}) == run["articles"]["new"] > 0  # the buffer flushed
    store_db.client.drop_database(db.name)


class FrozenStore:
    """A store daemon of the test's own, which it can freeze (SIGSTOP: connections stay open, nothing answers)."""

    def __init__(self, root: Path) -> None:
        self.root, self.port = root, free_port()
        self.pid = start_daemon(root / "db", self.port, root / "daemon.log").pid
        self.env = {"MONGO_URI": uri_for(self.port), "MONGO_DATABASE": "unattended", "AKHBAR_DATA_DIR": str(root / "d")}

    def freeze(self) -> None:
        os.killpg(self.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        os.killpg(self.pid, signal.SIGCONT)

    def db(self) -> pymongo.database.Database:
        return pymongo.MongoClient(self.env["MONGO_URI"], tz_aware=True)["unattended"]


@pytest.fixture
def frozen_store(tmp_path: Path) -> Iterator[FrozenStore]:
    store = FrozenStore(tmp_path)
    yield store
    store.thaw()
    stop_process(store.pid)


def _stories(run: dict | None) -> int:
    """Articles a run has given a story (pipeline 500): from there they go straight into the store's buffer."""
    stats = (run or {}).get("stats", {})
    return sum(v for k, v in stats.items() if k.startswith("akhbar/stories/"))


@pytest.mark.parametrize("how", ["deadline", "second signal"])
def test_a_stop_that_cannot_finish_exits_in_time_and_loses_nothing(demo_site, frozen_store, how):
    """The store freezes, then SIGINT (Ctrl-C) or SIGTERM: the close cannot write anything. The process still exits in
    time (at the deadline, or at once on a second signal), with every article it held journaled; the next run delivers
    them."""
    store = frozen_store
    grace, first = ("2", signal.SIGINT) if how == "deadline" else ("600", signal.SIGTERM)
    settings = [*SLOW, "-s", "DOWNLOAD_TIMEOUT=3", "-s", f"SHUTDOWN_GRACE={grace}", "-s", "RUN_HEARTBEAT_INTERVAL=0.5",
                "-s", "STORE_FLUSH_INTERVAL=600", "-s", "STORE_BATCH_SIZE=1000"]  # every article stays buffered
    url = f"url={demo_site.outlet('sham').base_url}"
    proc = _start(["crawl", "sham", "-a", url, *settings], store.env, store.root / "crawl.log")
    try:
        db = store.db()
        held = _wait_for(lambda: (n := _stories(db.crawl_runs.find_one({"site": "sham"}))) >= 5 and n, 120,
                         "5 articles", proc)
        store.freeze()
        signalled = time.monotonic()
        proc.send_signal(first)
        if how == "second signal":
            time.sleep(2)
            assert proc.poll() is None  # the graceful stop waits for the frozen store
            signalled = time.monotonic()
            proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=60)
        elapsed = time.monotonic() - signalled
    finally:
        _finish(proc)
    text = (store.root / "crawl.log").read_text()
    assert code == 128 + first, text[-3000:]
    assert elapsed < (3 + 2 + 3 if how == "deadline" else 3), (elapsed, text[-3000:])
    assert "exiting now" in text
    journals = list((Path(store.env["AKHBAR_DATA_DIR"]) / "spill").glob("sham.stopped-*.jsonl"))
    records = [decode_record(line) for path in journals for line in path.read_bytes().splitlines()]
    journaled = {r["doc"]["url"] for r in records if r["op"] == "article"}
    runs = [r["doc"] for r in records if r["op"] == "run"]
    assert len(journaled) >= held and runs[-1]["status"] == "stopped"  # after any write it cut short

    store.thaw()
    again = _run(["crawl", "sham", "-a", url, "-a", "since=2026-11-15", "-a", "until=2026-11-15"], store.env)
    assert again.returncode == 0 and "Traceback" not in again.stderr, again.stderr[-3000:]
    stored = {d["url"] for d in db.articles.find({"site": "sham"}, {"url": 1})}
    assert journaled <= stored
    stopped = db.crawl_runs.find_one({"_id": runs[-1]["_id"]})
    assert (stopped["status"], stopped["finish_reason"]) == ("stopped", "shutdown")


# -- item 3: nothing left behind -----------------------------------------------------------------------------------

def _processes() -> dict[int, tuple[int, str]]:
    """pid → (parent pid, state) of every process."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            state, ppid = stat[stat.rindex(")") + 2:].split()[:2]
            found[int(entry.name)] = (int(ppid), state)
    return found


def _descendants(pid: int) -> set[int]:
    table, found, todo = _processes(), set(), [pid]
    while todo:
        parent = todo.pop()
        children = {p for p, (pp, _) in table.items() if pp == parent}
        found |= children
        todo += children
    return found


def _alive(pids: set[int]) -> set[int]:
    table = _processes()
    return {p for p in pids if p in table and table[p][1] != "Z"}


@pytest.mark.parametrize("kill", ["kill -9 of the crawl", "kill -9 of its process group (timeout -k)"])
def test_a_killed_crawl_leaves_no_process_and_its_record_is_marked_abandoned(demo_site, store_env, store_db,
                                                                           tmp_path, kill):
    env = _env(store_env, "killed", tmp_path / "data")
    db = store_db.client[env["MONGO_DATABASE"]]
    url = f"url={demo_site.outlet('sham').base_url}"
    proc = _start(["crawl", "sham", "-a", url, *SLOW, "-s", "RUN_HEARTBEAT_INTERVAL=0.5"], env, tmp_path / "crawl.log")
    pool: set[int] = set()
    try:
        _wait_for(lambda: db.articles.count_documents({}) >= 3, 120, "3 stored articles", proc)
        pool = _wait_for(lambda: len(d := _descendants(proc.pid)) >= 3 and d, 30, "the extraction pool", proc)
        # the resource tracker, the fork server and its workers
        assert any("forkserver" in Path(f"/proc/{p}/cmdline").read_text() for p in _alive(pool))
        time.sleep(1)  # a run record update or two (RUN_HEARTBEAT_INTERVAL)
        if kill.startswith("kill -9 of the crawl"):
            os.kill(proc.pid, signal.SIGKILL)
        else:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        killed = time.monotonic()
        while _alive(pool) and time.monotonic() - killed < 5:
            time.sleep(0.1)
        left = _alive(pool)
    finally:
        _finish(proc)
        for pid in _alive(pool):
            os.kill(pid, signal.SIGKILL)
    assert not left, f"left behind 5 s after the kill: {left}"
    dead = db.crawl_runs.find_one({"site": "sham"})
    assert dead["status"] == "running" and dead["pages"]["articles"] >= 3 and dead["heartbeat_at"]

    again = _run(["crawl", "sham", "-a", url, "-a", "since=2026-11-15", "-a", "until=2026-11-15"], env)
    assert again.returncode == 0, again.stderr[-3000:]
    abandoned = db.crawl_runs.find_one({"_id": dead["_id"]})
    new = db.crawl_runs.find_one({"_id": {"$ne": dead["_id"]}})
    assert (abandoned["status"], abandoned["finish_reason"]) == ("abandoned", "abandoned")
    assert abandoned["abandoned_by"] == new["_id"] and new["status"] == "finished"
    assert abandoned["pages"] == dead["pages"] and abandoned["articles"] == dead["articles"]  # its last known counts
    store_db.client.drop_database(db.name)


def test_scrapy_shell_writes_no_run_record(demo_site, store_env, store_db, tmp_path):
    env = _env(store_env, "shell", tmp_path / "data")
    shell = _run(["shell", demo_site.outlet("sham").base_url, "-c", "response.status"], env, timeout=120)
    assert shell.returncode == 0 and shell.stdout.strip() == "200", shell.stderr[-3000:]
    assert store_db.client[env["MONGO_DATABASE"]].crawl_runs.count_documents({}) == 0


# -- item 4: a dead site is a failure ------------------------------------------------------------------------------

@pytest.mark.parametrize("scheme", ["http", "ftp"])
def test_a_dead_site_is_one_line_a_crawl_error_and_its_own_exit_status(store_env, store_db, tmp_path, scheme):
    env = _env(store_env, f"dead_{scheme}", tmp_path / "data")
    db = store_db.client[env["MONGO_DATABASE"]]
    home = f"{scheme}://127.0.0.1:{_closed_port()}/"
    result = _run(["crawl", "news", "-a", f"url={home}"], env)
    log = result.stderr
    assert result.returncode == EX_SITE_DOWN and "Traceback" not in log, log[-3000:]
    last = log.strip().splitlines()[-1]
    assert "ERROR: 127.0.0.1 is down, nothing was crawled: " in last, last
    assert ("Connection refused" if scheme == "http" else "not a web address") in last
    run = db.crawl_runs.find_one({"site": "127.0.0.1"})
    assert (run["status"], run["finish_reason"]) == ("failed", "site_down")
    error = db.crawl_errors.find_one({"run_id": run["_id"], "kind": "site_down"})
    assert error is not None and error["url"] == home
    store_db.client.drop_database(db.name)


def test_crawlall_names_a_dead_site_and_exits_with_its_status(store_env, store_db, tmp_path):
    env = {**_env(store_env, "dead_all", tmp_path / "data"), "AKHBAR_DEMO_PORT": str(_closed_port())}
    result = _run(["crawlall", "nabaa", "-s", "RETRY_TIMES=0"], env)
    assert result.returncode == EX_SITE_DOWN and "Traceback" not in result.stderr, result.stderr[-3000:]
    assert "crawlall: down (every request failed): nabaa" in result.stderr
    store_db.client.drop_database(env["MONGO_DATABASE"])
