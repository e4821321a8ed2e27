"""The keyboard shortcuts (one table, used both to bind them and to list them under F1)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTableWidget, QTableWidgetItem, QVBoxLayout

from ui.format import PHASE_TITLES

FOCUS_COLUMNS = ("Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4")  # Ideate … Execute, left to right
ACCOUNTS = "Ctrl+O"
OUTBOX = "Ctrl+Shift+O"
HELP = "F1"


def shortcuts() -> list[tuple[str, str]]:
    """(keys, what they do); platform keys are read when asked (they need the app running)."""

    def standard(key: QKeySequence.StandardKey) -> str:
        return QKeySequence(key).toString()

    return [
        *(
            (keys, f"Focus the {title} column")
            for keys, title in zip(FOCUS_COLUMNS, PHASE_TITLES.values(), strict=True)
        ),
        (standard(QKeySequence.StandardKey.Find), "Search the board"),
        (standard(QKeySequence.StandardKey.New), "New idea"),
        (standard(QKeySequence.StandardKey.Refresh), "Refresh the board"),
        (ACCOUNTS, "Accounts"),
        (OUTBOX, "Outbox: signed messages and their status"),
        ("Return", "Open the selected card"),
        (HELP, "This list"),
    ]


class ShortcutsDialog(QDialog):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        table = shortcuts()
        self.table = QTableWidget(len(table), 2, self)
        self.table.setHorizontalHeaderLabels(["Keys", "Does"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (keys, does) in enumerate(table):
            native = QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)
            self.table.setItem(row, 0, QTableWidgetItem(native or keys))
            self.table.setItem(row, 1, QTableWidgetItem(does))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(440, 380)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
