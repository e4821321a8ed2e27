"""Banner: a strip above the board saying the board shows saved data because sources failed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel

OFFLINE_PREFIX = "Offline: showing saved data — "


def offline_text(problems: Sequence[str]) -> str:
    """The banner's sentence for the sources that could not be read ("" when all were read)."""
    return OFFLINE_PREFIX + "; ".join(problems) if problems else ""


class Banner(QFrame):
    """Hidden while every source was read; shown, with the problems, while some were not."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("offline-banner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        # Tool-tip colours stand out from the window in both the light and the dark palette.
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.ToolTipBase)
        self.setForegroundRole(QPalette.ColorRole.ToolTipText)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setForegroundRole(QPalette.ColorRole.ToolTipText)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.label)
        self.hide()

    def set_problems(self, problems: Sequence[str]) -> None:
        text = offline_text(problems)
        self.label.setText(text)
        self.setVisible(bool(text))
