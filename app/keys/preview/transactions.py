"""The transaction half of signing previews: contract calls decoded with the ABI the caller
trusts (the selector is recomputed from the ABI entry, so a name cannot be faked for a selector),
governance actions listed one by one, and the fees."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from eth_abi.abi import decode as abi_decode
from eth_utils.abi import collapse_if_tuple
from eth_utils.address import is_address, to_checksum_address
from eth_utils.crypto import keccak

from app.keys.preview.calls import (
    GOVERNANCE_ABI,
    TITLES,
    describe_args,
    format_eth,
    format_units,
)
from app.keys.preview.model import AbiEntry, Fields, Severity, Tokens, Warnings, chain_warnings


def format_value(value: Any) -> str:
    """Readable text for decoded ABI or JSON values (bytes as hex, lists and tuples nested)."""
    if isinstance(value, bytes | bytearray):
        return "0x" + bytes(value).hex()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(format_value(v) for v in value) + "]"
    if isinstance(value, str) and is_address(value) and value.startswith("0x"):
        return to_checksum_address(value)
    return str(value)


def _signature(entry: AbiEntry) -> str:
    types = [collapse_if_tuple(dict(i)) for i in entry.get("inputs", [])]
    return f"{entry['name']}({','.join(types)})"


def _find_function(abi: Sequence[AbiEntry], selector: bytes) -> AbiEntry | None:
    # The selector is recomputed from each ABI entry, so a lying ABI cannot rename a function.
    for entry in abi:
        if entry.get("type") == "function" and keccak(text=_signature(entry))[:4] == selector:
            return entry
    return None


def decode_call(abi: Sequence[AbiEntry], data: bytes) -> tuple[str, dict[str, Any]] | None:
    """``(signature, {arg name: decoded value})`` if ``data`` calls a function in ``abi``."""
    entry = _find_function(abi, data[:4])
    if entry is None:
        return None
    inputs = list(entry.get("inputs", []))
    types = [collapse_if_tuple(dict(i)) for i in inputs]
    values = abi_decode(types, data[4:])
    names = [str(i.get("name") or f"arg{n}") for n, i in enumerate(inputs)]
    return _signature(entry), dict(zip(names, values, strict=True))


def _action_fields(
    args: Mapping[str, Any], abis: dict[str, list[AbiEntry]], tokens: Tokens
) -> tuple[Fields, Warnings]:
    """Governor propose/queue/execute carry actions (targets, values, calldatas): decode each."""
    targets, calldatas = args.get("targets"), args.get("calldatas")
    if not isinstance(targets, list | tuple) or not isinstance(calldatas, list | tuple):
        return [], []
    values = args.get("values") or [0] * len(targets)
    signatures = args.get("signatures") or [""] * len(targets)
    fields: Fields = []
    warnings: Warnings = []
    rows = zip(targets, values, calldatas, signatures, strict=False)
    for n, (target, value, calldata, given) in enumerate(rows):
        target = to_checksum_address(target)
        data = bytes(calldata)
        if given:  # Compound: the signature is given and the calldata holds the arguments only
            data = keccak(text=str(given))[:4] + data
        decoded = _try_decode(abis.get(target, []) + list(GOVERNANCE_ABI), data)
        if decoded:
            call = f"{decoded[0].split('(')[0]}{_format_args(decoded[1], tokens, target)}"
        else:
            call = "unknown call 0x" + bytes(calldata).hex()
            warnings.append(
                (Severity.WARNING, f"Action {n + 1} calls a function govdesk cannot decode.")
            )
        sent = f", sends {format_eth(int(value))}" if int(value) else ""
        fields.append((f"action {n + 1}", f"{target}: {call}{sent}"))
    return fields, warnings


def _format_args(args: Mapping[str, Any], tokens: Tokens, to: str) -> str:
    parts = []
    for key, value in args.items():
        if key == "amount" and to in tokens:
            parts.append(f"{key}={format_units(int(value), tokens[to][1], tokens[to][0])}")
        else:
            parts.append(f"{key}={format_value(value)}")
    return "(" + ", ".join(parts) + ")"


def _try_decode(abi: Sequence[AbiEntry] | None, data: bytes) -> tuple[str, dict[str, Any]] | None:
    if abi is None or len(data) < 4:
        return None
    try:
        return decode_call(abi, data)
    except Exception:  # noqa: BLE001 - malformed calldata must not stop the preview
        return None


def _data_bytes(data: Any) -> bytes:
    if isinstance(data, bytes | bytearray):
        return bytes(data)
    text = str(data or "0x")
    return bytes.fromhex(text.removeprefix("0x"))


def _call_fields(
    to: str, data: bytes, abis: dict[str, list[AbiEntry]], tokens: Tokens
) -> tuple[str, Fields, Warnings]:
    known = to in abis or to in tokens
    governance = _try_decode(GOVERNANCE_ABI, data)
    warnings: Warnings = []
    if governance is not None:
        signature, args = governance
        name = signature.split("(")[0]
        if not known:
            warnings.append(
                (Severity.WARNING, f"{to} is not one of this organisation's known contracts.")
            )
        if name == "approve":
            warnings.append((Severity.WARNING, "This lets the spender move your tokens."))
        fields: Fields = [("function", signature), *describe_args(name, args, tokens, to)]
        actions, action_warnings = _action_fields(args, abis, tokens)
        return TITLES[name], fields + actions, warnings + action_warnings
    if not known:
        return (
            "Call to an unknown contract",
            [("calldata", "0x" + data.hex())],
            [(Severity.DANGER, f"{to} is not a known contract; the call cannot be decoded.")],
        )
    decoded = _try_decode(abis.get(to), data)
    if decoded is None:
        return (
            "Call to an unknown function",
            [("calldata", "0x" + data.hex())],
            [(Severity.DANGER, f"The calldata does not match any function of {to}.")],
        )
    signature, args = decoded
    fields = [("function", signature)]
    fields += [(f"argument {name}", format_value(value)) for name, value in args.items()]
    return f"Contract call: {signature.split('(')[0]}", fields, []


def _fee_fields(tx: Mapping[str, Any], value: int) -> Fields:
    """Gas limit, price per gas in gwei, and the most this transaction can cost, in ETH."""
    gas = tx.get("gas")
    price = tx.get("maxFeePerGas", tx.get("gasPrice"))
    fields: Fields = []
    if tx.get("nonce") is not None:
        fields.append(("nonce", str(int(tx["nonce"]))))
    if gas is None or price is None:
        return fields
    gas, price = int(gas), int(price)
    fields.append(("gas limit", f"{gas:,}"))
    label = "max fee per gas" if "maxFeePerGas" in tx else "gas price"
    fields.append((label, format_units(price, 9, "gwei")))
    if tx.get("maxPriorityFeePerGas") is not None:
        tip = int(tx["maxPriorityFeePerGas"])
        fields.append(("priority fee per gas", format_units(tip, 9, "gwei")))
    fields.append(("max fee", format_units(gas * price, 18, "ETH")))
    if value:
        fields.append(("max total", format_units(gas * price + value, 18, "ETH")))
    return fields


def transaction_fields(
    tx: Mapping[str, Any],
    *,
    expected_chain_id: int | None,
    network_name: str,
    abis: dict[str, list[AbiEntry]],
    tokens: Tokens,
) -> tuple[str, str, Fields, Warnings]:
    chain_id = tx.get("chainId")
    warnings = chain_warnings(
        chain_id, expected_chain_id=expected_chain_id, network_name=network_name, what="transaction"
    )
    fields: Fields = [("network", f"{network_name} (chain {chain_id})")]
    if tx.get("from"):
        fields.append(("from", format_value(str(tx["from"]))))
    data = _data_bytes(tx.get("data"))
    value = int(tx.get("value") or 0)
    to = tx.get("to")
    if not to:
        title = "Contract deployment"
        warnings.append((Severity.DANGER, "This transaction deploys a new contract."))
    else:
        to = to_checksum_address(to)
        fields.append(("contract" if data else "to", to))
        if data:
            title, call_fields, call_warnings = _call_fields(to, data, abis, tokens)
            fields += call_fields
            warnings += call_warnings
        else:
            title = "Transfer"
    fields.append(("value", format_eth(value)))
    if value and data:
        warnings.append((Severity.WARNING, "The call also sends ETH."))
    fields += _fee_fields(tx, value)
    return "transaction", title, fields, warnings


def tokens_of(context: Mapping[str, Any]) -> Tokens:
    """``context["tokens"]``: address -> (symbol, decimals), for amounts in whole tokens."""
    found: Tokens = {}
    raw = context.get("tokens") or {}
    if isinstance(raw, Mapping):
        for address, (symbol, decimals) in raw.items():
            if is_address(address):
                found[str(to_checksum_address(address))] = (str(symbol), int(decimals))
    return found
