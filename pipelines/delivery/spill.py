"""The spill journal: an append-only local file of store writes that could not be made, replayed when the store is back.

One record per line, MongoDB Extended JSON (relaxed, UTF-8): datetimes, ObjectIds and binaries keep their types
(datetimes at the store's millisecond precision). Every append is one write of whole lines followed by fsync, under
an exclusive flock, so a batch is on disk before the crawl goes on, and appends of several processes (or threads)
never interleave. A crash mid-append can leave a torn last line: the next append starts on a fresh line, and
reading skips (and reports) lines that do not decode instead of failing on them.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC
from pathlib import Path
from typing import Any, BinaryIO

from bson import json_util
from bson.json_util import JSONMode, JSONOptions

_JSON = JSONOptions(json_mode=JSONMode.RELAXED, tz_aware=True, tzinfo=UTC)


def encode_record(record: Mapping[str, Any]) -> bytes:
    """One journal line for a record (a dict of BSON-compatible values)."""
    return json_util.dumps(record, json_options=_JSON, ensure_ascii=False).encode("utf-8", "surrogatepass") + b"\n"


def decode_record(line: bytes) -> dict[str, Any]:
    """The record of a journal line; ValueError when the line is torn or not a record."""
    record = json_util.loads(line.decode("utf-8", "surrogatepass"), json_options=_JSON)
    if not isinstance(record, dict):
        raise ValueError("not a journal record")
    return record


class SpillJournal:
    """An append-only, fsynced journal file of records; safe to share between threads and processes."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @contextlib.contextmanager
    def _locked(self, mode: str) -> Iterator[BinaryIO]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, mode) as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield handle
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def append(self, records: Sequence[Mapping[str, Any]]) -> None:
        """Append records as one write and fsync them (a torn last line left by a crash is closed first)."""
        if not records:
            return
        data = b"".join(encode_record(r) for r in records)
        with self._locked("ab+") as handle:
            if handle.seek(0, os.SEEK_END) > 0:
                handle.seek(-1, os.SEEK_END)
                if handle.read(1) != b"\n":
                    data = b"\n" + data
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())

    @contextlib.contextmanager
    def reading(self) -> Iterator[Iterator[dict[str, Any] | bytes]]:
        """Hold the journal exclusively and iterate its records (undecodable lines come as raw bytes)."""
        if not self.path.exists():
            yield iter(())
            return
        with self._locked("rb") as handle:
            yield _records(handle)

    @contextlib.contextmanager
    def draining(self) -> Iterator[Iterator[dict[str, Any] | bytes]]:
        """Hold the journal exclusively and iterate its records (undecodable lines come as raw bytes). The journal is
        emptied when the block has read every record and ends without an exception; otherwise it is left whole."""
        if not self.path.exists():
            yield iter(())
            return
        with self._locked("rb+") as handle:
            records = _records(handle)
            yield records
            if next(records, None) is not None:
                return
            handle.truncate(0)
            handle.flush()
            os.fsync(handle.fileno())


def _records(handle: BinaryIO) -> Iterator[dict[str, Any] | bytes]:
    handle.seek(0)
    for line in handle:
        if not line.strip():
            continue
        try:
            yield decode_record(line)
        except (ValueError, TypeError, KeyError, OverflowError):  # torn by a crash mid-append, or foreign bytes
            yield line
