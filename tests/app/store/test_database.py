"""Store migrations: applied in order, once, atomically; a newer schema is refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.errors import StoreError
from app.store.database import Migration, connect, load_migrations, migrate, schema_version


def test_connect_applies_every_shipped_migration(tmp_path: Path) -> None:
    conn = connect(tmp_path / "store.db")
    assert schema_version(conn) == load_migrations()[-1].version
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_reopening_does_not_reapply_migrations(tmp_path: Path) -> None:
    connect(tmp_path / "store.db").execute("INSERT INTO settings VALUES ('k', 'v')")
    conn = connect(tmp_path / "store.db")
    assert conn.execute("SELECT value FROM settings WHERE key = 'k'").fetchone()[0] == "v"


def test_a_failing_migration_leaves_the_previous_version_intact() -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    good = Migration(1, "0001_a.sql", "CREATE TABLE a (x);")
    bad = Migration(2, "0002_b.sql", "CREATE TABLE b (y); INSERT INTO nowhere VALUES (1);")
    migrate(conn, [good])
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn, [good, bad])
    conn.execute("ROLLBACK") if conn.in_transaction else None
    assert schema_version(conn) == 1
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"a"}


def test_a_store_from_a_newer_govdesk_is_refused() -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("PRAGMA user_version = 99")
    with pytest.raises(StoreError, match="newer govdesk"):
        migrate(conn)


def test_a_file_that_is_not_sqlite_gives_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="cannot be opened"):
        connect(path)
