"""Argument types and checks of the project commands over saved pages and the store (extract, reextract, export,
report, search, summary, store). Scrapy parses a command's options with argparse (parse_known_args): a type error is a
usage error (exit 2), and so is a UsageError raised by process_options."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import UTC, date, datetime, time

from scrapy.exceptions import UsageError


def day_arg(text: str) -> date:
    """An argparse type: a UTC day written YYYY-MM-DD."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a day as YYYY-MM-DD, got {text!r}") from None


def moment_arg(end_of_day: bool) -> Callable[[str], datetime]:
    """An argparse type: an ISO date or time, UTC without an offset; a bare date is its first moment, or with
    end_of_day its last."""

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


def positive_int(text: str) -> int:
    """An argparse type: a whole number from 1 up."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a positive number: {text!r}")
    return int(text)


def name_errors(parser: argparse.ArgumentParser, command: str) -> None:
    """Start the parser's error lines with `scrapy <command>:` (argparse names the program after sys.argv[0])."""
    parser.prog = f"scrapy {command}"


def check_no_extra(args: list[str]) -> None:
    """UsageError for what the parser did not take (Scrapy parses known arguments only and leaves the rest)."""
    if args:
        raise UsageError(f"unrecognized arguments: {' '.join(args)}", print_help=False)


def check_order(since: date | None, until: date | None) -> None:
    """UsageError when --since is after --until."""
    if since and until and since > until:
        raise UsageError(f"--since {since} is after --until {until}", print_help=False)
