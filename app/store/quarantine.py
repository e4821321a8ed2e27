"""Rows that cannot be read are set aside and shown, never allowed to block the rest (#22).

``read_rows`` reads a table the fast way; when SQLite fails on some row (bad UTF-8, a malformed
page) it reads row by row instead. Each row the caller's ``parse`` refuses, or SQLite cannot
return, is recorded in ``store_quarantine`` and skipped, and the others come back as usual.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")
# What a damaged row can make a parser raise; anything else is a bug and propagates.
ROW_ERRORS = (
    ValueError,
    TypeError,
    KeyError,
    AttributeError,
    IndexError,
    OverflowError,
    RecursionError,
)


@dataclass(frozen=True)
class QuarantinedRow:
    table: str
    key: str
    problem: str


def read_rows(
    conn: sqlite3.Connection,
    table: str,
    parse: Callable[[sqlite3.Row], T],
    *,
    where: str = "",
    params: tuple[object, ...] = (),
    order: str = "rowid",
) -> list[T]:
    """Every readable, parseable row of ``table``; the others are quarantined."""
    query = f"SELECT rowid AS _rowid, * FROM {table} {where} ORDER BY {order}"  # noqa: S608
    try:
        rows = conn.execute(query, params).fetchall()
    except sqlite3.DatabaseError as exc:
        log.warning("reading %s row by row: %s", table, exc)
        rows = _row_by_row(conn, table, where, params, order)
    parsed = []
    for row in rows:
        try:
            parsed.append(parse(row))
        except ROW_ERRORS as exc:
            quarantine(conn, table, str(row["_rowid"]), f"{type(exc).__name__}: {exc}")
    return parsed


def _row_by_row(
    conn: sqlite3.Connection, table: str, where: str, params: tuple[object, ...], order: str
) -> list[sqlite3.Row]:
    ids_query = f"SELECT rowid FROM {table} {where} ORDER BY {order}"  # noqa: S608
    try:
        rowids = [r[0] for r in conn.execute(ids_query, params).fetchall()]
    except sqlite3.DatabaseError as exc:
        quarantine(conn, table, "*", f"the table cannot be listed: {exc}")
        return []
    rows = []
    one = f"SELECT rowid AS _rowid, * FROM {table} WHERE rowid = ?"  # noqa: S608
    for rowid in rowids:
        try:
            rows.append(conn.execute(one, (rowid,)).fetchone())
        except sqlite3.DatabaseError as exc:
            quarantine(conn, table, str(rowid), str(exc))
    return [r for r in rows if r is not None]


def quarantine(conn: sqlite3.Connection, table: str, key: str, problem: str) -> None:
    """Record that a row of ``table`` could not be read (once per row)."""
    log.warning("quarantined %s row %s: %s", table, key, problem)
    try:
        conn.execute(
            "INSERT OR IGNORE INTO store_quarantine (table_name, row_key, problem, found_at)"
            " VALUES (?, ?, ?, ?)",
            (table, key, problem[:500], int(time.time())),
        )
    except sqlite3.DatabaseError as exc:  # a read-only or badly damaged file: still show it
        log.warning("could not record the quarantine: %s", exc)


def quarantined(conn: sqlite3.Connection, table: str | None = None) -> list[QuarantinedRow]:
    """What was set aside (from ``table``, or from every table)."""
    query = "SELECT table_name, row_key, problem FROM store_quarantine"
    rows = conn.execute(
        query + (" WHERE table_name = ?" if table else "") + " ORDER BY found_at",
        (table,) if table else (),
    ).fetchall()
    return [QuarantinedRow(str(r[0]), str(r[1]), str(r[2])) for r in rows]


def release(conn: sqlite3.Connection, table: str, key: str) -> None:
    """Forget a quarantine entry once its row has been repaired."""
    conn.execute("DELETE FROM store_quarantine WHERE table_name = ? AND row_key = ?", (table, key))
