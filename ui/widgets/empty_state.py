"""EmptyState: a muted icon and one sentence of guidance where a list has nothing to show."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.theme import SPACE, Tone, set_role
from ui.theme.icons import icon

ICON_SIZE = 36


class EmptyState(QWidget):
    def __init__(self, meaning: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.picture = QLabel(self)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setPixmap(icon(meaning, Tone.NEUTRAL).pixmap(ICON_SIZE, ICON_SIZE))
        self.text = QLabel(text, self)
        self.text.setObjectName("empty-state-text")
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        set_role(self.text, "muted")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACE.lg, SPACE.xl, SPACE.lg, SPACE.xl)
        layout.setSpacing(SPACE.sm)
        layout.addStretch(1)
        layout.addWidget(self.picture)
        layout.addWidget(self.text)
        layout.addStretch(2)

    def set_text(self, text: str) -> None:
        self.text.setText(text)
