"""Shared fixtures: a real store (our own daemon on a free port, or MONGO_URI) and the demo site."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pymongo
import pytest

from pipelines.storage.embedded import free_port, start_daemon, stop_process, uri_for
from tests.support.extraction_truth import CORPUS


@pytest.fixture(scope="session")
def store_env() -> Iterator[dict[str, str]]:
    """MONGO_URI, a fresh MONGO_DATABASE and a temporary AKHBAR_DATA_DIR (crawl locks) for this test session;
    starts and stops its own daemon."""
    database = f"akhbar_test_{uuid.uuid4().hex[:8]}"
    storage = Path(tempfile.mkdtemp(prefix="akhbar-store-"))
    if os.environ.get("MONGO_URI"):
        uri = os.environ["MONGO_URI"]
        yield {"MONGO_URI": uri, "MONGO_DATABASE": database, "AKHBAR_DATA_DIR": str(storage / "data")}
        pymongo.MongoClient(uri).drop_database(database)
        shutil.rmtree(storage, ignore_errors=True)
        return
    proc = start_daemon(storage / "db", free_port(), storage / "daemon.log")
    port = int(proc.args[proc.args.index("--port") + 1])
    try:
        yield {"MONGO_URI": uri_for(port), "MONGO_DATABASE": database, "AKHBAR_DATA_DIR": str(storage / "data")}
    finally:
        stop_process(proc.pid)
        shutil.rmtree(storage, ignore_errors=True)


@pytest.fixture(scope="session")
def store_db(store_env: dict[str, str]) -> Iterator[pymongo.database.Database]:
    """The test database, connected with plain pymongo."""
    client: pymongo.MongoClient = pymongo.MongoClient(store_env["MONGO_URI"], tz_aware=True)
    yield client[store_env["MONGO_DATABASE"]]
    client.close()


@pytest.fixture(scope="session")
def demo_site():
    """The generated demo news site, served on loopback for the whole session."""
    from tests.demosite import DemoSite

    with DemoSite(port=None) as site:
        yield site


@pytest.fixture
def corpus_dir() -> Path:
    """The real-page corpus; skips the test when it is absent (as on a user's fresh clone)."""
    if not CORPUS.is_dir():
        pytest.skip(f"real-page corpus not found at {CORPUS}")
    return CORPUS
