"""A damaged store never loses a signed vote: truncated, overwritten or bit-flipped many times,
every signed-but-unsent envelope still reaches the real local hub exactly once (issue #22, 2)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from app.devnet.hub import LocalHub
from app.devnet.network import Devnet
from app.keys.signer_protocol import LocalKeySigner
from app.snapshot.envelope import SignedEnvelope, sign_message
from app.snapshot.messages import VoteRequest, build_vote
from app.snapshot.outbox import Outbox, OutboxStatus, deliver, resend_pending
from app.snapshot.sequencer import SequencerClient
from app.store.recovery import open_store
from tests.integration.snapshot.conftest import SPACE, create_proposal

pytestmark = pytest.mark.integration

DAMAGE = ("truncate", "overwrite", "bitflip")


def _damage(path: Path, how: str, rng: random.Random) -> None:
    data = bytearray(path.read_bytes())
    if how == "truncate":
        data = data[: rng.randrange(0, len(data))]
    elif how == "overwrite":
        start = rng.randrange(0, max(1, len(data) - 100)) if rng.random() < 0.5 else 0
        data[start : start + rng.randint(16, 4096)] = rng.randbytes(rng.randint(16, 4096))
    else:
        for _ in range(rng.randint(1, 64)):
            at = rng.randrange(len(data))
            data[at] ^= 1 << rng.randrange(8)
    path.write_bytes(bytes(data))


async def _votes(signers: list[LocalKeySigner], proposal: str) -> list[SignedEnvelope]:
    envelopes = []
    for signer in signers[:6]:
        request = VoteRequest(SPACE, proposal, "single-choice", 1, 2)
        envelopes.append(await sign_message(signer, build_vote(signer.address, request)))
    return envelopes


@pytest.mark.parametrize("trial", range(9))
async def test_damaged_store_still_delivers_each_envelope_exactly_once(
    hub: LocalHub, devnet: Devnet, signers: list[LocalKeySigner], tmp_path: Path, trial: int
) -> None:
    rng = random.Random(trial)
    proposal = await create_proposal(hub, devnet, signers[0], "single-choice", ("Yes", "No"))
    envelopes = await _votes(signers, proposal.id)
    path = tmp_path / "store.sqlite3"
    opened = open_store(path)
    outbox = Outbox(opened.conn)
    async with SequencerClient(hub.sequencer_url) as client:
        for envelope in envelopes[:2]:  # two already delivered before the damage
            await deliver(outbox, client, envelope)
    for envelope in envelopes[2:]:  # four signed but not yet sent
        outbox.add(envelope, hub.sequencer_url)
    opened.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    opened.conn.close()

    _damage(path, DAMAGE[trial % 3], rng)

    reopened = open_store(path)
    await resend_pending(Outbox(reopened.conn))
    entries = {e.envelope.id: e.status for e in Outbox(reopened.conn).entries()}
    for envelope in envelopes[2:]:
        assert entries.get(envelope.id) is OutboxStatus.ACCEPTED
    for envelope in envelopes:
        count = hub.store.one("SELECT COUNT(*) AS n FROM messages WHERE id = ?", (envelope.id,))
        assert count == {"n": 1}
    assert Outbox(open_store(path).conn).pending() == []  # nothing is sent twice
