"""Search stored articles by folded tokens: ``python -m pipelines.analysis.search "نص البحث" [--site S] [--since D] ...``.

The query is folded like article text (``pipelines.arabic.text.tokens``), so «أعلنت», «اعلنت», «أَعْلَنَتْ» and
«أعلـنت» find the same articles, and «٢٠٢٦» finds «2026». An article matches when every query token is among
its ``tokens`` (a multikey index; the store has no ``$text`` index). Newest first.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, date, datetime, time
from typing import Any, NoReturn

import pymongo
from pymongo.database import Database
from pymongo.errors import PyMongoError

from pipelines.arabic.text import tokens
from pipelines.storage.articles import ARTICLES, resolve_uri
from pipelines.storage.config import mask_uri, store_config
from pipelines.storage.embedded import StoreError

CONNECT_TIMEOUT_MS = 5_000
_FIELDS = {"_id": 0, "url": 1, "site": 1, "title": 1, "published_at": 1, "story_id": 1, "duplicate_of": 1}


def search_articles(db: Database, query: str, site: str | None = None, since: datetime | None = None,
                    until: datetime | None = None, limit: int = 20) -> list[dict[str, Any]]:
    """Articles whose tokens include every folded token of query, newest first; since and until are inclusive."""
    words = list(dict.fromkeys(tokens(query)))
    if not words:
        raise ValueError("the query has no searchable words")
    where: dict[str, Any] = {"tokens": {"$all": words}}
    if site:
        where["site"] = site
    published = {op: bound for op, bound in (("$gte", since), ("$lte", until)) if bound is not None}
    if published:
        where["published_at"] = published
    cursor = db[ARTICLES].find(where, _FIELDS).sort([("published_at", -1), ("url", 1)]).limit(limit)
    return list(cursor)


def _date_arg(end_of_day: bool):
    def parse(text: str) -> datetime:
        try:
            day = date.fromisoformat(text)
        except ValueError:
            try:
                moment = datetime.fromisoformat(text)
            except ValueError:
                raise argparse.ArgumentTypeError(f"not an ISO date or time: {text!r}") from None
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        return datetime.combine(day, time.max if end_of_day else time.min, tzinfo=UTC)
    return parse


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a positive number: {text!r}")
    return int(text)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m pipelines.analysis.search",
                     description="Find stored articles containing every word of the query, whatever its spelling "
                                 "variant (hamza, ta marbuta, alef maqsura, tashkeel, tatweel, digits). "
                                 "Dates are ISO (2026-11-01 or 2026-11-01T08:00+03:00), UTC without an offset.")
    parser.add_argument("query", help="words to find, e.g. \"أعلنت الوزارة\"")
    parser.add_argument("--site", help="only this outlet (the article's site field)")
    parser.add_argument("--since", type=_date_arg(end_of_day=False), help="published at or after (inclusive)")
    parser.add_argument("--until", type=_date_arg(end_of_day=True),
                        help="published at or before (inclusive; a bare date includes that whole day)")
    parser.add_argument("--limit", type=_positive, default=20, help="at most this many hits (default 20)")
    parser.add_argument("--json", action="store_true", help="print one JSON object per hit (JSONL)")
    return parser


def _line(hit: dict[str, Any], as_json: bool) -> str:
    published = hit.get("published_at")
    if as_json:
        return json.dumps({**hit, "published_at": published.isoformat() if published else None}, ensure_ascii=False)
    when = published.astimezone(UTC).strftime("%Y-%m-%d %H:%M") if published else "-"
    return "\t".join((when, hit.get("site") or "-", hit.get("title") or "-", hit.get("url") or "-"))


def main(argv: list[str] | None = None) -> int:
    """Command line: print the hits, one line each; exit 1 when the store cannot be reached, 2 on bad arguments."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not tokens(args.query):
        parser.error("the query has no searchable words")
    config = store_config()
    uri = config.uri or "the embedded store"
    try:
        uri = resolve_uri(config)
        client: pymongo.MongoClient = pymongo.MongoClient(uri, tz_aware=True,
                                                          serverSelectionTimeoutMS=CONNECT_TIMEOUT_MS)
        with client:
            hits = search_articles(client[config.database], args.query, args.site, args.since, args.until,
                                   args.limit)
    except (PyMongoError, StoreError) as exc:
        reason = str(exc) if isinstance(exc, StoreError) else type(exc).__name__
        print(f"{parser.prog}: error: cannot query the store at {mask_uri(uri)}: {reason}", file=sys.stderr)
        return 1
    for hit in hits:
        print(_line(hit, args.json))
    return 0


if __name__ == "__main__":
    sys.exit(main())
