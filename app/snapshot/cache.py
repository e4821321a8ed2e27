"""The offline copy of hub reads, in the local store (migrations 0003, 0006 and 0012)."""

from __future__ import annotations

import io
import json
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class StoredVotes:
    """A proposal's stored votes: the base (one vote per voter) and the deltas fetched since,
    in order, not yet merged (``merge_votes(parts)`` gives the current votes)."""

    parts: list[VoteColumns]
    final: bool

    @property
    def delta_rows(self) -> int:
        return sum(p.size for p in self.parts[1:])


class VoteColumnCache:
    """Each proposal's votes as columns (migrations 0006 and 0012), for incremental
    re-verification: a base row, and the votes each later sync fetched appended as deltas, so a
    re-verification writes only what it fetched (``append``), not the whole proposal again."""

    MAX_DELTAS = 32  # fold the deltas into the base after this many, or ...
    DELTA_SHARE = 8  # ... once they hold an eighth as many rows as the base

    def __init__(
        self, conn: sqlite3.Connection, hub_url: str, *, clock: Callable[[], float] = time.time
    ) -> None:
        self._conn, self.hub_url, self._clock = conn, hub_url, clock

    def load(self, proposal: str) -> tuple[VoteColumns, bool] | None:
        """The stored votes, merged, and whether they are final (the proposal had closed)."""
        from app.snapshot.vote_columns import merge_votes

        stored = self.load_parts(proposal)
        if stored is None:
            return None
        base = stored.parts[0]
        merged = (
            base if len(stored.parts) == 1 else merge_votes(stored.parts, base.strategies_count)
        )
        return merged, stored.final

    def load_parts(self, proposal: str) -> StoredVotes | None:
        """The base and the deltas as stored; None if there is none or any part is damaged."""
        row = self._conn.execute(
            "SELECT strategies, votes, final, voters, created, columns"
            " FROM snapshot_vote_columns WHERE hub_url = ? AND proposal = ?",
            (self.hub_url, proposal),
        ).fetchone()
        if row is None:
            return None
        strategies = int(row["strategies"])
        base = _columns_of(row, strategies, unique=True)
        if base is None:
            return None
        parts = [base]
        for delta in self._conn.execute(
            "SELECT votes, voters, created, columns FROM snapshot_vote_deltas"
            " WHERE hub_url = ? AND proposal = ? ORDER BY seq",
            (self.hub_url, proposal),
        ):
            part = _columns_of(delta, strategies, unique=False)
            if part is None:
                return None
            parts.append(part)
        return StoredVotes(parts, bool(row["final"]))

    def store(self, proposal: str, votes: VoteColumns, *, final: bool) -> None:
        """All of the proposal's votes (one per voter) as its base row; no deltas."""
        blobs = _blobs(votes)
        with transaction(self._conn) as conn:
            conn.execute(
                "DELETE FROM snapshot_vote_deltas WHERE hub_url = ? AND proposal = ?",
                (self.hub_url, proposal),
            )
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
                    *blobs,
                    int(self._clock()),
                ),
            )

    def should_append(self, stored: StoredVotes | None, new_rows: int, *, final: bool) -> bool:
        """Whether ``new_rows`` fetched votes go in as a delta rather than a new base."""
        if stored is None or final or stored.final:
            return False
        share = stored.parts[0].size // self.DELTA_SHARE
        return len(stored.parts) <= self.MAX_DELTAS and stored.delta_rows + new_rows <= share

    def append(self, proposal: str, fetched: VoteColumns) -> None:
        """Votes fetched after the stored ones, as they came (a re-vote is merged on load).

        The base row is left as it is: rewriting it would write every stored vote again."""
        if not fetched.size:
            return
        blobs = _blobs(fetched)
        with transaction(self._conn) as conn:
            seq = conn.execute(
                "SELECT COALESCE(MAX(seq), 0) + 1 FROM snapshot_vote_deltas"
                " WHERE hub_url = ? AND proposal = ?",
                (self.hub_url, proposal),
            ).fetchone()[0]
            conn.execute(
                "INSERT INTO snapshot_vote_deltas (hub_url, proposal, seq, votes, voters,"
                " created, columns, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (self.hub_url, proposal, seq, fetched.size, *blobs, int(self._clock())),
            )


def _blobs(votes: VoteColumns) -> tuple[bytes, bytes, bytes]:
    import numpy as np

    from app.tally.rows import table_to_bytes

    voters = io.BytesIO()
    np.savez(voters, voters=votes.voters)
    return voters.getvalue(), votes.created.astype("<i8").tobytes(), table_to_bytes(votes.table)


def _columns_of(row: sqlite3.Row, strategies: int, *, unique: bool) -> VoteColumns | None:
    """A stored part's columns; None if damaged (the next sync fetches again)."""
    import numpy as np

    from app.snapshot.vote_columns import VoteColumns
    from app.tally.rows import table_from_bytes

    try:
        table = table_from_bytes(bytes(row["columns"]))
        with np.load(io.BytesIO(bytes(row["voters"])), allow_pickle=False) as stored:
            voters = stored["voters"]
        created = np.frombuffer(bytes(row["created"]), dtype="<i8").astype(np.int64)
    except (ValueError, KeyError, OSError):
        return None
    count = int(row["votes"])
    if not (voters.shape[0] == created.shape[0] == table.size == count):
        return None
    if voters.dtype.kind != "S" or table.strategies_count != strategies:
        return None
    return VoteColumns(voters, created, table, unique=unique)
