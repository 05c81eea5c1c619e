"""Store connection settings (MONGO_URI, MONGO_DATABASE, AKHBAR_DATA_DIR, STORE_TIMEOUT_MS, STORE_COMMAND_TIMEOUT_MS),
read from Scrapy settings and checked before anything uses them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pymongo.errors import ConfigurationError
from pymongo.uri_parser import parse_uri
from scrapy.settings import BaseSettings

try:  # the checks of parse_uri without its DNS lookups (mongodb+srv://), in pymongo >= 4.11
    from pymongo.uri_parser_shared import _validate_uri
except ImportError:  # pragma: no cover
    _validate_uri = None


class StoreSettingsError(ValueError):
    """Store settings that cannot work (a malformed MONGO_URI): one line, password masked."""


@dataclass(frozen=True)
class StoreConfig:
    """Where articles go: an explicit MONGO_URI, or the embedded store under the data directory; and how long one
    store operation of a crawl (timeout_ms) and of the commands reading the store (command_timeout_ms) may wait for
    one reply of it (pymongo's socketTimeoutMS); None: no limit."""

    uri: str | None
    database: str
    data_dir: Path
    timeout_ms: int | None = None
    command_timeout_ms: int | None = None


def store_config(settings: BaseSettings, check_uri: bool = True) -> StoreConfig:
    """The store of these settings: crawler/settings.py fills MONGO_URI, MONGO_DATABASE and AKHBAR_DATA_DIR from the
    environment, and `-s NAME=VALUE` overrides them. Components pass crawler.settings, commands their own settings,
    other programs scrapy.utils.project.get_project_settings(); ValueError for settings without the last two, and
    StoreSettingsError (a ValueError) for a MONGO_URI that pymongo's parser refuses (unless check_uri is False: `scrapy
    store` never uses MONGO_URI)."""
    missing = [name for name in ("MONGO_DATABASE", "AKHBAR_DATA_DIR") if not settings.get(name)]
    if missing:
        raise ValueError(f"no {' or '.join(missing)} in these settings: pass the project's (crawler/settings.py)")
    uri = settings.get("MONGO_URI") or None
    if uri is not None and check_uri:
        parse_store_uri(uri)
    return StoreConfig(uri=uri, database=settings["MONGO_DATABASE"], data_dir=Path(settings["AKHBAR_DATA_DIR"]),
                       timeout_ms=settings.getint("STORE_TIMEOUT_MS") or None,
                       command_timeout_ms=settings.getint("STORE_COMMAND_TIMEOUT_MS") or None)


def parse_store_uri(uri: str) -> dict[str, Any]:
    """pymongo's reading of a MongoDB URI (pymongo.uri_parser.parse_uri; for mongodb+srv:// the same checks without
    the DNS lookup, which is reaching the store, not reading its address). StoreSettingsError, in one line with the
    password masked, when pymongo refuses it: MongoClient would take `not a uri` for a host name."""
    try:
        if uri.startswith("mongodb+srv://") and _validate_uri is not None:
            parsed = _validate_uri(uri, warn=False)
        else:
            parsed = parse_uri(uri)
    except (ConfigurationError, ValueError, TypeError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    else:
        # pymongo reads `mongodb://u:p@ss/w0rd@host/` as host `ss` and database `w0rd@host`: a password whose `@` and
        # `/` are not escaped. No database name of a working URI holds an `@`.
        if "@" not in (parsed.get("database") or "") + (parsed.get("collection") or ""):
            return parsed
        reason = ("an '@' after the host: escape the password's '@' as %40 and '/' as %2F "
                  "(urllib.parse.quote_plus)")
    raise StoreSettingsError(f"MONGO_URI {mask_uri(uri)[:200]!r} is not a MongoDB connection string: "
                             f"{_scrub(reason, uri)[:200]}")


def store_hosts(uri: str) -> str:
    """The hosts of a MongoDB URI as host:port[,host:port...] (the SRV name for mongodb+srv://), for messages."""
    try:
        nodes = parse_store_uri(uri)["nodelist"]
    except StoreSettingsError:
        return mask_uri(uri)
    return ",".join(f"[{h}]:{p}" if ":" in h else (f"{h}:{p}" if p else h) for h, p in nodes)


# The password runs from `user:` to the last `@` before the hosts; it may hold `@`, `/` or `:` when not escaped as
# RFC 3986 asks, so a masked URI never shows a piece of it. \S keeps the match inside one URI of a log line.
_PASSWORD = re.compile(r"(?P<scheme>mongodb(?:\+srv)?://)(?P<user>[^:@/\s]+):(?P<password>\S*)@")


def mask_uri(uri: str) -> str:
    """Hide the password of a MongoDB URI (of every URI in a text) so it can be logged."""
    return _PASSWORD.sub(lambda m: f"{m['scheme']}{m['user']}:***@", uri)


def _scrub(message: str, uri: str) -> str:
    """A parser's message about a URI, masked, and without any piece of the URI's password it may quote (pymongo
    quotes the part after a `/` in the password as a database name)."""
    found = _PASSWORD.search(uri)
    if found:
        password = found["password"]
        for piece in sorted({password, *re.split(r"[/@:?#]", password)}, key=len, reverse=True):
            if len(piece) >= 2:
                message = re.sub(rf"(?<![A-Za-z0-9]){re.escape(piece)}(?![A-Za-z0-9])", "***", message)
    return mask_uri(message)


def mask_secrets(value: Any) -> Any:
    """A copy of a value (dicts and lists walked) with the password of every MongoDB URI in its strings hidden."""
    if isinstance(value, str):
        return mask_uri(value) if "@" in value else value
    if isinstance(value, dict):
        return {k: mask_secrets(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask_secrets(v) for v in value]
    return value
