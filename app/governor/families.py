"""One adapter per governor family (OZ v5, OZ v4, Bravo, Alpha), chosen once at detection.

An adapter knows what differs between the families and nothing else: the proposal id rule, the
propose/queue/execute/cancel calldata, the ballot type and its support values, whether a vote
may carry a reason (and abstain), the by-signature call, the VoteCast events, the status calls
and how the quorum is read. Callers ask ``info.adapter`` what it allows; they never branch on the
family themselves.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar

from app.chain.abi_codec import Event, Function, checksum_address
from app.errors import InputError
from app.governor import contract_interface as abi
from app.governor.model import GovernorFamily, ProposalCreated, Support, Tally
from app.governor.status_calls import StatusPlan, plan_compound, plan_oz

if TYPE_CHECKING:
    from app.governor.model import GovernorInfo
    from app.governor.writer import ProposedCall

ALL_SUPPORT = (Support.AGAINST, Support.FOR, Support.ABSTAIN)
Fields = list[dict[str, str]]


class GovernorAdapter(ABC):
    """The rules and calldata of one governor family (stateless; one shared instance each)."""

    family: ClassVar[GovernorFamily]
    artifact: ClassVar[str]  # our devnet contract with this family's ABI (signing previews)
    support_options: ClassVar[tuple[Support, ...]] = ALL_SUPPORT
    accepts_reason: ClassVar[bool] = True
    # OZ v5 ballots name the voter (and a nonce) and the contract checks it; the other families
    # count a signed ballot for whoever recovers from the signature.
    ballot_names_voter: ClassVar[bool] = False
    # OZ derives a proposal's id from its targets, values, calldatas and description hash, and
    # addresses queue/execute/cancel by that data; Compound governors use sequential ids.
    ids_from_hash: ClassVar[bool] = False
    ballot_support_type: ClassVar[str] = "uint8"
    vote_events: ClassVar[tuple[Event, ...]] = (abi.VOTE_CAST, abi.VOTE_CAST_WITH_PARAMS)

    @property
    def counts_abstain(self) -> bool:
        return Support.ABSTAIN in self.support_options

    def check_support(self, support: Support, reason: str = "") -> None:
        if support not in self.support_options:
            options = ", ".join(s.name.lower() for s in self.support_options)
            raise InputError(
                f"This governor does not accept {support.name.lower()}; use {options}."
            )
        if reason and not self.accepts_reason:
            raise InputError("This governor has no vote reason on-chain; vote without one.")

    def support_value(self, support: Support) -> int | bool:
        return int(support)

    def ballot(
        self, proposal_id: int, support: Support, voter: str, nonce: int
    ) -> tuple[Fields, dict[str, Any]]:
        """The fields and message of this family's EIP-712 ``Ballot``."""
        self.check_support(support)
        fields = [
            {"name": "proposalId", "type": "uint256"},
            {"name": "support", "type": self.ballot_support_type},
        ]
        return fields, {"proposalId": proposal_id, "support": self.support_value(support)}

    def cast_vote_data(self, proposal_id: int, support: Support, reason: str) -> bytes:
        self.check_support(support, reason)
        if reason:
            return abi.CAST_VOTE_WITH_REASON.encode(proposal_id, int(support), reason)
        return abi.CAST_VOTE.encode(proposal_id, int(support))

    def cast_vote_by_sig_data(
        self, proposal_id: int, support: Support, voter: str, signature: str
    ) -> bytes:
        return abi.CAST_VOTE_BY_SIG_V4.encode(
            proposal_id, int(support), *split_signature(signature)
        )

    @abstractmethod
    def propose_data(
        self, calls: Sequence[ProposedCall], description: str, proposer: str | None
    ) -> bytes:
        """Calldata of ``propose`` (OZ: full calldata; Compound: signatures and arguments)."""

    def queue_data(self, proposal: ProposalCreated) -> bytes:
        return abi.ID_QUEUE.encode(proposal.proposal_id)

    def execute_data(self, proposal: ProposalCreated) -> bytes:
        return abi.ID_EXECUTE.encode(proposal.proposal_id)

    def cancel_data(self, proposal: ProposalCreated) -> bytes:
        return abi.ID_CANCEL.encode(proposal.proposal_id)

    @abstractmethod
    def status_plan(
        self, info: GovernorInfo, proposal: ProposalCreated, account: str | None
    ) -> StatusPlan:
        """The multicall calls that read one proposal's status, and their parser."""

    def quorum_probe(self, address: str, clock: Any) -> list[tuple[str, Function, tuple[Any, ...]]]:
        """Extra detection calls for the quorum (OZ reads ``quorum(clock - 1)``)."""
        return []

    def quorum(self, probe: Any, details: Any) -> int:
        return int(probe["quorum_votes"] or 0)

    def counting_mode(self, probe: Any) -> str:
        return str(probe["counting_mode"] or "")


class _OzAdapter(GovernorAdapter):
    ids_from_hash = True

    def propose_data(
        self, calls: Sequence[ProposedCall], description: str, proposer: str | None
    ) -> bytes:
        from app.governor.writer import with_proposer_suffix

        if proposer:
            description = with_proposer_suffix(description, proposer)
        targets = [checksum_address(c.target, "action target") for c in calls]
        values = [c.value for c in calls]
        return abi.OZ_PROPOSE.encode(targets, values, [c.calldata() for c in calls], description)

    def queue_data(self, proposal: ProposalCreated) -> bytes:
        return abi.OZ_QUEUE.encode(*oz_proposal_args(proposal))

    def execute_data(self, proposal: ProposalCreated) -> bytes:
        return abi.OZ_EXECUTE.encode(*oz_proposal_args(proposal))

    def cancel_data(self, proposal: ProposalCreated) -> bytes:
        return abi.OZ_CANCEL.encode(*oz_proposal_args(proposal))

    def status_plan(
        self, info: GovernorInfo, proposal: ProposalCreated, account: str | None
    ) -> StatusPlan:
        return plan_oz(info, proposal, account)

    def quorum_probe(self, address: str, clock: Any) -> list[tuple[str, Function, tuple[Any, ...]]]:
        return [("quorum", abi.QUORUM_AT, (int(clock) - 1,))] if clock else []

    def quorum(self, probe: Any, details: Any) -> int:
        return int(details["quorum"] or 0)


class OzV5Adapter(_OzAdapter):
    family = GovernorFamily.OZ_V5
    artifact = "OzGovernor"
    ballot_names_voter = True

    def ballot(
        self, proposal_id: int, support: Support, voter: str, nonce: int
    ) -> tuple[Fields, dict[str, Any]]:
        fields, message = super().ballot(proposal_id, support, voter, nonce)
        fields += [{"name": "voter", "type": "address"}, {"name": "nonce", "type": "uint256"}]
        message |= {"voter": checksum_address(voter, "voter"), "nonce": nonce}
        return fields, message

    def cast_vote_by_sig_data(
        self, proposal_id: int, support: Support, voter: str, signature: str
    ) -> bytes:
        sig = bytes.fromhex(signature.removeprefix("0x"))
        return abi.CAST_VOTE_BY_SIG_V5.encode(
            proposal_id, int(support), checksum_address(voter, "voter"), sig
        )


class OzV4Adapter(_OzAdapter):
    family = GovernorFamily.OZ_V4
    artifact = "OzGovernorV4"


class _CompoundAdapter(GovernorAdapter):
    proposals_getter: ClassVar[Function]
    receipt_getter: ClassVar[Function]
    # Not a contract answer: Compound governors have no COUNTING_MODE; we describe their rules.
    compound_counting: ClassVar[str]

    def propose_data(
        self, calls: Sequence[ProposedCall], description: str, proposer: str | None
    ) -> bytes:
        targets = [checksum_address(c.target, "action target") for c in calls]
        values = [c.value for c in calls]
        signatures = [c.canonical_signature() for c in calls]
        datas = [c.encoded_args() for c in calls]
        return abi.COMPOUND_PROPOSE.encode(targets, values, signatures, datas, description)

    def status_plan(
        self, info: GovernorInfo, proposal: ProposalCreated, account: str | None
    ) -> StatusPlan:
        return plan_compound(
            info, proposal, account, self.proposals_getter, self.receipt_getter, self.tally
        )

    @abstractmethod
    def tally(self, fields: Sequence[Any]) -> Tally:
        """Votes from the ``proposals(id)`` tuple (id, proposer, eta, start, end, for, ...)."""

    def counting_mode(self, probe: Any) -> str:
        return self.compound_counting


class BravoAdapter(_CompoundAdapter):
    family = GovernorFamily.BRAVO
    artifact = "GovernorBravoDelegate"
    proposals_getter = abi.BRAVO_PROPOSALS
    receipt_getter = abi.BRAVO_RECEIPT
    compound_counting = "support=bravo&quorum=for"

    def tally(self, fields: Sequence[Any]) -> Tally:
        _, _, _, _, _, for_, against, abstain, _, _ = fields
        return Tally(int(against), int(for_), int(abstain))


class AlphaAdapter(_CompoundAdapter):
    """For/Against only (``bool support``), no reason, no abstain (Compound's and Braintrust's)."""

    family = GovernorFamily.ALPHA
    artifact = "GovernorAlpha"
    support_options = (Support.AGAINST, Support.FOR)
    accepts_reason = False
    ballot_support_type = "bool"
    vote_events = (abi.VOTE_CAST_ALPHA,)
    proposals_getter = abi.ALPHA_PROPOSALS
    receipt_getter = abi.ALPHA_RECEIPT
    compound_counting = "support=alpha&quorum=for"

    def support_value(self, support: Support) -> int | bool:
        return support is Support.FOR

    def cast_vote_data(self, proposal_id: int, support: Support, reason: str) -> bytes:
        self.check_support(support, reason)
        return abi.CAST_VOTE_ALPHA.encode(proposal_id, support is Support.FOR)

    def cast_vote_by_sig_data(
        self, proposal_id: int, support: Support, voter: str, signature: str
    ) -> bytes:
        return abi.CAST_VOTE_BY_SIG_ALPHA.encode(
            proposal_id, support is Support.FOR, *split_signature(signature)
        )

    def tally(self, fields: Sequence[Any]) -> Tally:
        _, _, _, _, _, for_, against, _, _ = fields
        return Tally(int(against), int(for_), 0)


ADAPTERS: Mapping[GovernorFamily, GovernorAdapter] = MappingProxyType(
    {a.family: a for a in (OzV5Adapter(), OzV4Adapter(), BravoAdapter(), AlphaAdapter())}
)


def adapter_for(family: GovernorFamily) -> GovernorAdapter:
    return ADAPTERS[family]


def oz_proposal_args(proposal: ProposalCreated) -> tuple[Any, ...]:
    from eth_utils.crypto import keccak

    return (
        list(proposal.targets),
        list(proposal.values),
        list(proposal.calldatas),
        keccak(text=proposal.description),
    )


def split_signature(signature: str) -> tuple[int, bytes, bytes]:
    try:
        raw = bytes.fromhex(signature.removeprefix("0x"))
    except ValueError:
        raise InputError("A signature must be hexadecimal.") from None
    if len(raw) != 65:
        raise InputError("A signature must be 65 bytes.")
    v = raw[64] if raw[64] >= 27 else raw[64] + 27
    return v, raw[:32], raw[32:64]
