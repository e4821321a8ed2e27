"""Signed envelopes: ``{address, sig, data: {domain, types, message}}`` as the sequencer takes them.

``sign_message`` is the only way govdesk turns a ``TypedMessage`` into an envelope. It checks the
types whitelist and that ``from`` is the signer's own EIP-55 address before asking the signer, and
computes the message id (the EIP-712 digest) so it is known before anything is sent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app.errors import SigningError
from app.snapshot.typed_data import (
    MESSAGE_TYPES,
    TypedMessage,
    check_types_whitelisted,
    typed_data_digest,
    typed_data_from_envelope,
)

if TYPE_CHECKING:  # eth-account loads when a message is signed or checked (issue #20)
    from app.keys.signer_protocol import Signer


@dataclass(frozen=True)
class SignedEnvelope:
    """A signed Snapshot message and its id; ``body()`` is the exact JSON POSTed."""

    id: str
    kind: str
    address: str
    sig: str
    data: dict[str, Any] = field(hash=False)

    def body(self) -> dict[str, Any]:
        return {"address": self.address, "sig": self.sig, "data": self.data}

    def to_json(self) -> str:
        return json.dumps(self.body(), separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> SignedEnvelope:
        body = json.loads(text)
        kind = check_types_whitelisted(body["data"]["types"])
        primary = next(iter(k for k in body["data"]["types"] if k != "EIP712Domain"))
        digest = typed_data_digest(typed_data_from_envelope(body["data"], primary))
        return cls(
            id=digest, kind=kind, address=body["address"], sig=body["sig"], data=body["data"]
        )


async def sign_message(signer: Signer, message: TypedMessage) -> SignedEnvelope:
    """Sign ``message`` with ``signer``; refuse shapes or senders the sequencer would reject."""
    kind = check_types_whitelisted(message.types)
    if MESSAGE_TYPES[message.kind][0] != message.primary_type or kind != message.kind:
        raise SigningError("Refusing to sign: the message type does not match its fields.")
    sender = message.message.get("from")
    if sender != signer.address:
        raise SigningError(
            "Refusing to sign: the message is from another account than the one signing.",
            detail=f"from={sender} signer={signer.address}",
        )
    digest = message.digest()
    sig = await signer.sign_typed_data(message.full_typed_data())
    return SignedEnvelope(
        id=digest, kind=kind, address=signer.address, sig=sig, data=message.envelope_data()
    )


def recover_signer(data: dict[str, Any], sig: str) -> str | None:
    """The EOA that signed ``data`` (EIP-55), or None if the signature cannot be recovered."""
    primary = next((k for k in data.get("types", {}) if k != "EIP712Domain"), None)
    if primary is None:
        return None
    from eth_account import Account
    from eth_account.messages import encode_typed_data

    try:
        signable = encode_typed_data(full_message=typed_data_from_envelope(data, primary))
        return str(Account.recover_message(signable, signature=_normalise_v(sig)))
    except Exception:  # noqa: BLE001 - any malformed input means "not recoverable"
        return None


def _normalise_v(sig: str) -> bytes:
    raw = bytes.fromhex(sig.removeprefix("0x"))
    if len(raw) == 65 and raw[64] in (0, 1):  # Ledger-style v, accepted by Snapshot
        raw = raw[:64] + bytes([raw[64] + 27])
    return raw
