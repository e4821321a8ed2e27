"""Safe use cases: follow a Safe, open its votes, approve as an owner, send or execute.

A Safe's vote is a request its owners approve one by one (``app.safe.requests``); what an owner
signs goes through the same signing dialog as any signature, previewed as what the Safe does.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from app.errors import InputError
from app.orgs import Organisation, sequencer_url
from app.ports import Factories
from app.usecases.signing import FundedSigner, PreviewHints, SignerSource, governor_hints

if TYPE_CHECKING:
    from app.chain.transactions import TxReceipt
    from app.governor.model import Support
    from app.keys.metadata import AccountInfo
    from app.safe.book import FollowedSafe, OwnerHere
    from app.safe.client import SafeInfo
    from app.safe.requests import SafeRequest, SafeRequests
    from app.snapshot.outbox import OutboxEntry
    from app.snapshot.records import Proposal as SnapshotProposal


class Safes:
    def __init__(
        self, factories: Factories, conn: sqlite3.Connection, clock: Callable[[], float]
    ) -> None:
        self.factories, self._conn, self._clock = factories, conn, clock

    def _requests(self) -> SafeRequests:
        from app.safe.requests import SafeRequests

        return SafeRequests(self._conn, clock=self._clock)

    async def read(self, org: Organisation, address: str) -> SafeInfo:
        from app.safe.client import read_safe

        async with self.factories.chain(org) as rpc:
            return await read_safe(rpc, address)

    async def follow(self, org: Organisation, address: str, label: str = "") -> FollowedSafe:
        """Read the Safe on ``org``'s network and remember it on this device."""
        from app.safe.book import SafeBook

        return SafeBook(self._conn, clock=self._clock).follow(await self.read(org, address), label)

    def followed(self, chain_id: int | None = None) -> list[FollowedSafe]:
        from app.safe.book import SafeBook

        safes = SafeBook(self._conn).list()
        return [s for s in safes if chain_id is None or s.info.chain_id == chain_id]

    def unfollow(self, safe: FollowedSafe) -> None:
        from app.safe.book import SafeBook

        SafeBook(self._conn).unfollow(safe.info.address, safe.info.chain_id)

    def owners_here(self, safe: SafeInfo, accounts: list[AccountInfo]) -> list[OwnerHere]:
        from app.safe.book import owners_here

        return owners_here(safe, accounts)

    def requests(self, safe: str | None = None) -> list[SafeRequest]:
        return self._requests().list(safe)

    async def open_snapshot_vote(
        self, org: Organisation, safe: str, proposal: SnapshotProposal, choice: Any,
        reason: str = "",
    ) -> SafeRequest:  # fmt: skip
        """The Safe's vote on ``proposal``, waiting for its owners' approvals."""
        from app.safe.voting import open_snapshot_vote
        from app.snapshot.messages import VoteRequest

        vote = VoteRequest(proposal.space or org.snapshot_space, proposal.id, proposal.type,
                           choice, len(proposal.choices), reason)  # fmt: skip
        what = f"votes {choice_words(choice, proposal.choices)} on “{_short(proposal.title)}”"
        async with self.factories.chain(org) as rpc:
            return await open_snapshot_vote(
                self._requests(), rpc, safe, vote, sequencer_url(org),
                timestamp=int(self._clock()), what=what,
            )  # fmt: skip

    def owned(self, chain_id: int, account: str | None) -> list[FollowedSafe]:
        """The followed Safes on ``chain_id`` that ``account`` is an owner of."""
        if not account:
            return []
        wanted = account.lower()
        return [s for s in self.followed(chain_id) if wanted in {o.lower() for o in s.info.owners}]

    async def open_onchain_vote(
        self, org: Organisation, safe: str, proposal_id: int, support: Support, title: str = ""
    ) -> SafeRequest:
        """A Safe transaction casting the Safe's vote on the governor."""
        from app.governor.writer import build_cast_vote
        from app.safe.voting import open_transaction

        async with self.factories.governor(org) as governor:
            call = build_cast_vote(governor.info, proposal_id, support)
            what = f"votes {support.name.capitalize()} on {title or f'proposal {proposal_id}'}"
            return await open_transaction(self._requests(), governor.rpc, safe, call.to, call.data,
                                          what)  # fmt: skip

    async def approve(self, org: Organisation, sign: SignerSource, request_id: str) -> SafeRequest:
        """The current account (an owner) approves: its signer signs the Safe's hash."""
        from app.safe.voting import approve

        request = self._requests().get(request_id)
        context: dict[str, Any] = {"safe_summary": request.summary}
        if "digest" in request.payload:
            context["approves"] = (
                f"{request.summary} (Snapshot message {request.payload['digest']})"
            )
        hints = PreviewHints({request.safe: []}, context)
        return await approve(self._requests(), request_id, sign(org, hints))

    def add_approval(self, request_id: str, signature: bytes) -> SafeRequest:
        """An approval another owner signed elsewhere (a file they sent)."""
        return self._requests().add_signature(request_id, signature)

    async def send(self, request_id: str) -> OutboxEntry:
        """Hand a fully approved Snapshot vote to the outbox and deliver it."""
        from app.safe.voting import hand_to_outbox
        from app.snapshot.outbox import Outbox, deliver

        outbox = Outbox(self._conn, clock=self._clock)
        entry = hand_to_outbox(self._requests(), outbox, request_id)
        sequencer = self.factories.sequencer(entry.sequencer_url)
        try:
            await deliver(outbox, sequencer, entry.envelope)
        finally:
            await sequencer.aclose()
        return outbox.get(entry.envelope.id)

    async def execute(self, org: Organisation, sign: SignerSource, request_id: str) -> TxReceipt:
        """Send the approved Safe transaction from the current account (any account may)."""
        from app.chain.transactions import TxSender
        from app.safe.voting import execute

        request = self._requests().get(request_id)
        if request.missing:
            raise InputError(f"{request.summary}: {request.progress}.")
        async with self.factories.governor(org) as governor:
            hints = governor_hints(governor, {"safe_summary": request.summary})
            abis = {**hints.abis, request.safe: []}
            signer = FundedSigner(sign(org, PreviewHints(abis, hints.context)), governor.rpc)
            return await execute(self._requests(), TxSender(governor.rpc, signer), request_id)


def choice_words(choice: Any, choices: list[str] | tuple[str, ...]) -> str:
    """A Snapshot choice by its options' names ("Yes", "A > B", "A: 2, B: 1")."""
    from app.keys.preview.snapshot import snapshot_choice

    encoded = json.dumps(choice) if isinstance(choice, dict) else choice
    return snapshot_choice({"choice": encoded}, choices)[0]


def _short(title: str, limit: int = 60) -> str:
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"
