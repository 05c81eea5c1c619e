"""Pipeline 300: Arabic display cleaning of title and body, plus their search-folded forms and tokens."""

from __future__ import annotations

from typing import Any

from crawler.items import Article
from pipelines.arabic_text import clean_display, fold, tokens


def normalize_article(article: Article) -> Article:
    """Clean title and body for display and fill title_folded, body_folded and tokens."""
    article.title = clean_display(article.title) if article.title else article.title
    article.body = clean_display(article.body)
    article.title_folded = fold(article.title or "")
    article.body_folded = fold(article.body)
    article.tokens = list(dict.fromkeys(tokens(f"{article.title or ''}\n{article.body}")))
    return article


class NormalizePipeline:
    """Normalize every Article in place."""

    def process_item(self, item: Any) -> Any:
        """Normalize an Article; other items pass through."""
        return normalize_article(item) if isinstance(item, Article) else item
