"""AddressChip: an address as people recognise it — blockie, name, ``0x1234…abcd`` — with the
full checksummed address one click away and a copy button.

``checksummed`` keeps EIP-55 case in both the short and the full form (a lower-cased address is
re-checksummed; anything that is not a 20-byte hex address is shown as given). Every string is
shown as plain text: names and addresses can come from the network.
"""

from __future__ import annotations

import re
from functools import lru_cache

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from ui.format import short_address
from ui.theme import set_role
from ui.theme.icons import icon
from ui.widgets.identicon import identicon

_HEX_ADDRESS = re.compile(r"^0x[0-9a-fA-F]{40}$")


@lru_cache(maxsize=8192)
def checksummed(address: str) -> str:
    """EIP-55 mixed case for a hex address (keccak loads on first use, not at start-up)."""
    if not _HEX_ADDRESS.match(address):
        return address
    from eth_hash.auto import keccak

    plain = address[2:].lower()
    digest = keccak(plain.encode("ascii")).hex()
    return "0x" + "".join(
        c.upper() if int(d, 16) >= 8 else c for c, d in zip(plain, digest[:40], strict=True)
    )


def display_address(address: str) -> str:
    """``0x1234…abcd`` with the checksum's case preserved."""
    return short_address(checksummed(address))


def _plain(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class AddressChip(QWidget):
    """[blockie] Name  0x1234…abcd [copy]; clicking the short form shows the whole address.

    Text on a QToolButton is never interpreted as markup, so the name stays plain too.
    """

    copied = Signal(str)

    def __init__(
        self, address: str = "", name: str = "", *, size: int = 24, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("address-chip")
        self._size = size
        self.picture = QLabel(self)
        self.name = _plain("", self)
        self.short = QToolButton(self)
        self.short.setObjectName("address-short")
        self.short.setAutoRaise(True)
        self.short.setCheckable(True)
        self.short.setToolTip("Show the whole address")
        self.short.toggled.connect(self._toggle_full)
        self.copy = QToolButton(self)
        self.copy.setObjectName("address-copy")
        self.copy.setAutoRaise(True)
        self.copy.setIcon(icon("copy"))
        self.copy.setToolTip("Copy the address")
        self.copy.clicked.connect(self.copy_address)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        for widget in (self.picture, self.name, self.short, self.copy):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.set_address(address, name)

    def set_address(self, address: str, name: str = "") -> None:
        self.address = checksummed(address)
        self.picture.setPixmap(identicon(self.address, self._size, self.devicePixelRatioF()))
        self.picture.setVisible(bool(address))
        self.name.setText(name)
        self.name.setVisible(bool(name))
        self._toggle_full(self.short.isChecked())
        set_role(self.short, "muted" if name else "")
        self.copy.setVisible(bool(address))

    def _toggle_full(self, shown: bool) -> None:
        self.short.setText(self.address if shown else short_address(self.address))
        self.short.setToolTip("Show the short form" if shown else "Show the whole address")

    def copy_address(self) -> None:
        QGuiApplication.clipboard().setText(self.address)
        self.copy.setToolTip("Copied")
        self.copied.emit(self.address)
