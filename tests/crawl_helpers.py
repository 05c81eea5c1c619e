"""Run real `scrapy crawl` processes for tests."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SCRAPY = [sys.executable, "-m", "scrapy"]


def crawl(spider: str, env: dict[str, str], *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run `scrapy crawl spider args...` in the project with env added; returns the finished process."""
    return subprocess.run([*SCRAPY, "crawl", spider, *args], cwd=PROJECT_ROOT, env={**os.environ, **env},
                          capture_output=True, text=True, timeout=timeout, check=False)


def crawl_all(runs: list[tuple[str, list[str]]], env: dict[str, str], timeout: float = 300) -> list[tuple[int, str]]:
    """Run several crawls at once; returns (exit code, stderr) per run, in order."""
    full_env = {**os.environ, **env}
    logs = [tempfile.TemporaryFile(mode="w+") for _ in runs]
    procs = [subprocess.Popen([*SCRAPY, "crawl", spider, *args], cwd=PROJECT_ROOT, env=full_env,
                              stdout=subprocess.DEVNULL, stderr=log)
             for (spider, args), log in zip(runs, logs, strict=True)]
    results = []
    for proc, log in zip(procs, logs, strict=True):
        code = proc.wait(timeout=timeout)
        log.seek(0)
        results.append((code, log.read()))
        log.close()
    return results
