"""Argument types and checks of the project commands over saved pages and the store (extract, reextract, export,
report, search, summary, store), and how they print. Scrapy parses a command's options with argparse
(parse_known_args): a type error is a usage error (exit 2), and so is a UsageError raised by process_options."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time
from typing import NoReturn

from scrapy.exceptions import UsageError
from scrapy.settings import BaseSettings

from pipelines.storage.config import StoreConfig, store_config

EX_USAGE = 2  # bad arguments or settings: nothing was done
EX_FAILED = 1  # the store could not be used, the output not written, or (extract) no input held an article


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
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a positive number: {text!r}")
    return int(text)


def name_errors(parser: argparse.ArgumentParser, command: str) -> None:
    """Start the parser's error lines with `scrapy <command>:` (argparse names the program after sys.argv[0])."""
    parser.prog = f"scrapy {command}"


def check_no_extra(args: list[str]) -> None:
    """UsageError for what the parser did not take (Scrapy parses known arguments only and leaves the rest)."""
    if args:
        raise UsageError(f"unrecognized arguments: {' '.join(args)}", print_help=False)


def check_order(since: date | datetime | None, until: date | datetime | None) -> None:
    """UsageError when --since is after --until (days, or moments of moment_arg)."""
    if since and until and since > until:
        raise UsageError(f"--since {since.isoformat()} is after --until {until.isoformat()}: nothing can match",
                         print_help=False)


def fail(message: str, code: int = EX_USAGE) -> NoReturn:
    """Print one error line and exit."""
    print(f"error: {message}", file=sys.stderr)
    sys.exit(code)


def store_settings(settings: BaseSettings) -> StoreConfig:
    """The store of a command's settings, checked before the command starts: a MONGO_URI that pymongo's parser refuses
    is one error line (password masked) and exit 2."""
    try:
        return store_config(settings)
    except ValueError as exc:
        fail(str(exc))


@contextlib.contextmanager
def reader_may_stop() -> Iterator[None]:
    """Print to stdout for a reader that may stop early (`scrapy search … | head -1`): once the reader has closed the
    pipe, the command stops printing and ends quietly with its status, instead of with a BrokenPipeError traceback."""
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        # Python flushes stdout again at exit: point it at /dev/null so that flush has nowhere to fail.
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
