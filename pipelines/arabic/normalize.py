"""Arabic display cleaning of an article's title and body, plus their search-folded forms and tokens; run on every
extracted page in the extraction workers (pipelines.extraction.pool). The bounds below keep what a page can make us
store sane: a headline is a line, a paragraph a paragraph, a search token a word."""

from __future__ import annotations

from crawler.items import Article
from pipelines.arabic.text import clean_display, fold, tokens

# Measured on 6,500 paragraphs of real pages (the Arabic corpus, 250 pages of the development set): titles up to
# 136 characters, paragraphs up to 1,860.
TITLE_MAX_CHARS = 500  # a longer "headline" is a page's text in an <h1>: no title, rather than a cut one
PARAGRAPH_MAX_CHARS = 10_000  # a longer paragraph is cut at a word boundary and marked «…»: the article is kept
TOKEN_MAX_CHARS = 64  # a longer "word" (base64, a hash, a run of junk) is no search key
ELLIPSIS = "…"


def bounded_title(title: str | None) -> str | None:
    """The title, or None when it is longer than TITLE_MAX_CHARS."""
    return title if title and len(title) <= TITLE_MAX_CHARS else None


def bounded_paragraph(paragraph: str) -> str:
    """The paragraph, cut to PARAGRAPH_MAX_CHARS at its last space in the second half of the bound (else at the bound,
    inside a word) and ended with «…»."""
    if len(paragraph) <= PARAGRAPH_MAX_CHARS:
        return paragraph
    cut = paragraph[: PARAGRAPH_MAX_CHARS - len(ELLIPSIS)]
    space = cut.rfind(" ", PARAGRAPH_MAX_CHARS // 2)
    return (cut[:space] if space > 0 else cut).rstrip() + ELLIPSIS


def bounded_body(body: str) -> str:
    """The body with every paragraph (line) bounded by bounded_paragraph."""
    if len(body) <= PARAGRAPH_MAX_CHARS:
        return body
    return "\n".join(map(bounded_paragraph, body.split("\n")))


def search_tokens(text: str) -> list[str]:
    """The distinct search tokens of text, in order, without those longer than TOKEN_MAX_CHARS."""
    return [token for token in dict.fromkeys(tokens(text)) if len(token) <= TOKEN_MAX_CHARS]


def normalize_article(article: Article) -> Article:
    """Clean title and body for display, bound them, and fill title_folded, body_folded and tokens."""
    article.title = bounded_title(clean_display(article.title) if article.title else article.title)
    article.body = bounded_body(clean_display(article.body))
    article.title_folded = fold(article.title or "")
    article.body_folded = fold(article.body)
    article.tokens = search_tokens(f"{article.title or ''}\n{article.body}")
    return article
