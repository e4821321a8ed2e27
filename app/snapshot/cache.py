"""The offline copy of hub reads, in the local store (migrations 0003 and 0006)."""

from __future__ import annotations

import io
import json
import sqlite3
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from app.snapshot.queries import MAX_FIRST, MAX_SKIP
from app.snapshot.records import Proposal, parse_list, parse_proposal
from app.store.database import transaction

if TYPE_CHECKING:  # numpy loads with the vote columns, not with the board's cache (issue #20)
    from app.snapshot.vote_columns import VoteColumns


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

    def proposals(self, space: str, *, page: int = MAX_FIRST) -> list[Proposal]:
        """The space's proposals as the hub last listed them (``HubClient.all_proposals``, pages
        of ``page``), without asking it: what the board shows before the hub answers."""
        found: list[Proposal] = []
        for skip in range(0, MAX_SKIP + 1, page):
            raw = self.get("proposals", canonical_key(first=page, skip=skip, space=space))
            if raw is None:
                break
            listed = parse_list(raw, parse_proposal, "proposals")
            found.extend(listed)
            if len(listed) < page:
                break
        return found

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


class VoteColumnCache:
    """Each proposal's votes as columns (migration 0006), for incremental re-verification."""

    def __init__(
        self, conn: sqlite3.Connection, hub_url: str, *, clock: Callable[[], float] = time.time
    ) -> None:
        self._conn, self.hub_url, self._clock = conn, hub_url, clock

    def load(self, proposal: str) -> tuple[VoteColumns, bool] | None:
        """The stored votes and whether they are final (the proposal had closed), if any."""
        import numpy as np

        from app.snapshot.vote_columns import VoteColumns
        from app.tally.rows import table_from_bytes

        row = self._conn.execute(
            "SELECT strategies, votes, final, voters, created, columns"
            " FROM snapshot_vote_columns WHERE hub_url = ? AND proposal = ?",
            (self.hub_url, proposal),
        ).fetchone()
        if row is None:
            return None
        try:
            table = table_from_bytes(bytes(row["columns"]))
            with np.load(io.BytesIO(bytes(row["voters"])), allow_pickle=False) as stored:
                voters = stored["voters"]
            created = np.frombuffer(bytes(row["created"]), dtype="<i8").astype(np.int64)
        except (ValueError, KeyError, OSError):
            return None  # a damaged entry: fetch again
        count = int(row["votes"])
        if not (voters.shape[0] == created.shape[0] == table.size == count):
            return None
        if voters.dtype.kind != "S" or table.strategies_count != int(row["strategies"]):
            return None
        return VoteColumns(voters, created, table, unique=True), bool(row["final"])

    def store(self, proposal: str, votes: VoteColumns, *, final: bool) -> None:
        import numpy as np

        from app.tally.rows import table_to_bytes

        voters = io.BytesIO()
        np.savez(voters, voters=votes.voters)
        with transaction(self._conn) as conn:
            conn.execute(
                "INSERT OR REPLACE INTO snapshot_vote_columns (hub_url, proposal, strategies,"
                " votes, cursor, final, voters, created, columns, fetched_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    self.hub_url,
                    proposal,
                    votes.strategies_count,
                    votes.size,
                    votes.last_created,
                    int(final),
                    voters.getvalue(),
                    votes.created.astype("<i8").tobytes(),
                    table_to_bytes(votes.table),
                    int(self._clock()),
                ),
            )
