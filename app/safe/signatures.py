"""Owner signatures: who signed, checked against the Safe's owners, packed for ``checkSignatures``.

A Safe accepts ``threshold`` signatures of 65 bytes each (``r ‖ s ‖ v``), ordered by owner address
ascending. ``v`` of 27/28 is an ECDSA signature of the hash itself (what an EIP-712 signer makes);
31/32 is an ``eth_sign`` of it (``v + 4``), which some signers can only make.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from eth_keys.datatypes import Signature
from eth_keys.exceptions import BadSignature
from eth_utils.crypto import keccak

from app.errors import InputError

SIGNATURE_LENGTH = 65


@dataclass(frozen=True)
class OwnerSignature:
    """One owner's approval of a Safe hash."""

    owner: str  # checksummed
    signature: bytes  # 65 bytes, r ‖ s ‖ v


def recover_signer(safe_hash: bytes, signature: bytes) -> str:
    """The address that made ``signature`` over ``safe_hash`` (EIP-712 or eth_sign form)."""
    if len(signature) != SIGNATURE_LENGTH:
        raise InputError(f"A Safe owner's signature is 65 bytes; this one is {len(signature)}.")
    v = signature[64]
    if v in (27, 28):
        digest = safe_hash
    elif v in (31, 32):
        digest = keccak(b"\x19Ethereum Signed Message:\n32" + safe_hash)
        v -= 4
    else:
        raise InputError(f"This owner signature has v = {v}; a Safe owner signs with 27 or 28.")
    try:
        sig = Signature(signature[:64] + bytes([v - 27]))
        return sig.recover_public_key_from_msg_hash(digest).to_checksum_address()
    except (BadSignature, ValueError) as exc:
        raise InputError("This owner signature does not recover to any address.") from exc


def owner_signature(safe_hash: bytes, signature: bytes, owners: Sequence[str]) -> OwnerSignature:
    """Check that ``signature`` is an owner's approval of ``safe_hash``; say who signed."""
    signer = recover_signer(safe_hash, signature)
    if signer.lower() not in {owner.lower() for owner in owners}:
        raise InputError(f"{signer} signed this, but is not an owner of the Safe.")
    return OwnerSignature(signer, signature)


def pack_signatures(signatures: Iterable[OwnerSignature], threshold: int) -> bytes:
    """The ``signatures`` argument of ``execTransaction`` / ``isValidSignature``.

    Duplicates by owner keep the first; exactly ``threshold`` are used, lowest address first.
    """
    by_owner: dict[int, OwnerSignature] = {}
    for item in signatures:
        by_owner.setdefault(int(item.owner, 16), item)
    if len(by_owner) < threshold:
        missing = threshold - len(by_owner)
        raise InputError(
            f"This Safe needs {threshold} owner signatures; {missing} more "
            f"{'is' if missing == 1 else 'are'} missing."
        )
    chosen = sorted(by_owner)[:threshold]
    return b"".join(by_owner[key].signature for key in chosen)
