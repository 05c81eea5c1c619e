"""Make any document safe to store, whatever page data it carries: field names MongoDB would read as operators or
paths, integers BSON cannot hold, text that cannot be encoded, and nesting deeper than the store accepts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
MAX_DEPTH = 64  # MongoDB refuses documents nested deeper than 100 levels
_KEY = str.maketrans({"$": "＄", ".": "．", "\x00": None})


def safe_key(key: object) -> str:
    """A field name stored as written: `$` becomes ＄ (U+FF04), `.` becomes ． (U+FF0E), NULs are dropped."""
    return str(key).translate(_KEY) or "_"


def safe_text(text: str) -> str:
    """The text, with lone surrogates (which UTF-8 cannot encode) replaced by '?'."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return text


def sanitize_value(value: Any, depth: int = 0) -> Any:
    """A value made storable: see sanitize_document."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return value if INT64_MIN <= value <= INT64_MAX else None
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, Mapping | list | tuple | set | frozenset) and depth >= MAX_DEPTH:
        return None
    if isinstance(value, Mapping):
        return {safe_key(k): sanitize_value(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [sanitize_value(v, depth + 1) for v in value]
    return value


def sanitize_document(doc: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of doc that any MongoDB stores as is: `$`/`.` in keys replaced (at every level), integers beyond
    64 bits and containers nested over MAX_DEPTH set to null, unencodable characters replaced."""
    return {safe_key(k): sanitize_value(v, 1) for k, v in doc.items()}
