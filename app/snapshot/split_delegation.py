"""Split delegation (the v2 registry): power shared among several delegates by ratio, until expiry.

A delegator sets, per context (a Snapshot space), a list of ``(delegate, ratio)`` sorted by
delegate, and an expiry time. Each delegate receives ``ratio / sum(ratios)`` of the delegator's
power while the delegation has not expired and the delegate has not opted out of the context.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from eth_utils.address import to_checksum_address

from app.chain.abi_codec import fn
from app.chain.rpc import RpcClient
from app.chain.transactions import TxRequest
from app.errors import InputError

MAX_DELEGATES: Final = 100
_SET: Final = fn("setDelegation(string,(bytes32,uint256)[],uint256)")
_CLEAR: Final = fn("clearDelegation(string)")
_GET: Final = fn("getDelegation(address,string)", "(bytes32,uint256)[],uint256")


@dataclass(frozen=True)
class SplitShare:
    delegate: str  # checksummed
    ratio: int


@dataclass(frozen=True)
class SplitDelegation:
    """One delegator's split on one context; ``shares`` empty when none is set."""

    account: str
    context: str
    shares: tuple[SplitShare, ...]
    expires_at: int

    def active(self, now: int) -> bool:
        return bool(self.shares) and now < self.expires_at

    def fraction_for(self, delegate: str) -> float:
        total = sum(s.ratio for s in self.shares)
        mine = sum(s.ratio for s in self.shares if s.delegate.lower() == delegate.lower())
        return mine / total if total else 0.0

    def describe(self) -> str:
        if not self.shares:
            return f"No split delegation on {self.context}"
        total = sum(s.ratio for s in self.shares)
        parts = ", ".join(f"{s.delegate} {100 * s.ratio / total:.0f}%" for s in self.shares)
        return f"Split on {self.context}: {parts}"


def _key(address: str) -> bytes:
    return bytes(12) + bytes.fromhex(to_checksum_address(address)[2:])


def set_split_request(
    registry: str, account: str, context: str, shares: Sequence[tuple[str, int]], expires_at: int
) -> TxRequest:
    """``setDelegation`` for ``shares``; refuses what the registry would refuse, before signing."""
    if not shares or len(shares) > MAX_DELEGATES:
        raise InputError(f"A split delegation names 1 to {MAX_DELEGATES} delegates.")
    seen: set[str] = set()
    for delegate, ratio in shares:
        who = to_checksum_address(delegate)
        if who == to_checksum_address(account):
            raise InputError("You cannot delegate to yourself.")
        if who in seen:
            raise InputError(f"{who} is named twice; give each delegate one share.")
        if ratio <= 0:
            raise InputError(f"The share of {who} must be above zero.")
        seen.add(who)
    ordered = sorted(((_key(d), r) for d, r in shares), key=lambda item: item[0])
    return TxRequest(
        to=to_checksum_address(registry),
        data=_SET.encode(context, ordered, expires_at),
        label=f" (split delegation on {context} among {len(ordered)} delegates)",
    )


def clear_split_request(registry: str, context: str) -> TxRequest:
    return TxRequest(to=to_checksum_address(registry), data=_CLEAR.encode(context),
                     label=f" (clear split delegation on {context})")  # fmt: skip


async def read_split(rpc: RpcClient, registry: str, account: str, context: str) -> SplitDelegation:
    data = "0x" + _GET.encode(to_checksum_address(account), context).hex()
    raw = await rpc.request("eth_call", [{"to": registry, "data": data}, "latest"])
    entries, expires = _GET.decode(bytes.fromhex(str(raw)[2:]))
    shares = tuple(SplitShare(to_checksum_address(d[12:]), int(r)) for d, r in entries)
    return SplitDelegation(to_checksum_address(account), context, shares, int(expires))


def split_power(
    splits: Sequence[SplitDelegation],
    scores: Mapping[str, float],
    delegate: str,
    now: int,
    opted_out: Sequence[str] = (),
) -> float:
    """The power ``delegate`` receives through the active splits (delegators in given order)."""
    if delegate.lower() in {o.lower() for o in opted_out}:
        return 0.0
    total = 0.0
    for split in splits:
        if split.active(now):
            total += scores.get(split.account, 0.0) * split.fraction_for(delegate)
    return total
