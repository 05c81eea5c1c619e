"""Locate the article body by page structure: the <h1>, the first long paragraph after it, the comment form."""

from __future__ import annotations

import re

from lxml import html as lxml_html

MIN_PARAGRAPH = 80  # characters: shorter text after the title is meta, captions or navigation
MIN_TITLE = 8
_SKIP = {"script", "style", "noscript", "template", "form", "textarea", "select", "button", "nav", "footer"}
_BREAKS = re.compile(r"\n\s*\n|\r\n\s*\r\n")


def title_heading(tree: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """The article's <h1>: the first one with a headline-sized text (logos and empty h1s are skipped)."""
    for h1 in tree.iter("h1"):
        if len(" ".join(h1.text_content().split())) >= MIN_TITLE:
            return h1
    return None


def first_long_text(tree: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """The element holding the first long run of text after the title: where the body starts."""
    h1 = title_heading(tree)
    if h1 is None:
        return None
    for text in h1.xpath("following::text()[not(ancestor::script) and not(ancestor::style)]"):
        if len(text.strip()) >= MIN_PARAGRAPH:
            return text.getparent()
    return None


def remove_comment_blocks(tree: lxml_html.HtmlElement) -> int:
    """Remove each comment section: the largest block around a comment form holding neither title nor body."""
    anchors = [title_heading(tree), first_long_text(tree)]
    anchors = [a for a in anchors if a is not None]
    removed = 0
    for textarea in tree.xpath("//form[.//textarea]"):
        block = textarea
        while (parent := block.getparent()) is not None and parent.tag not in ("body", "html"):
            if any(a is parent or a in parent.iterdescendants() for a in anchors):
                break
            block = parent
        if block.getparent() is not None and not any(a is block or a in block.iterdescendants() for a in anchors):
            block.drop_tree()
            removed += 1
    return removed


def _chunks(element: lxml_html.HtmlElement) -> list[str]:
    """Paragraph texts directly inside element: its <p> children and its own text split at blank lines/<br><br>."""
    pieces: list[str] = []
    if element.text:
        pieces.append(element.text)
    for child in element:
        if child.tag in ("p", "blockquote") or (child.tag == "div" and len(child) == 0):
            pieces.append("\n\n" + child.text_content() + "\n\n")
        elif child.tag == "br":
            pieces.append("\n")
        elif isinstance(child.tag, str) and child.tag not in _SKIP and child.tag in ("a", "b", "strong", "em", "i",
                                                                                       "span", "font", "u"):
            pieces.append(child.text_content())
        if child.tail:
            pieces.append(child.tail)
    text = "".join(pieces)
    return [" ".join(p.split()) for p in _BREAKS.split(text) if p.strip()]


def dense_body(tree: lxml_html.HtmlElement) -> str | None:
    """Fallback body: the paragraphs of the element after the title that holds the most long paragraphs."""
    start = first_long_text(tree)
    if start is None:
        return None
    best: list[str] = []
    for element in (start, *start.iterancestors()):
        if element.tag in ("body", "html"):
            break
        long_paragraphs = [c for c in _chunks(element) if len(c) >= MIN_PARAGRAPH // 2]
        if sum(map(len, long_paragraphs)) > sum(map(len, best)):
            best = long_paragraphs
    return "\n".join(best) or None
