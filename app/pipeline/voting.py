"""Cast a vote from the desktop app: Snapshot (signed message via the outbox) or on-chain.

Signatures come from a ``RequestSignature`` callable — in the app, the signing dialog, which
shows the readable preview and asks the key store; in tests, a local signer. No key is held here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from app.chain.rpc import RpcClient
from app.chain.transactions import TxReceipt
from app.errors import SigningError
from app.governor.client import GovernorClient
from app.governor.model import Support
from app.orgs import Organisation
from app.snapshot.envelope import sign_message
from app.snapshot.messages import VoteRequest, build_vote
from app.snapshot.outbox import Outbox, deliver
from app.snapshot.records import Proposal as SnapshotProposal
from app.snapshot.sequencer import Receipt, SequencerClient

RequestSignature = Callable[[dict[str, Any], Mapping[str, Any]], Awaitable[str | bytes]]


@dataclass(frozen=True)
class DelegatedSigner:
    """A Signer that asks ``request`` (the signing dialog) for each signature; holds no key."""

    address: str
    request: RequestSignature
    context: Mapping[str, Any] = field(default_factory=dict)

    async def sign_typed_data(self, typed_data: dict[str, Any]) -> str:
        signature = await self.request(typed_data, self.context)
        if not isinstance(signature, str):
            raise SigningError("The signer returned no message signature.")
        return signature

    async def sign_transaction(self, transaction: dict[str, Any]) -> bytes:
        raw = await self.request(transaction, self.context)
        if not isinstance(raw, bytes):
            raise SigningError("The signer returned no signed transaction.")
        return raw


async def cast_offchain(
    org: Organisation,
    proposal: SnapshotProposal,
    voter: str,
    choice: Any,
    request: RequestSignature,
    outbox: Outbox,
    *,
    reason: str = "",
    timestamp: int | None = None,
) -> Receipt:
    """Sign a Snapshot vote through ``request`` and deliver it via the outbox."""
    vote = VoteRequest(
        proposal.space or org.snapshot_space, proposal.id, proposal.type, choice,
        len(proposal.choices), reason,
    )  # fmt: skip
    message = build_vote(voter, vote, timestamp=timestamp)
    context = {"proposal_title": proposal.title, "choices": list(proposal.choices)}
    envelope = await sign_message(
        DelegatedSigner(message.message["from"], request, context), message
    )
    async with SequencerClient(org.snapshot_hub) as sequencer:
        return await deliver(outbox, sequencer, envelope)


async def cast_onchain(
    org: Organisation,
    proposal_id: int,
    support: Support,
    voter: str,
    request: RequestSignature,
    *,
    reason: str = "",
) -> TxReceipt:
    """Cast an on-chain vote, the transaction signed through ``request``."""
    async with RpcClient(org.network.rpc_urls, chain_id=org.network.chain_id) as rpc:
        client = await GovernorClient.open(
            rpc,
            org.governor,
            multicall_address=org.network.multicall or None,
            token=org.token or None,
        )
        context = {"proposal_id": proposal_id, "support": support.name.capitalize()}
        return await client.cast_vote(
            DelegatedSigner(voter, request, context), proposal_id, support, reason
        )
