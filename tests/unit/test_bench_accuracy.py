"""bench.accuracy: its snippet scoring, and a short run on both public development sets (skipped without them)."""

from __future__ import annotations

import re

import pytest

from bench.accuracy import main
from bench.devsets import DEVSETS, score_snippets

LAST_LINE = re.compile(r"bodies_f1=(\d\.\d{3}) bodies_f1_trafilatura=(\d\.\d{3}) dates=(\d\.\d{3}) "
                       r"dates_htmldate=(\d\.\d{3}) pps=(\d+\.\d) pps_trafilatura=(\d+\.\d)")


def test_snippets_found_missing_and_leaked() -> None:
    text = "Der  Minister\nsagte am Montag:\tnichts.\nImpressum | Kontakt"
    counts, missed, leaked = score_snippets(text, ["Minister sagte am Montag:", "nicht gesagt"],
                                            ["Impressum", "Datenschutz"])
    assert (counts.tp, counts.fn, counts.fp, counts.tn) == (1, 1, 1, 1)
    assert missed == ["nicht gesagt"] and leaked == ["Impressum"]
    assert (counts.precision, counts.recall, counts.f1, counts.accuracy) == (0.5, 0.5, 0.5, 0.5)
    # a page without a body: every `with` snippet missed, every `without` snippet absent
    for nothing in (None, ""):
        counts, missed, leaked = score_snippets(nothing, ["a b"], ["c"])
        assert (counts.tp, counts.fn, counts.fp, counts.tn) == (0, 1, 0, 1) and missed == ["a b"] and leaked == []
        assert counts.f1 == 0.0


def test_short_run_on_both_devsets(capsys: pytest.CaptureFixture[str], tmp_path) -> None:
    if not (DEVSETS / "web-bodies").is_dir() or not (DEVSETS / "web-dates").is_dir():
        pytest.skip(f"public development sets not found at {DEVSETS}")
    failures = tmp_path / "failures.jsonl"
    assert main(["--sets", "web-bodies,web-dates", "--limit", "5", "--failures", str(failures)]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    match = LAST_LINE.fullmatch(last)
    assert match, last
    *scores, pps, pps_trafilatura = map(float, match.groups())
    assert all(0.0 <= value <= 1.0 for value in scores)
    assert pps > 0 and pps_trafilatura > 0
    assert len(failures.read_text(encoding="utf-8").splitlines()) == 10


def test_missing_devsets_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], tmp_path) -> None:
    assert main(["--devsets", str(tmp_path / "absent"), "--sets", "web-bodies"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "not found" in err[0]
