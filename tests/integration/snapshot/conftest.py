"""Fixtures for Snapshot integration tests: the local hub on the session devnet chain.

Voting power is the Braintrust-like "alpha" stack token's ``getPriorVotes`` at the proposal's
snapshot block. Dev accounts 0-7 delegate to themselves; 8 and 9 hold tokens but never delegate,
so they have zero voting power.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from app.devnet.hub import (
    TEMPERATURE_CHECK,
    ChainVotingPower,
    LocalHub,
    token_space,
)
from app.devnet.network import Devnet
from app.keys.signer_protocol import LocalKeySigner
from app.snapshot.envelope import SignedEnvelope, sign_message
from app.snapshot.messages import ProposalDraft, build_proposal

SPACE = "btrst.eth"


@pytest.fixture
def hub(devnet: Devnet) -> Iterator[LocalHub]:
    space = token_space(
        SPACE,
        devnet.stack("alpha")["token"],
        chain_id=devnet.chain_id,
        method="getPriorVotes",
        name="Braintrust (devnet)",
        symbol="BTRST",
        admins=[devnet.accounts[0].address],
    )
    with LocalHub([space], ChainVotingPower(devnet.rpc_url)) as local_hub:
        yield local_hub


@pytest.fixture(scope="session")
def signers(devnet: Devnet) -> list[LocalKeySigner]:
    return [LocalKeySigner(a.dev_key) for a in devnet.accounts]


@dataclass(frozen=True)
class OpenProposal:
    id: str
    envelope: SignedEnvelope
    snapshot: int


def proposal_draft(devnet: Devnet, voting_type: str, choices: tuple[str, ...]) -> ProposalDraft:
    now = int(time.time())
    return ProposalDraft(
        space=SPACE,
        voting_type=voting_type,
        title=f"{TEMPERATURE_CHECK} Fund the {voting_type} grants pilot",
        body="Should the DAO fund it?",
        choices=choices,
        start=now - 5,
        end=now + 3600,
        snapshot=devnet.control.block_number(),
    )


async def create_proposal(
    hub: LocalHub,
    devnet: Devnet,
    signer: LocalKeySigner,
    voting_type: str,
    choices: tuple[str, ...],
) -> OpenProposal:
    """A proposal created through the hub by a signed Proposal message; one block mined after."""
    import httpx

    draft = proposal_draft(devnet, voting_type, choices)
    envelope = await sign_message(signer, build_proposal(signer.address, draft))
    async with httpx.AsyncClient() as client:
        response = await client.post(hub.sequencer_url, content=envelope.to_json())
    assert response.status_code == 200, response.text
    devnet.control.mine()  # the snapshot block is now in the past: getPriorVotes answers for it
    return OpenProposal(response.json()["id"], envelope, draft.snapshot)
