"""Tiny loopback-only HTTP client helpers for tests against the demo site (stdlib urllib, no proxies)."""

from __future__ import annotations

import urllib.request
from email.message import Message
from html.parser import HTMLParser
from urllib.error import HTTPError
from urllib.parse import urljoin, urlsplit

_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never route loopback via a proxy


def fetch(url: str, timeout: float = 10) -> tuple[int, Message, bytes]:
    """GET a 127.0.0.0/8 URL (redirects followed); returns status, headers and body, also for 4xx/5xx."""
    host = urlsplit(url).hostname or ""
    if not host.startswith("127."):
        raise ValueError(f"refusing non-loopback URL: {url}")
    try:
        with _OPENER.open(url, timeout=timeout) as resp:
            return resp.status, resp.headers, resp.read()
    except HTTPError as err:
        return err.code, err.headers, err.read()


def text_of(headers: Message, body: bytes) -> str:
    """Decode a body with the charset named in its Content-Type (utf-8 when absent)."""
    return body.decode(headers.get_content_charset() or "utf-8")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href and not href.startswith("#"):
            self.hrefs.append(href)


def links(page_url: str, page: str) -> list[str]:
    """Absolute URLs of every <a href> on a page (in-page #anchors skipped)."""
    parser = _Links()
    parser.feed(page)
    return [urljoin(page_url, h) for h in parser.hrefs]
