"""`scrapy extract`: saved HTML pages through the crawl's own extraction and normalization, one result per page."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

from crawler.items import FetchedPage, SiteRules
from pipelines.arabic.normalize import normalize_article
from pipelines.extraction.article import ExtractionError, extract_article


class InputError(ValueError):
    """An input line or file that cannot be used."""


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def extract_file(job: dict[str, Any]) -> dict[str, Any]:
    """Extract one saved page (a job of page_jobs); errors come back as {"path", "url", "error"}."""
    path, url = job["path"], job["url"]
    try:
        body = Path(path).read_bytes()
        rules = job["rules"]
        page = FetchedPage(url=url, final_url=url, site=rules.site, body=body, encoding=None,
                           headers={"Content-Type": job["content_type"]} if job.get("content_type") else {},
                           fetched_at=job["fetched_at"], rules=rules)
        article = normalize_article(extract_article(page))
    except (OSError, ExtractionError) as exc:
        return {"path": path, "url": url, "error": str(exc)}
    return {"path": path, **{k: _jsonable(v) for k, v in asdict(article).items()}}


def manifest_entries(manifest: Path) -> list[dict[str, Any]]:
    """The pages a JSONL manifest lists, one {"path", "url", "site", "content_type"} per line (url and the others
    optional); InputError for a line that is not one or a file that is not UTF-8 text, OSError when the file cannot
    be read."""
    entries = []
    with manifest.open("rb") as lines:
        for number, raw in enumerate(lines, 1):
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                raise InputError(f"{manifest}:{number}: not UTF-8 text: a manifest is JSONL, one "
                                 "{\"path\": ..., \"url\": ...} per line") from None
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
                entries.append({"path": str(entry["path"]), "url": entry.get("url"), "site": entry.get("site"),
                                "content_type": entry.get("content_type")})
            except (ValueError, KeyError, TypeError) as exc:
                raise InputError(f"{manifest}:{number}: expected {{\"path\": ..., \"url\": ...}}: "
                                 f"{str(exc)[:120]}") from exc
    return entries


def page_jobs(entries: list[dict[str, Any]], rules: SiteRules | None, fetched_at: datetime,
              rules_for_url: Callable[[str], SiteRules | None]) -> list[dict[str, Any]]:
    """The extraction job of each entry: its URL (the file's own when none is given), and the rules given, else those
    of the site spider for the URL's host (rules_for_url), else bare rules named after the entry's site."""
    jobs = []
    for entry in entries:
        url = entry.get("url") or Path(entry["path"]).resolve().as_uri()
        page_rules = rules or rules_for_url(url) or SiteRules(site=entry.get("site") or "unknown")
        jobs.append({**entry, "url": url, "rules": page_rules, "fetched_at": fetched_at})
    return jobs


def extract_files(jobs: list[dict[str, Any]], workers: int) -> Iterator[dict[str, Any]]:
    """extract_file of every job, in input order; in a pool of worker processes when there are several of each."""
    if workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            try:
                yield from pool.map(extract_file, jobs, chunksize=4)
            finally:  # a reader that stopped early (`| head`): the pages not extracted yet are not extracted
                pool.shutdown(cancel_futures=True)
    else:
        yield from map(extract_file, jobs)
