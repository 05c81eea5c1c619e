"""Bytes to text for HTML pages: BOM, then HTTP charset, then meta charset, then detection."""

from __future__ import annotations

from charset_normalizer import from_bytes
from w3lib.encoding import html_to_unicode


def _detect(body: bytes) -> str | None:
    best = from_bytes(body[:200_000], cp_isolation=None).best()
    return best.encoding if best else None


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode an HTML page; returns (encoding, text). Undecodable bytes become U+FFFD, never an error."""
    encoding, text = html_to_unicode(content_type, body, default_encoding="utf-8", auto_detect_fun=_detect)
    return encoding, text
