"""Store settings are checked before any command starts, and a store that cannot be used is one short line.

A MONGO_URI that pymongo's parser refuses is one error line with the password masked and exit status 2, for every
command that uses the store (before: 193 lines and 3 tracebacks for a password holding `@`; `not a uri` taken for a
host name, every article spilled, exit 0). An unreachable store is one line naming host, port and reason (before: 560
characters of topology description). And every store reply has a deadline (STORE_TIMEOUT_MS for a crawl,
STORE_COMMAND_TIMEOUT_MS for the commands reading the store)."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pymongo
import pytest
from pymongo.errors import BulkWriteError, NetworkTimeout, OperationFailure, ServerSelectionTimeoutError

from pipelines.storage import articles
from pipelines.storage.config import StoreConfig, StoreSettingsError, mask_uri, parse_store_uri, store_config
from pipelines.storage.embedded import free_port, uri_for
from pipelines.storage.link import Backoff, StoreLink, link_for, store_error, unavailable
from tests.support.commands import project_settings, run_command
from tests.support.crawl import PROJECT_ROOT, SCRAPY

PASSWORD = "p@ss/w0rd"
MALFORMED = [f"mongodb://akhbar:{PASSWORD}@127.0.0.1:9/?retryWrites=false",  # `@` and `/` not escaped
             "not a uri",  # MongoClient takes it for a host name
             "mongodb://127.0.0.1:notaport/",
             "mongodb://127.0.0.1:9/?retryWrites=maybe"]
# Each analysis command with arguments that would otherwise run.
ANALYSIS = [("export", "--format", "jsonl", "--out", "unused.jsonl"), ("reextract",), ("report", "--out", "unused"),
            ("search", "خبر"), ("summary",)]


def _one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    return lines[0]


@pytest.mark.parametrize("uri", MALFORMED)
def test_a_malformed_uri_is_refused_with_pymongos_reason_and_the_password_masked(uri):
    with pytest.raises(StoreSettingsError) as refused:
        store_config(project_settings({"MONGO_URI": uri}))
    message = str(refused.value)
    assert message.startswith("MONGO_URI '") and "is not a MongoDB connection string: " in message
    assert "\n" not in message and "p@ss" not in message and "w0rd" not in message


@pytest.mark.parametrize("uri", ["mongodb://u:s3cr%40t@db.example:27017/akhbar?retryWrites=false",
                                 "mongodb://h1,h2:27018/?replicaSet=rs0&w=majority",
                                 "mongodb+srv://u:p@cluster0.example.net/?retryWrites=false"])  # no DNS lookup
def test_well_formed_uris_pass(uri):
    assert parse_store_uri(uri)["nodelist"]
    assert store_config(project_settings({"MONGO_URI": uri})).uri == uri


@pytest.mark.parametrize("command", ANALYSIS, ids=[c[0] for c in ANALYSIS])
@pytest.mark.parametrize("uri", MALFORMED[:3])
def test_analysis_commands_refuse_a_malformed_uri_in_one_line(command, uri, capsys, tmp_path):
    assert run_command(*command, settings={"MONGO_URI": uri, "AKHBAR_DATA_DIR": str(tmp_path)}) == 2
    out = capsys.readouterr()
    line = _one_line(out.err)
    assert line.startswith("error: MONGO_URI ") and PASSWORD not in line and "w0rd" not in line and out.out == ""


@pytest.mark.parametrize("command", [["crawl", "sham"], ["crawlall", "nabaa", "sham"], ["crawlall"], ["push", "sham"]],
                         ids=["crawl", "crawlall", "crawlall-scheduled", "push"])
def test_crawl_commands_refuse_a_malformed_uri_before_anything_starts(command, tmp_path):
    # Should the check let it through, `crawlall` would crawl the real sites: every request goes to a closed port.
    env = {**os.environ, "MONGO_URI": MALFORMED[0], "AKHBAR_DATA_DIR": str(tmp_path), "http_proxy": "http://127.0.0.1:9",
           "https_proxy": "http://127.0.0.1:9"}
    if command[0] == "push":
        env["REDIS_URL"] = "redis://127.0.0.1:9/0"  # push needs one; nothing may reach it
    done = subprocess.run([*SCRAPY, *command, "-s", "CLOSESPIDER_TIMEOUT=5"], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr[-3000:]
    line = _one_line(done.stderr)
    assert line.startswith("error: MONGO_URI 'mongodb://akhbar:***@127.0.0.1:9/") and PASSWORD not in line
    assert not (tmp_path / "spill").exists() and not (tmp_path / "locks").exists()  # nothing started


def test_an_unreachable_store_is_one_short_line_for_every_analysis_command(capsys, tmp_path, monkeypatch):
    from pipelines.analysis import search

    monkeypatch.setattr(articles, "SELECT_TIMEOUT_MS", 300)
    monkeypatch.setattr(search, "CONNECT_TIMEOUT_MS", 300)
    port = free_port()
    for command in ANALYSIS:
        args = [a.replace("unused", str(tmp_path / "unused")) for a in command]
        assert run_command(*args, settings={"MONGO_URI": uri_for(port)}) == 1, command
        line = _one_line(capsys.readouterr().err)
        assert line == f"error: cannot use the store at 127.0.0.1:{port}: Connection refused", command


def test_store_errors_are_short_and_masked(tmp_path):
    remote = StoreConfig("mongodb://u:secret@db1.example:27017,db2.example:27018/?replicaSet=rs0", "a", tmp_path)
    topology = ("db1.example:27017: [Errno -2] Name or service not known (configured timeouts: socketTimeoutMS: "
                "20000.0ms, connectTimeoutMS: 20000.0ms),db2.example:27018: timed out (configured timeouts: ...), "
                "Timeout: 10.0s, Topology Description: <TopologyDescription id: 1, topology_type: "
                "ReplicaSetNoPrimary, servers: [" + "<ServerDescription ...>" * 20 + "]>")
    auth = OperationFailure("Authentication failed.", 18, {"ok": 0, "errmsg": "Authentication failed.", "code": 18,
                                                          "codeName": "AuthenticationFailed", "x": "y" * 500})
    lines = [store_error(remote, ServerSelectionTimeoutError(topology)), store_error(remote, auth)]
    assert lines == ["error: cannot use the store at db1.example:27017,db2.example:27018: Name or service not known",
                     "error: cannot use the store at db1.example:27017,db2.example:27018: Authentication failed."]
    live = pymongo.MongoClient(uri_for(free_port()), serverSelectionTimeoutMS=200)
    with pytest.raises(ServerSelectionTimeoutError) as refused:
        live.admin.command("ping")
    assert len(store_error(StoreConfig(uri_for(1), "a", tmp_path), refused.value)) < 80


@pytest.mark.parametrize(
    ("uri", "masked"),
    [("mongodb://u:p@ss@h:1/db", "mongodb://u:***@h:1/db"),
     ("mongodb://u:pa/ss@h/", "mongodb://u:***@h/"),
     ("see mongodb://u:a@h/ and mongodb://v:b@k/", "see mongodb://u:***@h/ and mongodb://v:***@k/")],
)
def test_mask_uri_hides_unescaped_passwords_whole(uri, masked):
    assert mask_uri(uri) == masked


def test_every_store_operation_has_a_deadline(tmp_path):
    settings = project_settings({"MONGO_URI": uri_for(9), "AKHBAR_DATA_DIR": str(tmp_path)})
    config = store_config(settings)
    assert (config.timeout_ms, config.command_timeout_ms) == (30_000, 600_000)  # crawler/settings.py
    link = StoreLink(config, Backoff(cap=1), select_timeout_ms=200)
    started = time.monotonic()
    assert link.database() is None and time.monotonic() - started < 5  # a probe gives up after select_timeout_ms
    assert link.client is not None and link.client.options.pool_options.socket_timeout == 30.0  # the crawl's
    assert articles.client_for(config).options.pool_options.socket_timeout == 600.0  # the analysis commands'
    quick = store_config(project_settings({"MONGO_URI": uri_for(9), "STORE_TIMEOUT_MS": 3000}))
    assert quick.timeout_ms == 3000 and link_for(project_settings({"MONGO_URI": uri_for(9), "STORE_TIMEOUT_MS": 3000}))\
        is not link_for(settings)


def test_an_operation_out_of_time_is_an_outage():
    assert unavailable(NetworkTimeout("127.0.0.1:1: timed out (configured timeouts: timeoutMS: 3000.0ms)"))
    assert unavailable(OperationFailure("operation exceeded time limit", 50))
    assert unavailable(BulkWriteError({"writeErrors": [{"index": 0, "code": 50, "errmsg": "exceeded time limit"}]}))
    assert not unavailable(BulkWriteError({"writeErrors": [{"index": 0, "code": 121, "errmsg": "validation"}]}))


def test_the_store_command_does_not_need_mongo_uri(tmp_path, capsys):
    """`scrapy store` manages the embedded store whatever MONGO_URI says, so it never refuses it."""
    code = run_command("store", "status", settings={"MONGO_URI": "not a uri", "AKHBAR_DATA_DIR": str(tmp_path)})
    assert (code, capsys.readouterr().out.strip()) == (1, "not running")
    assert not Path(tmp_path / "secantus.json").exists()
