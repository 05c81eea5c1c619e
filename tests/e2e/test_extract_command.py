"""`scrapy extract`: saved pages in, one JSON line per input out, errors explained."""

from __future__ import annotations

import json
import subprocess
from datetime import datetime

from tests.support.commands import run_command
from tests.support.crawl import PROJECT_ROOT, SCRAPY
from tests.support.extraction_truth import demo_cases


def _saved_demo_pages(tmp_path, count=3):
    cases = {}
    for case in demo_cases():
        if case.page.site == "sham" and len(cases) < count:  # windows-1256 pages with Levantine dates
            path = tmp_path / f"{len(cases)}.html"
            path.write_bytes(case.page.body)
            cases[path] = case
    return cases


def _lines(capsys):
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_files_in_input_order_with_an_error_line_for_a_bad_one(tmp_path, capsys):
    pages = _saved_demo_pages(tmp_path)
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    missing = tmp_path / "missing.html"
    paths = [*list(pages)[:1], empty, missing, *list(pages)[1:]]
    assert run_command("extract", "--site", "sham", "--workers", "2", *map(str, paths)) == 0
    out = _lines(capsys)
    assert [o["path"] for o in out] == [str(p) for p in paths]
    assert set(out[1]) == {"path", "url", "error"} and set(out[2]) == {"path", "url", "error"}
    first = pages[paths[0]]
    assert out[0]["title"] == first.expected["title"].replace("ـ", "")
    assert datetime.fromisoformat(out[0]["published_at"]) == datetime.fromisoformat(first.expected["published"])
    assert out[0]["views"] == first.expected["views"]


def test_manifest_with_urls_picks_site_rules_by_host(tmp_path, capsys):
    pages = _saved_demo_pages(tmp_path, 2)
    manifest = tmp_path / "pages.jsonl"
    manifest.write_text("".join(json.dumps({"path": str(p), "url": c.page.url}) + "\n" for p, c in pages.items()))
    assert run_command("extract", "--manifest", str(manifest), "--workers", "1") == 0
    out = _lines(capsys)
    assert [o["url"] for o in out] == [c.page.url for c in pages.values()]
    assert all(o["site"] == "sham" and o["published_at_source"] == "visible_text" for o in out)


def test_bad_manifest_line_is_one_clear_error(tmp_path, capsys):
    manifest = tmp_path / "bad.jsonl"
    manifest.write_text('{"url": "no path"}\n')
    assert run_command("extract", "--manifest", str(manifest)) == 2
    assert "bad.jsonl:1" in capsys.readouterr().err


def test_usage_errors_exit_2_without_traceback():
    for args in ([], ["--site", "nosuchsite", "x.html"], ["--url", "http://h/", "a.html", "b.html"],
                 ["--fetched-at", "yesterday", "a.html"], ["--manifest", "m.jsonl", "a.html"], ["a.html", "--bogus"]):
        proc = subprocess.run([*SCRAPY, "extract", *args], cwd=PROJECT_ROOT, capture_output=True, text=True,
                              check=False)
        assert proc.returncode == 2, args
        assert proc.stderr.splitlines()[-1].startswith("scrapy extract: error:") and "Traceback" not in proc.stderr


def test_every_input_failing_is_exit_status_1(tmp_path, capsys):
    """Before, `extract` exited 0 when no input held an article: a script could not tell."""
    empty, missing = tmp_path / "empty.html", tmp_path / "missing.html"
    empty.write_bytes(b"")
    assert run_command("extract", "--workers", "1", str(empty), str(missing)) == 1
    captured = capsys.readouterr()
    assert [set(json.loads(line)) for line in captured.out.splitlines()] == [{"path", "url", "error"}] * 2
    assert captured.err.strip() == "error: no article in any of the 2 inputs"
    pages = _saved_demo_pages(tmp_path, 1)
    assert run_command("extract", "--site", "sham", "--workers", "1", str(empty), *map(str, pages)) == 0  # one did


def test_a_binary_manifest_is_one_error_line(tmp_path):
    """Before, `--manifest` on a binary file was a UnicodeDecodeError traceback."""
    manifest = tmp_path / "pages.jsonl"
    manifest.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe" * 50)
    proc = subprocess.run([*SCRAPY, "extract", "--manifest", str(manifest)], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, check=False)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert proc.stderr.strip().splitlines() == [f"error: {manifest}:1: not UTF-8 text: a manifest is JSONL, one "
                                                '{"path": ..., "url": ...} per line']


def test_workers_must_be_at_least_one(capsys):
    assert run_command("extract", "--workers", "0", "a.html") == 2
    assert capsys.readouterr().err.splitlines()[-1] == "scrapy extract: error: argument --workers: not a positive " \
                                                       "number: '0'"
