"""`scrapy report`: day counts, coverage, missing days, and the PNG and HTML files."""

from __future__ import annotations

import struct
from datetime import UTC, date, datetime, timedelta

import pymongo
import pytest

from pipelines.analysis import report
from pipelines.analysis.report import coverage, day_counts, missing_runs
from pipelines.storage.batch_write import write_articles
from tests.support.articles import article_doc, own_database
from tests.support.commands import run_command

D0 = datetime(2026, 3, 1, 10, tzinfo=UTC)


@pytest.fixture
def db(store_db):
    with own_database(store_db, "report") as fresh:
        yield fresh


@pytest.fixture
def run(store_env, db):
    """`scrapy report args...` on the test database, in this process; returns its exit status."""
    return lambda *args: run_command("report", *args, settings={**store_env, "MONGO_DATABASE": db.name})


def _fill(db) -> None:
    """nabaa: 2026-03-01..10 without 03-04..03-05, one undated article fetched on 03-02; wasat: 03-01 and 03-10."""
    docs = []
    for day in range(10):
        if day in (3, 4):
            continue
        for n in range(2):
            docs.append(article_doc(f"http://n/{day}/{n}", published_at=D0 + timedelta(days=day),
                                    author="كاتب" if n else None, views=None if day >= 7 else 10))
    docs.append(article_doc("http://n/undated", published_at=None, fetched_at=D0 + timedelta(days=1)))
    docs += [article_doc(f"http://w/{day}", site="wasat", published_at=D0 + timedelta(days=day), agencies=[])
             for day in (0, 9)]
    write_articles(db, docs)


def test_day_counts_and_coverage(db):
    _fill(db)
    counts = day_counts(db, None, None, None)
    assert sorted(counts) == ["nabaa", "wasat"]
    assert counts["nabaa"][date(2026, 3, 2)] == {"articles": 3, "dated": 2, "views": 3, "agency": 3, "author": 1}
    assert date(2026, 3, 4) not in counts["nabaa"]
    share = coverage(counts, weekly=False)
    assert share["nabaa"][date(2026, 3, 2)]["dated"] == pytest.approx(200 / 3)
    assert share["nabaa"][date(2026, 3, 9)]["views"] == 0
    assert share["wasat"][date(2026, 3, 1)] == {"dated": 100, "views": 100, "agency": 0, "author": 0}
    weekly = coverage(counts, weekly=True)  # 2026-03-01 is a Sunday: its week starts on 02-23
    assert sorted(weekly["nabaa"]) == [date(2026, 2, 23), date(2026, 3, 2), date(2026, 3, 9)]
    assert day_counts(db, ["wasat"], date(2026, 3, 2), date(2026, 3, 9)) == {}


def test_missing_runs():
    days = {date(2026, 3, d): 1 for d in (2, 3, 6, 9)}
    assert missing_runs(days, date(2026, 3, 1), date(2026, 3, 10)) == [
        (date(2026, 3, 1), date(2026, 3, 1)), (date(2026, 3, 4), date(2026, 3, 5)),
        (date(2026, 3, 7), date(2026, 3, 8)), (date(2026, 3, 10), date(2026, 3, 10))]
    assert missing_runs(days, date(2026, 3, 2), date(2026, 3, 3)) == []


def _png_size(path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


def test_report_files(db, run, tmp_path, capsys):
    _fill(db)
    out = tmp_path / "report"
    assert run("--out", str(out), "--since", "2026-03-01", "--until", "2026-03-10") == 0
    assert "19 articles, 2 sites" in capsys.readouterr().out
    for name in (report.ARTICLES_PNG, report.COVERAGE_PNG):
        width, height = _png_size(out / name)
        assert width > 800 and height > 300
    page = (out / "index.html").read_text(encoding="utf-8")
    assert f'<img src="{report.ARTICLES_PNG}"' in page and f'<img src="{report.COVERAGE_PNG}"' in page
    assert "<td>nabaa</td><td>2026-03-04</td><td>2026-03-05</td><td>2</td>" in page
    assert "<td>wasat</td><td>2026-03-02</td><td>2026-03-09</td><td>8</td>" in page
    assert "<td>nabaa</td><td>17</td><td>1</td><td>2026-03-01</td><td>2026-03-10</td><td>2</td>" in page


def test_no_articles_is_one_clear_error(run, tmp_path, capsys):
    assert run("--out", str(tmp_path / "r")) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: no articles") and len(err.splitlines()) == 1
    assert not (tmp_path / "r").exists()


def test_unreachable_store_exits_1(run, tmp_path, capsys, monkeypatch):
    dead = pymongo.MongoClient("mongodb://127.0.0.1:1/?retryWrites=false", serverSelectionTimeoutMS=200)
    monkeypatch.setattr(report, "connect", lambda config: dead["x"])
    assert run("--out", str(tmp_path / "r")) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: cannot use the store at") and len(err.splitlines()) == 1


@pytest.mark.parametrize("args", [["--since", "1.3.2026"], ["--until", "2026-02-30"], [],
                                  ["--since", "2026-03-02", "--until", "2026-03-01"]])
def test_usage_errors_exit_2(args, tmp_path, capsys):
    assert run_command("report", *([*args] if not args else ["--out", str(tmp_path), *args])) == 2
    assert capsys.readouterr().err.strip().splitlines()[-1].startswith("scrapy report: error:")
