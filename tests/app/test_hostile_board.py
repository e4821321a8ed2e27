"""The board and detail path (``Services.initiatives``, ``Services.board``) against a hostile hub
and RPC endpoint: the problem is named in plain words, drafts still show, nothing crashes
(issue #22, finding 1). Real HTTP servers on loopback; the process survives 70,000 brackets."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.keys.memory_vault import MemoryVault
from app.orgs import Network, Organisation
from app.ports import Factories
from app.services import Services
from tests.app.keys.conftest import FAST_KDF
from tests.hostile_server import DEEP, HostileServer

BODIES = [DEEP, b"{" * 5000, b'{"data": {"proposals": [{"id": 1}]}}', b"\xff\xfe" * 100]


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    with Services.open(
        data_dir=tmp_path / "data",
        config_dir=tmp_path / "config",
        presets=[],
        factories=Factories(vault=MemoryVault, kdf=FAST_KDF),
    ) as svc:
        yield svc


@pytest.mark.parametrize("body", BODIES, ids=["deep", "deep-objects", "bad-record", "not-utf8"])
async def test_a_hostile_hub_and_rpc_leave_the_board_readable(
    services: Services, body: bytes
) -> None:
    with HostileServer(body) as hostile:
        org = Organisation("evil", "Evil DAO", Network(31337, "local", (hostile.url,)),
                           "evil.eth", hostile.url,
                           governor="0x5FbDB2315678afecb367f032d93F642f64180aa3")  # fmt: skip
        services.orgs.save(org)
        draft = services.drafts.create("evil", "Still here", "A local draft.")
        found = await services.initiatives(org, None)
        board = await services.board(org, None)
    assert [i.title for i in found.initiatives] == ["Still here"]
    assert draft.initiative_id in [i.initiative_id for i in found.initiatives]
    assert found.problems  # both sources said what went wrong ...
    assert all(len(p) < 600 and "Traceback" not in p for p in found.problems)  # ... in words
    assert any("hub" in p.lower() or "snapshot" in p.lower() for p in found.problems)
    assert [c.title for c in board.cards] == ["Still here"]
