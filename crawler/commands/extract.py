"""`python -m pipelines.extract_articles`: extract saved pages with the crawl's own code path, one JSON line per input."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crawler.items import FetchedPage, SiteRules
from crawler.sites import rules_for_site, rules_for_url, site_names
from pipelines.arabic.normalize import normalize_article
from pipelines.extraction.article import ExtractionError, extract_article


class InputError(ValueError):
    """An input line or file that cannot be used."""


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def extract_file(job: dict[str, Any]) -> dict[str, Any]:
    """Extract one saved page; errors come back as {"path", "url", "error"}."""
    path, url = job["path"], job.get("url") or Path(job["path"]).resolve().as_uri()
    try:
        body = Path(path).read_bytes()
        rules = job["rules"] or rules_for_url(url) or SiteRules(site=job.get("site") or "unknown")
        page = FetchedPage(url=url, final_url=url, site=rules.site, body=body, encoding=None,
                           headers={"Content-Type": job["content_type"]} if job.get("content_type") else {},
                           fetched_at=job["fetched_at"], rules=rules)
        article = normalize_article(extract_article(page))
    except (OSError, ExtractionError) as exc:
        return {"path": path, "url": url, "error": str(exc)}
    return {"path": path, **{k: _jsonable(v) for k, v in asdict(article).items()}}


def _manifest_jobs(manifest: Path) -> Iterator[dict[str, Any]]:
    with manifest.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
                yield {"path": str(entry["path"]), "url": entry.get("url"), "site": entry.get("site"),
                       "content_type": entry.get("content_type")}
            except (ValueError, KeyError, TypeError) as exc:
                raise InputError(f"{manifest}:{number}: expected {{\"path\": ..., \"url\": ...}}: {exc}") from exc


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pipelines.extract_articles",
        description="Extract articles from saved HTML pages exactly as the crawl does; prints one JSON object "
                    "per input (JSONL), in input order. Pages that hold no article print {path, url, error}.")
    parser.add_argument("files", nargs="*", type=Path, metavar="FILE", help="saved HTML pages")
    parser.add_argument("--manifest", type=Path, help='JSONL file, one {"path": ..., "url": ...} per line')
    parser.add_argument("--url", help="the page's original URL (one FILE only)")
    parser.add_argument("--site", help=f"apply this site's rules (known: {', '.join(site_names())})")
    parser.add_argument("--fetched-at", help="fetch time for relative dates such as «منذ ساعة» (ISO-8601; "
                                             "default: now)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="worker processes")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = _parser()
    args = parser.parse_args(argv)
    if bool(args.files) == bool(args.manifest):
        parser.error("give FILE arguments or --manifest, not both or neither")
    if args.url and len(args.files) != 1:
        parser.error("--url applies to exactly one FILE")
    try:
        rules = rules_for_site(args.site) if args.site else None
    except KeyError:
        parser.error(f"unknown site {args.site!r}; known: {', '.join(site_names())}")
    try:
        fetched_at = datetime.fromisoformat(args.fetched_at) if args.fetched_at else datetime.now(UTC)
    except ValueError:
        parser.error(f"--fetched-at must be ISO-8601, got {args.fetched_at!r}")
    if fetched_at.tzinfo is None:
        fetched_at = fetched_at.replace(tzinfo=UTC)
    try:
        jobs = list(_manifest_jobs(args.manifest)) if args.manifest else \
            [{"path": str(f), "url": args.url, "site": args.site} for f in args.files]
    except (OSError, InputError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for job in jobs:
        job["rules"] = rules
        job["fetched_at"] = fetched_at
    out = sys.stdout
    if args.workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(max_workers=args.workers) as pool:
            for result in pool.map(extract_file, jobs, chunksize=4):
                out.write(json.dumps(result, ensure_ascii=False) + "\n")
    else:
        for result in map(extract_file, jobs):
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
