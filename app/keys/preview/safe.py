"""Safe approvals in the signing preview: a Safe message (a vote the Safe signs off-chain) or a
Safe transaction (a call the Safe makes), each said in one sentence with what it approves.

The caller's context may give ``safe_summary`` ("Safe 0x12…ab (2 of 3) votes For on proposal 12")
and, for a Safe message, ``approves`` (what the signed hash stands for). Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from eth_utils.address import is_address, to_checksum_address

from app.keys.preview.calls import GOVERNANCE_ABI, TITLES, describe_args, format_eth

if TYPE_CHECKING:
    from app.keys.preview.model import Severity

SAFE_TYPES = frozenset({"SafeMessage", "SafeTx"})
_OPERATIONS = {0: "call", 1: "delegatecall"}

Fields = list[tuple[str, str]]
Warnings = list[tuple["Severity", str]]


def _sev() -> type[Severity]:
    from app.keys.preview.model import Severity

    return Severity


def _data(value: Any) -> bytes:
    if isinstance(value, bytes | bytearray):
        return bytes(value)
    text = str(value or "0x").removeprefix("0x")
    try:
        return bytes.fromhex(text)
    except ValueError:
        return b""


def _call(data: bytes, to: str) -> str:
    from app.keys.preview.transactions import decode_call

    if not data:
        return "none (a plain transfer)"
    decoded = decode_call(list(GOVERNANCE_ABI), data)
    if decoded is None:
        return f"an undecoded call ({len(data)} bytes)"
    name, args = decoded
    shown = ", ".join(f"{label} {value}" for label, value in describe_args(name, args, {}, to))
    function = name.split("(")[0]
    return f"{TITLES.get(function, function)} ({shown})"


def safe_fields(
    primary: str,
    domain: Mapping[str, Any],
    message: Mapping[str, Any],
    context: Mapping[str, Any],
    domain_warnings: Warnings,
) -> tuple[str, str, Fields, Warnings]:
    """Kind, title, fields and warnings for a Safe owner's approval."""
    safe = domain.get("verifyingContract")
    safe_text = to_checksum_address(safe) if isinstance(safe, str) and is_address(safe) else "?"
    summary = str(context.get("safe_summary") or "")
    fields: Fields = [("Safe", safe_text), ("network", f"chain {domain.get('chainId')}")]
    warnings = list(domain_warnings)
    if primary == "SafeMessage":
        title = summary or f"Approve a message for Safe {safe_text}"
        approves = context.get("approves")
        if approves:
            fields.append(("approves", str(approves)))
        fields.append(("message", str(message.get("message"))))
        return "safe-message", title, fields, warnings
    operation = int(message.get("operation") or 0)
    data = _data(message.get("data"))
    fields += [
        ("to", str(message.get("to"))),
        ("call", _call(data, str(message.get("to")))),
        ("value", format_eth(int(message.get("value") or 0))),
        ("Safe nonce", str(message.get("nonce"))),
        ("operation", _OPERATIONS.get(operation, str(operation))),
    ]
    if operation != 0:
        warnings.insert(0, (_sev().DANGER, "This Safe transaction is a delegatecall: the target "
                            "runs with the Safe's own storage and funds. Approve it only if you "
                            "know the target contract."))  # fmt: skip
    refund = int(message.get("gasPrice") or 0)
    if refund:
        fields.append(("gas refund", f"{refund} wei per gas, paid by the Safe"))
    title = summary or f"Approve a transaction of Safe {safe_text}"
    return "safe-transaction", title, fields, warnings
