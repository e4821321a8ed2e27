"""Nothing signed is lost: a real child process is SIGKILLed between signing and the hub's
acknowledgement; on restart the pending envelope is sent again and the vote arrives exactly once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.devnet.hub import LocalHub
from app.devnet.network import Devnet
from app.keys.signer_protocol import LocalKeySigner
from app.snapshot.hub_client import HubClient
from app.snapshot.outbox import Outbox, OutboxStatus, deliver_pending
from app.snapshot.sequencer import SequencerClient
from app.store.database import connect
from tests.integration.snapshot.conftest import create_proposal

pytestmark = pytest.mark.integration

CHILD = Path(__file__).with_name("outbox_child.py")


def _spawn(db: Path, hub: LocalHub, proposal: str, mode: str, key: str) -> subprocess.Popen[str]:
    root = Path(__file__).resolve().parents[3]
    env = {**os.environ, "CHILD_KEY": key, "PYTHONPATH": str(root)}
    return subprocess.Popen(
        [sys.executable, str(CHILD), str(db), hub.sequencer_url, proposal, mode],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )


def _wait_for(condition: object, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


async def _restart_and_resend(db: Path) -> list[OutboxStatus]:
    outbox = Outbox(connect(db))
    assert len(outbox.pending()) == 1
    clients: dict[str, SequencerClient] = {}
    try:
        results = await deliver_pending(outbox, lambda u: clients.setdefault(u, SequencerClient(u)))
    finally:
        for client in clients.values():
            await client.aclose()
    return [r.status for r in results]


async def _votes_by(hub: LocalHub, proposal: str, voter: str) -> list[str]:
    async with HubClient(hub.url) as client:
        return [v.id for v in await client.votes(proposal) if v.voter == voter]


async def test_killed_before_sending_then_resent_on_start(
    hub: LocalHub, devnet: Devnet, signers: list[LocalKeySigner], tmp_path: Path
) -> None:
    proposal = await create_proposal(hub, devnet, signers[0], "single-choice", ("Yes", "No"))
    db = tmp_path / "store.sqlite3"
    before = hub.received
    child = _spawn(db, hub, proposal.id, "die-before-send", devnet.accounts[6].dev_key)
    out, _ = child.communicate(timeout=60)
    assert child.returncode == -9
    assert out.startswith("stored 0x")
    assert hub.received == before  # nothing reached the hub
    assert await _restart_and_resend(db) == [OutboxStatus.ACCEPTED]
    assert await _votes_by(hub, proposal.id, signers[6].address) == [out.split()[1]]
    assert await _restart_and_resend_is_noop(db)


async def _restart_and_resend_is_noop(db: Path) -> bool:
    return Outbox(connect(db)).pending() == []


async def test_killed_while_waiting_for_the_hub_then_vote_arrives_once(
    hub: LocalHub, devnet: Devnet, signers: list[LocalKeySigner], tmp_path: Path
) -> None:
    proposal = await create_proposal(hub, devnet, signers[0], "single-choice", ("Yes", "No"))
    hub.hold_seconds = 1.5  # the hub stores the vote, then keeps the client waiting
    db = tmp_path / "store.sqlite3"
    before = hub.received
    child = _spawn(db, hub, proposal.id, "send", devnet.accounts[7].dev_key)
    assert child.stdout is not None
    with child.stdout:
        sent_id = child.stdout.readline().split()[1]
        _wait_for(lambda: hub.received > before)
        child.kill()
        child.wait(timeout=10)
        assert child.stdout.read() == ""  # never acknowledged
    # The resend reaches the hub while the first request is still held (425), waits, retries,
    # and is told "duplicate message": the hub already has it, so it counts as accepted.
    assert await _restart_and_resend(db) == [OutboxStatus.ACCEPTED]
    assert hub.received >= before + 2
    assert hub.refused_in_flight >= 1
    entry = Outbox(connect(db)).get(sent_id)
    assert entry.receipt is not None
    assert entry.receipt.id == sent_id
    assert await _votes_by(hub, proposal.id, signers[7].address) == [sent_id]
    count = hub.store.one("SELECT COUNT(*) AS n FROM messages WHERE id = ?", (sent_id,))
    assert count == {"n": 1}
