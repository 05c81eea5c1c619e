"""urllib helpers for tests of the hostile outlet: loopback only, redirects never followed, bounded reads."""

from __future__ import annotations

import json
import re
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from email.message import Message
from typing import Any
from urllib.error import HTTPError
from urllib.parse import urlsplit


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a 3xx is returned to the caller as it is


_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())
_JSONLD = re.compile(rb'<script type="application/ld\+json">(.*?)</script>', re.S)


@dataclass(frozen=True)
class Reply:
    """Status, headers and (at most `limit` bytes of) body of one response."""

    status: int
    headers: Message
    body: bytes

    @property
    def content_type(self) -> str | None:
        """The Content-Type header as sent."""
        return self.headers.get("Content-Type")

    @property
    def length(self) -> int | None:
        """The Content-Length header as an int."""
        value = self.headers.get("Content-Length")
        return int(value) if value is not None else None


def check_loopback(url: str) -> str:
    """The URL itself; ValueError unless its host is in 127.0.0.0/8."""
    host = urlsplit(url).hostname or ""
    if not host.startswith("127."):
        raise ValueError(f"refusing non-loopback URL: {url}")
    return url


def request(url: str, method: str = "GET", timeout: float = 5.0, limit: int | None = None) -> Reply:
    """One request to a loopback URL; 3xx/4xx/5xx are returned, not raised; reads at most `limit` body bytes."""
    req = urllib.request.Request(check_loopback(url), method=method)
    try:
        resp = _OPENER.open(req, timeout=timeout)
    except HTTPError as err:
        resp = err
    with resp:
        body = resp.read() if limit is None else resp.read(limit)
        return Reply(resp.status, resp.headers, body)


def is_utf8(body: bytes) -> bool:
    """Whether the bytes are valid UTF-8."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def xml_fails(body: bytes) -> bool:
    """Whether a strict XML parser rejects the bytes."""
    try:
        ET.fromstring(body)
    except ET.ParseError:
        return True
    return False


def jsonld_of(body: bytes) -> dict[str, object] | None:
    """The first JSON-LD block of a page as a dict, None when there is none or it is not JSON."""
    match = _JSONLD.search(body)
    try:
        return json.loads(match.group(1)) if match else None
    except json.JSONDecodeError:
        return None


def answers_as_catalogued(base: str, case: Any, simple: dict[str, tuple[int, str, Any]],
                          special: dict[str, Any]) -> None:
    """Assert that the outlet answers a case as catalogued: by its own check (special), or with the status, content
    type, exact Content-Length and body check of its simple row."""
    url = base + case.path
    if case.kind in special:
        special[case.kind](base, url)
        return
    status, content_type, check = simple[case.kind]
    reply = request(url)
    assert (reply.status, reply.content_type, reply.length) == (status, content_type, len(reply.body))
    assert check(reply.body)
