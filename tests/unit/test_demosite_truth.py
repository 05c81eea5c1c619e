"""The generated demo news site's content and truth records: deterministic, shared wire stories, datelines and
attributions printed as real news does (no server)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

import pytest

from tests.demosite import (
    AGENCY_CANON,
    BOILERPLATE_PHRASES,
    COMMENT_TEXTS,
    DEFAULT_END_DATE,
    OUTLET_NAMES,
    TRUTH_KEYS,
    generate_outlet,
    generate_site,
)
from tests.demosite.content import Dateline, attribute
from tests.demosite.model import make_outlet
from tests.demosite.site import OutletSite
from tests.demosite.vocab import DATELINE_FORMS, HOUSE_STYLES


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
