"""Planned article URLs waiting for room in the scheduler.

A sitemap lists up to 50,000 URLs; as Scrapy requests waiting in the scheduler they cost about 1 KB each, while the
planner keeps a compact candidate for every URL anyway. So the URLs a sitemap brings (and the undated ones released
when discovery runs dry) wait here as candidates, and become requests only while fewer than PLAN_QUEUE_MAX
requests are scheduled; the scheduler is topped up each time it has drained to half of that.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from crawler.planning.planner import Candidate


class Backlog:
    """Candidates first in, first out, handed out as the scheduler has room (limit 0: all at once)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.waiting: deque[Candidate] = deque()

    def __len__(self) -> int:
        return len(self.waiting)

    def add(self, candidates: Iterable[Candidate]) -> None:
        """Queue candidates behind those already waiting."""
        self.waiting.extend(candidates)

    def take(self, scheduled: int) -> list[Candidate]:
        """The candidates to schedule now that `scheduled` requests are: none until that is at most half the limit,
        then enough to fill it again (all of them without a limit)."""
        if self.limit <= 0:
            room = len(self.waiting)
        elif scheduled > self.limit // 2:
            return []
        else:
            room = self.limit - scheduled
        return [self.waiting.popleft() for _ in range(min(room, len(self.waiting)))]

    def drop(self) -> int:
        """Forget every waiting candidate (the crawl is stopping); how many there were."""
        dropped = len(self.waiting)
        self.waiting.clear()
        return dropped
