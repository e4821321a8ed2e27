"""How the voters table looks: blockie and short checksummed address, the choice as a chip,
power with a share bar; the selected voter's reason shown in full below the table.

``install_voters_look(table)`` sets it up on a QTableView over a VotersModel (through any proxy)
and returns the reason label for the view to place. Every network string (choices, reasons) is
drawn with drawText or a plain-text label: never markup.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPaintDevice, QPainter
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
)

from ui.models.voters_model import ADDRESS_ROLE, REASON_ROLE, SHARE_ROLE, Column
from ui.theme import SPACE, TYPE, Tone, current, set_role
from ui.theme.icons import glyph, icon_font
from ui.theme.paint import paint_bar, paint_chip, scaled_font
from ui.widgets.address import display_address
from ui.widgets.identicon import identicon

ROW_HEIGHT = 34
_AVATAR = 20
_Index = QModelIndex | QPersistentModelIndex
_ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")


class VotersDelegate(QStyledItemDelegate):
    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        return QSize(super().sizeHint(option, index).width(), ROW_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        rect: QRect = option.rect
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        colours = current()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if selected:
            painter.fillRect(rect, QColor(colours.accent_soft))
        painter.setFont(option.font)
        column = Column(index.column())
        if column is Column.VOTER:
            address = str(index.data(ADDRESS_ROLE) or index.data())
            self._voter(painter, rect, address, str(index.data()))
        elif column is Column.CHOICE:
            self._choice(painter, rect, str(index.data()), bool(index.data(REASON_ROLE)))
        else:
            self._power(painter, rect, str(index.data()), float(index.data(SHARE_ROLE) or 0.0))
        painter.restore()

    def _voter(self, painter: QPainter, rect: QRect, address: str, shown: str) -> None:
        """The blockie of ``address``; ``shown`` (a name, or the address) beside it: an address
        shortened in the middle, a name cut at its end."""
        device: QPaintDevice | None = painter.device()  # None when not painting, stubs aside
        ratio = device.devicePixelRatioF() if device is not None else 1.0
        top = rect.y() + (rect.height() - _AVATAR) // 2
        painter.drawPixmap(rect.x() + SPACE.sm, top, identicon(address, _AVATAR, ratio))
        painter.setPen(QColor(current().text))
        text_rect = rect.adjusted(SPACE.sm * 2 + _AVATAR, 0, -SPACE.xs, 0)
        if _ADDRESS.fullmatch(shown):
            text = display_address(shown)
        else:
            text = QFontMetrics(painter.font()).elidedText(
                shown, Qt.TextElideMode.ElideRight, max(text_rect.width(), 20)
            )
        painter.drawText(text_rect, int(Qt.AlignmentFlag.AlignVCenter), text)

    def _choice(self, painter: QPainter, rect: QRect, text: str, has_reason: bool) -> None:
        painter.setFont(scaled_font(painter.font(), TYPE.small, bold=True))
        metrics = QFontMetrics(painter.font())
        room = rect.width() - 2 * SPACE.sm - (24 if has_reason else 0) - 2 * SPACE.sm
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(room, 20))
        height = metrics.height() + 6
        chip = paint_chip(painter, rect.x() + SPACE.sm, rect.y() + (rect.height() - height) // 2,
                          shown, Tone.ACCENT, height=height)  # fmt: skip
        if has_reason:
            painter.setFont(icon_font(12))
            painter.setPen(QColor(current().muted))
            mark = QRect(chip.right() + SPACE.sm, rect.y(), 20, rect.height())
            painter.drawText(mark, int(Qt.AlignmentFlag.AlignVCenter), glyph("comments"))

    def _power(self, painter: QPainter, rect: QRect, text: str, share: float) -> None:
        inner = rect.adjusted(SPACE.sm, SPACE.xs, -SPACE.sm, -SPACE.xs)
        painter.setPen(QColor(current().text))
        top = QRect(inner.x(), inner.y(), inner.width(), inner.height() - 6)
        painter.drawText(top, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                         f"{text}  ·  {100 * share:.1f}%")  # fmt: skip
        bar = QRect(inner.x(), inner.bottom() - 3, inner.width(), 4)
        paint_bar(painter, bar, share, QColor(current().accent))


def install_voters_look(table: QTableView) -> QLabel:
    """Delegate, row height and column sizes; returns the label that shows the chosen reason."""
    table.setItemDelegate(VotersDelegate(table))
    table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
    table.setShowGrid(False)
    table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    table.setMouseTracking(True)
    header = table.horizontalHeader()
    header.setMinimumSectionSize(120)
    header.setSectionResizeMode(Column.VOTER, QHeaderView.ResizeMode.Stretch)  # takes the room
    header.setSectionResizeMode(Column.POWER, QHeaderView.ResizeMode.Fixed)
    header.resizeSection(Column.POWER, 230)
    reason = QLabel("Select a voter to read their reason.", table.parentWidget())
    reason.setObjectName("voter-reason")
    reason.setTextFormat(Qt.TextFormat.PlainText)
    reason.setWordWrap(True)
    set_role(reason, "muted")

    def show(current_index: QModelIndex, _previous: QModelIndex) -> None:
        text = str(current_index.data(REASON_ROLE) or "") if current_index.isValid() else ""
        voter = (
            current_index.siblingAtColumn(Column.VOTER).data() if current_index.isValid() else ""
        )
        reason.setText(f"{display_address(str(voter))}: “{text}”" if text else
                       "This voter gave no reason." if voter else "")  # fmt: skip
        set_role(reason, "" if text else "muted")

    table.selectionModel().currentRowChanged.connect(show)
    return reason
