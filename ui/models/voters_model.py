"""VotersModel: a table of Snapshot votes (voter, choice text, power), sortable by power."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from app.domain.titles import elide
from app.snapshot.records import Vote
from app.units import format_number

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
SHARE_ROLE = Qt.ItemDataRole.UserRole + 2  # the vote's share of all power shown (0..1)
REASON_ROLE = Qt.ItemDataRole.UserRole + 3  # the voter's reason, plain text ("" if none)
ADDRESS_ROLE = Qt.ItemDataRole.UserRole + 4  # the voter's address, also when a name is shown
_HEADERS = ("Voter", "Choice", "Power")
Index = QModelIndex | QPersistentModelIndex


def power_text(value: float) -> str:
    """Voting power with thousands separators and at most two decimals."""
    return format_number(value, places=2)


class Column(IntEnum):
    VOTER = 0
    CHOICE = 1
    POWER = 2


def _label(choices: Sequence[str], index: object) -> str:
    try:
        number = int(str(index))
    except ValueError:
        return str(index)
    return choices[number - 1] if 1 <= number <= len(choices) else f"#{number}"


def choice_text(choice: object, choices: Sequence[str]) -> str:
    """A vote's choice as words: "Yes", "A > B > C" (ranked), "A, B" (approval), "A 60%, B 40%"."""
    if isinstance(choice, Mapping):
        total = sum(float(v) for v in choice.values()) or 1.0
        return ", ".join(
            f"{_label(choices, k)} {100 * float(v) / total:.0f}%" for k, v in choice.items()
        )
    if isinstance(choice, list | tuple):
        return ", ".join(_label(choices, c) for c in choice)
    return _label(choices, choice)


class VotersModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._votes: list[Vote] = []
        self._texts: list[str] = []
        self._names: dict[str, str] = {}  # lower-case address -> "Dev 0 (you)"
        self._total = 0.0

    def set_names(self, names: dict[str, str]) -> None:
        """Labels shown instead of addresses (your own accounts, "(you)")."""
        self.beginResetModel()
        # A name comes from ENS or the hub: any length. The table shows it elided, one line.
        self._names = {a.lower(): elide(n) for a, n in names.items()}
        self.endResetModel()

    def set_votes(
        self, votes: Sequence[Vote], choices: Sequence[str], *, ranked: bool = False
    ) -> None:
        self.beginResetModel()
        self._votes = list(votes)
        texts = [elide(choice_text(v.choice, choices)) for v in self._votes]
        self._texts = [t.replace(", ", " > ") for t in texts] if ranked else texts
        self._total = sum(max(v.vp, 0.0) for v in self._votes)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._votes)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation is Qt.Orientation.Horizontal:
            return _HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        vote, column = self._votes[index.row()], Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            voter = self._names.get(vote.voter.lower(), vote.voter)
            shown = {Column.VOTER: voter, Column.CHOICE: self._texts[index.row()]}
            return shown.get(column, power_text(vote.vp))
        if role == SHARE_ROLE:
            return vote.vp / self._total if self._total > 0 else 0.0
        if role == REASON_ROLE:
            return vote.reason
        if role == ADDRESS_ROLE:
            return vote.voter
        if role == SORT_ROLE:
            return vote.vp if column is Column.POWER else str(self.data(index))
        if role == Qt.ItemDataRole.TextAlignmentRole and column is Column.POWER:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class VotersSortModel(QSortFilterProxyModel):
    """Sorts on native values (power as a number), largest power first by default."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)

    def lessThan(self, left: Index, right: Index) -> bool:
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        return bool(a < b) if type(a) is type(b) else str(a) < str(b)
