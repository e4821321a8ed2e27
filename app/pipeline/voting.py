"""Cast a vote from the desktop app: Snapshot (signed message via the outbox) or on-chain.

Signatures come from a ``RequestSignature`` callable — in the app, the signing dialog, which
shows the readable preview and asks the key store; in tests, a local signer. No key is held here.
The Snapshot side is ``app.snapshot.send.SnapshotService`` (the one "send to Snapshot" use case).
"""

from __future__ import annotations

from typing import Any

from app.chain.rpc import RpcClient
from app.chain.transactions import TxReceipt
from app.governor.client import GovernorClient
from app.governor.model import Support
from app.orgs import Organisation
from app.snapshot.messages import checksum
from app.snapshot.outbox import Outbox
from app.snapshot.records import Proposal as SnapshotProposal
from app.snapshot.send import DelegatedSigner, RequestSignature, SnapshotService
from app.snapshot.sequencer import Receipt

__all__ = ["DelegatedSigner", "RequestSignature", "cast_offchain", "cast_onchain"]


async def cast_offchain(
    org: Organisation,
    proposal: SnapshotProposal,
    voter: str,
    choice: Any,
    request: RequestSignature,
    outbox: Outbox | SnapshotService,
    *,
    reason: str = "",
) -> Receipt:
    """Sign a Snapshot vote through ``request`` and deliver it to the org's sequencer."""
    service = (
        outbox
        if isinstance(outbox, SnapshotService)
        else SnapshotService(outbox.conn, clock=outbox.clock)
    )
    context = {"proposal_title": proposal.title, "choices": list(proposal.choices)}
    signer = DelegatedSigner(checksum(voter, "voter address"), request, context)
    return await service.vote(org, proposal, signer, choice, reason=reason)


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
