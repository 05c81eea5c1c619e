"""Raw pages kept by the crawl, and `scrapy reextract` rebuilding articles from them after a change."""

from __future__ import annotations

import gzip
from datetime import timedelta

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from crawler.sites import rules_for_site
from pipelines.analysis import reextract
from pipelines.keep_raw_pages import RawPagesPipeline
from pipelines.storage.articles import ARTICLES
from pipelines.storage.raw_pages import RAW_PAGES
from tests.support.articles import own_database
from tests.support.commands import run_command
from tests.support.crawl import crawl

pytestmark = pytest.mark.e2e
OUTLET = "nabaa"


@pytest.fixture(scope="module")
def crawled(demo_site, store_env, store_db):
    """One demo outlet crawled into a database of its own, with raw pages kept."""
    with own_database(store_db, "reextract") as db:
        outlet = next(o for o in demo_site.outlets if o.name == OUTLET)
        done = crawl(OUTLET, {**store_env, "MONGO_DATABASE": db.name}, "-a", f"url={outlet.base_url}")
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-3000:]
        yield db


@pytest.fixture
def env(crawled):
    return crawled


@pytest.fixture
def run(crawled, store_env):
    """`scrapy reextract args...` on the crawled database, in this process; returns its exit status."""
    return lambda *args: run_command("reextract", *args, settings={**store_env, "MONGO_DATABASE": crawled.name})


def _snapshot(db) -> dict[str, dict]:
    return {d["url_hash"]: d for d in db[ARTICLES].find()}


def _some_pages(db, n: int = 12) -> dict:
    """A query for a few raw pages, to keep runs that check one behaviour short."""
    return {"_id": {"$in": [d["_id"] for d in db[RAW_PAGES].find({}, {"_id": 1}).sort("_id").limit(n)]}}


def test_every_fetched_page_is_kept_compressed(crawled, demo_site):
    truth = demo_site.truth(OUTLET)
    raw = {d["_id"]: d for d in crawled[RAW_PAGES].find()}
    assert raw.keys() == {d["url_hash"] for d in crawled[ARTICLES].find()} and len(raw) == len(truth)
    page = next(iter(raw.values()))
    html = gzip.decompress(page["html_gzip"])
    assert len(html) == page["size"] and b"<h1" in html and len(page["html_gzip"]) < page["size"] / 2
    assert page["site"] == OUTLET and page["content_type"].startswith("text/html") and page["hints"]


def test_reextraction_of_unchanged_extraction_changes_nothing(env):
    before = _snapshot(env)
    report = reextract.reextract(env, {}, rules_for_site)
    assert (report.pages, report.unchanged, report.changed, report.failed) == (len(before), len(before), 0, 0)
    assert _snapshot(env) == before


def test_extractor_change_is_applied_and_reported(env, run, monkeypatch, capsys):
    before = _snapshot(env)
    real = reextract.extract_article

    def improved(page):  # an extractor that now finds authors and no longer reads view counters
        article = real(page)
        article.author, article.views = "مراسل النبأ", None
        return article

    monkeypatch.setattr(reextract, "extract_article", improved)
    assert run("--workers", "1") == 0
    printed = capsys.readouterr().out
    assert f"articles changed{len(before):>14}" in printed
    assert f"author{len(before):>24}" in printed and f"views{len(before):>25}" in printed
    after = _snapshot(env)
    for key, doc in after.items():
        old = before[key]
        assert (doc["author"], doc["views"]) == ("مراسل النبأ", None)
        assert doc["reextracted_at"] > doc["last_seen_at"]
        unchanged = {k: v for k, v in doc.items() if k not in ("author", "views", "reextracted_at")}
        assert unchanged == {k: v for k, v in old.items() if k not in ("author", "views")}
    assert reextract.reextract(env, _some_pages(env), rules_for_site).changed == 0  # a second run: nothing more

    monkeypatch.setattr(reextract, "extract_article", real)
    report = reextract.reextract(env, {}, rules_for_site, workers=2)  # today's extractor again, in the process pool
    assert report.changed == len(before) and set(report.fields) == {"author", "views"}
    assert {k: d["views"] for k, d in _snapshot(env).items()} == {k: d["views"] for k, d in before.items()}


def test_filters_dry_run_and_stale_pages(env, run, capsys):
    assert run("--site", "other", "--workers", "1") == 0
    assert "raw pages read" in capsys.readouterr().out
    assert run("--since", "2999-01-01", "--workers", "1") == 0
    assert f"raw pages read{0:>16}" in capsys.readouterr().out
    pages = _some_pages(env)
    one = env[ARTICLES].find_one({"url_hash": pages["_id"]["$in"][0]})
    env[ARTICLES].update_one({"_id": one["_id"]}, {"$set": {"title": "عنوان قديم",
                                                            "fetched_at": one["fetched_at"] + timedelta(hours=1)}})
    other = env[ARTICLES].find_one({"url_hash": pages["_id"]["$in"][1]})
    env[ARTICLES].update_one({"_id": other["_id"]}, {"$set": {"title": "عنوان قديم"}})
    report = reextract.reextract(env, pages, rules_for_site, write=False)
    assert (report.stale, report.changed, dict(report.fields)) == (1, 1, {"title": 1})
    assert env[ARTICLES].find_one({"_id": other["_id"]})["title"] == "عنوان قديم"
    assert reextract.reextract(env, pages, rules_for_site).changed == 1
    assert env[ARTICLES].find_one({"_id": other["_id"]})["title"] == other["title"]
    env[ARTICLES].update_one({"_id": one["_id"]}, {"$set": {"title": one["title"], "fetched_at": one["fetched_at"]}})


def test_raw_pages_can_be_turned_off():
    with pytest.raises(NotConfigured):
        RawPagesPipeline.from_crawler(get_crawler(settings_dict={"STORE_RAW_PAGES": False}))
    assert isinstance(RawPagesPipeline.from_crawler(get_crawler(settings_dict={"STORE_RAW_PAGES": True})),
                      RawPagesPipeline)


def test_bad_arguments_exit_2(capsys):
    assert run_command("reextract", "--since", "yesterday") == 2 and "YYYY-MM-DD" in capsys.readouterr().err


def test_progress_goes_to_stderr_when_it_is_not_a_terminal(env, run, monkeypatch, capsys):
    """Before, a re-extraction run from cron or into a log said nothing for minutes."""
    monkeypatch.setattr(reextract, "CHUNK", 10)
    monkeypatch.setattr(reextract, "PROGRESS_EVERY_S", 0.0)
    total = env[RAW_PAGES].count_documents({})
    assert run("--workers", "1", "--dry-run") == 0
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == f"reextract: {total} raw pages to read"
    done = [int(line.split()[1]) for line in lines[1:] if line.startswith("reextract: ")]
    assert len(done) >= 2 and done == sorted(done) and done[-1] < total
    assert all(" pages/s, about " in line for line in lines[1:])


def test_workers_must_be_at_least_one(capsys):
    """Before, `--workers 0` was taken."""
    assert run_command("reextract", "--workers", "0") == 2
    assert capsys.readouterr().err.splitlines()[-1] == ("scrapy reextract: error: argument --workers: not a positive "
                                                        "number: '0'")
