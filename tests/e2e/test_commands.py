"""The one command line: every user command is a `scrapy` command of the project, listed and described."""

from __future__ import annotations

import os
import socket
import subprocess

import pytest
from scrapy.commands import ScrapyCommand
from scrapy.utils.misc import walk_modules_iter

from pipelines.storage.embedded import free_port, uri_for
from tests.support.commands import run_command
from tests.support.crawl import PROJECT_ROOT, SCRAPY

CRAWLS = ("crawl", "crawlall", "push")
TOOLS = ("extract", "reextract", "export", "report", "search", "summary", "store")  # no crawler of their own


def project_commands() -> dict[str, type[ScrapyCommand]]:
    """The commands Scrapy finds in COMMANDS_MODULE: each module's own ScrapyCommand, named after the module."""
    return {module.__name__.rsplit(".", 1)[-1]: obj for module in walk_modules_iter("crawler.commands")
            for obj in vars(module).values()
            if isinstance(obj, type) and issubclass(obj, ScrapyCommand) and obj.__module__ == module.__name__}


def test_scrapy_help_lists_every_command():
    listed = subprocess.run([*SCRAPY, "--help"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True).stdout
    names = {line.split()[0] for line in listed.split("Available commands:")[1].splitlines() if line.startswith("  ")}
    assert set(CRAWLS + TOOLS) <= names
    assert set(project_commands()) == set(CRAWLS + TOOLS)


@pytest.mark.parametrize("name", CRAWLS + TOOLS)
def test_every_command_has_help(name, capsys):
    assert run_command(name, "--help") == 0
    assert capsys.readouterr().out.startswith(f"Usage\n=====\n  scrapy {name} ")


def test_tools_start_no_crawler():
    commands = project_commands()
    assert [name for name in TOOLS if commands[name].requires_crawler_process] == []


def test_store_start_status_stop(tmp_path, capsys):
    data = {"AKHBAR_DATA_DIR": str(tmp_path / "data")}

    def store(action: str) -> tuple[int, str]:
        code = run_command("store", action, settings=data)
        return code, capsys.readouterr().out.strip()

    assert store("status") == (1, "not running") and store("stop") == (0, "not running")  # status: exit 1
    assert not (tmp_path / "data").exists()  # asking starts nothing
    code, uri = store("start")
    try:
        assert code == 0 and uri.startswith("mongodb://127.0.0.1:")
        assert store("start") == (0, uri)  # reused while it runs
        assert store("status") == (0, f"running at {uri}")
    finally:
        assert store("stop") == (0, "stopped")
    assert store("status") == (1, "not running")


@pytest.mark.parametrize("value", ["since=", "until=", "url=", "timezone= "])
def test_an_empty_spider_argument_is_refused(value, tmp_path):
    """Before, `-a since=` (an unset shell variable) was taken: the backfill silently became an incremental crawl."""
    done = subprocess.run([*SCRAPY, "crawl", "sham", "-a", value], cwd=PROJECT_ROOT, capture_output=True, text=True,
                          env={**os.environ, "AKHBAR_DATA_DIR": str(tmp_path)}, timeout=120, check=False)
    name = value.split("=")[0]
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.strip().splitlines() == [f"error: -a {name}= is empty: give -a {name}=" +
                                                {"since": "YYYY-MM-DD", "until": "YYYY-MM-DD", "url": "http://host/",
                                                 "timezone": "Asia/Riyadh"}[name] + ", or leave it out"]


def _demo(env: dict[str, str], *args: str, make: bool = False) -> subprocess.CompletedProcess:
    command = ["make", "--no-print-directory", "demo", *args] if make else [*SCRAPY[:1], "-m", "scripts.demo", *args]
    return subprocess.run(command, cwd=PROJECT_ROOT, env={**os.environ, **env}, capture_output=True, text=True,
                          timeout=300, check=False)


def test_demo_checks_the_store_first(tmp_path):
    """Before: a closed port was a 50-line ServerSelectionTimeoutError after crawling every outlet into the spill
    journal; a malformed MONGO_URI a traceback."""
    env = {"AKHBAR_DATA_DIR": str(tmp_path)}
    port = free_port()
    closed = _demo({**env, "MONGO_URI": uri_for(port)})
    assert closed.returncode == 1 and closed.stdout == ""
    assert closed.stderr.splitlines() == [f"error: cannot use the store at 127.0.0.1:{port}: Connection refused"]
    malformed = _demo({**env, "MONGO_URI": "mongodb://akhbar:p@ss@127.0.0.1:27017/"})
    assert malformed.returncode == 2 and "p@ss" not in malformed.stderr
    assert malformed.stderr.splitlines() == [
        "error: MONGO_URI 'mongodb://akhbar:***@127.0.0.1:27017/' is not a MongoDB connection string: Username and "
        "password must be escaped according to RFC 3986, use urllib.parse.quote_plus"]
    assert not (tmp_path / "spill").exists()


def test_make_demo_with_its_port_busy_says_how_make_takes_another(store_env, tmp_path):
    """Before, it said «pass --port N», which make cannot take; `make demo PORT=N` now passes it on."""
    with socket.socket() as busy:
        busy.bind(("127.0.0.2", 0))  # the first demo outlet's address
        busy.listen()
        port = busy.getsockname()[1]
        done = _demo({**store_env, "AKHBAR_DATA_DIR": str(tmp_path)}, f"PORT={port}", make=True)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    error = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(error) == 1 and error[0].startswith(f"error: cannot serve the demo site on port {port} (")
    assert error[0].endswith("; free it or run `make demo PORT=N`")
