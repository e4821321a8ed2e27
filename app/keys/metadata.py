"""AccountsRepo: the non-secret account list (label, order, kind) in the local SQLite store.

Nothing secret is written here: no key, no keystore, no mnemonic. The connection comes from
``app.store.database.connect`` (schema 2 adds the ``accounts`` table); this module only runs SQL on
it, so ``app.keys`` does not depend on the store package.
"""

from __future__ import annotations

import builtins
import logging
import sqlite3
from dataclasses import dataclass
from enum import Enum

from app.keys.errors import AccountExistsError, AccountNotFoundError

log = logging.getLogger(__name__)


def _checksum_address(address: str) -> str:
    """EIP-55 form of ``address``. eth_utils (with pydantic behind it) loads on the first write
    or look-up, so listing the accounts at start-up does not pay for it (issue #20)."""
    from eth_utils.address import to_checksum_address as checksum

    return str(checksum(address))


class AccountKind(Enum):
    LOCAL = "local"  # the key is sealed in this device's vault
    WATCH = "watch"  # address only; signing goes through an offline device
    HARDWARE = "hardware"  # the key stays on a Ledger or Trezor; signing goes over USB


class AccountSource(Enum):
    CREATED = "created"
    PRIVATE_KEY = "private_key"
    MNEMONIC = "mnemonic"
    KEYSTORE = "keystore"
    WATCH = "watch"
    LEDGER = "ledger"
    TREZOR = "trezor"


@dataclass(frozen=True)
class HardwareRecord:
    """Which device a hardware account lives on (nothing secret: a path and a seed's name)."""

    address: str
    vendor: str  # "ledger" | "trezor"
    path: str
    fingerprint: str
    model: str


@dataclass(frozen=True)
class AccountInfo:
    """One account as the rest of the app sees it: never any key material."""

    address: str
    label: str
    kind: AccountKind
    position: int
    source: AccountSource
    derivation_path: str | None
    created_at: int


_COLUMNS = "address, label, kind, position, source, derivation_path, created_at"


# Text read as bytes, so one row with bad UTF-8 cannot make the whole list unreadable.
_RAW_SELECT = (
    "SELECT CAST(address AS BLOB), CAST(label AS BLOB), CAST(kind AS BLOB), position,"
    " CAST(source AS BLOB), CAST(derivation_path AS BLOB), created_at"
    " FROM accounts ORDER BY position"
)


def _decode(value: object, lenient: bool) -> object:
    """Bytes as text: strictly for addresses and kinds, with replacements for a label."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace" if lenient else "strict")
    return value


def _from_row(row: sqlite3.Row | tuple[object, ...]) -> AccountInfo:
    address, label, kind, position, source, path, created = tuple(row)
    if not isinstance(address, str) or len(address) != 42:
        raise ValueError(f"not an address: {str(address)[:50]!r}")
    return AccountInfo(
        address=str(address),
        label=str(label),
        kind=AccountKind(kind),
        position=int(str(position)),
        source=AccountSource(source),
        derivation_path=None if path is None else str(path),
        created_at=int(str(created)),
    )


class AccountsRepo:
    """Reads and writes the ``accounts`` table. Calls are short; callers may use to_thread."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    @property
    def connection(self) -> sqlite3.Connection:
        return self._conn

    def list(self) -> list[AccountInfo]:
        """Every readable account; a damaged row is logged and skipped, never fatal (#22)."""
        try:
            rows = self._conn.execute(_RAW_SELECT).fetchall()
        except sqlite3.DatabaseError as exc:  # a damaged page the quick check missed
            log.warning("reading accounts row by row: %s", exc)
            rows = self._rows_one_by_one()
        accounts = []
        for row in rows:
            try:
                accounts.append(_from_row(tuple(_decode(v, i == 1) for i, v in enumerate(row))))
            except (ValueError, TypeError) as exc:
                log.warning("skipping a damaged account row: %s", exc)
        return accounts

    def _rows_one_by_one(self) -> builtins.list[tuple[object, ...]]:
        """Every account row SQLite can still return, each read alone (the others skipped)."""
        try:
            rowids = [r[0] for r in self._conn.execute("SELECT rowid FROM accounts").fetchall()]
        except sqlite3.DatabaseError:
            return []
        one = _RAW_SELECT.replace(" ORDER BY position", " WHERE rowid = ?")
        rows = []
        for rowid in rowids:
            try:
                rows.extend(self._conn.execute(one, (rowid,)).fetchall())
            except sqlite3.DatabaseError as exc:
                log.warning("skipping an unreadable account row: %s", exc)
        return sorted(rows, key=lambda r: r[3] if isinstance(r[3], int) else 0)

    def find(self, address: str) -> AccountInfo | None:
        row = self._conn.execute(
            f"SELECT {_COLUMNS} FROM accounts WHERE address = ?",  # noqa: S608
            (_checksum_address(address),),
        ).fetchone()
        return None if row is None else _from_row(row)

    def get(self, address: str) -> AccountInfo:
        info = self.find(address)
        if info is None:
            raise AccountNotFoundError(f"There is no account {address} in this data directory.")
        return info

    def add(
        self,
        address: str,
        *,
        label: str,
        kind: AccountKind,
        source: AccountSource,
        created_at: int,
        derivation_path: str | None = None,
    ) -> AccountInfo:
        address = _checksum_address(address)
        if self.find(address) is not None:
            raise AccountExistsError(f"The account {address} is already in this data directory.")
        (next_pos,) = self._conn.execute(
            "SELECT COALESCE(MAX(position) + 1, 0) FROM accounts"
        ).fetchone()
        self._conn.execute(
            f"INSERT INTO accounts ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",  # noqa: S608
            (address, label, kind.value, next_pos, source.value, derivation_path, created_at),
        )
        return self.get(address)

    def rename(self, address: str, label: str) -> AccountInfo:
        self.get(address)
        self._conn.execute(
            "UPDATE accounts SET label = ? WHERE address = ?", (label, _checksum_address(address))
        )
        return self.get(address)

    def remove(self, address: str) -> None:
        info = self.get(address)
        if info.kind is AccountKind.HARDWARE:
            self._conn.execute("DELETE FROM hardware_accounts WHERE address = ?", (info.address,))
        self._conn.execute("DELETE FROM accounts WHERE address = ?", (info.address,))

    def add_hardware(self, record: HardwareRecord, *, label: str, created_at: int) -> AccountInfo:
        """The account row and its device record together, or neither."""
        self._conn.execute("SAVEPOINT add_hardware")
        try:
            info = self.add(
                record.address,
                label=label,
                kind=AccountKind.HARDWARE,
                source=AccountSource(record.vendor),
                created_at=created_at,
                derivation_path=record.path,
            )
            self._conn.execute(
                "INSERT INTO hardware_accounts (address, vendor, fingerprint, model)"
                " VALUES (?, ?, ?, ?)",
                (info.address, record.vendor, record.fingerprint, record.model),
            )
        except BaseException:
            self._conn.execute("ROLLBACK TO add_hardware")
            self._conn.execute("RELEASE add_hardware")
            raise
        self._conn.execute("RELEASE add_hardware")
        return info

    def hardware(self, address: str) -> HardwareRecord:
        info = self.get(address)
        row = self._conn.execute(
            "SELECT vendor, fingerprint, model FROM hardware_accounts WHERE address = ?",
            (info.address,),
        ).fetchone()
        if info.kind is not AccountKind.HARDWARE or row is None or info.derivation_path is None:
            raise AccountNotFoundError(f"{info.address} is not a hardware wallet account.")
        vendor, fingerprint, model = tuple(row)
        return HardwareRecord(
            info.address, str(vendor), info.derivation_path, str(fingerprint), str(model)
        )
