"""SigningDialog: the readable preview of what is about to be signed, with Sign and Cancel.

Warnings are red; a DANGER warning keeps Sign disabled until "I understand" is ticked. The exact
payload (typed data or transaction) is one click away in a read-only monospace box.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QTextOption
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.keys.preview import Severity, SigningPreview

LONG_TEXT = 240  # longer values get their own scrolling box
LONG_WORD = 48  # an unbroken run (hex) this long would widen a label: it wraps in a box
LONG_LINES = 10
MIN_WIDTH = 600
_COLOURS = {Severity.INFO: "#555555", Severity.WARNING: "#c62828", Severity.DANGER: "#b71c1c"}


class SigningDialog(QDialog):
    def __init__(
        self,
        preview: SigningPreview,
        parent: QWidget | None = None,
        *,
        offline: bool = False,
        network: str = "",
        device: str = "",
    ) -> None:
        super().__init__(parent)
        self.preview = preview
        self.setWindowTitle("Review and sign")
        self.setObjectName("signing-dialog")
        self.setMinimumWidth(MIN_WIDTH)  # a whole address fits beside its label
        layout = QVBoxLayout(self)
        title = QLabel(f"<b>{_escape(preview.title)}</b>", self)
        title.setObjectName("signing-title")
        layout.addWidget(title)
        self.network = QLabel(f"Account's network: {network}" if network else "", self)
        self.network.setObjectName("signing-network")
        self.network.setTextFormat(Qt.TextFormat.PlainText)
        self.network.setVisible(bool(network))
        layout.addWidget(self.network)
        # Everything signed is shown, however long: the fields scroll, the window does not grow
        # past the screen, and long values (a proposal's body, calldata) wrap in their own box.
        fields = QWidget(self)
        fields.setLayout(self._fields_form())
        self.fields_scroll = QScrollArea(self)
        self.fields_scroll.setObjectName("signing-fields")
        self.fields_scroll.setWidgetResizable(True)
        self.fields_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.fields_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.fields_scroll.setWidget(fields)
        self.fields_scroll.setMinimumHeight(min(fields.sizeHint().height(), 360))
        layout.addWidget(self.fields_scroll, 1)
        self.warning_labels = [self._warning_label(w.severity, w.message) for w in preview.warnings]
        for label in self.warning_labels:
            layout.addWidget(label)
        self.understand = QCheckBox("I understand the danger and still want to sign", self)
        self.understand.setObjectName("signing-understand")
        self.understand.setVisible(preview.dangerous)
        self.understand.toggled.connect(self._update_sign_enabled)
        layout.addWidget(self.understand)
        self.device_note = QLabel(
            f"Confirm on your {device}. If it shows hashes, compare them with the ones above.",
            self,
        )
        self.device_note.setObjectName("signing-device")
        self.device_note.setVisible(bool(device))
        layout.addWidget(self.device_note)
        self._add_raw_section(layout)
        self.buttons = QDialogButtonBox(self)
        sign_text = f"Sign on your {device}" if device else "Sign"
        self.sign_button = QPushButton("Create signing request" if offline else sign_text, self)
        self.sign_button.setObjectName("signing-sign")
        self.buttons.addButton(self.sign_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._update_sign_enabled()

    def _fields_form(self) -> QFormLayout:
        form = QFormLayout()
        for preview_field in self.preview.fields:
            form.addRow(f"{preview_field.label}:", self._value_widget(preview_field.value))
        return form

    def _value_widget(self, text: str) -> QWidget:
        long_word = any(len(word) > LONG_WORD for word in text.split())
        if "\n" in text or len(text) > LONG_TEXT or long_word:
            box = QPlainTextEdit(text, self)
            box.setObjectName("signing-long-value")
            box.setReadOnly(True)
            box.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
            box.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
            lines = min(max(text.count("\n") + 1, len(text) // 40 + 1), LONG_LINES)
            box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 12)
            return box
        value = QLabel(text, self)
        value.setTextFormat(Qt.TextFormat.PlainText)  # a payload must not inject markup
        value.setWordWrap(True)
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return value

    def _warning_label(self, severity: Severity, message: str) -> QLabel:
        prefix = {Severity.DANGER: "DANGER: ", Severity.WARNING: "Warning: "}.get(severity, "")
        label = QLabel(prefix + message, self)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        label.setObjectName(f"signing-warning-{severity.value}")
        label.setStyleSheet(f"color: {_COLOURS[severity]}; font-weight: bold;")
        return label

    def _add_raw_section(self, layout: QVBoxLayout) -> None:
        self.raw_toggle = QPushButton("Show raw data", self)
        self.raw_toggle.setObjectName("signing-raw-toggle")
        self.raw_toggle.setCheckable(True)
        self.raw = QPlainTextEdit(self.preview.raw_json, self)
        self.raw.setObjectName("signing-raw")
        self.raw.setReadOnly(True)
        self.raw.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.raw.setVisible(False)
        self.raw_toggle.toggled.connect(self._toggle_raw)
        layout.addWidget(self.raw_toggle)
        layout.addWidget(self.raw)

    def _toggle_raw(self, shown: bool) -> None:
        self.raw.setVisible(shown)
        self.raw_toggle.setText("Hide raw data" if shown else "Show raw data")

    def _update_sign_enabled(self) -> None:
        self.sign_button.setEnabled(not self.preview.dangerous or self.understand.isChecked())

    def accept(self) -> None:
        # A programmatic accept() must obey the same rule as the button.
        if self.sign_button.isEnabled():
            super().accept()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
