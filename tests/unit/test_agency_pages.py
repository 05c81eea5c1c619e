"""Attribution read off whole pages: the outlet's names on a site without a spider file, the demo outlets' forms."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import html as lxml_html

from crawler.items import FetchedPage, SiteRules
from pipelines.extraction.agency import outlet_names, parse_dateline
from pipelines.extraction.article import extract_article
from tests.demosite import OUTLET_NAMES, generate_outlet, make_outlet
from tests.demosite.site import OutletSite

FETCHED = datetime(2026, 11, 16, tzinfo=UTC)
SEED_PAGE = Path(__file__).resolve().parents[1] / "fixtures" / "sites" / "nabaa" / (
    "seed-washington-moscow-syria-2015-09-19.html")


# --- the outlet's own name, on a site without a spider file -------------------------------------------------------


def _tree(head: str) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(f"<html><head>{head}</head><body><h1>خبر</h1></body></html>")


@pytest.mark.parametrize(
    ("head", "url", "names"),
    [
        ('<meta property="og:site_name" content="صحيفة عكاظ"><title>خبر طويل عن الاقتصاد - عكاظ</title>',
         "https://www.okaz.com.sa/news/1", ("صحيفة عكاظ", "okaz")),
        ("<title>نقاط التقاء بين واشنطن وموسكو حول سوريا | النبأ</title>", "http://127.0.0.9/news/1", ("النبأ",)),
        ("<title>الشام - خبر طويل عن الاقتصاد في المدينة</title>", "http://127.0.0.9/a", ("الشام",)),
        ("<title>عنوان طويل بلا اسم للموقع في آخره</title>", "https://www.annahar.com/x", ("annahar",)),
        ('<meta property="og:site_name" content="https://akhbarelyom.com/"><title>x</title>',
         "https://akhbarelyom.com/news/1", ("akhbarelyom",)),
    ],
)
def test_outlet_names_from_the_page(head, url, names):
    assert outlet_names(_tree(head), url) == names


def test_staff_dateline_on_a_site_without_a_spider_file():
    names = outlet_names(_tree('<meta property="og:site_name" content="صحيفة عكاظ">'), "https://www.okaz.com.sa/n/1")
    riyadh = parse_dateline("الرياض - «عكاظ»: أعلنت", outlet_names=names)
    assert (riyadh.place, riyadh.agencies, riyadh.is_staff) == ("الرياض", [], True)
    jeddah = parse_dateline("جدة («عكاظ»، واس) - أعلنت", outlet_names=names)
    assert (jeddah.place, jeddah.agencies, jeddah.is_staff) == ("جدة", ["SPA"], True)


def _page(body: bytes, url: str, rules: SiteRules | None = None) -> FetchedPage:
    return FetchedPage(url=url, final_url=url, site="unknown", body=body, encoding=None,
                       headers={"Content-Type": "text/html; charset=utf-8"}, fetched_at=FETCHED,
                       rules=rules or SiteRules(site="unknown"))


def test_seed_article_on_a_site_without_a_spider_file():
    article = extract_article(_page(SEED_PAGE.read_bytes(), "http://127.0.0.77/Ksahome/NewsDetial/?nid=12345"))
    assert (article.agencies, article.dateline_place, article.agency_is_staff) == (["agencies"], "عواصم", False)
    assert article.published_local == "2015-09-19"  # the aggregator layout: M/D/YYYY, 00:00 a placeholder
    assert (article.views, article.comments, article.shares) == (6, 0, 0)
    assert article.body.startswith("عواصم (وكالات) تكثفت") and "المزيد" not in article.body


def test_outlet_name_is_not_an_author_and_names_its_staff_without_a_spider_file():
    paragraphs = "".join(f"<p>{'وقال المتحدث إن الخطة الجديدة ستدخل حيز التنفيذ مطلع الشهر المقبل. ' * 3}</p>"
                         for _ in range(3))
    html = ('<html><head><meta property="og:site_name" content="صحيفة الميدان"><meta name="author" content="الميدان">'
            "<title>عنوان الخبر الرئيسي اليوم - الميدان</title></head><body><h1>عنوان الخبر الرئيسي اليوم</h1>"
            f"<div><p>الرياض - «الميدان»: أعلنت الوزارة خطة جديدة للنقل العام في المدينة.</p>{paragraphs}</div>"
            "</body></html>")
    article = extract_article(_page(html.encode(), "https://www.almaydan.example/news/1"))
    assert (article.dateline_place, article.agencies, article.agency_is_staff) == ("الرياض", [], True)
    assert article.author is None


# --- the demo site: every form its outlets print ------------------------------------------------------------------


@pytest.mark.parametrize("name", OUTLET_NAMES)
def test_demo_outlets_attribution_forms_extract_as_their_truth(name):
    outlet = make_outlet(name, 8780)
    specs = generate_outlet(name)
    site = OutletSite(outlet, specs)
    per_form: dict[str | None, int] = {}
    failures = []
    for spec in specs:
        form = spec.attribution.form if spec.attribution else None
        if per_form.get(form, 0) >= 3:
            continue
        per_form[form] = per_form.get(form, 0) + 1
        truth = spec.truth(outlet.base_url)
        page = FetchedPage(url=truth["url"], final_url=truth["url"], site=name, body=site.get(spec.path).body,
                           encoding=None, headers={"Content-Type": site.get(spec.path).content_type},
                           fetched_at=FETCHED, rules=SiteRules(site=name))  # no spider rules: names from the page
        article = extract_article(page)
        got = (article.agencies, article.dateline_place, article.agency_is_staff)
        want = (truth["agencies"], truth["dateline_place"], truth["agency_is_staff"])
        if got != want:
            failures.append(f"{form}: {spec.paragraphs[0][:50]}: {got} != {want}")
    assert len(per_form) >= 4
    assert failures == []
