"""IdeaDialog: draft an idea (phase 1) with a title, markdown text and an optional forum link."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
)

from app.errors import InputError
from app.pipeline.drafts import Draft, check_draft_fields
from ui.theme import set_role


class IdeaDialog(QDialog):
    """A new idea, or (``editing``) an existing draft's title, text and discussion link."""

    def __init__(self, parent: Any = None, *, editing: Draft | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit idea" if editing else "New idea")
        self.title = QLineEdit(self)
        self.title.setPlaceholderText("What should change?")
        self.body = QPlainTextEdit(self)
        self.body.setPlaceholderText("Why, and what exactly (Markdown)")
        self.discussion = QLineEdit(self)
        self.discussion.setPlaceholderText("https://forum.example.org/t/…")
        self.needs_onchain = QCheckBox("A contract must execute this (on-chain vote)", self)
        self.needs_onchain.setChecked(True)
        self.error = QLabel(self)
        self.error.setObjectName("error")
        set_role(self.error, "error")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._on_save_clicked)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Title", self.title)
        form.addRow("Text", self.body)
        form.addRow("Discussion", self.discussion)
        form.addRow(self.needs_onchain)
        form.addRow(self.error)
        form.addRow(buttons)
        self.resize(560, 420)
        if editing is not None:
            self.title.setText(editing.title)
            self.body.setPlainText(editing.body)
            self.discussion.setText(editing.discussion_url)
            self.needs_onchain.setChecked(editing.needs_onchain)
            self.needs_onchain.setEnabled(False)

    def _on_save_clicked(self) -> None:
        try:
            check_draft_fields(self.title.text(), self.body.toPlainText(), self.discussion.text())
        except InputError as exc:
            self.error.setText(exc.user_message)
            return
        self.accept()
