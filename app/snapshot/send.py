"""The one use case "send a signed message to Snapshot", and the flows built on it.

``SnapshotService`` is what the CLI, ``app.pipeline.voting`` and the desktop app call: it reads
the space's settings from the hub (cached for offline reading), says before anything is signed
when the account may not propose or vote and why, fixes start/end/type/privacy as the space
requires, signs through the given ``Signer`` and delivers through the outbox to the
organisation's *sequencer* (never the GraphQL hub). No caller builds a ``SequencerClient`` or
touches the outbox itself.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app.domain.endpoints import hub_or_default
from app.errors import InputError, NetworkError, SigningError
from app.orgs import Organisation, sequencer_url
from app.snapshot import space_rules
from app.snapshot.hub_access import store_hub
from app.snapshot.outbox import Outbox, OutboxEntry, deliver, resend_pending
from app.snapshot.records import Proposal, Space

if TYPE_CHECKING:  # httpx and eth-account load when Snapshot is first read or signed for
    from app.keys.signer_protocol import Signer
    from app.snapshot.envelope import SignedEnvelope
    from app.snapshot.hub_client import HubClient
    from app.snapshot.sequencer import Receipt, SequencerClient
    from app.snapshot.typed_data import TypedMessage

SNAPSHOT_LAG_BLOCKS = 4  # Snapshot's UI proposes at latest - 4 (a block every node has)
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


@dataclass(frozen=True)
class ProposalContent:
    """What the author wrote; dates, type and privacy are fixed by ``SnapshotService``."""

    title: str
    body: str
    choices: tuple[str, ...]
    voting_type: str
    discussion: str = ""
    labels: tuple[str, ...] = ()
    privacy: str = ""


@dataclass(frozen=True)
class ProposalRules:
    """What the space allows a new proposal, and why the account may not propose (if so)."""

    space: Space | None  # None: the hub has no such space, or it could not be read
    allowed_types: tuple[str, ...]
    delay_s: int  # start = timestamp + delay_s
    period_s: int  # 0: the author chooses the duration
    privacy: str
    refusal: str | None  # None: this account may propose

    def describe(self) -> str:
        """One line for a dialog: what the space fixes."""
        parts = []
        if self.delay_s:
            parts.append(f"voting starts {_duration(self.delay_s)} after signing")
        if self.period_s:
            parts.append(f"lasts {_duration(self.period_s)}")
        if len(self.allowed_types) == 1:
            parts.append(f"{self.allowed_types[0]} voting")
        if self.privacy:
            parts.append(f"{self.privacy} privacy")
        return ("This space sets: " + ", ".join(parts) + ".") if parts else ""


def _duration(seconds: int) -> str:
    if seconds % 86400 == 0:
        days = seconds // 86400
        return f"{days} day{'s' if days != 1 else ''}"
    if seconds % 3600 == 0:
        return f"{seconds // 3600} h"
    return f"{seconds // 60} min" if seconds % 60 == 0 else f"{seconds} s"


class SnapshotService:
    """Snapshot for one data folder: space rules, signing and delivery via the outbox."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        *,
        clock: Callable[[], float] = time.time,
        sequencer_factory: Callable[[str], SequencerClient] | None = None,
        hub_factory: Callable[[str], HubClient] | None = None,
        block_source: Callable[[Organisation], Awaitable[int]] | None = None,
    ) -> None:
        self._conn, self._clock = conn, clock
        self._sequencer_factory = sequencer_factory or _sequencer_client
        self._hub_factory = hub_factory or self._default_hub
        self._block_source = block_source or latest_block
        self.outbox = Outbox(conn, clock=clock)

    def _default_hub(self, url: str) -> HubClient:
        return store_hub(url, self._conn, self._clock)  # what ``Factories.hub`` makes

    # --- reads ---

    async def space(self, org: Organisation) -> Space | None:
        """The space's settings from the hub, or the copy saved at the last read when offline."""
        async with self._hub_factory(hub_or_default(org.snapshot_hub)) as hub:
            return await hub.space(org.snapshot_space)

    async def proposal(self, org: Organisation, proposal_id: str) -> Proposal | None:
        async with self._hub_factory(hub_or_default(org.snapshot_hub)) as hub:
            return await hub.proposal(proposal_id)

    async def proposal_rules(self, org: Organisation, author: str | None) -> ProposalRules:
        """What a new proposal in ``org``'s space must look like, and whether ``author`` may."""
        hub_url = hub_or_default(org.snapshot_hub)
        async with self._hub_factory(hub_url) as hub:
            space = await hub.space(org.snapshot_space)
            refusal = None
            if space is None:
                refusal = f"The hub {hub_url} has no space “{org.snapshot_space}”."
            elif author:
                score = None
                if space_rules.needs_score(space, author):
                    score = (await hub.vp(author, space.id)).vp
                refusal = space_rules.proposal_refusal(space, author, score)
        return ProposalRules(
            space=space,
            allowed_types=space_rules.allowed_types(space),
            delay_s=space_rules.voting_delay(space),
            period_s=space_rules.fixed_period(space),
            privacy=space_rules.forced_privacy(space),
            refusal=refusal,
        )

    async def vote_refusal(self, org: Organisation, proposal: Proposal, voter: str) -> str | None:
        """Why ``voter`` cannot vote on ``proposal`` (None: nothing known against it)."""
        try:
            async with self._hub_factory(hub_or_default(org.snapshot_hub)) as hub:
                power = await hub.vp(voter, proposal.space or org.snapshot_space, proposal.id)
        except NetworkError:
            return None  # offline: sign anyway; the outbox sends it when the hub is back
        refusal = space_rules.vote_refusal(proposal.validation, power.vp)
        if refusal is None and power.vp <= 0 and power.vp_state == "final":
            return (
                "This account had no voting power at the proposal's snapshot block, so "
                "Snapshot would refuse its vote."
            )
        return refusal

    # --- writes ---

    async def send(self, org: Organisation, envelope: SignedEnvelope) -> Receipt:
        """Store ``envelope`` in the outbox, then deliver it to ``org``'s sequencer."""
        async with self._sequencer_factory(sequencer_url(org)) as client:
            return await deliver(self.outbox, client, envelope, hub_or_default(org.snapshot_hub))

    async def resend_pending(self, *, only_due: bool = False) -> list[OutboxEntry]:
        """Send what is still pending, each to the sequencer it was signed for."""
        return await resend_pending(self.outbox, self._sequencer_factory, only_due=only_due)

    async def sign(
        self,
        org: Organisation,
        signer: Signer,
        build: Callable[[int], TypedMessage],
        *,
        check_clock: bool = True,
    ) -> SignedEnvelope:
        """Build the message with the signing time as its timestamp, and sign it."""
        from app.snapshot.envelope import sign_message
        from app.snapshot.sequencer import check_clock_skew

        if check_clock:
            async with self._sequencer_factory(sequencer_url(org)) as client:
                check_clock_skew(await client.clock_skew())
        message = build(int(self._clock()))  # the timestamp is taken as the message is signed
        return await sign_message(signer, message)

    async def sign_and_send(
        self, org: Organisation, signer: Signer, build: Callable[[int], TypedMessage]
    ) -> Receipt:
        return await self.send(org, await self.sign(org, signer, build))

    async def sign_proposal(
        self,
        org: Organisation,
        signer: Signer,
        content: ProposalContent,
        *,
        duration_s: int,
        snapshot: int | None = None,
        rules: ProposalRules | None = None,
        check_clock: bool = True,
    ) -> SignedEnvelope:
        """Check the space's rules for ``signer``; refuse before signing, else sign."""
        from app.snapshot.messages import ProposalDraft, build_proposal

        rules = rules or await self.proposal_rules(org, signer.address)
        if rules.refusal:
            raise InputError(rules.refusal)
        problem = space_rules.check_type(rules.space, content.voting_type)
        if problem:
            raise InputError(problem)
        block = snapshot if snapshot is not None else await self._block_source(org)

        def build(timestamp: int) -> TypedMessage:
            times = space_rules.plan_times(rules.space, timestamp, duration_s)
            privacy = space_rules.forced_privacy(rules.space, content.privacy)
            draft = ProposalDraft(
                org.snapshot_space, content.voting_type, content.title, content.body,
                content.choices, times.start, times.end, block, discussion=content.discussion,
                labels=content.labels, privacy=privacy,
            )  # fmt: skip
            return build_proposal(signer.address, draft, timestamp=timestamp)

        return await self.sign(org, signer, build, check_clock=check_clock)

    async def publish_proposal(
        self,
        org: Organisation,
        signer: Signer,
        content: ProposalContent,
        *,
        duration_s: int,
        snapshot: int | None = None,
    ) -> Receipt:
        """``sign_proposal``, then deliver it to the org's sequencer."""
        envelope = await self.sign_proposal(
            org, signer, content, duration_s=duration_s, snapshot=snapshot
        )
        return await self.send(org, envelope)

    async def sign_vote(
        self,
        org: Organisation,
        proposal: Proposal,
        signer: Signer,
        choice: Any,
        *,
        reason: str = "",
        check: bool = True,
        check_clock: bool = True,
    ) -> SignedEnvelope:
        """A signed vote on ``proposal``; refused first if it could not count."""
        from app.snapshot.messages import VoteRequest, build_vote

        if check:
            refusal = await self.vote_refusal(org, proposal, signer.address)
            if refusal:
                raise InputError(refusal)
        vote = VoteRequest(
            proposal.space or org.snapshot_space, proposal.id, proposal.type, choice,
            len(proposal.choices), reason,
        )  # fmt: skip
        return await self.sign(
            org,
            signer,
            lambda ts: build_vote(signer.address, vote, timestamp=ts),
            check_clock=check_clock,
        )

    async def vote(
        self,
        org: Organisation,
        proposal: Proposal,
        signer: Signer,
        choice: Any,
        *,
        reason: str = "",
        check: bool = True,
    ) -> Receipt:
        """Sign a vote on ``proposal`` and deliver it to the org's sequencer."""
        envelope = await self.sign_vote(org, proposal, signer, choice, reason=reason, check=check)
        return await self.send(org, envelope)

    async def sign_update(
        self,
        org: Organisation,
        proposal: Proposal,
        signer: Signer,
        content: ProposalContent,
        *,
        check_clock: bool = True,
    ) -> SignedEnvelope:
        """An edit of ``proposal`` (its author only, before voting starts)."""
        from app.snapshot.messages import ProposalDraft, build_update_proposal

        problem = space_rules.may_edit(proposal.author, signer.address, proposal.start,
                                       int(self._clock()))  # fmt: skip
        if problem:
            raise InputError(problem)
        space = await self.space(org)
        problem = space_rules.check_type(space, content.voting_type)
        if problem:
            raise InputError(problem)
        draft = ProposalDraft(
            proposal.space or org.snapshot_space, content.voting_type, content.title,
            content.body, content.choices, proposal.start, proposal.end, proposal.snapshot,
            discussion=content.discussion, labels=content.labels,
            privacy=space_rules.forced_privacy(space, content.privacy or proposal.privacy),
        )  # fmt: skip
        return await self.sign(
            org,
            signer,
            lambda ts: build_update_proposal(signer.address, proposal.id, draft, timestamp=ts),
            check_clock=check_clock,
        )

    async def update_proposal(
        self, org: Organisation, proposal: Proposal, signer: Signer, content: ProposalContent
    ) -> Receipt:
        return await self.send(org, await self.sign_update(org, proposal, signer, content))

    async def sign_cancel(
        self, org: Organisation, proposal: Proposal, signer: Signer, *, check_clock: bool = True
    ) -> SignedEnvelope:
        """A cancellation of ``proposal`` (its author, or the space's admins and moderators)."""
        from app.snapshot.messages import build_cancel_proposal

        space = await self.space(org)
        if not space_rules.may_cancel(space, proposal.author, signer.address):
            raise InputError(
                "Only the proposal's author, or the space's admins and moderators, may cancel it."
            )
        space_id = proposal.space or org.snapshot_space
        return await self.sign(
            org,
            signer,
            lambda ts: build_cancel_proposal(signer.address, space_id, proposal.id, timestamp=ts),
            check_clock=check_clock,
        )

    async def cancel_proposal(
        self, org: Organisation, proposal: Proposal, signer: Signer
    ) -> Receipt:
        return await self.send(org, await self.sign_cancel(org, proposal, signer))


def _sequencer_client(url: str) -> SequencerClient:
    from app.snapshot.sequencer import SequencerClient

    return SequencerClient(url)


async def latest_block(org: Organisation) -> int:
    """The block a new proposal reads voting power at: the latest block minus four."""
    from app.chain.rpc import RpcClient

    async with RpcClient(org.network.rpc_urls, chain_id=org.network.chain_id) as rpc:
        latest = int(str(await rpc.request("eth_blockNumber", [])), 16)
    return max(latest - SNAPSHOT_LAG_BLOCKS, 0)
