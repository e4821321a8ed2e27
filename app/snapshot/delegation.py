"""Snapshot delegation through the Delegate Registry (v1), as Snapshot's own app sets it.

Delegation is on chain, not an EIP-712 message (reference/snapshot.md §5.4): ``setDelegate(id,
delegate)`` and ``clearDelegate(id)`` on the registry at :data:`DELEGATE_REGISTRY`, where ``id``
is the space's name as ``bytes32`` (ethers ``formatBytes32String``) and the zero id delegates for
every space. For a space, a space-specific delegation overrides a global one; the ``delegation``
strategy also reads the id without ``.eth``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from eth_utils.address import to_checksum_address

from app.chain.abi_codec import fn
from app.chain.rpc import RpcClient
from app.chain.transactions import TxRequest
from app.errors import InputError

DELEGATE_REGISTRY: Final = "0x469788fE6E9E9681C6ebF3bF78e7Fd26Fc015446"
GLOBAL_ID: Final = bytes(32)
ZERO_ADDRESS: Final = "0x0000000000000000000000000000000000000000"
_DELEGATION: Final = fn("delegation(address,bytes32)", "address")
_SET: Final = fn("setDelegate(bytes32,address)")
_CLEAR: Final = fn("clearDelegate(bytes32)")


def space_key(space: str) -> bytes:
    """``formatBytes32String(space)``: the UTF-8 name, zero-padded; at most 31 bytes."""
    raw = space.encode("utf-8")
    if not raw or len(raw) > 31:
        raise InputError(
            f"A Snapshot space name for delegation is 1 to 31 bytes; {space!r} is not."
        )
    return raw.ljust(32, b"\0")


def space_keys(space: str) -> tuple[bytes, ...]:
    """The ids the delegation strategy reads for ``space``, most specific first."""
    names = [space] + ([space.removesuffix(".eth")] if space.endswith(".eth") else [])
    return tuple(dict.fromkeys(space_key(n) for n in names if n))


@dataclass(frozen=True)
class SnapshotDelegation:
    """Who an account delegates to on one space: for that space, and for every space."""

    account: str
    space: str
    for_space: str | None
    for_all_spaces: str | None

    @property
    def delegate(self) -> str | None:
        """The delegate Snapshot counts for this space (the space's own delegation wins)."""
        return self.for_space or self.for_all_spaces

    @property
    def describe(self) -> str:
        if self.for_space:
            return f"Delegated on {self.space} to {self.for_space}"
        if self.for_all_spaces:
            return f"Delegated on every space to {self.for_all_spaces}"
        return f"Not delegated on {self.space}"


async def _delegate_of(rpc: RpcClient, registry: str, account: str, key: bytes) -> str | None:
    data = "0x" + _DELEGATION.encode(to_checksum_address(account), key).hex()
    raw = await rpc.request("eth_call", [{"to": registry, "data": data}, "latest"])
    delegate = to_checksum_address(_DELEGATION.decode_one(bytes.fromhex(str(raw)[2:])))
    return None if delegate == ZERO_ADDRESS else delegate


async def read_delegation(
    rpc: RpcClient, account: str, space: str, registry: str = DELEGATE_REGISTRY
) -> SnapshotDelegation:
    """Read ``account``'s Snapshot delegation for ``space`` from the registry."""
    code = await rpc.request("eth_getCode", [to_checksum_address(registry), "latest"])
    if str(code) in ("", "0x"):
        raise InputError(
            f"Chain {rpc.chain_id} has no Snapshot Delegate Registry at {registry}, so delegation"
            " on Snapshot cannot be read or set there."
        )
    for_space = None
    for key in space_keys(space):
        for_space = for_space or await _delegate_of(rpc, registry, account, key)
    for_all = await _delegate_of(rpc, registry, account, GLOBAL_ID)
    return SnapshotDelegation(to_checksum_address(account), space, for_space, for_all)


def set_delegate_request(
    space: str | None, delegate: str, *, registry: str = DELEGATE_REGISTRY
) -> TxRequest:
    """Delegate on ``space`` (None: on every space) to ``delegate``."""
    key = GLOBAL_ID if space is None else space_key(space)
    where = "every space" if space is None else space
    return TxRequest(
        to=to_checksum_address(registry),
        data=_SET.encode(key, to_checksum_address(delegate)),
        label=f" (delegate on {where} to {to_checksum_address(delegate)})",
    )


def clear_delegate_request(space: str | None, *, registry: str = DELEGATE_REGISTRY) -> TxRequest:
    """Stop delegating on ``space`` (None: the delegation for every space)."""
    key = GLOBAL_ID if space is None else space_key(space)
    where = "every space" if space is None else space
    return TxRequest(
        to=to_checksum_address(registry), data=_CLEAR.encode(key), label=f" (undelegate on {where})"
    )


def effective_delegations(entries: Sequence[tuple[str, bytes, str]], space: str) -> dict[str, str]:
    """delegator → delegate for ``space`` from registry state ``(delegator, id, delegate)``."""
    keys = space_keys(space)
    found: dict[str, tuple[int, str]] = {}
    for delegator, key, delegate in entries:
        if key in keys:
            rank = 0
        elif key == GLOBAL_ID:
            rank = 1
        else:
            continue
        current = found.get(delegator)
        if current is None or rank < current[0]:
            found[delegator] = (rank, delegate)
    return {delegator: delegate for delegator, (_, delegate) in found.items()}
