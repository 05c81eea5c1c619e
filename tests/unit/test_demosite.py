"""Fast tests of the generated demo news site (no Scrapy, no database; loopback HTTP only)."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import pytest

from tests.demosite import (
    AGENCY_CANON,
    BOILERPLATE_PHRASES,
    COMMENT_TEXTS,
    DEFAULT_END_DATE,
    OUTLET_NAMES,
    TRUTH_KEYS,
    DemoSite,
    generate_outlet,
    generate_site,
)
from tests.demosite.client import fetch, links, text_of
from tests.demosite.content import Dateline, attribute
from tests.demosite.model import make_outlet
from tests.demosite.site import OutletSite
from tests.demosite.vocab import DATELINE_FORMS, HOUSE_STYLES

ROOT = Path(__file__).resolve().parents[2]
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
NEXT_LINK = re.compile(r'<a [^>]*href="([^"]+)"[^>]*>(?:الصفحة التالية|التالي)')
INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.fixture(scope="module")
def site() -> Iterator[DemoSite]:
    with DemoSite(port=None) as demo:
        yield demo


# --- pure generation -------------------------------------------------------------------------------------------


def test_generation_is_deterministic() -> None:
    first = generate_site.__wrapped__(120, DEFAULT_END_DATE)
    second = generate_site.__wrapped__(120, DEFAULT_END_DATE)
    for name in OUTLET_NAMES:
        assert [a.truth("http://x/") for a in first[name]] == [a.truth("http://x/") for a in second[name]]
        assert [a.paragraphs for a in first[name]] == [a.paragraphs for a in second[name]]
        one, two = OutletSite(make_outlet(name, 8000), first[name]), OutletSite(make_outlet(name, 8000), second[name])
        for path in ["/", "/robots.txt", "/sitemap_index.xml", one.layout.feed_path, first[name][7].path]:
            assert one.get(path).body == two.get(path).body


@pytest.mark.parametrize("name", OUTLET_NAMES)
def test_truth_records(name: str) -> None:
    records = [a.truth("http://127.0.0.9:1/") for a in generate_outlet(name)]
    assert len(records) >= 100
    days = {datetime.fromisoformat(r["published"]).date() for r in records}
    assert len(days) >= 60
    assert min(days) >= DEFAULT_END_DATE - timedelta(days=89) and max(days) <= DEFAULT_END_DATE
    assert len({r["url"] for r in records}) == len({r["title"] for r in records}) == len(records)
    canon = set(AGENCY_CANON.values())
    for r in records:
        assert tuple(r) == TRUTH_KEYS
        assert datetime.fromisoformat(r["published"]).utcoffset() is not None
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:00[+-]\d\d:\d\d", r["published"])
        assert set(r["agencies"]) <= canon
        assert isinstance(r["agency_is_staff"], bool)
        assert isinstance(r["views"], int) and re.fullmatch(r"s\d{4,}", r["story"])
    nulls = {k: {r[k] is None for r in records} for k in ("comments", "shares", "author")}
    expected = {"nabaa": ({False}, {False}, {True}), "wasat": ({False}, {True}, {True, False}),
                "sham": ({True}, {True}, {True, False})}[name]
    assert (nulls["comments"], nulls["shares"], nulls["author"]) == expected
    assert any(r["views"] >= 1000 for r in records)
    assert any(r["agencies"] for r in records) and any(r["dateline_place"] and not r["agencies"] for r in records)
    assert any(r["dateline_place"] is None and not r["agencies"] for r in records)  # no dateline at all
    assert any(r["dateline_place"] is None and r["agencies"] for r in records)  # a closing credit only
    assert any(r["agency_is_staff"] and r["dateline_place"] for r in records)
    offsets = {r["published"][-6:] for r in records}
    assert offsets == ({"+03:00", "+02:00"} if name == "sham" else {"+03:00"})  # Beirut DST ends 25 Oct 2026


def test_wire_stories_are_shared_across_outlets() -> None:
    copies: dict[str, list] = defaultdict(list)
    for name in OUTLET_NAMES:
        for a in generate_outlet(name):
            copies[a.story].append(a)
    shared = {sid: arts for sid, arts in copies.items() if len(arts) >= 2}
    assert 0.08 <= len(shared) / len(copies) <= 0.25
    assert any(len(arts) == 3 for arts in shared.values())
    for arts in shared.values():
        assert len({a.outlet for a in arts}) == len(arts)
        # one text; each outlet prints the dateline or credit in its own house style
        assert len({a.text.bare_paragraphs for a in arts}) == 1
        assert all(a.paragraphs == a.attribution.apply(a.text.bare_paragraphs) for a in arts)
        assert arts[0].dateline is not None and arts[0].dateline.agencies
        assert len({tuple(a.truth("http://x/")["agencies"]) for a in arts}) == 1
        times = [a.published for a in arts]
        assert max(times) - min(times) <= timedelta(hours=4)


@pytest.mark.parametrize("k", [1, 25, 120])
def test_custom_size_and_end_date(k: int) -> None:
    end = date(2025, 3, 31)  # Beirut switches to summer time on 2025-03-30
    site_specs = generate_site(k, end)
    for name in OUTLET_NAMES:
        specs = site_specs[name]
        assert len(specs) == k
        assert all(end - timedelta(days=89) <= a.published.date() <= end for a in specs)
        served = OutletSite(make_outlet(name, 8000), specs)
        paths = ["/", "/sitemap_index.xml", "/sitemaps/news.xml", served.layout.feed_path, specs[-1].path]
        paths += [served.layout.listing_path(2)] if k > 20 else []
        assert [served.get(p).status for p in paths] == [200] * len(paths)
        assert served.get(served.layout.listing_path(-(-k // 20) + 1)).status == 404
    if k == 120:
        assert {a.published.utcoffset() for a in site_specs["sham"]} == {timedelta(hours=2), timedelta(hours=3)}


@pytest.mark.parametrize("name", OUTLET_NAMES)
def test_bodies(name: str) -> None:
    articles = generate_outlet(name)
    forbidden = BOILERPLATE_PHRASES[name] + COMMENT_TEXTS
    joined = "\n".join(p for a in articles for p in a.paragraphs)
    for a in articles:
        assert 3 <= len(a.text.bare_paragraphs) <= 7
        assert len(a.paragraphs) == len(a.text.bare_paragraphs) + (a.attribution is not None
                                                                  and a.attribution.where == "line")
        if a.attribution and a.attribution.where == "opening":
            assert a.paragraphs[0].startswith(a.attribution.printed + " ")
        elif a.attribution and a.attribution.where == "tail":
            assert a.paragraphs[-1].endswith(" " + a.attribution.printed)
        elif a.attribution:
            assert a.paragraphs[-1] == a.attribution.printed
        else:
            assert a.dateline is None
        body = "\n".join(a.paragraphs)
        assert not [f for f in forbidden if f in body]
        if name == "sham":
            (a.title + body + (a.author or "")).encode("cp1256")  # strict: every character exists in cp1256
    for marker in ("ـ", "،", "؟", "\u064f", "\u0651"):  # tatweel, comma, question mark, damma, shadda
        assert marker in joined


def test_outlets_print_datelines_in_several_forms() -> None:
    forms = {name: Counter(a.attribution.form for a in generate_outlet(name) if a.attribution) for name in OUTLET_NAMES}
    for name, seen in forms.items():
        house = {f for f, _ in HOUSE_STYLES[name]["wire"] + HOUSE_STYLES[name]["staff"]}
        agency_styles = {"kuna", "petra"} if "agency" in house else set()
        assert house - {"agency"} <= set(seen) <= house | agency_styles, (name, seen)
        assert len(seen) >= 4, (name, seen)
    assert set().union(*forms.values()) == set(DATELINE_FORMS)


@pytest.mark.parametrize(("form", "story", "printed", "truth"), [
    ("paren", ("عواصم", ("وكالات",)), "عواصم (وكالات)", ("عواصم", ("agencies",), False)),
    ("dash", ("مسقط", ("العمانية",)), "مسقط - العمانية", ("مسقط", ("ONA",), False)),
    ("tight", ("الخرطوم", ("سونا",)), "الخرطوم-سونا", ("الخرطوم", ("SUNA",), False)),
    ("kuna", ("الكويت", ("كونا",)), "الكويت - 15 - 11 (كونا) --", ("الكويت", ("KUNA",), False)),
    ("petra", ("عمان", ("بترا",)), "عمان 15 تشرين الثاني (بترا)-", ("عمان", ("Petra",), False)),
    ("with_outlet", ("جدة", ("واس",)), "جدة («الوسط»، واس) -", ("جدة", ("SPA",), True)),
    ("credit_outlet_line", ("دبي", ("وكالات",)), "المصدر: الوسط + وكالات", (None, ("agencies",), True)),
    ("credit_tail", ("بيروت", ("رويترز", "أ ف ب")), "(رويترز، أ ف ب)", (None, ("Reuters", "AFP"), False)),
    ("staff_quoted_colon", ("جدة", ("الوسط",), True), "جدة - «الوسط»:", ("جدة", (), True)),
])
def test_attribution_forms_print_as_real_news_does(form: str, story: tuple, printed: str, truth: tuple) -> None:
    shown = attribute(Dateline(*story), form, "الوسط", date(2026, 11, 15))
    assert shown.printed == printed
    assert (shown.place, shown.agencies, shown.staff) == truth


# --- live server ------------------------------------------------------------------------------------------------


def test_index_robots_and_errors(site: DemoSite) -> None:
    status, headers, body = fetch(site.index_url)
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert {o.base_url for o in site.outlets} <= set(links(site.index_url, body.decode()))
    for outlet in site.outlets:
        status, headers, body = fetch(outlet.base_url + "robots.txt")
        assert status == 200 and headers["Content-Type"] == "text/plain; charset=utf-8"
        assert f"Sitemap: {outlet.base_url}sitemap_index.xml" in body.decode() and "Disallow: /admin/" in body.decode()
        assert fetch(outlet.base_url + "admin/")[0] == 403
        status, headers, body = fetch(outlet.base_url + "no/such/page")
        assert status == 404 and headers.get_content_type() == "text/html"
        assert headers.get_content_charset() == outlet.encoding
        status, headers, body = fetch(outlet.base_url + "_truth.jsonl")
        assert status == 200 and headers["Content-Type"] == "application/x-ndjson; charset=utf-8"
        assert [json.loads(line) for line in body.decode().splitlines()] == site.truth(outlet.name)


@pytest.mark.parametrize("name", OUTLET_NAMES)
def test_sitemaps_cover_truth(site: DemoSite, name: str) -> None:
    outlet, truth = site.outlet(name), site.truth(name)
    status, _, body = fetch(outlet.base_url + "sitemap_index.xml")
    assert status == 200
    maps = [(e.findtext(f"{SM}loc"), e.findtext(f"{SM}lastmod")) for e in ET.fromstring(body).iter(f"{SM}sitemap")]
    assert all(lastmod and datetime.fromisoformat(lastmod).tzinfo for _, lastmod in maps)
    seen, news = set(), []
    for loc, _ in maps:
        status, headers, body = fetch(loc)
        assert status == 200 and headers["Content-Type"] == "application/xml; charset=utf-8"
        for url in ET.fromstring(body).iter(f"{SM}url"):
            if url.find(f"{NEWS}news") is not None:
                news.append(url)
            else:
                assert datetime.fromisoformat(url.findtext(f"{SM}lastmod")).tzinfo
                seen.add(url.findtext(f"{SM}loc"))
    assert seen == {t["url"] for t in truth}
    by_url = {t["url"]: t for t in truth}
    assert news
    for url in news:
        t = by_url[url.findtext(f"{SM}loc")]
        assert url.findtext(f"{NEWS}news/{NEWS}publication_date") == t["published"]
        assert url.findtext(f"{NEWS}news/{NEWS}title") == t["title"]
        assert url.findtext(f"{NEWS}news/{NEWS}publication/{NEWS}language") == "ar"


@pytest.mark.parametrize("name", OUTLET_NAMES)
def test_home_feed_and_article(site: DemoSite, name: str) -> None:
    outlet, truth = site.outlet(name), site.truth(name)
    status, headers, body = fetch(outlet.base_url)
    home = text_of(headers, body)
    assert status == 200 and headers.get_content_charset() == outlet.encoding
    feed_url = re.search(r'<link rel="alternate" type="application/rss\+xml"[^>]*href="([^"]+)"', home).group(1)
    status, headers, body = fetch(urljoin(outlet.base_url, feed_url))
    assert status == 200 and headers.get_content_type() == "application/rss+xml"
    xml_text = re.sub(r"^<\?xml[^>]*\?>", "", text_of(headers, body))  # expat cannot decode windows-1256 itself
    items = ET.fromstring(xml_text).findall("channel/item")
    assert [i.findtext("link") for i in items] == [t["url"] for t in truth[:20]]
    assert [parsedate_to_datetime(i.findtext("pubDate")) for i in items] == [
        datetime.fromisoformat(t["published"]) for t in truth[:20]]
    for t in truth[:6]:
        status, headers, body = fetch(t["url"])
        assert status == 200 and headers.get_content_charset() == outlet.encoding
        page = html.unescape(text_of(headers, body))
        assert re.search(r"<h1[^>]*>" + re.escape(t["title"]) + "</h1>", page)
        assert not [p for p in BOILERPLATE_PHRASES[name] if p not in page]
        published = datetime.fromisoformat(t["published"])
        if name == "nabaa":
            assert f"<li><i class=\"c-i1\"></i>{published.month}/{published.day}/{published.year}</li>" in page
        elif name == "wasat":
            ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page).group(1))
            assert ld["datePublished"] == t["published"] and ld["headline"] == t["title"]
            assert f'<meta property="article:published_time" content="{t["published"]}">' in page
            assert f"{t['views']:,} مشاهدة" in page
        else:
            assert "charset=windows-1256" in page and f"عدد القراءات: {str(t['views']).translate(INDIC)}" in page


@pytest.mark.parametrize("name", OUTLET_NAMES)
def test_pagination_reaches_every_truth_url(site: DemoSite, name: str) -> None:
    truth_urls = [t["url"] for t in site.truth(name)]
    found: set[str] = set()
    url: str | None = site.outlet(name).base_url
    pages = 0
    while url:
        status, headers, body = fetch(url)
        assert status == 200
        page = text_of(headers, body)
        on_page = set(links(url, page))
        assert set(truth_urls[pages * 20:(pages + 1) * 20]) <= on_page  # newest first, 20 per page
        found |= on_page
        nxt = NEXT_LINK.search(page)
        url = urljoin(url, html.unescape(nxt.group(1))) if nxt else None
        pages += 1
    assert set(truth_urls) <= found
    assert pages == -(-len(truth_urls) // 20)


@pytest.mark.parametrize("name", OUTLET_NAMES)
def test_every_internal_link_resolves(site: DemoSite, name: str) -> None:
    outlet = site.outlet(name)
    robots = RobotFileParser()
    robots.parse(fetch(outlet.base_url + "robots.txt")[2].decode().splitlines())
    queue, seen = [outlet.base_url], {outlet.base_url}
    while queue:
        url = queue.pop()
        status, headers, body = fetch(url)
        assert status == 200, url
        if headers.get_content_type() != "text/html":
            continue
        for link in links(url, text_of(headers, body)):
            link = link.split("#")[0]
            if urlsplit(link).netloc == urlsplit(outlet.base_url).netloc and link not in seen:
                seen.add(link)
                if robots.can_fetch("*", link):
                    queue.append(link)
    assert {t["url"] for t in site.truth(name)} <= seen


def test_cli_port_in_use_and_clean_shutdown(site: DemoSite) -> None:
    busy = subprocess.run([sys.executable, "-m", "tests.demosite", "--port", str(site.port)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert busy.returncode == 2 and "Traceback" not in busy.stderr and len(busy.stderr.strip().splitlines()) == 1
    proc = subprocess.Popen([sys.executable, "-m", "tests.demosite", "--articles-per-outlet", "2000"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        started = time.monotonic()
        lines = [proc.stdout.readline().split() for _ in OUTLET_NAMES]
        assert time.monotonic() - started < 20
        assert [line[0] for line in lines] == list(OUTLET_NAMES)
        status, _, body = fetch(lines[0][1] + "_truth.jsonl")
        assert status == 200 and len(body.decode().splitlines()) == 2000
        proc.terminate()
        assert proc.wait(timeout=15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
