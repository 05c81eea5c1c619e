"""`scrapy reextract`: rebuild stored articles from their raw pages with today's extraction, offline.

Each raw page (pipelines.storage.raw_pages) goes through extraction and normalization again, with today's rules for
its site (the command passes crawler.sites.rules_for_site); the result is compared field by field with the stored
article and only the fields that differ are $set (with fetched_at, the time of the page they now come from, and
reextracted_at). Not touched: first_seen_at and last_seen_at (crawl times), counts_history, and the story fields,
which the stories pipeline assigns at ingestion. A raw page older than its article (the article came from a later
fetch whose page was not kept) is skipped.
"""

from __future__ import annotations

import sys
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, timedelta
from typing import Any, TextIO

from pymongo import UpdateOne
from pymongo.database import Database
from tqdm import tqdm

from crawler.items import Article, SiteRules
from pipelines.analysis.days import day_range
from pipelines.arabic.normalize import normalize_article
from pipelines.extraction.article import ExtractionError, extract_article
from pipelines.extraction.pool import make_pool, timed_out, within_cpu
from pipelines.storage.articles import ARTICLES, connect
from pipelines.storage.batch_write import same_stored_value
from pipelines.storage.config import StoreConfig
from pipelines.storage.raw_pages import RAW_PAGES, page_from_document

STORY_FIELDS = ("story_id", "duplicate_of", "story_similarity")
# What extraction and normalization produce; fetched_at is where the page came from, not a result.
EXTRACTED_FIELDS = tuple(f.name for f in fields(Article) if f.name not in (*STORY_FIELDS, "fetched_at"))
CHUNK = 200
PROGRESS_EVERY_S = 10.0  # seconds between progress lines when stderr is not a terminal
_MS = timedelta(milliseconds=1)  # MongoDB keeps milliseconds


@dataclass
class Report:
    """What a re-extraction found: pages read, articles changed, and how often each field changed."""

    pages: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    not_stored: int = 0
    stale: int = 0
    fields: Counter[str] = field(default_factory=Counter)


def reextract_page(job: dict[str, Any]) -> dict[str, Any] | str:
    """Run in a worker: the extracted fields of one raw page within job["cpu_seconds"] of CPU time (EXTRACT_TIMEOUT,
    0: no limit), or why there is no article in it."""
    fields_or_why = within_cpu(job["cpu_seconds"], _extract_fields, job)
    return timed_out(job["cpu_seconds"]).message if fields_or_why is None else fields_or_why


def _extract_fields(job: dict[str, Any]) -> dict[str, Any] | str:
    try:
        article = normalize_article(extract_article(page_from_document(job["doc"], job["rules"])))
    except ExtractionError as exc:
        return f"no article: {exc}"
    except Exception as exc:  # one bad page must not stop a run over years of pages
        return f"crash: {type(exc).__name__}: {exc}"
    return {name: getattr(article, name) for name in EXTRACTED_FIELDS}


def changed_fields(extracted: Mapping[str, Any], stored: Mapping[str, Any]) -> list[str]:
    """The extracted fields whose value differs from the stored article."""
    return [name for name in EXTRACTED_FIELDS if not same_stored_value(extracted.get(name), stored.get(name))]


def _chunks(docs: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for doc in docs:
        chunk.append(doc)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Rules(dict[str, SiteRules]):
    """Each site's rules, looked up once: today's rules of its spider, or none for a site of the generic spider."""

    def __init__(self, rules_for_site: Callable[[str], SiteRules]) -> None:
        super().__init__()
        self.rules_for_site = rules_for_site

    def __missing__(self, site: str) -> SiteRules:
        try:
            rules = self.rules_for_site(site)
        except KeyError:  # a site crawled with the generic spider
            rules = SiteRules(site=site)
        self[site] = rules
        return rules


def reextract(db: Database, query: dict[str, Any], rules_for_site: Callable[[str], SiteRules], workers: int = 0,
              write: bool = True, progress: tqdm | ProgressLines | None = None, cpu_seconds: float = 0) -> Report:
    """Re-extract the raw pages matching query with the rules of their sites (rules_for_site: KeyError for a site
    without rules of its own), each within cpu_seconds of CPU time (0: no limit), and update the articles that
    changed; returns the report."""
    report, rules, progress = Report(), _Rules(rules_for_site), progress or tqdm(disable=True)
    now = datetime.now(UTC)
    pool = make_pool(workers if workers > 1 else 0)
    in_flight: deque[tuple[list[dict[str, Any]], list[Any]]] = deque()
    try:
        for chunk in _chunks(db[RAW_PAGES].find(query).batch_size(CHUNK), CHUNK):
            jobs = [{"doc": raw, "rules": rules[raw["site"]], "cpu_seconds": cpu_seconds} for raw in chunk]
            in_flight.append((chunk, [pool.submit(reextract_page, job) for job in jobs] if pool
                              else list(map(reextract_page, jobs))))
            # One chunk ahead: the workers extract the next chunk while this process compares and writes.
            if len(in_flight) > 1:
                _apply(db, report, *in_flight.popleft(), now, write, progress)
        while in_flight:
            _apply(db, report, *in_flight.popleft(), now, write, progress)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return report


def _apply(db: Database, report: Report, chunk: list[dict[str, Any]], results: list[Any], now: datetime,
           write: bool, progress: tqdm | ProgressLines) -> None:
    stored = {d["url_hash"]: d for d in db[ARTICLES].find(
        {"url_hash": {"$in": [raw["_id"] for raw in chunk]}}, [*EXTRACTED_FIELDS, "fetched_at"])}
    ops = []
    for raw, result in zip(chunk, results, strict=True):
        extracted = result.result() if isinstance(result, Future) else result
        if op := _update(report, raw, extracted, stored.get(raw["_id"]), now):
            ops.append(op)
    if ops and write:
        db[ARTICLES].bulk_write(ops, ordered=False)
    progress.update(len(chunk))


def _update(report: Report, raw: Mapping[str, Any], result: dict[str, Any] | str,
            article: Mapping[str, Any] | None, now: datetime) -> UpdateOne | None:
    report.pages += 1
    if article is None:
        report.not_stored += 1
    elif isinstance(result, str):
        report.failed += 1
    elif article.get("fetched_at") and raw["fetched_at"] < article["fetched_at"] - _MS:
        report.stale += 1
    elif changed := changed_fields(result, article):
        report.changed += 1
        report.fields.update(changed)
        fresh = {name: result[name] for name in changed}
        return UpdateOne({"url_hash": raw["_id"]},
                         {"$set": {**fresh, "fetched_at": raw["fetched_at"], "reextracted_at": now}})
    else:
        report.unchanged += 1
    return None


def format_report(report: Report, write: bool = True) -> str:
    """The report as printable lines: outcome counts, then changes per field."""
    lines = [f"{'raw pages read':<22}{report.pages:>8}",
             f"{'articles changed':<22}{report.changed:>8}{'' if write else '  (dry run: nothing written)'}",
             f"{'unchanged':<22}{report.unchanged:>8}",
             f"{'no article extracted':<22}{report.failed:>8}",
             f"{'no stored article':<22}{report.not_stored:>8}",
             f"{'page older than stored':<22}{report.stale:>8}"]
    if report.fields:
        lines += ["", f"{'field':<22}{'changed':>8}"]
        lines += [f"{name:<22}{count:>8}" for name, count in sorted(report.fields.items(), key=lambda i: (-i[1], i[0]))]
    return "\n".join(lines)


def raw_pages_query(sites: list[str] | None, since: date | None) -> dict[str, Any]:
    """The raw pages of these sites (all when None) fetched on or after the UTC day since."""
    query: dict[str, Any] = {}
    if sites:
        query["site"] = {"$in": sites}
    if since:
        query["fetched_at"] = day_range(since, None)
    return query


class ProgressLines:
    """Progress for a stderr that is not a terminal (a log file, cron mail): a line when the run starts, then one
    every PROGRESS_EVERY_S seconds with the pages done, the rate and the time left; the update() of a tqdm bar."""

    def __init__(self, total: int, out: TextIO | None = None, every: float | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.total, self.done, self.out, self.clock = total, 0, out or sys.stderr, clock
        self.every = PROGRESS_EVERY_S if every is None else every
        self.started = self.last = clock()
        self._say(f"reextract: {total} raw pages to read")

    def update(self, n: int) -> None:
        self.done += n
        now = self.clock()
        if now - self.last >= self.every and self.done < self.total:
            self.last = now
            rate = self.done / max(now - self.started, 1e-9)
            left = (self.total - self.done) / rate if rate else 0
            self._say(f"reextract: {self.done} of {self.total} raw pages ({100 * self.done / self.total:.0f}%), "
                      f"{rate:.0f} pages/s, about {timedelta(seconds=round(left))} left")

    def _say(self, line: str) -> None:
        print(line, file=self.out, flush=True)


def reextract_store(config: StoreConfig, query: dict[str, Any], rules_for_site: Callable[[str], SiteRules],
                    workers: int = 0, write: bool = True, progress: bool = False, cpu_seconds: float = 0) -> Report:
    """reextract on the configured store, with a progress bar on stderr when progress is True (a terminal), else
    progress lines (ProgressLines)."""
    db = connect(config)
    total = db[RAW_PAGES].count_documents(query)
    if not progress:
        return reextract(db, query, rules_for_site, workers, write=write, progress=ProgressLines(total),
                         cpu_seconds=cpu_seconds)
    with tqdm(total=total, unit=" pages", file=sys.stderr) as bar:
        return reextract(db, query, rules_for_site, workers, write=write, progress=bar, cpu_seconds=cpu_seconds)
