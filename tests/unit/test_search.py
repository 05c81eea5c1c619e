"""Search over folded tokens against the real store: spelling variants, filters, the command line and its errors."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import UTC, datetime

import pytest

from crawler.items import Article, url_hash
from pipelines.analysis import search
from pipelines.analysis.search import search_articles
from pipelines.arabic.normalize import normalize_article
from pipelines.storage.articles import article_document, ensure_indexes
from pipelines.storage.batch_write import write_articles
from pipelines.storage.embedded import free_port, uri_for
from tests.support.commands import run_command
from tests.support.crawl import PROJECT_ROOT, SCRAPY

BODIES = {
    1: ("nabaa", datetime(2026, 11, 1, 8, tzinfo=UTC), "أعلنت وزارة المالية عن ميزانية عام ٢٠٢٦ في مؤتمر صحفي."),
    2: ("wasat", datetime(2026, 11, 2, 23, 30, tzinfo=UTC), "اعلنت الوزارة أن الميزانيه الجديدة لعام 2026 تدعم الصحة."),
    3: ("sham", datetime(2026, 11, 3, 6, tzinfo=UTC), "أَعْلَنَتْ الحكومة زيادة الرواتب ابتداءً من الشهر المقبل."),
    4: ("sham", datetime(2026, 11, 4, 6, tzinfo=UTC), "قال المتحدث إن الاجتماع تأجل إلى الأسبوع المقبل."),
}


def _article(n: int) -> Article:
    site, published, body = BODIES[n]
    url = f"http://{site}.example/news/{n}"
    return normalize_article(Article(
        url=url, url_hash=url_hash(url), canonical_url=None, site=site, title=f"عنوان الخبر {n}", body=body,
        author=None, published_at=published, published_local=None, published_at_source="meta", modified_at=None,
        views=None, comments=None, shares=None, agencies=[], agency_is_staff=False, dateline_place=None,
        language="ar", lead_image=None, tags=[], category=None, fetched_at=published,
    ))


@pytest.fixture(scope="module")
def search_env(store_env, store_db):
    """A database of its own holding the four articles above; yields the environment pointing at it."""
    db = store_db.client[f"{store_db.name}_search"]
    ensure_indexes(db)
    write_articles(db, [article_document(_article(n)) for n in BODIES])
    yield db, {**store_env, "MONGO_DATABASE": db.name}
    store_db.client.drop_database(db.name)


def _ids(hits: list[dict]) -> list[int]:
    return [int(h["url"].rsplit("/", 1)[1]) for h in hits]


@pytest.mark.parametrize("query", ["أعلنت", "اعلنت", "أَعْلَنَتْ", "أعلـــنت", "إعلنت"])
def test_spelling_variants_find_the_same_articles(search_env, query):
    db, _ = search_env
    assert _ids(search_articles(db, query)) == [3, 2, 1]


def test_digits_ta_marbuta_and_every_word_required(search_env):
    db, _ = search_env
    assert _ids(search_articles(db, "ميزانيه 2026")) == [1]
    assert _ids(search_articles(db, "الميزانية ٢٠٢٦")) == [2]
    assert _ids(search_articles(db, "٢٠٢٦")) == [2, 1]
    assert _ids(search_articles(db, "أعلنت الرواتب")) == [3]
    assert search_articles(db, "أعلنت الاجتماع") == []


def test_filters_and_limit(search_env):
    db, _ = search_env
    assert _ids(search_articles(db, "أعلنت", site="sham")) == [3]
    assert _ids(search_articles(db, "أعلنت", since=datetime(2026, 11, 2, tzinfo=UTC))) == [3, 2]
    assert _ids(search_articles(db, "أعلنت", until=datetime(2026, 11, 2, 23, 0, tzinfo=UTC))) == [1]
    assert _ids(search_articles(db, "أعلنت", limit=1)) == [3]
    with pytest.raises(ValueError, match="no searchable words"):
        search_articles(db, "؟!")


def test_cli_prints_one_line_per_hit_and_jsonl(search_env):
    _, env = search_env
    cmd = [*SCRAPY, "search", "اعلنت", "--since", "2026-11-01", "--until", "2026-11-02"]
    env = {**os.environ, **env}
    out = subprocess.run(cmd, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=True)
    lines = out.stdout.splitlines()
    assert [line.split("\t")[:2] for line in lines] == [["2026-11-02 23:30", "wasat"], ["2026-11-01 08:00", "nabaa"]]
    assert lines[0].endswith("http://wasat.example/news/2")
    out = subprocess.run([*cmd, "--json", "--site", "nabaa"], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,
                         check=True)
    hit = json.loads(out.stdout)
    assert (hit["site"], hit["published_at"], hit["title"]) == ("nabaa", "2026-11-01T08:00:00+00:00", "عنوان الخبر 1")


def test_cli_help():
    out = subprocess.run([*SCRAPY, "search", "--help"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    assert "--since" in out.stdout and "--json" in out.stdout


@pytest.mark.parametrize("argv", [["خبر", "--since", "yesterday"], ["خبر", "--until", "2026-13-01"],
                                  ["خبر", "--limit", "0"], ["...!"], [], ["خبر", "--bogus"],
                                  ["خبر", "--since", "2026-11-03", "--until", "2026-11-01"]])
def test_cli_bad_arguments_exit_2_with_one_error_line(argv, capsys):
    assert run_command("search", *argv) == 2
    err = capsys.readouterr().err
    assert err.count("error:") == 1 and err.splitlines()[-1].startswith("scrapy search: error:")


def test_cli_store_unreachable_exits_1_with_one_line(monkeypatch, capsys):
    monkeypatch.setattr(search, "CONNECT_TIMEOUT_MS", 200)
    dead = uri_for(free_port())
    assert run_command("search", "خبر", "-s", f"MONGO_URI={dead}") == 1  # a setting on the command line
    err = capsys.readouterr().err
    assert err == f"error: cannot use the store at {dead.split('/')[2]}: Connection refused\n"


def test_since_after_until_is_a_usage_error_not_silence(capsys):
    """Before, `search` with --since after --until printed nothing and exited 0."""
    assert run_command("search", "خبر", "--since", "2026-11-03T10:00", "--until", "2026-11-03T09:00") == 2
    assert capsys.readouterr().err.splitlines()[-1] == ("scrapy search: error: --since 2026-11-03T10:00:00+00:00 is "
                                                        "after --until 2026-11-03T09:00:00+00:00: nothing can match")


@pytest.mark.parametrize("command", [["search", "اعلنت"], ["summary"]])
def test_a_reader_that_stops_early_ends_the_command_quietly(search_env, command):
    """`scrapy search … | head -1`, `scrapy summary | head -3`: before, a BrokenPipeError traceback."""
    _, env = search_env
    proc = subprocess.Popen([*SCRAPY, *command], cwd=PROJECT_ROOT, env={**os.environ, **env},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    proc.stdout.close()  # the reader is gone before the first line: every write meets a closed pipe
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 0 and "Traceback" not in err and "BrokenPipeError" not in err, err
