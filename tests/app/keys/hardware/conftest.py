"""Hardware-wallet test fixtures: a store with the hardware migration, recorded backends."""

from __future__ import annotations

import sqlite3
from importlib import resources

from app.keys.accounts import AccountManager
from app.keys.memory_vault import MemoryVault
from app.keys.metadata import AccountsRepo
from app.store.database import Migration, migrate
from tests.app.keys.conftest import FAST_KDF


def hardware_store() -> sqlite3.Connection:
    """Schemas 1, 2 and the hardware-accounts migration (whatever number it ends up with)."""
    folder = resources.files("app.store").joinpath("migrations")
    names = ["0001_initial.sql", "0002_accounts.sql"]
    names += [e.name for e in folder.iterdir() if e.name.endswith("_hardware_accounts.sql")]
    wanted = [
        Migration(n + 1, name, folder.joinpath(name).read_text("utf-8"))
        for n, name in enumerate(names)
    ]
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA foreign_keys=ON")
    migrate(conn, wanted)
    return conn


def hardware_manager() -> tuple[AccountManager, MemoryVault]:
    vault = MemoryVault()
    return AccountManager(vault, AccountsRepo(hardware_store()), kdf=FAST_KDF), vault
