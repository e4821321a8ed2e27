"""The local hub's own SQLite database: spaces are config; messages, proposals, votes, follows,
aliases and delegate statements are rows.
One connection guarded by a lock (the HTTP server is threaded)."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    id TEXT PRIMARY KEY, ipfs TEXT NOT NULL, address TEXT NOT NULL, type TEXT NOT NULL,
    space TEXT, timestamp INTEGER NOT NULL, sig TEXT NOT NULL, receipt TEXT NOT NULL,
    mci INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS proposals (
    id TEXT PRIMARY KEY, ipfs TEXT NOT NULL, author TEXT NOT NULL, created INTEGER NOT NULL,
    space TEXT NOT NULL, type TEXT NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL,
    discussion TEXT NOT NULL, choices TEXT NOT NULL, labels TEXT NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, snapshot INTEGER NOT NULL,
    plugins TEXT NOT NULL, privacy TEXT NOT NULL, app TEXT NOT NULL,
    strategies TEXT NOT NULL, network TEXT NOT NULL, symbol TEXT NOT NULL,
    scores TEXT NOT NULL DEFAULT '[]', scores_by_strategy TEXT NOT NULL DEFAULT '[]',
    scores_total REAL NOT NULL DEFAULT 0, scores_state TEXT NOT NULL DEFAULT 'pending',
    scores_updated INTEGER NOT NULL DEFAULT 0, deleted INTEGER NOT NULL DEFAULT 0,
    validation TEXT NOT NULL DEFAULT '{"name":"any","params":{}}',
    quorum REAL NOT NULL DEFAULT 0, updated INTEGER
);
CREATE TABLE IF NOT EXISTS votes (
    id TEXT NOT NULL UNIQUE, ipfs TEXT NOT NULL, voter TEXT NOT NULL, created INTEGER NOT NULL,
    space TEXT NOT NULL, proposal TEXT NOT NULL, choice TEXT NOT NULL, reason TEXT NOT NULL,
    app TEXT NOT NULL, metadata TEXT NOT NULL, vp REAL NOT NULL, vp_by_strategy TEXT NOT NULL,
    vp_state TEXT NOT NULL, PRIMARY KEY (voter, space, proposal)
);
CREATE INDEX IF NOT EXISTS votes_by_proposal ON votes (proposal, created, id);
CREATE TABLE IF NOT EXISTS follows (
    id TEXT NOT NULL, ipfs TEXT NOT NULL, follower TEXT NOT NULL, space TEXT NOT NULL,
    network TEXT NOT NULL, created INTEGER NOT NULL, PRIMARY KEY (follower, space)
);
CREATE TABLE IF NOT EXISTS aliases (
    address TEXT NOT NULL, alias TEXT NOT NULL, created INTEGER NOT NULL,
    PRIMARY KEY (address, alias)
);
CREATE TABLE IF NOT EXISTS statements (
    id TEXT NOT NULL, ipfs TEXT NOT NULL, delegate TEXT NOT NULL, space TEXT NOT NULL,
    network TEXT NOT NULL, about TEXT NOT NULL, statement TEXT NOT NULL, discourse TEXT NOT NULL,
    status TEXT NOT NULL, source TEXT, created INTEGER NOT NULL, updated INTEGER NOT NULL,
    PRIMARY KEY (delegate, space, network)
);
"""

JSON_COLUMNS = frozenset(
    {
        "choices",
        "labels",
        "plugins",
        "strategies",
        "scores",
        "scores_by_strategy",
        "choice",
        "metadata",
        "vp_by_strategy",
        "receipt",
        "validation",
    }
)


def decode_row(row: sqlite3.Row) -> dict[str, Any]:
    """A row as a dict, with JSON columns parsed."""
    out: dict[str, Any] = {}
    for key in row.keys():  # noqa: SIM118 - sqlite3.Row is not a mapping
        value = row[key]
        out[key] = json.loads(value) if key in JSON_COLUMNS and isinstance(value, str) else value
    return out


class HubStore:
    """Thread-safe access to the hub database (``":memory:"`` by default)."""

    def __init__(self, path: str = ":memory:") -> None:
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        self._conn.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One atomic write transaction, serialised with every other access."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        with self._lock:
            return [decode_row(r) for r in self._conn.execute(sql, params).fetchall()]

    def one(self, sql: str, params: tuple[Any, ...] = ()) -> dict[str, Any] | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    def has_message(self, message_id: str) -> bool:
        return self.one("SELECT id FROM messages WHERE id = ?", (message_id,)) is not None

    def proposal(self, proposal_id: str) -> dict[str, Any] | None:
        return self.one("SELECT * FROM proposals WHERE id = ? AND deleted = 0", (proposal_id,))

    def vote_of(self, voter: str, space: str, proposal: str) -> dict[str, Any] | None:
        return self.one(
            "SELECT * FROM votes WHERE voter = ? AND space = ? AND proposal = ?",
            (voter, space, proposal),
        )

    def next_mci(self, conn: sqlite3.Connection) -> int:
        value: int = conn.execute("SELECT COALESCE(MAX(mci), 0) + 1 FROM messages").fetchone()[0]
        return value
