"""The contract calls govdesk itself sends, decoded for the signing preview without a caller ABI.

Every Governor family's vote, propose, queue, execute and cancel, the token's delegate and
delegateBySig, and ERC-20 transfer/approve. Selectors are recomputed from these signatures, so a
contract cannot pass one function off as another. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from app.domain.titles import title_from_description

SUPPORT_NAMES = {0: "Against", 1: "For", 2: "Abstain"}

# "name(type name, ...)" -> an ABI entry with argument names (what the preview labels fields by).
_SIGNATURES = (
    "castVote(uint256 proposalId, uint8 support)",
    "castVote(uint256 proposalId, bool support)",  # Alpha
    "castVoteWithReason(uint256 proposalId, uint8 support, string reason)",
    "castVoteWithReasonAndParams(uint256 proposalId, uint8 support, string reason, bytes params)",
    "castVoteBySig(uint256 proposalId, uint8 support, uint8 v, bytes32 r, bytes32 s)",
    "castVoteBySig(uint256 proposalId, bool support, uint8 v, bytes32 r, bytes32 s)",
    "castVoteBySig(uint256 proposalId, uint8 support, address voter, bytes signature)",
    "castVoteWithReasonAndParamsBySig(uint256 proposalId, uint8 support, string reason, "
    "bytes params, uint8 v, bytes32 r, bytes32 s)",
    "castVoteWithReasonAndParamsBySig(uint256 proposalId, uint8 support, address voter, "
    "string reason, bytes params, bytes signature)",
    "propose(address[] targets, uint256[] values, bytes[] calldatas, string description)",
    "propose(address[] targets, uint256[] values, string[] signatures, bytes[] calldatas, "
    "string description)",
    "queue(address[] targets, uint256[] values, bytes[] calldatas, bytes32 descriptionHash)",
    "execute(address[] targets, uint256[] values, bytes[] calldatas, bytes32 descriptionHash)",
    "cancel(address[] targets, uint256[] values, bytes[] calldatas, bytes32 descriptionHash)",
    "queue(uint256 proposalId)",
    "execute(uint256 proposalId)",
    "cancel(uint256 proposalId)",
    "delegate(address delegatee)",
    "delegateBySig(address delegatee, uint256 nonce, uint256 expiry, uint8 v, bytes32 r, "
    "bytes32 s)",
    "transfer(address to, uint256 amount)",
    "approve(address spender, uint256 amount)",
    "setDelegate(bytes32 id, address delegate)",  # Snapshot's Delegate Registry
    "clearDelegate(bytes32 id)",
    "execTransaction(address to, uint256 value, bytes data, uint8 operation, uint256 safeTxGas, "
    "uint256 baseGas, uint256 gasPrice, address gasToken, address refundReceiver, "
    "bytes signatures)",
)

# What each function does, in words, for the preview's title.
TITLES = {
    "castVote": "Vote on proposal",
    "castVoteWithReason": "Vote on proposal",
    "castVoteWithReasonAndParams": "Vote on proposal",
    "castVoteBySig": "Relay a signed vote",
    "castVoteWithReasonAndParamsBySig": "Relay a signed vote",
    "propose": "Create an on-chain proposal",
    "queue": "Queue a proposal in the timelock",
    "execute": "Execute a proposal",
    "cancel": "Cancel a proposal",
    "delegate": "Delegate voting power",
    "delegateBySig": "Relay a signed delegation",
    "transfer": "Transfer tokens",
    "approve": "Allow spending of tokens",
    "setDelegate": "Delegate your Snapshot votes",
    "clearDelegate": "Stop delegating your Snapshot votes",
    "execTransaction": "Execute an approved Safe transaction",
}


def _entry(signature: str) -> dict[str, Any]:
    name, rest = signature.split("(", 1)
    inputs = []
    for part in rest.rstrip(")").split(","):
        type_, arg = part.split()
        inputs.append({"name": arg, "type": type_})
    return {"type": "function", "name": name, "inputs": inputs, "outputs": []}


GOVERNANCE_ABI: tuple[dict[str, Any], ...] = tuple(_entry(s) for s in _SIGNATURES)


def format_date(timestamp: int) -> str:
    """``2026-12-02 11:40 UTC (1796218800)``: readable, with the exact signed number."""
    try:
        when = datetime.fromtimestamp(int(timestamp), tz=UTC).strftime("%Y-%m-%d %H:%M UTC")
    except (OverflowError, OSError, ValueError):
        return str(timestamp)
    return f"{when} ({int(timestamp)})"


def format_units(amount: int, decimals: int, symbol: str) -> str:
    """``1,250.5 BTRST``: the whole amount, never rounded."""
    text = f"{Decimal(amount).scaleb(-decimals):,f}" if decimals else f"{amount:,}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text} {symbol}".strip()


def format_eth(wei: int) -> str:
    return f"{format_units(wei, 18, 'ETH')} ({wei} wei)" if wei else "0 ETH"


def support_name(value: Any) -> str:
    if isinstance(value, bool):  # Alpha: true = For
        return "For" if value else "Against"
    return SUPPORT_NAMES.get(int(value), f"option {value}")


def describe_args(
    name: str, args: Mapping[str, Any], tokens: Mapping[str, tuple[str, int]], to: str
) -> list[tuple[str, str]]:
    """Readable fields for a governance call's arguments (actions are decoded by the caller)."""
    from app.keys.preview.transactions import format_value

    fields: list[tuple[str, str]] = []
    for arg, value in args.items():
        if arg in {"targets", "values", "calldatas", "signatures"}:
            continue  # listed per action
        if arg == "support":
            fields.append(("support", support_name(value)))
        elif arg == "description":
            text = str(value)
            shown = text.split("#proposer=")[0] if "#proposer=" in text[-52:] else text
            title = title_from_description(shown, "")
            fields += [("title", title), ("description", text)]
        elif arg == "expiry":
            fields.append(("expiry", format_date(int(value))))
        elif arg == "amount" and to in tokens:
            symbol, decimals = tokens[to]
            fields.append(("amount", format_units(int(value), decimals, symbol)))
        elif arg in {"v", "r", "s", "signature"}:
            fields.append((f"signature {arg}", format_value(value)))
        else:
            fields.append((_label(arg), format_value(value)))
    return fields


def _label(arg: str) -> str:
    spaced = "".join(f" {c.lower()}" if c.isupper() else c for c in arg)
    return spaced.strip()


def action_count(args: Mapping[str, Any]) -> int:
    targets = args.get("targets")
    return len(targets) if isinstance(targets, Sequence) else 0
