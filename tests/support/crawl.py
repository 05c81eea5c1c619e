"""Run real `scrapy crawl` processes for tests."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SCRAPY = [sys.executable, "-m", "scrapy"]


def scrapy(env: dict[str, str], *args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    """Run a scrapy command in the project with env added; returns the finished process."""
    return subprocess.run([*SCRAPY, *args], cwd=PROJECT_ROOT, env={**os.environ, **env}, capture_output=True,
                          text=True, timeout=timeout, check=False)


def separate_database(store_env: dict[str, str], store_db, name: str, data_dir) -> tuple[dict[str, str], object]:
    """The environment of crawls into a database and data directory of their own, and that database (kept after the
    test, for its failure messages)."""
    env = {**store_env, "MONGO_DATABASE": f"{store_env['MONGO_DATABASE']}_{name}", "AKHBAR_DATA_DIR": str(data_dir)}
    return env, store_db.client[env["MONGO_DATABASE"]]


def crawl(spider: str, env: dict[str, str], *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run `scrapy crawl spider args...` in the project with env added; returns the finished process."""
    return subprocess.run([*SCRAPY, "crawl", spider, *args], cwd=PROJECT_ROOT, env={**os.environ, **env},
                          capture_output=True, text=True, timeout=timeout, check=False)


def crawl_all(runs: list[tuple[str, list[str]]], env: dict[str, str], timeout: float = 300) -> list[tuple[int, str]]:
    """Run several crawls at once; returns (exit code, log) per run, in order."""
    full_env = {**os.environ, **env}
    with tempfile.TemporaryDirectory() as logs:
        paths = [Path(logs) / f"{i}.log" for i in range(len(runs))]
        procs = []
        for (spider, args), path in zip(runs, paths, strict=True):
            with path.open("w") as log:
                procs.append(subprocess.Popen([*SCRAPY, "crawl", spider, *args], cwd=PROJECT_ROOT, env=full_env,
                                              stdout=subprocess.DEVNULL, stderr=log))
        return [(proc.wait(timeout=timeout), path.read_text()) for proc, path in zip(procs, paths, strict=True)]
