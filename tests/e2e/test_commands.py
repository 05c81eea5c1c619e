"""The one command line: every user command is a `scrapy` command of the project, listed and described."""

from __future__ import annotations

import subprocess

import pytest
from scrapy.commands import ScrapyCommand
from scrapy.utils.misc import walk_modules_iter

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

    assert store("status") == (0, "not running") and store("stop") == (0, "not running")
    assert not (tmp_path / "data").exists()  # asking starts nothing
    code, uri = store("start")
    try:
        assert code == 0 and uri.startswith("mongodb://127.0.0.1:")
        assert store("start") == (0, uri)  # reused while it runs
        assert store("status") == (0, f"running at {uri}")
    finally:
        assert store("stop") == (0, "stopped")
    assert store("status") == (0, "not running")
