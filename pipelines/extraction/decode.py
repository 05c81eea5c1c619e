"""Bytes to text for HTML pages: BOM, then HTTP charset, then meta charset, then detection; any encoding Python knows
(UTF-16 and UTF-32, EBCDIC code pages such as cp037, legacy ones). A label whose text does not read as HTML (the
mojibake of a wrong label) is not trusted: the page is decoded in the first candidate encoding whose text does.

A page said to be UTF-8 whose bytes are not is repaired rather than filled with U+FFFD: mostly invalid (a legacy
page labelled UTF-8) → decoded whole in its detected legacy encoding; partly invalid (legacy paragraphs pasted into
a UTF-8 page) → each word (run of non-ASCII bytes) that is not UTF-8 decoded in the legacy encoding; a few stray
bytes → dropped. NULs are removed.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from collections.abc import Iterator

from charset_normalizer import from_bytes
from w3lib.encoding import html_to_unicode

LEGACY_DEFAULT = "cp1256"  # the legacy encoding of Arabic pages, when detection cannot tell
WHOLE_LEGACY, RUNS_LEGACY = 0.5, 0.05  # shares of non-ASCII bytes that are invalid UTF-8
_ESCAPED = re.compile("[\udc80-\udcff]+")  # invalid bytes, as the surrogateescape handler keeps them
_WORDS = re.compile(rb"[\x80-\xff]+|[\x00-\x7f]+")
_ASCII = bytes(range(128))
# The tags of an HTML page, looked for in its first characters: present whatever the page's language.
_MARKUP = re.compile(r"<(?:!doctype|html|head|body|meta|title|div|p|a|span|article|section|main|table|h[1-6]|script"
                     r"|link|style|header|nav|ul|br|img)[\s/>]", re.IGNORECASE)
_MARKUP_WINDOW = 65_536
_UTF16_NULS = 0.3  # share of a half's bytes that are NULs in UTF-16 markup (ASCII: one byte of two)
_FALLBACKS = ("cp037", "utf-8", LEGACY_DEFAULT)


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


def _reads_as_html(text: str) -> bool:
    """Whether text is HTML rather than the mojibake of a wrong encoding: its tags are there to read."""
    return _MARKUP.search(text, 0, _MARKUP_WINDOW) is not None


def _byte_order(body: bytes) -> str | None:
    """UTF-16 without a BOM, told by where its NULs are (the ASCII of the markup is half NULs); None if not UTF-16."""
    sample = body[:_MARKUP_WINDOW]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if max(even, odd) < _UTF16_NULS * len(sample) / 2 or min(even, odd) > max(even, odd) / 4:
        return None
    return "utf-16-le" if odd > even else "utf-16-be"


def _candidates(body: bytes) -> Iterator[str]:
    """Encodings to try on a page its label did not decode into HTML: UTF-16 in the byte order its NULs show, what
    detection finds, then EBCDIC (its markup bytes are not ASCII), UTF-8 and the Arabic legacy default."""
    for encoding in (_byte_order(body), _detect(body), *_FALLBACKS):
        with contextlib.suppress(LookupError):
            if encoding:
                yield codecs.lookup(encoding).name


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode an HTML page; returns (encoding, text). Never raises: bytes no encoding explains become U+FFFD.

    A label (BOM, HTTP charset, meta charset) is trusted only when its text reads as HTML: a page labelled UTF-16
    without a BOM in the other byte order, or labelled in an encoding it is not in, is decoded in the first of the
    candidate encodings whose text does."""
    encoding, text = html_to_unicode(content_type, body, default_encoding="utf-8", auto_detect_fun=_detect)
    if not _reads_as_html(text):
        encoding, text = next(((name, decoded) for name in _candidates(body)
                               if _reads_as_html(decoded := body.decode(name, "replace"))), (encoding, text))
    if "\ufffd" in text and _is_utf8(encoding):
        encoding, text = _repair_utf8(body)
    return encoding, text.replace("\x00", "")
