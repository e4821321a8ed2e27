"""AccountListModel: the accounts of this data folder as a Qt table (label, address, kind, lock)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.keys.metadata import AccountInfo, AccountKind

_Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Label", "Address", "Kind", "Status")
KIND_TEXT = {
    AccountKind.LOCAL: "Key on this device",
    AccountKind.WATCH: "Watch-only",
    AccountKind.HARDWARE: "Hardware wallet",
}


class AccountRole(IntEnum):
    INFO = Qt.ItemDataRole.UserRole + 1


def status_text(info: AccountInfo, unlocked: bool) -> str:
    if info.kind is AccountKind.WATCH:
        return "Signs offline"
    if info.kind is AccountKind.HARDWARE:
        return "Signs on the " + ("Ledger" if info.source.value == "ledger" else "Trezor")
    return "Unlocked" if unlocked else "Locked"


class AccountListModel(QAbstractTableModel):
    """One row per account, in the store's order; ``set_accounts`` replaces them all."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._accounts: list[AccountInfo] = []
        self._unlocked: frozenset[str] = frozenset()

    def set_accounts(self, accounts: Sequence[AccountInfo], unlocked: Iterable[str] = ()) -> None:
        self.beginResetModel()
        self._accounts = list(accounts)
        self._unlocked = frozenset(unlocked)
        self.endResetModel()

    def set_unlocked(self, unlocked: Iterable[str]) -> None:
        """Update only the lock column (keeps the selection of a view)."""
        self._unlocked = frozenset(unlocked)
        if self._accounts:
            last = len(self._accounts) - 1
            self.dataChanged.emit(self.index(0, 3), self.index(last, 3))

    def account(self, row: int) -> AccountInfo:
        return self._accounts[row]

    def accounts(self) -> list[AccountInfo]:
        return list(self._accounts)

    def row_of(self, address: str) -> int:
        """The row of ``address`` (any letter case), or -1."""
        wanted = address.lower()
        return next((r for r, a in enumerate(self._accounts) if a.address.lower() == wanted), -1)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._accounts)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._accounts):
            return None
        info = self._accounts[index.row()]
        if role == AccountRole.INFO:
            return info
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell(info, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return info.derivation_path or info.address
        return None

    def _cell(self, info: AccountInfo, column: int) -> str | None:
        if column == 0:
            return info.label
        if column == 1:
            return info.address
        if column == 2:
            return KIND_TEXT[info.kind]
        if column == 3:
            return status_text(info, info.address in self._unlocked)
        return None
