"""Deterministic generated Arabic news site (outlets on 127.0.0.2-4, hostile outlet on .5) for crawler tests."""

from __future__ import annotations

from .hostile_cases import HOSTILE_CASES, OUTCOMES, HostileCase
from .layouts import BOILERPLATE_PHRASES, PER_PAGE
from .model import (
    DEFAULT_ARTICLES,
    DEFAULT_END_DATE,
    DISPLAY_NAMES,
    HOSTILE_NAME,
    OUTLET_HOSTS,
    OUTLET_NAMES,
    TRUTH_KEYS,
    ArticleSpec,
    Outlet,
    generate_outlet,
    generate_site,
    make_outlet,
    truth_records,
)
from .server import DemoSite
from .vocab import AGENCY_CANON, COMMENT_POOL

# Reader-comment texts (shown under some articles, never part of a body): also must not leak into extracted bodies.
COMMENT_TEXTS: list[str] = [text for _, text in COMMENT_POOL]

__all__ = [
    "AGENCY_CANON",
    "BOILERPLATE_PHRASES",
    "COMMENT_POOL",
    "COMMENT_TEXTS",
    "DEFAULT_ARTICLES",
    "DEFAULT_END_DATE",
    "DISPLAY_NAMES",
    "HOSTILE_CASES",
    "HOSTILE_NAME",
    "OUTCOMES",
    "OUTLET_HOSTS",
    "OUTLET_NAMES",
    "PER_PAGE",
    "TRUTH_KEYS",
    "ArticleSpec",
    "DemoSite",
    "HostileCase",
    "Outlet",
    "generate_outlet",
    "generate_site",
    "make_outlet",
    "truth_records",
]
