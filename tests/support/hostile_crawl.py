"""One crawl of the hostile outlet (127.0.0.5), measured and read back: wall time, peak memory of the crawl's process
tree, the outlet's requests, and what the crawl recorded. Shared by tests/e2e/test_hostile_crawl.py,
tests/e2e/test_hostile_defaults.py and bench/hostile_crawl.py."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pymongo
from scrapy.settings import Settings

from bench.proc import tree_pss_mb, tree_rss_mb
from tests.demosite import HOSTILE_NAME, DemoSite
from tests.demosite.hostile_client import request
from tests.support.crawl import PROJECT_ROOT, SCRAPY

SITE = "127.0.0.5"  # the generic spider stores an outlet under its host
POLL_S = 0.2
# The memory bound of a default-settings crawl holds for two extraction workers, the default of the 2-core machine it
# is stated for; a machine with more cores starts more (≈80 MB each), so the test and the bench pin two.
TWO_WORKERS = {"AKHBAR_EXTRACT_WORKERS": "2"}


@dataclass
class Measured:
    """A finished crawl process: exit status, log, wall time and the peak memory of its process tree (PSS: shared pages
    once; and the RSS of its processes added up, which counts the pages the extraction workers share with their fork
    server once per process)."""

    returncode: int
    log: str
    wall_s: float
    peak_mb: float
    peak_rss_sum_mb: float


@dataclass(repr=False)
class HostileCrawl:
    """What one crawl of the hostile outlet did and recorded (shown in failures by its summary)."""

    base: str
    measured: Measured
    settings: Settings
    requests: list[tuple[float, str]]  # (time.monotonic(), target) of every request the outlet received
    run: dict[str, Any]
    errors: list[dict[str, Any]]
    articles: dict[str, dict[str, Any]]
    kinds: dict[str, set[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        kinds: dict[str, set[str]] = defaultdict(set)
        for error in self.errors:
            kinds[error["url"]].add(error["kind"])
        self.kinds = kinds

    @property
    def stats(self) -> dict[str, Any]:
        """The run's Scrapy stats."""
        return self.run.get("stats", {})

    def __repr__(self) -> str:
        return f"HostileCrawl({self.summary()})"

    def fetched(self, prefix: str) -> list[str]:
        """The distinct request targets that start with `prefix`."""
        return sorted({target for _, target in self.requests if target.startswith(prefix)})

    def summary(self) -> str:
        """One line for the note: wall time, requests, peak memory, stored articles and recorded errors."""
        errors = sum(v for k, v in self.stats.items() if k.startswith("akhbar/errors/"))
        return (f"wall_s={self.measured.wall_s:.1f} requests={len(self.requests)} peak_mb={self.measured.peak_mb:.0f} "
                f"peak_rss_sum_mb={self.measured.peak_rss_sum_mb:.0f} "
                f"stored={len(self.articles)} errors={errors}")


def canary_hits(base: str) -> int:
    """How often the outlet's canary (a URL that only a page body names) has been fetched."""
    return json.loads(request(base + "/_canary.json").body)["hits"]


def settings_with(overrides: dict[str, str]) -> Settings:
    """The project's settings with `-s` overrides, as the crawl sees them."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.setdict(overrides, priority="cmdline")
    return settings


def measured_crawl(args: list[str], env: dict[str, str], timeout: float) -> Measured:
    """Run `scrapy crawl args...`, polling the memory of its process tree; stopped (and failed) after `timeout`
    seconds."""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
        started = time.monotonic()
        proc = subprocess.Popen([*SCRAPY, "crawl", *args], cwd=PROJECT_ROOT, env={**os.environ, **env},
                                stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)
        peak = peak_rss = 0.0
        while proc.poll() is None:
            peak, peak_rss = max(peak, tree_pss_mb(proc.pid)), max(peak_rss, tree_rss_mb(proc.pid))
            if time.monotonic() - started > timeout:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                break
            time.sleep(POLL_S)
        wall = time.monotonic() - started
        log.seek(0)
        return Measured(proc.returncode, log.read(), wall, peak, peak_rss)


def crawl_hostile(site: DemoSite, env: dict[str, str], db: pymongo.database.Database,
                  overrides: dict[str, str] | None = None, timeout: float = 600) -> HostileCrawl:
    """Crawl the hostile outlet of a running demo site into the store of `env` (`-s` overrides), and read back
    what it recorded."""
    overrides = overrides or {}
    base = site.outlet(HOSTILE_NAME).base_url.rstrip("/")
    access = site.access_log(HOSTILE_NAME)
    first = len(access)
    args = ["news", "-a", f"url={base}/", *(a for k, v in overrides.items() for a in ("-s", f"{k}={v}"))]
    measured = measured_crawl(args, env, timeout)
    run = db.crawl_runs.find_one({"site": SITE}, sort=[("started_at", -1)]) or {}
    errors = list(db.crawl_errors.find({"run_id": run.get("_id")}))
    articles = {d["url"]: d for d in db.articles.find({"site": SITE})}
    return HostileCrawl(base, measured, settings_with(overrides), access[first:], run, errors, articles)
