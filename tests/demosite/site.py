"""Request routing for the index host and each outlet host, with an in-memory cache of rendered responses."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl, urlsplit

from . import feeds
from .fmt import esc
from .layouts import LAYOUTS, Layout
from .model import ArticleSpec, Outlet

# 1x1 transparent GIF served for every image URL.
PIXEL = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
         b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")
_MONTH_SITEMAP = re.compile(r"/sitemaps/(\d{4}-\d{2})\.xml")
_XML = "application/xml; charset=utf-8"


@dataclass(frozen=True)
class Response:
    """A complete HTTP response body with status, Content-Type and extra headers."""

    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class RawResponse:
    """A response that writes to the socket itself (streamed, slow, lying or reset); `send(handler, head)`."""

    send: Callable[[BaseHTTPRequestHandler, bool], None]


class OutletSite:
    """Everything served on one outlet host."""

    def __init__(self, outlet: Outlet, specs: Sequence[ArticleSpec], layout: type[Layout] | None = None) -> None:
        self.outlet = outlet
        self.specs = tuple(specs)
        self.layout = (layout or LAYOUTS[outlet.name])(outlet, self.specs)
        self.months = feeds.months(self.specs)
        self._cache: dict[str, Response] = {}

    def truth(self) -> list[dict[str, object]]:
        """Truth records, newest first."""
        return [s.truth(self.outlet.base_url) for s in self.specs]

    def get(self, target: str) -> Response:
        """Response for a request target (path plus optional query); 200 responses are cached."""
        cached = self._cache.get(target)
        if cached is not None:
            return cached
        response = self._build(target)
        if response.status == 200:
            self._cache[target] = response
        return response

    def _html(self, text: str, status: int = 200) -> Response:
        return Response(status, f"text/html; charset={self.outlet.encoding}", text.encode(self.outlet.encoding))

    def _build(self, target: str) -> Response:
        parts = urlsplit(target)
        path = parts.path or "/"
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        outlet = self.outlet
        if path == "/robots.txt":
            return Response(200, "text/plain; charset=utf-8", feeds.robots_txt(outlet).encode())
        if path == "/sitemap_index.xml":
            return Response(200, _XML, feeds.sitemap_index(outlet, self.specs).encode())
        if path == feeds.NEWS_SITEMAP_PATH:
            return Response(200, _XML, feeds.news_sitemap(outlet, self.specs).encode())
        month = _MONTH_SITEMAP.fullmatch(path)
        if month and month.group(1) in self.months:
            return Response(200, _XML, feeds.month_sitemap(outlet, self.months[month.group(1)]).encode())
        if path == self.layout.feed_path:
            rss = feeds.rss_feed(outlet, self.specs, self.layout.feed_path, self.layout.tagline)
            return Response(200, f"application/rss+xml; charset={outlet.encoding}", rss.encode(outlet.encoding))
        if path == "/_truth.jsonl":
            lines = "".join(json.dumps(t, ensure_ascii=False) + "\n" for t in self.truth())
            return Response(200, "application/x-ndjson; charset=utf-8", lines.encode())
        if path.startswith("/images/") and path.endswith((".jpg", ".png", ".gif")):
            return Response(200, "image/gif", PIXEL)
        if path.startswith(("/admin/", "/wp-admin/")) or path in ("/admin", "/wp-admin"):
            return self._html(self.layout.not_found(), 403)
        html = self.layout.route(path, query)
        if html is not None:
            return self._html(html)
        if not path.endswith("/") and self.layout.route(path + "/", query) is not None:
            location = path + "/" + (f"?{parts.query}" if parts.query else "")
            return Response(301, "text/html; charset=utf-8", b"", (("Location", location),))
        return self._html(self.layout.not_found(), 404)


class IndexSite:
    """The 127.0.0.1 host: a page linking to every outlet's home URL."""

    def __init__(self, outlets: Sequence[Outlet]) -> None:
        self.outlets = tuple(outlets)

    def get(self, target: str) -> Response:
        """Response for a request target on the index host."""
        path = urlsplit(target).path or "/"
        if path == "/":
            items = "".join(f'<li><a href="{o.base_url}">{esc(o.display_name)}</a> ({o.name})</li>\n'
                            for o in self.outlets)
            page = ('<!DOCTYPE html>\n<html lang="ar" dir="rtl">\n<head>\n<meta charset="utf-8">\n'
                    "<title>akhbar - المواقع التجريبية</title>\n</head>\n<body>\n<h1>المواقع التجريبية</h1>\n"
                    f"<ul>\n{items}</ul>\n</body>\n</html>\n")
            return Response(200, "text/html; charset=utf-8", page.encode())
        if path == "/robots.txt":
            return Response(200, "text/plain; charset=utf-8", b"User-agent: *\nDisallow:\n")
        body = '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>404</title></head><body>404</body></html>\n'
        return Response(404, "text/html; charset=utf-8", body.encode())
