"""Open the store even when its file is damaged, without losing what cannot be rebuilt.

Most of the store is a cache of chain and hub data that a sync can fetch again. A few tables hold
things that exist nowhere else — the outbox of signed messages, account metadata, the user's
drafts and manual links, settings. When the file fails SQLite's integrity check, or a preserved
table cannot be read through, it is moved aside (never deleted), a fresh store is created, and:

1. every row SQLite can still read from those tables is copied across;
2. when SQLite refuses the file (header overwritten, file cut short), the raw pages of the file
   and its WAL are scanned for account and outbox records (``app.store.salvage``);
3. the outbox journal beside the store (``app.store.journal``) puts back every signed envelope
   the file lost, with its last known outcome — on every open, not only after damage.

The cache starts empty and fills on the next sync. Keys are not in the store at all.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.store import salvage
from app.store.database import connect
from app.store.journal import EnvelopeJournal, journal_path

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
    from_journal: int = 0  # outbox rows put back from the journal


def _lenient_text(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def integrity_problem(path: Path) -> str | None:
    """None if ``path`` is a healthy SQLite file, else what SQLite said about it."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        conn.text_factory = _lenient_text  # the verdict may quote damaged bytes
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    except UnicodeDecodeError:  # SQLite's own message quoted damaged bytes
        return "the file is damaged (SQLite's report is unreadable)"
    verdict = "; ".join(str(r[0]) for r in rows)
    return None if verdict == "ok" else verdict


def open_store(path: Path) -> OpenedStore:
    """Open the store at ``path``, recovering from a damaged file if need be."""
    problem = _problem(path) if path.exists() else None
    if problem is None:
        conn = connect(path)
        try:
            return OpenedStore(conn, from_journal=replay_journal(conn, path))
        except sqlite3.DatabaseError as exc:  # damage the quick check missed, met while repairing
            conn.close()
            problem = _lenient_text(str(exc).encode("utf-8", "replace"))
    log.warning("store %s is damaged (%s); rebuilding it", path, problem)
    damaged = _move_aside(path)
    conn = connect(path)
    salvaged = {table: _copy_rows(damaged, conn, table) for table in PRESERVED_TABLES}
    salvaged["accounts"] += _insert_raw_accounts(conn, damaged)
    salvaged["snapshot_outbox"] += _insert_raw_outbox(conn, damaged)
    restored = replay_journal(conn, path, trust_journal_status=True)
    return OpenedStore(
        conn, recovered=True, damaged_copy=damaged, salvaged=salvaged, from_journal=restored
    )


def _problem(path: Path) -> str | None:
    """SQLite's verdict, plus a full read of each preserved table (quick_check misses some)."""
    problem = integrity_problem(path)
    if problem is not None:
        return problem
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        conn.text_factory = bytes  # bad UTF-8 in one row is that row's problem, not the file's
        try:
            for table in PRESERVED_TABLES:
                if _columns(conn, table):
                    conn.execute(f"SELECT * FROM {table}").fetchall()  # noqa: S608
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    except UnicodeDecodeError:
        return "a preserved table is damaged (unreadable text)"
    return None


_OUTBOX_COLUMNS = (
    "id",
    "hub_url",
    "kind",
    "address",
    "envelope",
    "status",
    "attempts",
    "last_error",
    "receipt",
    "created_at",
    "updated_at",
)
_OUTBOX_COLUMNS_SINCE_10 = ("sequencer_url", "next_attempt_at")  # rows written from schema 10 on


def replay_journal(
    conn: sqlite3.Connection, path: Path, *, trust_journal_status: bool = False
) -> int:
    """Put back outbox rows the journal has and the store lacks; the count put back.

    After a rebuild the journal's outcome also wins over a salvaged row's (``pending`` read from
    an old page must not hide an ``accepted`` the journal recorded later).
    """
    state = EnvelopeJournal(journal_path(path)).read()
    if state.damaged_lines:
        log.warning("the outbox journal has %d damaged lines (skipped)", state.damaged_lines)
    restored = 0
    for message_id, row in state.rows.items():
        if not _journal_row_ok(row):
            continue
        # The sequencer a message is for (journal lines from before schema 10: its hub URL).
        row = {**row, "sequencer_url": row.get("sequencer_url") or row.get("hub_url")}
        columns = (*_OUTBOX_COLUMNS, "sequencer_url")
        values = tuple(row.get(c) for c in columns)
        names, marks = ", ".join(columns), ", ".join("?" for _ in columns)
        cursor = conn.execute(
            f"INSERT OR IGNORE INTO snapshot_outbox ({names}) VALUES ({marks})",  # noqa: S608
            values,
        )
        restored += cursor.rowcount
        if trust_journal_status and row.get("status") != "pending":
            conn.execute(
                "UPDATE snapshot_outbox SET status = ?, last_error = ?, receipt = ?"
                " WHERE id = ? AND status = 'pending'",
                (row.get("status"), row.get("last_error"), row.get("receipt"), message_id),
            )
    restored += _repair_envelopes(conn, state.rows)
    if restored:
        log.warning("put back %d signed envelopes from the outbox journal", restored)
    return restored


# Columns that never change once a message is signed: the journal's copy is the truth.
_FIXED = ("envelope", "kind", "address", "hub_url", "sequencer_url")
_OUTCOME = ("status", "last_error", "receipt")  # repaired only when they cannot be read
_RECEIPT_KEYS = frozenset({"id", "ipfs", "relayer_address", "relayer_receipt", "duplicate"})


def _repair_envelopes(conn: sqlite3.Connection, rows: dict[str, dict[str, Any]]) -> int:
    """Rewrite each stored row's damaged columns from the journal's copy; the count repaired.

    A bit flip SQLite does not notice can land in any column: the envelope (which then has
    another digest, so a different message would be sent), the sequencer URL, the status or the
    receipt (the row could not be read and its vote would wait, unsent). A row whose id is
    damaged duplicates one the journal already put back, and is dropped (found by the fault run).
    """
    by_envelope = {r["envelope"]: i for i, r in rows.items() if isinstance(r.get("envelope"), str)}
    repaired = _unmask(conn, rows)
    names = ", ".join(f"CAST({c} AS BLOB)" for c in ("id", *_FIXED, *_OUTCOME))
    stored = conn.execute(f"SELECT rowid, {names} FROM snapshot_outbox")  # noqa: S608
    for rowid, *raw in stored.fetchall():
        text = [None if v is None else bytes(v).decode("utf-8", "replace") for v in raw]
        message_id, values = text[0] or "", dict(zip((*_FIXED, *_OUTCOME), text[1:], strict=True))
        good = rows.get(message_id)
        if good is None:
            known = by_envelope.get(values["envelope"] or "", message_id)
            if known != message_id:  # the id is damaged, the envelope is the journal's
                twin = conn.execute(
                    "SELECT rowid FROM snapshot_outbox WHERE id = ? AND rowid != ?", (known, rowid)
                ).fetchone()
                if twin is None:  # the only copy: give it back its id
                    conn.execute(
                        "UPDATE snapshot_outbox SET id = ? WHERE rowid = ?", (known, rowid)
                    )
                else:
                    conn.execute("DELETE FROM snapshot_outbox WHERE rowid = ?", (rowid,))
                _release(conn, rowid)
                repaired += 1
            continue
        fixes = _fixes(good, values, [v is not None and "\ufffd" in v for v in text[1:]])
        if fixes:
            sets = ", ".join(f"{c} = ?" for c in fixes)
            conn.execute(
                f"UPDATE snapshot_outbox SET {sets} WHERE rowid = ?",  # noqa: S608
                (*fixes.values(), rowid),
            )
            _release(conn, rowid)
            repaired += 1
    return repaired


def _unmask(conn: sqlite3.Connection, rows: dict[str, dict[str, Any]]) -> int:
    """Rows the id index finds for a journal id but whose stored id is damaged: rewrite them.

    Such a row hides the journal's copy (the index still holds the id, so INSERT OR IGNORE
    skips it) while it cannot be read itself: the message would never be sent.
    """
    repaired = 0
    for message_id, good in rows.items():
        indexed = conn.execute(
            "SELECT rowid FROM snapshot_outbox WHERE id = ?", (message_id,)
        ).fetchone()
        if indexed is None or not _journal_row_ok(good):
            continue
        # The id as the table holds it (the index alone would answer a query by id).
        found = conn.execute(
            "SELECT rowid, CAST(id AS BLOB) FROM snapshot_outbox WHERE rowid = ?", (indexed[0],)
        ).fetchone()
        if found is None or bytes(found[1] or b"") == message_id.encode():
            continue
        want = {**good, "sequencer_url": good.get("sequencer_url") or good.get("hub_url")}
        columns = ("id", *_FIXED, *_OUTCOME)
        sets = ", ".join(f"{c} = ?" for c in columns)
        conn.execute(
            f"UPDATE snapshot_outbox SET {sets} WHERE rowid = ?",  # noqa: S608
            (*(want.get(c) for c in columns), found[0]),
        )
        _release(conn, found[0])
        repaired += 1
    return repaired


def _fixes(
    good: dict[str, Any], stored: dict[str, str | None], garbled: list[bool]
) -> dict[str, Any]:
    want = {**good, "sequencer_url": good.get("sequencer_url") or good.get("hub_url")}
    bad = dict(zip((*_FIXED, *_OUTCOME), garbled, strict=True))
    fixes = {c: want[c] for c in _FIXED if isinstance(want.get(c), str) and stored[c] != want[c]}
    unreadable = (
        bad["status"]
        or stored["status"] not in ("pending", "accepted", "rejected")
        or bad["last_error"]
        or not _receipt_ok(stored["receipt"])
    )
    if unreadable and want.get("status") in ("pending", "accepted", "rejected"):
        fixes |= {c: want.get(c) for c in _OUTCOME}
    return fixes


def _receipt_ok(text: str | None) -> bool:
    if text is None:
        return True
    try:
        value = json.loads(text)
    except ValueError:
        return False
    return isinstance(value, dict) and set(value) <= _RECEIPT_KEYS


def _release(conn: sqlite3.Connection, rowid: int) -> None:
    conn.execute(
        "DELETE FROM store_quarantine WHERE table_name = 'snapshot_outbox' AND row_key = ?",
        (str(rowid),),
    )


def _journal_row_ok(row: dict[str, object]) -> bool:
    return (
        all(isinstance(row.get(c), str) for c in ("id", "hub_url", "kind", "address", "envelope"))
        and row.get("status") in ("pending", "accepted", "rejected")
        and all(isinstance(row.get(c), int) for c in ("created_at", "updated_at"))
    )


def _insert_raw_accounts(conn: sqlite3.Connection, damaged: Path) -> int:
    """Accounts found in the damaged file's raw pages that SQLite could not copy."""
    added = 0
    for values in _raw_rows(damaged, salvage.looks_like_account):
        if conn.execute("SELECT 1 FROM accounts WHERE address = ?", (values[0],)).fetchone():
            continue
        taken = conn.execute("SELECT 1 FROM accounts WHERE position = ?", (values[3],))
        if taken.fetchone():
            top = conn.execute("SELECT COALESCE(MAX(position), -1) + 1 FROM accounts").fetchone()
            values = (*values[:3], int(top[0]), *values[4:])
        conn.execute("INSERT INTO accounts VALUES (?, ?, ?, ?, ?, ?, ?)", values)
        added += 1
    return added


def _insert_raw_outbox(conn: sqlite3.Connection, damaged: Path) -> int:
    """Outbox rows found in the raw pages; of several copies, the most recently updated."""
    newest: dict[str, tuple[salvage.Value, ...]] = {}
    for values in _raw_rows(damaged, salvage.looks_like_outbox):
        key = str(values[0])
        if key not in newest or int(values[10] or 0) > int(newest[key][10] or 0):
            newest[key] = values
    added = 0
    for values in newest.values():
        columns = _OUTBOX_COLUMNS + _OUTBOX_COLUMNS_SINCE_10[: len(values) - len(_OUTBOX_COLUMNS)]
        names, marks = ", ".join(columns), ", ".join("?" for _ in columns)
        cursor = conn.execute(
            f"INSERT OR IGNORE INTO snapshot_outbox ({names}) VALUES ({marks})",  # noqa: S608
            values,
        )
        added += cursor.rowcount
    return added


def _raw_rows(damaged: Path, wanted: Callable[[tuple[salvage.Value, ...]], bool]) -> list[Any]:
    try:
        return [v for v in salvage.scan_records(damaged) if wanted(v)]
    except OSError as exc:
        log.warning("cannot scan %s: %s", damaged, exc)
        return []


def _move_aside(path: Path) -> Path:
    target = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{path}{suffix}")
        if source.exists():
            source.replace(Path(f"{target}{suffix}"))
    return target


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [str(row[1]) for row in conn.execute(f"PRAGMA table_info({table})")]


def _as_text(value: object) -> object:
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return value
    return value


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
    old.text_factory = _lenient_text  # a damaged schema may hold bad UTF-8 in names
    try:
        shared = [c for c in wanted if c in set(_columns(old, table))]
        if not shared:
            return 0
        names = ", ".join(shared)
        marks = ", ".join("?" for _ in shared)
        insert = f"INSERT OR IGNORE INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
        old.text_factory = bytes  # a row with bad UTF-8 is copied as is, and quarantined on read
        for row in old.execute(f"SELECT {names} FROM {table}"):  # noqa: S608
            conn.execute(insert, tuple(_as_text(v) for v in row))
            copied += 1
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
        log.warning("stopped salvaging %s after %d rows: %s", table, copied, exc)
    finally:
        old.close()
    return copied
