"""The article schema: applied as the collection validator, enforced by the store, and documented field by field."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime

import pytest
from pymongo.errors import BulkWriteError, OperationFailure

from crawler.items import Article
from pipelines.storage.articles import ARTICLES, ensure_indexes
from pipelines.storage.batch_write import BatchResult, write_articles
from pipelines.storage.schema import article_schema, ensure_validator, schema_fields
from tests.support.articles import article_doc, own_database
from tests.support.crawl import PROJECT_ROOT


@pytest.fixture
def db(store_db):
    with own_database(store_db, "schema") as fresh:
        yield fresh


def _options(db) -> dict:
    return next(iter(db.list_collections(filter={"name": ARTICLES})))["options"]


def test_validator_applied_and_idempotent(db):
    assert _options(db)["validator"] == {"$jsonSchema": article_schema()}
    ensure_indexes(db)
    assert _options(db)["validator"] == {"$jsonSchema": article_schema()}


def test_validator_added_to_an_existing_collection(db):
    db.drop_collection(ARTICLES)
    db.create_collection(ARTICLES)
    assert "validator" not in _options(db)
    ensure_validator(db, ARTICLES, article_schema())
    assert _options(db)["validator"] == {"$jsonSchema": article_schema()}
    assert _options(db)["validationLevel"] == "strict"


def test_collmod_refused_for_lack_of_rights_is_a_warning(db, monkeypatch, caplog):
    db.drop_collection(ARTICLES)
    db.create_collection(ARTICLES)

    def refuse(*args, **kwargs):
        raise OperationFailure("not authorized on akhbar to execute command", code=13)

    monkeypatch.setattr(type(db), "command", refuse)
    ensure_validator(db, ARTICLES, article_schema())
    assert "not authorized to run collMod" in caplog.text


def test_crawl_shaped_documents_pass(db):
    history = [{"at": datetime(2026, 3, 2, tzinfo=UTC), "views": 1200, "comments": None, "shares": 3}]
    docs = [article_doc("http://h/news/1"), article_doc("http://h/news/2", published_at=None, views=2**40),
            article_doc("http://h/news/3", counts_history=history, story_similarity=0.8, extra_field={"x": 1})]
    assert write_articles(db, docs) == BatchResult(3)


@pytest.mark.parametrize(("field", "value"), [("views", "many"), ("agencies", "Reuters"), ("published_at", "2026"),
                                              ("agency_is_staff", None), ("story_similarity", 1)])
def test_mistyped_fields_are_refused(db, field, value):
    doc = {**article_doc("http://h/news/1"), field: value}
    with pytest.raises(BulkWriteError) as refused:
        write_articles(db, [doc])
    assert refused.value.details["writeErrors"][0]["code"] == 121  # DocumentValidationFailure
    assert db[ARTICLES].count_documents({}) == 0


def test_required_fields(db):
    doc = article_doc("http://h/news/1")
    del doc["url"]
    with pytest.raises(BulkWriteError):
        write_articles(db, [doc])


def test_every_article_field_is_in_the_schema():
    assert {f.name for f in dataclasses.fields(Article)} <= set(schema_fields())
    assert {"first_seen_at", "last_seen_at", "counts_history", "reextracted_at"} <= set(schema_fields())


def test_docs_table_of_article_fields_is_the_schema():
    doc = (PROJECT_ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    table = next(block for block in doc.split("\n\n") if block.startswith("| field | type | meaning |"))
    documented = [name for row in table.splitlines()[2:] for name in re.findall(r"`(\w+)`", row.split("|")[1])]
    assert sorted(documented) == sorted(schema_fields())
