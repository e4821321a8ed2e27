"""EIP-712 typed data for every message govdesk sends to Snapshot, exactly as snapshot.js signs it.

The sequencer accepts only type shapes whose hash (sha256 of ``JSON.stringify(types)`` without
``EIP712Domain``) is in snapshot.js's ``hashedTypes.json``; a copy ships with this package and
``check_types_whitelisted`` asserts membership before anything is signed. Field order and type
strings below are therefore part of the protocol: do not reorder them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Final

from app.errors import SigningError

DOMAIN: Final = {"name": "snapshot", "version": "0.1.4"}
EIP712_DOMAIN_TYPE: Final = [
    {"name": "name", "type": "string"},
    {"name": "version", "type": "string"},
]
APP_NAME: Final = "govdesk"


def _fields(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    return [{"name": name, "type": type_} for name, type_ in pairs]


def _vote_fields(choice_type: str) -> list[dict[str, str]]:
    return _fields(
        ("from", "string"),
        ("space", "string"),
        ("timestamp", "uint64"),
        ("proposal", "string"),
        ("choice", choice_type),
        ("reason", "string"),
        ("app", "string"),
        ("metadata", "string"),
    )


_PROPOSAL_CONTENT: Final = (
    ("type", "string"),
    ("title", "string"),
    ("body", "string"),
    ("discussion", "string"),
    ("choices", "string[]"),
    ("labels", "string[]"),
)
_FOLLOW_FIELDS: Final = (
    ("from", "address"),
    ("network", "string"),
    ("space", "string"),
    ("timestamp", "uint64"),
)

# Internal sequencer type name -> (primary type, field list).
MESSAGE_TYPES: Final[dict[str, tuple[str, list[dict[str, str]]]]] = {
    "vote": ("Vote", _vote_fields("uint32")),
    "vote-array": ("Vote", _vote_fields("uint32[]")),
    "vote-string": ("Vote", _vote_fields("string")),
    "proposal": (
        "Proposal",
        _fields(
            ("from", "string"),
            ("space", "string"),
            ("timestamp", "uint64"),
            *_PROPOSAL_CONTENT,
            ("start", "uint64"),
            ("end", "uint64"),
            ("snapshot", "uint64"),
            ("plugins", "string"),
            ("privacy", "string"),
            ("app", "string"),
        ),
    ),
    "update-proposal": (
        "UpdateProposal",
        _fields(
            ("proposal", "string"),
            ("from", "string"),
            ("space", "string"),
            ("timestamp", "uint64"),
            *_PROPOSAL_CONTENT,
            ("plugins", "string"),
            ("privacy", "string"),
        ),
    ),
    "delete-proposal": (
        "CancelProposal",
        _fields(
            ("from", "string"),
            ("space", "string"),
            ("timestamp", "uint64"),
            ("proposal", "string"),
        ),
    ),
    "follow": ("Follow", _fields(*_FOLLOW_FIELDS)),
    "unfollow": ("Unfollow", _fields(*_FOLLOW_FIELDS)),
    "alias": (
        "Alias",
        _fields(("from", "address"), ("alias", "address"), ("timestamp", "uint64")),
    ),
    "statement": (  # a delegate's statement on a space (snapshot.js ``statementTypes``)
        "Statement",
        _fields(
            ("from", "address"),
            ("timestamp", "uint64"),
            ("space", "string"),
            ("about", "string"),
            ("statement", "string"),
            ("discourse", "string"),
            ("status", "string"),
            ("network", "string"),
        ),
    ),
}


@cache
def hashed_types() -> dict[str, str]:
    """snapshot.js's whitelist: sha256 hex of a types JSON -> internal message type."""
    text = resources.files("app.snapshot").joinpath("hashed_types.json").read_text("utf-8")
    table: dict[str, str] = json.loads(text)
    return table


def types_hash(types: dict[str, Any]) -> str:
    """sha256 of ``JSON.stringify(types)`` with ``EIP712Domain`` removed, as the sequencer does."""
    stripped = {name: fields for name, fields in types.items() if name != "EIP712Domain"}
    return hashlib.sha256(json.dumps(stripped, separators=(",", ":")).encode()).hexdigest()


def whitelisted_kind(types: dict[str, Any]) -> str | None:
    """The sequencer's internal type for these types, or None if it would answer "wrong types"."""
    return hashed_types().get(types_hash(types))


def check_types_whitelisted(types: dict[str, Any]) -> str:
    kind = whitelisted_kind(types)
    if kind is None:
        raise SigningError(
            "Refusing to sign: Snapshot would reject this message shape (its types are not in "
            "snapshot.js's whitelist).",
            detail=types_hash(types),
        )
    return kind


@dataclass(frozen=True)
class TypedMessage:
    """One Snapshot message ready to sign: its internal kind, primary type and values."""

    kind: str
    message: dict[str, Any] = field(hash=False)

    @property
    def primary_type(self) -> str:
        return MESSAGE_TYPES[self.kind][0]

    @property
    def types(self) -> dict[str, list[dict[str, str]]]:
        """The ``types`` object sent in the envelope (primary struct only, as snapshot.js sends)."""
        return {self.primary_type: [dict(f) for f in MESSAGE_TYPES[self.kind][1]]}

    def envelope_data(self) -> dict[str, Any]:
        """``data`` of the envelope: ``{domain, types, message}``."""
        return {"domain": dict(DOMAIN), "types": self.types, "message": dict(self.message)}

    def full_typed_data(self) -> dict[str, Any]:
        """The complete EIP-712 document a wallet signs (with ``EIP712Domain`` and primaryType)."""
        return typed_data_from_envelope(self.envelope_data(), self.primary_type)

    def digest(self) -> str:
        """The EIP-712 digest: Snapshot's message id (vote id, proposal id), ``0x`` hex."""
        return typed_data_digest(self.full_typed_data())


def typed_data_from_envelope(data: dict[str, Any], primary_type: str) -> dict[str, Any]:
    """Turn an envelope's ``{domain, types, message}`` into a full EIP-712 document."""
    domain = data["domain"]
    domain_type = [f for f in EIP712_DOMAIN_TYPE if f["name"] in domain]
    extra = [
        {"name": k, "type": _DOMAIN_FIELD_TYPES[k]} for k in domain if k in _DOMAIN_FIELD_TYPES
    ]
    types = {"EIP712Domain": domain_type + extra}
    types.update({k: v for k, v in data["types"].items() if k != "EIP712Domain"})
    return {
        "types": types,
        "primaryType": primary_type,
        "domain": domain,
        "message": data["message"],
    }


_DOMAIN_FIELD_TYPES: Final = {
    "chainId": "uint256",
    "verifyingContract": "address",
    "salt": "bytes32",
}


def typed_data_digest(full_typed_data: dict[str, Any]) -> str:
    """keccak256(0x1901 ‖ domainSeparator ‖ structHash) of a full EIP-712 document."""
    # eth-account loads with the first digest, not with the outbox (issue #20).
    from eth_account.messages import encode_typed_data
    from eth_utils.crypto import keccak

    signable = encode_typed_data(full_message=full_typed_data)
    return "0x" + keccak(b"\x19" + signable.version + signable.header + signable.body).hex()
