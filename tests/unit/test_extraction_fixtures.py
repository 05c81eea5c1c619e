"""Extraction against ground truth: every demo-site article page, and the real pages of ../shared/corpus."""

from __future__ import annotations

import pytest

from pipelines.arabic.normalize import normalize_article
from pipelines.extraction.article import extract_article
from pipelines.storage.articles import article_document
from tests.support.extraction_truth import CORPUS, check, corpus_cases, demo_cases


def _failures(cases) -> list[str]:
    failures = []
    for case in cases:
        article = article_document(normalize_article(extract_article(case.page)))
        failures += [f"{case.name}: {name}" for name, ok in check(article, case).items() if not ok]
    return failures


def test_every_demo_article_page_matches_truth():
    assert _failures(demo_cases()) == []


@pytest.mark.corpus
def test_real_pages_match_ground_truth_and_traps():
    if not (CORPUS / "arabic").is_dir():
        pytest.skip(f"real-page corpus not found at {CORPUS}")
    assert _failures(corpus_cases()) == []
