"""The language filter pipeline: Arabic passes, every other language is counted and dropped."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from scrapy.exceptions import DropItem
from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector

from crawler.items import Article, FetchedPage, SiteRules
from pipelines.arabic.language import detect_language
from pipelines.extraction.article import extract_article
from pipelines.filter_language import LanguageFilterPipeline
from tests.support.articles import make_article
from tests.unit.test_language import ARABIC, PERSIAN


def _pipeline() -> LanguageFilterPipeline:
    stats = MemoryStatsCollector(SimpleNamespace(settings=Settings()))
    return LanguageFilterPipeline.from_crawler(SimpleNamespace(stats=stats))


def _article(body: str) -> Article:
    return make_article("http://h.example/news/1", site="h", body=body, language=detect_language(body))


def test_arabic_passes_other_languages_are_dropped_and_everything_is_counted():
    pipeline = _pipeline()
    arabic = _article(ARABIC)
    assert pipeline.process_item(arabic) is arabic
    for body in (PERSIAN, PERSIAN, "The ministry said on Monday that schools will reopen next week.", "غزة"):
        with pytest.raises(DropItem, match="not Arabic") as dropped:
            pipeline.process_item(_article(body))
        assert dropped.value.log_level == "INFO"
    assert pipeline.stats.get_stats() == {"akhbar/language/ar": 1, "akhbar/language/fa": 2,
                                          "akhbar/language/other": 1, "akhbar/language/und": 1}


def test_other_items_pass_untouched():
    assert _pipeline().process_item("page") == "page"


@pytest.mark.corpus
def test_persian_corpus_pages_are_dropped(corpus_dir):
    pipeline = _pipeline()
    pages = sorted((corpus_dir / "non-arabic").glob("*.html"))
    assert pages
    for path in pages:
        page = FetchedPage(url=f"http://fa.example/{path.stem}", final_url=f"http://fa.example/{path.stem}",
                           site="fa", body=path.read_bytes(), encoding=None, headers={},
                           fetched_at=datetime.now(UTC), rules=SiteRules(site="fa"))
        with pytest.raises(DropItem, match="language fa"):
            pipeline.process_item(extract_article(page))
    assert pipeline.stats.get_value("akhbar/language/fa") == len(pages)
