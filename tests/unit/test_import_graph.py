"""The layout's rules, read from the import statements of every module (docs/architecture.md): each folder one job,
the arrows one way."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.crawl import PROJECT_ROOT

PRODUCT = ("crawler", "pipelines")
ENGINE = ("scrapy", "twisted", "pymongo", "bson")  # what an extraction worker must never load


def module_name(path: Path) -> str:
    """The dotted name of a project source file."""
    parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every module a source file imports, absolute (`from . import x` resolved), at any depth of the file."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def graph() -> dict[str, set[str]]:
    """Module → the modules it imports, for every module of the product."""
    return {module_name(p): imports_of(p) for top in PRODUCT for p in sorted((PROJECT_ROOT / top).rglob("*.py"))}


GRAPH = graph()


def within(name: str, *prefixes: str) -> bool:
    """Whether a dotted name is one of the prefixes or inside one."""
    return any(name == p or name.startswith(f"{p}.") for p in prefixes)


def breaches(sources: tuple[str, ...], allowed, forbidden) -> list[str]:
    """`module → import` lines that break a rule: imports of the sources that are forbidden and not allowed."""
    return sorted(f"{m} → {i}" for m, imported in GRAPH.items() if within(m, *sources)
                  for i in imported if within(i, *forbidden) and not within(i, *allowed))


def test_the_graph_covers_the_product():
    assert len(GRAPH) > 80 and "pipelines.extraction.article" in GRAPH and "crawler.settings" in GRAPH


def test_extraction_and_arabic_are_pure():
    forbidden = (*ENGINE, "crawler", "pipelines")
    assert breaches(("pipelines.extraction",), ("crawler.items", "pipelines.extraction", "pipelines.arabic"),
                    forbidden) == []
    assert breaches(("pipelines.arabic",), ("crawler.items", "pipelines.arabic"), forbidden) == []


def test_pipelines_see_only_the_items_of_the_crawler():
    assert breaches(("pipelines",), ("crawler.items",), ("crawler",)) == []


def test_the_store_below_stories_below_delivery():
    assert breaches(("pipelines.storage",), (), ("pipelines.stories", "pipelines.delivery")) == []
    assert breaches(("pipelines.stories",), (), ("pipelines.delivery",)) == []


def test_spiders_reach_the_store_only_through_the_planning_view():
    assert breaches(("crawler.spiders",), (), ("pipelines.storage", "pymongo")) == []


@pytest.mark.parametrize("top", PRODUCT)
def test_nothing_imports_the_tests(top):
    assert breaches((top,), (), ("tests",)) == []


def test_an_extraction_worker_loads_neither_scrapy_nor_pymongo():
    preload = "import pipelines.extraction.pool, pipelines.extraction.article, pipelines.arabic.normalize, sys"
    show = f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({ENGINE!r})))"
    out = subprocess.run([sys.executable, "-c", f"{preload}; {show}"], cwd=PROJECT_ROOT, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_breach_is_seen(monkeypatch):
    """The checker itself: an extraction module importing the store is reported."""
    monkeypatch.setitem(GRAPH, "pipelines.extraction.bad", {"pipelines.storage.articles", "crawler.items"})
    assert breaches(("pipelines.extraction",), ("crawler.items", "pipelines.extraction", "pipelines.arabic"),
                    ("pymongo", "crawler", "pipelines")) == ["pipelines.extraction.bad → pipelines.storage.articles"]
