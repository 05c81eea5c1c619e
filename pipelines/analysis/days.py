"""UTC days as MongoDB ranges, for the store commands' --since and --until."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta


def day_range(since: date | None, until: date | None) -> dict[str, datetime]:
    """A MongoDB range on a datetime field covering the UTC days since..until, both included."""
    bounds = {}
    if since:
        bounds["$gte"] = datetime.combine(since, time(), UTC)
    if until:
        bounds["$lt"] = datetime.combine(until + timedelta(days=1), time(), UTC)
    return bounds
