"""Open the SQLite store, apply versioned migrations, and run atomic writes.

Migrations are files ``migrations/NNNN_name.sql``, applied in order, each in one transaction, with
``PRAGMA user_version`` recording the last one applied. The store runs in WAL mode with
``synchronous=FULL`` so a process killed mid-write leaves either the old or the new state.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from app.errors import StoreError

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def load_migrations() -> list[Migration]:
    """Every migration shipped with the package, in version order, with no gaps."""
    found: list[Migration] = []
    for entry in resources.files("app.store").joinpath("migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    for expected, migration in enumerate(found, start=1):
        if migration.version != expected:
            raise StoreError(
                f"Migration {migration.name} is out of sequence (expected {expected})."
            )
    return found


def schema_version(conn: sqlite3.Connection) -> int:
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    return version


def migrate(conn: sqlite3.Connection, migrations: list[Migration] | None = None) -> int:
    """Bring the schema up to the newest version, one migration per transaction."""
    migrations = load_migrations() if migrations is None else migrations
    current = schema_version(conn)
    newest = migrations[-1].version if migrations else 0
    if current > newest:
        raise StoreError(
            f"This store was written by a newer govdesk (schema {current}; this one knows"
            f" {newest}). Update govdesk to open it."
        )
    for migration in migrations:
        if migration.version <= current:
            continue
        # executescript() commits first; BEGIN..COMMIT inside makes the step all-or-nothing.
        script = f"{migration.sql}\nPRAGMA user_version = {migration.version};"
        conn.executescript(f"BEGIN IMMEDIATE;\n{script}\nCOMMIT;")
    return schema_version(conn)


def connect(path: Path | str) -> sqlite3.Connection:
    """Open (creating if needed) and migrate the store at ``path``; ``":memory:"`` for tests."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=5000")
        migrate(conn)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"The local store at {path} cannot be opened.", detail=str(exc)) from exc
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """An immediate write transaction: committed on success, rolled back on any error."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
