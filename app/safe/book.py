"""The Safes this device follows: address, chain, label, and the owners and threshold last read.

A Safe is not a key: nothing of it is sealed in the keyring. Its owners that are accounts of this
device (a key here, watch-only, air-gapped) are recognised, so the app can say who can approve.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from app.errors import InputError
from app.keys.metadata import AccountInfo
from app.safe.client import SafeInfo
from app.store.database import transaction


@dataclass(frozen=True)
class FollowedSafe:
    info: SafeInfo
    label: str
    read_at: int


@dataclass(frozen=True)
class OwnerHere:
    """One owner of a Safe, and this device's account for it (None: an owner elsewhere)."""

    owner: str
    account: AccountInfo | None

    @property
    def describe(self) -> str:
        if self.account is None:
            return f"{self.owner} (signs elsewhere: send them the request file)"
        return f"{self.account.label} {self.owner} ({self.account.kind.value} on this device)"


class SafeBook:
    """The ``safes`` table."""

    def __init__(self, conn: sqlite3.Connection, *, clock: Callable[[], float] = time.time) -> None:
        self._conn = conn
        self._clock = clock

    def follow(self, info: SafeInfo, label: str = "") -> FollowedSafe:
        """Add or refresh a Safe (its owners and threshold as just read)."""
        name = label.strip() or self._label(info) or f"Safe {info.address[:6]}…{info.address[-4:]}"
        with transaction(self._conn) as conn:
            conn.execute(
                "INSERT INTO safes (address, chain_id, label, owners, threshold, version, read_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (address, chain_id) DO UPDATE SET"
                " label = excluded.label, owners = excluded.owners,"
                " threshold = excluded.threshold, version = excluded.version,"
                " read_at = excluded.read_at",
                (info.address, info.chain_id, name, json.dumps(list(info.owners)), info.threshold,
                 info.version, int(self._clock())),
            )  # fmt: skip
        return self.get(info.address, info.chain_id)

    def _label(self, info: SafeInfo) -> str | None:
        row = self._conn.execute(
            "SELECT label FROM safes WHERE address = ? AND chain_id = ?",
            (info.address, info.chain_id),
        ).fetchone()
        return str(row["label"]) if row else None

    def get(self, address: str, chain_id: int) -> FollowedSafe:
        row = self._conn.execute(
            "SELECT * FROM safes WHERE lower(address) = lower(?) AND chain_id = ?",
            (address, chain_id),
        ).fetchone()
        if row is None:
            raise InputError(f"govdesk does not follow the Safe {address} on chain {chain_id}.")
        return _followed(row)

    def list(self) -> list[FollowedSafe]:
        rows = self._conn.execute("SELECT * FROM safes ORDER BY label, address").fetchall()
        return [_followed(row) for row in rows]

    def unfollow(self, address: str, chain_id: int) -> None:
        with transaction(self._conn) as conn:
            conn.execute(
                "DELETE FROM safes WHERE lower(address) = lower(?) AND chain_id = ?",
                (address, chain_id),
            )


def _followed(row: sqlite3.Row) -> FollowedSafe:
    info = SafeInfo(row["address"], row["chain_id"], tuple(json.loads(row["owners"])),
                    row["threshold"], 0, row["version"])  # fmt: skip
    return FollowedSafe(info, row["label"], row["read_at"])


def owners_here(info: SafeInfo, accounts: Sequence[AccountInfo]) -> list[OwnerHere]:
    """Each owner of ``info`` with this device's account for it, in the Safe's order."""
    mine = {a.address.lower(): a for a in accounts}
    return [OwnerHere(owner, mine.get(owner.lower())) for owner in info.owners]
