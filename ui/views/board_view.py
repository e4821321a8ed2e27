"""BoardView: the four pipeline columns, each a filtered list over one shared BoardModel.

Each column has a header (the phase's colour, its name, a count) and an empty state with one
sentence of guidance. Cards reflow: a column shows one card per row while it is narrow and as
many as fit (each between CARD_MIN_WIDTH and CARD_MAX_WIDTH) once it is wide, from 1024 px
windows up to 4K.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QVBoxLayout,
    QWidget,
)

from app.pipeline.board import Card
from app.pipeline.model import Phase
from ui.format import PHASE_TITLES
from ui.models.board_model import BoardModel, CardRole, FilterMode, PhaseFilterModel
from ui.theme import CARD_MAX_WIDTH, SPACE, TYPE, Tone, set_tone
from ui.theme.paint import scaled_font
from ui.views.card_delegate import CARD_HEIGHT, CardDelegate
from ui.widgets.empty_state import EmptyState
from ui.widgets.phase_dot import PhaseDot

EMPTY_TEXT = {
    Phase.IDEATE: "No ideas yet. Write one with New idea (Ctrl+N); it starts here as a draft.",
    Phase.OFFCHAIN: "No Snapshot vote. An idea moves here when its temperature check opens.",
    Phase.ONCHAIN: "Nothing on-chain. Proposals land here once their consensus check passed.",
    Phase.EXECUTE: "Nothing to execute. Passed proposals wait here for the timelock.",
}
FILTERED_TEXT = "Nothing here matches the filter or search."
EMPTY_ICONS = {phase: f"empty-{phase.value}" for phase in Phase}


def cards_per_row(width: int) -> int:
    """How many cards share a row in a column ``width`` pixels wide."""
    return max(1, math.ceil(width / CARD_MAX_WIDTH)) if width > 0 else 1


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

    def __init__(self, phase: Phase, model: BoardModel, clock: Callable[[], float],
                 parent: Any = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.phase = phase
        self.proxy = PhaseFilterModel(phase, self)
        self.proxy.setSourceModel(model)  # in board order: the column keeps it, unsorted
        self.delegate = CardDelegate(clock, self)
        self.list = QListView(self)
        self.list.setObjectName(f"column-{phase.value}")
        self.list.setModel(self.proxy)
        self.list.setItemDelegate(self.delegate)
        self.list.setUniformItemSizes(True)  # keeps 10,000 cards smooth
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setFrameShape(QFrame.Shape.NoFrame)
        self.list.setMouseTracking(True)  # hover outlines
        self.list.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.list.activated.connect(self._on_list_activated)
        # Cards wrap and elide to the column's width; a column never scrolls sideways.
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.viewport().installEventFilter(self)
        # Over the list's viewport, so the (empty) list keeps its keyboard focus and shortcuts.
        self.empty = EmptyState(EMPTY_ICONS[phase], EMPTY_TEXT[phase], self.list.viewport())
        self.empty.setObjectName(f"empty-{phase.value}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACE.xs, SPACE.xs, SPACE.xs, SPACE.xs)
        layout.setSpacing(SPACE.xs)
        layout.addWidget(self._header())
        layout.addWidget(self.list)
        for signal in (self.proxy.modelReset, self.proxy.rowsInserted, self.proxy.rowsRemoved,
                       self.proxy.layoutChanged):  # fmt: skip
            signal.connect(self._update_header)
        self._update_header()

    def _header(self) -> QWidget:
        box = QWidget(self)
        row = QHBoxLayout(box)
        row.setContentsMargins(SPACE.sm, SPACE.xs, SPACE.sm, SPACE.xs)
        row.setSpacing(SPACE.sm)
        self.header = QLabel(PHASE_TITLES[self.phase], box)
        self.header.setObjectName(f"column-header-{self.phase.value}")
        self.header.setFont(scaled_font(self.header.font(), TYPE.title - 1, bold=True))
        self.count = QLabel("0", box)
        self.count.setObjectName(f"column-count-{self.phase.value}")
        set_tone(self.count, "chip", Tone.NEUTRAL)
        row.addWidget(PhaseDot(self.phase, box))
        row.addWidget(self.header)
        row.addWidget(self.count)
        row.addStretch(1)
        return box

    def _update_header(self, *_args: object) -> None:
        rows = self.proxy.rowCount()
        self.count.setText(f"{rows:,}")
        filtered = self.proxy.filtering() and self.proxy.sourceModel().rowCount() > 0
        self.empty.set_text(FILTERED_TEXT if filtered else EMPTY_TEXT[self.phase])
        self.empty.setVisible(rows == 0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.list.viewport() and event.type() == QEvent.Type.Resize:
            self.empty.setGeometry(self.list.viewport().rect())
            self._reflow()
        return super().eventFilter(watched, event)

    def _reflow(self) -> None:
        width = self.list.viewport().width()
        per_row = cards_per_row(width)
        card_width = width // per_row if per_row > 1 else 0
        if card_width == self.delegate.card_width:
            return
        self.delegate.card_width = card_width
        wide = per_row > 1  # a grid of cards; narrow columns stay a plain top-to-bottom list
        self.list.setFlow(QListView.Flow.LeftToRight if wide else QListView.Flow.TopToBottom)
        self.list.setWrapping(wide)
        self.list.setGridSize(QSize(card_width, CARD_HEIGHT) if wide else QSize())
        self.list.doItemsLayout()

    def _on_list_activated(self, index: Any) -> None:
        card = index.data(CardRole.CARD)
        if isinstance(card, Card):
            self.card_activated.emit(card)


class BoardView(QWidget):
    card_activated = Signal(object)  # Card

    def __init__(self, clock: Callable[[], float] = time.time, parent: Any = None) -> None:
        super().__init__(parent)
        self.model = BoardModel(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(SPACE.xs, 0, SPACE.xs, 0)
        layout.setSpacing(SPACE.xs)
        self.columns = {phase: BoardColumn(phase, self.model, clock, self) for phase in Phase}
        for column in self.columns.values():
            column.card_activated.connect(self.card_activated)
            layout.addWidget(column, 1)

    def repaint_cards(self) -> None:
        """Repaint every card (countdowns move)."""
        self.update()
        for column in self.columns.values():
            column.list.viewport().update()

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
