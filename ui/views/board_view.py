"""BoardView: the four pipeline columns, each a filtered list over one shared BoardModel."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListView, QVBoxLayout, QWidget

from app.pipeline.board import Card
from app.pipeline.model import Phase
from ui.format import PHASE_TITLES
from ui.models.board_model import BoardModel, CardRole, FilterMode, PhaseFilterModel
from ui.views.card_delegate import CardDelegate

# One sentence of guidance for a column with nothing in it (filters say what they hide).
EMPTY_TEXT = {
    Phase.IDEATE: "No ideas yet. Press New idea (Ctrl+N) to draft one.",
    Phase.OFFCHAIN: "No Snapshot checks yet. Open an idea to publish its temperature check.",
    Phase.ONCHAIN: "Nothing to vote on-chain. A passed consensus check is proposed here.",
    Phase.EXECUTE: "Nothing to execute. Passed proposals are queued and executed here.",
}
FILTERED_TEXT = "Nothing here matches the filter or search."


class BoardColumn(QWidget):
    card_activated = Signal(object)  # Card

    def __init__(self, phase: Phase, model: BoardModel, delegate: CardDelegate, parent: Any = None):
        super().__init__(parent)
        self.proxy = PhaseFilterModel(phase, self)
        self.proxy.setSourceModel(model)
        self.proxy.sort(0)
        self.header = QLabel(self)
        self.header.setObjectName(f"column-header-{phase.value}")
        self.list = QListView(self)
        self.list.setObjectName(f"column-{phase.value}")
        self.list.setModel(self.proxy)
        self.list.setItemDelegate(delegate)
        self.list.setUniformItemSizes(True)  # keeps 10,000 cards smooth
        self.list.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.list.activated.connect(self._on_list_activated)
        # Cards wrap and elide to the column's width; a column never scrolls sideways.
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.empty = QLabel(EMPTY_TEXT[phase], self)
        self.empty.setObjectName(f"column-empty-{phase.value}")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.model = model
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.header)
        layout.addWidget(self.empty)
        layout.addWidget(self.list)
        for signal in (self.proxy.modelReset, self.proxy.rowsInserted, self.proxy.rowsRemoved,
                       self.proxy.layoutChanged):  # fmt: skip
            signal.connect(self._update_header)
        self._update_header()

    def _update_header(self, *_args: object) -> None:
        count = self.proxy.rowCount()
        self.header.setText(f"<b>{PHASE_TITLES[self.proxy.phase]}</b> ({count})")
        filtered = self.model.rowCount() > 0 and any(
            self.model.index(r, 0).data(CardRole.CARD).phase is self.proxy.phase
            for r in range(self.model.rowCount())
        )
        self.empty.setText(FILTERED_TEXT if filtered else EMPTY_TEXT[self.proxy.phase])
        self.empty.setVisible(count == 0)

    def _on_list_activated(self, index: Any) -> None:
        card = index.data(CardRole.CARD)
        if isinstance(card, Card):
            self.card_activated.emit(card)


class BoardView(QWidget):
    card_activated = Signal(object)  # Card

    def __init__(self, clock: Callable[[], float] = time.time, parent: Any = None) -> None:
        super().__init__(parent)
        self.model = BoardModel(self)
        self._delegate = CardDelegate(clock, self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.columns = {
            phase: BoardColumn(phase, self.model, self._delegate, self) for phase in Phase
        }
        for column in self.columns.values():
            column.card_activated.connect(self.card_activated)
            layout.addWidget(column)

    def set_cards(self, cards: list[Card]) -> None:
        self.model.set_cards(cards)

    def set_mode(self, mode: FilterMode) -> None:
        for column in self.columns.values():
            column.proxy.set_mode(mode)
            column._update_header()

    def set_search(self, text: str) -> None:
        for column in self.columns.values():
            column.proxy.set_search(text)
            column._update_header()
