"""Extraction accuracy, akhbar against plain trafilatura and htmldate: bodies (precision, recall, F1) and dates on
the public development sets (../shared/devsets), per-field accuracy on the demo site's pages and the real Arabic
corpus (../shared/corpus), and the single-core speed of each extractor, measured side by side in one process.

The last line, when both development sets ran, reads
bodies_f1=0.xxx bodies_f1_trafilatura=0.xxx dates=0.xxx dates_htmldate=0.xxx pps=N.N pps_trafilatura=N.N"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable
from contextlib import nullcontext
from itertools import islice
from pathlib import Path
from typing import Any

from trafilatura import bare_extraction

from bench.devsets import AKHBAR, BODIES, DATES, DEVSETS, HTMLDATE, TRAFILATURA, Tally, run_set
from crawler.items import FetchedPage, content_type
from pipelines.arabic.normalize import normalize_article
from pipelines.extraction.article import ExtractionError, extract_article
from pipelines.extraction.decode import decode_html
from pipelines.storage.articles import article_document
from tests.support.extraction_truth import CORPUS, FIELDS, Case, check, corpus_cases, demo_cases

SETS = (BODIES, DATES, "corpus", "demo")


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



def field_table(sets: dict[str, list[Case]], baseline: bool, verbose: bool) -> None:
    """The per-field table of the demo pages and the real Arabic corpus, as before the development sets."""
    extractor = trafilatura_alone if baseline else akhbar
    print("extractor:", "trafilatura alone (bare_extraction with metadata)" if baseline else "akhbar")
    results = {name: score(cases, extractor, verbose) for name, cases in sets.items()}
    print(f"{'field':<16}" + "".join(f"{name + f' ({len(sets[name])} pages)':>24}" for name in sets))
    for field in FIELDS:
        cells = []
        for name in sets:
            correct, checked = results[name]
            cells.append(f"{correct[field]}/{checked[field]} = {100 * correct[field] / checked[field]:5.1f}%"
                         if checked[field] else "—")
        print(f"{field:<16}" + "".join(f"{c:>24}" for c in cells))


LABELS = {AKHBAR: "akhbar", TRAFILATURA: "trafilatura", HTMLDATE: "htmldate"}
HOW = {AKHBAR: "extract_article + normalize_article, from the bytes",
       TRAFILATURA: "bare_extraction(html, url=url, with_metadata=True), defaults",
       HTMLDATE: "find_date(html, url=url, original_date=True, extensive_search=False)"}


def _crashes(tallies: dict[str, Tally], shown: int = 3) -> None:
    for extractor, tally in tallies.items():
        for url, message in tally.crashes[:shown]:
            print(f"  crash {extractor}: {url}: {message}")
        if len(tally.crashes) > shown:
            print(f"  … and {len(tally.crashes) - shown} more {extractor} crashes (--failures lists them all)")


def _speed(tallies: dict[str, Tally]) -> None:
    ours, theirs = tallies[AKHBAR], tallies[TRAFILATURA]
    if ours.cpu and theirs.cpu:
        ratio = (ours.cpu / ours.pages) / (theirs.cpu / theirs.pages)
        print(f"  speed: akhbar takes {ratio:.2f}× plain trafilatura's CPU per page (interleaved, same process)")


def print_bodies(tallies: dict[str, Tally], pages: int) -> None:
    """The web-bodies block: snippet scores, pages without a body, crashes and speed per extractor."""
    snippets = tallies[AKHBAR].snippets
    print(f"\n{BODIES}: {pages} pages, {snippets.tp + snippets.fn} `with` and {snippets.fp + snippets.tn} `without` "
          "snippets (scored as trafilatura's tests/evaluate.py)")
    print(f"  {'extractor':<12}{'precision':>10}{'recall':>8}{'f1':>7}{'accuracy':>10}{'no body':>9}{'crashes':>9}"
          f"{'CPU s':>8}{'pages/s':>9}   how")
    for extractor, tally in tallies.items():
        s = tally.snippets
        print(f"  {LABELS[extractor]:<12}{s.precision:>10.3f}{s.recall:>8.3f}{s.f1:>7.3f}{s.accuracy:>10.3f}"
              f"{tally.no_body:>9}{len(tally.crashes):>9}{tally.cpu:>8.1f}{tally.pps:>9.1f}   {HOW[extractor]}")
    _speed(tallies)
    _crashes(tallies)


def print_dates(tallies: dict[str, Tally], pages: int) -> None:
    """The web-dates block: date accuracy, pages without a date or a body, crashes and speed per extractor."""
    print(f"\n{DATES}: {pages} pages (scored as htmldate's tests/evaluation.py: the date equals the annotated one; "
          "akhbar's is published_local's date, else published_at's)")
    print(f"  {'extractor':<12}{'dates':>7}{'no date':>9}{'no body':>9}{'crashes':>9}{'CPU s':>8}{'pages/s':>9}   how")
    for extractor, tally in tallies.items():
        no_body = f"{tally.no_body:>9}" if extractor != HTMLDATE else f"{'—':>9}"
        print(f"  {LABELS[extractor]:<12}{tally.date_accuracy:>7.3f}{tally.pages - tally.dated:>9}{no_body}"
              f"{len(tally.crashes):>9}{tally.cpu:>8.1f}{tally.pps:>9.1f}   {HOW[extractor]}")
    sources = tallies[AKHBAR].sources
    names = sorted({where for where, _ in sources}, key=lambda w: -(sources[(w, True)] + sources[(w, False)]))
    print("  akhbar's date by source (correct/pages): "
          + ", ".join(f"{w} {sources[(w, True)]}/{sources[(w, True)] + sources[(w, False)]}" for w in names))
    _speed(tallies)
    _crashes(tallies)


def summary_line(results: dict[str, dict[str, Tally]]) -> str:
    """The last line: bodies F1 (web-bodies), date accuracy (web-dates) and pages per CPU-second over both sets.
    dates_htmldate is plain htmldate.find_date (original_date=True, extensive_search=False), not the date of
    trafilatura's bare_extraction, which the web-dates block also prints."""
    parts = []
    if BODIES in results:
        bodies = results[BODIES]
        parts += [f"bodies_f1={bodies[AKHBAR].snippets.f1:.3f}",
                  f"bodies_f1_trafilatura={bodies[TRAFILATURA].snippets.f1:.3f}"]
    if DATES in results:
        dates = results[DATES]
        parts += [f"dates={dates[AKHBAR].date_accuracy:.3f}", f"dates_htmldate={dates[HTMLDATE].date_accuracy:.3f}"]
    for key, extractor in (("pps", AKHBAR), ("pps_trafilatura", TRAFILATURA)):
        pages = sum(tallies[extractor].pages for tallies in results.values())
        cpu = sum(tallies[extractor].cpu for tallies in results.values())
        parts.append(f"{key}={pages / cpu if cpu else 0.0:.1f}")
    return " ".join(parts)


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    """Print the accuracy tables, then the summary line."""
    parser = argparse.ArgumentParser(prog="python -m bench.accuracy", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--devsets", type=Path, default=DEVSETS, metavar="DIR",
                        help=f"the public development sets (default: {DEVSETS})")
    parser.add_argument("--sets", default=",".join(SETS),
                        help=f"comma-separated sets to run, among {', '.join(SETS)} (default: all)")
    parser.add_argument("--limit", type=int, metavar="N", help="only the first N pages of each set (quick runs)")
    parser.add_argument("--failures", type=Path, metavar="FILE",
                        help="write one JSON line per development-set page: each extractor's missed and leaked "
                             "snippets, or its date against the truth, and why it gave no body")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss of the demo and corpus table")
    parser.add_argument("--baseline", action="store_true",
                        help="the demo and corpus table of trafilatura alone instead of akhbar")
    args = parser.parse_args(argv)
    chosen = [name.strip() for name in args.sets.split(",") if name.strip()]
    if unknown := [name for name in chosen if name not in SETS]:
        parser.error(f"unknown set(s) {', '.join(unknown)}: choose among {', '.join(SETS)}")
    devsets = [name for name in SETS[:2] if name in chosen]
    missing = [name for name in devsets if not (args.devsets / name / "pages").is_dir()]
    if missing:
        print(f"bench.accuracy: development set(s) {', '.join(missing)} not found under {args.devsets}: "
              "give --devsets DIR, or --sets corpus,demo", file=sys.stderr)
        return 2

    tables: dict[str, list[Case]] = {}
    if "demo" in chosen:
        tables["demo"] = list(islice(demo_cases(), args.limit))
    if "corpus" in chosen:
        if (CORPUS / "arabic").is_dir():
            tables["corpus"] = list(islice(corpus_cases(), args.limit))
        else:
            print(f"(corpus not found at {CORPUS}: demo pages only)")
    if tables:
        field_table(tables, args.baseline, args.verbose)

    results: dict[str, dict[str, Tally]] = {}
    with open(args.failures, "w", encoding="utf-8") if args.failures else nullcontext() as failures:
        for name in devsets:
            results[name] = run_set(args.devsets, name, args.limit, failures, _progress)
            pages = results[name][AKHBAR].pages
            (print_bodies if name == BODIES else print_dates)(results[name], pages)
    if args.failures and devsets:
        print(f"\nper-page results: {args.failures}")
    if results:
        print(summary_line(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
