"""An append-only, checksummed journal of signed envelopes beside the store (issue #22).

The outbox keeps what a person signed in SQLite; this journal keeps it a second time, in a plain
file next to the database, so that damage to one file never takes both copies. Each line is::

    <crc32 of the JSON, 8 hex digits> <one JSON object>\\n

An ``add`` record holds the whole outbox row; a ``status`` record the outcome of a send. A line
whose checksum does not match (a torn write, a flipped bit) is skipped; every other line is
still read. Lines are appended with ``fsync`` before the database is written, so after a crash
the journal knows at least what the store knows.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

log = logging.getLogger(__name__)

JOURNAL_SUFFIX: Final = ".outbox-journal"
MAX_LINE: Final = 4 * 1024 * 1024  # an envelope is a few kB; a longer line is damage


def journal_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + JOURNAL_SUFFIX)


def database_file(conn: sqlite3.Connection) -> Path | None:
    """The file behind ``conn``'s main database; None for an in-memory store."""
    for row in conn.execute("PRAGMA database_list"):
        if row[1] == "main" and row[2]:
            return Path(row[2])
    return None


@dataclass
class JournalState:
    """What the journal says about each message: its row, and its last recorded outcome."""

    rows: dict[str, dict[str, Any]] = field(default_factory=dict)
    damaged_lines: int = 0


class EnvelopeJournal:
    """Appends to and reads the journal file beside one store."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def beside(cls, conn: sqlite3.Connection) -> EnvelopeJournal | None:
        db = database_file(conn)
        return None if db is None else cls(journal_path(db))

    def append(self, record: dict[str, Any]) -> None:
        text = json.dumps(record, separators=(",", ":"), sort_keys=True)
        line = f"{zlib.crc32(text.encode()):08x} {text}\n".encode()
        # Owner-only from the first byte: the envelopes are not secret, but they are private.
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)

    def record_add(self, row: dict[str, Any]) -> None:
        self.append({"op": "add", **row})

    def record_status(
        self, message_id: str, status: str, error: str | None, receipt: str | None, at: int
    ) -> None:
        self.append(
            {
                "op": "status",
                "id": message_id,
                "status": status,
                "last_error": error,
                "receipt": receipt,
                "updated_at": at,
            }
        )

    def read(self) -> JournalState:
        """Every intact record, folded per message id (later outcomes win)."""
        state = JournalState()
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return state
        for raw in data.split(b"\n"):
            if raw:
                record = _decode_line(raw)
                if record is None:
                    state.damaged_lines += 1
                else:
                    _fold(state, record)
        return state


def _decode_line(raw: bytes) -> dict[str, Any] | None:
    if len(raw) > MAX_LINE or len(raw) < 10 or raw[8:9] != b" ":
        return None
    body = raw[9:]
    try:
        if int(raw[:8], 16) != zlib.crc32(body):
            return None
        record = json.loads(body)
    except ValueError:
        return None
    ok = isinstance(record, dict) and isinstance(record.get("id"), str)
    return record if ok else None


def _fold(state: JournalState, record: dict[str, Any]) -> None:
    message_id = record["id"]
    if record.get("op") == "add":
        state.rows.setdefault(message_id, {k: v for k, v in record.items() if k != "op"})
        return
    row = state.rows.get(message_id)
    if row is not None and record.get("op") == "status":
        for key in ("status", "last_error", "receipt", "updated_at"):
            row[key] = record.get(key)
        row["attempts"] = int(row.get("attempts") or 0) + 1
