"""The hostile outlet crawled end to end: every catalogued case ends in its recorded outcome (a crawl_errors document
and a stats counter, or a stored article), and the crawl finishes in bounded time without a traceback."""

from __future__ import annotations

import json
import re
import time
from collections import Counter, defaultdict
from types import SimpleNamespace

import pytest

from tests.demosite import HOSTILE_CASES, HOSTILE_NAME, OUTCOMES, HostileCase
from tests.demosite.catalogue_table import cases_table, documented_table
from tests.demosite.hostile_client import request
from tests.support.crawl import PROJECT_ROOT, crawl

pytestmark = pytest.mark.e2e
SITE = "127.0.0.5"  # the generic spider stores an outlet under its host
SITEMAP_CAP = 500  # SITEMAP_MAX_URLS for this crawl (50,000 by default): the capped sitemap's 404s stay few
SETTINGS = ("DOWNLOAD_TIMEOUT=3", "RETRY_TIMES=1", f"SITEMAP_MAX_URLS={SITEMAP_CAP}", "DOWNLOAD_DELAY=0",
            "AUTOTHROTTLE_ENABLED=False", "CONCURRENT_REQUESTS_PER_DOMAIN=16")


def _canary(base: str) -> int:
    return json.loads(request(base + "/_canary.json").body)["hits"]


@pytest.fixture(scope="module")
def hostile(demo_site, store_env, store_db) -> SimpleNamespace:
    """One crawl of the hostile outlet, with what it recorded."""
    base = demo_site.outlet(HOSTILE_NAME).base_url.rstrip("/")
    canary = _canary(base)
    started = time.monotonic()
    result = crawl("news", store_env, "-a", f"url={base}/", *(a for s in SETTINGS for a in ("-s", s)), timeout=180)
    elapsed = time.monotonic() - started
    run = store_db.crawl_runs.find_one({"site": SITE}, sort=[("started_at", -1)])
    errors = list(store_db.crawl_errors.find({"run_id": run["_id"]}))
    kinds: dict[str, set[str]] = defaultdict(set)
    for error in errors:
        kinds[error["url"]].add(error["kind"])
    return SimpleNamespace(result=result, elapsed=elapsed, run=run, errors=errors, kinds=kinds, base=base,
                           articles={d["url"]: d for d in store_db.articles.find({"site": SITE})},
                           raw=set(store_db.raw_pages.distinct("url", {"site": SITE})), canary=_canary(base) - canary)


def test_the_crawl_finishes_cleanly_in_bounded_time(hostile: SimpleNamespace) -> None:
    log = hostile.result.stderr
    assert hostile.result.returncode == 0 and "Traceback" not in log, log[-3000:]
    assert hostile.run["finish_reason"] == "finished" and hostile.elapsed < 60
    memory = re.search(r"'memusage/max': (\d+)", log)
    assert memory is None or int(memory[1]) < 1 << 30  # the gzip bombs (1 GiB inflated) were never inflated


def _urls(hostile: SimpleNamespace, needle: str) -> set[str]:
    return {u for u in [*hostile.kinds, *hostile.raw] if needle in u}


def _check_bounded(hostile: SimpleNamespace, case: HostileCase, url: str) -> None:
    """A crawl trap: the page itself recorded once, the trap never followed."""
    if case.kind == "many-links":
        assert hostile.kinds[url] == {"too_large"} and not _urls(hostile, "/news/x")
    elif case.kind == "pagination-trap":
        assert hostile.kinds[url] == {"no_article"} and not _urls(hostile, "?page=") | _urls(hostile, "/news/t")
    else:  # the sitemap index loop: the root index and the loop index read once each
        assert hostile.kinds[url] == {"bounded"} and hostile.run["stats"]["akhbar/sitemaps/index"] == 2


@pytest.mark.parametrize("case", HOSTILE_CASES, ids=lambda c: c.kind)
def test_every_case_yields_its_recorded_outcome(hostile: SimpleNamespace, case: HostileCase) -> None:
    url = hostile.base + case.path
    outcome, kinds, stored = case.expected_outcome, hostile.kinds.get(url, set()), hostile.articles.get(url)
    if outcome == "bounded":
        _check_bounded(hostile, case, url)
    elif outcome == "stored":
        assert stored is not None and kinds == set(), kinds
        text = (stored["title"] or "") + stored["body"]
        assert stored["body"] and "\ufffd" not in text and "\x00" not in text
    elif outcome == "implausible_date":
        assert kinds == {"implausible_date"} and (stored is None or stored["published_at"] is None)
    else:
        assert kinds == {outcome} and stored is None
    if outcome == "discovery_capped":
        assert len(_urls(hostile, "/news/s")) == SITEMAP_CAP


def test_every_recorded_error_is_counted(hostile: SimpleNamespace) -> None:
    counted = {k.removeprefix("akhbar/errors/"): v for k, v in hostile.run["stats"].items()
               if k.startswith("akhbar/errors/")}
    assert counted == dict(Counter(e["kind"] for e in hostile.errors))
    assert all(e["run_id"] == hostile.run["_id"] and e["message"] and e["at"] for e in hostile.errors)


def test_no_url_found_in_a_page_body_is_fetched(hostile: SimpleNamespace) -> None:
    assert hostile.canary == 0


def test_offsite_redirects_store_nothing_from_another_host(hostile: SimpleNamespace, store_db) -> None:
    assert not [u for u in hostile.articles if not u.startswith(hostile.base)]
    final_urls = store_db.raw_pages.distinct("final_url", {"site": SITE})
    assert final_urls and all(u.startswith(hostile.base) for u in final_urls)


def test_robots_disallowed_pages_are_never_fetched(demo_site, store_env, store_db) -> None:
    # nabaa's robots.txt disallows /search: a crawl told to start there fetches robots.txt and stops.
    home = demo_site.outlet("nabaa").base_url + "search"
    result = crawl("news", store_env, "-a", f"url={home}", "-a", "since=2000-01-01", "-a", "until=2000-01-01",
                   timeout=120)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[-3000:]
    assert store_db.crawl_errors.find_one({"url": home})["kind"] == "robots"
    assert store_db.raw_pages.count_documents({"url": home}) == 0 and "'robotstxt/forbidden': 1" in result.stderr


def test_docs_table_of_hostile_cases_is_generated_from_the_catalogue() -> None:
    documented = documented_table((PROJECT_ROOT / "docs" / "reliability.md").read_text(encoding="utf-8"))
    assert documented == cases_table(), "regenerate: python -m tests.demosite.catalogue_table --write"
    assert set(OUTCOMES) >= {c.expected_outcome for c in HOSTILE_CASES}
