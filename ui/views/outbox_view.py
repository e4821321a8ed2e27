"""OutboxView: the signed Snapshot messages and what became of them; resend the pending ones.

Also ``OutboxIndicator`` (the status-bar "N waiting to send"). Resending is
``app.snapshot.outbox.resend_pending``, used at start-up and by the button.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.snapshot.outbox import Outbox, OutboxEntry, OutboxStatus, resend_pending
from ui.tasks import run_task

_COLUMNS = ("Message", "From", "Hub", "Status", "Details")


def status_text(entry: OutboxEntry) -> tuple[str, str]:
    """The status word and its detail: the receipt id when sent, the reason when refused."""
    if entry.status is OutboxStatus.ACCEPTED:
        return "sent", f"receipt {entry.receipt.id}" if entry.receipt else ""
    if entry.status is OutboxStatus.REJECTED:
        return "rejected", entry.last_error or "refused by the hub"
    tried = f"tried {entry.attempts}×: {entry.last_error}" if entry.attempts else "not sent yet"
    return "pending", tried


def waiting_text(pending: int) -> str:
    return f"{pending} waiting to send" if pending else ""


class OutboxIndicator(QLabel):
    """Status-bar label, visible only while signed messages wait to be sent."""

    def __init__(self, outbox: Outbox, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("outbox-indicator")
        self._outbox = outbox
        self.update_count()

    def update_count(self) -> int:
        pending = len(self._outbox.pending())
        self.setText(waiting_text(pending))
        self.setVisible(pending > 0)
        return pending


class OutboxView(QDialog):
    """The outbox as a list, newest last, with a "Send pending now" button."""

    changed = Signal()  # entries were sent (or tried): indicators should recount

    def __init__(self, outbox: Outbox, parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Outbox — signed Snapshot messages")
        self.setObjectName("outbox-view")
        self.outbox = outbox
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(list(_COLUMNS))
        self.tree.setRootIsDecorated(False)
        self.note = QLabel(self)
        self.send_button = QPushButton("Send pending now", self)
        self.send_button.setObjectName("send-pending")
        self.send_button.clicked.connect(self.send_pending)
        buttons = QHBoxLayout()
        buttons.addWidget(self.note, 1)
        buttons.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        layout.addLayout(buttons)
        self.resize(820, 360)
        self.reload()

    def reload(self) -> None:
        self.tree.clear()
        entries = self.outbox.entries()
        for entry in entries:
            status, detail = status_text(entry)
            item = QTreeWidgetItem([entry.envelope.kind, entry.envelope.address, entry.hub_url,
                                    status, detail])  # fmt: skip
            item.setData(0, Qt.ItemDataRole.UserRole, entry.envelope.id)
            item.setToolTip(0, entry.envelope.id)
            self.tree.addTopLevelItem(item)
        pending = sum(e.status is OutboxStatus.PENDING for e in entries)
        self.send_button.setEnabled(pending > 0)
        self.note.setText(waiting_text(pending) or f"{len(entries)} messages, none waiting")

    def rows(self) -> list[tuple[str, str]]:
        """(status, detail) per row, as shown."""
        items = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [(item.text(3), item.text(4)) for item in items if item is not None]

    def send_pending(self) -> None:
        self.send_button.setEnabled(False)
        self.note.setText("Sending…")
        run_task(
            resend_pending(self.outbox),
            owner=self,
            on_done=lambda _entries: self._after_send(),
            on_error=self._on_error,
        )

    def _after_send(self) -> None:
        self.reload()
        self.changed.emit()

    def _on_error(self, message: str) -> None:
        self.reload()
        self.note.setText(message)
        self.changed.emit()


class OutboxControls(QObject):
    """The window's outbox parts: the status-bar count, the (lazily built) list, the resend."""

    def __init__(self, outbox: Outbox, window: QWidget, on_error: Callable[[str], None]) -> None:
        super().__init__(window)
        self._outbox = outbox
        self._window = window
        self._on_error = on_error
        self.indicator = OutboxIndicator(outbox, window)
        self.view: OutboxView | None = None

    def show(self) -> OutboxView:
        """Open (or raise) the outbox list; what it sends updates the status-bar count."""
        if self.view is None:
            self.view = OutboxView(self._outbox, self._window)
            self.view.changed.connect(self.indicator.update_count)
        self.view.reload()
        self.view.show()
        self.view.activateWindow()
        return self.view

    def resend(self) -> None:
        """Send what was signed but not yet acknowledged (after a crash or while offline)."""
        run_task(
            resend_pending(self._outbox),
            owner=self,
            on_done=lambda _entries: self._after_resend(),
            on_error=self._on_error,
        )

    def _after_resend(self) -> None:
        self.indicator.update_count()
        if self.view is not None:
            self.view.reload()
