"""Stores written by every earlier schema version open in this one, with their rows intact.

The fixtures were written by ``scripts/make_store_fixtures.py`` when each version was current;
editing an old migration file would break these tests, as it would break users' stores.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.store.database import connect, load_migrations, schema_version
from app.store.recovery import integrity_problem

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "store"
VERSIONS = sorted(int(p.stem.split("_")[1]) for p in FIXTURES.glob("schema_*.db"))


def test_there_is_a_fixture_for_every_schema_version() -> None:
    assert [m.version for m in load_migrations()] == VERSIONS


@pytest.mark.parametrize("version", VERSIONS)
def test_store_from_version_upgrades_with_rows_intact(version: int, tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    shutil.copy(FIXTURES / f"schema_{version}.db", path)
    conn = connect(path)
    assert schema_version(conn) == load_migrations()[-1].version
    assert integrity_problem(path) is None
    assert conn.execute("SELECT value FROM settings WHERE key = 'fixture'").fetchone()[0] == "kept"
    accounts = conn.execute("SELECT count(*) FROM accounts").fetchone()[0]
    outbox = conn.execute("SELECT count(*) FROM snapshot_outbox").fetchone()[0]
    drafts = conn.execute("SELECT count(*) FROM initiatives").fetchone()[0]
    assert (accounts, outbox, drafts) == (int(version >= 2), int(version >= 3), int(version >= 4))
