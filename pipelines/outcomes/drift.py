"""Coverage drift: the share of a run's articles that have each field, against the site's recent runs.

Pure functions: the crawl stats a run counted, the run records it is compared with, and the verdict.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

STAT_DRIFT = "akhbar/drift/fields"  # how many fields drifted in this run: the crawl commands exit 3 when not 0
STAT_PREFIX = "akhbar/coverage/"
STAT_TOTAL = STAT_PREFIX + "articles"
BODY_MIN_CHARS = 200  # a body shorter than this is what a broken body extraction leaves
# Date sources read from the page itself; sitemap/feed/listing hints and htmldate's guess are fallbacks.
PAGE_DATE_SOURCES = frozenset({"jsonld", "meta", "visible_text", "url"})

FIELDS: dict[str, Callable[[Any], bool]] = {
    "published_at": lambda a: a.published_at is not None,
    "published_on_page": lambda a: a.published_at is not None and a.published_at_source in PAGE_DATE_SOURCES,
    "views": lambda a: a.views is not None,
    "agency": lambda a: bool(a.agencies) or a.agency_is_staff,
    "author": lambda a: bool(a.author),
    "title": lambda a: bool(a.title),
    "body": lambda a: len(a.body or "") >= BODY_MIN_CHARS,
}


@dataclass(frozen=True)
class DriftRules:
    """When a drop is an alarm: DRIFT_MAX_DROP, DRIFT_MIN_ARTICLES and DRIFT_RUNS."""

    max_drop: float
    min_articles: int
    runs: int


@dataclass(frozen=True)
class Drift:
    """One field whose coverage fell: the baseline (median of recent runs) and this run's share."""

    field: str
    baseline: float
    now: float

    def as_document(self) -> dict[str, Any]:
        """The `{field, baseline, now}` entry of the run record's `drift` list."""
        return {"field": self.field, "baseline": self.baseline, "now": self.now}


def fields_present(article: Any) -> list[str]:
    """The coverage fields an Article has."""
    return [name for name, has in FIELDS.items() if has(article)]


def coverage_from_stats(stats: Mapping[str, Any]) -> tuple[dict[str, float], int]:
    """The run's coverage (field → share of its articles, 4 decimals) and the number of articles counted."""
    total = int(stats.get(STAT_TOTAL) or 0)
    if not total:
        return {}, 0
    return {name: round(int(stats.get(STAT_PREFIX + name) or 0) / total, 4) for name in FIELDS}, total


def baseline(runs: Sequence[Mapping[str, Any]]) -> dict[str, float]:
    """Per field, the median coverage of the given run records (each field over the runs that recorded it)."""
    values: dict[str, list[float]] = {}
    for run in runs:
        for name, share in (run.get("coverage") or {}).items():
            values.setdefault(name, []).append(share)
    return {name: round(statistics.median(shares), 4) for name, shares in values.items()}


def find_drift(coverage: Mapping[str, float], articles: int, recent: Sequence[Mapping[str, Any]],
               rules: DriftRules) -> list[Drift] | None:
    """The fields whose coverage fell more than max_drop below the recent runs' median; None when the run
    cannot be judged (fewer than min_articles articles, or no recent run with that many)."""
    recent = [r for r in recent if (r.get("coverage_n") or 0) >= rules.min_articles][:rules.runs]
    if articles < rules.min_articles or not recent:
        return None
    before = baseline(recent)
    return [Drift(name, before[name], share) for name, share in coverage.items()
            if name in before and round(before[name] - share, 6) > rules.max_drop]
