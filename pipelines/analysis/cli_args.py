"""What the store commands (export, reextract, report) share: day arguments and the store-error message."""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime, time, timedelta

from pipelines.storage.config import StoreConfig, mask_uri


def day_arg(text: str) -> date:
    """An argparse type: a UTC day written YYYY-MM-DD."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a day as YYYY-MM-DD, got {text!r}") from None


def day_range(since: date | None, until: date | None) -> dict[str, datetime]:
    """A MongoDB range on a datetime field covering the UTC days since..until, both included."""
    bounds = {}
    if since:
        bounds["$gte"] = datetime.combine(since, time(), UTC)
    if until:
        bounds["$lt"] = datetime.combine(until + timedelta(days=1), time(), UTC)
    return bounds


def check_order(parser: argparse.ArgumentParser, since: date | None, until: date | None) -> None:
    """Exit with a usage error (code 2) when --since is after --until."""
    if since and until and since > until:
        parser.error(f"--since {since} is after --until {until}")


def store_error(config: StoreConfig, exc: Exception) -> str:
    """The one-line message for a store that cannot be reached or read."""
    # Server selection errors carry a whole topology description: the first sentence is the useful part.
    reason = (str(exc).splitlines() or [type(exc).__name__])[0].split(" (configured timeouts")[0][:200]
    return f"error: cannot use the store at {mask_uri(config.uri or 'embedded store')}: {reason}"
