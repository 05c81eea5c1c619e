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
from pathlib import Path

import pymongo

from bench.extract_speed import extraction_rate
from bench.proc import tree_cpu_seconds, tree_rss_mb
from pipelines.embedded_store import free_port, start_daemon, stop_process, uri_for
from tests.demosite import OUTLET_NAMES

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATABASE = "akhbar_bench"


def _start_store(scratch: Path) -> tuple[str, int | None]:
    if os.environ.get("MONGO_URI"):
        return os.environ["MONGO_URI"], None
    proc = start_daemon(scratch / "store", free_port(), scratch / "store.log")
    return uri_for(int(proc.args[proc.args.index("--port") + 1])), proc.pid


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


def _crawl(port: int, env: dict[str, str], workers: int) -> tuple[float, float, float, list[float]]:
    """Run the crawl of every outlet in one Scrapy process; (wall s, cpu s, peak MB, RSS samples MB)."""
    args = [sys.executable, "-m", "scrapy", "crawlall", *OUTLET_NAMES, "-s", "LOG_LEVEL=WARNING",
            "-s", f"EXTRACT_WORKERS={workers}"]
    started = time.monotonic()
    # the demo outlet spiders find the demo site's port here
    proc = subprocess.Popen(args, cwd=PROJECT_ROOT, env={**env, "AKHBAR_DEMO_PORT": str(port)},
                            stdout=subprocess.DEVNULL)
    samples, cpu = [], 0.0
    while proc.poll() is None:
        samples.append(tree_rss_mb(proc.pid))
        cpu = max(cpu, tree_cpu_seconds(proc.pid))
        time.sleep(0.5)
    if proc.returncode != 0:
        raise SystemExit(f"error: the crawl exited with {proc.returncode}")
    return time.monotonic() - started, cpu, max(samples, default=0.0), samples


def main(argv: list[str] | None = None) -> int:
    """Serve, crawl, measure, print."""
    parser = argparse.ArgumentParser(prog="python -m bench.throughput", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=5000, help="article pages in the demo site (all outlets)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="extraction processes")
    args = parser.parse_args(argv)
    cores = os.cpu_count() or 1
    per_outlet = math.ceil(args.articles / len(OUTLET_NAMES))
    scratch = Path(tempfile.mkdtemp(prefix="akhbar-bench-"))
    uri, store_pid = _start_store(scratch)
    site = None
    try:
        client: pymongo.MongoClient = pymongo.MongoClient(uri)
        client.drop_database(DATABASE)
        extract_pps = extraction_rate(min(per_outlet, 300), rounds=2)
        print(f"extraction alone, one core: {extract_pps:.1f} pages/s")
        port = free_port()
        site = _start_demo_site(port, per_outlet)
        env = {**os.environ, "MONGO_URI": uri, "MONGO_DATABASE": DATABASE}
        wall, cpu, peak, samples = _crawl(port, env, args.workers)
        stored = client[DATABASE].articles.count_documents({})
        pps = stored / wall
        third = max(1, len(samples) // 3)
        print(f"articles stored: {stored} of {per_outlet * len(OUTLET_NAMES)} in {wall:.1f}s")
        print(f"crawl CPU: {cpu:.1f}s = {100 * cpu / wall / cores:.0f}% of {cores} cores (site and store not counted)")
        print(f"crawl RSS MB: first third max {max(samples[:third], default=0):.0f}, "
              f"last third max {max(samples[-third:], default=0):.0f}, peak {peak:.0f}")
        print(f"target: end to end ≥ 0.6 × {cores} × {extract_pps:.1f} = {0.6 * cores * extract_pps:.1f} pages/s")
        print(f"end_to_end_pps={pps:.1f} extract_pps_single_core={extract_pps:.1f} ratio={pps / extract_pps:.2f} "
              f"cores={cores} peak_rss_mb={peak:.0f}")
        client.drop_database(DATABASE)
    finally:
        if site is not None:
            stop_process(site.pid)
        if store_pid is not None:
            stop_process(store_pid)
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
