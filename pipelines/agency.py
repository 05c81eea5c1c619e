"""News-agency attribution from the dateline that opens an Arabic news body."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

# Arabic spellings → canonical agency name. Longer spellings first so «أ ف ب» wins over «أ ب».
AGENCIES: dict[str, str] = {
    "الوكالة الوطنية للإعلام": "NNA",
    "وكالة الأنباء الفرنسية": "AFP",
    "فرانس برس": "AFP",
    "أ ف ب": "AFP",
    "أ.ف.ب": "AFP",
    "أسوشيتد برس": "AP",
    "أسوشيتدبرس": "AP",
    "أ ب": "AP",
    "أ ش أ": "MENA",
    "د ب أ": "DPA",
    "رويترز": "Reuters",
    "وكالات": "agencies",
    "الوكالات": "agencies",
    "وام": "WAM",
    "واس": "SPA",
    "قنا": "QNA",
    "كونا": "KUNA",
    "الأناضول": "Anadolu",
    "سانا": "SANA",
    "بترا": "Petra",
    "شينخوا": "Xinhua",
}

_PAREN = r"\(([^()\n]{1,60})\)"
# «عواصم (وكالات) -», «دبي (وام):», «(رويترز) -», «بيروت - (رويترز) -»
_DATELINE = re.compile(r"^\s*(?:([^\s()\-–—:،][^()\-–—:\n]{0,40}?)\s*[-–—]?\s*)?" + _PAREN + r"\s*[-–—:]")
_SEPARATORS = re.compile(r"\s*[،,/]\s*|\s+و(?=\S)")


@dataclass(frozen=True)
class Dateline:
    """What a dateline says: the place, the canonical agencies and whether it names the outlet's own staff."""

    place: str | None = None
    agencies: list[str] = field(default_factory=list)
    is_staff: bool = False


def _canonical(source: str) -> str | None:
    source = re.sub(r"\s+", " ", source.strip().replace("ـ", ""))
    return AGENCIES.get(source)


def parse_dateline(first_paragraph: str, staff_names: Iterable[str] = ()) -> Dateline:
    """Parse the dateline at the start of a body; an empty Dateline when there is none."""
    match = _DATELINE.match(first_paragraph)
    if not match:
        return Dateline()
    place = match.group(1).strip() if match.group(1) else None
    source = match.group(2).strip()
    if source in set(staff_names):
        return Dateline(place=place, is_staff=True)
    whole = _canonical(source)
    parts = [whole] if whole else [_canonical(p) for p in _SEPARATORS.split(source) if p.strip()]
    agencies = list(dict.fromkeys(p for p in parts if p))
    if not agencies:
        return Dateline()
    return Dateline(place=place, agencies=agencies)
