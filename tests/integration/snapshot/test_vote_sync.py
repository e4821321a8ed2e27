"""Incremental vote sync against the local hub: cold paging within the real limits, warm
re-verification fetching only newer votes (re-votes replace), final votes of a closed proposal
fetched once, and columns that count exactly like the records path."""

from __future__ import annotations

import io
import json
import math
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from app.devnet.hub import FixedVotingPower, LocalHub, space_from_dict
from app.snapshot.cache import VoteColumnCache
from app.snapshot.hub_client import HubClient
from app.snapshot.vote_columns import VoteColumns
from app.snapshot.vote_sync import VoteProgress, sync_votes
from app.store.database import connect, load_migrations, migrate
from app.tally import TallyVote, tally
from app.tally.rows import table_to_bytes

pytestmark = pytest.mark.integration

SPACE = "big.eth"
PROPOSAL = "0x" + "ee" * 32
CHOICES = ["A", "B", "C"]
T0 = 1_700_000_000


def _insert(conn: object, i: int, created: int, voter: str | None = None) -> None:
    choice = [1 + (i + k) % 3 for k in range(3)] if i % 7 else [1, 1, 2]  # some invalid
    vp = [1.5 + (i % 11) * 0.25, (i % 5) / 3]
    conn.execute(  # type: ignore[attr-defined]
        "INSERT INTO votes VALUES (?, '', ?, ?, ?, ?, ?, '', '', '{}', ?, ?, 'final')",
        (f"0x{i:064x}", voter or f"0xvoter{i}", created, SPACE, PROPOSAL, json.dumps(choice),
         vp[0] + vp[1], json.dumps(vp)),
    )  # fmt: skip


def _seed(hub: LocalHub, count: int, *, end: int) -> None:
    now = int(time.time())
    with hub.store.write() as conn:
        conn.execute(
            "INSERT INTO proposals (id, ipfs, author, created, space, type, title, body,"
            ' discussion, choices, labels, start, "end", snapshot, plugins, privacy, app,'
            " strategies, network, symbol) VALUES (?, '', 'a', ?, ?, 'ranked-choice', 'T', '',"
            " '', ?, '[]', ?, ?, 1, '{}', '', '', '[]', '1', 'X')",
            (PROPOSAL, now - 100, SPACE, json.dumps(CHOICES), now - 100, end),
        )
        for i in range(count):  # 1,500 votes share one second: paging with skip inside it
            _insert(conn, i, T0 + (500 if 2_000 <= i < 3_500 else i // 3))


@pytest.fixture
def hub() -> Iterator[LocalHub]:
    space = space_from_dict({"id": SPACE, "strategies": [{"name": "t"}, {"name": "u"}]})
    local = LocalHub([space], FixedVotingPower({})).start()
    yield local
    local.stop()


async def _records_tally(client: HubClient) -> object:
    votes = await client.votes(PROPOSAL)
    records = [TallyVote(v.choice, v.vp, v.vp_by_strategy) for v in votes]
    return tally("ranked-choice", CHOICES, records, 2)


async def test_cold_then_warm_sync_fetches_only_new_votes_and_counts_like_records(
    hub: LocalHub,
) -> None:
    _seed(hub, 7_250, end=int(time.time()) + 3600)
    conn = connect(":memory:")
    cache = VoteColumnCache(conn, hub.url)
    seen: list[VoteProgress] = []
    async with HubClient(hub.url) as client:
        cold = await sync_votes(client, PROPOSAL, cache=cache, expected=7_250, progress=seen.append)
        cold_requests = client.requests
        assert cold.size == 7_250
        assert cold_requests <= math.ceil(7_250 / 1000) + 2
        assert seen[-1].message == "7,250 of 7,250 votes"
        assert [p.fetched for p in seen] == sorted(p.fetched for p in seen)
        assert tally("ranked-choice", CHOICES, cold.table, 2) == await _records_tally(client)

        # 1,000 new votes, and voter 10 votes again: the new vote replaces the old one.
        with hub.store.write() as db:
            db.execute("DELETE FROM votes WHERE voter = '0xvoter10'")
            for i in range(7_250, 8_250):
                _insert(db, i, T0 + 10_000 + i // 3)
            _insert(db, 9_000, T0 + 20_000, voter="0xvoter10")
        before = client.requests
        warm = await sync_votes(client, PROPOSAL, cache=cache, expected=8_250)
        assert client.requests - before <= 2
        assert warm.size == 8_250
        assert warm.voters.tolist().count(b"0xvoter10") == 1
        assert warm.voters[-1] == b"0xvoter10"
        assert warm.created[-1] == T0 + 20_000
        assert tally("ranked-choice", CHOICES, warm.table, 2) == await _records_tally(client)
        # Read back from the store, the table is the same.
        stored = cache.load(PROPOSAL)
        assert stored is not None
        assert stored[0].voters.tolist() == warm.voters.tolist()
        assert tally("ranked-choice", CHOICES, stored[0].table, 2) == tally(
            "ranked-choice", CHOICES, warm.table, 2
        )


async def test_a_closed_proposals_votes_are_fetched_once(hub: LocalHub) -> None:
    _seed(hub, 1_200, end=int(time.time()) - 10)
    cache = VoteColumnCache(connect(":memory:"), hub.url)
    async with HubClient(hub.url) as client:
        first = await sync_votes(client, PROPOSAL, cache=cache, closed=True)
        assert client.requests == 2
        again = await sync_votes(client, PROPOSAL, cache=cache, closed=True)
        assert client.requests == 2
    assert again.voters.tolist() == first.voters.tolist()


def _same(a: VoteColumns, b: VoteColumns) -> None:
    """Bit-identical columns: voters, times and every array of the table."""
    assert a.voters.tolist() == b.voters.tolist()
    assert a.created.tolist() == b.created.tolist()
    for name in ("kinds", "ints", "list_offsets", "list_items", "map_offsets", "map_keys"):
        assert getattr(a.table, name).tolist() == getattr(b.table, name).tolist(), name
    assert a.table.map_values.tobytes() == b.table.map_values.tobytes()
    assert a.table.powers.tobytes() == b.table.powers.tobytes()
    assert a.table.others == b.table.others


def _rows(conn: sqlite3.Connection, table: str) -> list[tuple[object, ...]]:
    return [tuple(r) for r in conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2")]  # noqa: S608


async def test_warm_syncs_append_only_what_they_fetched_and_read_back_exactly(
    hub: LocalHub,
) -> None:
    _seed(hub, 12_000, end=int(time.time()) + 3600)
    conn = connect(":memory:")
    cache = VoteColumnCache(conn, hub.url)
    async with HubClient(hub.url) as client:
        await sync_votes(client, PROPOSAL, cache=cache)
        base = _rows(conn, "snapshot_vote_columns")
        for round_, start in enumerate((12_000, 12_400), start=1):
            with hub.store.write() as db:  # new votes; re-votes of a base voter and a delta voter
                for i in range(start, start + 300):
                    _insert(db, i, T0 + 20_000 + i)
                for voter in (f"0xvoter{round_ * 7}", "0xvoter12005"):
                    db.execute("DELETE FROM votes WHERE voter = ?", (voter,))
                    _insert(db, start + 350, T0 + 20_000 + start + 350, voter=voter)
                    start += 1
            warm = await sync_votes(client, PROPOSAL, cache=cache)
            # The base row is not rewritten; the fetched votes are one more delta.
            assert _rows(conn, "snapshot_vote_columns") == base
            deltas = _rows(conn, "snapshot_vote_deltas")
            assert [d[2] for d in deltas] == list(range(1, round_ + 1))
            assert warm.voters.tolist().count(b"0xvoter12005") == 1
            assert len(set(warm.voters.tolist())) == warm.size
            stored = cache.load(PROPOSAL)
            assert stored is not None
            assert not stored[1]
            _same(stored[0], warm)
            fresh = await sync_votes(
                client, PROPOSAL, cache=VoteColumnCache(connect(":memory:"), hub.url)
            )
            _same(warm, fresh)  # as if fetched cold
            assert tally("ranked-choice", CHOICES, warm.table, 2) == await _records_tally(client)
        with hub.store.write() as db:
            db.execute('UPDATE proposals SET "end" = ?', (int(time.time()) - 1,))
        closing = await sync_votes(client, PROPOSAL, cache=cache, closed=True)
        assert _rows(conn, "snapshot_vote_deltas") == []  # folded into one final base row
        before = client.requests
        closed = await sync_votes(client, PROPOSAL, cache=cache, closed=True)
        assert client.requests == before
    _same(closed, closing)
    _same(closing, warm)


async def test_deltas_are_folded_into_the_base_once_they_grow(hub: LocalHub) -> None:
    _seed(hub, 1_600, end=int(time.time()) + 3600)
    conn = connect(":memory:")
    cache = VoteColumnCache(conn, hub.url)
    async with HubClient(hub.url) as client:
        await sync_votes(client, PROPOSAL, cache=cache)
        with hub.store.write() as db:  # more than an eighth of the stored votes
            for i in range(1_600, 1_900):
                _insert(db, i, T0 + 20_000 + i)
        warm = await sync_votes(client, PROPOSAL, cache=cache)
    assert _rows(conn, "snapshot_vote_deltas") == []
    row = conn.execute("SELECT votes FROM snapshot_vote_columns").fetchone()
    assert row["votes"] == warm.size == 1_900


async def test_a_store_written_before_deltas_is_read_and_synced_on(
    hub: LocalHub, tmp_path: Path
) -> None:
    _seed(hub, 2_500, end=int(time.time()) + 3600)
    async with HubClient(hub.url) as client:
        cold = await sync_votes(client, PROPOSAL)
        # A schema-11 store holding the proposal's votes as that version wrote them.
        path = tmp_path / "old.db"
        old = sqlite3.connect(path, isolation_level=None)
        migrate(old, load_migrations()[:11])
        voters = io.BytesIO()
        np.savez(voters, voters=cold.voters)
        old.execute(
            "INSERT INTO snapshot_vote_columns (hub_url, proposal, strategies, votes, cursor,"
            " final, voters, created, columns, fetched_at) VALUES (?, ?, 2, ?, ?, 0, ?, ?, ?, 1)",
            (hub.url, PROPOSAL, cold.size, cold.last_created, voters.getvalue(),
             cold.created.astype("<i8").tobytes(), table_to_bytes(cold.table)),
        )  # fmt: skip
        old.close()
        conn = connect(path)
        cache = VoteColumnCache(conn, hub.url)
        stored = cache.load(PROPOSAL)
        assert stored is not None
        _same(stored[0], cold)
        with hub.store.write() as db:
            for i in range(2_500, 2_600):
                _insert(db, i, T0 + 20_000 + i)
        before = client.requests
        warm = await sync_votes(client, PROPOSAL, cache=cache)
        assert client.requests - before == 1
    assert warm.size == 2_600
    assert len(_rows(conn, "snapshot_vote_deltas")) == 1
