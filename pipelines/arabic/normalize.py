"""Arabic display cleaning of an article's title and body, plus their search-folded forms and tokens; run on every
extracted page in the extraction workers (pipelines.extraction.pool)."""

from __future__ import annotations

from crawler.items import Article
from pipelines.arabic.text import clean_display, fold, tokens


def normalize_article(article: Article) -> Article:
    """Clean title and body for display and fill title_folded, body_folded and tokens."""
    article.title = clean_display(article.title) if article.title else article.title
    article.body = clean_display(article.body)
    article.title_folded = fold(article.title or "")
    article.body_folded = fold(article.body)
    article.tokens = list(dict.fromkeys(tokens(f"{article.title or ''}\n{article.body}")))
    return article
