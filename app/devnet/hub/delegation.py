"""The ``delegation`` strategy for the local hub, read from the devnet's Delegate Registry.

As score-api's strategy does (``strategies/delegation`` and ``utils/delegation.ts``; reference/
snapshot.md §5.4), for the addresses being scored together:

1. the registry's live delegations at the snapshot block whose id is the space, the space without
   ``.eth``, or the global id;
2. only those *to* a scored address and *from* an address that is not itself scored: a delegator
   who votes takes their power back (and nobody counts their own delegation to themselves);
3. per delegator, a space-specific delegation overrides a global one — among the delegations
   kept by step 2, as score-api filters before it overrides;
4. a delegate's score is the sum, over its delegators in chain order, of their sub-strategy scores.

The sequencer asks for one voter at vote time (``get_vp``), then rescores every vote of the
proposal with all its voters together (``updateProposalAndVotes``), which is when delegators who
voted drop out of their delegates' power; see :func:`app.devnet.hub.scores.refresh_vote_power`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any, Final

from eth_abi.abi import decode
from eth_utils.crypto import keccak
from web3 import Web3

from app.snapshot.delegation import DELEGATE_REGISTRY, GLOBAL_ID, space_keys

DELEGATION: Final = "delegation"
# Strategies for which the sequencer keeps a vote's power "pending" while the proposal is open
# (snapshot-sequencer ``hasStrategyOverride``): the ones the local hub implements.
OVERRIDE_STRATEGIES: Final = frozenset({DELEGATION})
_SET: Final = "0x" + keccak(text="SetDelegate(address,bytes32,address)").hex()
_CLEAR: Final = "0x" + keccak(text="ClearDelegate(address,bytes32,address)").hex()
Entry = tuple[str, bytes, str]  # (delegator, id, delegate)


def has_override(strategies: Sequence[Mapping[str, Any]]) -> bool:
    """True when a vote's power on these strategies depends on who else voted."""
    return any(s.get("name") in OVERRIDE_STRATEGIES for s in strategies)


def _address(topic: bytes) -> str:
    return str(Web3.to_checksum_address(decode(["address"], topic)[0]))


def registry_state(w3: Web3, block: int, registry: str = DELEGATE_REGISTRY) -> list[Entry]:
    """Every live ``(delegator, id, delegate)`` after the events up to ``block``, in the order
    they were set."""
    logs = w3.eth.get_logs(
        {"address": Web3.to_checksum_address(registry), "fromBlock": 0, "toBlock": block,
         "topics": [[_SET, _CLEAR]]}
    )  # fmt: skip
    state: dict[tuple[str, bytes], str] = {}
    for log in logs:  # in chain order
        topics = log["topics"]
        key = (_address(topics[1]), bytes(topics[2]))
        state.pop(key, None)  # a new setDelegate moves the entry to the end, as the subgraph does
        if "0x" + bytes(topics[0]).hex() == _SET:
            state[key] = _address(topics[3])
    return [(delegator, key, delegate) for (delegator, key), delegate in state.items()]


def delegators_by_delegate(
    entries: Sequence[Entry], space: str, addresses: Collection[str]
) -> dict[str, list[str]]:
    """Lower-cased scored address → the delegators whose power it receives on ``space``."""
    scored = {a.lower() for a in addresses}
    ids = {GLOBAL_ID, *space_keys(space)}
    kept = [
        (delegator.lower(), key, delegate.lower())
        for delegator, key, delegate in entries
        if key in ids and delegate.lower() in scored and delegator.lower() not in scored
    ]
    chosen: dict[str, str] = {}
    for delegator, _key, delegate in kept:
        chosen[delegator] = delegate
    for delegator, key, delegate in kept:  # then the space's own delegations win
        if key != GLOBAL_ID:
            chosen[delegator] = delegate
    found: dict[str, list[str]] = {}
    for delegator, delegate in chosen.items():
        found.setdefault(delegate, []).append(delegator)
    return found


def delegated_power(
    w3: Web3,
    space: str,
    delegate: str,
    block: int,
    sub_score: Callable[[str], float],
    scored: Collection[str],
) -> float:
    """``delegate``'s delegated score on ``space`` at ``block``, scored together with ``scored``
    (score-api's fold order)."""
    found = delegators_by_delegate(registry_state(w3, block), space, [delegate, *scored])
    total = 0.0
    for delegator in found.get(delegate.lower(), []):
        total += sub_score(Web3.to_checksum_address(delegator))
    return total
