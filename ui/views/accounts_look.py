"""How the accounts table looks: each row a card — blockie, label over the checksummed short
address, the kind as an icon (this device / watch-only / air-gapped signing) and the lock state.

``install_accounts_look(table)`` sets it up on a QTableView over an AccountListModel; the page's
behaviour (selection, actions) is untouched. Labels are the person's own text, drawn as plain text.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPaintDevice, QPainter
from PySide6.QtWidgets import (
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
)

from app.keys.metadata import AccountInfo, AccountKind
from ui.models.account_list_model import AccountRole
from ui.theme import SPACE, TYPE, Tone, current
from ui.theme.icons import glyph, icon_font
from ui.theme.paint import paint_chip, scaled_font
from ui.widgets.address import checksummed, display_address
from ui.widgets.identicon import identicon

ROW_HEIGHT = 60
_AVATAR = 36
_Index = QModelIndex | QPersistentModelIndex
KIND_ICONS = {
    AccountKind.LOCAL: "device",
    AccountKind.WATCH: "watch",
    AccountKind.HARDWARE: "hardware",
}
_Align = Qt.AlignmentFlag


class AccountCardDelegate(QStyledItemDelegate):
    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        return QSize(super().sizeHint(option, index).width(), ROW_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        info = index.data(AccountRole.INFO)
        if not isinstance(info, AccountInfo):
            return
        rect: QRect = option.rect
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        colours = current()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colours.accent_soft if selected else colours.raised))
        painter.drawRect(rect)
        painter.setPen(QColor(colours.border))
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        painter.setFont(option.font)
        column = index.column()
        if column == 0:
            self._identity(painter, rect, info)
        elif column == 1:
            painter.setPen(QColor(colours.muted))
            room = rect.adjusted(SPACE.sm, 0, -SPACE.sm, 0)
            text = QFontMetrics(painter.font()).elidedText(
                checksummed(info.address), Qt.TextElideMode.ElideMiddle, room.width()
            )
            painter.drawText(room, int(_Align.AlignVCenter), text)
        else:
            self._with_icon(painter, rect, str(index.data()), info, column == 2)
        painter.restore()

    def _identity(self, painter: QPainter, rect: QRect, info: AccountInfo) -> None:
        colours = current()
        device: QPaintDevice | None = painter.device()  # None when not painting, stubs aside
        ratio = device.devicePixelRatioF() if device is not None else 1.0
        top = rect.y() + (rect.height() - _AVATAR) // 2
        painter.drawPixmap(rect.x() + SPACE.md, top, identicon(info.address, _AVATAR, ratio))
        text = rect.adjusted(SPACE.md * 2 + _AVATAR, SPACE.sm, -SPACE.sm, -SPACE.sm)
        bold = scaled_font(painter.font(), TYPE.body, bold=True)
        metrics = QFontMetrics(bold)
        painter.setFont(bold)
        painter.setPen(QColor(colours.text))
        label = metrics.elidedText(
            info.label or "Unnamed", Qt.TextElideMode.ElideRight, text.width()
        )
        painter.drawText(QRect(text.x(), text.y(), text.width(), text.height() // 2),
                         int(_Align.AlignLeft | _Align.AlignBottom), label)  # fmt: skip
        painter.setFont(scaled_font(painter.font(), TYPE.small))
        painter.setPen(QColor(colours.muted))
        painter.drawText(QRect(text.x(), text.center().y() + 2, text.width(), text.height() // 2),
                         int(_Align.AlignLeft | _Align.AlignTop),
                         display_address(info.address))  # fmt: skip

    def _with_icon(self, painter: QPainter, rect: QRect, text: str, info: AccountInfo,
                   kind: bool) -> None:  # fmt: skip
        colours = current()
        base = painter.font()
        if kind:
            meaning, tone = KIND_ICONS[info.kind], Tone.NEUTRAL
        else:
            unlocked = text == "Unlocked"
            meaning = (
                "unlock" if unlocked else ("airgap" if info.kind is AccountKind.WATCH else "lock")
            )
            tone = Tone.WARNING if unlocked else Tone.NEUTRAL
        box = QRectF(rect.x() + SPACE.sm, rect.y(), 20, rect.height())
        painter.setFont(icon_font(14))
        painter.setPen(QColor(getattr(colours, tone.value)))
        painter.drawText(box, int(_Align.AlignCenter), glyph(meaning))
        if not kind and text == "Unlocked":
            font = scaled_font(base, TYPE.caption, bold=True)
            painter.setFont(font)
            chip_h = QFontMetrics(font).height() + 4
            paint_chip(painter, rect.x() + SPACE.sm + 24, rect.center().y() - chip_h // 2, text,
                       Tone.WARNING, height=chip_h)  # fmt: skip
            return
        painter.setFont(base)
        painter.setPen(QColor(colours.text))
        painter.drawText(rect.adjusted(SPACE.sm + 28, 0, -SPACE.sm, 0),
                         int(_Align.AlignVCenter), text)  # fmt: skip


def install_accounts_look(table: QTableView) -> None:
    table.setItemDelegate(AccountCardDelegate(table))
    table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
    table.verticalHeader().setVisible(False)
    table.setShowGrid(False)
    table.setMouseTracking(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    for column, width in ((0, 260), (2, 190), (3, 150)):
        header.resizeSection(column, width)
