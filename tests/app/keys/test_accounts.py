"""AccountManager: create, import, export, rename, remove, watch; nothing secret leaks."""

from __future__ import annotations

import json
import logging
import sqlite3

import pytest
from eth_account import Account
from keyring.backends.fail import Keyring as FailKeyring

from app.keys.accounts import AccountManager
from app.keys.errors import (
    AccountExistsError,
    AccountNotFoundError,
    InvalidKeyMaterialError,
    KeyringUnavailableError,
    WatchOnlyError,
    WrongPasswordError,
)
from app.keys.keyring_vault import KeyringVault
from app.keys.keystore import open_sealed_key
from app.keys.memory_vault import MemoryVault
from app.keys.metadata import AccountKind, AccountSource, AccountsRepo
from tests.app.keys.conftest import (
    FAST_KDF,
    HARDHAT_ADDRESS_0,
    HARDHAT_KEY_0,
    HARDHAT_MNEMONIC,
)

PASSWORD = "correct horse battery"


def _dump_store(conn: sqlite3.Connection) -> str:
    return "\n".join(conn.iterdump()).lower()


async def test_create_stores_a_sealed_key_and_a_record(
    manager: AccountManager, vault: MemoryVault, conn: sqlite3.Connection
) -> None:
    info = await manager.create(PASSWORD, label="Main")
    assert info.kind is AccountKind.LOCAL
    assert info.source is AccountSource.CREATED
    assert info.label == "Main"
    key = open_sealed_key(await vault.get(info.address), PASSWORD)
    assert Account.from_key(key).address == info.address
    assert key.hex() not in _dump_store(conn)
    assert [a.address for a in await manager.list_accounts()] == [info.address]


async def test_two_created_accounts_differ_and_keep_order(manager: AccountManager) -> None:
    first = await manager.create(PASSWORD)
    second = await manager.create(PASSWORD)
    assert first.address != second.address
    assert [a.position for a in await manager.list_accounts()] == [0, 1]


async def test_import_private_key_gives_the_known_address(
    manager: AccountManager, vault: MemoryVault, conn: sqlite3.Connection
) -> None:
    info = await manager.import_private_key(HARDHAT_KEY_0, PASSWORD)
    assert info.address == HARDHAT_ADDRESS_0
    assert HARDHAT_KEY_0[2:] not in _dump_store(conn)
    assert HARDHAT_KEY_0[2:] not in (await vault.get(info.address)).lower()


@pytest.mark.parametrize("bad", ["0x1234", "zz" * 32, "00" * 32])
async def test_import_private_key_rejects_bad_keys(manager: AccountManager, bad: str) -> None:
    with pytest.raises(InvalidKeyMaterialError) as info:
        await manager.import_private_key(bad, PASSWORD)
    assert bad not in info.value.user_message


async def test_import_twice_raises_account_exists(manager: AccountManager) -> None:
    await manager.import_private_key(HARDHAT_KEY_0, PASSWORD)
    with pytest.raises(AccountExistsError):
        await manager.import_private_key(HARDHAT_KEY_0, PASSWORD)


async def test_short_password_is_refused(manager: AccountManager) -> None:
    with pytest.raises(InvalidKeyMaterialError, match="at least 8"):
        await manager.create("short")


async def test_import_mnemonic_uses_the_chosen_index_and_forgets_the_words(
    manager: AccountManager, vault: MemoryVault, conn: sqlite3.Connection
) -> None:
    info = await manager.import_mnemonic(HARDHAT_MNEMONIC, PASSWORD, index=1)
    assert info.address == "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
    assert info.derivation_path == "m/44'/60'/0'/0/1"
    assert "junk" not in _dump_store(conn)
    assert "junk" not in await vault.get(info.address)


async def test_import_keystore_reseals_under_the_new_password(
    manager: AccountManager, vault: MemoryVault
) -> None:
    keystore = json.dumps(Account.encrypt(HARDHAT_KEY_0, "old password", iterations=16))
    with pytest.raises(WrongPasswordError):
        await manager.import_keystore(keystore, "not it", PASSWORD)
    info = await manager.import_keystore(keystore, "old password", PASSWORD)
    assert info.address == HARDHAT_ADDRESS_0
    assert info.source is AccountSource.KEYSTORE
    assert open_sealed_key(await vault.get(info.address), PASSWORD).hex() == HARDHAT_KEY_0[2:]


async def test_export_keystore_unsafe_reencrypts_with_the_new_password(
    manager: AccountManager,
) -> None:
    info = await manager.import_private_key(HARDHAT_KEY_0, PASSWORD)
    with pytest.raises(WrongPasswordError):
        await manager.export_keystore_unsafe(info.address, "wrong password", "new password 1")
    exported = await manager.export_keystore_unsafe(info.address, PASSWORD, "new password 1")
    assert exported["version"] == 3
    assert bytes(Account.decrypt(exported, "new password 1")).hex() == HARDHAT_KEY_0[2:]
    with pytest.raises(ValueError, match="MAC mismatch"):
        Account.decrypt(exported, PASSWORD)


async def test_watch_only_account_has_no_key(manager: AccountManager, vault: MemoryVault) -> None:
    info = await manager.watch(HARDHAT_ADDRESS_0.lower(), label="Cold")
    assert info.kind is AccountKind.WATCH
    assert info.address == HARDHAT_ADDRESS_0
    assert not await vault.has(info.address)
    with pytest.raises(WatchOnlyError):
        await manager.export_keystore_unsafe(info.address, PASSWORD, "new password 1")
    with pytest.raises(InvalidKeyMaterialError, match="not an Ethereum address"):
        await manager.watch("0x1234")


async def test_rename_and_remove(manager: AccountManager, vault: MemoryVault) -> None:
    info = await manager.import_private_key(HARDHAT_KEY_0, PASSWORD)
    renamed = await manager.rename(info.address, "  Treasury  ")
    assert renamed.label == "Treasury"
    with pytest.raises(InvalidKeyMaterialError):
        await manager.rename(info.address, "   ")
    await manager.remove(info.address)
    assert await manager.list_accounts() == []
    assert not await vault.has(info.address)
    with pytest.raises(AccountNotFoundError):
        await manager.remove(info.address)


async def test_unavailable_keyring_stores_nothing_anywhere(
    repo: AccountsRepo, conn: sqlite3.Connection
) -> None:
    manager = AccountManager(KeyringVault(FailKeyring()), repo, kdf=FAST_KDF)
    with pytest.raises(KeyringUnavailableError):
        await manager.import_private_key(HARDHAT_KEY_0, PASSWORD)
    assert await manager.list_accounts() == []
    assert "ciphertext" not in _dump_store(conn)
    assert "insert into" not in _dump_store(conn).split("create table accounts")[-1]


async def test_logs_never_carry_secrets(
    manager: AccountManager, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    info = await manager.import_private_key(HARDHAT_KEY_0, PASSWORD)
    await manager.export_keystore_unsafe(info.address, PASSWORD, "new password 1")
    await manager.import_mnemonic(HARDHAT_MNEMONIC, PASSWORD, index=2)
    text = caplog.text.lower()
    assert info.address.lower() in text  # it did log, just nothing secret
    for secret in (HARDHAT_KEY_0[2:], PASSWORD, "junk", "new password 1"):
        assert secret not in text
