"""Records a simulation returns: per-action outcomes, balance and value changes, raw slots, risks.

All frozen; ``text`` properties are the words the CLI and the detail view show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from app.pipeline.detail_checks import ActionWarning


class CallStatus(Enum):
    SUCCEEDED = "succeeded"
    REVERTED = "reverted"
    NOT_RUN = "not run"  # an earlier action reverted, so the execution stops there


@dataclass(frozen=True)
class ProposalCall:
    """One action as the executor sends it: Alpha/Bravo give a signature and its arguments,
    OpenZeppelin (and the actions builder) full calldata with an empty signature."""

    target: str
    value: int
    signature: str
    data: bytes

    def calldata(self) -> bytes:
        if not self.signature:
            return self.data
        from app.chain.abi_codec import parse_signature, selector_of

        name, types = parse_signature(self.signature)
        return selector_of(f"{name}({','.join(types)})") + self.data


@dataclass(frozen=True)
class EventEffect:
    address: str
    name: str  # the event's name, "" when unknown
    text: str


@dataclass(frozen=True)
class CallEffect:
    index: int  # 0-based
    target: str
    summary: str  # the decoded call
    status: CallStatus
    reason: str = ""  # why it reverted
    gas_used: int = 0
    events: tuple[EventEffect, ...] = ()
    eth_sent: tuple[str, ...] = ()  # ETH moved during the call, in words
    attached_wei: int = 0  # ETH the executor lacked and that execute() must bring

    @property
    def text(self) -> str:
        head = f"Action {self.index + 1}: {self.summary}"
        if self.status is CallStatus.SUCCEEDED:
            return f"{head} — succeeds ({self.gas_used:,} gas)"
        if self.status is CallStatus.REVERTED:
            return f"{head} — REVERTS: {self.reason}"
        return f"{head} — not run (the execution stops at the revert above)"


@dataclass(frozen=True)
class BalanceChange:
    holder: str
    holder_label: str
    asset: str  # "ETH" or the token's address
    symbol: str
    decimals: int
    before: int
    after: int

    @property
    def delta(self) -> int:
        return self.after - self.before

    @property
    def text(self) -> str:
        from app.simulate.units import format_amount

        def amount(raw: int) -> str:
            return f"{format_amount(raw, self.decimals)} {self.symbol}"

        sign = "+" if self.delta > 0 else "−"
        return (
            f"{self.holder_label}: {amount(self.before)} → {amount(self.after)} "
            f"({sign}{amount(abs(self.delta))})"
        )


@dataclass(frozen=True)
class ValueChange:
    """A value a known contract's view function returns, before and after."""

    address: str
    contract: str  # e.g. "GovernanceDecisions"
    name: str  # in words, e.g. "marketplace fee"
    function: str  # e.g. "marketplaceFee()"
    before: str
    after: str
    added: str = ""  # for a list that only grew: "added “X”"

    @property
    def text(self) -> str:
        if self.added:
            return f"{self.contract}: {self.name} — {self.added}"
        return f"{self.contract}: {self.name} {self.before} → {self.after}"


@dataclass(frozen=True)
class SlotChange:
    """A storage slot written on a contract govdesk cannot decode, raw."""

    address: str
    label: str
    slot: int
    before: int
    after: int

    @property
    def text(self) -> str:
        return f"{self.label} slot {self.slot:#x}: {self.before:#x} → {self.after:#x}"


@dataclass(frozen=True)
class Simulation:
    chain_id: int
    block: int  # state of this block; actions run as in the block after it
    executor: str  # the timelock (or the governor when it has none)
    calls: tuple[CallEffect, ...]
    balances: tuple[BalanceChange, ...] = ()
    values: tuple[ValueChange, ...] = ()
    slots: tuple[SlotChange, ...] = ()
    risks: tuple[ActionWarning, ...] = ()
    notes: tuple[str, ...] = ()
    elapsed_s: float = 0.0
    engine: str = field(default="pyrevm")
    title: str = ""  # the proposal's title, when a proposal was simulated

    @property
    def reverted_at(self) -> CallEffect | None:
        return next((c for c in self.calls if c.status is CallStatus.REVERTED), None)

    @property
    def headline(self) -> str:
        failed = self.reverted_at
        if failed is not None:
            return f"This would revert at action {failed.index + 1}: {failed.reason}"
        count = len(self.calls)
        what = "The action succeeds" if count == 1 else f"All {count} actions succeed"
        return f"{what} at block {self.block:,}"
