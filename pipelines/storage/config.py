"""Store connection settings (MONGO_URI, MONGO_DATABASE, AKHBAR_DATA_DIR), read from Scrapy settings."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrapy.settings import BaseSettings


@dataclass(frozen=True)
class StoreConfig:
    """Where articles go: an explicit MONGO_URI, or the embedded store under the data directory."""

    uri: str | None
    database: str
    data_dir: Path


def store_config(settings: BaseSettings) -> StoreConfig:
    """The store of these settings: crawler/settings.py fills MONGO_URI, MONGO_DATABASE and AKHBAR_DATA_DIR from the
    environment, and `-s NAME=VALUE` overrides them. Components pass crawler.settings, commands their own settings,
    other programs scrapy.utils.project.get_project_settings(); ValueError for settings without the last two."""
    missing = [name for name in ("MONGO_DATABASE", "AKHBAR_DATA_DIR") if not settings.get(name)]
    if missing:
        raise ValueError(f"no {' or '.join(missing)} in these settings: pass the project's (crawler/settings.py)")
    return StoreConfig(uri=settings.get("MONGO_URI") or None, database=settings["MONGO_DATABASE"],
                       data_dir=Path(settings["AKHBAR_DATA_DIR"]))


_PASSWORD = re.compile(r"(?P<scheme>mongodb(?:\+srv)?://)(?P<user>[^:@/]+):(?P<password>[^@/]*)@")


def mask_uri(uri: str) -> str:
    """Hide the password of a MongoDB URI so it can be logged."""
    return _PASSWORD.sub(lambda m: f"{m['scheme']}{m['user']}:***@", uri)


def mask_secrets(value: Any) -> Any:
    """A copy of a value (dicts and lists walked) with the password of every MongoDB URI in its strings hidden."""
    if isinstance(value, str):
        return mask_uri(value) if "@" in value else value
    if isinstance(value, dict):
        return {k: mask_secrets(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask_secrets(v) for v in value]
    return value
