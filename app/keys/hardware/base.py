"""What a Ledger and a Trezor have in common: paths, typed-data hashes, and the device interface.

A ``HardwareDevice`` is one opened device. Its calls block on USB I/O (``HardwareSigner`` runs
them in a worker thread) and raise only ``app.keys.hardware.errors`` errors. Devices never return
key material: addresses, signatures and signed transactions only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol

from eth_account.messages import encode_typed_data
from eth_utils.crypto import keccak

from app.keys.errors import InvalidKeyMaterialError
from app.keys.mnemonic import PATH_PRESETS, resolve_path

HARDENED = 0x8000_0000
_PATH = re.compile(r"^m(/\d+'?)+$")
# Which path templates the address picker offers, in order (Ledger Live's first for a Ledger).
HARDWARE_PRESETS: dict[str, str] = {
    "bip44": PATH_PRESETS["bip44"],
    "ledger-live": PATH_PRESETS["ledger-live"],
    "ledger-legacy": PATH_PRESETS["ledger-legacy"],
}
MAX_PATH_DEPTH = 10  # ethapp.adoc: "Number of BIP 32 derivations to perform (max 10)"
FINGERPRINT_PATH = "m/44'/60'/0'/0/0"


def parse_path(path: str) -> list[int]:
    """``m/44'/60'/0'/0/0`` as BIP-32 indices (hardened ones with the top bit set)."""
    if not _PATH.match(path):
        raise InvalidKeyMaterialError(f"{path!r} is not a derivation path like m/44'/60'/0'/0/0.")
    indices: list[int] = []
    for part in path.split("/")[1:]:
        hardened = part.endswith("'")
        value = int(part.rstrip("'"))
        if value >= HARDENED:
            raise InvalidKeyMaterialError(f"{path!r} has an index that is too large.")
        indices.append(value | HARDENED if hardened else value)
    if len(indices) > MAX_PATH_DEPTH:
        raise InvalidKeyMaterialError(f"{path!r} is deeper than {MAX_PATH_DEPTH} levels.")
    return indices


def hardware_path(template: str, index: int) -> str:
    """The concrete path for ``index`` along a preset name or a template with ``{i}``."""
    return resolve_path(HARDWARE_PRESETS.get(template, template), index)


def fingerprint_of(address: str) -> str:
    """A short, stable name for a device's seed: 8 hex digits of keccak(its first address).

    Both vendors can compute it without showing anything; it tells two devices (or two
    passphrases) apart in the account list, and it is not secret.
    """
    return keccak(text=address.lower()).hex()[:8]


@dataclass(frozen=True)
class TypedDataHashes:
    """The EIP-712 hashes a device shows when it cannot show the message itself."""

    domain_hash: bytes
    message_hash: bytes

    @property
    def digest(self) -> bytes:
        return keccak(b"\x19\x01" + self.domain_hash + self.message_hash)


def typed_data_hashes(typed_data: dict[str, Any]) -> TypedDataHashes:
    """Domain separator and message struct hash of a full EIP-712 document (eth-account's)."""
    signable = encode_typed_data(full_message=typed_data)
    return TypedDataHashes(bytes(signable.header), bytes(signable.body))


def domain_type(typed_data: dict[str, Any]) -> list[dict[str, str]]:
    """The ``EIP712Domain`` fields, given or derived from the domain's keys (canonical order)."""
    given = typed_data.get("types", {}).get("EIP712Domain")
    if given:
        return [dict(f) for f in given]
    canonical = (
        ("name", "string"),
        ("version", "string"),
        ("chainId", "uint256"),
        ("verifyingContract", "address"),
        ("salt", "bytes32"),
    )
    domain = typed_data.get("domain", {})
    return [{"name": n, "type": t} for n, t in canonical if n in domain]


def complete_types(typed_data: dict[str, Any]) -> dict[str, list[dict[str, str]]]:
    """``types`` with ``EIP712Domain`` present, as devices need every struct they hash."""
    types = {k: [dict(f) for f in v] for k, v in typed_data["types"].items()}
    types["EIP712Domain"] = domain_type(typed_data)
    return types


@dataclass(frozen=True)
class DeviceDescription:
    """A device found on USB, before it is opened."""

    vendor: str  # "ledger" | "trezor"
    model: str  # "Nano S Plus", "Safe 3", ...
    path: str  # transport path (to open it again)

    @property
    def title(self) -> str:
        return f"{'Ledger' if self.vendor == 'ledger' else 'Trezor'} {self.model}".strip()


@dataclass(frozen=True)
class DeviceState:
    """What an opened device says about itself before it is asked to sign."""

    model: str
    version: tuple[int, int, int]  # Ledger: the Ethereum app's version; Trezor: the firmware's
    full_eip712: bool  # can show and hash the whole typed data itself
    hash_eip712: bool  # can sign by domain and message hashes
    blind_signing: bool | None  # Ledger's "Blind signing" setting; None where there is none


class HardwareDevice(Protocol):
    """One opened Ledger (Ethereum app) or Trezor."""

    vendor: str

    def state(self) -> DeviceState:
        """Model, version and capabilities (checks the device is unlocked and in the right app)."""
        ...

    def get_address(self, path: str, *, show: bool = False) -> str:
        """The EIP-55 address at ``path``; with ``show`` the device displays it for confirmation."""
        ...

    def sign_typed_data(self, path: str, typed_data: dict[str, Any], *, full: bool) -> bytes:
        """A 65-byte ``r‖s‖v`` (v = 27/28) over the typed data: in full, or by its two hashes."""
        ...

    def sign_transaction(self, path: str, transaction: dict[str, Any]) -> bytes:
        """The raw signed EIP-1559 transaction."""
        ...

    def close(self) -> None: ...
