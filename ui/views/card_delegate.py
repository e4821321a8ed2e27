"""CardDelegate: paints a pipeline card (title, status, countdown, your next action)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from app.pipeline.board import Card
from app.pipeline.phases import NextAction, Status
from ui.format import ACTION_LABELS, STATUS_LABELS, format_countdown, format_forum
from ui.models.board_model import CardRole

CARD_HEIGHT = 78
_MARGIN = 6
_PAD = 10
_STATUS_COLOURS = {
    Status.VOTING: "#2f80ed",
    Status.PASSED: "#27ae60",
    Status.READY: "#27ae60",
    Status.EXECUTED: "#219653",
    Status.FAILED: "#c0392b",
    Status.CANCELED: "#7f8c8d",
    Status.EXPIRED: "#7f8c8d",
    Status.WAITING: "#f2994a",
}


class CardDelegate(QStyledItemDelegate):
    def __init__(self, clock: Callable[[], float] = time.time, parent: Any = None) -> None:
        super().__init__(parent)
        self._clock = clock

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return QSize(max(option.rect.width(), 200), CARD_HEIGHT)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        card = index.data(CardRole.CARD)
        if not isinstance(card, Card):
            return
        palette: QPalette = option.palette  # type: ignore[attr-defined]
        rect: QRect = option.rect.adjusted(_MARGIN, _MARGIN / 2, -_MARGIN, -_MARGIN / 2)  # type: ignore[attr-defined]
        selected = bool(option.state & QStyle.StateFlag.State_Selected)  # type: ignore[attr-defined]
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        base = palette.color(QPalette.ColorRole.Highlight if selected else QPalette.ColorRole.Base)
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.setBrush(base)
        painter.drawRoundedRect(rect, 6, 6)
        self._paint_text(painter, palette, rect, card, selected=selected)
        painter.restore()

    def _paint_text(
        self, painter: QPainter, palette: QPalette, rect: QRect, card: Card, *, selected: bool
    ) -> None:
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        inner = rect.adjusted(_PAD, _PAD / 2, -_PAD, -_PAD / 2)
        title_font = QFont(painter.font())
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(palette.color(text_role))
        metrics = painter.fontMetrics()
        title = metrics.elidedText(card.title, Qt.TextElideMode.ElideRight, inner.width())
        painter.drawText(inner, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, title)
        painter.setFont(QFont(painter.font().family(), max(painter.font().pointSize() - 1, 7)))
        line = metrics.height() + 2
        status = STATUS_LABELS[card.status]
        now = int(self._clock())
        countdown = format_countdown(card.deadline, now) or format_forum(
            card.forum_replies, card.forum_last_activity, now
        )
        # On the selection colour a status colour can vanish (blue on blue): use the selection's
        # text colour there.
        colour = palette.color(text_role).name()
        painter.setPen(QColor(colour if selected else _STATUS_COLOURS.get(card.status, colour)))
        painter.drawText(inner.adjusted(0, line, 0, 0), Qt.AlignmentFlag.AlignLeft, status)
        painter.setPen(palette.color(text_role))
        painter.drawText(inner.adjusted(0, line, 0, 0), Qt.AlignmentFlag.AlignRight, countdown)
        if card.action is not NextAction.NONE:
            action_font = QFont(painter.font())
            action_font.setItalic(True)
            painter.setFont(action_font)
            painter.drawText(
                inner.adjusted(0, 2 * line, 0, 0),
                Qt.AlignmentFlag.AlignLeft,
                f"→ {ACTION_LABELS[card.action]}",
            )
