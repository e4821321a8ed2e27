"""AccountManager: create, import, export, rename, remove and watch accounts.

It joins the three parts of custody: the sealed key goes into the ``KeyVault`` (OS keyring), the
non-secret record into ``AccountsRepo`` (local store), and unlocking into an ``UnlockSession``.
Plaintext keys exist only inside these calls, in worker threads, and are never logged.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import time
from collections.abc import Callable
from typing import Any

from eth_account import Account
from eth_utils.address import is_address, to_checksum_address

from app.keys.errors import AccountExistsError, InvalidKeyMaterialError, WatchOnlyError
from app.keys.keystore import (
    KdfParams,
    decrypt_keystore,
    encrypt_keystore,
    open_sealed_key,
    parse_keystore_json,
    seal_private_key,
)
from app.keys.metadata import (
    AccountInfo,
    AccountKind,
    AccountSource,
    AccountsRepo,
    HardwareRecord,
)
from app.keys.mnemonic import DEFAULT_PATH_TEMPLATE, derive_private_key, resolve_path
from app.keys.mnemonic import seed_from_mnemonic as _seed
from app.keys.vault import KeyVault

log = logging.getLogger(__name__)
MIN_PASSWORD_LENGTH = 8


def _check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidKeyMaterialError(
            f"Choose a password of at least {MIN_PASSWORD_LENGTH} characters."
        )


def _parse_private_key(text: str) -> bytes:
    hex_part = text.strip().removeprefix("0x")
    try:
        key = bytes.fromhex(hex_part)
        Account.from_key(key)
    except ValueError:
        raise InvalidKeyMaterialError(
            "That is not a private key (expected 64 hexadecimal characters)."
        ) from None
    if len(key) != 32:
        raise InvalidKeyMaterialError("A private key is 32 bytes (64 hexadecimal characters).")
    return key


class AccountManager:
    """The account operations a front end offers; async, with slow parts in threads."""

    def __init__(
        self,
        vault: KeyVault,
        repo: AccountsRepo,
        *,
        kdf: KdfParams | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._vault = vault
        self._repo = repo
        self._kdf = kdf or KdfParams()
        self._clock = clock

    def __repr__(self) -> str:
        return f"AccountManager(vault={self._vault!r})"

    @property
    def vault(self) -> KeyVault:
        return self._vault

    @property
    def store_connection(self) -> sqlite3.Connection:
        """The store the account list lives in (the unlock throttle keeps its count there)."""
        return self._repo.connection

    async def list_accounts(self) -> list[AccountInfo]:
        return await asyncio.to_thread(self._repo.list)

    async def get(self, address: str) -> AccountInfo:
        return await asyncio.to_thread(self._repo.get, address)

    async def _store_key(
        self,
        private_key: bytes,
        password: str,
        *,
        label: str | None,
        source: AccountSource,
        derivation_path: str | None = None,
    ) -> AccountInfo:
        _check_new_password(password)
        address = Account.from_key(private_key).address
        if await asyncio.to_thread(self._repo.find, address) is not None:
            raise AccountExistsError(f"The account {address} is already in this data directory.")
        await self._vault.check_available()
        sealed = await asyncio.to_thread(seal_private_key, private_key, password, kdf=self._kdf)
        # Key first, record second: a record never points at a key that was not stored.
        await self._vault.put(address, sealed)
        info = await asyncio.to_thread(
            self._repo.add,
            address,
            label=label or f"Account {address[:8]}",
            kind=AccountKind.LOCAL,
            source=source,
            created_at=int(self._clock()),
            derivation_path=derivation_path,
        )
        log.info("added %s account %s", source.value, address)
        return info

    async def create(self, password: str, *, label: str | None = None) -> AccountInfo:
        """A new random key (from the OS CSPRNG), sealed with ``password``."""
        private_key = bytes(Account.create().key)
        return await self._store_key(
            private_key, password, label=label, source=AccountSource.CREATED
        )

    async def import_private_key(
        self, private_key_hex: str, password: str, *, label: str | None = None
    ) -> AccountInfo:
        key = _parse_private_key(private_key_hex)
        return await self._store_key(key, password, label=label, source=AccountSource.PRIVATE_KEY)

    async def import_mnemonic(
        self,
        words: str,
        password: str,
        *,
        index: int = 0,
        template: str = DEFAULT_PATH_TEMPLATE,
        passphrase: str = "",
        label: str | None = None,
    ) -> AccountInfo:
        """Import the key at ``template`` / ``index``; the phrase itself is not kept."""
        path = resolve_path(template, index)
        seed = await asyncio.to_thread(_seed, words, passphrase)
        key = derive_private_key(seed, path)
        return await self._store_key(
            key, password, label=label, source=AccountSource.MNEMONIC, derivation_path=path
        )

    async def import_keystore(
        self, keystore_text: str, keystore_password: str, password: str, *, label: str | None = None
    ) -> AccountInfo:
        """Import a keystore JSON file (MetaMask, geth, MyEtherWallet) and re-seal it."""
        keystore = parse_keystore_json(keystore_text)
        key = await asyncio.to_thread(decrypt_keystore, keystore, keystore_password)
        return await self._store_key(key, password, label=label, source=AccountSource.KEYSTORE)

    async def export_keystore_unsafe(
        self, address: str, password: str, new_password: str
    ) -> dict[str, Any]:
        """DANGEROUS: a keystore another wallet can import, encrypted with ``new_password``.

        Anyone with the file and the new password controls the account.
        """
        _check_new_password(new_password)
        info = await self.get(address)
        if info.kind is AccountKind.WATCH:
            raise WatchOnlyError(f"{info.address} is watch-only: there is no key to export.")
        if info.kind is AccountKind.HARDWARE:
            raise WatchOnlyError(
                f"{info.address} lives on a hardware wallet: its key never leaves the device."
            )
        sealed = await self._vault.get(info.address)
        key = await asyncio.to_thread(open_sealed_key, sealed, password)
        keystore = await asyncio.to_thread(encrypt_keystore, key, new_password, kdf=self._kdf)
        log.warning("exported a keystore for %s", info.address)
        return keystore

    async def watch(self, address: str, *, label: str | None = None) -> AccountInfo:
        """Add an address without a key: its signatures come from an offline device."""
        if not is_address(address):
            raise InvalidKeyMaterialError(f"{address!r} is not an Ethereum address.")
        checksum = to_checksum_address(address)
        return await asyncio.to_thread(
            self._repo.add,
            checksum,
            label=label or f"Watch {checksum[:8]}",
            kind=AccountKind.WATCH,
            source=AccountSource.WATCH,
            created_at=int(self._clock()),
        )

    async def add_hardware(
        self, record: HardwareRecord, *, label: str | None = None
    ) -> AccountInfo:
        """Add an account whose key stays on a Ledger or Trezor: nothing goes to the keyring,
        only the record (address, path, device fingerprint, label) to the store."""
        if not is_address(record.address):
            raise InvalidKeyMaterialError(f"{record.address!r} is not an Ethereum address.")
        name = "Ledger" if record.vendor == "ledger" else "Trezor"
        info = await asyncio.to_thread(
            self._repo.add_hardware,
            record,
            label=label or f"{name} {to_checksum_address(record.address)[:8]}",
            created_at=int(self._clock()),
        )
        log.info("added %s account %s at %s", record.vendor, info.address, record.path)
        return info

    async def hardware(self, address: str) -> HardwareRecord:
        return await asyncio.to_thread(self._repo.hardware, address)

    async def rename(self, address: str, label: str) -> AccountInfo:
        label = label.strip()
        if not label:
            raise InvalidKeyMaterialError("An account label cannot be empty.")
        return await asyncio.to_thread(self._repo.rename, address, label)

    async def remove(self, address: str) -> None:
        """Forget the account here: its sealed key leaves the keyring, its record the store."""
        info = await self.get(address)
        if info.kind is AccountKind.LOCAL and await self._vault.has(info.address):
            await self._vault.delete(info.address)
        await asyncio.to_thread(self._repo.remove, info.address)
        log.info("removed account %s", info.address)


def keystore_to_json(keystore: dict[str, Any]) -> str:
    return json.dumps(keystore, indent=2)
