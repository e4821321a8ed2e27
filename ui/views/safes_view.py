"""SafesView: the Safes (multisig accounts) this device follows, and what their owners approve.

A Safe votes when enough owners approve. Each request (a Snapshot vote, or a Safe transaction
such as an on-chain vote) shows who approved and how many more are needed. Owners whose account is
on this device approve through the normal signing dialog; an owner elsewhere gets a request file
and sends back an approval file. Then "Send vote" hands a Snapshot vote to the outbox, and
"Execute" sends a Safe transaction from the current account. All of it goes through the ``safes``
use cases; nothing here talks to the chain.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError
from app.keys.metadata import AccountInfo
from app.orgs import Organisation
from app.safe.book import FollowedSafe
from app.safe.requests import RequestKind, RequestStatus, SafeRequest
from app.usecases import UseCases
from app.usecases.signing import SignerSource
from ui.tasks import describe_error, run_task

REQUEST_COLUMNS = ("What the Safe does", "Approvals", "State")


def _item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)  # plain text only
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    return item


class SafesView(QDialog):
    def __init__(
        self,
        parent: QWidget | None,
        actions: UseCases,
        org: Organisation,
        sign_as: Callable[[str], SignerSource],
        current_sign: SignerSource,
        accounts: Callable[[], Coroutine[Any, Any, list[AccountInfo]]],
    ) -> None:
        super().__init__(parent)
        self.usecases, self.org, self.sign_as = actions, org, sign_as
        self.current_sign, self.accounts = current_sign, accounts
        self.my_accounts: list[AccountInfo] = []
        self.safes: list[FollowedSafe] = []
        self.shown_requests: list[SafeRequest] = []
        self.setWindowTitle(f"Safes — {org.network.name}")
        self.resize(820, 600)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "A Safe votes when enough of its owners approve. Approvals are kept on this device "
            "until the vote is sent, so a Safe vote can wait for an owner who is away.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addLayout(self._add_row())
        self.safe_list = QListWidget(self)
        self.safe_list.setObjectName("safes-list")
        self.safe_list.currentRowChanged.connect(lambda _row: self._show_selected())
        self.safe_list.setMaximumHeight(110)
        layout.addWidget(self.safe_list)
        self.owners = QLabel("", self)
        self.owners.setObjectName("safes-owners")
        self.owners.setWordWrap(True)
        self.owners.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.owners)
        self.requests = QTableWidget(0, len(REQUEST_COLUMNS), self)
        self.requests.setObjectName("safes-requests")
        self.requests.setHorizontalHeaderLabels(REQUEST_COLUMNS)
        self.requests.verticalHeader().setVisible(False)
        self.requests.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.requests.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.requests.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.requests.itemSelectionChanged.connect(self._update_buttons)
        layout.addWidget(self.requests, 1)
        layout.addLayout(self._request_buttons())
        self.status = QLabel("", self)
        self.status.setObjectName("safes-status")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.reload()

    def _add_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.address = QLineEdit(self)
        self.address.setObjectName("safes-address")
        self.address.setPlaceholderText("Safe address (0x…)")
        self.label = QLineEdit(self)
        self.label.setPlaceholderText("Label (e.g. Treasury)")
        self.label.setMaximumWidth(200)
        self.add_button = QPushButton("Add Safe", self)
        self.add_button.setObjectName("safes-add")
        self.add_button.clicked.connect(self.add_safe)
        row.addWidget(self.address, 1)
        row.addWidget(self.label)
        row.addWidget(self.add_button)
        return row

    def _request_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.approver = QComboBox(self)
        self.approver.setObjectName("safes-approver")
        self.approve_button = QPushButton("Approve", self)
        self.approve_button.setObjectName("safes-approve")
        self.approve_button.clicked.connect(self.approve_selected)
        self.export_button = QPushButton("Request file for an owner…", self)
        self.export_button.clicked.connect(self._ask_export)
        self.import_button = QPushButton("Add an owner's approval…", self)
        self.import_button.clicked.connect(self._ask_import)
        self.send_button = QPushButton("Send vote", self)
        self.send_button.setObjectName("safes-send")
        self.send_button.clicked.connect(self.send_selected)
        self.execute_button = QPushButton("Execute", self)
        self.execute_button.setObjectName("safes-execute")
        self.execute_button.clicked.connect(self.execute_selected)
        for widget in (self.approver, self.approve_button, self.export_button,
                       self.import_button, self.send_button, self.execute_button):  # fmt: skip
            row.addWidget(widget)
        row.insertStretch(2)
        return row

    # --- reading ---

    def reload(self) -> None:
        run_task(self.accounts(), owner=self, on_done=self._accounts_read,
                 on_error=self.status.setText)  # fmt: skip

    def _accounts_read(self, accounts: list[AccountInfo]) -> None:
        self.my_accounts = accounts
        self.safes = self.usecases.safes.followed(self.org.network.chain_id)
        keep = self.safe_list.currentRow()
        self.safe_list.clear()
        for safe in self.safes:
            self.safe_list.addItem(f"{safe.label} — {safe.info.summary}")
        if not self.safes:
            self.owners.setText(
                "No Safe is followed yet. Paste a Safe's address above: govdesk reads its owners "
                "and threshold from the chain."
            )
        self.safe_list.setCurrentRow(min(max(keep, 0), len(self.safes) - 1))
        self._show_selected()

    def selected_safe(self) -> FollowedSafe | None:
        row = self.safe_list.currentRow()
        return self.safes[row] if 0 <= row < len(self.safes) else None

    def _show_selected(self) -> None:
        safe = self.selected_safe()
        if safe is None:
            self.shown_requests = []
            self.requests.setRowCount(0)
            self._update_buttons()
            return
        owners = self.usecases.safes.owners_here(safe.info, self.my_accounts)
        lines = [f"{safe.info.threshold} of {len(safe.info.owners)} owners must approve:"]
        lines += [f"  • {owner.describe}" for owner in owners]
        self.owners.setText("\n".join(lines))
        self.shown_requests = self.usecases.safes.requests(safe.info.address)
        self.requests.setRowCount(len(self.shown_requests))
        for row, request in enumerate(self.shown_requests):
            approvals = f"{len(request.signatures)} of {request.threshold}"
            for column, text in enumerate((request.summary, approvals, request.progress)):
                self.requests.setItem(row, column, _item(text))
        if self.shown_requests and not self.requests.selectionModel().selectedRows():
            self.requests.selectRow(len(self.shown_requests) - 1)
        self._update_buttons()

    def selected_request(self) -> SafeRequest | None:
        rows = self.requests.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.shown_requests):
            return None
        return self.shown_requests[rows[0].row()]

    def _update_buttons(self) -> None:
        request = self.selected_request()
        open_ = request is not None and request.status is not RequestStatus.DONE
        self.approver.clear()
        if request is not None and open_:
            mine = {a.address.lower(): a for a in self.my_accounts}
            for owner in request.owners:
                account = mine.get(owner.lower())
                if account is not None and not request.signed_by(owner):
                    self.approver.addItem(f"as {account.label}", owner)
        self.approver.setEnabled(self.approver.count() > 0)
        self.approve_button.setEnabled(self.approver.count() > 0)
        self.export_button.setEnabled(open_)
        self.import_button.setEnabled(open_)
        ready = request.kind if request and request.status is RequestStatus.READY else None
        self.send_button.setEnabled(ready is RequestKind.SNAPSHOT)
        self.execute_button.setEnabled(ready is RequestKind.TRANSACTION)

    # --- actions ---

    def add_safe(self) -> None:
        address = self.address.text().strip()
        if not address:
            self.status.setText("Paste the Safe's address first.")
            return
        self.status.setText(f"Reading the Safe {address} on {self.org.network.name}…")
        run_task(self.usecases.safes.follow(self.org, address, self.label.text()), owner=self,
                 on_done=self._followed, on_error=self.status.setText)  # fmt: skip

    def _followed(self, safe: FollowedSafe) -> None:
        self.address.clear()
        self.label.clear()
        self.status.setText(f"Following {safe.label}: {safe.info.summary}.")
        self.reload()

    def approve_selected(self) -> None:
        request, owner = self.selected_request(), self.approver.currentData()
        if request is None or not owner:
            return
        self.status.setText("Waiting for the owner's signature…")
        run_task(
            self.usecases.safes.approve(self.org, self.sign_as(str(owner)), request.id),
            owner=self,
            on_done=self._progressed,
            on_error=self.status.setText,
        )

    def _progressed(self, request: SafeRequest) -> None:
        self.status.setText(f"{request.summary}: {request.progress}.")
        self._show_selected()

    def _ask_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save the request file", str(Path.home()),
                                              "Safe request (*.json)")  # fmt: skip
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        from app.safe.files import request_document

        request = self.selected_request()
        if request is None:
            return
        try:
            path.write_text(request_document(request), "utf-8")
        except OSError as exc:
            self.status.setText(f"Could not write {path}: {exc.strerror or exc}.")
            return
        self.status.setText(
            f"Saved the request to {path}. An owner signs it with "
            f"'govdesk safe sign-file {path.name} --out approval.json' and sends the answer back."
        )

    def _ask_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open an owner's approval", str(Path.home()),
                                              "Safe approval (*.json)")  # fmt: skip
        if path:
            self.import_from(Path(path))

    def import_from(self, path: Path) -> None:
        from app.safe.files import APPROVAL_FORMAT, approval_of, parse_document

        try:
            document = parse_document(path.read_text("utf-8"), APPROVAL_FORMAT, path.name)
            request_id, signature = approval_of(document, path.name)
            self._progressed(self.usecases.safes.add_approval(request_id, signature))
        except (OSError, UnicodeError) as exc:
            self.status.setText(f"Could not read {path}: {exc}.")
        except AppError as exc:
            self.status.setText(describe_error(exc))

    def send_selected(self) -> None:
        request = self.selected_request()
        if request is None:
            return
        self.status.setText("Sending the Safe's vote…")
        run_task(self.usecases.safes.send(request.id), owner=self,
                 on_done=lambda entry: self._sent(entry.status.value),
                 on_error=self.status.setText)  # fmt: skip

    def _sent(self, status: str) -> None:
        self.status.setText(f"The Safe's vote was handed to the outbox: {status}.")
        self._show_selected()

    def execute_selected(self) -> None:
        request = self.selected_request()
        if request is None:
            return
        self.status.setText("Waiting for your signature to execute the Safe transaction…")
        run_task(self.usecases.safes.execute(self.org, self.current_sign, request.id), owner=self,
                 on_done=lambda receipt: self._executed(receipt.block_number),
                 on_error=self.status.setText)  # fmt: skip

    def _executed(self, block: int) -> None:
        self.status.setText(f"Executed in block {block}.")
        self._show_selected()
