"""Items that flow through the crawl: a fetched page in, an article out, and an article's identity."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

WEB_SCHEMES = frozenset({"http", "https"})  # what a crawl fetches and follows, and what a stored URL may be

# Query and path parameters that name a visit, a session or a campaign, never a page (compared lower-cased): a link
# carrying them is the page's own URL, so they are stripped before a URL is fetched or hashed.
SESSION_PARAMS = frozenset({
    "sessionid", "session_id", "phpsessid", "jsessionid", "cfid", "cftoken",  # server sessions
    "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid",  # ad clicks
    "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok",  # analytics, shares, newsletters
})
SESSION_PARAM_PREFIXES = ("utm_", "aspsessionid")  # utm_source, utm_medium, …; ASPSESSIONIDQQGGQGPD, …
# Names that some sites give a page's own id (PHP-Nuke's «modules.php?name=News&file=article&sid=123»): stripped
# only when the value is a session token: 12 or more letters and digits, with a letter or longer than any 64-bit id.
SESSION_OR_PAGE_PARAMS = frozenset({"sid"})
_SESSION_TOKEN = re.compile(r"[0-9A-Za-z_-]{12,}")
_LONGEST_NUMERIC_ID = 20  # digits of 2**64
_PATH_PARAM = re.compile(r";([^/;?#=]*)(?:=([^/;?#]*))?")  # «/news/1;jsessionid=A1B2»


@dataclass
class SiteRules:
    """What extraction must know about one outlet: its name, clock, date order and own staff names."""

    site: str
    timezone: str = "UTC"
    date_order: str = "unknown"  # DMY, MDY, YMD; unknown never resolves an ambiguous 3/7/2026
    staff_names: tuple[str, ...] = ()
    url_date_pattern: str | None = None  # regex with named groups y, m, d when dates in URLs are unusual


@dataclass
class FetchedPage:
    """A downloaded article page, as a spider yields it: raw bytes plus what discovery learned."""

    url: str
    final_url: str
    site: str
    body: bytes = field(repr=False)  # up to DOWNLOAD_MAXSIZE: never in a log line
    encoding: str | None
    headers: dict[str, str]
    fetched_at: datetime
    rules: SiteRules
    hints: dict[str, Any] = field(default_factory=dict)  # sitemap lastmod, news:publication_date, listing date


@dataclass
class Article:
    """One stored news article; field meanings: docs/schema.md."""

    url: str
    url_hash: str
    canonical_url: str | None
    site: str
    title: str | None
    body: str
    author: str | None
    published_at: datetime | None
    published_local: str | None
    published_at_source: str | None
    modified_at: datetime | None
    views: int | None
    comments: int | None
    shares: int | None
    agencies: list[str]
    agency_is_staff: bool
    dateline_place: str | None
    language: str | None
    lead_image: str | None
    tags: list[str]
    category: str | None
    fetched_at: datetime
    title_folded: str = ""
    body_folded: str = ""
    tokens: list[str] = field(default_factory=list)
    story_id: str | None = None
    duplicate_of: str | None = None
    story_similarity: float | None = None


def content_type(headers: Mapping[str, str]) -> str | None:
    """The Content-Type header of a page's headers, whatever the case of its name; None when there is none."""
    return next((v for k, v in headers.items() if k.lower() == "content-type"), None)


def _session_param(name: str, value: str) -> bool:
    name = unquote_plus(name).strip().lower()
    if name in SESSION_OR_PAGE_PARAMS:
        value = unquote_plus(value)
        return bool(_SESSION_TOKEN.fullmatch(value)) and (not value.isdigit() or len(value) > _LONGEST_NUMERIC_ID)
    return name in SESSION_PARAMS or name.startswith(SESSION_PARAM_PREFIXES)


def without_session_params(url: str) -> str:
    """The URL without its session and tracking parameters (SESSION_PARAMS, SESSION_OR_PAGE_PARAMS holding a session
    token; in the query or as ;path parameters), otherwise as written."""
    try:
        parts = urlsplit(url)
    except ValueError:  # «http://[x»: nothing to strip from what is no URL
        return url
    pairs = parts.query.split("&") if parts.query else []
    query = [pair for pair in pairs if not _session_param(*pair.partition("=")[::2])]
    path = _PATH_PARAM.sub(lambda param: "" if _session_param(param[1], param[2] or "") else param[0], parts.path)
    if len(query) == len(pairs) and path == parts.path:
        return url
    return urlunsplit(parts._replace(path=path, query="&".join(query)))


def canonical_url(url: str) -> str:
    """The canonical form of a URL, used for identity: without session and tracking parameters, then w3lib's
    canonical form (sorted query, no fragment)."""
    return canonicalize_url(without_session_params(url), keep_fragments=False)


def url_hash(url: str) -> str:
    """Stable identity of an article: SHA-1 of its canonical URL."""
    return hashlib.sha1(canonical_url(url).encode("utf-8")).hexdigest()
