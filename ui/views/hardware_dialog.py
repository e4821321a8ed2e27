"""Adding a Ledger or Trezor account, and the "Confirm on your device" window while it signs.

``HardwareAccountDialog`` finds the plugged-in device, lists its addresses along a path (the
standard one, Ledger Live's, or the legacy Ledger one) with a picker as for recovery phrases,
can show the chosen address on the device, and on Add hands back a ``HardwareRecord``; nothing
is sealed in the keyring, since no secret exists on this computer. ``DeviceWaitDialog`` tells the
person to confirm on the device and shows the hashes to compare.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.keys.hardware.base import HARDWARE_PRESETS
from app.keys.hardware.signer import (
    DeviceSummary,
    HardwareBackend,
    confirm_on_device,
    device_addresses,
)
from app.keys.metadata import HardwareRecord
from app.keys.mnemonic import DerivedAddress
from ui.tasks import run_task

if TYPE_CHECKING:
    from ui.signing import Keys

PAGE = 5
VENDORS = (("ledger", "Ledger (Ethereum app)"), ("trezor", "Trezor"))
PATH_LABELS = {
    "bip44": "Standard — MetaMask, Trezor Suite, Ledger Live ‘Legacy’… (m/44'/60'/0'/0/i)",
    "ledger-live": "Ledger Live (m/44'/60'/i'/0/0)",
    "ledger-legacy": "Ledger legacy — MEW, MyCrypto (m/44'/60'/0'/i)",
}


class HardwareAccountDialog(QDialog):
    """Pick a device, a path and an address; ``record()`` is what to add."""

    def __init__(self, backend: HardwareBackend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.setWindowTitle("Add a hardware wallet account")
        self.setObjectName("hardware-dialog")
        self.summary: DeviceSummary | None = None
        self.derived: list[DerivedAddress] = []
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Plug in and unlock the device (on a Ledger, open the Ethereum app). Its key never "
            "leaves it: govdesk keeps only the address, the path and the device's fingerprint.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addLayout(self._device_form())
        layout.addLayout(self._address_buttons())
        self.device_label = QLabel("", self)
        self.device_label.setObjectName("hardware-device")
        self.device_label.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.device_label)
        self.picker = QListWidget(self)
        self.picker.setObjectName("hardware-picker")
        self.picker.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        layout.addWidget(self.picker)
        label_row = QFormLayout()
        label_row.addRow("Label:", self.label)
        layout.addLayout(label_row)
        self.status = QLabel("", self)
        self.status.setObjectName("hardware-status")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(self)
        self.add_button = buttons.addButton("Add account", QDialogButtonBox.ButtonRole.AcceptRole)
        self.add_button.setObjectName("hardware-add")
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _device_form(self) -> QFormLayout:
        """Which device and which derivation path (the account's label field is made here too)."""
        form = QFormLayout()
        self.vendor = QComboBox(self)
        self.vendor.setObjectName("hardware-vendor")
        for key, text in VENDORS:
            self.vendor.addItem(text, key)
        self.template = QComboBox(self)
        self.template.setObjectName("hardware-path")
        for key in HARDWARE_PRESETS:
            self.template.addItem(PATH_LABELS[key], key)
        self.vendor.currentIndexChanged.connect(self._vendor_changed)
        self.label = QLineEdit(self)
        self.label.setObjectName("hardware-label")
        form.addRow("Device:", self.vendor)
        form.addRow("Path:", self.template)
        return form

    def _address_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.find_button = QPushButton("Show addresses", self)
        self.find_button.setObjectName("hardware-find")
        self.find_button.clicked.connect(lambda: self.load(start=0))
        self.more_button = QPushButton("More addresses", self)
        self.more_button.setObjectName("hardware-more")
        self.more_button.clicked.connect(lambda: self.load(start=len(self.derived)))
        self.more_button.setEnabled(False)
        self.show_button = QPushButton("Show on device", self)
        self.show_button.setObjectName("hardware-show")
        self.show_button.clicked.connect(self.show_on_device)
        self.show_button.setEnabled(False)
        for button in (self.find_button, self.more_button, self.show_button):
            row.addWidget(button)
        return row

    def vendor_key(self) -> str:
        return str(self.vendor.currentData())

    def _vendor_changed(self) -> None:
        # Ledger Live's own path first for a Ledger; the standard one for a Trezor.
        wanted = "ledger-live" if self.vendor_key() == "ledger" else "bip44"
        self.template.setCurrentIndex(self.template.findData(wanted))
        self.picker.clear()
        self.derived = []
        self.summary = None
        self.device_label.setText("")

    def load(self, *, start: int) -> None:
        self.status.setText(f"Reading addresses from your {self._name()}…")
        self.find_button.setEnabled(False)
        if start == 0:
            self.picker.clear()
            self.derived = []
        coro = device_addresses(
            self.backend,
            self.vendor_key(),
            template=str(self.template.currentData()),
            start=start,
            count=PAGE,
        )
        run_task(coro, owner=self, on_done=self._loaded, on_error=self._failed)

    def _loaded(self, result: tuple[DeviceSummary, Sequence[DerivedAddress]]) -> None:
        summary, found = result
        self.summary = summary
        state = summary.state
        version = ".".join(str(v) for v in state.version)
        what = "Ethereum app" if summary.description.vendor == "ledger" else "firmware"
        mode = "shows EIP-712 messages in full" if state.full_eip712 else "signs EIP-712 by hashes"
        model = summary.description.model or state.model
        self.device_label.setText(
            f"{self._name()} {model}".strip()
            + f" · {what} {version} · fingerprint {summary.fingerprint} · {mode}"
        )
        for item in found:
            self.derived.append(item)
            QListWidgetItem(f"{item.index:>3}  {item.address}  ({item.path})", self.picker)
        if self.picker.currentRow() < 0:
            self.picker.setCurrentRow(0)
        self.status.setText("Pick the address to add. “Show on device” lets you check it there.")
        self.find_button.setEnabled(True)
        self.more_button.setEnabled(
            bool(found) and "{i}" in HARDWARE_PRESETS[str(self.template.currentData())]
        )
        self.show_button.setEnabled(bool(found))

    def _failed(self, message: str) -> None:
        self.status.setText(message)
        self.find_button.setEnabled(True)

    def chosen(self) -> DerivedAddress | None:
        row = self.picker.currentRow()
        return self.derived[row] if 0 <= row < len(self.derived) else None

    def show_on_device(self) -> None:
        chosen = self.chosen()
        if chosen is None:
            return
        self.status.setText(
            f"Check that your {self._name()} shows {chosen.address}, then confirm there."
        )
        coro = confirm_on_device(self.backend, self.vendor_key(), chosen.path)
        run_task(
            coro, owner=self, on_done=lambda r: self._shown(r[1], chosen), on_error=self._failed
        )

    def _shown(self, shown: str, chosen: DerivedAddress) -> None:
        if shown == chosen.address:
            self.status.setText(f"Your {self._name()} confirmed {shown}.")
        else:
            self.status.setText(f"The device showed {shown}, not {chosen.address}: do not add it.")

    def _name(self) -> str:
        return "Ledger" if self.vendor_key() == "ledger" else "Trezor"

    def record(self) -> HardwareRecord | None:
        chosen, summary = self.chosen(), self.summary
        if chosen is None or summary is None:
            return None
        model = summary.description.model or summary.state.model
        return HardwareRecord(
            chosen.address, self.vendor_key(), chosen.path, summary.fingerprint, model
        )

    def accept(self) -> None:
        if self.record() is None:
            self.status.setText("Show the addresses and pick the one to add.")
            return
        super().accept()


class DeviceWaitDialog(QDialog):
    """ "Confirm on your Ledger": shown while the device has the request, with what to compare."""

    def __init__(
        self, device: str, fields: Sequence[tuple[str, str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Confirm on your {device}")
        self.setObjectName("device-wait")
        layout = QVBoxLayout(self)
        self.message = QLabel(
            f"Confirm on your {device}. Check what it shows; if it shows hashes, they must be "
            "exactly these:",
            self,
        )
        self.message.setObjectName("device-wait-message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        form = QFormLayout()
        for label, value in fields:
            text = QLabel(value, self)
            text.setTextFormat(Qt.TextFormat.PlainText)
            text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            text.setWordWrap(True)
            form.addRow(f"{label}:", text)
        layout.addLayout(form)


def open_hardware_dialog(
    page: QWidget, keys: Keys, run: Callable[[Awaitable[Any]], None]
) -> HardwareAccountDialog:
    """The accounts page's "Add a hardware wallet account…": on Add, the record is stored."""
    dialog = HardwareAccountDialog(keys.hardware, page)

    def added() -> None:
        record = dialog.record()
        label = dialog.label.text().strip() or None
        if record is not None:
            run(keys.manager.add_hardware(record, label=label))
        dialog.deleteLater()

    dialog.accepted.connect(added)
    dialog.rejected.connect(dialog.deleteLater)
    dialog.open()
    return dialog
