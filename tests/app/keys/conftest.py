"""Fixtures for the keys tests: an in-memory keyring backend, a migrated store, a fast KDF."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from importlib import resources

import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from app.keys.accounts import AccountManager
from app.keys.keystore import KdfParams
from app.keys.memory_vault import MemoryVault
from app.keys.metadata import AccountsRepo
from app.store.database import Migration, migrate

# Tests only: a cheap scrypt so a suite of seal/open calls runs in seconds.
FAST_KDF = KdfParams(scrypt_n=2**4)
HARDHAT_MNEMONIC = "test test test test test test test test test test test junk"
HARDHAT_KEY_0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
HARDHAT_ADDRESS_0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"


class MemoryKeyring(KeyringBackend):
    """A keyring backend in a dict, so unit tests never touch a real keychain."""

    # Negative: every KeyringBackend subclass joins keyring's automatic selection, and this
    # one must never win it (it is only ever injected).
    priority = -1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.items.pop((service, username), None) is None:
            raise PasswordDeleteError("not found")


def migrated_connection(path: str = ":memory:") -> sqlite3.Connection:
    """A store with schema 1 and 2 only, independent of later migrations."""
    folder = resources.files("app.store").joinpath("migrations")
    wanted = [
        Migration(1, "0001_initial.sql", folder.joinpath("0001_initial.sql").read_text("utf-8")),
        Migration(2, "0002_accounts.sql", folder.joinpath("0002_accounts.sql").read_text("utf-8")),
    ]
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    migrate(conn, wanted)
    return conn


@pytest.fixture
def conn() -> Iterator[sqlite3.Connection]:
    connection = migrated_connection()
    yield connection
    connection.close()


@pytest.fixture
def repo(conn: sqlite3.Connection) -> AccountsRepo:
    return AccountsRepo(conn)


@pytest.fixture
def vault() -> MemoryVault:
    return MemoryVault()


@pytest.fixture
def manager(vault: MemoryVault, repo: AccountsRepo) -> AccountManager:
    return AccountManager(vault, repo, kdf=FAST_KDF, clock=lambda: 1_700_000_000.0)


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class RecordingSleep:
    """An async sleep that records delays instead of waiting."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
