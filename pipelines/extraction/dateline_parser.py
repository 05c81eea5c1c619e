"""Reads the dateline and credit forms of datelines.py in one text: the place, and the sources it names."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import islice

from pipelines.extraction.agencies import AGENCY_LOOKUP, agency_key
from pipelines.extraction.datelines import (
    CLOSING_FORMS,
    CREDIT_LABELS,
    CREDIT_TAIL,
    HEADER_FORMS,
    NOT_PLACE_WORDS,
    OPENING_FORMS,
    QUOTES,
    SOURCE_SEPARATORS,
    Form,
    name_forms,
)

_STAFF = "\x00staff"
_NOT_PLACE = frozenset(map(agency_key, NOT_PLACE_WORDS))
_MAX_SPAN = 6  # words in the longest source name («وكالة الأنباء والمعلومات الفلسطينية»)
_MAX_BARE = 8  # words read after «PLACE -» when no delimiter closes the sources
_DELIMITED = re.compile(r"(?P<src>[^:\n()\-–—]{1,60}?)\s*(?::|[-–—]{1,2})")
_TRAILING = ".،,:;؛!؟?"
_LABEL_ONLY = re.compile(rf"^\s*(?:{'|'.join(map(re.escape, CREDIT_LABELS))})\s*:\s*$")


@dataclass(frozen=True)
class Dateline:
    """What a dateline or credit says: the place, the canonical agencies, whether it names the outlet's own staff,
    and the form(s) it was read from (``datelines`` table names, «+»-joined when a body has two)."""

    place: str | None = None
    agencies: list[str] = field(default_factory=list)
    is_staff: bool = False
    form: str | None = None

    def __bool__(self) -> bool:
        return bool(self.agencies or self.is_staff)


class SourceNames:
    """Who a source name is: an agency, the outlet itself (declared staff names first, then names from the page)."""

    def __init__(self, staff_names: Iterable[str], outlet_names: Iterable[str]) -> None:
        self.staff = {agency_key(f) for n in staff_names for f in name_forms(n)}
        self.outlet = {agency_key(f) for n in outlet_names for f in name_forms(n)}

    def classify(self, name: str) -> str | None:
        """The canonical agency, _STAFF for the outlet's own name, None for an unknown name."""
        key = agency_key(name)
        if not key:
            return None
        if key in self.staff:
            return _STAFF
        return AGENCY_LOOKUP.get(key) or (_STAFF if key in self.outlet else None)


def _unquote(text: str) -> tuple[str, bool]:
    text = text.strip().strip(_TRAILING).strip()
    quoted = len(text) > 2 and text[0] in QUOTES and text[-1] in QUOTES
    return text.strip(QUOTES + " "), quoted


def _chunk(chunk: str, names: SourceNames) -> list[tuple[str, bool]] | None:
    """The sources of one separator-free chunk: one name, or names joined by a prefixed «و» («أ ف ب ورويترز»)."""
    name, quoted = _unquote(chunk)
    found = names.classify(name)
    if found:
        return [(found, quoted)]
    words = chunk.split()
    out: list[tuple[str, bool]] = []
    i = 0
    while i < len(words):
        for j in range(min(len(words), i + _MAX_SPAN), i, -1):
            span, quoted = _unquote(" ".join(words[i:j]))
            found = names.classify(span)
            if not found and span.startswith("و") and i > 0:
                span, quoted = _unquote(span[1:])
                found = names.classify(span)
            if found:
                out.append((found, quoted))
                i = j
                break
        else:
            return None
    return out or None


def _sources(text: str, names: SourceNames, quoted_only: bool = False,
             staff_quoted: bool = False) -> tuple[list[str], bool] | None:
    """(agencies, names the outlet) of a source list in which every part is known; None otherwise.

    quoted_only: every part must be quoted; staff_quoted: the outlet's name must be quoted (an unquoted «اليوم» after
    «PLACE -» with no delimiter is a word of the sentence, an agency name is not)."""
    parts: list[tuple[str, bool]] = []
    for chunk in SOURCE_SEPARATORS.split(text):
        if not chunk.strip(" " + _TRAILING):
            continue
        got = _chunk(chunk, names)
        if got is None:
            return None
        parts += got
    if not parts or (quoted_only and not all(q for _, q in parts)):
        return None
    if staff_quoted and any(kind == _STAFF and not q for kind, q in parts):
        return None
    agencies = list(dict.fromkeys(kind for kind, _ in parts if kind != _STAFF))
    return agencies, any(kind == _STAFF for kind, _ in parts)


def _place(raw: str | None) -> str | bool | None:
    """The place as written (None when absent), or False when the text is not a place."""
    if raw is None:
        return None
    place = " ".join(raw.split()).strip(" ،,")
    segments = [s.split() for s in re.split(r"\s*[،,]\s*", place)]
    words = [w for s in segments for w in s]
    if (not words or len(place) > 40 or len(segments) > 2 or any(len(s) > 3 or not s for s in segments)
            or len(agency_key(words[-1])) < 2 or any(agency_key(w) in _NOT_PLACE for w in words)):
        return False
    return place


def _rest(rest: str, names: SourceNames, quoted_only: bool) -> tuple[tuple[list[str], bool], int] | None:
    """The sources that follow «PLACE -» or «PLACE:», with the length they take: up to a «:» or dash, else the
    longest run of words that names agencies."""
    delimited = _DELIMITED.match(rest)
    if delimited:
        got = _sources(delimited.group("src"), names, quoted_only)
        if got:
            return got, delimited.end()
    words = list(islice(re.finditer(r"\S+", rest), _MAX_BARE))
    for k in range(len(words), 0, -1):
        got = _sources(rest[:words[k - 1].end()], names, quoted_only, staff_quoted=True)
        if got:
            return got, words[k - 1].end()
    return None


def _read(form: Form, text: str, names: SourceNames) -> tuple[Dateline, int] | None:
    """What one form reads at the start of text, and where the dateline ends; None when the form does not fit."""
    match = form.pattern.match(text)
    if not match:
        return None
    place = _place(match.groupdict().get("place"))
    if place is False:
        return None
    if form.rest:
        read = _rest(text[match.end():], names, form.quoted_only)
        if read is None:
            return None
        (agencies, staff), used = read
        end = match.end() + used
    else:
        got = _sources(match.group("src"), names, form.quoted_only)
        if got is None:
            return None
        (agencies, staff), end = got, match.end()
    if form.whole and text[end:].strip(" " + _TRAILING):
        return None
    return Dateline(place=place or None, agencies=agencies, is_staff=staff, form=form.name), end


def read_opening(paragraph: str, names: SourceNames, whole: bool = False) -> Dateline:
    """The dateline opening paragraph, by the first opening form that fits; `whole`: it must be all the paragraph."""
    for form in OPENING_FORMS:
        read = _read(form, paragraph, names)
        if read and (not whole or not paragraph[read[1]:].strip(" " + _TRAILING)):
            return read[0]
    return Dateline()


def _credit(line: str, names: SourceNames, forms: Sequence[Form]) -> Dateline:
    """A whole-line credit: «المصدر: SOURCES», where SOURCES may itself be a dateline («(دبي - البيان)»)."""
    for form in forms:
        match = form.pattern.match(line)
        if not match:
            continue
        if form.name == "credit_line":
            got = _sources(match.group("src"), names)
            if got:
                return Dateline(agencies=got[0], is_staff=got[1], form=form.name)
            inner = read_opening(match.group("src"), names, whole=True)
            if inner:
                return Dateline(inner.place, inner.agencies, inner.is_staff, f"{form.name}:{inner.form}")
            continue
        read = _read(form, line, names)
        if read:
            return read[0]
    return Dateline()


def read_closing(paragraph: str, names: SourceNames, whole: bool = True) -> Dateline:
    """The credit closing the last paragraph; `whole`: the paragraph is all there (not its end only)."""
    line = _credit(paragraph, names, CLOSING_FORMS) if whole else Dateline()
    if line:
        return line
    tail = CREDIT_TAIL.search(paragraph)
    if tail and tail.start() > 0:
        got = _sources(tail.group("src"), names)
        if got:
            return Dateline(agencies=got[0], is_staff=got[1], form="credit_tail")
    return Dateline()


def read_header_credit(texts: Sequence[str], names: SourceNames) -> Dateline:
    """A credit among the header lines; a label alone («المصدر:») is read with the line after it."""
    for i, text in enumerate(texts):
        line = f"{text} {texts[i + 1]}" if _LABEL_ONLY.match(text) and i + 1 < len(texts) else text
        found = _credit(line, names, HEADER_FORMS)
        if found:
            return found
    return Dateline()
