"""BoardModel: the pipeline's cards as a Qt list model, plus a per-column filter proxy."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum, IntEnum
from html import escape
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from app.pipeline.board import Card
from app.pipeline.model import Phase

MAX_TOOLTIP_CHARS = 2_000  # a title from a hub can be any size

_Index = QModelIndex | QPersistentModelIndex


class CardRole(IntEnum):
    CARD = Qt.ItemDataRole.UserRole + 1
    SORT_KEY = Qt.ItemDataRole.UserRole + 2


def board_order(card: Card) -> tuple[int, str]:
    """Soonest deadline first (none last), then by title."""
    return (card.deadline if card.deadline is not None else 2**62, card.title.lower())


class BoardModel(QAbstractListModel):
    """All cards of one organisation, in board order (``board_order``)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._cards: list[Card] = []

    def set_cards(self, cards: Sequence[Card]) -> None:
        self.beginResetModel()
        # Sorted here, once, with a key: the columns then keep this order without calling back
        # into Python for each comparison (10,000 cards: seconds otherwise; issue #20).
        self._cards = sorted(cards, key=board_order)
        self.endResetModel()

    def card(self, row: int) -> Card:
        return self._cards[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._cards)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._cards):
            return None
        card = self._cards[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return card.title
        if role == Qt.ItemDataRole.ToolTipRole:  # escaped: a tooltip would guess rich text
            return f"<p>{escape(card.title[:MAX_TOOLTIP_CHARS])}</p>"
        if role == CardRole.CARD:
            return card
        if role == CardRole.SORT_KEY:
            return board_order(card)
        return None


class FilterMode(Enum):
    ALL = "all"
    MINE = "mine"
    NEEDS_MY_VOTE = "needs_my_vote"


class PhaseFilterModel(QSortFilterProxyModel):
    """One board column: the cards of one phase that pass the filter and search box."""

    def __init__(self, phase: Phase, parent: Any = None) -> None:
        super().__init__(parent)
        self.phase = phase
        self._mode = FilterMode.ALL
        self._needle = ""
        self.setSortRole(CardRole.SORT_KEY)
        self.setDynamicSortFilter(True)

    def set_mode(self, mode: FilterMode) -> None:
        self.beginFilterChange()
        self._mode = mode
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_search(self, text: str) -> None:
        self.beginFilterChange()
        self._needle = text.strip().lower()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filtering(self) -> bool:
        """Whether a filter or a search hides cards of this phase."""
        return self._mode is not FilterMode.ALL or bool(self._needle)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, BoardModel):
            return False
        card = model.card(source_row)
        if card.phase is not self.phase:
            return False
        if self._mode is FilterMode.MINE and not card.mine:
            return False
        if self._mode is FilterMode.NEEDS_MY_VOTE and not card.needs_my_vote:
            return False
        return not self._needle or self._needle in card.search_text

    def lessThan(self, left: _Index, right: _Index) -> bool:
        return left.row() < right.row()  # the source model is in board order already
