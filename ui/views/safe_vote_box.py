"""SafeVoteBox: "Vote as a Safe" under a vote panel of the proposal detail view.

It lists the followed Safes the current account owns on the organisation's network. Its button
takes the panel's choice and opens the Safe's vote (a Snapshot message or a Safe transaction that
calls the governor) through the ``safes`` use cases. The account then approves it as an owner
through the signing dialog, which previews what the Safe does ("Safe 0x… (2 of 3) votes For on
proposal 12"). If that approval reaches the threshold, the vote is sent (Snapshot) or executed
(on chain); otherwise it waits, durably, for the other owners, and the outbox says for how many.

``safe_outbox_rows`` gives the outbox those waiting Safe votes.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.orgs import Organisation
from app.services import Services
from app.usecases.signing import SignerSource
from ui.tasks import run_task
from ui.widgets.vote_panels import VotePanel

if TYPE_CHECKING:  # eth-utils (under app.safe) loads when a Safe is first used, not at start-up
    from app.safe.requests import SafeRequest
    from app.snapshot.records import Proposal as SnapshotProposal
    from app.usecases.safes import Safes

    Opener = Callable[[str, Any, str], Coroutine[Any, Any, SafeRequest]]

NO_CHOICE_TEXT = "Choose an option above first; the Safe votes the same way."
ELSEWHERE_TEXT = "The other owners approve it in Safes (View menu), or from a request file."


class VoteContext(Protocol):
    """What the box needs from the detail view: the use cases, organisation and account."""

    services: Services
    org: Organisation
    account: str | None
    sign: SignerSource | None


class SafeVoteBox(QWidget):
    """Pick a Safe you own and have it vote as the panel says; hidden when you own none."""

    request_changed = Signal(object)  # the SafeRequest, after each step

    def __init__(
        self, context: VoteContext, panel: VotePanel, opener: Opener, *,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("safe-vote")
        self._context, self._panel, self._opener = context, panel, opener
        self.safes: Safes = context.services.actions.safes
        self.picker = QComboBox(self)
        self.picker.setObjectName("safe-picker")
        self.vote_button = QPushButton("Vote as Safe", self)
        self.vote_button.setObjectName("vote-as-safe")
        self.vote_button.clicked.connect(self._on_vote_button_clicked)
        self.status = QLabel("", self)
        self.status.setObjectName("safe-vote-status")
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.picker, 1)
        row.addWidget(self.vote_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Or vote as a Safe you own:", self))
        layout.addLayout(row)
        layout.addWidget(self.status)
        self.reload()

    @classmethod
    def for_snapshot(
        cls, context: VoteContext, proposal: SnapshotProposal, panel: VotePanel, parent: QWidget
    ) -> SafeVoteBox:
        safes, org = context.services.actions.safes, context.org

        def opener(safe: str, choice: Any, reason: str) -> Coroutine[Any, Any, SafeRequest]:
            return safes.open_snapshot_vote(org, safe, proposal, choice, reason)

        return cls(context, panel, opener, parent=parent)

    @classmethod
    def for_onchain(
        cls, context: VoteContext, proposal_id: int, panel: VotePanel, parent: QWidget
    ) -> SafeVoteBox:
        from app.governor.model import Support

        safes, org = context.services.actions.safes, context.org

        def opener(safe: str, choice: Any, _reason: str) -> Coroutine[Any, Any, SafeRequest]:
            return safes.open_onchain_vote(org, safe, proposal_id, Support(choice))

        return cls(context, panel, opener, parent=parent)

    def reload(self) -> None:
        """The Safes the account owns on this network, as followed on this device."""
        org = self._context.org
        self.picker.clear()
        for safe in self.safes.owned(org.network.chain_id, self._context.account):
            self.picker.addItem(f"{safe.label} — {safe.info.summary}", safe.info.address)
        self.setVisible(self.picker.count() > 0)

    def _on_vote_button_clicked(self) -> None:
        sign, safe = self._context.sign, self.picker.currentData()
        if sign is None or not self._context.account:
            self.status.setText("Choose and unlock an account to vote.")
            return
        choice = self._panel.choice()
        if choice is None or not self._panel.is_valid(choice):
            self.status.setText(NO_CHOICE_TEXT)
            return
        self.vote_button.setEnabled(False)
        self.status.setText("Opening the Safe's vote…")
        reason = self._panel.reason.text().strip()
        run_task(self._vote(sign, str(safe), choice, reason), owner=self,
                 on_done=self._done, on_error=self._failed)  # fmt: skip

    async def _vote(self, sign: SignerSource, safe: str, choice: Any, reason: str) -> str:
        from app.safe.requests import RequestKind, RequestStatus

        org = self._context.org
        request = await self._opener(safe, choice, reason)
        self.request_changed.emit(request)
        request = await self.safes.approve(org, sign, request.id)  # the signing dialog
        self.request_changed.emit(request)
        if request.status is not RequestStatus.READY:
            return f"{request.summary}: your approval is in, {request.progress}. {ELSEWHERE_TEXT}"
        if request.kind is RequestKind.SNAPSHOT:
            entry = await self.safes.send(request.id)
            receipt = entry.receipt.id[:12] + "…" if entry.receipt else "pending"
            return f"{request.summary}: sent to Snapshot as the Safe ({receipt})."
        mined = await self.safes.execute(org, sign, request.id)
        return f"{request.summary}: executed in block {mined.block_number}."

    def _done(self, text: str) -> None:
        self.vote_button.setEnabled(True)
        self.status.setText(text)

    def _failed(self, message: str) -> None:
        self.vote_button.setEnabled(True)
        self.status.setText(message)


def safe_outbox_rows(window: QObject | None) -> list[list[str]]:
    """Outbox rows (message, from, sent to, status, details) for Safe votes still collecting
    approvals, from the window's services; none for a window without them."""
    services = getattr(window, "services", None)
    if not isinstance(services, Services):
        return []
    from app.safe.requests import RequestKind, RequestStatus

    rows = []
    for request in services.actions.safes.requests():
        if request.status is RequestStatus.COLLECTING:
            where = f"chain {request.chain_id}"
            if request.kind is RequestKind.SNAPSHOT:
                where = str(request.payload.get("url") or "Snapshot")
            rows.append([f"Safe {request.kind.value}", request.safe, where, request.progress,
                         request.summary])  # fmt: skip
    return rows
