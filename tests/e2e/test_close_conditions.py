"""Scrapy's close conditions hold for what is stored: CLOSESPIDER_ITEMCOUNT stores exactly that many articles, and
CLOSESPIDER_PAGECOUNT no article of a page fetched after the limit. Before, every page already fetched went on through
the pipelines into the store (CLOSESPIDER_ITEMCOUNT=5 on an empty store: 20 to 120 articles stored)."""

from __future__ import annotations

import re

import pytest

from crawler.items import url_hash
from tests.support.articles import own_database
from tests.support.crawl import crawl

pytestmark = pytest.mark.e2e
OUTLET = "sham"
CRAWLED = re.compile(r"\[scrapy\.core\.engine\] DEBUG: Crawled \(\d+\) <GET (\S+)>")


def test_itemcount_stores_exactly_that_many_articles(demo_site, store_env, store_db, tmp_path):
    with own_database(store_db, "itemcount") as db:
        env = {**store_env, "MONGO_DATABASE": db.name, "AKHBAR_DATA_DIR": str(tmp_path)}
        done = crawl(OUTLET, env, "-a", f"url={demo_site.outlet(OUTLET).base_url}", "-s", "CLOSESPIDER_ITEMCOUNT=5")
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-3000:]
        assert "'finish_reason': 'closespider_itemcount'" in done.stderr
        assert db.articles.count_documents({}) == 5  # CONCURRENT_REQUESTS is 32, and the site has 120 articles
        assert db.story_copies.count_documents({}) == 5  # no story recorded for an article that was not stored
        run = db.crawl_runs.find_one({"site": OUTLET})
        assert run["finish_reason"] == "closespider_itemcount" and run["articles"]["new"] == 5
        assert run["stats"]["akhbar/articles/not_stored/closing"] > 0


def test_pagecount_stores_no_article_of_a_page_fetched_after_the_limit(demo_site, store_env, store_db, tmp_path):
    limit = 30
    with own_database(store_db, "pagecount") as db:
        env = {**store_env, "MONGO_DATABASE": db.name, "AKHBAR_DATA_DIR": str(tmp_path)}
        done = crawl(OUTLET, env, "-a", f"url={demo_site.outlet(OUTLET).base_url}", "-L", "DEBUG",
                     "-s", f"CLOSESPIDER_PAGECOUNT={limit}")
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-3000:]
        crawled = CRAWLED.findall(done.stderr)  # in the order the responses came in
        assert len(crawled) > limit, "every page came in before the limit: nothing to check"
        within = {url_hash(url) for url in crawled[:limit]}
        stored = {d["url_hash"] for d in db.articles.find({}, {"url_hash": 1})}
        assert stored and stored <= within, f"{len(stored - within)} articles of pages fetched after the limit"
