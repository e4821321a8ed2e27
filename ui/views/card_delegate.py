"""CardDelegate: paints a pipeline card.

    ▌ [Voting]                         ◷ in 2 d 3 h
    ▌ Lower the marketplace fee to 8%
    ▌ For  ███████████░░░░  72%
    ▌ 💬 12 replies                 [Vote on Snapshot →]

A stripe in the phase's colour, a status chip in the status's tone, the title, a mini result bar
for a live vote (leading choice and its share), the countdown, the forum's reply count, and the
next action as a button-like chip. Every colour is a token (ui/theme); every string is drawn with
drawText, which never reads markup.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from app.pipeline.board import Card
from app.pipeline.phases import NextAction
from ui.format import ACTION_LABELS, STATUS_LABELS, format_countdown, format_forum
from ui.models.board_model import CardRole
from ui.theme import RADIUS, SPACE, TYPE, current
from ui.theme.meaning import phase_colour, status_tone
from ui.theme.paint import paint_bar, paint_chip, scaled_font
from ui.theme.tokens import Tone

CARD_HEIGHT = 118
_STRIPE = 4
_Align = Qt.AlignmentFlag


def title_lines(title: str, metrics: QFontMetrics, width: int, lines: int) -> list[str]:
    """The title wrapped at words onto at most ``lines`` lines, the last one elided."""
    # A card shows two lines: measuring a 100 kB title from a hub on every paint would stall.
    words, out = title[: 200 * lines].split(), list[str]()
    while words and len(out) < lines - 1:
        line = words.pop(0)
        while words and metrics.horizontalAdvance(f"{line} {words[0]}") <= width:
            line = f"{line} {words.pop(0)}"
        if metrics.horizontalAdvance(line) > width:  # one long word: elide it, stop here
            return [*out, metrics.elidedText(line, Qt.TextElideMode.ElideRight, width)]
        out.append(line)
    if words:
        out.append(metrics.elidedText(" ".join(words), Qt.TextElideMode.ElideRight, width))
    return out


class CardDelegate(QStyledItemDelegate):
    def __init__(self, clock: Callable[[], float] = time.time, parent: Any = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self.card_width = 0  # set by the board column as it reflows; 0: the list's width

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        width = self.card_width or option.rect.width()
        return QSize(max(width, 200), CARD_HEIGHT)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        card = index.data(CardRole.CARD)
        if not isinstance(card, Card):
            return
        rect: QRect = option.rect.adjusted(SPACE.xs, SPACE.xs, -SPACE.xs, -SPACE.xs)
        state = option.state
        selected = bool(state & QStyle.StateFlag.State_Selected)
        hovered = bool(state & QStyle.StateFlag.State_MouseOver)
        colours = current()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        border = colours.accent if selected else (colours.muted if hovered else colours.border)
        painter.setPen(QColor(border))
        painter.setBrush(QColor(colours.accent_soft if selected else colours.raised))
        painter.drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), RADIUS.md, RADIUS.md)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(phase_colour(colours, card.phase)))
        stripe = QRectF(rect.x() + 1, rect.y() + SPACE.sm, _STRIPE, rect.height() - 2 * SPACE.sm)
        painter.drawRoundedRect(stripe, 2, 2)
        inner = rect.adjusted(SPACE.md + _STRIPE, SPACE.sm, -SPACE.md, -SPACE.sm)
        self._paint_content(painter, option, inner, card)
        painter.restore()

    def _paint_content(
        self, painter: QPainter, option: QStyleOptionViewItem, inner: QRect, card: Card
    ) -> None:
        colours = current()
        base = option.font
        small = scaled_font(base, TYPE.small)
        caption = scaled_font(base, TYPE.caption, bold=True)
        title_font = scaled_font(base, TYPE.body + 1, bold=True)
        # Row 1: status chip, countdown.
        painter.setFont(caption)
        chip_h = QFontMetrics(caption).height() + 4
        status, tone = STATUS_LABELS[card.status], status_tone(card.status)
        paint_chip(painter, inner.x(), inner.y(), status, tone, height=chip_h)
        painter.setFont(small)
        painter.setPen(QColor(colours.muted))
        countdown = format_countdown(card.deadline, int(self._clock()))
        top_row = QRect(inner.x(), inner.y(), inner.width(), chip_h)
        painter.drawText(top_row, int(_Align.AlignRight | _Align.AlignVCenter), countdown)
        # Row 2: the title, on up to two lines.
        painter.setFont(title_font)
        painter.setPen(QColor(colours.text))
        metrics = QFontMetrics(title_font)
        y = inner.y() + chip_h + SPACE.xs
        lines = 1 if card.leading is not None else 2
        for line in title_lines(card.title, metrics, inner.width(), lines):
            painter.drawText(QRect(inner.x(), y, inner.width(), metrics.height()),
                             int(_Align.AlignLeft | _Align.AlignVCenter), line)  # fmt: skip
            y += metrics.height()
        y += SPACE.xs
        # Row 3: the live result, when there is one.
        if card.leading is not None:
            self._paint_leading(
                painter, QRect(inner.x(), y, inner.width(), 16), card.leading, small
            )
        # Row 4: forum replies, next action.
        bottom = inner.bottom() - chip_h + 1
        chip_left = inner.right() + 1
        if card.action is not NextAction.NONE:
            painter.setFont(caption)
            label = f"{ACTION_LABELS[card.action]}  →"
            width = QFontMetrics(caption).horizontalAdvance(label) + 2 * SPACE.sm
            forum_room = inner.width() // 3 if card.forum_replies is not None else 0
            chip_left = max(inner.right() - width + 1, inner.x() + forum_room)
            room = inner.right() - chip_left + 1 - 2 * SPACE.sm
            label = QFontMetrics(caption).elidedText(label, Qt.TextElideMode.ElideRight, room)
            paint_chip(painter, chip_left, bottom, label, Tone.ACCENT, height=chip_h)
        painter.setFont(small)
        painter.setPen(QColor(colours.muted))
        forum = format_forum(card.forum_replies, card.forum_last_activity, int(self._clock()))
        room = chip_left - inner.x() - SPACE.sm
        forum = QFontMetrics(small).elidedText(forum, Qt.TextElideMode.ElideRight, room)
        painter.drawText(QRect(inner.x(), bottom, room, chip_h),
                         int(_Align.AlignLeft | _Align.AlignVCenter), forum)  # fmt: skip

    def _paint_leading(
        self, painter: QPainter, row: QRect, leading: tuple[str, float], font: Any
    ) -> None:
        colours = current()
        choice, percent = leading
        painter.setFont(font)
        metrics = QFontMetrics(font)
        label_w = min(metrics.horizontalAdvance(choice) + SPACE.sm, row.width() // 3)
        pct = f"{percent:.0f}%"
        pct_w = metrics.horizontalAdvance("100%") + SPACE.sm
        painter.setPen(QColor(colours.text))
        shown = metrics.elidedText(choice, Qt.TextElideMode.ElideRight, label_w - SPACE.xs)
        painter.drawText(QRect(row.x(), row.y(), label_w, row.height()),
                         int(_Align.AlignLeft | _Align.AlignVCenter), shown)  # fmt: skip
        bar = QRect(row.x() + label_w, row.center().y() - 3, row.width() - label_w - pct_w, 6)
        paint_bar(painter, bar, percent / 100, QColor(colours.accent))
        painter.drawText(QRect(row.right() - pct_w + 1, row.y(), pct_w, row.height()),
                         int(_Align.AlignRight | _Align.AlignVCenter), pct)  # fmt: skip
