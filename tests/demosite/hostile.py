"""The hostile outlet (127.0.0.5): every catalogued bad page or response, plus a few valid articles and truth."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from urllib.parse import parse_qsl, urlsplit

from . import hostile_feeds as feeds
from . import hostile_pages as pages
from . import hostile_traps as traps
from .fmt import esc
from .hostile_articles import around_paragraphs
from .hostile_cases import HOSTILE_CASES
from .hostile_raw import (
    HTML,
    RSS,
    XML,
    delayed,
    gzip_bomb,
    pdf_document,
    png_image,
    redirect,
    reset_connection,
    short_body,
    streamed,
)
from .model import OUTLET_HOSTS, Outlet
from .site import RawResponse, Response

HUGE_PAGE_BYTES = 50 * 1024 * 1024
GIANT_PARAGRAPH_BYTES = 10 * 1024 * 1024
SLOW_SECONDS = 90.0  # longer than DOWNLOAD_TIMEOUT (30 s): a timeout with the default settings too
REDIRECT_HOPS = 25  # /news/9036 -> /hop/1 -> ... -> /hop/24 -> /news/7001
LIED_LENGTH = 200_000
HUGE_COUNT = 10**25 - 1
SENT_LENGTH = 300
FEED_CASES: tuple[str, ...] = ("/news/9011", "/news/9012", "/news/9014", "/news/9015", "/news/9016", "/news/9026")
CANARY = "/_canary/9043"
NEVER_CACHED = frozenset({CANARY, "/_canary.json"})
MONGO_KEYS_JSONLD = {"$where": "function () { return true; }", "a.b": {"$gt": ""}, "$set": {"admin": True},
                     "publisher": {"@type": "Organization", "name": "hostile", "x.y.z": 1, "$ne": None}}

Served = Response | RawResponse


class HostileSite:
    """Everything served on the hostile outlet's host; close() aborts pending slow responses and streams."""

    def __init__(self, outlet: Outlet, end_date: date) -> None:
        self.outlet = outlet
        self.base = outlet.base_url.rstrip("/")
        self.end_date = end_date
        self.specs = pages.valid_articles(end_date)
        self.closing = threading.Event()
        self._by_path = {s.path: s for s in self.specs}
        self._case_kinds = {c.path: c.kind for c in HOSTILE_CASES}
        self._cache: dict[str, Response] = {}
        self._lock = threading.Lock()
        self.canary_hits = 0  # requests for CANARY: only a page body naming it as a URL leads there
        self.builders: dict[str, Callable[[], Served]] = {**self._builders(),
                                                          **traps.builders(self.base, end_date, self.closing)}

    def close(self) -> None:
        """Abort slow responses and streams in flight (called when the demo site stops)."""
        self.closing.set()

    def truth(self) -> list[dict[str, object]]:
        """Truth records of the valid articles, newest first (same keys as the other outlets)."""
        return [s.truth(self.outlet.base_url) for s in self.specs]

    def get(self, target: str) -> Served:
        """Response for a request target; fixed 200 responses are cached by path (query strings ignored)."""
        parts = urlsplit(target)
        path = parts.path or "/"
        trap = traps.dynamic(self.base, path, parts.query)
        if trap is not None:
            return trap
        if path == "/news/9039" and parts.query:  # the pagination trap: never cached
            page = dict(parse_qsl(parts.query)).get("page", "")
            if page.isdigit() and 1 <= int(page) <= pages.TRAP_PAGES:
                return Response(200, HTML, pages.trap_html(int(page)).encode())
            return self._not_found()
        cached = self._cache.get(path)
        if cached is not None:
            return cached
        response = self._build(path)
        if isinstance(response, Response) and response.status == 200 and path not in NEVER_CACHED:
            self._cache[path] = response
        return response

    def _not_found(self) -> Response:
        return Response(404, HTML, pages.not_found_html().encode())

    def _build(self, path: str) -> Served:
        if path in self._case_kinds:
            return self.builders[self._case_kinds[path]]()
        if path in self._by_path:
            return self._html(pages.spec_text(self._by_path[path]))
        if path.startswith("/hop/"):
            hop = path.removeprefix("/hop/")
            if hop.isdigit() and 1 <= int(hop) < REDIRECT_HOPS:
                return redirect(f"/hop/{int(hop) + 1}" if int(hop) < REDIRECT_HOPS - 1 else self.specs[0].path)
        fixed: dict[str, Callable[[], Served]] = {
            "/": lambda: Response(200, HTML, feeds.home_html([(s.path, s.title) for s in self.specs]).encode()),
            feeds.INDEX_PATH: lambda: Response(200, XML, feeds.sitemap_index(self.base).encode()),
            feeds.GOOD_SITEMAP: lambda: Response(200, XML, feeds.good_sitemap(self.base, self._texts()).encode()),
            feeds.FEED_PATH: lambda: Response(200, RSS, feeds.rss_feed(self.base, self._texts(), FEED_CASES).encode()),
            "/_truth.jsonl": lambda: self._jsonl(self.truth()),
            "/_cases.jsonl": lambda: self._jsonl([c.as_json() for c in HOSTILE_CASES]),
            "/about": lambda: Response(200, HTML, pages.listing_html("hostile", [("/", "hostile")]).encode()),
            "/loop/9022": lambda: redirect("/news/9022"),
            "/refresh/9034": lambda: Response(200, HTML, pages.refresh_html("/news/9034").encode()),
            CANARY: self._canary,
            "/_canary.json": lambda: Response(200, "application/json", json.dumps({"hits": self.canary_hits}).encode()),
        }
        if path in fixed:
            return fixed[path]()
        if path.startswith("/admin/") or path == "/admin":
            return Response(403, HTML, pages.not_found_html().replace("404", "403").encode())
        return self._not_found()

    def _texts(self) -> list[tuple[str, pages.PageText]]:
        return [(s.path, pages.spec_text(s)) for s in self.specs]

    @staticmethod
    def _jsonl(records: list[dict[str, object]]) -> Response:
        lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        return Response(200, "application/x-ndjson; charset=utf-8", lines.encode())

    @staticmethod
    def _html(text: pages.PageText, content_type: str = HTML, **options: str | None) -> Response:
        return Response(200, content_type, pages.article_html(text, **options).encode())

    def _canary(self) -> Response:
        with self._lock:
            self.canary_hits += 1
        return Response(200, HTML, pages.listing_html("canary", []).encode())

    def _text(self, kind: str) -> pages.PageText:
        return pages.case_text(kind, self.end_date)

    def _page(self, kind: str, **options: str | None) -> str:
        return pages.article_html(self._text(kind), **options)

    def _huge_page(self) -> RawResponse:
        text = self._text("huge-page")
        head, tail = around_paragraphs(text)
        unit = "".join(f"<p>{esc(p)}</p>\n" for p in text.paragraphs).encode()
        return streamed(HTML, head.encode(), unit, HUGE_PAGE_BYTES, tail.encode(), self.closing)

    def _giant_paragraph(self) -> RawResponse:
        text = self._text("giant-paragraph")
        head, tail = pages.article_html(replace(text, paragraphs=("\x00CUT",))).split("\x00CUT")
        unit = (esc(" ".join(text.paragraphs)) + " ").encode()
        return streamed(HTML, head.encode(), unit, GIANT_PARAGRAPH_BYTES, tail.encode(), self.closing)

    def _builders(self) -> dict[str, Callable[[], Served]]:
        """One builder per case kind."""
        base, text, page, html = self.base, self._text, self._page, self._html
        nabaa = f"http://{OUTLET_HOSTS['nabaa']}:{urlsplit(self.outlet.base_url).port}/"
        mongo_ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle",
                               "headline": text("jsonld-mongo-keys").title, **MONGO_KEYS_JSONLD}, ensure_ascii=False)
        broken_ld = '{"@type": "NewsArticle", headline: «عنوان», "datePublished": 2026-11-10, } <!-- ]]>'
        return {
            "empty-body": lambda: Response(200, HTML, b""),
            "pdf-as-html": lambda: Response(200, HTML, pdf_document()),
            "png-as-html": lambda: Response(200, "text/html", png_image()),
            "truncated-html": lambda: Response(200, HTML, pages.truncated_html(text("truncated-html"))),
            "huge-page": self._huge_page,
            "gzip-bomb": lambda: Response(200, HTML, gzip_bomb(), (("Content-Encoding", "gzip"),)),
            "wrong-charset": lambda: Response(200, HTML, page("wrong-charset").encode("cp1256", "xmlcharrefreplace")),
            "no-charset-cp1256": lambda: Response(
                200, "text/html", page("no-charset-cp1256", charset=None).encode("cp1256", "xmlcharrefreplace")),
            "mixed-encoding": lambda: Response(200, HTML, pages.mixed_encoding(text("mixed-encoding"))),
            "js-only": lambda: Response(200, HTML, pages.js_only_html(text("js-only")).encode()),
            "english": lambda: html(pages.english_text(self.end_date), lang="en"),
            "persian": lambda: html(pages.persian_text(self.end_date), lang="fa"),
            "no-title": lambda: html(replace(text("no-title"), title=None)),
            "no-date": lambda: html(replace(text("no-date"), published=None)),
            "future-date": lambda: html(pages.dated(text("future-date"), 2031)),
            "ancient-date": lambda: html(pages.dated(text("ancient-date"), 1975)),
            "deep-tables": lambda: html(text("deep-tables"), after=pages.deep_tables()),
            "status-404": self._not_found,
            "status-410": lambda: Response(410, HTML, pages.listing_html("410", []).encode()),
            "status-500": lambda: Response(500, "text/plain; charset=utf-8", b"internal server error\n"),
            "status-503": lambda: Response(503, "text/plain; charset=utf-8", b"busy\n", (("Retry-After", "1"),)),
            "redirect-loop": lambda: redirect("/loop/9022"),
            "redirect-offsite": lambda: redirect(nabaa),
            "slow-response": lambda: delayed(html(text("slow-response")), SLOW_SECONDS, self.closing),
            "connection-reset": reset_connection,
            "jsonld-mongo-keys": lambda: html(text("jsonld-mongo-keys"), jsonld=mongo_ld),
            "jsonld-not-json": lambda: html(text("jsonld-not-json"), jsonld=broken_ld),
            "many-links": lambda: Response(200, HTML, pages.many_links_html().encode()),
            "invalid-utf8": lambda: Response(200, HTML, pages.with_invalid_utf8(page("invalid-utf8"))),
            "nul-bytes": lambda: Response(200, HTML, pages.with_nuls(page("nul-bytes"))),
            "giant-paragraph": self._giant_paragraph,
            "html-as-json": lambda: html(text("html-as-json"), "application/json; charset=utf-8"),
            "many-h1": lambda: html(text("many-h1"), after=pages.many_h1()),
            "meta-refresh-loop": lambda: Response(200, HTML, pages.refresh_html("/refresh/9034").encode()),
            "content-length-lie": lambda: short_body(
                Response(200, HTML, page("content-length-lie").encode()[:SENT_LENGTH]), LIED_LENGTH),
            "redirect-chain": lambda: redirect("/hop/1"),
            "utf16-bom": lambda: Response(200, HTML, ("\ufeff" + page("utf16-bom")).encode("utf-16-le")),
            "soft-404": lambda: Response(200, HTML, pages.soft_404_html().encode()),
            "pagination-trap": lambda: Response(200, HTML, pages.trap_html(1).encode()),
            "invisible-marks": lambda: html(pages.invisible_text(text("invisible-marks"))),
            "unknown-charset": lambda: html(text("unknown-charset"), "text/html; charset=x-klingon",
                                            charset="x-klingon"),
            "bad-gzip": lambda: Response(200, HTML, page("bad-gzip").encode(), (("Content-Encoding", "gzip"),)),
            "url-as-body": lambda: Response(200, HTML, (base + CANARY).encode()),
            "control-chars": lambda: Response(200, HTML, pages.with_controls(
                pages.article_html(replace(text("control-chars"), published=None), after="<script>var a;</script>\n"))),
            "huge-counter": lambda: html(replace(text("huge-counter"), views=HUGE_COUNT)),
            "malformed-sitemap": lambda: Response(200, XML, feeds.malformed_sitemap(base).encode()),
            "huge-sitemap": lambda: Response(200, XML, feeds.huge_sitemap(base).encode()),
            "entity-expansion-sitemap": lambda: Response(200, XML, feeds.lol_sitemap(base).encode()),
            "xxe-sitemap": lambda: Response(200, XML, feeds.xxe_sitemap(base).encode()),
            "sitemap-index-loop": lambda: Response(200, XML, feeds.loop_index(base).encode()),
            "sitemap-gzip-bomb": lambda: Response(200, "application/gzip", gzip_bomb()),
            "broken-rss": lambda: Response(200, RSS, feeds.broken_rss(base).encode()),
        }
