"""The article document's schema (article.schema.json, MongoDB's $jsonSchema dialect), applied as a validator."""

from __future__ import annotations

import json
import logging
from functools import cache
from pathlib import Path
from typing import Any

from pymongo.database import Database
from pymongo.errors import CollectionInvalid, OperationFailure

logger = logging.getLogger(__name__)
SCHEMA_PATH = Path(__file__).with_name("article.schema.json")
UNAUTHORIZED, NAMESPACE_EXISTS = 13, 48
_VALIDATION = {"validationLevel": "strict", "validationAction": "error"}


@cache
def article_schema() -> dict[str, Any]:
    """The article document's $jsonSchema, as written in article.schema.json."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def schema_fields() -> list[str]:
    """The known fields of an article document, in schema order."""
    return list(article_schema()["properties"])


def ensure_validator(db: Database, name: str, schema: dict[str, Any]) -> None:
    """Create the collection with schema as its validator, or set it with collMod when it differs (idempotent)."""
    validator = {"$jsonSchema": schema}
    found = next(iter(db.list_collections(filter={"name": name})), None)
    if found is None:
        try:
            db.create_collection(name, validator=validator, **_VALIDATION)
            return
        except (CollectionInvalid, OperationFailure) as exc:  # a concurrent crawl created it first
            if isinstance(exc, OperationFailure) and exc.code != NAMESPACE_EXISTS:
                raise
            found = {}
    options = found.get("options", {})
    if options.get("validator") == validator and all(options.get(k) == v for k, v in _VALIDATION.items()):
        return
    try:
        db.command("collMod", name, validator=validator, **_VALIDATION)
    except OperationFailure as exc:
        # collMod needs dbAdmin; a readWrite-only user can still crawl, just without the server-side check.
        if exc.code != UNAUTHORIZED:
            raise
        logger.warning("schema validator not applied to %s: not authorized to run collMod", name)
