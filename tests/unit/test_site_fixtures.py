"""Every site spider has saved pages, and extraction finds on each page the fields its fixture expects.

One test per site (`scrapy list` without the generic `news`): a site without a fixture fails, so a spider cannot be
added without one. Fixtures live in tests/fixtures/sites/<site>/ (tests/support/site_fixtures.py says what they hold).

A field extraction is known to get wrong on a page is listed in KNOWN_ERRORS with what is wrong: the site test
skips that one check, and test_known_extraction_error expects it to fail (strict xfail), so the fix of the
extractor shows up as an XPASS that fails until the entry is removed.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from crawler.sites import site_names
from tests.support.site_fixtures import (
    FIXTURES,
    checks,
    extracted,
    fixture_folders,
    load_fixture,
    mismatches,
    phrases_not_on_page,
    site_fixtures,
    unpaired_files,
)

SITES = site_names()

# (site, fixture, check) → what extraction gets wrong on that page. Check names are those of checks():
# a field name, or «body_excludes: <phrase>» / «body_contains: <phrase>».
KNOWN_ERRORS: dict[tuple[str, str, str], str] = {
    ("akhbarelyom", "short-film-jury-2025-03-13", "author"):
        "the byline (div.post-meta-author) is missed; the web developer of <meta name=DC.Creator "
        "content='Developed By …'> is taken as the author",
    ("assabah", "public-finances-interview-2025-02-14", "body_starts"):
        "the byline «حوار: سلمى الورتاني» is kept as the body's first paragraph",
}


def _shown(value: object) -> str:
    return value.isoformat() if isinstance(value, datetime) else repr(value)


def _describe(site: str, name: str, failed: dict) -> list[str]:
    return [f"{site}/{name}: {check}: expected {_shown(want)}, got {_shown(got)}"
            for check, (want, got) in failed.items()]


@pytest.mark.parametrize("site", SITES)
def test_site_fixtures_match(site):
    fixtures = site_fixtures(site)
    assert fixtures, (f"no fixture for site {site}: add tests/fixtures/sites/{site}/<name>.html and .json, "
                      "see docs/adding-a-site.md")
    failures = []
    for fixture in fixtures:
        failed = {check: result for check, result in mismatches(site, fixture.name).items()
                  if (site, fixture.name, check) not in KNOWN_ERRORS}
        failures += _describe(site, fixture.name, failed)
    assert not failures, "\n".join(failures)


def test_site_spiders_are_found():
    # without them the parametrized test above would run for no site at all (e.g. outside the project's scrapy.cfg)
    assert SITES, "no site spider found: run pytest from the project root (scrapy.cfg)"


def test_every_fixture_folder_names_a_site():
    unknown = [folder for folder in fixture_folders() if folder not in SITES]
    assert not unknown, f"fixture folders under {FIXTURES} without a site spider: {unknown} (sites: {SITES})"


def test_every_page_has_its_json():
    unpaired = [line for folder in fixture_folders() for line in unpaired_files(folder)]
    assert not unpaired, "\n".join(unpaired)


def test_every_body_phrase_is_on_its_page():
    # a phrase the page does not hold makes a check that cannot fail (body_excludes) or cannot pass
    missing = [f"{site}/{fixture.name}: {phrase!r}" for site in fixture_folders() for fixture in site_fixtures(site)
               for phrase in phrases_not_on_page(fixture)]
    assert not missing, "body phrases not found in their page's text:\n" + "\n".join(missing)


@pytest.mark.parametrize(("site", "name", "check"), [
    pytest.param(site, name, check, id=f"{site}/{name}/{check}",
                 marks=pytest.mark.xfail(strict=True, raises=AssertionError, reason=reason))
    for (site, name, check), reason in KNOWN_ERRORS.items()
])
def test_known_extraction_error(site, name, check):
    all_checks = checks(load_fixture(site, name), extracted(site, name))
    if check not in all_checks:  # not an AssertionError: a stale entry fails instead of passing as expected
        pytest.fail(f"{site}/{name}: KNOWN_ERRORS names {check!r}, which the fixture does not check")
    assert check not in mismatches(site, name), "\n".join(_describe(site, name, {check: all_checks[check]}))
