"""Sealing private keys: eth-account keystore JSON (scrypt) inside a versioned govdesk envelope.

The envelope is what goes into the OS keyring::

    {"format": "govdesk-keystore", "version": 1, "address": "0x…", "keystore": {<Web3 v3 keystore>}}

These functions are blocking (scrypt is slow on purpose); async code calls them through
``asyncio.to_thread``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from eth_account import Account
from eth_keyfile.exceptions import EthKeyfileException
from eth_utils.address import to_checksum_address

from app.keys.errors import InvalidKeyMaterialError, WrongPasswordError

KEYSTORE_FORMAT = "govdesk-keystore"
KEYSTORE_FORMAT_VERSION = 1
# eth-account's own default; about 0.8 s to seal and 0.45 s to open on the reference machine.
DEFAULT_SCRYPT_N = 2**18


@dataclass(frozen=True)
class KdfParams:
    """scrypt cost. Only tests lower ``scrypt_n``; production keeps the default."""

    scrypt_n: int = DEFAULT_SCRYPT_N

    def __post_init__(self) -> None:
        if self.scrypt_n < 2 or self.scrypt_n & (self.scrypt_n - 1):
            raise ValueError("scrypt_n must be a power of two")


def encrypt_keystore(private_key: bytes, password: str, *, kdf: KdfParams) -> dict[str, Any]:
    """A standard (Web3 Secret Storage v3) keystore dict, as other wallets import it."""
    keystore: dict[str, Any] = Account.encrypt(
        private_key, password, kdf="scrypt", iterations=kdf.scrypt_n
    )
    return keystore


def decrypt_keystore(keystore: dict[str, Any], password: str) -> bytes:
    """The private key in ``keystore``; ``WrongPasswordError`` if the MAC does not match."""
    try:
        return bytes(Account.decrypt(keystore, password))
    except (ValueError, TypeError, KeyError, EthKeyfileException) as exc:
        if "MAC mismatch" in str(exc):
            raise WrongPasswordError("Wrong password for this account.") from None
        raise InvalidKeyMaterialError(
            "The keystore file is damaged or uses an unsupported format.",
            detail=type(exc).__name__,
        ) from None


def parse_keystore_json(text: str) -> dict[str, Any]:
    """Check that ``text`` is a v3 keystore; return it as a dict (still encrypted)."""
    try:
        keystore = json.loads(text)
    except json.JSONDecodeError:
        raise InvalidKeyMaterialError("The keystore file is not valid JSON.") from None
    if not isinstance(keystore, dict) or keystore.get("version") != 3:
        raise InvalidKeyMaterialError("The file is not a version 3 Ethereum keystore.")
    crypto = keystore.get("crypto", keystore.get("Crypto"))
    if not isinstance(crypto, dict) or not {"cipher", "ciphertext", "kdf", "mac"} <= crypto.keys():
        raise InvalidKeyMaterialError("The keystore file has no usable 'crypto' section.")
    return keystore


def seal_private_key(private_key: bytes, password: str, *, kdf: KdfParams) -> str:
    """The keyring secret for ``private_key``: the envelope as compact JSON."""
    address = Account.from_key(private_key).address
    envelope = {
        "format": KEYSTORE_FORMAT,
        "version": KEYSTORE_FORMAT_VERSION,
        "address": address,
        "keystore": encrypt_keystore(private_key, password, kdf=kdf),
    }
    return json.dumps(envelope, separators=(",", ":"))


def read_envelope(sealed: str) -> dict[str, Any]:
    """Parse and version-check a sealed envelope without decrypting it."""
    try:
        envelope = json.loads(sealed)
    except json.JSONDecodeError:
        raise InvalidKeyMaterialError("The stored key is damaged (not JSON).") from None
    if not isinstance(envelope, dict) or envelope.get("format") != KEYSTORE_FORMAT:
        raise InvalidKeyMaterialError("The stored key is not a govdesk keystore.")
    if envelope.get("version") != KEYSTORE_FORMAT_VERSION:
        raise InvalidKeyMaterialError(
            f"The stored key uses keystore format {envelope.get('version')!r}; "
            "this govdesk reads only format 1. Update govdesk."
        )
    return envelope


def open_sealed_key(sealed: str, password: str) -> bytes:
    """Decrypt a sealed envelope and check the key belongs to the address it names."""
    envelope = read_envelope(sealed)
    private_key = decrypt_keystore(envelope["keystore"], password)
    if Account.from_key(private_key).address != to_checksum_address(envelope["address"]):
        raise InvalidKeyMaterialError("The stored key does not match its address.")
    return private_key
