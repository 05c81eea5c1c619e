"""Per-field extraction accuracy on the demo site's pages and on the real-page corpus (../shared/corpus)."""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Callable
from typing import Any

from trafilatura import bare_extraction

from crawler.items import FetchedPage, content_type
from pipelines.arabic.normalize import normalize_article
from pipelines.extraction.article import ExtractionError, extract_article
from pipelines.extraction.decode import decode_html
from pipelines.storage.articles import article_document
from tests.support.extraction_truth import CORPUS, FIELDS, Case, check, corpus_cases, demo_cases


def trafilatura_alone(page: FetchedPage) -> dict[str, Any]:
    """What trafilatura by itself gives for a page, in the stored article's field names."""
    doc = bare_extraction(decode_html(page.body, content_type(page.headers))[1], url=page.url,
                          with_metadata=True, include_comments=False)
    if doc is None:
        raise ExtractionError("trafilatura found nothing")
    return {"title": doc.title, "body": doc.text or "", "author": doc.author, "published_local": doc.date,
            "published_at": None, "views": None, "comments": None, "shares": None, "agencies": [],
            "dateline_place": None}


def akhbar(page: FetchedPage) -> dict[str, Any]:
    """The stored article document akhbar makes of a page."""
    return article_document(normalize_article(extract_article(page)))


def score(cases: list[Case], extractor: Callable[[FetchedPage], dict[str, Any]],
          verbose: bool) -> tuple[Counter, Counter]:
    """(correct, checked) counts per field over cases; prints each miss when verbose."""
    correct: Counter = Counter()
    checked: Counter = Counter()
    for case in cases:
        try:
            article = extractor(case.page)
        except ExtractionError as exc:
            print(f"  {case.name}: no article ({exc})")
            continue
        for name, ok in check(article, case).items():
            checked[name] += 1
            correct[name] += ok
            if verbose and not ok:
                print(f"  miss {case.name}: {name}")
    return correct, checked


def main(argv: list[str] | None = None) -> int:
    """Print the accuracy table."""
    parser = argparse.ArgumentParser(prog="python -m bench.accuracy", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    parser.add_argument("--baseline", action="store_true", help="score trafilatura alone instead of akhbar")
    args = parser.parse_args(argv)
    sets = {"demo": list(demo_cases())}
    if (CORPUS / "arabic").is_dir():
        sets["corpus"] = list(corpus_cases())
    else:
        print(f"(corpus not found at {CORPUS}: demo pages only)")
    extractor = trafilatura_alone if args.baseline else akhbar
    print("extractor:", "trafilatura alone (bare_extraction with metadata)" if args.baseline else "akhbar")
    results = {name: score(cases, extractor, args.verbose) for name, cases in sets.items()}
    print(f"{'field':<16}" + "".join(f"{name + f' ({len(sets[name])} pages)':>24}" for name in sets))
    for field in FIELDS:
        cells = []
        for name in sets:
            correct, checked = results[name]
            cells.append(f"{correct[field]}/{checked[field]} = {100 * correct[field] / checked[field]:5.1f}%"
                         if checked[field] else "—")
        print(f"{field:<16}" + "".join(f"{c:>24}" for c in cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
