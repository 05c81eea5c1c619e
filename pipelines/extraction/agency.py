"""News-agency attribution from the dateline that opens an Arabic news body."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from pipelines.extraction.agencies import AGENCY_LOOKUP, agency_key

_DASH = r"[-–—]"
_PLACE = r"([^\s()\-–—:][^()\-–—:\n]{0,40}?)"
# «عواصم (وكالات) -», «دبي (وام):», «(رويترز) -», «بيروت - (رويترز) -», «دمشق، سوريا (CNN) --»
_PAREN_DATELINE = re.compile(rf"^\s*(?:{_PLACE}\s*{_DASH}?\s*)?\(([^()\n]{{1,60}})\)\s*(?:{_DASH}{{1,2}}|:)")
# «القاهرة - أ ش أ:», «الرباط - ومع -»: no parentheses, so the source must be a known agency
_BARE_DATELINE = re.compile(rf"^\s*{_PLACE}\s*{_DASH}\s*([^()\-–—:\n]{{1,30}}?)\s*(?::|{_DASH})")
_SEPARATORS = re.compile(r"\s*[،,/+]\s*|\s+و(?=\S)")


@dataclass(frozen=True)
class Dateline:
    """What a dateline says: the place, the canonical agencies and whether it names the outlet's own staff."""

    place: str | None = None
    agencies: list[str] = field(default_factory=list)
    is_staff: bool = False


def canonical_agency(name: str) -> str | None:
    """The canonical name of an agency written in any known spelling; None when unknown."""
    return AGENCY_LOOKUP.get(agency_key(name.strip()))


def _agencies(source: str) -> list[str]:
    whole = canonical_agency(source)
    parts = [whole] if whole else [canonical_agency(p) for p in _SEPARATORS.split(source) if p.strip()]
    return list(dict.fromkeys(p for p in parts if p))


def parse_dateline(first_paragraph: str, staff_names: Iterable[str] = ()) -> Dateline:
    """Parse the dateline at the start of a body; an empty Dateline when there is none."""
    staff = {agency_key(n) for n in staff_names}
    for pattern, needs_agency in ((_PAREN_DATELINE, False), (_BARE_DATELINE, True)):
        match = pattern.match(first_paragraph)
        if not match:
            continue
        place = match.group(1).strip() if match.group(1) else None
        source = match.group(2).strip()
        if agency_key(source) in staff:
            return Dateline(place=place, is_staff=True)
        agencies = _agencies(source)
        if agencies:
            return Dateline(place=place, agencies=agencies)
        if not needs_agency:
            return Dateline()
    return Dateline()
