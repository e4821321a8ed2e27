"""OutboxView: the signed Snapshot messages and what became of them; resend the pending ones.

Also ``OutboxIndicator`` (the status-bar "N waiting to send"). Resending is
``SnapshotService.resend_pending`` (each entry to the sequencer it was signed for), used at
start-up, by the button, and every ``RETRY_EVERY_MS`` for entries whose backoff has passed (a
transient refusal such as "failed to check voting power" keeps an entry pending).
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
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

from app.snapshot.outbox import DamagedEntry, OutboxEntry, OutboxStatus
from app.snapshot.refusals import explain
from ui.tasks import run_task

if TYPE_CHECKING:
    from app.snapshot.send import SnapshotService

_COLUMNS = ("Message", "From", "Sent to", "Status", "Details")
RETRY_EVERY_MS = 30_000


def status_text(entry: OutboxEntry) -> tuple[str, str]:
    """The status word and its detail: the receipt id when sent, the reason when refused."""
    if entry.status is OutboxStatus.ACCEPTED:
        return "sent", f"receipt {entry.receipt.id}" if entry.receipt else ""
    if entry.status is OutboxStatus.REJECTED:
        reason = entry.last_error or "refused by the hub"
        return "rejected", f"{reason} — {explain(reason).explanation}"
    if not entry.attempts:
        return "pending", "not sent yet"
    return "pending", f"tried {entry.attempts}×, will retry: {entry.last_error}"


def waiting_text(pending: int) -> str:
    return f"{pending} waiting to send" if pending else ""


DAMAGED_STATUS = "damaged"


def damaged_text(entry: DamagedEntry) -> str:
    """What the person reads about a row the store could not read whole (issue #22)."""
    if entry.row == "*":
        return f"damaged — the outbox table cannot be read, kept aside, not sent: {entry.problem}"
    return f"damaged — kept aside, not sent: {entry.problem}"


def damaged_columns(entry: DamagedEntry) -> list[str]:
    """The row's cells, with what is still legible; a missing part says so."""
    kind = entry.kind or "unreadable message"
    return [kind, entry.address or "(unreadable)", entry.sequencer_url or "(unreadable)",
            DAMAGED_STATUS, damaged_text(entry)]  # fmt: skip


class OutboxIndicator(QLabel):
    """Status-bar label, visible only while signed messages wait to be sent."""

    def __init__(self, snapshot: SnapshotService, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("outbox-indicator")
        self._snapshot = snapshot
        self.update_count()

    def update_count(self) -> int:
        pending = len(self._snapshot.outbox.pending())
        self.setText(waiting_text(pending))
        self.setVisible(pending > 0)
        return pending


class OutboxView(QDialog):
    """The outbox as a list, newest last, with a "Send pending now" button."""

    changed = Signal()  # entries were sent (or tried): indicators should recount

    def __init__(self, snapshot: SnapshotService, parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Outbox — signed Snapshot messages")
        self.setObjectName("outbox-view")
        self.snapshot = snapshot
        self.outbox = snapshot.outbox
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
            item = QTreeWidgetItem([entry.envelope.kind, entry.envelope.address,
                                    entry.sequencer_url, status, detail])  # fmt: skip
            item.setData(0, Qt.ItemDataRole.UserRole, entry.envelope.id)
            item.setToolTip(0, entry.envelope.id)
            self.tree.addTopLevelItem(item)
        damaged = self.outbox.damaged()  # after entries(): reading them quarantines the bad
        for bad in damaged:
            item = QTreeWidgetItem(damaged_columns(bad))
            item.setData(0, Qt.ItemDataRole.UserRole, bad.message_id or None)
            tip = f"message {bad.message_id}\n" if bad.message_id else ""
            for column in range(len(_COLUMNS)):
                # Escaped: a tooltip guesses rich text, and the problem may quote damaged bytes.
                item.setToolTip(column, f"<p>{escape(tip)}store row {escape(bad.row)}: "
                                        f"{escape(bad.problem)}</p>")  # fmt: skip
                item.setForeground(column, self.palette().placeholderText())
            self.tree.addTopLevelItem(item)
        from ui.views.safe_vote_box import safe_outbox_rows  # the vote panels load with it

        self.tree.addTopLevelItems([QTreeWidgetItem(r) for r in safe_outbox_rows(self.parent())])
        pending = sum(e.status is OutboxStatus.PENDING for e in entries)
        self.send_button.setEnabled(pending > 0)
        plural = "" if len(entries) == 1 else "s"
        note = waiting_text(pending) or f"{len(entries)} message{plural}, none waiting"
        if damaged:
            note += f" · {len(damaged)} damaged, kept aside"
        self.note.setText(note)

    def rows(self) -> list[tuple[str, str]]:
        """(status, detail) per row, as shown."""
        items = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [(item.text(3), item.text(4)) for item in items if item is not None]

    def send_pending(self) -> None:
        self.send_button.setEnabled(False)
        self.note.setText("Sending…")
        run_task(
            self.snapshot.resend_pending(),
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

    def __init__(
        self, snapshot: SnapshotService, window: QWidget, on_error: Callable[[str], None]
    ) -> None:
        super().__init__(window)
        self._snapshot = snapshot
        self._window = window
        self._on_error = on_error
        self.indicator = OutboxIndicator(snapshot, window)
        self.view: OutboxView | None = None
        self._sending = False
        self.timer = QTimer(self)  # retries entries kept pending by a transient refusal
        self.timer.setInterval(RETRY_EVERY_MS)
        self.timer.timeout.connect(self.retry_due)
        self.timer.start()

    def show(self) -> OutboxView:
        """Open (or raise) the outbox list; what it sends updates the status-bar count."""
        if self.view is None:
            self.view = OutboxView(self._snapshot, self._window)
            self.view.changed.connect(self.indicator.update_count)
        self.view.reload()
        self.view.show()
        self.view.activateWindow()
        return self.view

    def resend(self) -> None:
        """Send what was signed but not yet acknowledged (after a crash or while offline)."""
        self._start(only_due=False, on_error=self._on_error)

    def retry_due(self) -> None:
        """Send again, quietly, the pending entries whose backoff has passed."""
        if not self._sending and self._snapshot.outbox.due():
            self._start(only_due=True, on_error=lambda _message: self._after_resend())

    def _start(self, *, only_due: bool, on_error: Callable[[str], None]) -> None:
        self._sending = True

        def failed(message: str) -> None:
            self._sending = False
            on_error(message)

        run_task(
            self._snapshot.resend_pending(only_due=only_due),
            owner=self,
            on_done=lambda _entries: self._after_resend(),
            on_error=failed,
        )

    def _after_resend(self) -> None:
        self._sending = False
        self.indicator.update_count()
        if self.view is not None:
            self.view.reload()
