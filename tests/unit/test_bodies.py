"""The article body: trafilatura's mode chosen by what the page shows, the comment sections, the lead under the title,
the furniture dropped in any language, short articles kept, and trafilatura's metadata read without its date search."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import html as lxml_html
from trafilatura.metadata import extract_author, extract_metadata

from crawler.items import FetchedPage, SiteRules
from pipelines.extraction import body
from pipelines.extraction.article import ExtractionError, _parse, extract_article, flatten_nesting
from pipelines.extraction.body import (
    cut_related_tail,
    dense_body,
    first_long_text,
    in_layout_table,
    is_furniture,
    is_link_list,
    lead_paragraph,
    title_heading,
    trafilatura_text,
)
from pipelines.extraction.comments import comment_blocks, remove_comment_blocks, strip_forms
from pipelines.extraction.pagemeta import PageMeta, page_author

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sites"
DEVSETS = Path(__file__).resolve().parents[3] / "shared" / "devsets"
SENTENCE = "The minister said on Monday that the new plan would take effect across all provinces next month. "
LONG = "وقال المتحدث باسم الوزارة إن الخطة الجديدة ستدخل حيز التنفيذ مطلع الشهر المقبل في جميع المحافظات. "


def _page(html: str, url: str = "http://127.0.0.9/news/1001") -> FetchedPage:
    return FetchedPage(url=url, final_url=url, site="t", body=html.encode("utf-8"), encoding=None,
                       headers={"Content-Type": "text/html; charset=utf-8"},
                       fetched_at=datetime(2026, 11, 16, 12, 0, tzinfo=UTC), rules=SiteRules(site="t"))


def _tree(html: str) -> lxml_html.HtmlElement:
    return _parse(html)


@pytest.mark.parametrize("line", [
    "Read more: Germany to set up new contact office", "Lesen Sie auch: Spielabbruch in der Kreisliga",
    "Auch interessant:", "À lire aussi » Ballonnements, lourdeurs", "Lea también: Impiden ingreso a Nicaragua",
    "Leia também: o novo plano", "Related: Alaska Airlines delays membership", "Titelbild: Geyres/picture-alliance",
    "Crédits photos : Bestimage", "© dpa | Kay Nietfeld", "(Credit: Clayton Aldern / Grist)", "Zum Newsletter anmelden",
    "Subscribe now to our eNATION edition for the full story.", "Follow The Gleaner on Twitter and Instagram",
    "Teilen mit:", "Kategorie: News", "Keine Kommentare", "Advertisement", "Anzeige", "مساحة إعلانية مدفوعة",
    "اقرأ أيضا: خبر آخر", "... المزيد", "مشاركة :", "(رويترز)", "Weitere Informationen:",
    "تابعوا أخبار الإمارات من البيان عبر غوغل نيوز", "تابع الوسط على منصات التواصل",
    "Fotocredit: Ilze Kitshoff © 2021 CTMG", "This website uses cookies to improve your experience.",
    "Auf unserer Website werden Cookies gemäß der Datenschutzerklärung verwendet.",
])
def test_furniture_in_any_language(line: str) -> None:
    assert is_furniture(line)


@pytest.mark.parametrize("line", [
    "Weitere Informationen erteilt Anne Althaus in der Leitstelle „Älter werden in Ahlen“ unter Tel. 02382 59743.",
    "Read more about the plan in the ministry's report, which lists every province and the budget each of them "
    "receives, from the largest to the smallest, with the dates on which the money is paid out and the names of the "
    "officials in charge.",
    "The newsletter industry grew by a third last year, the report says.",
    "Photos of the flood spread quickly online.", SENTENCE, LONG,
    "تابع المواطنون هذه التطورات باهتمام كبير، خاصة في ظل الظروف الراهنة.",
    "Die Cookies zehn Minuten backen und auf dem Blech abkühlen lassen.",
    "Die Website setzt Cookies ein, um Nutzer zu verfolgen, kritisieren Datenschützer.",
])
def test_article_sentences_are_not_furniture(line: str) -> None:
    assert not is_furniture(line)


def test_a_related_stories_list_at_the_end_is_cut() -> None:
    article = [SENTENCE * 2, SENTENCE, SENTENCE * 3, SENTENCE, SENTENCE * 2, SENTENCE]
    related = ["Auch interessant:", "Luftwaffe hat mit dem Training begonnen", "Der neue Airbus fliegt"]
    assert cut_related_tail(article + related) == article
    # mid-article, or followed by paragraphs of text, such a heading is kept
    assert cut_related_tail(["Auch interessant:", *article]) == ["Auch interessant:", *article]
    assert cut_related_tail([*article, "Siehe auch", SENTENCE * 3]) == [*article, "Siehe auch", SENTENCE * 3]


def test_the_lead_under_the_title_opens_the_body() -> None:
    lead = "Der Mobilfunkanbieter wagt sich mit der Übernahme des Sendenetz-Anbieters auf neues Terrain."
    html = (f"<html><body><article><h1>Freenet kauft den Sendenetz-Anbieter</h1><div class='byline'>von Anna Muster "
            f"und Max Beispiel, heute</div><div class='teaser-text'><p>{lead}</p></div>"
            f"<div class='text'><p>{SENTENCE * 3}</p><p>{SENTENCE * 2}</p></div></article></body></html>")
    tree = _tree(html)
    assert lead_paragraph(tree, title_heading(tree), f"{SENTENCE * 3}\n{SENTENCE * 2}".strip()) == lead
    assert lead_paragraph(tree, title_heading(tree), f"{lead}\n{SENTENCE * 3}") is None  # the body has it already
    article = extract_article(_page(html))
    assert article.body.split("\n")[0] == lead and "Anna Muster" not in article.body


def test_a_teaser_after_the_start_of_the_body_is_no_lead() -> None:
    teaser = "Ein ganz anderer Artikel über das Wetter am Wochenende und die Aussichten für den Sommer."
    html = (f"<html><body><h1>Freenet kauft den Sendenetz-Anbieter</h1><p>{SENTENCE * 3}</p>"
            f"<div class='teaser'>{teaser}</div></body></html>")
    tree = _tree(html)
    assert lead_paragraph(tree, title_heading(tree), (SENTENCE * 3).strip()) is None


def test_a_comment_section_apart_from_the_article_is_removed() -> None:
    comment = "Ein Leser schreibt, dass der Artikel wichtig ist und jeder ihn lesen sollte, vor allem die Politiker."
    html = (f"<html><body><div><h1>Der Titel des Artikels hier</h1><p>{SENTENCE * 2}</p><p>{SENTENCE * 2}</p></div>"
            f"<div><h4>Kommentar schreiben</h4><form><textarea></textarea></form><p>{comment}</p></div>"
            "</body></html>")
    tree = _tree(html)
    h1 = title_heading(tree)
    text = f"{SENTENCE * 2}\n{SENTENCE * 2}\n{comment}".replace("  ", " ")
    kept, removed = remove_comment_blocks(comment_blocks(tree, h1, first_long_text(tree, h1)), text)
    assert removed == 1 and comment not in kept and SENTENCE.strip() in kept
    assert comment not in tree.text_content()


def test_a_comment_form_inside_the_article_keeps_the_article() -> None:
    """A blog: its name and tagline are the <h1> and the first long text, the post and its comment form one block."""
    tagline = "Interdisziplinärer Austausch zur Steigerung von Unternehmenserfolg und Mitarbeitermotivation im Norden."
    html = (f"<html><body><header><h1>Der Blog von Hamburg</h1><h2>{tagline}</h2></header>"
            f"<div id='main'><p>{SENTENCE * 2}</p><ul><li>Agenda</li><li>Zwei Vorträge</li></ul>"
            f"<p>{SENTENCE * 3}</p><div id='respond'><form><textarea></textarea></form></div></div></body></html>")
    tree = _tree(html)
    h1 = title_heading(tree)
    text = f"{SENTENCE * 2}\n- Agenda\n- Zwei Vorträge\n{SENTENCE * 3}".replace("  ", " ")
    assert remove_comment_blocks(comment_blocks(tree, h1, first_long_text(tree, h1)), text) == (text, 0)


def test_every_one_of_many_comment_sections_is_removed_with_its_paragraphs() -> None:
    """Hundreds of comment forms, each a section of its own with its own reply: all go, and the article stays."""
    replies = [f"Antwort Nummer {i} eines Lesers zum Artikel" for i in range(300)]
    forms = "".join(f"<form><textarea></textarea><p>{reply}</p></form>" for reply in replies)
    html = (f"<html><body><article><h1>Der Titel des Artikels hier</h1><p>{SENTENCE * 9}</p></article>{forms}"
            "</body></html>")
    tree = _tree(html)
    h1 = title_heading(tree)
    blocks = comment_blocks(tree, h1, first_long_text(tree, h1))
    text = "\n".join([(SENTENCE * 9).strip(), *replies])
    assert len(blocks) == 300
    assert remove_comment_blocks(blocks, text) == ((SENTENCE * 9).strip(), 300)
    assert "Antwort" not in tree.text_content()


def test_forms_go_before_trafilatura_unless_they_wrap_the_page() -> None:
    page = (f"<html><body><form id='aspnetForm'><h1>Der Titel des Artikels hier</h1><p>{SENTENCE * 3}</p>"
            "<form class='search'><input name='q'><p>Suche im Archiv</p></form></form></body></html>")
    tree = _tree(page)
    h1 = title_heading(tree)
    strip_forms(tree, h1, first_long_text(tree, h1))
    assert [f.get("id") for f in tree.iter("form")] == ["aspnetForm"] and "Suche" not in tree.text_content()


def test_a_table_layout_is_read_without_tables_and_by_structure() -> None:
    html = ("<html><body><table><tr><td><a href='/'>Start</a> | <a href='/a'>Archiv</a></td></tr><tr><td>"
            f"<h1>Der Titel des Artikels hier</h1></td></tr><tr><td><font>{SENTENCE * 3}</font></td></tr></table>"
            "</body></html>")
    tree = _tree(html)
    h1 = title_heading(tree)
    start = first_long_text(tree, h1)
    assert in_layout_table(h1, start)
    assert not in_layout_table(*(lambda t: (title_heading(t), first_long_text(t)))(_tree(
        f"<html><body><h1>Der Titel des Artikels hier</h1><p>{SENTENCE * 3}</p></body></html>")))
    assert "Archiv" not in extract_article(_page(html)).body


def test_the_full_comparison_runs_only_when_the_fast_body_is_short(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, bool]] = []

    def fake(tree: lxml_html.HtmlElement, url: str | None, **options: bool) -> str:
        calls.append(options)
        return texts[len(calls) - 1]

    monkeypatch.setattr(body, "_trafilatura", fake)
    tree = _tree(f"<html><body><h1>Der Titel des Artikels hier</h1><p>{SENTENCE * 20}</p></body></html>")
    texts = [SENTENCE * 20]
    assert trafilatura_text(tree, None) == texts[0] and calls == [{"fast": True}]
    calls.clear()
    texts = ["kurz", SENTENCE * 5]
    assert trafilatura_text(tree, None) == texts[1] and calls == [{"fast": True}, {"fast": False}]
    calls.clear()
    texts = ["", SENTENCE * 5]  # nothing in fast mode while the structure shows a body: no dump of the page
    assert trafilatura_text(tree, None, structural=SENTENCE * 2) == "" and calls == [{"fast": True}]
    calls.clear()
    texts = [SENTENCE * 20, SENTENCE * 30]  # a long fast body that lacks most of the structural body
    other = "\n".join(f"Paragraph {i}: " + "another block of the page entirely, " * 3 for i in range(8))
    assert trafilatura_text(tree, None, structural=other) == texts[1] and len(calls) == 2
    calls.clear()
    texts = [""]
    assert trafilatura_text(tree, None, layout_table=True) == "" and calls == [
        {"fast": True, "include_tables": False, "favor_precision": True}]


def test_a_short_dated_article_with_a_title_is_an_article() -> None:
    brief = "القاهرة (رويترز) - أعلنت الحكومة اليوم خطة جديدة."
    html = ("<html><head><meta property='article:published_time' content='2026-11-15T09:00:00+02:00'></head><body>"
            f"<h1>الحكومة تعلن خطة جديدة للنقل</h1><p>{brief}</p></body></html>")
    article = extract_article(_page(html))
    assert article.body == brief and article.title == "الحكومة تعلن خطة جديدة للنقل"
    assert article.published_at is not None


def test_a_short_text_without_title_or_date_is_no_article() -> None:
    with pytest.raises(ExtractionError, match="too short"):
        extract_article(_page("<html><body><h1>عنوان</h1><p>سطر واحد</p></body></html>"))
    with pytest.raises(ExtractionError, match="too short"):  # a soft 404: a title, no date
        extract_article(_page("<html><body><h1>عذرا، الصفحة المطلوبة غير موجودة</h1><p>ربما نقلت الصفحة أو حذفت.</p>"
                              "<p><a href='/'>العودة إلى الرئيسية</a></p></body></html>"))


def test_a_list_of_links_is_no_article() -> None:
    links = "".join(f"<li><a href='/news/{i}'>خبر رقم {i} من الأرشيف</a></li>" for i in range(20))
    with pytest.raises(ExtractionError, match="list of links"):
        extract_article(_page(f"<html><body><h1>الأرشيف - صفحة 1</h1><ul>{links}</ul>"
                              "<a rel='next' href='/news?page=2'>الصفحة التالية</a></body></html>"))
    tree = _tree(f"<html><body><p>{SENTENCE} <a href='/x'>the plan</a></p><ul>{links}</ul></body></html>")
    assert not is_link_list(tree, f"{SENTENCE}the plan")


def test_a_page_declaring_its_encoding_in_an_xml_declaration_is_parsed() -> None:
    html = (f"<?xml version='1.0' encoding='utf-8'?><html><body><h1>Der Titel des Artikels hier</h1><p>{SENTENCE * 3}"
            "</p></body></html>")
    assert SENTENCE.strip() in extract_article(_page(html)).body


def test_structural_body_reads_the_container_after_the_title() -> None:
    tree = _tree(f"<html><body><h1>Der Titel des Artikels hier</h1><div><p>{SENTENCE * 2}</p><p>kurz</p>"
                 f"<p>{SENTENCE}</p></div></body></html>")
    assert dense_body(tree) == f"{SENTENCE * 2}".strip() + "\n" + SENTENCE.strip()


@pytest.mark.parametrize("html", [
    # the first XPath (rel=author, class=author, …) wins over an earlier element the later ones select
    "<div class='byline-box'>Von Redaktion Nord</div><p>Text</p><span class='author'>Anna Muster</span>",
    # inside comments, a sidebar or a quote, an author is no author; a date inside the byline is cut out
    "<div id='comments'><span class='author'>Leser Eins</span></div><div class='sidebar'><span class='author'>"
    "Leser Zwei</span></div><p class='byline'>Von Max Beispiel <time>3. Mai 2024</time></p>",
    # too long or too short, the next element is taken; nothing at all gives None
    f"<span class='author'>{'x' * 130}</span><span class='author'>ab</span><div id='author-box'>Erika Muster</div>",
    "<p>Kein Autor hier</p>", "<author>Jan Beispiel</author><a rel='author' href='/a'>Ida Beispiel</a>",
])
def test_page_author_finds_what_trafilatura_finds(html: str) -> None:
    tree = _tree(f"<html><head><title>T</title></head><body>{html}</body></html>")
    assert page_author(tree) == extract_author(tree)


def _meta_pages() -> list[Path]:
    pages = sorted(FIXTURES.glob("*/*.html"))
    bodies = DEVSETS / "web-bodies"
    if (bodies / "evaldata.json").is_file():
        truth = json.loads((bodies / "evaldata.json").read_text(encoding="utf-8"))
        pages += [bodies / "pages" / f"{item['file']}.gz" for item in list(truth.values())[:150]]
    return pages


def test_page_meta_reads_what_trafilatura_reads() -> None:
    """Title, author, tags and categories as trafilatura's metadata pass gives them (it also runs htmldate)."""
    for path in _meta_pages():
        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        tree = _parse(raw.decode("utf-8", "replace"))
        expected, meta = extract_metadata(tree), PageMeta(tree)
        got = (meta.title, meta.author, meta.tags, meta.categories)
        assert got == (expected.title, expected.author, expected.tags or [], expected.categories or []), path.name


def test_nesting_beyond_the_limit_is_flattened_keeping_its_text() -> None:
    html = "<div>" * 300 + "<span>tief</span><h1>Titel</h1><p>unten" + "</div>" * 300 + "<p>danach</p>"
    flat = flatten_nesting(html, limit=100)
    assert flat.count("<div>") == 100 and flat.count("</div>") == 100 and "<span>" not in flat
    assert "tief" in flat and "<h1>Titel</h1><p>unten" in flat and flat.endswith("<p>danach</p>")
    assert flatten_nesting("<div><br><img src=x><p>a<p>b</div>", limit=1) == "<div><br><img src=x><p>a<p>b</div>"


def test_an_article_nested_150000_deep_is_read() -> None:
    paragraphs = "".join(f"<p>{SENTENCE * 3}</p>" for _ in range(3))
    html = ("<html><body>" + "<div>" * 150_000 + f"<h1>Der Titel des Artikels hier</h1>{paragraphs}"
            + "</div>" * 150_000 + "</body></html>")
    article = extract_article(_page(html))
    assert article.title == "Der Titel des Artikels hier" and article.body.count(SENTENCE.strip()) == 9
