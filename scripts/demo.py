"""`make demo`: serve the bundled demo news site, crawl every outlet into the store, print a summary."""

from __future__ import annotations

import argparse
import dataclasses
import os
import subprocess
import sys
import time

from pymongo.errors import PyMongoError
from scrapy.utils.project import get_project_settings

from crawler.spiders.demo import DEMO_PORT
from pipelines.analysis.summary import format_summary, sample_article, site_summaries
from pipelines.storage.articles import connect
from pipelines.storage.config import StoreConfig, StoreSettingsError, mask_uri, store_config
from pipelines.storage.embedded import StoreError, ensure_running
from pipelines.storage.link import store_error
from tests.demosite import DemoSite

EX_USAGE = 2  # a malformed MONGO_URI
CHECK_TIMEOUT_MS = 5_000  # how long the demo waits for the store before saying it cannot reach it


def port_hint() -> str:
    """How to choose another port, as the user started the demo: `make demo PORT=N` (make sets MAKELEVEL for the
    commands of its recipes), else --port N."""
    return "run `make demo PORT=N`" if os.environ.get("MAKELEVEL") else "pass --port N"


def reachable(config: StoreConfig) -> str | None:
    """None when the store answers a ping, else the one error line to print (host, port, reason)."""
    try:
        connect(config, select_timeout_ms=CHECK_TIMEOUT_MS).command("ping")
    except (PyMongoError, StoreError) as exc:
        return store_error(config, exc)
    return None


def main(argv: list[str] | None = None) -> int:
    """Run the demo end to end."""
    parser = argparse.ArgumentParser(prog="python -m scripts.demo", description=__doc__)
    parser.add_argument("--port", type=int, default=DEMO_PORT,
                        help=f"demo site port (default {DEMO_PORT}, or AKHBAR_DEMO_PORT; `make demo PORT=N`): a fixed "
                             "port keeps the demo URLs, and so the stored articles, the same from run to run")
    args = parser.parse_args(argv)
    try:
        config = store_config(get_project_settings())
    except StoreSettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EX_USAGE
    try:
        uri = config.uri or ensure_running(config.data_dir)
    except StoreError as exc:
        print(store_error(config, exc), file=sys.stderr)
        return 1
    config = dataclasses.replace(config, uri=uri)
    if (error := reachable(config)) is not None:  # before serving and crawling anything: one line, not 50
        print(error, file=sys.stderr)
        return 1
    env = {**os.environ, "MONGO_URI": uri}  # every crawl of this demo writes to the same store
    print(f"store: {mask_uri(uri)} database {config.database}" + ("" if config.uri else " (embedded, ./data)"))
    site = DemoSite(port=args.port, hostile=False)  # the hostile outlet has no spider of its own
    try:
        site.start()
    except OSError as exc:
        print(f"error: cannot serve the demo site on port {args.port} ({exc.strerror or exc}); free it or "
              f"{port_hint()}", file=sys.stderr)
        return 1
    try:
        print(f"demo site: {site.index_url}")
        started = time.monotonic()
        procs = {o.name: subprocess.Popen([sys.executable, "-m", "scrapy", "crawl", o.name, "-a", f"url={o.base_url}",
                                           "-s", "LOG_LEVEL=WARNING"], env=env)
                 for o in site.outlets}
        failed = [name for name, proc in procs.items() if proc.wait() != 0]
        print(f"crawled {len(procs)} outlets in {time.monotonic() - started:.1f}s")
        truth = {o.name: len(site.truth(o.name)) for o in site.outlets}
    finally:
        site.stop()
    try:
        db = connect(config)
        rows = site_summaries(db, list(procs))
        sample = sample_article(db, list(procs))
    except PyMongoError as exc:
        print(store_error(config, exc), file=sys.stderr)
        return 1
    print()
    print(format_summary(rows, sample))
    stored = {row["_id"]: row["articles"] for row in rows}
    print()
    for name, expected in truth.items():
        print(f"{name}: {stored.get(name, 0)} of {expected} demo articles stored")
    if failed:
        print(f"error: crawl failed for {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
