"""BIP-39 mnemonics and BIP-32/44 derivation paths (via eth-account's HD wallet code).

A path template has one ``{i}`` placeholder for the account index; the default is the common
Ethereum path ``m/44'/60'/0'/0/{i}`` (MetaMask, Ledger Live "legacy" uses ``m/44'/60'/0'/{i}``,
Ledger Live uses ``m/44'/60'/{i}'/0/0``). Errors never echo the words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from eth_account import Account
from eth_account.hdaccount import key_from_seed
from eth_account.hdaccount.mnemonic import Mnemonic

from app.keys.errors import InvalidKeyMaterialError

DEFAULT_PATH_TEMPLATE = "m/44'/60'/0'/0/{i}"
PATH_PRESETS: dict[str, str] = {
    "bip44": DEFAULT_PATH_TEMPLATE,
    "ledger-live": "m/44'/60'/{i}'/0/0",
    "ledger-legacy": "m/44'/60'/0'/{i}",
}
_PATH = re.compile(r"^m(/\d+'?)+$")
MAX_LISTED = 100
MAX_INDEX = 2**31 - 1  # BIP-32: an index at or above 2**31 is the hardened form of a smaller one


@dataclass(frozen=True)
class DerivedAddress:
    """An address a mnemonic yields at one path (no key attached)."""

    index: int
    path: str
    address: str


def normalize_mnemonic(words: str) -> str:
    """Lower-case, single-spaced words; ``InvalidKeyMaterialError`` if not a valid BIP-39 phrase."""
    phrase = " ".join(words.lower().split())
    try:
        language = Mnemonic.detect_language(phrase)
        mnemo = Mnemonic(language)
        phrase = mnemo.expand(phrase)
        valid = mnemo.is_mnemonic_valid(phrase)
    except Exception:  # noqa: BLE001 - eth-account's messages quote the words; never show them
        valid = False
    if not valid:
        raise InvalidKeyMaterialError(
            "That is not a valid BIP-39 recovery phrase (check the words and their order)."
        )
    return phrase


def resolve_path(template: str, index: int) -> str:
    """The concrete path for ``index``; a template without ``{i}`` is a single fixed path."""
    check_index(index)
    name = PATH_PRESETS.get(template, template)
    path = name.replace("{i}", str(index))
    if not _PATH.match(path):
        raise InvalidKeyMaterialError(
            f"{template!r} is not a derivation path like m/44'/60'/0'/0/0."
        )
    if any(int(part.rstrip("'")) > MAX_INDEX for part in path.split("/")[1:]):
        raise InvalidKeyMaterialError(
            f"{template!r} has a level above {MAX_INDEX:,}, the largest BIP-32 index."
        )
    return path


def check_index(index: int) -> None:
    """Refuse an account index BIP-32 cannot derive, naming the range (issue #22 finding 8)."""
    if not 0 <= index <= MAX_INDEX:
        shown = str(index) if len(str(index)) <= 24 else f"a {len(str(index))}-digit number"
        raise InvalidKeyMaterialError(
            f"The account index must be a whole number from 0 to {MAX_INDEX:,}; {shown} is not."
        )


def seed_from_mnemonic(words: str, passphrase: str = "") -> bytes:
    """The 64-byte BIP-39 seed (blocking: 2048 PBKDF2 rounds)."""
    return Mnemonic.to_seed(normalize_mnemonic(words), passphrase)


def derive_private_key(seed: bytes, path: str) -> bytes:
    return bytes(key_from_seed(seed, path))


def list_addresses(
    words: str, *, template: str = DEFAULT_PATH_TEMPLATE, count: int = 5, passphrase: str = ""
) -> list[DerivedAddress]:
    """The first ``count`` addresses along ``template``, for a person to pick from."""
    if not 1 <= count <= MAX_LISTED:
        raise InvalidKeyMaterialError(f"Choose between 1 and {MAX_LISTED} addresses to list.")
    seed = seed_from_mnemonic(words, passphrase)
    found: list[DerivedAddress] = []
    for index in range(count):
        path = resolve_path(template, index)
        address = Account.from_key(derive_private_key(seed, path)).address
        found.append(DerivedAddress(index=index, path=path, address=address))
        if "{i}" not in PATH_PRESETS.get(template, template):
            break
    return found
