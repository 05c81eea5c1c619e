"""HTML of the hostile outlet's newer article cases: pages whose size, nesting, markup, URLs, counters or dates are
built to cost a crawler time or to be stored falsely (tests/demosite/hostile_cases.py says what each must give)."""

from __future__ import annotations

from dataclasses import replace

from .fmt import esc
from .hostile_pages import PageText, article_html

COMMENT_FORMS = 12_000
BIG_PARAGRAPH_BYTES = 1_900_000  # the whole page, under EXTRACT_MAX_BYTES (2 MiB)
GIANT_H1_BYTES = 1_000_000
GIANT_H1_WORD = "تنويه"  # the giant heading repeats it; no stored title or body may
GIANT_WORD_CHARS = 500_000
NESTING_DEPTH = 150_000
SLOW_PARAGRAPHS = 210_000  # the slow-extraction page: 1.9 MB, under EXTRACT_MAX_BYTES
EXPONENT_COMMENTS = "1e30 تعليق"
SCRIPT_CANONICAL = "javascript:alert(document.cookie)"
FILE_IMAGE = "file:///etc/passwd"


def around_paragraphs(text: PageText, marker: str = "\x00CUT") -> tuple[str, str]:
    """The article page around its paragraphs: (head up to the first paragraph, tail after the last)."""
    page = article_html(replace(text, paragraphs=(marker,)))
    head, tail = page.split(f"<p>{marker}</p>\n")
    return head, tail


def comment_forms(text: PageText, count: int = COMMENT_FORMS) -> str:
    """The article between two walls of reply forms, `count` in all (~420 KB)."""
    form = "<form><textarea></textarea></form>\n"
    wall = f'<div class="comments">\n{form * (count // 2)}</div>\n'
    page = article_html(text)
    return page.replace("<article>", wall + "<article>", 1).replace("</article>", "</article>\n" + wall, 1)


def big_paragraph(text: PageText, total: int = BIG_PARAGRAPH_BYTES) -> str:
    """The article whose body is one paragraph on one line, the page `total` bytes long (UTF-8)."""
    head, tail = around_paragraphs(text)
    unit = esc(" ".join(text.paragraphs)) + " "
    room = total - len((head + "<p></p>\n" + tail).encode())
    count, rest = divmod(room, len(unit.encode()))
    return f"{head}<p>{unit * count}{' ' * rest}</p>\n{tail}"


def giant_h1(text: PageText, size: int = GIANT_H1_BYTES) -> str:
    """The article preceded by a banner <h1> of `size` bytes of one repeated word."""
    word = GIANT_H1_WORD + " "
    banner = f'<div class="banner"><h1>{word * (size // len(word.encode()))}</h1></div>\n'
    return article_html(text).replace('<div class="top">', banner + '<div class="top">', 1)


def giant_word(text: PageText, chars: int = GIANT_WORD_CHARS) -> str:
    """The article with a paragraph holding one word of `chars` Arabic letters (no space) after its lead."""
    letters = "بتثجحخدذرزسشصضطظعغفقكلمنهوي"
    word = (letters * (chars // len(letters) + 1))[:chars]
    return article_html(replace(text, paragraphs=(text.paragraphs[0], word, *text.paragraphs[1:])))


def exponent_comments(text: PageText) -> str:
    """The article whose comment counter reads «1e30 تعليق»."""
    return article_html(text).replace('<div class="meta">',
                                      f'<div class="meta"><span class="comments">{EXPONENT_COMMENTS}</span> ', 1)


def script_urls(text: PageText) -> str:
    """The article whose canonical link is javascript: and whose og:image is a local file."""
    head = (f'<link rel="canonical" href="{esc(SCRIPT_CANONICAL)}">\n'
            f'<meta property="og:image" content="{FILE_IMAGE}">\n<meta property="og:url" content="{FILE_IMAGE}">\n')
    return article_html(text, head_extra=head)


def stated_date(text: PageText, stamp: str) -> str:
    """The article stating `stamp` (ISO-8601, any year) as its publication date in JSON-LD, meta and <time>."""
    ld = ('{"@context": "https://schema.org", "@type": "NewsArticle", '
          f'"headline": "{esc(text.title or "")}", "datePublished": "{stamp}"}}')
    page = article_html(replace(text, published=None), jsonld=ld,
                        head_extra=f'<meta property="article:published_time" content="{stamp}">\n')
    return page.replace('<div class="meta">', f'<div class="meta"><time datetime="{stamp}">{stamp}</time> ', 1)


def deep_nesting(text: PageText, depth: int = NESTING_DEPTH) -> str:
    """The article inside `depth` nested <div> elements."""
    page = article_html(text)
    start, end = page.index("<article>"), page.index("</article>") + len("</article>")
    return page[:start] + "<div>" * depth + page[start:end] + "</div>" * depth + page[end:]


def slow_extraction(text: PageText, count: int = SLOW_PARAGRAPHS) -> str:
    """The article preceded by `count` one-letter paragraphs: trafilatura's main extractor is quadratic in them
    (200,000 cost it 65 s of CPU), so extraction cannot end within EXTRACT_TIMEOUT."""
    return article_html(text).replace("<article>", "<p>ك</p>" * count + "\n<article>", 1)
