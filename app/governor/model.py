"""Records that cross the governor package boundary: frozen dataclasses and enums."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, IntEnum
from typing import TYPE_CHECKING

from app.domain.support import Support as Support  # re-exported for callers
from app.domain.titles import title_from_description
from app.units import format_amount, format_eth

if TYPE_CHECKING:
    from app.governor.families import GovernorAdapter


class GovernorFamily(Enum):
    OZ_V5 = "oz-v5"
    OZ_V4 = "oz-v4"
    BRAVO = "bravo"
    ALPHA = "alpha"

    @property
    def adapter(self) -> GovernorAdapter:
        """The rules and calldata of this family (``app.governor.families``)."""
        from app.governor.families import adapter_for  # the adapters import this module

        return adapter_for(self)


class ProposalState(IntEnum):
    """Same order in OZ, Bravo and Alpha (returned as uint8)."""

    PENDING = 0
    ACTIVE = 1
    CANCELED = 2
    DEFEATED = 3
    SUCCEEDED = 4
    QUEUED = 5
    EXPIRED = 6
    EXECUTED = 7

    @property
    def label(self) -> str:
        return self.name.capitalize()

    @property
    def is_final(self) -> bool:
        return self in FINAL_STATES


FINAL_STATES = frozenset(
    {ProposalState.CANCELED, ProposalState.DEFEATED, ProposalState.EXPIRED, ProposalState.EXECUTED}
)


class ClockMode(Enum):
    BLOCKNUMBER = "blocknumber"
    TIMESTAMP = "timestamp"


class TimelockKind(Enum):
    CONTROLLER = "TimelockController"
    COMPOUND = "CompoundTimelock"
    NONE = "none"


@dataclass(frozen=True)
class Eip712Domain:
    name: str
    version: str | None  # None: Compound-style domain without a version field
    chain_id: int
    verifying_contract: str

    def as_typed_data(self) -> tuple[list[dict[str, str]], dict[str, object]]:
        fields = [{"name": "name", "type": "string"}]
        values: dict[str, object] = {"name": self.name}
        if self.version is not None:
            fields.append({"name": "version", "type": "string"})
            values["version"] = self.version
        fields += [
            {"name": "chainId", "type": "uint256"},
            {"name": "verifyingContract", "type": "address"},
        ]
        values |= {"chainId": self.chain_id, "verifyingContract": self.verifying_contract}
        return fields, values


@dataclass(frozen=True)
class TokenInfo:
    address: str
    name: str
    symbol: str
    decimals: int
    comp_style: bool  # getPriorVotes/getCurrentVotes (Comp) instead of getPastVotes/getVotes
    has_delegate_by_sig: bool
    domain: Eip712Domain | None

    def amount(self, raw: int) -> str:
        """``raw`` base units in whole tokens with the symbol: ``"100,000 BTRST"``."""
        return format_amount(raw, self.decimals, self.symbol)


@dataclass(frozen=True)
class GovernorInfo:
    """What a governor is and how it is set up, all read from the chain."""

    address: str
    chain_id: int
    family: GovernorFamily
    name: str
    clock_mode: ClockMode
    counting_mode: str
    voting_delay: int
    voting_period: int
    proposal_threshold: int
    quorum: int  # votes needed now (OZ: at the latest past timepoint)
    timelock: str | None
    timelock_kind: TimelockKind
    timelock_delay: int
    grace_period: int | None
    domain: Eip712Domain
    token: TokenInfo

    @property
    def adapter(self) -> GovernorAdapter:
        """What this governor's family allows and how its calls are encoded."""
        return self.family.adapter

    @property
    def support_options(self) -> tuple[Support, ...]:
        return self.adapter.support_options


@dataclass(frozen=True)
class Action:
    """One proposal action, decoded when its function is known."""

    target: str
    value: int
    signature: str  # as given in the event (Alpha/Bravo) or found by selector; "" if unknown
    calldata: bytes  # exactly as in the event
    function: str | None  # e.g. "setMarketplaceFee(uint8 newFee)"
    arguments: tuple[tuple[str, str], ...]  # (name, rendered value)

    @property
    def summary(self) -> str:
        sends = f", sending {format_eth(self.value)}" if self.value else ""
        if self.function is None:
            if not self.calldata:
                return f"{self.target}: plain transfer of {format_eth(self.value)}"
            return f"{self.target}: unknown call 0x{self.calldata.hex()}{sends}"
        args = ", ".join(f"{n}={v}" if n else v for n, v in self.arguments)
        return f"{self.target}.{self.function.split('(')[0]}({args}){sends}"


@dataclass(frozen=True)
class ProposalCreated:
    """A proposal as emitted in ProposalCreated (the raw description is kept byte-exact)."""

    proposal_id: int
    proposer: str
    targets: tuple[str, ...]
    values: tuple[int, ...]
    signatures: tuple[str, ...]
    calldatas: tuple[bytes, ...]
    vote_start: int
    vote_end: int
    description: str
    block_number: int
    transaction_hash: str

    @property
    def title(self) -> str:
        return title_from_description(self.description, f"Proposal {self.proposal_id}")


@dataclass(frozen=True)
class Tally:
    against: int
    for_: int
    abstain: int


@dataclass(frozen=True)
class VoteReceipt:
    has_voted: bool
    support: Support | None  # None when the contract does not say (OZ hasVoted)
    weight: int | None


@dataclass(frozen=True)
class ProposalStatus:
    proposal_id: int
    state: ProposalState
    votes: Tally
    snapshot: int
    deadline: int
    eta: int  # unix seconds; 0 when not queued
    quorum: int
    deadline_estimate: int  # unix seconds (estimated under a block-number clock)
    receipt: VoteReceipt | None
    power: int | None  # the account's voting power at the snapshot


@dataclass(frozen=True)
class Proposal:
    created: ProposalCreated
    status: ProposalStatus
    actions: tuple[Action, ...]
