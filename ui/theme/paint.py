"""Painting helpers for delegates and painted widgets: chips, bars, fonts of the type scale.

Every colour comes from the tokens of the scheme in force (``current()``), never from a literal.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter

from ui.theme.follower import current
from ui.theme.tokens import RADIUS, SPACE, Tone, tone_colours


def scaled_font(base: QFont, step: int, *, bold: bool = False) -> QFont:
    """``base`` moved ``step`` points along the type scale (TYPE.caption, TYPE.title, …)."""
    font = QFont(base)
    size = base.pointSizeF()
    if size > 0:
        font.setPointSizeF(max(size + step, 6.0))
    else:  # a pixel-sized font
        font.setPixelSize(max(base.pixelSize() + round(step * 1.33), 8))
    font.setBold(bold)
    return font


def chip_width(metrics: QFontMetrics, text: str) -> int:
    return metrics.horizontalAdvance(text) + 2 * SPACE.sm


def paint_chip(
    painter: QPainter, left: int, top: int, text: str, tone: Tone, *, height: int | None = None
) -> QRect:
    """A rounded tinted chip with ``text`` (drawText never reads markup); returns its rect."""
    foreground, background = tone_colours(current(), tone)
    metrics = painter.fontMetrics()
    rect = QRect(left, top, chip_width(metrics, text), height or metrics.height() + 4)
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(background))
    painter.drawRoundedRect(QRectF(rect), rect.height() / 2, rect.height() / 2)
    painter.setPen(QColor(foreground))
    painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), text)
    painter.restore()
    return rect


def paint_bar(
    painter: QPainter, rect: QRect, fraction: float, colour: QColor, *, track: QColor | None = None
) -> None:
    """A rounded track with a filled share (0..1) in ``colour``."""
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(track or QColor(current().sunken))
    radius = min(RADIUS.sm, rect.height() / 2)
    painter.drawRoundedRect(QRectF(rect), radius, radius)
    width = round(rect.width() * min(max(fraction, 0.0), 1.0))
    if width > 0:
        painter.setBrush(colour)
        painter.drawRoundedRect(QRectF(rect.x(), rect.y(), width, rect.height()), radius, radius)
    painter.restore()
