"""Every reader of the Snapshot hub gets its client from the composition root (``Factories.hub``):
the board, the account's context, the detail view, verification and ``SnapshotService`` all send
the user's stored API key (the hub budgets requests by it), and all but the detail's vote list
keep their answers in the store's cache. A real local hub records each request's ``x-api-key``."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from app.devnet.hub import FixedVotingPower, LocalHub, space_from_dict
from app.devnet.hub.scores import update_scores
from app.orgs import Network, Organisation
from app.pipeline.model import Initiative
from app.ports import Factories
from app.services import Services
from app.snapshot.cache import HubCache
from app.snapshot.hub_access import store_hub
from app.snapshot.settings import set_api_key

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Callable

    from app.snapshot.hub_client import HubClient

SPACE = "keyed.eth"
PROPOSAL = "0x" + "ab" * 32
VOTER = "0x" + "11" * 20
KEY = "k-live-7f3a"


@pytest.fixture
def hub() -> Iterator[LocalHub]:
    space = space_from_dict({"id": SPACE, "strategies": [{"name": "t"}]})
    local = LocalHub([space], FixedVotingPower({VOTER: 7.0})).start()
    now = int(time.time())
    with local.store.write() as conn:
        conn.execute(
            "INSERT INTO proposals (id, ipfs, author, created, space, type, title, body,"
            ' discussion, choices, labels, start, "end", snapshot, plugins, privacy, app,'
            " strategies, network, symbol) VALUES (?, '', 'a', ?, ?, 'single-choice',"
            " 'Fund the pilot', 'Body', '', '[\"For\",\"Against\"]', '[]', ?, ?, 1, '{}', '', '',"
            " '[{\"name\": \"t\"}]', '1', 'X')",
            (PROPOSAL, now - 100, SPACE, now - 100, now + 3600),
        )
        conn.executemany(
            "INSERT INTO votes VALUES (?, '', ?, ?, ?, ?, ?, '', '', '{}', ?, ?, 'final')",
            [(f"0x{i:064x}", f"0xvoter{i}", now - 50 + i, SPACE, PROPOSAL, json.dumps(1 + i % 2),
              1.0 + i, json.dumps([1.0 + i])) for i in range(5)],
        )  # fmt: skip
    update_scores(local.store, PROPOSAL)
    yield local
    local.stop()


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    with Services.open(data_dir=tmp_path / "d", config_dir=tmp_path / "c") as svc:
        yield svc


def keyed_org(hub: LocalHub) -> Organisation:
    return Organisation("keyed", "Keyed DAO", Network(31337, "local", ()), SPACE, hub.url)


def sent_since(hub: LocalHub, start: int) -> list[str]:
    """The API keys of the GraphQL requests since the ``start``-th one."""
    return hub.api_keys[start:]


async def the_check(services: Services, org: Organisation) -> Initiative:
    found = await services.initiatives(org, VOTER)
    (initiative,) = [i for i in found.initiatives if i.temperature is not None]
    return initiative


async def test_the_board_and_the_account_context_send_the_stored_key(
    hub: LocalHub, services: Services
) -> None:
    set_api_key(services.store.conn, KEY)
    board = await services.board(keyed_org(hub), VOTER)
    assert board.problems == []
    assert board.account.offchain_power == 7.0  # read from the hub, per open check
    # the proposals (board), then the space's and the open check's power (account context)
    assert len(hub.api_keys) >= 3
    assert set(sent_since(hub, 0)) == {KEY}


async def test_the_detail_and_its_verification_send_the_stored_key(
    hub: LocalHub, services: Services
) -> None:
    set_api_key(services.store.conn, KEY)
    org = keyed_org(hub)
    initiative = await the_check(services, org)
    start = len(hub.api_keys)
    detail = await services.detail(org, initiative, VOTER)
    assert detail.problems == ()
    (part,) = detail.offchain
    assert len(part.votes) == 5
    assert part.power.power == 7.0
    assert sent_since(hub, start)
    assert set(sent_since(hub, start)) == {KEY}

    start = len(hub.api_keys)
    (verified,) = await services.verify(org, detail)
    assert verified.matches, verified.message
    assert verified.counted == 5
    assert sent_since(hub, start)
    assert set(sent_since(hub, start)) == {KEY}


async def test_snapshot_service_uses_the_same_factory(hub: LocalHub, services: Services) -> None:
    set_api_key(services.store.conn, KEY)
    space = await services.snapshot().space(keyed_org(hub))
    assert space is not None
    assert space.id == SPACE
    assert hub.api_keys == [KEY]


async def test_without_a_stored_key_no_key_is_sent(hub: LocalHub, services: Services) -> None:
    org = keyed_org(hub)
    await services.detail(org, await the_check(services, org), VOTER)
    assert hub.api_keys
    assert set(hub.api_keys) == {""}


async def test_the_detail_keeps_its_vote_list_out_of_the_store(
    hub: LocalHub, services: Services
) -> None:
    """Every vote written to the store on the event loop would freeze the window (about 5 s per
    100,000 votes); the board's proposals are cached, the detail's votes are not."""
    org = keyed_org(hub)
    initiative = await the_check(services, org)
    cache = HubCache(services.store.conn, hub.url)
    assert [p.id for p in cache.proposals(SPACE)] == [PROPOSAL]
    detail = await services.detail(org, initiative, VOTER)
    assert len(detail.offchain[0].votes) == 5
    assert cache.votes(PROPOSAL) == []


async def test_a_hub_factory_given_at_the_root_makes_every_readers_client(
    hub: LocalHub, tmp_path: Path
) -> None:
    made: list[str] = []

    def counted(
        url: str,
        store: sqlite3.Connection | None,
        clock: Callable[[], float] = time.time,
        *,
        cached: bool = True,
    ) -> HubClient:
        made.append(url)
        return store_hub(url, store, clock, cached=cached)

    org = keyed_org(hub)
    with Services.open(data_dir=tmp_path / "d2", config_dir=tmp_path / "c2",
                       factories=Factories(hub=counted)) as svc:  # fmt: skip
        await svc.board(org, VOTER)  # the proposals, then the account's power
        detail = await svc.detail(org, await the_check(svc, org), VOTER)
        await svc.verify(org, detail)
        await svc.snapshot().space(org)
    # board 2, the_check 1, detail 1, verify 1, space 1 (SnapshotService drops the last "/")
    assert [url.rstrip("/") for url in made] == [hub.url.rstrip("/")] * 6
