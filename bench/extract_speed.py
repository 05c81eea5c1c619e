"""Pages per second of the full extraction path (decode, trafilatura, dates, counters, agency, normalization)."""

from __future__ import annotations

import argparse
import time

from pipelines.arabic.normalize import normalize_article
from pipelines.extraction.article import extract_article
from tests.support.extraction_truth import demo_cases


def extraction_rate(articles_per_outlet: int, rounds: int = 3) -> float:
    """Best pages per CPU-second of extract + normalize over every demo article page, in this process."""
    pages = [case.page for case in demo_cases(articles_per_outlet)]
    extract_article(pages[0])  # warm-up: lazy imports and tables
    best = 0.0
    for _ in range(rounds):
        started = time.process_time()
        for page in pages:
            normalize_article(extract_article(page))
        best = max(best, len(pages) / (time.process_time() - started))
    return best


def main(argv: list[str] | None = None) -> int:
    """Extract every demo article page on one core and print the rate."""
    parser = argparse.ArgumentParser(prog="python -m bench.extract_speed", description=__doc__)
    parser.add_argument("--articles-per-outlet", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3, help="best of this many rounds is reported")
    args = parser.parse_args(argv)
    rate = extraction_rate(args.articles_per_outlet, args.rounds)
    print(f"pages={args.articles_per_outlet * 3} extract_pps_single_core={rate:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
