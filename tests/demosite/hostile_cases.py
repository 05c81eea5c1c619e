"""The catalogue of bad pages and responses served by the hostile outlet (127.0.0.5), and their expected outcomes."""

from __future__ import annotations

from typing import NamedTuple

from .model import HOSTILE_NAME

__all__ = ["CASES_BY_KIND", "HOSTILE_CASES", "HOSTILE_NAME", "OUTCOMES", "HostileCase"]

# What a robust crawl should record for a case; every case must end in exactly one recorded outcome.
OUTCOMES: dict[str, str] = {
    "stored": "a valid article: stored (fields the page lacks are null), text readable, no U+FFFD or NUL",
    "filtered": "a valid article the pipelines drop on purpose (not Arabic), counted in the crawl stats",
    "implausible_date": "a valid article whose date cannot be a publication date: never stored with that date "
                        "(stored without it, or dropped as out of window)",
    "no_article": "a 2xx page that holds no article: an extraction failure is recorded, nothing stored",
    "http_error": "a non-2xx final status: recorded, nothing stored, retries bounded (Retry-After honoured or capped)",
    "redirect_error": "a redirect (HTTP or meta refresh) loop or chain beyond REDIRECT_MAX_TIMES: recorded, nothing "
                      "stored",
    "offsite": "a redirect to another host, or to this host on another port: not followed by this outlet's crawl",
    "refused_scheme": "a redirect to a scheme other than http(s) (file:, ftp:, data:, javascript:): not followed",
    "timeout": "no response within DOWNLOAD_TIMEOUT: recorded, the crawl goes on",
    "transfer_error": "connection reset, body shorter than Content-Length, or an undecodable Content-Encoding",
    "too_large": "download (body or headers), decompressed body or extracted text over a size cap: aborted or "
                 "dropped, memory bounded",
    "discovery_rejected": "a sitemap or feed that cannot be read safely: skipped (entities never expanded, no local "
                          "file read); a recovering parser may keep the entries before the break",
    "discovery_capped": "a robots.txt, page, feed or sitemap announcing more than a discovery limit allows: only "
                        "that many used",
    "bounded": "a crawl trap (endless links, pages, sitemap indexes or cookies): the crawl follows a bounded number, "
               "at a cost linear in the page, and ends",
}


class HostileCase(NamedTuple):
    """One hostile page or response: a stable kind, its path on 127.0.0.5, what it is and the expected outcome."""

    kind: str
    path: str
    description: str
    expected_outcome: str

    def as_json(self) -> dict[str, str]:
        """The case as one /_cases.jsonl record."""
        return self._asdict()


def _case(kind: str, path: str, description: str, expected_outcome: str) -> HostileCase:
    if expected_outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {expected_outcome!r}")
    return HostileCase(kind, path, description, expected_outcome)


HOSTILE_CASES: list[HostileCase] = [
    _case("empty-body", "/news/9001", "200 text/html with a 0-byte body", "no_article"),
    _case("pdf-as-html", "/news/9002", "a binary PDF document served as text/html; charset=utf-8", "no_article"),
    _case("png-as-html", "/news/9003", "a PNG image served as text/html", "no_article"),
    _case("truncated-html", "/news/9004", "a full article whose HTML stops mid-tag (no closing tags)", "stored"),
    _case("huge-page", "/news/9005", "a 50 MiB HTML page (exact Content-Length), streamed", "too_large"),
    _case("gzip-bomb", "/news/9006", "Content-Encoding: gzip, ~1 MiB compressed expanding to 1 GiB of zeros",
          "too_large"),
    _case("wrong-charset", "/news/9007", "header and meta say utf-8, the body is windows-1256", "stored"),
    _case("no-charset-cp1256", "/news/9008", "windows-1256 body with no charset in the header or the page", "stored"),
    _case("mixed-encoding", "/news/9009", "utf-8 page whose second half of paragraphs is windows-1256 bytes",
          "stored"),
    _case("js-only", "/news/9010", "the article only exists inside a script (base64), the HTML is an empty shell",
          "no_article"),
    _case("english", "/news/9011", "a complete article in English", "filtered"),
    _case("persian", "/news/9012", "a complete article in Persian (پ چ ژ گ ی ک)", "filtered"),
    _case("no-title", "/news/9013", "an article with no <title>, no <h1>, no og:title, no headline", "stored"),
    _case("no-date", "/news/9014", "an article with no date anywhere (page, metadata, URL)", "stored"),
    _case("future-date", "/news/9015", "an article dated 2031 in JSON-LD, meta and visible text",
          "implausible_date"),
    _case("ancient-date", "/news/9016", "an article dated 1975 in JSON-LD, meta and visible text",
          "implausible_date"),
    _case("deep-tables", "/news/9017", "an article followed by tables nested 10,000 deep", "stored"),
    _case("status-404", "/news/9018", "404 Not Found with an HTML error page", "http_error"),
    _case("status-410", "/news/9019", "410 Gone", "http_error"),
    _case("status-500", "/news/9020", "500 Internal Server Error", "http_error"),
    _case("status-503", "/news/9021", "503 Service Unavailable with Retry-After: 1, every time", "http_error"),
    _case("redirect-loop", "/news/9022", "302 to /loop/9022, which 302s back to /news/9022", "redirect_error"),
    _case("redirect-offsite", "/news/9023", "302 to another demo outlet's home page (127.0.0.2, loopback)",
          "offsite"),
    _case("slow-response", "/news/9024", "the server waits 90 s (over DOWNLOAD_TIMEOUT) before answering (aborted "
          "when the site stops)", "timeout"),
    _case("connection-reset", "/news/9025", "half a status line, then the socket is reset (SO_LINGER 0)",
          "transfer_error"),
    _case("jsonld-mongo-keys", "/news/9026", "valid article whose JSON-LD has $-prefixed and dotted keys "
          "($where, a.b, $set)", "stored"),
    _case("jsonld-not-json", "/news/9027", "valid article whose application/ld+json script is not JSON", "stored"),
    _case("many-links", "/news/9028", "100,000 links to /news/x000000... article-shaped URLs that all 404",
          "bounded"),
    _case("invalid-utf8", "/news/9029", "utf-8 article with invalid bytes (0xff, overlong, lone continuation)",
          "stored"),
    _case("nul-bytes", "/news/9030", "an article with NUL bytes inside tags, text and attributes", "stored"),
    _case("giant-paragraph", "/news/9031", "an article whose body is a single 10 MiB paragraph on one line",
          "too_large"),
    _case("html-as-json", "/news/9032", "an HTML article served as application/json", "no_article"),
    _case("many-h1", "/news/9033", "an article followed by 5,000 <h1> elements", "stored"),
    _case("meta-refresh-loop", "/news/9034", "<meta http-equiv=refresh> to /refresh/9034, which refreshes back",
          "redirect_error"),
    _case("content-length-lie", "/news/9035", "Content-Length: 200000, then 300 bytes and the connection closes",
          "transfer_error"),
    _case("redirect-chain", "/news/9036", "25 successive 302 hops (/hop/1 .. /hop/24) ending at a valid article",
          "redirect_error"),
    _case("utf16-bom", "/news/9037", "a UTF-16LE page with a BOM, header says charset=utf-8", "stored"),
    _case("soft-404", "/news/9038", "200 OK whose page says «الصفحة غير موجودة»", "no_article"),
    _case("pagination-trap", "/news/9039", "listing pages ?page=N each linking to the next, up to page 100,000",
          "bounded"),
    _case("invisible-marks", "/news/9040", "an article whose title and body are full of bidi controls, "
          "zero-width marks, U+FEFF and presentation forms", "stored"),
    _case("unknown-charset", "/news/9041", "utf-8 article labelled charset=x-klingon in header and meta", "stored"),
    _case("bad-gzip", "/news/9042", "Content-Encoding: gzip on a body that is plain HTML", "transfer_error"),
    _case("url-as-body", "/news/9043", "the whole body is one loopback URL without spaces (/_canary/9043): code that "
          "takes such a string for a URL to download (htmldate's load_html does) fetches it; /_canary.json counts "
          "the fetches, which must stay 0", "no_article"),
    _case("huge-counter", "/news/9044", "an article showing a 25-digit view count (over BSON's int64)", "stored"),
    _case("control-chars", "/news/9045", "an undated article with C0 control characters (0x01 right after a "
          "</script>, 0x1f and 0x0b between sentences)", "stored"),
    _case("endless-headers", "/news/9046", "a status line, then header lines without end (1 MiB/s) until the client "
          "hangs up", "too_large"),
    _case("unsized-download", "/news/9047", "a 24 MiB HTML page in chunked transfer coding, no Content-Length",
          "too_large"),
    _case("comment-forms", "/news/9048", "an article between 12,000 reply forms (a 420 KB page)", "stored"),
    _case("big-paragraph", "/news/9049", "a 1.9 MB page (under EXTRACT_MAX_BYTES) whose body is one paragraph",
          "stored"),
    _case("slow-extraction", "/news/9050", "an article after 210,000 one-letter paragraphs (1.9 MB): "
          "trafilatura would need over a minute of CPU and 360 MB", "too_large"),
    _case("cookie-flood", "/news/9051", "an article whose response sets 150 cookies of 100 bytes (over "
          "COOKIES_PER_HOST_MAX and COOKIES_BYTES_PER_HOST_MAX, under the header limits)", "bounded"),
    _case("session-id-trap", "/news/9052", "an article the home page links 50 times as /news/9052?sid=<random>",
          "stored"),
    _case("script-urls", "/news/9053", "an article whose canonical link is javascript:alert(document.cookie) and "
          "whose og:image and og:url are file:///etc/passwd", "stored"),
    _case("exponent-count", "/news/9054", "an article whose comment counter reads «1e30 تعليق»", "stored"),
    _case("giant-h1", "/news/9055", "an article after a banner <h1> of 1 MB (one word repeated)", "stored"),
    _case("giant-word", "/news/9056", "an article with a 500,000-letter word (no space) in its body", "stored"),
    _case("redirect-other-port", "/news/9057", "302 to a valid article on this host at another port", "offsite"),
    _case("redirect-file", "/news/9058", "302 to file:///etc/passwd", "refused_scheme"),
    _case("redirect-ftp", "/news/9059", "302 to ftp://127.0.0.5/news/7001", "refused_scheme"),
    _case("redirect-data", "/news/9060", "302 to a data:text/html;base64 URL holding a whole article",
          "refused_scheme"),
    _case("redirect-javascript", "/news/9061", "302 to javascript:alert(document.cookie)", "refused_scheme"),
    _case("retry-after-hour", "/news/9062", "429 Too Many Requests with Retry-After: 3600, every time", "http_error"),
    _case("year-9999", "/news/9063", "an article dated 9999-11-15 in JSON-LD, meta and <time>", "implausible_date"),
    _case("year-0", "/news/9064", "an article dated 0000-11-15 in JSON-LD, meta and <time>", "implausible_date"),
    _case("utf16-no-bom", "/news/9065", "a UTF-16LE page without a BOM, labelled charset=utf-16 in the header",
          "stored"),
    _case("ebcdic-cp037", "/news/9066", "a page in EBCDIC (cp037, labelled in the header), its Arabic as character "
          "references", "stored"),
    _case("deep-nesting", "/news/9067", "an article inside <div> elements nested 150,000 deep", "stored"),
    _case("malformed-sitemap", "/sitemaps/malformed.xml", "sitemap with broken XML after a few entries "
          "(listed in the sitemap index)", "discovery_rejected"),
    _case("huge-sitemap", "/sitemaps/huge.xml", "urlset of 60,000 URLs (protocol limit 50,000), all 404",
          "discovery_capped"),
    _case("entity-expansion-sitemap", "/sitemaps/lol.xml", "sitemap with a billion-laughs internal entity DTD",
          "discovery_rejected"),
    _case("xxe-sitemap", "/sitemaps/xxe.xml", "sitemap with an external entity pointing at file:///etc/hostname",
          "discovery_rejected"),
    _case("sitemap-index-loop", "/sitemaps/loop-index.xml", "sitemap index listing itself and the root index",
          "bounded"),
    _case("sitemap-gzip-bomb", "/sitemaps/bomb.xml.gz", "a .xml.gz sitemap that gunzips to 1 GiB of zeros",
          "too_large"),
    _case("sitemap-index-chain", "/sitemaps/chain/1.xml", "sitemap index listing /sitemaps/chain/2.xml, which "
          "lists 3.xml, and so on without end", "bounded"),
    _case("broken-rss", "/rss-broken.xml", "RSS with broken XML (undefined entity, mismatched and unclosed tags), "
          "linked from the home page", "discovery_rejected"),
    _case("huge-feed", "/rss-huge.xml", "RSS of 110,000 items (the outlet's article pages over and over), announced "
          "by the home page", "discovery_capped"),
    _case("robots-many-sitemaps", "/robots.txt", "robots.txt naming the sitemap index, then 100,000 sitemaps that "
          "all 404", "discovery_capped"),
    _case("many-feeds", "/archive/feeds", "a listing (a next page of the home page) announcing 50,000 feeds "
          "(/feeds/N.xml, each empty)", "discovery_capped"),
    _case("many-next-links", "/archive/next", "a listing (a next page of the home page) with 100,000 rel=next links "
          "(/archive/next?page=N, each an empty listing)", "bounded"),
    _case("same-article-anchors", "/archive/same", "a listing (a next page of the home page) with 1,500 undated "
          "items all linking to /news/7003", "bounded"),
]

CASES_BY_KIND: dict[str, HostileCase] = {c.kind: c for c in HOSTILE_CASES}
