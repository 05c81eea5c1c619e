"""Locate the article body: trafilatura in the mode the page calls for, the page's structure (the <h1>, the first long
paragraph after it, the lead under the title) and the furniture to drop from the text."""

from __future__ import annotations

import re
from typing import Any

from lxml import html as lxml_html
from trafilatura import bare_extraction

from pipelines.arabic.text import fold

MIN_PARAGRAPH = 80  # characters: shorter text after the title is meta, captions or navigation
MIN_TITLE = 8
SHORT_BODY = 1000  # characters: a fast-mode body shorter than this is checked by trafilatura's full comparison
LINK_LIST_SHARE = 0.8  # of a body's characters in link texts: a list of links, not an article
STRUCTURAL_CHECK = 500  # characters: a structural body this long that the fast body mostly lacks calls for the same
_SKIP = {"script", "style", "noscript", "template", "form", "textarea", "select", "button", "nav", "footer"}
_BREAKS = re.compile(r"\n\s*\n|\r\n\s*\r\n")
_TRAFILATURA: dict[str, Any] = {"include_comments": False, "with_metadata": False}


def title_heading(tree: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """The article's <h1>: the first one with a headline-sized text (logos and empty h1s are skipped)."""
    for h1 in tree.iter("h1"):
        if len(" ".join(h1.text_content().split())) >= MIN_TITLE:
            return h1
    return None


def first_long_text(tree: lxml_html.HtmlElement,
                    h1: lxml_html.HtmlElement | None = None) -> lxml_html.HtmlElement | None:
    """The element holding the first long run of text after the title: where the body starts."""
    h1 = title_heading(tree) if h1 is None else h1
    if h1 is None:
        return None
    for text in h1.xpath(f"following::text()[string-length() >= {MIN_PARAGRAPH}]"
                         "[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::iframe)]"):
        if len(text.strip()) >= MIN_PARAGRAPH:
            return text.getparent()
    return None


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


def dense_body(tree: lxml_html.HtmlElement, start: lxml_html.HtmlElement | None = None) -> str | None:
    """Fallback body: the paragraphs of the element after the title that holds the most long paragraphs."""
    start = first_long_text(tree) if start is None else start
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


# The lead (standfirst, teaser, chapô, «مقدمة») between the title and the body: trafilatura drops it with the teasers.
_LEAD_NAMES = frozenset({"lead", "lede", "leadtext", "teaser", "teasertext", "intro", "introduction", "standfirst",
                         "chapo", "chapeau", "deck", "dek", "summary", "excerpt", "abstract", "preface", "subtitle",
                         "subhead", "sapo", "description", "descr", "strapline", "bajada", "entradilla", "sumario"})
_NOT_LEAD = frozenset({"site", "blog", "meta", "author", "byline", "date", "caption", "credit", "image", "img",
                       "photo", "video", "related", "nav", "menu", "footer", "sidebar", "widget", "comment", "share",
                       "social", "tag", "tags", "category", "breadcrumb"})
_NOT_LEAD_TAGS = frozenset({"a", "img", "ul", "ol", "li", "nav", "aside", "form", "script", "style", "figure",
                            "figcaption", "noscript", "template", "time", "button", "select", "option", "label",
                            "input"})
_NAME_WORDS = re.compile(r"[a-z]+")
_LEAD_SCAN = 200  # elements after the <h1>


def _visible_text(element: lxml_html.HtmlElement) -> str:
    return " ".join(" ".join(element.xpath(".//text()[not(ancestor::script) and not(ancestor::style) and "
                                           "not(ancestor::noscript)]")).split())


def _starts(element: lxml_html.HtmlElement, first: str) -> bool:
    """Whether element holds the start of the body's first paragraph (its own text, or all of it for a leaf)."""
    own = " ".join((element.text or "").split())
    if len(own) >= 20 and own[:20] in first:
        return True
    return len(element) == 0 and first in " ".join(element.text_content().split())


def lead_paragraph(tree: lxml_html.HtmlElement, h1: lxml_html.HtmlElement | None, body: str) -> str | None:
    """The lead shown between the title and the body, when the body lacks it: the first element after the <h1>,
    before the body's first paragraph, whose class or id names a lead (lead, teaser, intro, standfirst, chapo,
    summary, …) and holds a sentence or more (6+ words, 40–1500 characters)."""
    if h1 is None or not body:
        return None
    whole = " ".join(body.split())
    first = " ".join(body.split("\n", 1)[0].split())[:50]
    for element in h1.xpath(f"following::*[position() <= {_LEAD_SCAN}]"):
        if not isinstance(element.tag, str) or element.tag in _NOT_LEAD_TAGS:
            continue
        names = set(_NAME_WORDS.findall(f"{element.get('class') or ''} {element.get('id') or ''}".lower()))
        if not names & _LEAD_NAMES or names & _NOT_LEAD:
            if first and _starts(element, first):
                return None  # the body has started
            continue
        if any(a.tag in _NOT_LEAD_TAGS for a in element.iterancestors()):
            continue
        text = _visible_text(element)
        if first and first in text:
            return None
        if not 40 <= len(text) <= 1500 or len(text.split()) < 6:
            continue
        return None if text in whole else text
    return None


# Page furniture inside the content block, one paragraph at a time: Arabic, then the usual forms in English, German,
# French, Spanish and Portuguese. Each pattern applies to paragraphs up to a length (an article sentence that starts
# with «Weitere Informationen» or mentions a newsletter is longer than the furniture line).
_FURNITURE_AR = re.compile(r"^(?:\.{2,}|…)?\s*(?:اقرأ\s+)?المزيد\s*(?:\.{2,}|…)?$|^مشاركة\s*:|^شارك(?:\s+الخبر)?\s*:|"
                           r"^(?:اقرأ|إقرأ)\s+(?:أيضا|أيضاً|ايضا)|^تابعونا\s+على|^(?:المصدر|الصورة)\s*:\s*$|"
                           r"^(?:تصوير|الصورة|صورة|مصدر الصورة)\s*[:：]|^\([^()]{1,30}\)$")
_RELATED = re.compile(
    r"^\W{0,3}(?:read (?:also|more|next)|also read|see also|related(?: articles?| stories| posts| content| news)?\s*:|"
    r"more (?:from|on|about) |you (?:may|might) also like|recommended(?: for you)?\s*:|most (?:read|popular)|"
    r"trending(?: now)?\s*:|popular (?:posts|articles|stories)|related posts|"
    r"lesen sie (?:auch|hier|mehr|weiter)|auch lesen|mehr zum thema|mehr dazu|zum weiterlesen|weiterlesen|"
    r"weitere (?:artikel|beiträge|news|themen|aktuelle themen)|"
    r"(?:das )?(?:könnte|dürfte) (?:dich|sie|euch) auch interessieren|auch interessant|lesetipp|siehe auch|"
    r"empfohlene (?:beiträge|artikel)|schon gelesen|mehr themen|top[- ]themen|beiträge aus dem forum|meistgelesen|"
    r"am meisten gelesen|"
    r"(?:à )?lire (?:aussi|également|la suite)|voir aussi|sur le même sujet|"
    r"lea (?:más|también)|lee (?:más|también)|leer más|(?:le|te) puede interesar|ver también|vea también|"
    r"mira\s*:|lea\s*:|mire\s*:|puedes ver\s*:|más sobre|contenido relacionado|notas relacionadas|"
    r"leia (?:também|mais)|veja (?:também|mais))", re.IGNORECASE)
_FOLLOW_AR = re.compile(r"^تابع(?:وا|ونا)?\s.{0,80}(?:على|عبر)\s.{0,40}(?:غوغل|جوجل|فيسبوك|فيس بوك|تويتر|إكس|"
                        r"[إا]نستغرام|يوتيوب|تلغرام|تيليجرام|واتساب|نيوز|منصات|الشبكات|مواقع التواصل)")
_MORE_INFO = re.compile(r"^\W{0,3}(?:weitere|mehr) (?:informationen|infos)\b|^\W{0,3}more information\b", re.IGNORECASE)
_CREDIT = re.compile(r"^\W{0,3}(?:fotos?|photos?|bild(?:er)?|images?|imagen|(?:foto|photo|bild)?credits?|"
                     r"crédits?(?: photos?)?|quelle|source|titelbild|beitragsbild|symbolbild|bildnachweis|bildquelle|"
                     r"copyright|fotografías?)\s*(?:[:©]|\(c\))|^©|^\(c\)\s", re.IGNORECASE)
_COOKIES = re.compile(r"\b(?:unsere[rn]?|our|this|diese[rn]?|notre|ce|nuestro|este)\s+(?:website|webseite|seite|"
                      r"site|sitio)\b.{0,60}\bcookies\b|\b(?:we use|wir (?:verwenden|nutzen)|nous utilisons|"
                      r"utilizamos|usamos)\s+(?:\w+\s+){0,2}cookies\b", re.IGNORECASE)
_CALL = re.compile(r"^\W{0,3}(?:sign up (?:now|here|for (?:our|the|free)|to)|subscribe (?:now|here|to|for)|"
                   r"follow (?:us|the \w+ on)|folgen sie uns|folge uns|síguenos|suivez-nous|support us|"
                   r"unterstützen sie uns|unterstütze uns|donate (?:now|today)|jetzt spenden|to view the full story|"
                   r"please subscribe|hazte miembro|if you enjoyed)", re.IGNORECASE)
_SIGN_UP = r"(?:sign|subscri|abonn|anmeld|bestell|inscri|suscr|registr)"
_NEWSLETTER = re.compile(rf"newsletter.*\b{_SIGN_UP}|\b{_SIGN_UP}.*newsletter", re.IGNORECASE)
_NEWSLETTER_LABEL = re.compile(r"newsletter", re.IGNORECASE)
_SHARE = re.compile(r"^\W{0,3}(?:share(?: this| on| via)?|teilen(?: mit| auf)?|partager(?: sur)?|compartir(?: en)?|"
                    r"compartilh\w+)\s*:?\s*$", re.IGNORECASE)
_LABELS = re.compile(r"^\W{0,3}(?:kategorien?|categor(?:y|ies|ía|ias|ie)|tags?|schlagw(?:orte|örter)|"
                     r"stichw(?:orte|örter)|themen|keywords?|étiquettes?|etiquetas)\s*:", re.IGNORECASE)
_COMMENT_COUNT = re.compile(r"^\W{0,3}(?:keine kommentare|no comments|\d+ (?:comments?|kommentare?|commentaires?|"
                            r"comentarios?)|(?:kommentare?|comments?) \(\d+\))", re.IGNORECASE)
_AD_LABEL = re.compile(r"^\W{0,3}(?:advertisement|advertising|sponsored|anzeige|werbung|publicité|publicidad|"
                       r"publicidade|(?:مساحة\s+)?[إا]علان(?:ية|ات)?(?:\s+\S+)?)\W{0,3}$", re.IGNORECASE)
_FURNITURE = ((_FURNITURE_AR, 10_000), (_FOLLOW_AR, 160), (_RELATED, 200), (_MORE_INFO, 80), (_CREDIT, 200),
              (_CALL, 200), (_NEWSLETTER, 150), (_NEWSLETTER_LABEL, 40), (_SHARE, 60), (_LABELS, 200),
              (_COMMENT_COUNT, 80), (_AD_LABEL, 40), (_COOKIES, 300))
# Comment policies and site disclaimers after the article.
DISCLAIMER = re.compile(r"لا\s+تعبر\s+عن\s+رأي|تعبر\s+عن\s+(?:آراء|رأي)\s+أصحابها|سياسة\s+الخصوصية|شروط\s+الاستخدام|"
                        r"بالنقاش|إرشادات\s+الاستخدام")
_RELATED_HEADING = 60  # characters: «Auch interessant:», «Notas relacionadas»
_RELATED_TITLE = 160  # characters: the linked titles listed under such a heading
_TAIL_SHARE = 0.6  # a related-stories heading counts only in the last 40% of the paragraphs


def is_furniture(paragraph: str) -> bool:
    """A paragraph that is page furniture: read-more and related links, share and follow calls, photo credits,
    newsletter sign-ups, tag and category labels, comment counts, advertisement labels, cookie notices."""
    return any(len(paragraph) <= limit and pattern.search(paragraph) for pattern, limit in _FURNITURE)


def cut_related_tail(paragraphs: list[str]) -> list[str]:
    """The paragraphs without a trailing related-stories list: a short «related» heading near the end followed only
    by title-sized lines."""
    count = len(paragraphs)
    for i, paragraph in enumerate(paragraphs):
        if (i >= _TAIL_SHARE * count and len(paragraph) <= _RELATED_HEADING and _RELATED.search(paragraph)
                and all(len(p) <= _RELATED_TITLE for p in paragraphs[i + 1:])):
            return paragraphs[:i]
    return paragraphs


def is_link_list(tree: lxml_html.HtmlElement, body: str) -> bool:
    """Whether body is a list of the page's links (a listing or an archive page read as a body): nearly all its text
    is link texts."""
    paragraphs = [p.lstrip("-•* ") for p in body.split("\n") if p.strip()]
    total = sum(map(len, paragraphs))
    if sum(len(p) for p in paragraphs if len(p) > _RELATED_TITLE) > (1 - LINK_LIST_SHARE) * total:
        return False  # paragraphs longer than a linked title
    links = {" ".join(a.text_content().split()) for a in tree.iter("a")}
    return sum(len(p) for p in paragraphs if p in links) >= LINK_LIST_SHARE * total > 0


def in_layout_table(*elements: lxml_html.HtmlElement | None) -> bool:
    """Whether the title or the body sits in a <table>: a page laid out with tables, whose tables are not data."""
    return any(e is not None and next(e.iterancestors("table"), None) is not None for e in elements)


def trafilatura_text(tree: lxml_html.HtmlElement, url: str | None, layout_table: bool = False,
                     structural: str | None = None) -> str:
    """trafilatura's body in the mode the page calls for.

    - A page laid out with tables: fast mode without tables and favouring precision (its balanced modes fall back
      to a dump of the whole page), and the structural body (dense_body) reads the table.
    - Any other page: fast mode, then the full comparison with readability and jusText when the fast body is short
      (a page whose article trafilatura's own rules missed, or a short one whose lead and paragraphs the fuller
      reading finds) or leaves out most of the structural body (it read another block of the page). Not when the
      fast body is empty while the page shows a structural body: the fuller reading is then a dump of the page."""
    if layout_table:
        return _trafilatura(tree, url, fast=True, include_tables=False, favor_precision=True)
    fast = _trafilatura(tree, url, fast=True)
    if not fast and structural:
        return fast
    if len(fast) >= SHORT_BODY and not _mostly_missing(structural, fast):
        return fast
    return _trafilatura(tree, url, fast=False) or fast


def _mostly_missing(structural: str | None, text: str) -> bool:
    """Whether most of a substantial structural body (a few paragraphs) is missing from text."""
    if not structural or len(structural) < STRUCTURAL_CHECK:
        return False
    whole = fold(text)
    missing = sum(len(p) for p in structural.split("\n") if fold(p).strip() not in whole)
    return 2 * missing > len(structural)


def _trafilatura(tree: lxml_html.HtmlElement, url: str | None, **options: bool) -> str:
    try:  # bare_extraction works on a copy: the tree stays whole
        doc = bare_extraction(tree, url=url, **options, **_TRAFILATURA)
    except ValueError:  # lxml refuses some control characters deep inside trafilatura; the structural body remains
        return ""
    return (doc.text or "") if doc is not None else ""
