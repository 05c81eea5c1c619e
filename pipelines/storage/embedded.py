"""The embedded default store: a SecantusDB daemon run as a separate process and reused while it runs
(`scrapy store start|stop|status` manages it by hand).

SecantusDB is GPL-2.0, so it is only ever started as a program, never imported.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pymongo
from pymongo.errors import PyMongoError

DAEMON = "secantusd-py"
STATE_FILE = "secantus.json"
START_TIMEOUT_S = 30.0


class StoreError(RuntimeError):
    """The store could not be reached or started."""


def uri_for(port: int) -> str:
    """The connection URI of a local daemon on this port."""
    return f"mongodb://127.0.0.1:{port}/?retryWrites=false"


def free_port() -> int:
    """A TCP port that is free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def is_up(uri: str, timeout_ms: int = 500) -> bool:
    """True when a MongoDB-wire server answers a ping at this URI."""
    client = pymongo.MongoClient(uri, serverSelectionTimeoutMS=timeout_ms, connectTimeoutMS=timeout_ms,
                                 socketTimeoutMS=timeout_ms)  # a daemon that accepts and never answers is not up
    try:
        client.admin.command("ping")
        return True
    except PyMongoError:
        return False
    finally:
        client.close()


def _daemon_path() -> str:
    beside_python = Path(sys.executable).parent / DAEMON
    found = str(beside_python) if beside_python.exists() else shutil.which(DAEMON)
    if not found:
        raise StoreError(f"{DAEMON} not found: install requirements.txt (secantusdb) or set MONGO_URI")
    return found


def start_daemon(storage: Path, port: int, log_path: Path) -> subprocess.Popen:
    """Start a daemon on storage and port, detached from our terminal, and wait until it answers."""
    storage.mkdir(parents=True, exist_ok=True)
    cmd = [_daemon_path(), "--host", "127.0.0.1", "--port", str(port), "--storage-path", str(storage),
           "--cache-size", "256M"]
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise StoreError(f"{DAEMON} exited with code {proc.returncode}; see {log_path}")
        if is_up(uri_for(port), timeout_ms=200):
            return proc
        time.sleep(0.1)
    stop_process(proc.pid)
    raise StoreError(f"{DAEMON} did not answer within {START_TIMEOUT_S:.0f}s; see {log_path}")


def stop_process(pid: int, timeout_s: float = 10.0) -> None:
    """Stop a process group politely, then forcefully."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, sig)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if not _alive(pid):
                return
            time.sleep(0.05)


def _alive(pid: int) -> bool:
    with contextlib.suppress(ChildProcessError):
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def ensure_running(data_dir: Path) -> str:
    """Return the URI of the embedded store under data_dir, starting it when it is not running."""
    data_dir.mkdir(parents=True, exist_ok=True)
    state_path = data_dir / STATE_FILE
    with open(data_dir / "secantus.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two crawls starting at once must not race for the daemon
        if state_path.exists():
            state = json.loads(state_path.read_text())
            if is_up(state["uri"]):
                return state["uri"]
        port = free_port()
        proc = start_daemon(data_dir / "secantus", port, data_dir / "secantus.log")
        state_path.write_text(json.dumps({"uri": uri_for(port), "pid": proc.pid}))
        return uri_for(port)


def stop(data_dir: Path) -> bool:
    """Stop the embedded store under data_dir; False when none was running."""
    state_path = data_dir / STATE_FILE
    if not state_path.exists():
        return False
    state = json.loads(state_path.read_text())
    running = _alive(state["pid"])
    if running:
        stop_process(state["pid"])
    state_path.unlink()
    return running


def running_uri(data_dir: Path) -> str | None:
    """The URI of the embedded store under data_dir if it runs and answers; None otherwise (nothing is started)."""
    state_path = data_dir / STATE_FILE
    uri = json.loads(state_path.read_text())["uri"] if state_path.exists() else None
    return uri if uri and is_up(uri) else None
