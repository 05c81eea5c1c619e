"""Store connection settings, read from the environment only."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = "akhbar"


@dataclass(frozen=True)
class StoreConfig:
    """Where articles go: an explicit MONGO_URI, or the embedded store under the data directory."""

    uri: str | None
    database: str
    data_dir: Path


def store_config(environ: dict[str, str] | None = None) -> StoreConfig:
    """Read MONGO_URI, MONGO_DATABASE and AKHBAR_DATA_DIR from the environment."""
    env = os.environ if environ is None else environ
    data_dir = Path(env.get("AKHBAR_DATA_DIR") or PROJECT_ROOT / "data")
    return StoreConfig(
        uri=env.get("MONGO_URI") or None,
        database=env.get("MONGO_DATABASE") or DEFAULT_DATABASE,
        data_dir=data_dir,
    )


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
