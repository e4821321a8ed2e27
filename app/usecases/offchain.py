"""Off-chain use cases: publish a temperature or consensus check, and vote on Snapshot.

What is signed is stored in the outbox before it is sent; the sequencer comes from the
composition root's factory, so tests bind it to the local hub.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from app.orgs import Organisation
from app.pipeline import advance
from app.ports import Factories
from app.usecases.signing import PreviewHints, SignerSource

if TYPE_CHECKING:
    from app.snapshot.envelope import SignedEnvelope
    from app.snapshot.records import Proposal as SnapshotProposal
    from app.snapshot.sequencer import Receipt

SNAPSHOT_LAG_BLOCKS = 4  # Snapshot's UI proposes at latest - 4 (a block every node has)


class Offchain:
    def __init__(
        self, factories: Factories, conn: sqlite3.Connection, clock: Callable[[], float]
    ) -> None:
        self.factories, self._conn, self._clock = factories, conn, clock

    async def send(self, hub: str, envelope: SignedEnvelope) -> Receipt:
        """Store ``envelope`` in the outbox, then deliver it to ``hub``'s sequencer."""
        from app.snapshot.outbox import Outbox, deliver

        sequencer = self.factories.sequencer(hub)
        try:
            return await deliver(Outbox(self._conn, clock=self._clock), sequencer, envelope)
        finally:
            await sequencer.aclose()

    async def snapshot_block(self, org: Organisation) -> int:
        """The block a new proposal reads voting power at: the latest block minus four."""
        async with self.factories.chain(org) as rpc:
            latest = int(str(await rpc.request("eth_blockNumber", [])), 16)
        return max(latest - SNAPSHOT_LAG_BLOCKS, 0)

    async def publish_check(
        self, org: Organisation, sign: SignerSource, draft: advance.SnapshotDraft, *,
        start: int, duration_s: int,
    ) -> Receipt:  # fmt: skip
        """Sign ``draft`` as a Snapshot Proposal and deliver it (a temperature or consensus
        check: which one is in its title tag and footer)."""
        from app.snapshot.envelope import sign_message
        from app.snapshot.messages import ProposalDraft, build_proposal

        proposal = ProposalDraft(
            org.snapshot_space, draft.voting_type, draft.title, draft.body, draft.choices,
            start, start + duration_s, await self.snapshot_block(org),
            discussion=draft.discussion, labels=draft.labels,
        )  # fmt: skip
        hints = PreviewHints({}, {"proposal_title": draft.title, "choices": list(draft.choices)})
        signer = sign(org, hints)
        message = build_proposal(signer.address, proposal, timestamp=start)
        return await self.send(org.snapshot_hub, await sign_message(signer, message))

    async def vote(
        self, org: Organisation, sign: SignerSource, proposal: SnapshotProposal, choice: Any,
        reason: str = "",
    ) -> Receipt:  # fmt: skip
        """Sign a Snapshot vote on ``proposal`` and deliver it."""
        from app.snapshot.envelope import sign_message
        from app.snapshot.messages import VoteRequest, build_vote

        hints = PreviewHints({}, {"proposal_title": proposal.title,
                                  "choices": list(proposal.choices)})  # fmt: skip
        signer = sign(org, hints)
        request = VoteRequest(proposal.space or org.snapshot_space, proposal.id, proposal.type,
                              choice, len(proposal.choices), reason)  # fmt: skip
        message = build_vote(signer.address, request, timestamp=int(self._clock()))
        return await self.send(org.snapshot_hub, await sign_message(signer, message))
