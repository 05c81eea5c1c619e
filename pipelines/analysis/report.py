"""`scrapy report`: a coverage picture of the store, as two PNG charts and an HTML page.

Days are UTC. An article's day is its publication day; an article without a publication date counts on the
day it was fetched, so that a site that stops yielding dates shows as a falling date-coverage line instead of
vanishing from the picture. The articles-per-day chart and the missing-days table count dated articles only.
"""

from __future__ import annotations

import html
import statistics
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from pymongo.database import Database

from pipelines.analysis.days import day_range
from pipelines.analysis.report_charts import (
    COVERAGE,
    DAILY_MAX_SPAN_DAYS,
    DAILY_MIN_ARTICLES,
    articles_chart,
    bucket_start,
    coverage_chart,
)
from pipelines.storage.articles import ARTICLES, connect
from pipelines.storage.config import StoreConfig

ARTICLES_PNG = "articles_per_day.png"
COVERAGE_PNG = "field_coverage.png"
COUNTS = ("articles", "dated", "views", "agency", "author")


def _flag(condition: dict[str, Any]) -> dict[str, Any]:
    return {"$cond": [condition, 1, 0]}


def day_counts(db: Database, sites: list[str] | None, since: date | None,
               until: date | None) -> dict[str, dict[date, dict[str, int]]]:
    """site → day → counts of articles, and of those with a date, views, an agency (or staff dateline), an author."""
    match: dict[str, Any] = {"site": {"$in": sites}} if sites else {}
    if since or until:
        days = day_range(since, until)
        match["$or"] = [{"published_at": days}, {"published_at": None, "fetched_at": days}]
    pipeline = [
        {"$match": match},
        {"$project": {
            "site": 1,
            "day": {"$dateToString": {"format": "%Y-%m-%d", "date": {"$ifNull": ["$published_at", "$fetched_at"]}}},
            "dated": _flag({"$eq": [{"$type": "$published_at"}, "date"]}),
            "views": _flag({"$in": [{"$type": "$views"}, ["int", "long", "double"]]}),
            "agency": _flag({"$or": [{"$gt": [{"$size": {"$ifNull": ["$agencies", []]}}, 0]},
                                     {"$eq": ["$agency_is_staff", True]}]}),
            "author": _flag({"$eq": [{"$type": "$author"}, "string"]}),
        }},
        {"$match": {"day": {"$type": "string"}}},
        {"$group": {"_id": {"site": "$site", "day": "$day"}, "articles": {"$sum": 1},
                    **{key: {"$sum": f"${key}"} for key in COUNTS[1:]}}},
    ]
    found: dict[str, dict[date, dict[str, int]]] = defaultdict(dict)
    for row in db[ARTICLES].aggregate(pipeline):
        found[row["_id"]["site"]][date.fromisoformat(row["_id"]["day"])] = {k: row[k] for k in COUNTS}
    return dict(found)


def coverage(counts: Mapping[str, Mapping[date, Mapping[str, int]]],
             weekly: bool) -> dict[str, dict[date, dict[str, float]]]:
    """site → bucket → % of the bucket's articles with each field."""
    result: dict[str, dict[date, dict[str, float]]] = {}
    for site, days in counts.items():
        sums: dict[date, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTS, 0))
        for day, row in days.items():
            bucket = sums[bucket_start(day, weekly)]
            for key in COUNTS:
                bucket[key] += row[key]
        result[site] = {b: {key: 100 * s[key] / s["articles"] for key, _ in COVERAGE} for b, s in sums.items()}
    return result


def dated_days(counts: Mapping[str, Mapping[date, Mapping[str, int]]]) -> dict[str, dict[date, int]]:
    """site → publication day → dated articles (days without any left out)."""
    return {site: {d: row["dated"] for d, row in days.items() if row["dated"]} for site, days in counts.items()}


def missing_runs(days: Mapping[date, int], first: date, last: date) -> list[tuple[date, date]]:
    """The runs of consecutive days from first to last with no article, as (from, to) pairs."""
    runs: list[tuple[date, date]] = []
    day = first
    while day <= last:
        if days.get(day):
            day += timedelta(days=1)
            continue
        start = day
        while day <= last and not days.get(day):
            day += timedelta(days=1)
        runs.append((start, day - timedelta(days=1)))
    return runs


@dataclass(frozen=True)
class SiteLine:
    """One site's row of the summary table."""

    site: str
    articles: int
    undated: int
    first: date | None
    last: date | None
    missing: list[tuple[date, date]]


def site_lines(counts: Mapping[str, Mapping[date, Mapping[str, int]]], since: date | None,
               until: date | None) -> list[SiteLine]:
    """Per site: totals, the span of publication days, and the runs of days without articles in it."""
    lines = []
    dated = dated_days(counts)
    for site, days in sorted(counts.items()):
        first = since or min(dated[site], default=None)
        last = until or max(dated[site], default=None)
        runs = missing_runs(dated[site], first, last) if first and last else []
        total = sum(r["articles"] for r in days.values())
        lines.append(SiteLine(site, total, total - sum(r["dated"] for r in days.values()), first, last, runs))
    return lines


def _table(head: list[str], rows: list[list[Any]]) -> str:
    cells = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"


def html_page(lines: list[SiteLine], generated: datetime, scope: str) -> str:
    """The report page: both charts, the per-site summary and the table of days without articles."""
    summary = _table(["site", "articles", "without date", "first day", "last day", "days without articles"],
                     [[s.site, s.articles, s.undated, s.first or "—", s.last or "—",
                       sum((b - a).days + 1 for a, b in s.missing)] for s in lines])
    gaps = [[s.site, a, b, (b - a).days + 1] for s in lines for a, b in s.missing]
    missing = _table(["site", "from", "to", "days"], gaps) if gaps else "<p>Every site has articles on every day.</p>"
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>akhbar coverage report</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:1300px}} img{{max-width:100%}}
table{{border-collapse:collapse;margin:1em 0}} td,th{{border:1px solid #ccc;padding:.25em .6em;text-align:left}}
th{{background:#f3f3f3}}</style></head><body>
<h1>akhbar coverage report</h1>
<p>{html.escape(scope)}. Generated {generated:%Y-%m-%d %H:%M} UTC. Days are UTC publication days; an article
without a publication date counts in the coverage chart on the day it was fetched.</p>
<h2>Articles per day</h2><img src="{ARTICLES_PNG}" alt="articles per publication day per site">
<h2>Field coverage</h2><img src="{COVERAGE_PNG}" alt="share of articles with date, views, agency, author">
<h2>Sites</h2>{summary}
<h2>Days without articles</h2>{missing}
</body></html>
"""


def write_report(db: Database, out: Path, sites: list[str] | None = None, since: date | None = None,
                 until: date | None = None) -> list[SiteLine] | None:
    """Write the two charts and index.html into out; None (and nothing written) when no article matches."""
    counts = day_counts(db, sites, since, until)
    if not counts:
        return None
    lines = site_lines(counts, since, until)
    all_days = [d for days in counts.values() for d in days]
    first, last = since or min(all_days), until or max(all_days)
    out.mkdir(parents=True, exist_ok=True)
    articles_chart(dated_days(counts), {s.site: s.missing for s in lines}, first, last, out / ARTICLES_PNG)
    weekly = (last - first).days > DAILY_MAX_SPAN_DAYS or statistics.median(
        r["articles"] for days in counts.values() for r in days.values()) < DAILY_MIN_ARTICLES
    coverage_chart(coverage(counts, weekly), weekly, out / COVERAGE_PNG)
    scope = f"Sites: {', '.join(sites) if sites else 'all'}; days {first} to {last}"
    (out / "index.html").write_text(html_page(lines, datetime.now(UTC), scope), encoding="utf-8")
    return lines


def report_store(config: StoreConfig, out: Path, sites: list[str] | None = None, since: date | None = None,
                 until: date | None = None) -> list[SiteLine] | None:
    """write_report on the configured store."""
    return write_report(connect(config), out, sites, since, until)
