"""Bytes to text for HTML pages: BOM, then HTTP charset, then meta charset, then detection.

A page said to be UTF-8 whose bytes are not is repaired rather than filled with U+FFFD: mostly invalid (a legacy
page labelled UTF-8) → decoded whole in its detected legacy encoding; partly invalid (legacy paragraphs pasted into
a UTF-8 page) → each word (run of non-ASCII bytes) that is not UTF-8 decoded in the legacy encoding; a few stray
bytes → dropped. NULs are removed.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes
from w3lib.encoding import html_to_unicode

LEGACY_DEFAULT = "cp1256"  # the legacy encoding of Arabic pages, when detection cannot tell
WHOLE_LEGACY, RUNS_LEGACY = 0.5, 0.05  # shares of non-ASCII bytes that are invalid UTF-8
_ESCAPED = re.compile("[\udc80-\udcff]+")  # invalid bytes, as the surrogateescape handler keeps them
_WORDS = re.compile(rb"[\x80-\xff]+|[\x00-\x7f]+")
_ASCII = bytes(range(128))


def _detect(body: bytes) -> str | None:
    best = from_bytes(body[:200_000], cp_isolation=None).best()
    return best.encoding if best else None


def _is_utf8(encoding: str | None) -> bool:
    try:
        return codecs.lookup(encoding or "").name == "utf-8"
    except LookupError:
        return False


def _legacy(data: bytes) -> str:
    found = _detect(data)
    return found if found and not _is_utf8(found) and codecs.lookup(found).name != "ascii" else LEGACY_DEFAULT


def _repair_utf8(body: bytes) -> tuple[str, str]:
    raw = body.removeprefix(codecs.BOM_UTF8).decode("utf-8", "surrogateescape")
    runs = [m.group().encode("utf-8", "surrogateescape") for m in _ESCAPED.finditer(raw)]
    share = sum(map(len, runs)) / max(1, len(body.translate(None, _ASCII)))
    if share >= WHOLE_LEGACY:
        legacy = _legacy(body)
        return legacy, body.decode(legacy, "replace")
    if share >= RUNS_LEGACY:
        legacy = _legacy(b" ".join(runs))
        return "utf-8", "".join(_word(m.group(), legacy) for m in _WORDS.finditer(body.removeprefix(codecs.BOM_UTF8)))
    return "utf-8", _ESCAPED.sub("", raw)


def _word(data: bytes, legacy: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode(legacy, "replace")


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode an HTML page; returns (encoding, text). Never raises: bytes no encoding explains become U+FFFD."""
    encoding, text = html_to_unicode(content_type, body, default_encoding="utf-8", auto_detect_fun=_detect)
    if "\ufffd" in text and _is_utf8(encoding):
        encoding, text = _repair_utf8(body)
    return encoding, text.replace("\x00", "")
