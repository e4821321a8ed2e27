"""HubClient against the local hub over HTTP: votes paged past the 6,000 offset limit, proposals
by state, the API key header, and offline reads from the store's cache."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import httpx
import pytest

from app.devnet.hub import FixedVotingPower, LocalHub, space_from_dict
from app.errors import NetworkError
from app.snapshot.cache import HubCache
from app.snapshot.hub_client import HubClient
from app.store.database import connect

pytestmark = pytest.mark.integration

SPACE = "big.eth"
PROPOSAL = "0x" + "ee" * 32
VOTES = 7_250


def _seed(hub: LocalHub) -> list[str]:
    """One proposal and VOTES votes; 1,500 of them share one second (skip within a second)."""
    now = int(time.time())
    with hub.store.write() as conn:
        conn.execute(
            "INSERT INTO proposals (id, ipfs, author, created, space, type, title, body,"
            ' discussion, choices, labels, start, "end", snapshot, plugins, privacy, app,'
            " strategies, network, symbol) VALUES (?, '', 'a', ?, ?, 'single-choice', 'T', '',"
            " '', '[\"A\",\"B\"]', '[]', ?, ?, 1, '{}', '', '', '[]', '1', 'X')",
            (PROPOSAL, now - 100, SPACE, now - 100, now + 100),
        )
        ids = []
        for i in range(VOTES):
            created = 1_700_000_000 + (500 if 2_000 <= i < 3_500 else i // 3)
            vote_id = f"0x{i:064x}"
            ids.append(vote_id)
            conn.execute(
                "INSERT INTO votes VALUES (?, '', ?, ?, ?, ?, ?, '', '', '{}', 1.0, '[1.0]', 'final')",
                (vote_id, f"0xvoter{i}", created, SPACE, PROPOSAL, json.dumps(1 + i % 2)),
            )
    return ids


@pytest.fixture
def big_hub() -> Iterator[LocalHub]:
    space = space_from_dict({"id": SPACE, "strategies": [{"name": "t"}]})
    hub = LocalHub([space], FixedVotingPower({})).start()
    yield hub
    hub.stop()  # idempotent: the test stops it early to go offline


async def test_votes_are_paged_past_the_offset_limit_and_cached_for_offline(
    big_hub: LocalHub,
) -> None:
    ids = _seed(big_hub)
    conn = connect(":memory:")
    async with HubClient(big_hub.url, cache=HubCache(conn, big_hub.url)) as client:
        votes = await client.votes(PROPOSAL)
        proposal = await client.proposal(PROPOSAL)
        active = await client.proposals(SPACE, state="active")
        closed = await client.proposals(SPACE, state="closed")
        # Plain offset paging stops at the hub's limits.
        with pytest.raises(NetworkError) as info:
            await client._query("query { votes(first: 1000, skip: 6000) { id } }", {})
        assert "skip" in (info.value.detail or "")
    assert sorted(v.id for v in votes) == sorted(ids)
    assert len({v.id for v in votes}) == VOTES
    assert [v.created for v in votes] == sorted(v.created for v in votes)
    assert proposal is not None
    assert proposal.votes == VOTES
    assert [p.id for p in active] == [PROPOSAL]
    assert closed == []

    big_hub.stop()
    async with HubClient(big_hub.url, cache=HubCache(conn, big_hub.url), timeout=2) as offline:
        cached_votes = await offline.votes(PROPOSAL)
        cached_proposal = await offline.proposal(PROPOSAL)
        with pytest.raises(NetworkError):
            await offline.proposal("0x" + "00" * 32)  # never fetched: nothing cached
    assert {v.id for v in cached_votes} == set(ids)
    assert cached_proposal == proposal


async def test_api_key_is_sent_as_x_api_key() -> None:
    seen: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("x-api-key"))
        return httpx.Response(200, json={"data": {"space": None}})

    transport = httpx.MockTransport(handler)
    async with HubClient("http://hub.test", api_key="k-123", transport=transport) as client:
        assert await client.space("none.eth") is None
    assert seen == ["k-123"]
