"""The coverage drift alarm: at the end of a run, the field coverage pipeline 120 counted is compared with the
site's recent runs (pipelines.outcomes.drift); each drop is logged as an error and counted in STAT_DRIFT."""

from __future__ import annotations

import logging
from typing import Any

import pymongo
from pymongo.collection import Collection
from pymongo.errors import PyMongoError
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings

from pipelines.outcomes.drift import STAT_DRIFT, DriftRules, coverage_from_stats, find_drift

logger = logging.getLogger(__name__)


def drift_rules(settings: BaseSettings) -> DriftRules:
    """DRIFT_MAX_DROP, DRIFT_MIN_ARTICLES and DRIFT_RUNS from the settings."""
    return DriftRules(settings.getfloat("DRIFT_MAX_DROP"), settings.getint("DRIFT_MIN_ARTICLES"),
                      settings.getint("DRIFT_RUNS"))


def recent_runs(runs: Collection, site: str, mode: str | None, rules: DriftRules) -> list[dict[str, Any]]:
    """The site's latest finished runs in this mode that counted enough articles, newest first."""
    return list(runs.find({"site": site, "mode": mode, "status": "finished",
                           "coverage_n": {"$gte": rules.min_articles}}, {"coverage": 1, "coverage_n": 1},
                          sort=[("started_at", pymongo.DESCENDING)], limit=rules.runs))


def judge_run(runs: Collection, crawler: Crawler, site: str, mode: str | None) -> dict[str, Any]:
    """The run record's `coverage`, `coverage_n` and `drift`; each drifted field is logged as an error."""
    rules = drift_rules(crawler.settings)
    coverage, articles = coverage_from_stats(crawler.stats.get_stats())
    recent: list[dict[str, Any]] = []
    if articles >= rules.min_articles:
        try:
            recent = recent_runs(runs, site, mode, rules)
        except PyMongoError as exc:
            logger.warning("coverage drift of %s not checked: cannot read its recent runs: %s", site, exc)
    drift = find_drift(coverage, articles, recent, rules)
    for found in drift or []:
        logger.error("coverage drift on %s: %s %.0f%% → %.0f%% of %d articles (median of its last %d %s runs; "
                     "DRIFT_MAX_DROP=%s)", site, found.field, 100 * found.baseline, 100 * found.now, articles,
                     len(recent), mode, rules.max_drop)
    crawler.stats.set_value(STAT_DRIFT, len(drift or []))
    return {"coverage": coverage, "coverage_n": articles,
            "drift": None if drift is None else [found.as_document() for found in drift]}
