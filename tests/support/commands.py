"""The project's settings and commands inside the test process."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scrapy.cmdline import execute
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings


def project_settings(overrides: Mapping[str, Any] | None = None) -> Settings:
    """The project's settings (crawler/settings.py) with overrides, as `-s NAME=VALUE` would set them."""
    settings = get_project_settings()
    settings.setdict(dict(overrides or {}), priority="cmdline")
    return settings


def run_command(name: str, *args: str, settings: Mapping[str, Any] | None = None) -> int:
    """Run `scrapy <name> args...` in this process as Scrapy's command line does, with the project's settings and
    overrides (MONGO_URI, MONGO_DATABASE, ...); returns its exit status. The command prints to sys.stdout and
    sys.stderr, so capsys sees what it printed."""
    try:
        execute(["scrapy", name, *args], settings=project_settings(settings))
    except SystemExit as exited:
        return 0 if exited.code is None else int(exited.code)
    raise AssertionError("scrapy.cmdline.execute returned without exiting")
