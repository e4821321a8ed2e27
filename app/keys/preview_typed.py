"""The typed-data half of signing previews: Snapshot votes, Governor ballots and delegations, and
everything else field by field under a hard warning. Used by ``app.keys.preview``."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from eth_utils.address import is_address, to_checksum_address

if TYPE_CHECKING:
    from app.keys.preview import Severity

SNAPSHOT_DOMAIN_VERSION = "0.1.4"
SUPPORT_NAMES = {0: "Against", 1: "For", 2: "Abstain"}
GOVERNOR_TYPES = frozenset({"Ballot", "ExtendedBallot", "Delegation"})

Fields = list[tuple[str, str]]
Warnings = list[tuple["Severity", str]]
Result = tuple[str, str, Fields, Warnings]


def _sev() -> type[Severity]:
    from app.keys.preview import Severity

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


def _choice_name(index: Any, choices: Sequence[str]) -> tuple[str, bool]:
    try:
        number = int(index)
    except (TypeError, ValueError):
        return f"{index!r}", False
    if 1 <= number <= len(choices):
        return f"{choices[number - 1]} (#{number})", True
    return f"#{number}", not choices


def _snapshot_choice(message: Mapping[str, Any], choices: Sequence[str]) -> tuple[str, bool]:
    """The chosen option(s) by name; second item False if an option does not exist."""
    choice = message.get("choice")
    if isinstance(choice, str):  # weighted / quadratic: JSON {"1": weight, ...}
        try:
            weights = json.loads(choice)
        except json.JSONDecodeError:
            return choice, True  # shutter (encrypted) or free text: shown as is
        if not isinstance(weights, dict):
            return choice, True
        parts = [(*_choice_name(k, choices), w) for k, w in weights.items()]
        return ", ".join(f"{n}: {w}" for n, _, w in parts), all(ok for _, ok, _ in parts)
    if isinstance(choice, list):
        names = [_choice_name(c, choices) for c in choice]
        return " > ".join(n for n, _ in names), all(ok for _, ok in names)
    return _choice_name(choice, choices)


def _snapshot_vote(
    domain: Mapping[str, Any], message: Mapping[str, Any], context: Mapping[str, Any]
) -> Result:
    sev = _sev()
    warnings: Warnings = []
    if domain.get("version") != SNAPSHOT_DOMAIN_VERSION:
        warnings.append(
            (sev.WARNING, f"Unexpected Snapshot domain version {domain.get('version')!r}.")
        )
    if "chainId" in domain or "verifyingContract" in domain:
        warnings.append(
            (sev.DANGER, "A Snapshot vote domain has no chain id or contract; this one does.")
        )
    choices = [str(c) for c in context.get("choices", [])]
    chosen, known = _snapshot_choice(message, choices)
    if not known:
        warnings.append((sev.DANGER, "The vote names an option the proposal does not have."))
    proposal = str(message.get("proposal", ""))
    title = context.get("proposal_title")
    fields: Fields = [
        ("space", str(message.get("space", ""))),
        ("proposal", f"{title} ({proposal})" if title else proposal),
        ("choice", chosen),
        ("reason", str(message.get("reason", ""))),
        ("voter", str(message.get("from", ""))),
        ("app", str(message.get("app", ""))),
        ("timestamp", str(message.get("timestamp", ""))),
        ("network", "Snapshot (off-chain, no chain id)"),
    ]
    return "snapshot-vote", f"Snapshot vote in {message.get('space', '?')}", fields, warnings


def _domain_warnings(
    domain: Mapping[str, Any],
    *,
    expected_chain_id: int | None,
    network_name: str,
    known_contracts: frozenset[str],
) -> Warnings:
    from app.keys.preview import chain_warnings

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


def _governor_message(primary: str, message: Mapping[str, Any]) -> tuple[str, Fields]:
    if primary == "Delegation":
        return f"Delegate votes to {message.get('delegatee')}", [
            ("delegatee", str(message.get("delegatee"))),
            ("nonce", str(message.get("nonce"))),
            ("expiry", str(message.get("expiry"))),
        ]
    support = message.get("support")
    name = SUPPORT_NAMES.get(int(support), f"option {support}") if support is not None else "?"
    fields: Fields = [("proposal id", str(message.get("proposalId"))), ("support", name)]
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
    if domain.get("name") == "snapshot" and primary == "Vote":
        return _snapshot_vote(domain, message, context)
    domain_fields = [(f"domain.{k}", str(v)) for k, v in domain.items()]
    warnings = _domain_warnings(
        domain,
        expected_chain_id=expected_chain_id,
        network_name=network_name,
        known_contracts=known_contracts,
    )
    if primary in GOVERNOR_TYPES:
        title, fields = _governor_message(primary, message)
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
