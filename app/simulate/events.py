"""Decode the logs a simulation emitted, with known ABIs, into sentences.

Known events: ERC-20 and ERC-721 ``Transfer``/``Approval``/``ApprovalForAll``, ownership, roles,
EIP-1967 upgrades, and every event in our compiled artifacts (the governors, timelocks, tokens
and GovernanceDecisions). ERC-20 and ERC-721 share ``Transfer``'s topic; the number of indexed
topics tells them apart, so events are keyed by (topic0, topic count).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from eth_abi.abi import decode
from eth_utils.crypto import keccak

from app.artifacts import artifact_names, load_artifact
from app.errors import ConfigError
from app.governor.actions import render_value
from app.simulate.engine import RawLog
from app.simulate.labels import Labels
from app.simulate.model import EventEffect

UNLIMITED = 2**255  # approvals at or above this are "unlimited" in words
STANDARD_EVENTS = (
    ("Transfer(address from,address to,uint256 value)", "110"),
    ("Transfer(address from,address to,uint256 tokenId)", "111"),
    ("Approval(address owner,address spender,uint256 value)", "110"),
    ("Approval(address owner,address approved,uint256 tokenId)", "111"),
    ("ApprovalForAll(address owner,address operator,bool approved)", "110"),
    ("OwnershipTransferred(address previousOwner,address newOwner)", "11"),
    ("RoleGranted(bytes32 role,address account,address sender)", "111"),
    ("RoleRevoked(bytes32 role,address account,address sender)", "111"),
    ("RoleAdminChanged(bytes32 role,bytes32 previousAdminRole,bytes32 newAdminRole)", "111"),
    ("Upgraded(address implementation)", "1"),
    ("BeaconUpgraded(address beacon)", "1"),
    ("AdminChanged(address previousAdmin,address newAdmin)", "00"),
)
ROLE_NAMES = {
    keccak(text=name): name
    for name in ("PROPOSER_ROLE", "EXECUTOR_ROLE", "CANCELLER_ROLE", "TIMELOCK_ADMIN_ROLE",
                 "MINTER_ROLE", "PAUSER_ROLE", "UPGRADER_ROLE", "BURNER_ROLE")
} | {b"\x00" * 32: "DEFAULT_ADMIN_ROLE"}  # fmt: skip


@dataclass(frozen=True)
class EventSpec:
    name: str
    types: tuple[str, ...]
    names: tuple[str, ...]
    indexed: tuple[bool, ...]

    @property
    def key(self) -> tuple[bytes, int]:
        signature = f"{self.name}({','.join(self.types)})"
        return keccak(text=signature), 1 + sum(self.indexed)

    def decode(self, log: RawLog) -> dict[str, Any]:
        plain = [t for t, idx in zip(self.types, self.indexed, strict=True) if not idx]
        values = iter(decode(plain, log.data))
        topics = iter(log.topics[1:])
        found: dict[str, Any] = {}
        for position, (typ, idx) in enumerate(zip(self.types, self.indexed, strict=True)):
            label = self.names[position] or f"arg{position}"
            found[label] = decode([typ], next(topics))[0] if idx else next(values)
        return found


@dataclass(frozen=True)
class DecodedEvent:
    address: str
    spec: EventSpec | None
    args: Mapping[str, Any]


def _from_signature(signature: str, mask: str) -> EventSpec:
    name, _, rest = signature.partition("(")
    params = [p.strip().split(" ") for p in rest[:-1].split(",") if p.strip()]
    return EventSpec(
        name, tuple(p[0] for p in params), tuple(p[-1] if len(p) > 1 else "" for p in params),
        tuple(c == "1" for c in mask.ljust(len(params), "0")),
    )  # fmt: skip


def _from_abi(entry: Mapping[str, Any]) -> EventSpec | None:
    inputs = entry.get("inputs", [])
    if any(str(i["type"]).startswith("tuple") for i in inputs):
        return None
    return EventSpec(
        str(entry["name"]),
        tuple(str(i["type"]) for i in inputs),
        tuple(str(i.get("name", "")) for i in inputs),
        tuple(bool(i.get("indexed")) for i in inputs),
    )


@functools.cache
def event_registry() -> dict[tuple[bytes, int], EventSpec]:
    """Known events by (topic0, topic count): the standard ones first, then our artifacts'."""
    registry: dict[tuple[bytes, int], EventSpec] = {}
    for signature, mask in STANDARD_EVENTS:
        spec = _from_signature(signature, mask)
        registry[spec.key] = spec
    try:
        names = artifact_names()
    except ConfigError:
        names = ()
    for name in names:
        for entry in load_artifact(name).abi:
            found = _from_abi(entry) if entry.get("type") == "event" else None
            if found is not None:
                registry.setdefault(found.key, found)
    return registry


def decode_log(log: RawLog) -> DecodedEvent:
    spec = event_registry().get((log.topics[0], len(log.topics))) if log.topics else None
    if spec is None:
        return DecodedEvent(log.address, None, {})
    try:
        return DecodedEvent(log.address, spec, spec.decode(log))
    except Exception:  # noqa: BLE001 - a log that does not fit its ABI stays raw
        return DecodedEvent(log.address, None, {})


def effect(event: DecodedEvent, log: RawLog, labels: Labels) -> EventEffect:
    return EventEffect(
        log.address, event.spec.name if event.spec else "", describe(event, log, labels)
    )


def is_erc20_transfer(event: DecodedEvent) -> bool:
    return event.spec is not None and event.spec.name == "Transfer" and "value" in event.args


def is_nft_transfer(event: DecodedEvent) -> bool:
    return event.spec is not None and event.spec.name == "Transfer" and "tokenId" in event.args


def describe(event: DecodedEvent, log: RawLog, labels: Labels) -> str:
    """The event in words; generic ``Name(arg=value)`` when no sentence is written for it."""
    if event.spec is None:
        topic = log.topics[0].hex() if log.topics else "none"
        return (
            f"{labels.of(log.address)}: unknown event 0x{topic[:8]}… ({len(log.data)} data bytes)"
        )
    sentence = _SENTENCES.get(event.spec.name)
    where = labels.of(event.address)
    if sentence is not None:
        try:
            return f"{where}: {sentence(event, labels)}"
        except (KeyError, TypeError):
            pass
    args = ", ".join(f"{k}={_value(v, labels)}" for k, v in event.args.items())
    return f"{where}: {event.spec.name}({args})"


def _value(value: Any, labels: Labels) -> str:
    if isinstance(value, str) and value.startswith("0x") and len(value) == 42:
        return labels.of(value)
    if isinstance(value, bytes) and value in ROLE_NAMES:
        return ROLE_NAMES[value]
    return render_value(value)


def _transfer(event: DecodedEvent, labels: Labels) -> str:
    a = event.args
    sender, to = labels.of(a["from"]), labels.of(a["to"])
    if "tokenId" in a:
        return f"NFT #{a['tokenId']} moves from {sender} to {to}"
    return f"{labels.amount(event.address, a['value'])} move from {sender} to {to}"


def _approval(event: DecodedEvent, labels: Labels) -> str:
    a = event.args
    if "tokenId" in a:
        return f"{labels.of(a['approved'])} may move NFT #{a['tokenId']} of {labels.of(a['owner'])}"
    amount = (
        "an unlimited amount"
        if a["value"] >= UNLIMITED
        else labels.amount(event.address, a["value"])
    )
    return f"{labels.of(a['owner'])} allows {labels.of(a['spender'])} to spend {amount}"


def _approval_for_all(event: DecodedEvent, labels: Labels) -> str:
    a = event.args
    verb = "may move every token of" if a["approved"] else "may no longer move the tokens of"
    return f"{labels.of(a['operator'])} {verb} {labels.of(a['owner'])}"


def _role(verb: str) -> Callable[[DecodedEvent, Labels], str]:
    def sentence(event: DecodedEvent, labels: Labels) -> str:
        a = event.args
        role = ROLE_NAMES.get(a["role"], "0x" + a["role"].hex())
        return f"role {role} {verb} {labels.of(a['account'])}"

    return sentence


def _pair(what: str, old: str, new: str) -> Callable[[DecodedEvent, Labels], str]:
    def sentence(event: DecodedEvent, labels: Labels) -> str:
        values = list(event.args.values())
        before = _value(values[0], labels) if old else ""
        after = _value(values[1] if old else values[0], labels)
        return f"{what} {before} → {after}" if old else f"{what} → {after}"

    return sentence


def _owner(event: DecodedEvent, labels: Labels) -> str:
    a = event.args
    return f"owner {labels.of(a['previousOwner'])} → {labels.of(a['newOwner'])}"


def _delay(event: DecodedEvent, labels: Labels) -> str:
    from app.simulate.units import format_duration

    values = [int(v) for v in event.args.values()]
    if len(values) == 2:
        return f"timelock delay {format_duration(values[0])} → {format_duration(values[1])}"
    return f"timelock delay → {format_duration(values[0])}"


_SENTENCES: dict[str, Callable[[DecodedEvent, Labels], str]] = {
    "Transfer": _transfer,
    "Approval": _approval,
    "ApprovalForAll": _approval_for_all,
    "OwnershipTransferred": _owner,
    "RoleGranted": _role("granted to"),
    "RoleRevoked": _role("revoked from"),
    "Upgraded": _pair("implementation", "", "new"),
    "BeaconUpgraded": _pair("beacon", "", "new"),
    "AdminChanged": _pair("proxy admin", "old", "new"),
    "NewAdmin": _pair("admin", "", "new"),
    "NewPendingAdmin": _pair("pending admin", "", "new"),
    "NewDelay": _delay,
    "MinDelayChange": _delay,
}
PERMISSION_EVENTS = frozenset(
    {"OwnershipTransferred", "RoleGranted", "RoleRevoked", "RoleAdminChanged", "AdminChanged",
     "NewAdmin", "NewPendingAdmin", "NewDelay", "MinDelayChange", "NewGuardian", "TimelockChange"}
)  # fmt: skip
UPGRADE_EVENTS = frozenset({"Upgraded", "BeaconUpgraded"})
