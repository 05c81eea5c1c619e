"""The `-a` arguments every news spider takes, validated before anything starts."""

from __future__ import annotations

from typing import ClassVar
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from crawler.planning.window import DateWindow

ARGUMENTS = ("url", "site", "since", "until", "timezone")


class SpiderArguments:
    """Validation of url, since, until and timezone for a spider declaring name, home_url and timezone."""

    name: ClassVar[str]
    home_url: ClassVar[str | None]
    timezone: ClassVar[str]

    @classmethod
    def check_arguments(cls, arguments: dict[str, str]) -> None:
        """Validate `-a` arguments before anything starts; the ValueError says what is wrong in one line."""
        unknown = sorted(k for k in arguments if k not in ARGUMENTS and not k.startswith("_"))
        if unknown:
            raise ValueError(f"unknown argument {unknown[0]!r} (accepted: {', '.join(ARGUMENTS)})")
        # `-a since=` (an unset shell variable, say) would silently turn a backfill into an incremental crawl.
        empty = [k for k in ARGUMENTS if k in arguments and not str(arguments[k]).strip()]
        if empty:
            example = {"since": "=YYYY-MM-DD", "until": "=YYYY-MM-DD", "url": "=http://host/",
                       "timezone": "=Asia/Riyadh"}.get(empty[0], "=NAME")
            raise ValueError(f"-a {empty[0]}= is empty: give -a {empty[0]}{example}, or leave it out")
        cls.home_for(arguments.get("url"))
        DateWindow.from_arguments(arguments.get("since"), arguments.get("until"),
                                  cls.timezone_for(arguments.get("timezone")))

    @classmethod
    def home_for(cls, url: str | None) -> str:
        """The home page to start from: -a url, else the spider's own."""
        home = url or cls.home_url
        if not home:
            raise ValueError(f"spider {cls.name!r} needs a home page: scrapy crawl {cls.name} -a url=http://host/")
        if not urlparse(home).scheme:
            raise ValueError(f"url must be absolute (http://...), got {home!r}")
        return home

    @classmethod
    def timezone_for(cls, timezone: str | None) -> str:
        """The site's IANA timezone: -a timezone (for sites without a spider file), else the spider's own."""
        try:
            ZoneInfo(timezone or cls.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"timezone must be an IANA name such as Asia/Riyadh, got {timezone!r}") from None
        return timezone or cls.timezone
