"""Open the store even when its file is damaged, without losing what cannot be rebuilt.

Most of the store is a cache of chain and hub data that a sync can fetch again. A few tables hold
things that exist nowhere else — the outbox of signed messages, account metadata, the user's
drafts and manual links, settings. When the file fails SQLite's integrity check, it is moved
aside (never deleted), a fresh store is created, and every readable row of those tables is copied
across; the cache starts empty and fills on the next sync. Keys are not in the store at all.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from app.store.database import connect

log = logging.getLogger(__name__)

# Tables whose rows exist nowhere else. Everything not listed here is a rebuildable cache.
PRESERVED_TABLES = (
    "settings",
    "accounts",
    "snapshot_outbox",
    "initiatives",
    "initiative_links",
)


@dataclass(frozen=True)
class OpenedStore:
    conn: sqlite3.Connection
    recovered: bool = False
    damaged_copy: Path | None = None  # where the damaged file was moved
    salvaged: dict[str, int] = field(default_factory=dict)  # table -> rows copied


def integrity_problem(path: Path) -> str | None:
    """None if ``path`` is a healthy SQLite file, else what SQLite said about it."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    verdict = "; ".join(str(r[0]) for r in rows)
    return None if verdict == "ok" else verdict


def open_store(path: Path) -> OpenedStore:
    """Open the store at ``path``, recovering from a damaged file if need be."""
    problem = integrity_problem(path) if path.exists() else None
    if problem is None:
        return OpenedStore(connect(path))
    log.warning("store %s is damaged (%s); rebuilding it", path, problem)
    damaged = _move_aside(path)
    conn = connect(path)
    salvaged = {table: _copy_rows(damaged, conn, table) for table in PRESERVED_TABLES}
    return OpenedStore(conn, recovered=True, damaged_copy=damaged, salvaged=salvaged)


def _move_aside(path: Path) -> Path:
    target = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{path}{suffix}")
        if source.exists():
            source.replace(Path(f"{target}{suffix}"))
    return target


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [str(row[1]) for row in conn.execute(f"PRAGMA table_info({table})")]


def _copy_rows(damaged: Path, conn: sqlite3.Connection, table: str) -> int:
    """Copy every readable row of ``table``; stop at the first unreadable page."""
    wanted = _columns(conn, table)
    if not wanted:
        return 0
    copied = 0
    try:
        old = sqlite3.connect(f"file:{damaged}?mode=ro", uri=True)
    except sqlite3.DatabaseError:
        return 0
    try:
        shared = [c for c in wanted if c in set(_columns(old, table))]
        if not shared:
            return 0
        names = ", ".join(shared)
        marks = ", ".join("?" for _ in shared)
        insert = f"INSERT OR IGNORE INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
        for row in old.execute(f"SELECT {names} FROM {table}"):  # noqa: S608
            conn.execute(insert, tuple(row))
            copied += 1
    except sqlite3.DatabaseError as exc:
        log.warning("stopped salvaging %s after %d rows: %s", table, copied, exc)
    finally:
        old.close()
    return copied
