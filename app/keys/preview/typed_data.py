"""The typed-data half of signing previews: Snapshot messages (``snapshot``), Governor
ballots and delegations, and everything else field by field under a hard warning. Used by
``app.keys.preview``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from eth_utils.address import is_address, to_checksum_address

from app.keys.preview.calls import format_date, support_name
from app.keys.preview.safe import SAFE_TYPES, safe_fields
from app.keys.preview.snapshot import SNAPSHOT_TYPES, snapshot_fields

if TYPE_CHECKING:
    from app.keys.preview.model import Severity

GOVERNOR_TYPES = frozenset({"Ballot", "ExtendedBallot", "Delegation"})

Fields = list[tuple[str, str]]
Warnings = list[tuple["Severity", str]]
Result = tuple[str, str, Fields, Warnings]


def _sev() -> type[Severity]:
    from app.keys.preview.model import Severity

    return Severity


def _flatten(prefix: str, value: Any) -> Fields:
    if isinstance(value, Mapping):
        out: Fields = []
        for key in value:
            out += _flatten(f"{prefix}.{key}" if prefix else str(key), value[key])
        return out
    if isinstance(value, list):
        out = []
        for index, item in enumerate(value):
            out += _flatten(f"{prefix}[{index}]", item)
        return out
    return [(prefix, str(value))]


def _domain_warnings(
    domain: Mapping[str, Any],
    *,
    expected_chain_id: int | None,
    network_name: str,
    known_contracts: frozenset[str],
) -> Warnings:
    from app.keys.preview.model import chain_warnings

    warnings = chain_warnings(
        domain.get("chainId"),
        expected_chain_id=expected_chain_id,
        network_name=network_name,
        what="message domain",
    )
    contract = domain.get("verifyingContract")
    if contract is None or not is_address(contract):
        warnings.append((_sev().DANGER, "The message domain names no verifying contract."))
    elif to_checksum_address(contract) not in known_contracts:
        warnings.append(
            (
                _sev().WARNING,
                f"{to_checksum_address(contract)} is not a known contract on {network_name}.",
            )
        )
    return warnings


def _governor_message(
    primary: str, message: Mapping[str, Any], context: Mapping[str, Any]
) -> tuple[str, Fields]:
    if primary == "Delegation":
        return f"Delegate votes to {message.get('delegatee')}", [
            ("delegatee", str(message.get("delegatee"))),
            ("nonce", str(message.get("nonce"))),
            ("expiry", format_date(int(message.get("expiry", 0) or 0))),
        ]
    support = message.get("support")
    name = support_name(support) if support is not None else "?"
    proposal = str(message.get("proposalId"))
    title = context.get("proposal_title")
    fields: Fields = [("proposal id", f"{title} ({proposal})" if title else proposal)]
    fields.append(("support", name))
    for extra in ("voter", "nonce", "reason", "params"):
        if extra in message:
            fields.append((extra, str(message[extra])))
    return f"Governor vote: {name}", fields


def typed_data_fields(
    payload: Mapping[str, Any],
    *,
    expected_chain_id: int | None,
    network_name: str,
    known_contracts: frozenset[str],
    context: Mapping[str, Any],
) -> Result:
    """Kind, title, fields and warnings for an EIP-712 message."""
    domain = payload.get("domain") or {}
    message = payload.get("message") or {}
    primary = str(payload.get("primaryType"))
    if domain.get("name") == "snapshot" and primary in SNAPSHOT_TYPES:
        return snapshot_fields(primary, domain, message, context)
    domain_fields = [(f"domain.{k}", str(v)) for k, v in domain.items()]
    warnings = _domain_warnings(
        domain,
        expected_chain_id=expected_chain_id,
        network_name=network_name,
        known_contracts=known_contracts,
    )
    if primary in SAFE_TYPES:
        return safe_fields(primary, domain, message, context, warnings)
    if primary in GOVERNOR_TYPES:
        title, fields = _governor_message(primary, message, context)
        return "governor-" + primary.lower(), title, fields + domain_fields, warnings
    warnings.insert(
        0,
        (
            _sev().DANGER,
            f"Unknown message type {primary!r}. Messages like Permit or marketplace orders can "
            "give away tokens without any transaction. Sign only if you know exactly why.",
        ),
    )
    fields = _flatten("", message)
    return "unknown-typed-data", f"Unknown message: {primary}", fields + domain_fields, warnings
