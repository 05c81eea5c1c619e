"""Scrapy's log formatter without the item in 'Dropped' lines: a dropped page's item holds its whole body (a 10 MiB
page made a 38 MB log line), and the drop message already names the URL and the reason."""

from __future__ import annotations

from typing import Any

from scrapy import Spider
from scrapy.http import Response
from scrapy.logformatter import LogFormatter, LogFormatterResult
from twisted.python.failure import Failure


class AkhbarLogFormatter(LogFormatter):
    """Log dropped items by their reason only."""

    def dropped(self, item: Any, exception: BaseException, response: Response | Failure | None,
                spider: Spider) -> LogFormatterResult:
        """'Dropped: <reason>' at the drop's level, without the item."""
        entry = super().dropped(item, exception, response, spider)
        return {"level": entry["level"], "msg": "Dropped: %(exception)s", "args": {"exception": exception}}
