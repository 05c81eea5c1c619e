"""Comment sections and stray forms: found before trafilatura reads the page, removed from the page and its body."""

from __future__ import annotations

from bisect import bisect_right

from lxml import html as lxml_html

from pipelines.arabic.text import fold

_KEY = 8  # characters of a folded paragraph's prefix, to find it in a block's text in one scan
_DIRECT_TRIES = 64  # folded paragraphs searched one by one in a block's text; more: one scan of the text


class _FoldedParagraphs:
    """A body's paragraphs folded once, to find the ones a block's text holds in time linear in the block's text."""

    def __init__(self, paragraphs: list[str]) -> None:
        self.fold = {p: fold(p).strip() for p in paragraphs}
        self.weight: dict[str, int] = {}  # folded paragraph → characters of the body's paragraphs folding to it
        for paragraph in paragraphs:
            if key := self.fold[paragraph]:
                self.weight[key] = self.weight.get(key, 0) + len(paragraph)
        self.by_length = sorted(self.weight, key=len)
        self.lengths = [len(key) for key in self.by_length]
        self.prefixed: dict[str, list[str]] = {}
        for key in self.by_length:
            if len(key) >= _KEY:
                self.prefixed.setdefault(key[:_KEY], []).append(key)
        self.short = {key for key in self.by_length if len(key) < _KEY}
        self.short_lengths = sorted({len(key) for key in self.short})

    def within(self, inside: str) -> set[str]:
        """The folded paragraphs that inside holds: tried one by one when few are short enough, else by one scan of
        inside (a page of thousands of comment forms made the one-by-one way quadratic)."""
        count = bisect_right(self.lengths, len(inside))
        if count <= _DIRECT_TRIES:
            return {key for key in self.by_length[:count] if key in inside}
        found = set()
        for i in range(len(inside)):
            found.update(key for key in self.prefixed.get(inside[i:i + _KEY], ()) if inside.startswith(key, i))
            found.update(piece for n in self.short_lengths if (piece := inside[i:i + n]) in self.short)
        return found


def _anchored(h1: lxml_html.HtmlElement | None, start: lxml_html.HtmlElement | None) -> set[lxml_html.HtmlElement]:
    """The elements holding the title or the start of the body."""
    return {e for a in (h1, start) if a is not None for e in (a, *a.iterancestors())}


def comment_blocks(tree: lxml_html.HtmlElement, h1: lxml_html.HtmlElement | None,
                   start: lxml_html.HtmlElement | None) -> list[lxml_html.HtmlElement]:
    """The distinct blocks around the page's comment forms (forms holding a textarea), in document order: each the
    largest ancestor of a form below the elements holding the title or the body start (and below <body>). Each
    element is climbed once, so thousands of forms cost no more than their markup."""
    holding_anchor = _anchored(h1, start)
    block_of: dict[lxml_html.HtmlElement, lxml_html.HtmlElement] = {}
    blocks: dict[lxml_html.HtmlElement, None] = {}
    for form in dict.fromkeys(f for textarea in tree.iter("textarea") for f in textarea.iterancestors("form")):
        climbed, block = [], form
        while block not in block_of:
            climbed.append(block)
            parent = block.getparent()
            if parent is None or parent.tag in ("body", "html") or parent in holding_anchor:
                break
            block = parent
        block = block_of.get(block, block)
        block_of.update(dict.fromkeys(climbed, block))
        if block.getparent() is not None and block not in holding_anchor:
            blocks[block] = None
    return list(blocks)


def strip_forms(tree: lxml_html.HtmlElement, h1: lxml_html.HtmlElement | None,
                start: lxml_html.HtmlElement | None) -> None:
    """Remove the forms that hold neither the title nor the body start (search, comment and newsletter forms), in one
    pass. trafilatura's own cleaning removes them too, but its fallbacks (jusText, readability) read every form's
    text as paragraphs, and jusText's cost grows with the square of a run of short paragraphs: 4,000 comment forms
    took it 15 s. A form holding the title or the body start wraps the page (ASP.NET) and stays; on a page without
    either nothing is removed."""
    holding_anchor = _anchored(h1, start)
    if not holding_anchor:
        return
    pending = [tree]
    while pending:
        for child in list(pending.pop()):
            if child.tag != "form" or child in holding_anchor:
                pending.append(child)
            else:
                child.drop_tree()


def remove_comment_blocks(blocks: list[lxml_html.HtmlElement], text: str) -> tuple[str, int]:
    """Remove each comment section (comment_blocks, found before strip_forms) from the tree and its paragraphs from
    text (the body read off the whole page); returns the text and the number of sections removed.

    A comment section is the largest block around a comment form (a form with a textarea) that holds neither the
    title nor the start of the body, unless it holds half the body or more: then the title and the first lines were in
    a header apart from the body (a blog's name and tagline), and the block around the form is the article itself."""
    paragraphs = [p for p in text.split("\n") if p.strip()]
    folded = _FoldedParagraphs(paragraphs)
    total = sum(map(len, paragraphs))
    removed, gone = 0, set[str]()
    for block in blocks:
        # folded: no list bullets, table bars or punctuation to tell apart
        comments = folded.within(fold(block.text_content())) - gone
        held = sum(folded.weight[key] for key in comments)
        if 2 * held >= total > 0:
            continue
        if block.getparent() is not None:  # else a comment form of its own, gone with the forms
            block.drop_tree()
        removed += 1
        gone |= comments
        total -= held
    return "\n".join(p for p in paragraphs if folded.fold[p] not in gone), removed
