"""CLI: serve the demo news site on 127.0.0.1-5 until SIGINT/SIGTERM."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from datetime import date
from types import FrameType

from .model import DEFAULT_ARTICLES, DEFAULT_END_DATE
from .server import DemoSite


def _end_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {text!r}") from exc


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a positive integer: {text!r}")
    return int(text)


def _port(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(f"not a TCP port: {text!r}")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `python -m tests.demosite`."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.demosite",
        description="Serve a deterministic generated Arabic news site: index on 127.0.0.1, outlets nabaa, wasat "
                    "and sham on 127.0.0.2-4 and the hostile outlet (bad pages and responses) on 127.0.0.5, all "
                    "on the same port. Prints one 'name base_url' line per outlet.")
    parser.add_argument("--port", type=_port, default=None, help="TCP port for all the addresses "
                        "(default: pick one that is free on all of them)")
    parser.add_argument("--articles-per-outlet", type=_positive, default=DEFAULT_ARTICLES, metavar="K",
                        help=f"articles per outlet (default {DEFAULT_ARTICLES})")
    parser.add_argument("--end-date", type=_end_date, default=DEFAULT_END_DATE, metavar="YYYY-MM-DD",
                        help=f"last day of the 90-day publication window (default {DEFAULT_END_DATE})")
    parser.add_argument("--no-hostile", action="store_true", help="do not serve the hostile outlet on 127.0.0.5")
    parser.add_argument("--log", action="store_true", help="write an access log to stderr")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the server until SIGINT/SIGTERM; 0 on clean shutdown, 2 when the port cannot be bound."""
    args = build_parser().parse_args(argv)
    site = DemoSite(args.port, args.articles_per_outlet, args.end_date, log=args.log, hostile=not args.no_hostile)
    try:
        site.start()
    except OSError as exc:
        where = f"port {args.port}" if args.port is not None else "a free port"
        reason = "already in use" if "in use" in str(exc) else exc.strerror or str(exc)
        print(f"demosite: cannot bind {where} on 127.0.0.1-{4 if args.no_hostile else 5}: {reason}", file=sys.stderr)
        return 2
    stop = threading.Event()

    def _on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    for outlet in site.outlets:
        print(f"{outlet.name} {outlet.base_url}", flush=True)
    print(f"index {site.index_url} (Ctrl-C to stop)", file=sys.stderr, flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        site.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
