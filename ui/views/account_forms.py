"""The small input dialogs of the accounts page, built from field specs.

``FieldsForm`` lays out named fields (text, secret, multi-line, file) and refuses to accept while a
"password"/"repeat" pair differs. ``MnemonicForm`` adds the address picker: the phrase and path are
turned into the first derived addresses (in a worker thread) and the person picks one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.keys.metadata import AccountInfo, AccountKind
from app.keys.mnemonic import DEFAULT_PATH_TEMPLATE, DerivedAddress, list_addresses
from ui.tasks import run_task
from ui.theme import set_role

PICKER_COUNT = 5
MIN_PASSWORD = 8


def documents_dir() -> Path:
    """Where file dialogs start: the person's documents folder, not the working directory."""
    from PySide6.QtCore import QStandardPaths

    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


class FieldKind(Enum):
    TEXT = "text"
    HIDDEN = "hidden"
    MULTILINE = "multiline"
    OPEN_FILE = "open-file"
    SAVE_FILE = "save-file"


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: FieldKind = FieldKind.TEXT
    default: str = ""


NEW_PASSWORD = (
    Field("password", "Password (8+ characters)", FieldKind.HIDDEN),
    Field("repeat", "Repeat the password", FieldKind.HIDDEN),
)


class FieldsForm(QDialog):
    def __init__(
        self, title: str, message: str, fields: Sequence[Field], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("account-form")
        self.layout_ = QVBoxLayout(self)
        if message:
            intro = QLabel(message, self)
            intro.setWordWrap(True)
            self.layout_.addWidget(intro)
        self.form = QFormLayout()
        self.layout_.addLayout(self.form)
        self.inputs: dict[str, QLineEdit | QPlainTextEdit] = {}
        for spec in fields:
            self.form.addRow(spec.label + ":", self._input(spec))
        self.error = QLabel("", self)
        self.error.setObjectName("form-error")
        set_role(self.error, "error")
        self.error.setWordWrap(True)
        self.layout_.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.layout_.addWidget(buttons)

    def _input(self, spec: Field) -> QWidget:
        if spec.kind is FieldKind.MULTILINE:
            box = QPlainTextEdit(spec.default, self)
            box.setObjectName(f"field-{spec.key}")
            self.inputs[spec.key] = box
            return box
        line = QLineEdit(spec.default, self)
        line.setObjectName(f"field-{spec.key}")
        if spec.kind is FieldKind.HIDDEN:
            line.setEchoMode(QLineEdit.EchoMode.Password)
        self.inputs[spec.key] = line
        if spec.kind not in (FieldKind.OPEN_FILE, FieldKind.SAVE_FILE):
            return line
        row = QWidget(self)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        browse = QPushButton("Browse…", row)
        browse.clicked.connect(lambda: self._browse(line, save=spec.kind is FieldKind.SAVE_FILE))
        layout.addWidget(line)
        layout.addWidget(browse)
        return row

    def _browse(self, line: QLineEdit, *, save: bool) -> None:
        chooser = QFileDialog.getSaveFileName if save else QFileDialog.getOpenFileName
        start = line.text() or str(documents_dir())
        name, _filter = chooser(self, self.windowTitle(), start, "Keystore (*.json);;All (*)")
        if name:
            line.setText(name)

    def set_value(self, key: str, value: str) -> None:
        widget = self.inputs[key]
        if isinstance(widget, QPlainTextEdit):
            widget.setPlainText(value)
        else:
            widget.setText(value)

    def value(self, key: str) -> str:
        widget = self.inputs[key]
        return widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()

    def path(self, key: str) -> Path:
        return Path(self.value(key).strip()).expanduser()

    def problem(self) -> str | None:
        """Why the form cannot be accepted yet, or None."""
        if "repeat" in self.inputs and len(self.value("password")) < MIN_PASSWORD:
            return f"Choose a password of at least {MIN_PASSWORD} characters."
        if "repeat" in self.inputs and self.value("password") != self.value("repeat"):
            return "The two passwords differ."
        return None

    def accept(self) -> None:
        problem = self.problem()
        if problem:
            self.error.setText(problem)
            return
        super().accept()


class MnemonicForm(FieldsForm):
    """Recovery phrase, derivation path and an address picker, then label and password."""

    def __init__(self, parent: QWidget | None = None) -> None:
        fields = (
            Field("words", "Recovery phrase", FieldKind.MULTILINE),
            Field("passphrase", "BIP-39 passphrase (optional)", FieldKind.HIDDEN),
            Field("template", "Derivation path ({i} = index)", default=DEFAULT_PATH_TEMPLATE),
            Field("label", "Label"),
            *NEW_PASSWORD,
        )
        super().__init__("Import a recovery phrase", "", fields, parent)
        self.derived: list[DerivedAddress] = []
        self.show_button = QPushButton("Show addresses", self)
        self.show_button.setObjectName("mnemonic-show")
        self.show_button.clicked.connect(self.show_addresses)
        self.picker = QListWidget(self)
        self.picker.setObjectName("mnemonic-picker")
        self.layout_.insertWidget(2, self.show_button)
        self.layout_.insertWidget(3, self.picker)

    def show_addresses(self) -> None:
        self.error.setText("Deriving addresses…")
        self.picker.clear()
        coro = asyncio.to_thread(
            list_addresses,
            self.value("words"),
            template=self.value("template").strip(),
            count=PICKER_COUNT,
            passphrase=self.value("passphrase"),
        )
        run_task(coro, owner=self, on_done=self._show_derived, on_error=self.error.setText)

    def _show_derived(self, derived: list[DerivedAddress]) -> None:
        self.error.setText("")
        self.derived = derived
        for item in derived:
            QListWidgetItem(f"{item.index}  {item.address}  ({item.path})", self.picker)
        self.picker.setCurrentRow(0)

    def chosen(self) -> DerivedAddress | None:
        row = self.picker.currentRow()
        return self.derived[row] if 0 <= row < len(self.derived) else None

    def problem(self) -> str | None:
        if self.chosen() is None:
            return "Show the addresses and pick the one to import."
        return super().problem()


class RemoveDialog(QDialog):
    """Confirm removing an account. Cancel is the default button (Enter keeps the key); a key
    created here and never backed up gets a plain warning that it will be gone for good."""

    def __init__(
        self, info: AccountInfo, never_backed_up: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Remove account")
        self.setObjectName("remove-account")
        layout = QVBoxLayout(self)
        local = info.kind is AccountKind.LOCAL
        text = f"Remove {info.label} ({info.address}) from govdesk?"
        if local:
            text += " Its key is deleted from this device's keyring."
        message = QLabel(text, self)
        message.setWordWrap(True)
        layout.addWidget(message)
        self.warning = QLabel(
            "This key was never backed up. Once removed, it cannot be recovered, and anything "
            "it holds is lost. Export a keystore first.", self)  # fmt: skip
        self.warning.setObjectName("remove-warning")
        self.warning.setWordWrap(True)
        self.warning.setVisible(local and never_backed_up)
        layout.addWidget(self.warning)
        buttons = QDialogButtonBox(self)
        destructive = QDialogButtonBox.ButtonRole.DestructiveRole
        self.remove_button = buttons.addButton("Remove", destructive)
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.remove_button.setAutoDefault(False)
        self.remove_button.setDefault(False)
        self.cancel_button.setDefault(True)
        self.cancel_button.setFocus()
        self.remove_button.clicked.connect(self.accept)
        self.cancel_button.clicked.connect(self.reject)
        layout.addWidget(buttons)
