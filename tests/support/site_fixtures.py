"""Saved article pages per site (tests/fixtures/sites/<site>/<name>.html + .json) and what extraction must find.

The JSON next to each page gives its `url`, the frozen `fetched_at` (relative dates resolve against it, as web-poet
freezes the fetch time), optional response `headers`, a free-text `source` (where the page comes from: saved as
served, or written in the site's layout with invented text), and under `expected` the fields to check:

- `title`, `author`, `published_local`, `views`, `comments`, `shares`, `agencies`, `agency_is_staff`,
  `dateline_place`, `language`: equal to the extracted (display-cleaned) value;
- `published_at`, `modified_at`: ISO-8601 instants, equal to the extracted UTC datetime;
- `body_starts`: the start of the body (about 60 characters), exactly;
- `body_contains`: phrases the body must hold (e.g. from its last paragraph: the body is not cut short);
- `body_excludes`: phrases of the page that are not the article (navigation, related links, widgets, footer).

A field left out is not checked. See docs/adding-a-site.md.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from lxml import html as lxml_html

from crawler.items import Article, FetchedPage
from crawler.sites import rules_for_site
from pipelines.arabic.normalize import normalize_article
from pipelines.arabic.text import fold
from pipelines.extraction.article import extract_article
from pipelines.extraction.decode import decode_html

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sites"
EQUAL_FIELDS = ("title", "author", "published_local", "views", "comments", "shares", "agencies", "agency_is_staff",
                "dateline_place", "language")
INSTANT_FIELDS = ("published_at", "modified_at")
BODY_FIELDS = ("body_starts", "body_contains", "body_excludes")
KNOWN_FIELDS = frozenset((*EQUAL_FIELDS, *INSTANT_FIELDS, *BODY_FIELDS))


@dataclass(frozen=True)
class SiteFixture:
    """One saved page of a site and the article fields expected from it."""

    site: str
    name: str
    url: str
    fetched_at: datetime
    expected: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def html_path(self) -> Path:
        return FIXTURES / self.site / f"{self.name}.html"

    def page(self) -> FetchedPage:
        """The page as a crawl of this site would hand it to extraction, with the site's rules."""
        return FetchedPage(url=self.url, final_url=self.url, site=self.site, body=self.html_path.read_bytes(),
                           encoding=None, headers=dict(self.headers), fetched_at=self.fetched_at,
                           rules=rules_for_site(self.site))


def fixture_folders() -> list[str]:
    """The names of the folders under tests/fixtures/sites/."""
    return sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()) if FIXTURES.is_dir() else []


def unpaired_files(site: str) -> list[str]:
    """Pages without their .json and .json files without their page, in one site's folder."""
    folder = FIXTURES / site
    pages = {p.stem for p in folder.glob("*.html")}
    metas = {p.stem for p in folder.glob("*.json")}
    return sorted([f"{site}/{n}.html has no .json" for n in pages - metas]
                  + [f"{site}/{n}.json has no .html" for n in metas - pages])


def load_fixture(site: str, name: str) -> SiteFixture:
    """One fixture, read from its .json (ValueError when a field or a timestamp is malformed)."""
    meta = json.loads((FIXTURES / site / f"{name}.json").read_text(encoding="utf-8"))
    fetched_at = datetime.fromisoformat(meta["fetched_at"])
    if fetched_at.tzinfo is None:
        raise ValueError(f"{site}/{name}.json: fetched_at needs a UTC offset, got {meta['fetched_at']!r}")
    expected = meta["expected"]
    unknown = sorted(set(expected) - KNOWN_FIELDS)
    if unknown:
        raise ValueError(f"{site}/{name}.json: unknown expected fields {unknown} (known: {sorted(KNOWN_FIELDS)})")
    return SiteFixture(site=site, name=name, url=meta["url"], fetched_at=fetched_at, expected=expected,
                       headers=meta.get("headers", {}))


def site_fixtures(site: str) -> list[SiteFixture]:
    """Every fixture of a site (pages with their .json), by name; none when the site has no folder."""
    folder = FIXTURES / site
    if not folder.is_dir():
        return []
    return [load_fixture(site, p.stem) for p in sorted(folder.glob("*.json")) if p.with_suffix(".html").is_file()]


@cache
def extracted(site: str, name: str) -> Article:
    """The article extracted and normalized from a fixture's page, exactly as a crawl's extraction worker does."""
    return normalize_article(extract_article(load_fixture(site, name).page()))


def _instant(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value is not None else None


def checks(fixture: SiteFixture, article: Article) -> dict[str, tuple[Any, Any]]:
    """Every check the fixture asks for, by name: (expected, got). A check passes when the two are equal."""
    exp = fixture.expected
    results: dict[str, tuple[Any, Any]] = {}
    for key in EQUAL_FIELDS:
        if key in exp:
            results[key] = (exp[key], getattr(article, key))
    for key in INSTANT_FIELDS:
        if key in exp:
            results[key] = (_instant(exp[key]), getattr(article, key))
    body = article.body
    if "body_starts" in exp:
        results["body_starts"] = (exp["body_starts"], body[: len(exp["body_starts"])])
    folded = fold(body)
    for phrase in exp.get("body_contains", []):
        results[f"body_contains: {phrase}"] = (True, fold(phrase) in folded)
    for phrase in exp.get("body_excludes", []):
        results[f"body_excludes: {phrase}"] = (False, fold(phrase) in folded)
    return results


def phrases_not_on_page(fixture: SiteFixture) -> list[str]:
    """The body phrases of a fixture that the page's visible text does not hold: checks that could never fail."""
    _, text = decode_html(fixture.html_path.read_bytes(), fixture.headers.get("Content-Type"))
    tree = lxml_html.fromstring(text)
    for hidden in tree.xpath("//script | //style"):
        hidden.drop_tree()
    page = fold(" ".join(tree.text_content().split()))
    exp = fixture.expected
    phrases = [*([exp["body_starts"]] if "body_starts" in exp else []), *exp.get("body_contains", []),
               *exp.get("body_excludes", [])]
    return [p for p in phrases if fold(" ".join(p.split())) not in page]


def mismatches(site: str, name: str) -> dict[str, tuple[Any, Any]]:
    """The checks of one fixture that fail, by name: (expected, got)."""
    return {k: v for k, v in checks(load_fixture(site, name), extracted(site, name)).items() if v[0] != v[1]}
