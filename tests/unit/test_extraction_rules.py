"""Rules behind extraction: bylines, authors, layouts, date choice, body cleaning, counters in all their forms."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from lxml import html as lxml_html

from crawler.items import FetchedPage, SiteRules
from pipelines.extraction.agency import canonical_agency, parse_dateline
from pipelines.extraction.article import ExtractionError, extract_article
from pipelines.extraction.byline import byline_author, byline_line, clean_author
from pipelines.extraction.counters import counters_from_text, parse_count
from pipelines.extraction.layouts import is_aggregator_layout

FETCHED = datetime(2026, 11, 16, 12, 0, tzinfo=UTC)
LONG = "وقال المتحدث باسم الوزارة إن الخطة الجديدة ستدخل حيز التنفيذ مطلع الشهر المقبل في جميع المحافظات. "


def _page(html: str, rules: SiteRules | None = None, url: str = "http://127.0.0.9/news/1001") -> FetchedPage:
    return FetchedPage(url=url, final_url=url, site="t", body=html.encode("utf-8"), encoding=None,
                       headers={"Content-Type": "text/html; charset=utf-8"}, fetched_at=FETCHED,
                       rules=rules or SiteRules(site="t"))


def _article_page(head: str = "", header: str = "", body: str = "", after: str = "") -> str:
    paragraphs = body or "".join(f"<p>{LONG * 2}</p>" for _ in range(3))
    return (f"<html><head>{head}</head><body><nav><a href='/'>الرئيسية</a></nav><h1>عنوان الخبر الرئيسي اليوم</h1>"
            f"{header}<div class='x'>{paragraphs}</div>{after}<footer>جميع الحقوق محفوظة</footer></body></html>")


@pytest.mark.parametrize(
    ("text", "name"),
    [("بقلم: عمر العلي", "عمر العلي"), ("كتبت أسماء نصار", "أسماء نصار"), ("حوار: آسيا العتروس", "آسيا العتروس"),
     ("١٥ أيلول - بقلم: سارة النجار عدد القراءات", "سارة النجار"), ("مكتبة المدينة", None), ("كتب محمد", None),
     ("تقرير: سارة النجار", "سارة النجار"), ("إعداد - محمد العلي", "محمد العلي"), ("كتب - عمر العلي", "عمر العلي"),
     ("اعداد: ليلى حداد", "ليلى حداد"), ("متابعة: فيصل الشمري", "فيصل الشمري"), ("بقلم عمر العلي", "عمر العلي"),
     # the label prefixes are nouns too: without «:» or «-» they are not bylines
     ("تقرير صادر عن الوزارة", None), ("حوار وطني شامل", None), ("متابعة دقيقة للأسواق", None),
     ("يقول الكتبي إن", None)],  # «الكتبي», a family name, is not «كتب»
)
def test_byline_author(text, name):
    assert byline_author(text) == name


@pytest.mark.parametrize(
    ("paragraph", "name"),
    [("حوار: سلمى الورتاني", "سلمى الورتاني"), ("كتبت أسماء نصار", "أسماء نصار"), ("إعداد - محمد العلي:", "محمد العلي"),
     ("حوار: سلمى الورتاني مع وزير المالية حول الموازنة الجديدة", None), ("قال الوزير إن الخطة جاهزة", None)],
)
def test_byline_line_is_a_whole_paragraph(paragraph, name):
    assert byline_line(paragraph) == name


def test_a_byline_after_the_subtitle_is_read_wherever_the_body_starts():
    subtitle = "<p>" + "العجز لن يتقلص بالضرائب وحدها ما لم يسترجع الاستثمار الخاص ثقته في الإدارة " * 2 + "</p>"
    body = f"{subtitle}<p><strong>حوار: سلمى الورتاني </strong></p>" + "".join(f"<p>{LONG * 2}</p>" for _ in range(3))
    assert extract_article(_page(_article_page(body=body))).author == "سلمى الورتاني"
    body = f"{subtitle}<p><strong>كتب: صحيفة الميدان</strong></p>" + "".join(f"<p>{LONG * 2}</p>" for _ in range(3))
    head = '<meta property="og:site_name" content="صحيفة الميدان">'
    assert extract_article(_page(_article_page(head=head, body=body))).author is None  # the outlet is not an author


@pytest.mark.parametrize(
    ("raw", "clean"),
    [("حسام أبو العلا - القاهرة", "حسام أبو العلا"), ("(أبوظبي - البيان)", None),
     ("Akhbarelyom; Heba Musa", "Heba Musa"), ("عمر وليد", "عمر وليد"), ("البيان", None), (None, None),
     ("بقلم: عمر العلي", "عمر العلي"), ("كتب - سارة النجار", "سارة النجار"), ("تقرير: ليلى حداد", "ليلى حداد"),
     ("رويترز", None), ("وكالات", None), ("أ ف ب، سارة النجار", "سارة النجار"),  # an agency is not a person
     ("«البيان»", None), ("صحيفة البيان", None)],  # the outlet's name, quoted or with its «صحيفة»
)
def test_clean_author(raw, clean):
    assert clean_author(raw, "akhbarelyom", ("البيان", "صحيفة البيان")) == clean


@pytest.mark.parametrize(
    ("text", "views"),
    [("1.2 ألف مشاهدة", 1200), ("3 مليون مشاهدة", 3_000_000), ("قرأ 532 مرة", 532), ("عدد المشاهدات: ٣٤٥", 345),
     ("١٬٢٣٤ مشاهدة", 1234), ("المشاهدات 88", 88), ("شوهد 1,204 مرة", 1204), ("12:42 مشاهدات عالية", None)],
)
def test_view_forms(text, views):
    assert counters_from_text(text)["views"] == views


def test_parse_count_multipliers():
    assert (parse_count("1.2 ألف"), parse_count("2.5K"), parse_count("3 مليون")) == (1200, 2500, 3_000_000)


@pytest.mark.parametrize(
    ("paragraph", "place", "agencies"),
    [("دمشق، سوريا (CNN) -- أكدت", "دمشق، سوريا", ["CNN"]), ("القاهرة - أ ش أ: أكد", "القاهرة", ["MENA"]),
     ("الرباط - ومع - قال", "الرباط", ["MAP"]), ("(د.ب.أ) - قال", None, ["DPA"]),
     ("غزة (وفا) - أفادت", "غزة", ["WAFA"]), ("صنعاء (سبأ) - ", "صنعاء", ["Saba"]),
     ("قال الوزير - في بيان - إن", None, [])],
)
def test_more_dateline_forms(paragraph, place, agencies):
    dateline = parse_dateline(paragraph)
    assert (dateline.place, dateline.agencies) == (place, agencies)


def test_agency_spellings_fold_together():
    assert {canonical_agency(n) for n in ("أ ف ب", "ا ف ب", "أ.ف.ب", "فرانس برس")} == {"AFP"}
    assert canonical_agency("جريدة محلية") is None


def test_aggregator_layout_is_recognized_by_structure():
    header = "<ul><li>3/7/2026</li><li>00:00</li><li>120</li><li>4</li><li>9</li></ul><img alt='news-picture'>"
    tree = lxml_html.fromstring(_article_page(header=header))
    assert is_aggregator_layout(tree)
    assert not is_aggregator_layout(lxml_html.fromstring(_article_page(header="<ul><li>3/7/2026</li></ul>")))


def test_aggregator_rules_apply_on_any_domain_and_00_00_is_a_placeholder():
    header = ("<ul><li>3/7/2026</li><li>00:00</li><li>1,120</li><li>4</li><li>9</li></ul>"
              "<img src='/i.jpg' alt='news-picture'>")
    article = extract_article(_page(_article_page(header=header), url="http://127.0.0.77/item/5555"))
    assert article.published_local == "2026-03-07"  # US order; no time shown
    assert (article.views, article.comments, article.shares) == (1120, 4, 9)
    assert article.lead_image == "http://127.0.0.77/i.jpg"


def test_ambiguous_date_on_an_unknown_site_is_not_guessed():
    article = extract_article(_page(_article_page(header="<span>3/7/2026</span>"), url="http://127.0.0.9/n/x-y-z-w"))
    assert article.published_at is None or article.published_at_source != "visible_text"


def test_last_updated_date_is_not_the_publication_date():
    header = "<div>الأربعاء، 28 آب/اغسطس 2013، آخر تحديث 14:00</div>"
    rules = SiteRules(site="t", timezone="Asia/Dubai", date_order="DMY")
    article = extract_article(_page(_article_page(header=header), rules, url="http://127.0.0.9/2013/08/03/a-b-c/"))
    assert (article.published_local, article.published_at_source) == ("2013-08-03", "url")
    assert article.modified_at == datetime(2013, 8, 28, 10, 0, tzinfo=UTC)  # «آخر تحديث 14:00» in Dubai, that day


def test_local_time_labelled_utc_in_meta_is_corrected_by_the_visible_time():
    head = '<meta property="article:published_time" content="2020-08-24T09:23:13Z">'
    rules = SiteRules(site="t", timezone="Africa/Cairo", date_order="DMY")
    header = "<div>الإثنين، 24 أغسطس 2020 09:23 ص</div>"
    article = extract_article(_page(_article_page(head=head, header=header), rules))
    assert article.published_at == datetime(2020, 8, 24, 7, 23, tzinfo=UTC)


def test_relative_date_resolves_against_fetch_time():
    article = extract_article(_page(_article_page(header="<span>منذ 3 ساعات</span>")))
    assert article.published_at == datetime(2026, 11, 16, 9, 0, tzinfo=UTC)


def test_related_posts_dates_are_not_the_publication_date():
    header = "<time>نشر في 15 أيلول 2024</time>"
    after = "<h3>مقالات ذات صلة</h3><ul><li>خبر آخر <time>20 أيلول 2024</time></li></ul>"
    article = extract_article(_page(_article_page(header=header, after=after), SiteRules(site="t", date_order="DMY")))
    assert article.published_local == "2024-09-15"


def test_caption_agency_is_not_the_attribution():
    body = f"<figure><img src='a.jpg'><figcaption>(رويترز)</figcaption></figure><p>{LONG * 2}</p><p>{LONG}</p>"
    article = extract_article(_page(_article_page(body=body)))
    assert article.agencies == []
    assert "(رويترز)" not in article.body


def test_body_keeps_every_paragraph_and_drops_furniture_and_comments():
    body = "".join(f"<p>{i} {LONG}</p>" for i in range(4)) + "<p>اقرأ أيضا: خبر آخر</p><p>قصير.</p>"
    after = ("<a href='/s'>... المزيد</a><div><span>مشاركة :</span><a href='#'>فيسبوك</a></div>"
             "<div><h4>أضف تعليقك</h4><form><textarea></textarea></form><p>تعليق قارئ طويل جدا يقول إن الخبر مهم "
             "للغاية ويستحق المتابعة الدقيقة من الجميع في كل مكان.</p></div>")
    article = extract_article(_page(_article_page(body=body, after=after)))
    assert [p.split(" ", 1)[0] for p in article.body.split("\n")[:4]] == ["0", "1", "2", "3"]
    for furniture in ("اقرأ أيضا", "المزيد", "مشاركة :", "تعليق قارئ"):
        assert furniture not in article.body


def test_page_without_article_raises_a_clear_error():
    with pytest.raises(ExtractionError):
        extract_article(_page("<html><body><nav>الرئيسية</nav></body></html>"))
    with pytest.raises(ExtractionError):
        extract_article(_page(""))
