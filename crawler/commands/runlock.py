"""One crawl per site at a time on a machine: an exclusive flock on <data dir>/locks/<site>.lock.

The kernel drops the lock when the process ends in any way (kill -9 included), so a crashed run never
blocks the next one and no expiry is needed.
"""

from __future__ import annotations

import fcntl
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from scrapy.settings import BaseSettings

from pipelines.storage.config import store_config


def lock_dir(settings: BaseSettings) -> Path:
    """Where the site locks live: locks/ under the setting AKHBAR_DATA_DIR (./data by default)."""
    return store_config(settings).data_dir / "locks"


class SiteLock:
    """The crawl lock of one site, a file in directory (lock_dir)."""

    def __init__(self, site: str, directory: Path) -> None:
        self.site = site
        self.path = directory / f"{re.sub(r'[^A-Za-z0-9_.-]', '_', site)}.lock"
        self.file: IO[str] | None = None

    def acquire(self) -> bool:
        """Take the lock without waiting; False when another process holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        file = self.path.open("a+")
        try:
            fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            file.close()
            return False
        file.truncate(0)
        file.write(f"pid {os.getpid()}, started {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC\n")
        file.flush()
        self.file = file
        return True

    def holder(self) -> str:
        """Who holds the lock, as its holder wrote it."""
        try:
            return self.path.read_text().strip() or "unknown process"
        except OSError:
            return "unknown process"

    def busy_message(self) -> str:
        """The one-line explanation for a run that found the site locked."""
        return f"another crawl of {self.site!r} is still running ({self.holder()}); lock {self.path}"

    def release(self) -> None:
        """Drop the lock (the file stays, to be reused)."""
        if self.file is not None:
            fcntl.flock(self.file, fcntl.LOCK_UN)
            self.file.close()
            self.file = None
