"""The hostile outlet crawled end to end with fast limits: every catalogued case ends in its recorded outcome (a
crawl_errors document and a stats counter, or a stored article), and the crawl finishes in bounded time without a
traceback (tests/e2e/test_hostile_defaults.py crawls it with the default settings)."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.demosite import HOSTILE_CASES, HOSTILE_NAME, OUTCOMES, HostileCase
from tests.demosite.catalogue_table import cases_table, documented_table
from tests.support.crawl import PROJECT_ROOT, crawl
from tests.support.hostile_checks import check_case, false_urls
from tests.support.hostile_crawl import SITE, HostileCrawl, canary_hits, crawl_hostile

pytestmark = pytest.mark.e2e
SITEMAP_CAP = 500  # SITEMAP_MAX_URLS for this crawl (50,000 by default): the capped sitemap's 404s stay few
# Fast limits, so that every trap is reached and the crawl ends in seconds; the error budget is off so that every
# case is fetched (tests/e2e/test_hostile_defaults.py crawls with the defaults).
SETTINGS = {"DOWNLOAD_TIMEOUT": "3", "RETRY_TIMES": "1", "SITEMAP_MAX_URLS": str(SITEMAP_CAP), "DOWNLOAD_DELAY": "0",
            "AUTOTHROTTLE_ENABLED": "False", "CONCURRENT_REQUESTS_PER_DOMAIN": "16", "ROBOTS_MAX_SITEMAPS": "10",
            "FEED_MAX_ITEMS": "100", "RETRY_AFTER_MAX_S": "2", "ERROR_BUDGET_WINDOW": "0"}


@pytest.fixture(scope="module")
def canary_before(demo_site) -> int:
    """The canary's fetches before the crawl."""
    return canary_hits(demo_site.outlet(HOSTILE_NAME).base_url.rstrip("/"))


@pytest.fixture(scope="module")
def hostile(demo_site, store_env, store_db, canary_before: int) -> HostileCrawl:
    """One crawl of the hostile outlet, with what it recorded."""
    result = crawl_hostile(demo_site, store_env, store_db, SETTINGS, timeout=180)
    print(f"\nhostile crawl, fast settings: {result.summary()}")
    return result


def test_the_crawl_finishes_cleanly_in_bounded_time(hostile: HostileCrawl) -> None:
    log = hostile.measured.log
    assert hostile.measured.returncode == 0 and "Traceback" not in log, log[-3000:]
    assert hostile.run.get("finish_reason") == "finished" and hostile.measured.wall_s < 60, hostile.summary()
    assert hostile.measured.peak_mb < 1024  # the gzip bombs (1 GiB inflated) were never inflated


@pytest.mark.parametrize("case", HOSTILE_CASES, ids=lambda c: c.kind)
def test_every_case_yields_its_recorded_outcome(hostile: HostileCrawl, case: HostileCase) -> None:
    check_case(hostile, case)
    if case.kind == "huge-sitemap":  # every URL up to the cap fetched, none beyond
        assert len(hostile.fetched("/news/s")) == SITEMAP_CAP


def test_nothing_false_is_stored(hostile: HostileCrawl) -> None:
    assert false_urls(hostile) == []


def test_every_recorded_error_is_counted(hostile: HostileCrawl) -> None:
    counted = {k.removeprefix("akhbar/errors/"): v for k, v in hostile.stats.items()
               if k.startswith("akhbar/errors/")}
    assert counted == dict(Counter(e["kind"] for e in hostile.errors))
    assert all(e["run_id"] == hostile.run["_id"] and e["message"] and e["at"] for e in hostile.errors)


def test_no_url_found_in_a_page_body_is_fetched(hostile: HostileCrawl, canary_before: int) -> None:
    assert canary_hits(hostile.base) == canary_before


def test_offsite_redirects_store_nothing_from_another_host(hostile: HostileCrawl, store_db) -> None:
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
