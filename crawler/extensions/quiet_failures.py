"""Expected network failures are one log line, not a traceback.

Scrapy's robots.txt middleware logs a failed robots.txt download at ERROR with the exception's traceback: for a site
whose port is closed or whose name does not resolve, two tracebacks for what is only «the site did not answer». This
extension filters that middleware's records: one whose exception is a network failure (a `transfer_error`,
`too_large` or `timeout` in pipelines.outcomes.errors terms) loses its traceback and becomes a WARNING; any other
exception keeps its traceback, since it would be a bug. The failure itself is recorded like any other (crawl_errors,
run record).
"""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler

from pipelines.outcomes.errors import classify

QUIETED_LOGGERS = ("scrapy.downloadermiddlewares.robotstxt",)
NETWORK_KINDS = frozenset({"transfer_error", "timeout", "too_large"})  # too_large: a site sending endless headers


class NetworkFailureFilter(logging.Filter):
    """A logger filter: a record carrying an expected network failure is logged without its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is not None and classify(exc)[0] in NETWORK_KINDS:
            record.exc_info, record.exc_text = None, None
            if record.levelno > logging.WARNING:
                record.levelno, record.levelname = logging.WARNING, logging.getLevelName(logging.WARNING)
        return True


FILTER = NetworkFailureFilter()


class QuietNetworkFailures:
    """Extension: install the filter on the loggers that log network failures with a traceback."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> QuietNetworkFailures:
        for name in QUIETED_LOGGERS:
            target = logging.getLogger(name)
            if FILTER not in target.filters:
                target.addFilter(FILTER)
        return cls()
