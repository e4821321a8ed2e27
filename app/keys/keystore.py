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

from app import jsonsafe
from app.keys.errors import InvalidKeyMaterialError, WrongPasswordError

KEYSTORE_FORMAT = "govdesk-keystore"
KEYSTORE_FORMAT_VERSION = 1
# eth-account's own default; about 0.8 s to seal and 0.45 s to open on the reference machine.
DEFAULT_SCRYPT_N = 2**18
# The most a keystore may ask for (issue #22): geth and ethers write scrypt n = 2**18 (r=8, p=1)
# and pbkdf2 c = 262,144; MetaMask's vault uses pbkdf2 c = 600,000-900,000. Ten times those
# still opens in seconds; a file asking for more is refused before any work is done.
MAX_SCRYPT_N = 2**20
MAX_SCRYPT_R = 16
MAX_SCRYPT_P = 16
MAX_SCRYPT_MEMORY = 1024 * 1024 * 1024  # 128 * n * r bytes
MAX_PBKDF2_C = 10_000_000


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


def check_kdf_cost(keystore: dict[str, Any]) -> None:
    """Refuse a keystore whose KDF would take minutes or gigabytes before saying anything."""
    crypto = keystore.get("crypto", keystore.get("Crypto"))
    crypto = crypto if isinstance(crypto, dict) else {}
    kdf, params = crypto.get("kdf"), crypto.get("kdfparams")
    if not isinstance(params, dict):
        raise InvalidKeyMaterialError("The keystore file has no KDF parameters.")
    if kdf == "scrypt":
        n, r, p = (_param(params, k) for k in ("n", "r", "p"))
        if not (2 <= n <= MAX_SCRYPT_N and 1 <= r <= MAX_SCRYPT_R and 1 <= p <= MAX_SCRYPT_P):
            raise _too_costly(f"scrypt n={n}, r={r}, p={p}")
        if 128 * n * r > MAX_SCRYPT_MEMORY:
            raise _too_costly(f"scrypt needs {128 * n * r // 2**20} MiB")
    elif kdf == "pbkdf2":
        c = _param(params, "c")
        if not 1 <= c <= MAX_PBKDF2_C or params.get("prf", "hmac-sha256") != "hmac-sha256":
            raise _too_costly(f"pbkdf2 c={c}")
    else:
        raise InvalidKeyMaterialError(
            f"The keystore file is damaged or uses an unsupported KDF ({str(kdf)[:20]!r})."
        )
    dklen = _param(params, "dklen")
    if dklen != 32:
        raise InvalidKeyMaterialError(f"The keystore asks for a {dklen}-byte key; 32 expected.")


def _param(params: dict[str, Any], name: str) -> int:
    value = params.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidKeyMaterialError(f"The keystore's KDF parameter {name!r} is not a number.")
    return value


def _too_costly(what: str) -> InvalidKeyMaterialError:
    return InvalidKeyMaterialError(
        f"The keystore asks for more key-derivation work than any wallet uses ({what}); "
        "govdesk refuses to open it."
    )


def decrypt_keystore(keystore: dict[str, Any], password: str) -> bytes:
    """The private key in ``keystore``; ``WrongPasswordError`` if the MAC does not match."""
    check_kdf_cost(keystore)  # before any work: a hostile file must not hang us
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
        keystore = jsonsafe.loads(text, source="the keystore file", max_bytes=64 * 1024)
    except jsonsafe.HostileDataError:
        raise InvalidKeyMaterialError("The keystore file is not valid JSON.") from None
    if not isinstance(keystore, dict) or keystore.get("version") != 3:
        raise InvalidKeyMaterialError("The file is not a version 3 Ethereum keystore.")
    crypto = keystore.get("crypto", keystore.get("Crypto"))
    if not isinstance(crypto, dict) or not {"cipher", "ciphertext", "kdf", "mac"} <= crypto.keys():
        raise InvalidKeyMaterialError("The keystore file has no usable 'crypto' section.")
    check_kdf_cost(keystore)
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
        envelope = jsonsafe.loads(sealed, source="the keyring", max_bytes=64 * 1024)
    except jsonsafe.HostileDataError:
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
