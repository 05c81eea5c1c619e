"""The whole hostile outlet (tests/demosite, 127.0.0.5) crawled with the default settings and two extraction workers, as
tests/e2e/test_hostile_defaults.py does: how long the crawl takes to end by itself, how many requests it sends, the
peak memory of its process tree (PSS, shared pages once; and the RSS of its processes added up), and which cases
were not recorded as their catalogue rows say. Ends with one line:
wall_s=N requests=N peak_mb=N peak_rss_sum_mb=N stored=N errors=N
"""

from __future__ import annotations

import argparse

import pymongo

from bench.throughput import scratch_store
from tests.demosite import HOSTILE_CASES, DemoSite
from tests.support.hostile_checks import check_case, false_urls
from tests.support.hostile_crawl import TWO_WORKERS, HostileCrawl, crawl_hostile

DATABASE = "akhbar_bench_hostile"


def report_cases(crawl: HostileCrawl) -> None:
    """Print the cases the crawl did not record as catalogued, with what it recorded for them."""
    missed = []
    for case in HOSTILE_CASES:
        try:
            check_case(crawl, case)
        except AssertionError:
            missed.append(case)
    print(f"cases not recorded as catalogued: {len(missed)} of {len(HOSTILE_CASES)}")
    for case in missed:
        recorded = sorted(crawl.kinds.get(crawl.base + case.path, ())) or ["nothing"]
        print(f"  {case.kind:<26} expected {case.expected_outcome:<18} recorded {', '.join(recorded)}")
    for line in false_urls(crawl):
        print(f"  false URL stored: {line}")


def main(argv: list[str] | None = None) -> int:
    """Serve, crawl, measure, print."""
    parser = argparse.ArgumentParser(prog="python -m bench.hostile_crawl", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--timeout", type=float, default=900, help="seconds after which the crawl is killed")
    parser.add_argument("-s", dest="overrides", action="append", default=[], metavar="NAME=VALUE",
                        help="a setting for the crawl (default: none, the project's defaults)")
    args = parser.parse_args(argv)
    with scratch_store() as (uri, scratch, _):
        client: pymongo.MongoClient = pymongo.MongoClient(uri, tz_aware=True)
        client.drop_database(DATABASE)
        env = {"MONGO_URI": uri, "MONGO_DATABASE": DATABASE, "AKHBAR_DATA_DIR": str(scratch / "data"), **TWO_WORKERS}
        with DemoSite(port=None) as site:
            crawl = crawl_hostile(site, env, client[DATABASE], dict(o.split("=", 1) for o in args.overrides),
                                  timeout=args.timeout)
        print(f"exit status {crawl.measured.returncode}, finish reason {crawl.run.get('finish_reason')}")
        for kind, count in sorted((k.removeprefix("akhbar/errors/"), v) for k, v in crawl.stats.items()
                                  if k.startswith("akhbar/errors/")):
            print(f"  {kind:<20} {count}")
        report_cases(crawl)
        print(crawl.summary())
        client.drop_database(DATABASE)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
