"""PhaseDot: a small round mark in a pipeline phase's colour (column headers, the stepper)."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from app.pipeline.model import Phase
from ui.theme import current
from ui.theme.meaning import phase_colour


class PhaseDot(QWidget):
    def __init__(self, phase: Phase, parent: QWidget | None = None, *, size: int = 10) -> None:
        super().__init__(parent)
        self.phase, self._size = phase, size
        self.setFixedSize(QSize(size, size))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QColor(phase_colour(current(), self.phase)))
        painter.setBrush(QColor(phase_colour(current(), self.phase)))
        painter.drawEllipse(self.rect().adjusted(1, 1, -1, -1))
        painter.end()
