"""End-to-end crawl throughput: a ≥5,000-article demo site crawled into the store, against extraction alone.

Prints pages/s end to end, the single-core rate of the extraction path on the same pages, their ratio, CPU use
and peak memory, and ends with one line:
end_to_end_pps=N extract_pps_single_core=N ratio=N cores=N peak_rss_mb=N
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pymongo
from scrapy.utils.project import get_project_settings

from bench.extract_speed import extraction_rate
from bench.proc import cpu_seconds, tree_cpu_seconds, tree_rss_mb
from pipelines.storage.config import store_config
from pipelines.storage.embedded import free_port, start_daemon, stop_process, uri_for
from tests.demosite import OUTLET_NAMES

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATABASE = "akhbar_bench"


@contextmanager
def scratch_store() -> Iterator[tuple[str, Path, int | None]]:
    """A scratch directory and a store for one benchmark: the configured one (MONGO_URI), else an embedded daemon of
    its own; yields its URI, the directory and the daemon's pid (None for a configured store), and cleans up after."""
    scratch = Path(tempfile.mkdtemp(prefix="akhbar-bench-"))
    store_pid = None
    try:
        uri = store_config(get_project_settings()).uri
        if not uri:
            proc = start_daemon(scratch / "store", free_port(), scratch / "store.log")
            uri, store_pid = uri_for(int(proc.args[proc.args.index("--port") + 1])), proc.pid
        yield uri, scratch, store_pid
    finally:
        if store_pid is not None:
            stop_process(store_pid)
        shutil.rmtree(scratch, ignore_errors=True)


def _start_demo_site(port: int, per_outlet: int) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "tests.demosite", "--port", str(port),
                             "--articles-per-outlet", str(per_outlet)], cwd=PROJECT_ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.2:{port}/robots.txt", timeout=1).read()
            return proc
        except OSError:
            time.sleep(0.2)
    raise SystemExit("error: the demo site did not start")


@dataclass
class CrawlMeasure:
    """What one crawl took: wall time, CPU seconds by process group, and resident memory samples."""

    wall: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)
    rss_samples: list[float] = field(default_factory=list)


# --no-storage: fetch, extract and normalize only; run records still reach the store, which is how pages are counted
EXTRACT_ONLY = '{"pipelines.extract_articles.ExtractPipeline": 100}'


def _crawl(port: int, env: dict[str, str], workers: int, others: dict[str, int], storage: bool) -> CrawlMeasure:
    """Run the crawl of every outlet in one Scrapy process, sampling the CPU of it and of the other processes."""
    args = [sys.executable, "-m", "scrapy", "crawlall", *OUTLET_NAMES, "-s", "LOG_LEVEL=WARNING",
            "-s", f"EXTRACT_WORKERS={workers}", *([] if storage else ["-s", f"ITEM_PIPELINES={EXTRACT_ONLY}"])]
    before = {name: tree_cpu_seconds(pid) for name, pid in others.items()}
    started = time.monotonic()
    # the demo outlet spiders find the demo site's port here
    proc = subprocess.Popen(args, cwd=PROJECT_ROOT, env={**env, "AKHBAR_DEMO_PORT": str(port)},
                            stdout=subprocess.DEVNULL)
    measure = CrawlMeasure()
    while proc.poll() is None:
        measure.rss_samples.append(tree_rss_mb(proc.pid))
        main_cpu = cpu_seconds(proc.pid, with_reaped_children=False)
        # The extraction workers are children of the pool's fork server: the rest of the crawl's tree.
        group = {"crawl process (Scrapy, pipelines)": main_cpu,
                 "extraction workers": tree_cpu_seconds(proc.pid) - main_cpu}
        for name, value in group.items():
            measure.cpu[name] = max(measure.cpu.get(name, 0.0), value)
        time.sleep(0.5)
    measure.wall = time.monotonic() - started
    if proc.returncode != 0:
        raise SystemExit(f"error: the crawl exited with {proc.returncode}")
    for name, pid in others.items():
        measure.cpu[name] = tree_cpu_seconds(pid) - before[name]
    return measure


def _report_cpu(measure: CrawlMeasure, stored: int, cores: int) -> None:
    total = sum(measure.cpu.values())
    print(f"CPU per article, all processes on this machine ({100 * total / measure.wall / cores:.0f}% of "
          f"{cores} cores busy):")
    for name, seconds in measure.cpu.items():
        print(f"  {name:<36} {1000 * seconds / stored:6.2f} ms")
    print(f"  {'total':<36} {1000 * total / stored:6.2f} ms: at most {stored * cores / total:.0f} pages/s "
          f"if every core were busy")


def _report_reactor_lag(db: pymongo.database.Database) -> None:
    lags = [run.get("stats", {}) for run in db.crawl_runs.find({}, {"stats": 1})]
    worst = {k: max((int(s.get(f"akhbar/reactor/lag_{k}_ms") or 0) for s in lags), default=0)
             for k in ("p50", "p99", "max")}
    print(f"reactor lag (worst crawl): p50 {worst['p50']} ms, p99 {worst['p99']} ms, max {worst['max']} ms")


def main(argv: list[str] | None = None) -> int:
    """Serve, crawl, measure, print."""
    parser = argparse.ArgumentParser(prog="python -m bench.throughput", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=5000, help="article pages in the demo site (all outlets)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="extraction processes")
    parser.add_argument("--no-storage", action="store_true",
                        help="fetch and extract only, store nothing: what the crawl host alone can do")
    args = parser.parse_args(argv)
    cores = os.cpu_count() or 1
    per_outlet = math.ceil(args.articles / len(OUTLET_NAMES))
    site = None
    with scratch_store() as (uri, _, store_pid):
        try:
            client: pymongo.MongoClient = pymongo.MongoClient(uri)
            client.drop_database(DATABASE)
            extract_pps = extraction_rate(min(per_outlet, 300), rounds=2)
            print(f"extraction alone, one core: {extract_pps:.1f} pages/s")
            port = free_port()
            site = _start_demo_site(port, per_outlet)
            env = {**os.environ, "MONGO_URI": uri, "MONGO_DATABASE": DATABASE}
            others = {"demo site": site.pid, **({"store (SecantusDB)": store_pid} if store_pid else {})}
            measure = _crawl(port, env, args.workers, others, storage=not args.no_storage)
            stored = (client[DATABASE].articles.count_documents({}) if not args.no_storage else
                      sum(int(run.get("stats", {}).get("akhbar/extract/ok") or 0)
                          for run in client[DATABASE].crawl_runs.find({}, {"stats": 1})))
            pps = stored / measure.wall
            samples = measure.rss_samples
            peak = max(samples, default=0.0)
            third = max(1, len(samples) // 3)
            print(f"articles {'extracted' if args.no_storage else 'stored'}: {stored} of "
                  f"{per_outlet * len(OUTLET_NAMES)} in {measure.wall:.1f}s")
            _report_cpu(measure, max(stored, 1), cores)
            _report_reactor_lag(client[DATABASE])
            print(f"crawl RSS MB: first third max {max(samples[:third], default=0):.0f}, "
                  f"last third max {max(samples[-third:], default=0):.0f}, peak {peak:.0f}")
            print(f"target: end to end ≥ 0.6 × {cores} × {extract_pps:.1f} = {0.6 * cores * extract_pps:.1f} pages/s")
            print(f"end_to_end_pps={pps:.1f} extract_pps_single_core={extract_pps:.1f} ratio={pps / extract_pps:.2f} "
                  f"cores={cores} peak_rss_mb={peak:.0f}")
            client.drop_database(DATABASE)
        finally:
            if site is not None:
                stop_process(site.pid)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
