"""Decode proposal actions into readable calls.

Alpha/Bravo proposals carry a signature string per action (their calldata is only the arguments);
OZ proposals carry full calldata, looked up by selector among known ABIs: our compiled artifacts,
ERC-20, and the governor and timelock functions. Anything else stays raw.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any

from eth_abi.abi import decode
from eth_utils.address import to_checksum_address

from app.artifacts import artifact_names, load_artifact
from app.chain.abi_codec import parse_signature, selector_of
from app.errors import ConfigError
from app.governor.model import Action, ProposalCreated

ERC20_FUNCTIONS = (
    "transfer(address to,uint256 amount)",
    "approve(address spender,uint256 amount)",
    "transferFrom(address from,address to,uint256 amount)",
    "delegate(address delegatee)",
    "mint(address to,uint256 amount)",
    "burn(uint256 amount)",
)
GOVERNANCE_FUNCTIONS = (
    "updateDelay(uint256 newDelay)",
    "setDelay(uint256 delay)",
    "grantRole(bytes32 role,address account)",
    "revokeRole(bytes32 role,address account)",
    "setPendingAdmin(address pendingAdmin)",
    "updateQuorumNumerator(uint256 newQuorumNumerator)",
    "setVotingDelay(uint48 newVotingDelay)",
    "setVotingPeriod(uint32 newVotingPeriod)",
    "setProposalThreshold(uint256 newProposalThreshold)",
    "updateTimelock(address newTimelock)",
    "relay(address target,uint256 value,bytes data)",
)


class CallDecoder:
    """Known functions by selector, each with parameter types and names."""

    def __init__(self) -> None:
        self._known: dict[bytes, tuple[str, tuple[str, ...], tuple[str, ...]]] = {}

    def add_signature(self, signature: str) -> None:
        name, types = parse_signature(signature)
        inner = signature.strip()[len(name) + 1 : -1]
        names = tuple(
            p.strip().split(" ")[-1] if " " in p.strip() else "" for p in inner.split(",")
        )
        names = names if len(names) == len(types) else tuple("" for _ in types)
        self._known.setdefault(selector_of(f"{name}({','.join(types)})"), (name, types, names))

    def add_abi(self, abi: Iterable[Mapping[str, Any]]) -> None:
        for entry in abi:
            if entry.get("type") == "function":
                params = ",".join(
                    f"{p['type']} {p.get('name', '')}".strip() for p in entry["inputs"]
                )
                if "tuple" not in params:
                    self.add_signature(f"{entry['name']}({params})")

    def decode(self, target: str, value: int, signature: str, calldata: bytes) -> Action:
        if signature:
            name, types = parse_signature(signature)
            selector, args = selector_of(f"{name}({','.join(types)})"), calldata
        else:
            selector, args = calldata[:4], calldata[4:]
        known = self._known.get(selector)
        if known is None and signature:
            known = (name, types, tuple("" for _ in types))
        if known is None or (not signature and len(calldata) < 4):
            return Action(target, value, signature, calldata, None, ())
        fname, types, names = known
        try:
            values = decode(list(types), args)
        except Exception:  # noqa: BLE001 - malformed arguments: show the call raw
            return Action(target, value, signature, calldata, None, ())
        label = ",".join(f"{t} {n}".strip() for t, n in zip(types, names, strict=True))
        shown = tuple((n, render_value(v)) for n, v in zip(names, values, strict=True))
        return Action(target, value, signature, calldata, f"{fname}({label})", shown)

    def decode_proposal(self, proposal: ProposalCreated) -> tuple[Action, ...]:
        return tuple(
            self.decode(t, v, s, c)
            for t, v, s, c in zip(
                proposal.targets,
                proposal.values,
                proposal.signatures,
                proposal.calldatas,
                strict=True,
            )
        )


def render_value(value: Any) -> str:
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, str) and value.startswith("0x") and len(value) == 42:
        return str(to_checksum_address(value))
    if isinstance(value, list | tuple):
        return "[" + ", ".join(render_value(v) for v in value) + "]"
    return str(value)


@functools.cache
def default_decoder() -> CallDecoder:
    """Decoder over our artifacts, ERC-20 and governance functions (artifacts optional)."""
    decoder = CallDecoder()
    try:
        names = artifact_names()
    except ConfigError:
        names = ()
    for name in names:
        decoder.add_abi(load_artifact(name).abi)
    for signature in (*ERC20_FUNCTIONS, *GOVERNANCE_FUNCTIONS):
        decoder.add_signature(signature)
    return decoder
