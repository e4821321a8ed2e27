"""On-chain use cases: vote, delegate, propose, queue, execute, cancel, and what they read first.

Each takes the organisation, a ``SignerSource`` for the current account and plain inputs, opens
the governor through the composition root's factories, and refuses a transaction the account
cannot pay for before it is previewed or signed. The CLI and the desktop call these the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.orgs import Organisation
from app.ports import Factories
from app.usecases.signing import FundedSigner, PreviewHints, SignerSource, governor_hints

if TYPE_CHECKING:
    from app.chain.transactions import TxReceipt
    from app.governor.client import GovernorClient
    from app.governor.model import GovernorInfo, Proposal, ProposalCreated, Support
    from app.governor.writer import ProposedCall
    from app.keys.signer_protocol import Signer
    from app.tally.governor_votes import GovernorComparison


@dataclass(frozen=True)
class Delegation:
    symbol: str
    delegate: str  # checksum address; the zero address when not delegated


@dataclass(frozen=True)
class GovernorProposals:
    """A governor as detected, with the proposals read from it."""

    info: GovernorInfo
    proposals: list[Proposal]


@dataclass(frozen=True)
class TimelockClock:
    chain_now: int  # the latest block's timestamp
    needs_queue: bool  # whether the governor queues in a timelock


class Onchain:
    """The on-chain actions of one app (or CLI run), over its factories."""

    def __init__(self, factories: Factories) -> None:
        self.factories = factories

    def _signer(
        self, governor: GovernorClient, sign: SignerSource, org: Organisation,
        hints: PreviewHints,
    ) -> Signer:  # fmt: skip
        return FundedSigner(sign(org, hints), governor.rpc)

    async def vote(
        self, org: Organisation, sign: SignerSource, proposal_id: int, support: Support,
        reason: str = "", *, title: str = "",
    ) -> TxReceipt:  # fmt: skip
        async with self.factories.governor(org) as governor:
            hints = governor_hints(governor, {"proposal_title": title} if title else {})
            signer = self._signer(governor, sign, org, hints)
            return await governor.cast_vote(signer, proposal_id, support, reason)

    async def vote_by_signature(
        self, org: Organisation, sign: SignerSource, relay: SignerSource, proposal_id: int,
        support: Support,
    ) -> TxReceipt:  # fmt: skip
        """The account signs its ballot (EIP-712, no gas); the ``relay`` account sends it."""
        async with self.factories.governor(org) as governor:
            hints = governor_hints(governor)
            ballot = await governor.sign_ballot(sign(org, hints), proposal_id, support)
            return await governor.relay_ballot(self._signer(governor, relay, org, hints), ballot)

    async def delegate(self, org: Organisation, sign: SignerSource, to: str | None) -> TxReceipt:
        """Delegate the account's votes to ``to`` (None: to itself)."""
        async with self.factories.governor(org) as governor:
            signer = self._signer(governor, sign, org, governor_hints(governor))
            return await governor.delegate(signer, to or signer.address)

    async def delegate_by_signature(
        self, org: Organisation, sign: SignerSource, relay: SignerSource, to: str
    ) -> TxReceipt:
        """The account signs its delegation to ``to`` (no gas); the ``relay`` account sends it."""
        async with self.factories.governor(org) as governor:
            hints = governor_hints(governor)
            signed = await governor.sign_delegation(sign(org, hints), to)
            return await governor.relay_delegation(
                self._signer(governor, relay, org, hints), signed
            )

    async def propose(
        self, org: Organisation, sign: SignerSource, calls: Sequence[ProposedCall],
        description: str, hints: PreviewHints | None = None, *, proposer_suffix: bool = True,
    ) -> ProposalCreated:  # fmt: skip
        """Propose ``calls``; OZ descriptions end with ``#proposer=`` unless told otherwise."""
        async with self.factories.governor(org) as governor:
            base = governor_hints(governor)
            merged = PreviewHints({**base.abis, **(hints.abis if hints else {})}, base.context)
            signer = self._signer(governor, sign, org, merged)
            return await governor.propose(signer, calls, description,
                                          proposer_suffix=proposer_suffix)  # fmt: skip

    async def step(self, org: Organisation, sign: SignerSource, verb: str, pid: int) -> str:
        """``queue``, ``execute`` or ``cancel`` proposal ``pid``; the transaction hash."""
        return (await self.step_receipt(org, sign, verb, pid)).tx_hash

    async def step_receipt(
        self, org: Organisation, sign: SignerSource, verb: str, pid: int
    ) -> TxReceipt:
        """``queue``, ``execute`` or ``cancel`` proposal ``pid``; the mined receipt."""
        async with self.factories.governor(org) as governor:
            signer = self._signer(governor, sign, org, governor_hints(governor))
            send = {"queue": governor.queue, "execute": governor.execute,
                    "cancel": governor.cancel}[verb]  # fmt: skip
            return await send(signer, pid)

    async def queue(self, org: Organisation, sign: SignerSource, pid: int) -> str:
        return await self.step(org, sign, "queue", pid)

    async def execute(self, org: Organisation, sign: SignerSource, pid: int) -> str:
        return await self.step(org, sign, "execute", pid)

    async def cancel(self, org: Organisation, sign: SignerSource, pid: int) -> str:
        return await self.step(org, sign, "cancel", pid)

    # --- reads ---

    async def proposals(self, org: Organisation, account: str | None = None) -> GovernorProposals:
        """Every proposal of ``org``'s governor (with ``account``'s vote and power, if given)."""
        async with self.factories.governor(org) as governor:
            return GovernorProposals(governor.info, await governor.proposals(account=account))

    async def proposal(
        self, org: Organisation, proposal_id: int, account: str | None = None
    ) -> GovernorProposals:
        """One proposal of ``org``'s governor, with the governor as detected."""
        async with self.factories.governor(org) as governor:
            found = await governor.proposal(proposal_id, account=account)
            return GovernorProposals(governor.info, [found])

    async def delegation(self, org: Organisation, account: str) -> Delegation:
        async with self.factories.governor(org) as governor:
            return Delegation(governor.info.token.symbol, await governor.current_delegate(account))

    async def timelock_clock(self, org: Organisation) -> TimelockClock:
        async with self.factories.governor(org) as governor:
            now = (await governor.clock()).timestamp
            return TimelockClock(now, governor.info.timelock is not None)

    async def chain_now(self, org: Organisation) -> tuple[int, int]:
        """``(latest block number, its timestamp)`` of ``org``'s chain."""
        async with self.factories.chain(org) as rpc:
            block = await rpc.request("eth_getBlockByNumber", ["latest", False])
            return int(str(block["number"]), 16), int(str(block["timestamp"]), 16)

    async def verify(self, org: Organisation, proposal_id: int) -> GovernorComparison:
        async with self.factories.governor(org) as governor:
            return await governor.verify_votes(proposal_id)

    async def family_abi(self, org: Organisation) -> PreviewHints:
        """Hints for the preview of a proposal's actions (the governor and its token)."""
        async with self.factories.governor(org) as governor:
            return governor_hints(governor)
