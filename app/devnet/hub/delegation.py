"""The ``delegation`` strategy for the local hub, read from the devnet's Delegate Registry.

As score-api's strategy does (reference/snapshot.md §5.4): the registry's delegations at the
snapshot block, a space-specific delegation overriding a global one; a delegate's score is the
sum of its delegators' sub-strategy scores; delegators who are themselves among the addresses
being scored are left out, so a delegator who votes takes their power back.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Final

from eth_abi.abi import decode
from eth_utils.crypto import keccak
from web3 import Web3

from app.snapshot.delegation import DELEGATE_REGISTRY, effective_delegations

_SET: Final = "0x" + keccak(text="SetDelegate(address,bytes32,address)").hex()
_CLEAR: Final = "0x" + keccak(text="ClearDelegate(address,bytes32,address)").hex()


def _address(topic: bytes) -> str:
    return str(Web3.to_checksum_address(decode(["address"], topic)[0]))


def registry_state(
    w3: Web3, block: int, registry: str = DELEGATE_REGISTRY
) -> list[tuple[str, bytes, str]]:
    """Every live ``(delegator, id, delegate)`` after the events up to ``block``."""
    logs = w3.eth.get_logs(
        {"address": Web3.to_checksum_address(registry), "fromBlock": 0, "toBlock": block,
         "topics": [[_SET, _CLEAR]]}
    )  # fmt: skip
    state: dict[tuple[str, bytes], str] = {}
    for log in logs:  # in chain order
        topics = log["topics"]
        key = (_address(topics[1]), bytes(topics[2]))
        if "0x" + bytes(topics[0]).hex() == _SET:
            state[key] = _address(topics[3])
        else:
            state.pop(key, None)
    return [(delegator, key, delegate) for (delegator, key), delegate in state.items()]


def delegated_power(
    w3: Web3,
    space: str,
    delegate: str,
    block: int,
    sub_score: Callable[[str], float],
    scored: Collection[str],
) -> float:
    """``delegate``'s delegated score on ``space`` at ``block`` (score-api's fold order)."""
    delegations = effective_delegations(registry_state(w3, block), space)
    excluded = {a.lower() for a in scored}
    total = 0.0
    for delegator, to in sorted(delegations.items()):
        if to.lower() == delegate.lower() and delegator.lower() not in excluded:
            total += sub_score(delegator)
    return total
