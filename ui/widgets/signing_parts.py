"""The parts every signing screen shares, so typed data, transactions and air-gap requests look
the same: a one-sentence header, a short table of facts, coloured callouts, raw data folded.

Every value is plain text (a payload must not inject markup). Value labels are not mouse-selectable
on purpose: a selectable QLabel lays out with word wrapping only, so a 66-character hex string
would force the dialog wider than the screen; each row has a copy button instead, and the raw
data below is selectable.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ui.theme import SPACE, TYPE, Tone, set_role, set_tone
from ui.theme.icons import icon
from ui.theme.paint import scaled_font

ICON_PX = 18
_COPYABLE_MIN = 12  # values at least this long (addresses, hashes, data) get a copy button


_LONG_RUN = re.compile(r"\S{24,}")


def breakable(text: str) -> str:
    """``text`` with zero-width spaces every 16 characters inside long unbroken runs (hex), so a
    word-wrapping label can break them. For display only: copy buttons copy the original."""
    return _LONG_RUN.sub(
        lambda m: "\u200b".join(m[0][i : i + 16] for i in range(0, len(m[0]), 16)), text
    )


def plain_label(text: str, parent: QWidget, *, wrap: bool = True) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    return label


class SigningHeader(QWidget):
    """An icon and the action in one sentence ("Vote For on proposal 12 of …")."""

    def __init__(self, sentence: str, meaning: str = "signature",
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        picture = QLabel(self)
        picture.setPixmap(icon(meaning, Tone.ACCENT).pixmap(28, 28))
        picture.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.title = plain_label(sentence, self)
        self.title.setObjectName("signing-title")
        self.title.setFont(scaled_font(self.title.font(), TYPE.title + 1, bold=True))
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(SPACE.md)
        row.addWidget(picture)
        row.addWidget(self.title, 1)


class FactsTable(QFrame):
    """Label / value rows in a raised panel; long values wrap anywhere and can be copied."""

    def __init__(self, rows: Sequence[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("facts", "true")
        self.setObjectName("signing-facts")
        grid = QGridLayout(self)
        grid.setContentsMargins(SPACE.md, SPACE.sm, SPACE.md, SPACE.sm)
        grid.setHorizontalSpacing(SPACE.md)
        grid.setVerticalSpacing(SPACE.xs + 2)
        grid.setColumnStretch(1, 1)
        self.values: dict[str, QLabel] = {}
        for row, (label, value) in enumerate(rows):
            name = plain_label(label, self, wrap=False)
            set_role(name, "muted")
            name.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            shown = plain_label(breakable(value), self)
            # Ignored: the label takes the width the dialog gives and wraps inside it.
            shown.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            shown.setMinimumWidth(120)
            grid.addWidget(name, row, 0)
            grid.addWidget(shown, row, 1)
            if len(value) >= _COPYABLE_MIN:
                grid.addWidget(self._copy_button(value), row, 2, Qt.AlignmentFlag.AlignTop)
            self.values[label] = shown

    def _copy_button(self, value: str) -> QToolButton:
        button = QToolButton(self)
        button.setAutoRaise(True)
        button.setIcon(icon("copy", Tone.NEUTRAL))
        button.setToolTip("Copy")
        button.clicked.connect(lambda: QGuiApplication.clipboard().setText(value))
        return button

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        for label in self.values.values():  # wrapped labels need their height for the new width
            label.setMinimumHeight(max(label.heightForWidth(label.width()), 0))


_CALLOUT_ICONS = {
    Tone.DANGER: "danger",
    Tone.WARNING: "warning",
    Tone.ACCENT: "info",
    Tone.NEUTRAL: "info",
    Tone.SUCCESS: "check",
}


class Callout(QFrame):
    """A tinted box with an icon and a message (plain text): warnings, dangers, notes."""

    def __init__(self, tone: Tone, message: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        set_tone(self, "callout", tone)
        picture = QLabel(self)
        picture.setPixmap(icon(_CALLOUT_ICONS[tone], tone).pixmap(ICON_PX, ICON_PX))
        picture.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.label = plain_label(breakable(message), self)
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        if tone is Tone.DANGER:
            self.label.setFont(scaled_font(self.label.font(), TYPE.body, bold=True))
        row = QHBoxLayout(self)
        row.setContentsMargins(SPACE.md, SPACE.sm, SPACE.md, SPACE.sm)
        row.setSpacing(SPACE.sm)
        row.addWidget(picture)
        row.addWidget(self.label, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.label.setMinimumHeight(max(self.label.heightForWidth(self.label.width()), 0))


class RawSection(QWidget):
    """ "Show raw data" folds out the exact payload, read-only and monospaced."""

    def __init__(self, raw: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.toggle = QToolButton(self)
        self.toggle.setObjectName("signing-raw-toggle")
        self.toggle.setCheckable(True)
        self.toggle.setAutoRaise(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.raw = QPlainTextEdit(raw, self)
        self.raw.setObjectName("signing-raw")
        self.raw.setReadOnly(True)
        self.raw.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.raw.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.raw.setMinimumHeight(160)
        self.raw.setVisible(False)
        self.toggle.toggled.connect(self._toggle)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.raw)
        self._toggle(False)

    def _toggle(self, shown: bool) -> None:
        self.raw.setVisible(shown)
        self.toggle.setText("Hide raw data" if shown else "Show raw data")
        self.toggle.setIcon(icon("chevron-down" if shown else "chevron-right", Tone.NEUTRAL))


def dialog_width(parent: QWidget | None, preferred: int = 640) -> int:
    """A signing dialog's width: ``preferred``, never wider than the window it belongs to."""
    if parent is None:
        return preferred
    return max(min(preferred, parent.window().width() - 2 * SPACE.xl), 360)
