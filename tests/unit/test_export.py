"""`scrapy export`: round trips in every format, the cursor, filters, and command-line errors."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pymongo
import pytest

from pipelines.analysis import export
from pipelines.analysis.export import Cursor, read_articles
from pipelines.storage.articles import ARTICLES
from pipelines.storage.batch_write import write_articles
from pipelines.storage.schema import article_schema, schema_fields
from tests.support.articles import article_doc, own_database
from tests.support.commands import run_command

T0 = datetime(2026, 3, 5, 12, tzinfo=UTC)


@pytest.fixture
def db(store_db):
    with own_database(store_db, "export") as fresh:
        yield fresh


@pytest.fixture
def run(store_env, db, capsys):
    """`scrapy export args...` on the test database, in this process: (exit status, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        code = run_command("export", *args, settings={**store_env, "MONGO_DATABASE": db.name})
        out = capsys.readouterr()
        return code, out.out.strip(), out.err.strip()

    return run


def _varied_docs() -> list[dict[str, Any]]:
    history = [{"at": T0 - timedelta(days=1), "views": 5, "comments": None, "shares": 1},
               {"at": T0, "views": 2**40, "comments": 2, "shares": None}]
    return [article_doc("http://h/news/1"),
            article_doc("http://h/news/2", site="wasat", published_at=None, views=2**40, agencies=[], tags=[],
                        author="سارة أحمد", counts_history=history, story_similarity=0.75),
            article_doc("http://h/news/3", title=None, agency_is_staff=True, body="سطر، أول\n\"سطر\" ثانٍ, ثالث")]


def _expected(db) -> dict[str, dict[str, Any]]:
    docs = db[ARTICLES].find({}, dict.fromkeys(schema_fields(), 1))
    return {d["url_hash"]: {f: str(d[f]) if f == "_id" else d.get(f) for f in schema_fields()} for d in docs}


def _decode(value: Any, spec: dict[str, Any]) -> Any:
    """A value read back from JSON or CSV text, typed by its schema property."""
    kinds = {spec["bsonType"]} if isinstance(spec["bsonType"], str) else set(spec["bsonType"])
    if value is None or (value == "" and kinds != {"string"}):  # CSV cannot tell an empty string from null
        return None
    if "date" in kinds:
        return datetime.fromisoformat(value)
    if "array" in kinds:
        items = json.loads(value) if isinstance(value, str) else value
        return [_decode(v, spec["items"]) for v in items]
    if "object" in kinds:
        return {k: _decode(value.get(k), sub) for k, sub in spec["properties"].items()}
    if isinstance(value, str) and kinds & {"int", "long", "double", "bool"}:
        return json.loads(value)
    return value


def _read_back(path: Path, fmt: str) -> list[dict[str, Any]]:
    if fmt == "parquet":
        return pq.read_table(path).to_pylist()
    props = article_schema()["properties"]
    with path.open(encoding="utf-8", newline="") as f:
        rows = [json.loads(line) for line in f] if fmt == "jsonl" else list(csv.DictReader(f))
    return [{k: _decode(v, props[k]) for k, v in row.items()} for row in rows]


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_round_trip(db, run, tmp_path, fmt):
    write_articles(db, _varied_docs(), now=T0)
    out = tmp_path / f"articles.{fmt}"
    code, cursor, err = run("--format", fmt, "--out", str(out))
    assert code == 0 and cursor and "exported 3 articles" in err
    rows = _read_back(out, fmt)
    assert [list(r) for r in rows] == [schema_fields()] * 3
    assert {r["url_hash"]: r for r in rows} == _expected(db)
    assert not list(tmp_path.glob(".*partial"))


def test_parquet_types(db, run, tmp_path):
    write_articles(db, _varied_docs(), now=T0)
    run("--format", "parquet", "--out", str(tmp_path / "a.parquet"))
    schema = pq.read_schema(tmp_path / "a.parquet")
    assert schema.field("published_at").type == pa.timestamp("ms", tz="UTC")
    assert schema.field("views").type == pa.int64()
    assert schema.field("agencies").type == pa.list_(pa.string())
    assert schema.field("story_similarity").type == pa.float64()
    assert schema.field("counts_history").type.value_type.field("at").type == pa.timestamp("ms", tz="UTC")


def test_cursor_gives_disjoint_complete_sets(db, run, tmp_path):
    first = [article_doc(f"http://h/news/{i}") for i in range(5)]
    write_articles(db, first, now=T0)  # one batch: five articles with the same first_seen_at
    code, cursor, _ = run("--format", "jsonl", "--out", str(tmp_path / "1.jsonl"))
    write_articles(db, [article_doc("http://h/news/2", views=9)], now=T0 + timedelta(minutes=1))  # an update
    later = [article_doc(f"http://h/news/{i}") for i in range(5, 8)]
    write_articles(db, later, now=T0 + timedelta(minutes=2))
    code2, cursor2, _ = run("--format", "jsonl", "--out", str(tmp_path / "2.jsonl"), "--after", cursor)
    code3, cursor3, err3 = run("--format", "jsonl", "--out", str(tmp_path / "3.jsonl"), "--after", cursor2)
    assert (code, code2, code3) == (0, 0, 0)

    def urls(name: str) -> list[str]:
        return [json.loads(line)["url"] for line in (tmp_path / name).read_text().splitlines()]

    assert sorted(urls("1.jsonl")) == sorted(d["url"] for d in first)
    assert sorted(urls("2.jsonl")) == sorted(d["url"] for d in later)
    assert urls("3.jsonl") == [] and cursor3 == cursor2 and "exported 0 articles" in err3


def test_cursor_inside_a_group_of_equal_times(db):
    write_articles(db, [article_doc(f"http://h/news/{i}") for i in range(6)], now=T0)
    ids = [d["_id"] for d in db[ARTICLES].find().sort([("_id", 1)])]
    after = Cursor(T0, ids[2])
    query = export.export_query(None, {}, after, datetime.now(UTC))
    assert [d["_id"] for d in read_articles(db, query, after)] == ids[3:]


def test_recent_articles_wait_for_the_lag(db, run, tmp_path):
    write_articles(db, [article_doc("http://h/news/1")], now=T0)
    write_articles(db, [article_doc("http://h/news/2")])  # first seen just now
    _, cursor, err = run("--format", "csv", "--out", str(tmp_path / "a.csv"))
    assert err == (f"exported 1 articles to {tmp_path / 'a.csv'}; 1 more, first seen in the last 60 s (--lag), are "
                   "left for the next export")
    _, _, err = run("--format", "csv", "--out", str(tmp_path / "b.csv"), "--after", cursor, "--lag", "0")
    assert "exported 1 articles" in err


def test_filters(db, run, tmp_path):
    write_articles(db, [article_doc("http://h/a/1", site="wasat", published_at=datetime(2026, 3, 1, 23, tzinfo=UTC)),
                         article_doc("http://h/a/2", site="wasat", published_at=datetime(2026, 3, 2, 1, tzinfo=UTC)),
                         article_doc("http://h/a/3", site="wasat", published_at=datetime(2026, 3, 3, tzinfo=UTC)),
                         article_doc("http://h/a/4", site="nabaa", published_at=datetime(2026, 3, 2, tzinfo=UTC))],
                   now=T0)
    out = tmp_path / "a.jsonl"
    run("--format", "jsonl", "--out", str(out), "--site", "wasat", "--since", "2026-03-02",
         "--until", "2026-03-02")
    assert [json.loads(line)["url"] for line in out.read_text().splitlines()] == ["http://h/a/2"]


def test_empty_store(db, run, tmp_path):
    code, cursor, err = run("--format", "parquet", "--out", str(tmp_path / "a.parquet"))
    assert (code, cursor) == (0, "")
    assert err == f"exported 0 articles: no article matches; {tmp_path / 'a.parquet'} written with no rows"
    assert pq.read_table(tmp_path / "a.parquet").num_rows == 0


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_an_export_that_finds_nothing_leaves_the_file_alone_and_names_the_lag(db, run, tmp_path, fmt):
    """Right after a crawl every article is younger than --lag: before, «exported 0 articles» with no word about the
    lag, and the user's file replaced by an empty one."""
    out = tmp_path / f"articles.{fmt}"
    out.write_bytes(b"last week's export\n")
    write_articles(db, [article_doc(f"http://h/news/{i}") for i in range(3)])  # first seen just now
    code, cursor, err = run("--format", fmt, "--out", str(out))
    assert (code, cursor) == (0, "")
    assert err == ("exported 0 articles: the 3 matching articles were all first seen in the last 60 s (--lag), are "
                   "left for the next export (once no crawl is writing, --lag 0 takes them now); "
                   f"{out} left as it was")
    assert out.read_bytes() == b"last week's export\n" and not list(tmp_path.glob(".*partial"))
    code, cursor, err = run("--format", fmt, "--out", str(out), "--lag", "0")
    assert code == 0 and cursor and err == f"exported 3 articles to {out}"
    code, again, err = run("--format", fmt, "--out", str(out), "--after", cursor)
    assert (code, again) == (0, cursor)
    assert err == (f"exported 0 articles: no article matches after the cursor (--after): nothing new since the last "
                   f"export; {out} left as it was")
    assert out.stat().st_size > len(b"last week's export\n")  # the export of the 3 articles, kept


@pytest.mark.parametrize("args", [["--since", "2026-13-01"], ["--after", "nonsense"], ["--format", "xml"],
                                  ["--since", "2026-03-02", "--until", "2026-03-01"], ["--out", "/no/such/dir/a"]])
def test_usage_errors_exit_2(capsys, args):
    assert run_command("export", "--format", "jsonl", "--out", "a.jsonl", *args) == 2
    assert capsys.readouterr().err.strip().splitlines()[-1].startswith("scrapy export: error:")


def test_unreachable_store_exits_1(run, tmp_path, monkeypatch):
    dead = pymongo.MongoClient("mongodb://127.0.0.1:1/?retryWrites=false", serverSelectionTimeoutMS=200)
    monkeypatch.setattr(export, "connect", lambda config: dead["x"])
    code, cursor, err = run("--format", "jsonl", "--out", str(tmp_path / "a.jsonl"))
    assert (code, cursor) == (1, "")
    assert err.startswith("error: cannot use the store at") and len(err.splitlines()) == 1
    assert not list(tmp_path.iterdir())


def test_help(capsys):
    assert run_command("export", "--help") == 0 and "--after" in capsys.readouterr().out
