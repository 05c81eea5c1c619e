"""The documented commands: an example that crawls the real sites never shares a block with the demo-site examples
and is introduced as such (a bare `crawlall` in a block of demo commands would crawl seven public websites), and
whatever the examples write in the project root is ignored by git."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import pytest

from tests.support.crawl import PROJECT_ROOT

DOCS = ("README.md", "docs/operations.md")
DEMO_OUTLETS = {"nabaa", "wasat", "sham"}
FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.M | re.S)
CRAWL = re.compile(r"scrapy (crawl|crawlall|push)\b([^#|&;\n]*)")


def _blocks(name: str) -> list[tuple[str, str]]:
    """(the prose of its section up to it, the block) for each fenced block of a page."""
    text = (PROJECT_ROOT / name).read_text()
    fences = list(FENCE.finditer(text))
    prose = FENCE.sub(lambda m: re.sub(r"[^\n]", " ", m[0]), text)  # the page without its blocks, offsets kept
    blocks = []
    for found in fences:
        before = prose[:found.start()]
        heading = max((m.start() for m in re.finditer(r"^#+ ", before, re.M)), default=0)
        blocks.append((before[heading:], found[1]))
    return blocks


def fetches_real_sites(command: str, arguments: str) -> bool:
    """Whether a `scrapy crawl|crawlall|push` command line fetches from the web rather than the demo site."""
    words = shlex.split(arguments.replace("$", ""))
    options = ("-a", "-s", "-L", "--logfile")
    names = [w for i, w in enumerate(words) if not w.startswith("-") and (i == 0 or words[i - 1] not in options)]
    urls = [w.split("=", 1)[1] for w in words if w.startswith("url=")]
    if command == "crawlall":
        return not names or not set(names) <= DEMO_OUTLETS
    if urls:
        return not all(re.match(r"https?://127\.", u) for u in urls)
    return bool(names) and names[0] not in DEMO_OUTLETS | {"SITE"}


@pytest.mark.parametrize("name", DOCS)
def test_real_site_examples_are_blocks_of_their_own_introduced_as_such(name):
    for prose, block in _blocks(name):
        kinds = {fetches_real_sites(m[1], m[2]) for m in CRAWL.finditer(block)}
        assert kinds != {True, False}, f"{name}: a block mixes demo-site and real-site crawls:\n{block}"
        if True in kinds:
            assert "real sites" in prose, f"{name}: not introduced as crawling real sites:\n{block}"


def test_the_classification():
    assert fetches_real_sites("crawlall", "") and fetches_real_sites("crawlall", " -a since=2015-09-01")
    assert not fetches_real_sites("crawlall", " nabaa wasat sham -a since=2026-10-01")
    assert fetches_real_sites("crawl", " news -a url=https://example.com/")
    assert not fetches_real_sites("crawl", " nabaa -a url=http://127.0.0.2:8780/")
    assert fetches_real_sites("crawl", " youm7") and not fetches_real_sites("crawl", " sham -s JOBDIR=crawls/x")


def _written_paths() -> set[str]:
    """Relative paths the documented commands write: --out, > redirections, JOBDIR=, --logfile."""
    paths = set()
    for name in DOCS:
        for _, block in _blocks(name):
            for found in re.finditer(r"(?:--out |> |JOBDIR=|--logfile )([^\s&;|]+)", block):
                path = found[1].replace("$i", "1")
                if not path.startswith(("/", "&", "$")) and path.upper() != path:  # not PATH, DIR placeholders
                    paths.add(path + ("index.html" if path.endswith("/") else ""))
    return paths


def test_what_the_documented_commands_write_is_ignored_by_git():
    written = _written_paths()
    assert {"cursor.txt", "cursor.next", "articles-0001.parquet", "crawls/wasat-sep-oct", "report/index.html",
            "sham-1.log"} <= written
    ignored = subprocess.run(["git", "check-ignore", "--no-index", "--stdin"], cwd=PROJECT_ROOT, check=False,
                             input="\n".join(sorted(written)), capture_output=True, text=True).stdout.split()
    assert sorted(written - set(ignored)) == []
    tracked_but_ignored = subprocess.run(["git", "ls-files", "-ci", "--exclude-standard"], cwd=PROJECT_ROOT,
                                         capture_output=True, text=True, check=True).stdout.split()
    assert tracked_but_ignored == []
    assert Path(PROJECT_ROOT / ".gitignore").read_text().count("\n/report/\n") == 1
