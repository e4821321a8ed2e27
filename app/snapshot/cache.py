"""The offline copy of hub reads, in the local store (tables from migration 0003)."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterable
from typing import Any

from app.store.database import transaction


def canonical_key(**args: Any) -> str:
    return json.dumps(args, sort_keys=True, separators=(",", ":"))


class HubCache:
    """Answers from one hub URL, stored so they can be read without a network."""

    def __init__(
        self, conn: sqlite3.Connection, hub_url: str, *, clock: Callable[[], float] = time.time
    ) -> None:
        self._conn, self.hub_url, self._clock = conn, hub_url, clock

    def put(self, kind: str, key: str, payload: Any) -> None:
        with transaction(self._conn) as conn:
            conn.execute(
                "INSERT OR REPLACE INTO snapshot_cache (hub_url, kind, key, payload, fetched_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (self.hub_url, kind, key, json.dumps(payload), int(self._clock())),
            )

    def get(self, kind: str, key: str) -> Any | None:
        row = self._conn.execute(
            "SELECT payload FROM snapshot_cache WHERE hub_url = ? AND kind = ? AND key = ?",
            (self.hub_url, kind, key),
        ).fetchone()
        return None if row is None else json.loads(row["payload"])

    def put_votes(self, votes: Iterable[dict[str, Any]]) -> None:
        rows = [
            (
                self.hub_url,
                v["id"],
                v["proposal"]["id"],
                v["voter"],
                int(v["created"]),
                json.dumps(v),
            )
            for v in votes
        ]
        with transaction(self._conn) as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO snapshot_votes (hub_url, id, proposal, voter, created,"
                " payload) VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )

    def votes(self, proposal: str) -> list[dict[str, Any]]:
        rows = self._conn.execute(
            "SELECT payload FROM snapshot_votes WHERE hub_url = ? AND proposal = ?"
            " ORDER BY created, id",
            (self.hub_url, proposal),
        ).fetchall()
        return [json.loads(r["payload"]) for r in rows]
