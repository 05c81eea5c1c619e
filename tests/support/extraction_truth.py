"""Extraction cases with their ground truth: every demo-site article page, and the real-page corpus."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crawler.items import FetchedPage, SiteRules
from crawler.sites import rules_for_site, rules_for_url
from pipelines.arabic.text import clean_display, fold
from tests.demosite import BOILERPLATE_PHRASES, COMMENT_TEXTS, OUTLET_NAMES, generate_outlet, make_outlet
from tests.demosite.site import OutletSite

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
DEMO_PORT = 8780
FIELDS = ("title", "date", "views", "comments", "shares", "agencies", "dateline_place", "author", "body_start",
          "body_end", "no_boilerplate")

# What the real pages must give, beyond their JSON: our reading of each page's documented traps.
CORPUS_EXPECTED: dict[str, dict[str, Any]] = {
    "001": {"date": "2026-01-08", "agencies": [], "author": None},  # «دايلي ميل» cited, not a wire agency
    "002": {"date": "2013-08-03", "agencies": ["CNN"], "dateline_place": "دمشق، سوريا"},  # trap: «آخر تحديث» 28 Aug
    "003": {"date": "2019-02-08"},  # traps: calendar widget, print-edition links
    "004": {"author": "أسماء نصار"},  # «كتبت أسماء نصار»
    "005": {"agencies": [], "author": "حسام أبو العلا"},  # trap: «(رويترز)» only in a photo caption
    "006": {"author": None},  # trap: the author meta is the dateline «(أبوظبي - البيان)»
    "007": {},
}


@dataclass
class Case:
    """One page to extract and what extraction must find on it (absent keys are not checked)."""

    name: str
    page: FetchedPage
    expected: dict[str, Any]
    body_must_contain: list[str] = field(default_factory=list)
    body_must_not_contain: list[str] = field(default_factory=list)


def demo_cases(articles_per_outlet: int = 120) -> Iterator[Case]:
    """Every article page of every demo outlet, rendered in-process, with its truth."""
    fetched_at = datetime(2026, 11, 16, tzinfo=UTC)
    for name in OUTLET_NAMES:
        outlet = make_outlet(name, DEMO_PORT)
        specs = generate_outlet(name, articles_per_outlet)
        site = OutletSite(outlet, specs)
        for spec in specs:
            response = site.get(spec.path)
            truth = spec.truth(outlet.base_url)
            url = truth["url"]
            page = FetchedPage(url=url, final_url=url, site=name, body=response.body, encoding=None,
                               headers={"Content-Type": response.content_type}, fetched_at=fetched_at,
                               rules=rules_for_site(name))
            expected = {key: truth[key] for key in ("title", "views", "comments", "shares", "agencies",
                                                    "dateline_place", "author")}
            expected["published"] = truth["published"]
            expected["body_start"] = spec.paragraphs[0]
            expected["body_end"] = spec.paragraphs[-1]
            yield Case(f"{name}:{spec.id}", page, expected,
                       body_must_not_contain=[*BOILERPLATE_PHRASES[name], *COMMENT_TEXTS])


def corpus_cases(corpus: Path = CORPUS) -> Iterator[Case]:
    """The real Arabic pages of the corpus with their ground truth and documented traps."""
    for meta_path in sorted((corpus / "arabic").glob("*.json")):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        truth = {k: v.get("value") for k, v in meta.get("ground_truth", {}).items()}
        url = meta["url"]
        rules = rules_for_url(url) or SiteRules(site="unknown")
        crawled = truth.get("crawl_date") or "2026-01-09 00:00:00"
        fetched_at = datetime.fromisoformat(str(crawled)).replace(tzinfo=UTC)
        page = FetchedPage(url=url, final_url=url, site=rules.site, body=meta_path.with_suffix(".html").read_bytes(),
                           encoding=None, headers={}, fetched_at=fetched_at, rules=rules)
        expected: dict[str, Any] = {"views": None}
        if truth.get("title"):
            expected["title"] = truth["title"]
        if truth.get("date_published"):
            expected["date"] = str(truth["date_published"])[:10]
        paragraphs = truth.get("body_paragraphs") or ([truth["body"]] if truth.get("body") else [])
        if paragraphs:
            expected["body_start"] = paragraphs[0][:80]
            expected["body_end"] = paragraphs[-1][-80:]
        expected.update(CORPUS_EXPECTED.get(meta["id"], {}))
        yield Case(f"corpus:{meta['id']}", page, expected, body_must_contain=truth.get("must_contain") or [],
                   body_must_not_contain=truth.get("must_not_contain") or [])


def check(article: dict[str, Any], case: Case) -> dict[str, bool]:
    """Per field: does the stored article document agree with the case's truth? Unchecked fields are left out."""
    exp, results = case.expected, {}
    body = article.get("body") or ""
    paragraphs = body.split("\n")
    if "title" in exp:
        results["title"] = fold(article.get("title") or "") == fold(exp["title"])
    if "published" in exp:
        results["date"] = article.get("published_at") == datetime.fromisoformat(exp["published"])
    elif "date" in exp:
        results["date"] = (article.get("published_local") or "")[:10] == exp["date"]
    for key in ("views", "comments", "shares", "agencies", "dateline_place", "author"):
        if key in exp:
            results[key] = article.get(key) == exp[key]
    if "body_start" in exp:
        results["body_start"] = fold(paragraphs[0]).startswith(fold(exp["body_start"])[:60])
    if "body_end" in exp:
        results["body_end"] = fold(exp["body_end"])[-60:] in fold(paragraphs[-1])
    if case.body_must_not_contain or case.body_must_contain:
        results["no_boilerplate"] = (not any(clean_display(p) in body for p in case.body_must_not_contain)
                                     and all(p in body for p in case.body_must_contain))
    return results
