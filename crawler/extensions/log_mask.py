"""Keep MongoDB passwords out of the logs: a filter on every log handler masks `mongodb://user:password@` in each
record's message, arguments and traceback, whoever logs it (Scrapy's settings and stats dumps included)."""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler

from pipelines.storage.config import mask_uri


class MaskPasswords(logging.Filter):
    """Rewrite a record whose text holds a MongoDB URI password, so that no handler writes the password."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: let the handler report it as usual
            return True
        if "@" in message and (masked := mask_uri(message)) != message:
            record.msg, record.args = masked, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_uri(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_uri(record.stack_info)
        return True


def install_mask(logger: logging.Logger | None = None) -> None:
    """Add the filter to every handler of a logger (the root logger by default), once."""
    for handler in (logger or logging.getLogger()).handlers:
        if not any(isinstance(f, MaskPasswords) for f in handler.filters):
            handler.addFilter(MaskPasswords())


class MaskPasswordsExtension:
    """Extension: install the password filter on the log handlers when a crawler is created."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MaskPasswordsExtension:
        install_mask()
        return cls()
