"""Off-chain use cases: publish a temperature or consensus check, and vote on Snapshot.

They go through ``SnapshotService`` (``app.snapshot.send``), the one way govdesk sends a signed
message to Snapshot: the space's rules are applied before anything is signed, the timestamp is
taken as the message is signed, and the envelope is stored in the outbox before it goes to the
organisation's *sequencer* (never the GraphQL hub). The sequencer comes from the composition
root's factory, so tests bind it to the local one.
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
    from app.snapshot.records import Proposal as SnapshotProposal
    from app.snapshot.send import SnapshotService
    from app.snapshot.sequencer import Receipt


class Offchain:
    def __init__(
        self, factories: Factories, conn: sqlite3.Connection, clock: Callable[[], float]
    ) -> None:
        self.factories, self._conn, self._clock = factories, conn, clock
        self._snapshot: SnapshotService | None = None

    @property
    def snapshot(self) -> SnapshotService:
        """Snapshot for this data folder (space rules, signing, outbox, sequencer)."""
        if self._snapshot is None:
            from app.snapshot.send import SnapshotService  # httpx loads when Snapshot is used

            self._snapshot = SnapshotService(
                self._conn,
                clock=self._clock,
                sequencer_factory=self.factories.sequencer,
                hub_factory=self.factories.hubs(self._conn, self._clock).client,
            )
        return self._snapshot

    async def publish_check(
        self, org: Organisation, sign: SignerSource, draft: advance.SnapshotDraft, *,
        duration_s: int,
    ) -> Receipt:  # fmt: skip
        """Sign ``draft`` as a Snapshot Proposal under the space's rules and deliver it (a
        temperature or consensus check: which one is in its title tag and footer)."""
        from app.snapshot.send import ProposalContent

        content = ProposalContent(draft.title, draft.body, draft.choices, draft.voting_type,
                                  draft.discussion, draft.labels)  # fmt: skip
        hints = PreviewHints({}, {"proposal_title": draft.title, "choices": list(draft.choices)})
        return await self.snapshot.publish_proposal(org, sign(org, hints), content,
                                                    duration_s=duration_s)  # fmt: skip

    async def vote(
        self, org: Organisation, sign: SignerSource, proposal: SnapshotProposal, choice: Any,
        reason: str = "",
    ) -> Receipt:  # fmt: skip
        """Sign a Snapshot vote on ``proposal`` (refused first if it could not count) and
        deliver it."""
        hints = PreviewHints({}, {"proposal_title": proposal.title,
                                  "choices": list(proposal.choices)})  # fmt: skip
        return await self.snapshot.vote(org, proposal, sign(org, hints), choice, reason=reason)
