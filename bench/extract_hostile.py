"""CPU seconds of the full extraction path (extract + normalize, one page at a time, in this process) on pages built
to make extraction slow: thousands of comment forms, one paragraph of 1.9 MB, and a body nested 150,000 deep. Each
time should grow with the page's size, not with its square."""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime

from crawler.items import Article, FetchedPage, SiteRules
from pipelines.extraction.pool import extract_checked

SENTENCE = ("وقال المتحدث باسم الوزارة إن الخطة الجديدة ستدخل حيز التنفيذ مطلع الشهر المقبل في جميع المحافظات "
            "بعد أن أقرها مجلس الوزراء في جلسته الأخيرة. ")
HEAD = "<html><head><meta charset='utf-8'><title>خبر</title></head><body>"
TITLE = "<h1>الحكومة تقر خطة جديدة للنقل العام في المحافظات</h1>"
ARTICLE = f"<article>{TITLE}" + "".join(f"<p>{SENTENCE * 2}</p>" for _ in range(6)) + "</article>"


def comment_forms(count: int) -> str:
    """The article, then `count` comment forms side by side, each with its textarea and one short reply."""
    forms = "".join(f'<form class="comment-form"><textarea name="c">…</textarea><p>رد رقم {i}</p></form>'
                    for i in range(count))
    return f"{HEAD}{ARTICLE}{forms}</body></html>"


def one_paragraph(size: int) -> str:
    """The article whose body is a single paragraph of `size` bytes."""
    repeats = size // len(SENTENCE.encode()) + 1
    return f"{HEAD}<article>{TITLE}<p>{SENTENCE * repeats}</p></article></body></html>"


def deep_nesting(depth: int) -> str:
    """The article inside `depth` nested <div>s."""
    return f"{HEAD}{'<div>' * depth}{ARTICLE}{'</div>' * depth}</body></html>"


def page(html: str) -> FetchedPage:
    """A fetched page holding html."""
    return FetchedPage(url="http://127.0.0.9/news/1", final_url="http://127.0.0.9/news/1", site="bench",
                       body=html.encode(), encoding=None, headers={"content-type": "text/html; charset=utf-8"},
                       fetched_at=datetime(2026, 11, 16, 12, 0, tzinfo=UTC), rules=SiteRules(site="bench"))


def measure(name: str, html: str) -> None:
    """Extract one page and print its CPU seconds and outcome."""
    started = time.process_time()
    result, _ = extract_checked(page(html))
    seconds = time.process_time() - started
    outcome = f"article {len(result.body)} chars" if isinstance(result, Article) else f"{result.kind}: {result.message}"
    print(f"{name:<28} {len(html.encode()):>10,} bytes {seconds:8.2f} s  {outcome}", flush=True)


def main(argv: list[str] | None = None) -> int:
    """Time the hostile pages and print one line each."""
    parser = argparse.ArgumentParser(prog="python -m bench.extract_hostile", description=__doc__)
    parser.add_argument("--forms", type=int, nargs="*", default=[1000, 2000, 4000, 12000])
    parser.add_argument("--paragraph-bytes", type=int, default=1_900_000)
    parser.add_argument("--depth", type=int, default=150_000)
    args = parser.parse_args(argv)
    extract_checked(page(comment_forms(1)))  # warm-up: lazy imports and tables
    for count in args.forms:
        measure(f"comment forms {count:,}", comment_forms(count))
    measure("one paragraph", one_paragraph(args.paragraph_bytes))
    measure(f"nesting {args.depth:,} deep", deep_nesting(args.depth))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
