"""Snapshot settings kept in the store's ``settings`` table: the optional hub API key.

A Snapshot API key (sent as ``x-api-key``) raises the hub's limit above 100 requests a minute.
It is not a signing key: it identifies the app to Snapshot, so it is stored like other settings
and never logged.
"""

from __future__ import annotations

import sqlite3
from typing import Final

from app.errors import InputError
from app.store.database import transaction

API_KEY: Final = "snapshot.api_key"


def api_key(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (API_KEY,)).fetchone()
    return str(row[0]) if row and row[0] else None


def set_api_key(conn: sqlite3.Connection, key: str | None) -> None:
    """Store (or, with None or "", forget) the hub API key."""
    key = (key or "").strip()
    if key and (len(key) > 200 or not key.isprintable() or " " in key):
        raise InputError("A Snapshot API key is one word of printable characters.")
    with transaction(conn) as tx:
        if key:
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (API_KEY, key),
            )
        else:
            tx.execute("DELETE FROM settings WHERE key = ?", (API_KEY,))
