"""The public development sets (../shared/devsets, README there): akhbar's full extraction path against plain
trafilatura and htmldate, interleaved page by page in one process, scored as the upstream projects score them.

- web-bodies: trafilatura's tests/evaluate.py (eval_common.count_item): a `with` snippet found in the
  whitespace-collapsed text is a true positive, missing a false negative; a `without` snippet found is a false
  positive, absent a true negative. A page without a body misses all its `with` snippets.
- web-dates: htmldate's tests/evaluation.py: the extracted publication date equals the annotated `date`.
"""

from __future__ import annotations

import gzip
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlparse

from htmldate import find_date
from trafilatura import bare_extraction

from crawler.items import FetchedPage, SiteRules
from crawler.sites import rules_for_url
from pipelines.arabic.normalize import normalize_article
from pipelines.extraction.article import ExtractionError, extract_article
from pipelines.extraction.decode import decode_html

DEVSETS = Path(__file__).resolve().parents[2] / "shared" / "devsets"
BODIES, DATES = "web-bodies", "web-dates"
TRUTH_FILES = {BODIES: "evaldata.json", DATES: "eval_default.json"}
# Later than every page of both sets (the newest is from 2023): relative dates («vor 3 Stunden») resolve against this
# fixed time, never against today, and no true date is implausible (after fetched_at).
FETCHED_AT = datetime(2025, 1, 1, tzinfo=UTC)
AKHBAR, TRAFILATURA, HTMLDATE = "akhbar", "trafilatura", "htmldate"


def norm(text: str) -> str:
    """Whitespace collapsed, as trafilatura's evaluation compares texts."""
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class Snippets:
    """Confusion counts over snippets: `with` found (tp) or missing (fn), `without` found (fp) or absent (tn)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, other: Snippets) -> None:
        self.tp, self.fp, self.fn, self.tn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn, \
            self.tn + other.tn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp + self.fp + self.fn else 0.0

    @property
    def accuracy(self) -> float:
        total = self.tp + self.fp + self.fn + self.tn
        return (self.tp + self.tn) / total if total else 0.0


def score_snippets(text: str | None, with_: list[str], without: list[str]) -> tuple[Snippets, list[str], list[str]]:
    """(counts, `with` snippets missed, `without` snippets leaked) of an extracted text; None or "" is no body."""
    found = norm(text or "")
    missed = [s for s in with_ if not found or norm(s) not in found]
    leaked = [s for s in without if found and norm(s) in found]
    return Snippets(len(with_) - len(missed), len(leaked), len(missed), len(without) - len(leaked)), missed, leaked


@dataclass
class DevPage:
    """One page of a development set: its URL, file name, original bytes and truth entry."""

    set: str
    url: str
    file: str
    body: bytes
    truth: dict[str, Any]


def truth_entries(root: Path, name: str, limit: int | None = None) -> list[tuple[str, dict[str, Any]]]:
    """The (URL, truth) entries of a set, in the file's order; the first `limit` only when given."""
    entries = list(json.loads((root / name / TRUTH_FILES[name]).read_text(encoding="utf-8")).items())
    return entries if limit is None else entries[:limit]


def dev_pages(root: Path, name: str, limit: int | None = None) -> Iterator[DevPage]:
    """The pages of a set, read one at a time (pages/<file>.gz holds the original bytes)."""
    for url, item in truth_entries(root, name, limit):
        body = gzip.decompress((root / name / "pages" / f"{item['file']}.gz").read_bytes())
        yield DevPage(name, url, item["file"], body, item)


@cache
def _rules(host: str) -> SiteRules:
    return rules_for_url(f"https://{host}/") or SiteRules(site=host.removeprefix("www.") or "unknown")


def fetched_page(page: DevPage) -> FetchedPage:
    """The page as a crawl hands it to extraction: no headers (the sets keep none), no hints, generic site rules."""
    rules = _rules(urlparse(page.url).hostname or "")
    return FetchedPage(url=page.url, final_url=page.url, site=rules.site, body=page.body, encoding=None, headers={},
                       fetched_at=FETCHED_AT, rules=rules, hints={})


@dataclass
class Outcome:
    """What one extractor gave for one page."""

    text: str | None = None
    date: str | None = None  # YYYY-MM-DD
    source: str | None = None  # akhbar's published_at_source
    no_body: str | None = None  # why there is no body (ExtractionError, or trafilatura returned nothing)
    crash: str | None = None  # any other exception: a bug
    cpu: float = 0.0


def _timed(run: Callable[[], Outcome]) -> Outcome:
    started = time.process_time()
    try:
        outcome = run()
    except ExtractionError as exc:
        outcome = Outcome(no_body=str(exc) or "ExtractionError")
    except Exception as exc:  # a crash is counted and reported, never fatal to the run
        outcome = Outcome(crash=f"{type(exc).__name__}: {exc}"[:300])
    outcome.cpu = time.process_time() - started
    return outcome


def run_akhbar(page: FetchedPage) -> Outcome:
    """akhbar's full path, as the extraction pool runs it: extract_article, then normalize_article."""
    def run() -> Outcome:
        article = normalize_article(extract_article(page))
        date = (article.published_local or "")[:10] or (article.published_at.date().isoformat()
                                                          if article.published_at else None)
        return Outcome(text=article.body, date=date, source=article.published_at_source if date else None)
    return _timed(run)


def run_trafilatura(html: str, url: str) -> Outcome:
    """Plain trafilatura with its defaults (the issue's baseline), with metadata: its date is htmldate's, as
    trafilatura calls it."""
    def run() -> Outcome:
        doc = bare_extraction(html, url=url, with_metadata=True)
        if doc is None:
            return Outcome(no_body="trafilatura returned nothing")
        return Outcome(text=doc.text, date=doc.date or None, no_body=None if (doc.text or "").strip() else "empty")
    return _timed(run)


def run_htmldate(html: str, url: str) -> Outcome:
    """Plain htmldate, with the options trafilatura's metadata extraction passes it."""
    return _timed(lambda: Outcome(date=find_date(html, url=url, original_date=True, extensive_search=False)))


@dataclass
class Tally:
    """One extractor over one set."""

    pages: int = 0
    cpu: float = 0.0
    snippets: Snippets = field(default_factory=Snippets)
    no_body: int = 0
    dated: int = 0  # pages with a date
    correct: int = 0  # pages whose date is the annotated one
    crashes: list[tuple[str, str]] = field(default_factory=list)
    sources: Counter = field(default_factory=Counter)  # (published_at_source or "none", correct) → pages

    @property
    def pps(self) -> float:
        return self.pages / self.cpu if self.cpu else 0.0

    @property
    def date_accuracy(self) -> float:
        return self.correct / self.pages if self.pages else 0.0


def _count(tally: Tally, outcome: Outcome, url: str, cpu_extra: float = 0.0) -> None:
    tally.pages += 1
    tally.cpu += outcome.cpu + cpu_extra
    if outcome.crash:
        tally.crashes.append((url, outcome.crash))
    elif outcome.no_body:
        tally.no_body += 1


def run_set(root: Path, name: str, limit: int | None, failures: TextIO | None,
            progress: Callable[[str], None]) -> dict[str, Tally]:
    """Every page of a set through akhbar and the baselines, interleaved (the order rotates page by page, so
    neither extractor always runs on a warm or a cold cache). Decoding is timed once and charged to each baseline:
    akhbar decodes inside its own path, so all start from the same bytes."""
    extractors = [AKHBAR, TRAFILATURA] + ([HTMLDATE] if name == DATES else [])
    tallies = {extractor: Tally() for extractor in extractors}
    total = len(truth_entries(root, name, limit))
    for i, page in enumerate(dev_pages(root, name, limit)):
        fetched = fetched_page(page)
        started = time.process_time()
        html = decode_html(page.body, None)[1]
        decode_cpu = time.process_time() - started
        if i == 0:  # warm-up, untimed: lazy imports, caches and tables load on the first page, not in the figures
            run_akhbar(fetched)
            run_trafilatura(html, page.url)
            run_htmldate(html, page.url)
        outcomes: dict[str, Outcome] = {}
        for extractor in extractors[i % len(extractors):] + extractors[:i % len(extractors)]:
            outcomes[extractor] = (run_akhbar(fetched) if extractor == AKHBAR else
                                   run_trafilatura(html, page.url) if extractor == TRAFILATURA else
                                   run_htmldate(html, page.url))
        record: dict[str, Any] = {"set": name, "url": page.url, "file": page.file}
        for extractor in extractors:
            outcome = outcomes[extractor]
            tally = tallies[extractor]
            _count(tally, outcome, page.url, 0.0 if extractor == AKHBAR else decode_cpu)
            result: dict[str, Any] = {"failure": outcome.crash or outcome.no_body}
            if name == BODIES:
                counts, missed, leaked = score_snippets(outcome.text, page.truth["with"], page.truth["without"])
                tally.snippets.add(counts)
                result |= {"body_chars": len(outcome.text or ""), "missed": missed, "leaked": leaked}
            else:
                ok = outcome.date == page.truth["date"]
                tally.dated += outcome.date is not None
                tally.correct += ok
                if extractor == AKHBAR:
                    where = outcome.source or ("no body" if outcome.no_body or outcome.crash else "none")
                    tally.sources[(where, ok)] += 1
                result |= {"date": outcome.date, "ok": ok} | ({"source": outcome.source} if extractor == AKHBAR else {})
            record[extractor] = result
        if name == DATES:
            record["truth"] = page.truth["date"]
        if failures is not None:
            failures.write(json.dumps(record, ensure_ascii=False) + "\n")
        if (i + 1) % 100 == 0 or i + 1 == total:
            progress(f"{name}: {i + 1}/{total} pages")
    return tallies
