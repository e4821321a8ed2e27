"""Custody on the real Secret Service: create, import, unlock and sign, then prove that no
plaintext key, phrase or password is in the data directory, the keyring's values or the logs."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest
from eth_account import Account
from eth_account.messages import encode_typed_data

from app.keys.accounts import AccountManager
from app.keys.errors import KeyringUnavailableError, WrongPasswordError
from app.keys.keyring_vault import KeyringVault
from app.keys.keystore import KdfParams
from app.keys.metadata import AccountsRepo
from app.keys.mnemonic import derive_private_key, seed_from_mnemonic
from app.keys.unlock import UnlockSession
from app.keys.vault_signers import VaultSigner
from app.store.database import connect
from tests.app.keys.conftest import (
    FAST_KDF,
    HARDHAT_ADDRESS_0,
    HARDHAT_KEY_0,
    HARDHAT_MNEMONIC,
    RecordingSleep,
)
from tests.app.keys.test_vault_signers import TX, ballot
from tests.integration.keys.conftest import SecretService

pytestmark = pytest.mark.integration
PASSWORD = "integration password"
ABANDON_ABOUT = "abandon " * 11 + "about"


def _all_bytes(folder: Path) -> bytes:
    return b"\n".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


def _forbidden(private_keys: list[bytes]) -> list[bytes]:
    words = [HARDHAT_MNEMONIC, ABANDON_ABOUT, "test test test", "abandon abandon"]
    return [
        *(k.hex().encode() for k in private_keys),
        *(k.hex().upper().encode() for k in private_keys),
        *private_keys,  # raw bytes too
        *(w.encode() for w in words),
        PASSWORD.encode(),
    ]


async def test_custody_leaves_no_plaintext_secret_anywhere(
    secret_service: SecretService, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    data_dir = tmp_path / "data"
    conn = connect(data_dir / "govdesk.sqlite3")
    vault = KeyringVault(secret_service.backend)
    manager = AccountManager(vault, AccountsRepo(conn), kdf=FAST_KDF)

    created = await manager.create(PASSWORD, label="fresh")
    imported = await manager.import_private_key(HARDHAT_KEY_0, PASSWORD)
    hardhat_1 = await manager.import_mnemonic(HARDHAT_MNEMONIC, PASSWORD, index=1)
    abandon_0 = await manager.import_mnemonic(ABANDON_ABOUT, PASSWORD, index=0)
    assert imported.address == HARDHAT_ADDRESS_0
    assert hardhat_1.address == "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
    assert abandon_0.address == "0x9858EfFD232B4033E47d90003D41EC34EcaEda94"

    session = UnlockSession(vault)
    for info in (created, imported, hardhat_1, abandon_0):
        await session.unlock(info.address, PASSWORD)
        signer = VaultSigner(session, info.address, chain_id=31337)
        signature = await signer.sign_typed_data(ballot())
        signable = encode_typed_data(full_message=ballot())
        assert Account.recover_message(signable, signature=signature) == info.address
        assert Account.recover_transaction(await signer.sign_transaction(TX)) == info.address
    keys = [
        bytes(session.use(info.address).key) for info in (created, imported, hardhat_1, abandon_0)
    ]
    conn.close()

    stored = [
        secret_service.backend.get_password("govdesk", a.address) or ""
        for a in (created, imported, hardhat_1, abandon_0)
    ]
    assert all('"format":"govdesk-keystore"' in value for value in stored)
    haystacks = {
        "data dir": _all_bytes(data_dir),
        "keyring values": "\n".join(stored).encode(),
        "keyring files": _all_bytes(secret_service.home),
        "logs": caplog.text.encode(),
    }
    for where, haystack in haystacks.items():
        for secret in _forbidden(keys):
            assert secret not in haystack, f"secret found in {where}"
    assert created.address.encode() in haystacks["data dir"]  # the scan did see real content


async def test_wrong_password_on_the_real_keyring(
    secret_service: SecretService, tmp_path: Path
) -> None:
    conn = connect(tmp_path / "govdesk.sqlite3")
    vault = KeyringVault(secret_service.backend)
    manager = AccountManager(vault, AccountsRepo(conn), kdf=FAST_KDF)
    info = await manager.import_private_key(HARDHAT_KEY_0, PASSWORD)
    sleep = RecordingSleep()
    session = UnlockSession(vault, sleep=sleep)
    for _ in range(3):
        with pytest.raises(WrongPasswordError):
            await session.unlock(info.address, "not the password")
    assert sleep.delays == [1.0, 2.0]
    await session.unlock(info.address, PASSWORD)
    conn.close()


async def test_default_kdf_timings_on_the_real_keyring(
    secret_service: SecretService, tmp_path: Path
) -> None:
    # Production strength (n = 2**18): checks it works end to end; prints timings for the record.
    conn = connect(tmp_path / "govdesk.sqlite3")
    vault = KeyringVault(secret_service.backend)
    manager = AccountManager(vault, AccountsRepo(conn), kdf=KdfParams())
    started = time.perf_counter()
    info = await manager.import_private_key(HARDHAT_KEY_0, PASSWORD)
    sealed_at = time.perf_counter()
    session = UnlockSession(vault)
    await session.unlock(info.address, PASSWORD)
    opened_at = time.perf_counter()
    assert '"n":262144' in (secret_service.backend.get_password("govdesk", info.address) or "")
    print(f"seal+store {sealed_at - started:.2f}s, load+unlock {opened_at - sealed_at:.2f}s")
    conn.close()


async def test_keyring_that_goes_away_gives_keyring_unavailable(
    secret_service: SecretService, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path / 'no-bus'}")
    vault = KeyringVault()  # let keyring choose: with no bus there is no usable backend
    with pytest.raises(KeyringUnavailableError) as info:
        await vault.put(HARDHAT_ADDRESS_0, "sealed")
    assert "never stores keys in plaintext" in info.value.user_message


def test_seed_helper_matches_the_dev_key() -> None:
    seed = seed_from_mnemonic(HARDHAT_MNEMONIC)
    assert derive_private_key(seed, "m/44'/60'/0'/0/0").hex() == HARDHAT_KEY_0[2:]
