"""Writers for `scrapy export`: JSONL, CSV and Parquet, one batch at a time, columns from the schema."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path
from typing import IO, Any, Protocol

import pyarrow as pa
import pyarrow.parquet as pq
from bson import ObjectId

from pipelines.storage.schema import article_schema

FORMATS = ("jsonl", "csv", "parquet")
_INTEGERS = {"int", "long"}


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, ObjectId):
        return str(value)
    raise TypeError(f"cannot export {type(value).__name__}")


def _bson_types(spec: dict[str, Any]) -> set[str]:
    kinds = spec.get("bsonType", "string")
    return set([kinds] if isinstance(kinds, str) else kinds) - {"null"}


def arrow_type(spec: dict[str, Any]) -> pa.DataType:
    """The Arrow type of a $jsonSchema property: timestamps in UTC, 64-bit integers, typed lists and structs."""
    kinds = _bson_types(spec)
    if kinds <= _INTEGERS:
        return pa.int64()
    if kinds <= _INTEGERS | {"double"}:
        return pa.float64()
    if kinds == {"date"}:
        return pa.timestamp("ms", tz="UTC")
    if kinds == {"bool"}:
        return pa.bool_()
    if kinds == {"array"} and "items" in spec:
        return pa.list_(arrow_type(spec["items"]))
    if kinds == {"object"} and "properties" in spec:
        return pa.struct([(name, arrow_type(sub)) for name, sub in spec["properties"].items()])
    return pa.string()  # strings, object ids, and anything untyped (as JSON)


def arrow_schema() -> pa.Schema:
    """The Parquet schema of an exported article: one column per schema property, in schema order."""
    return pa.schema([(name, arrow_type(spec)) for name, spec in article_schema()["properties"].items()])


def _arrow_value(value: Any, kind: pa.DataType) -> Any:
    if value is None:
        return None
    if isinstance(value, ObjectId):
        return str(value)
    if pa.types.is_string(kind) and not isinstance(value, str):
        return json.dumps(value, ensure_ascii=False, default=_json_default)
    if pa.types.is_list(kind):
        return [_arrow_value(v, kind.value_type) for v in value]
    if pa.types.is_struct(kind):
        return {f.name: _arrow_value(value.get(f.name), f.type) for f in kind}
    return value


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, datetime | ObjectId):
        return _json_default(value)
    return json.dumps(value, ensure_ascii=False, default=_json_default)  # numbers, booleans, lists, objects


class Writer(Protocol):
    """Writes exported articles (documents restricted to the schema's fields) to one open file."""

    def write(self, docs: list[dict[str, Any]]) -> None: ...

    def close(self) -> None: ...


class JsonlWriter:
    """One JSON object per line; datetimes ISO-8601, _id as hex."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out

    def write(self, docs: list[dict[str, Any]]) -> None:
        """Append documents."""
        self.out.writelines(json.dumps(d, ensure_ascii=False, default=_json_default) + "\n" for d in docs)

    def close(self) -> None:
        """Nothing to finish."""


class CsvWriter:
    """A header row of schema fields; lists and objects as JSON, datetimes ISO-8601, null as an empty cell."""

    def __init__(self, out: IO[str], fields: list[str]) -> None:
        self.fields = fields
        self.csv = csv.writer(out)
        self.csv.writerow(fields)

    def write(self, docs: list[dict[str, Any]]) -> None:
        """Append documents as rows."""
        self.csv.writerows([_csv_value(d.get(f)) for f in self.fields] for d in docs)

    def close(self) -> None:
        """Nothing to finish."""


class ParquetWriter:
    """One row group per batch, typed by arrow_schema()."""

    def __init__(self, path: Path) -> None:
        self.schema = arrow_schema()
        self.parquet = pq.ParquetWriter(path, self.schema, compression="zstd")

    def write(self, docs: list[dict[str, Any]]) -> None:
        """Append documents as one row group."""
        columns = {f.name: [_arrow_value(d.get(f.name), f.type) for d in docs] for f in self.schema}
        self.parquet.write_table(pa.Table.from_pydict(columns, schema=self.schema))

    def close(self) -> None:
        """Write the footer (an empty export still gets the schema)."""
        self.parquet.close()
