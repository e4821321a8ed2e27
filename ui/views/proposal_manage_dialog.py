"""ProposalManageDialog: edit your Snapshot proposal before voting starts, or cancel it.

Who may: the author may edit until the start (``update-proposal``); the author, and the space's
admins and moderators, may cancel (``delete-proposal``). The dialog says so, reads the space's
admins and moderators through ``Services.snapshot()``, and enables only what the account may do.
Both messages are signed through the window's ``SignerSource`` and delivered by ``SnapshotService``.
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from app.orgs import Organisation
from app.services import Services
from app.snapshot import space_rules
from app.snapshot.records import Proposal, Space
from ui.tasks import run_task

if TYPE_CHECKING:
    from app.keys.signer_protocol import Signer
    from app.snapshot.sequencer import Receipt
    from app.usecases.signing import SignerSource


def who_may(proposal: Proposal, space: Space | None, now: int) -> str:
    """The plain rule for this proposal: who may edit it (and until when) and who may cancel."""
    started = proposal.start <= now
    edit = ("Voting has started: it can no longer be edited." if started
            else f"Its author ({proposal.author}) may edit it until voting starts.")  # fmt: skip
    staff = [*(space.admins if space else ()), *(space.moderators if space else ())]
    cancel = "The author" + (f", and the space's admins and moderators ({', '.join(staff)})"
                             if staff else "") + " may cancel it."  # fmt: skip
    return f"{edit} {cancel}"


class ProposalManageDialog(QDialog):
    changed = Signal(str)  # the receipt id of the edit or cancellation

    def __init__(
        self,
        services: Services,
        org: Organisation,
        proposal: Proposal,
        *,
        account: str | None,
        sign: SignerSource | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services, self.org, self.proposal = services, org, proposal
        self.account, self.sign = account, sign
        self.space: Space | None = None
        self.setWindowTitle("Edit or cancel the proposal")
        self.title = QLineEdit(proposal.title, self)
        self.body = QPlainTextEdit(proposal.body, self)
        self.options = QPlainTextEdit("\n".join(proposal.choices), self)
        self.rule = QLabel(who_may(proposal, None, int(services.clock())), self)
        self.rule.setObjectName("who-may")
        self.rule.setWordWrap(True)
        self.error = QLabel(self)
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.save_button = QPushButton("Sign and save changes…", self)
        self.cancel_proposal_button = QPushButton("Cancel proposal…", self)
        self.save_button.clicked.connect(self.save)
        self.cancel_proposal_button.clicked.connect(self.cancel_proposal)
        form = QFormLayout(self)
        for label, widget in (("Title", self.title), ("Text", self.body),
                              ("Choices", self.options)):  # fmt: skip
            form.addRow(label, widget)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_proposal_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        form.addRow(self.rule)
        form.addRow(self.error)
        form.addRow(buttons)
        self._enable()

    def load_space(self) -> None:
        """Read the space's admins and moderators (who may cancel) on the running loop."""
        run_task(self.services.snapshot().space(self.org), owner=self, on_done=self.set_space,
                 on_error=self.error.setText)  # fmt: skip

    def set_space(self, space: Space | None) -> None:
        self.space = space
        self.rule.setText(who_may(self.proposal, space, int(self.services.clock())))
        self._enable()

    def _enable(self) -> None:
        account, now = self.account or "", int(self.services.clock())
        may_edit = (
            bool(account)
            and space_rules.may_edit(self.proposal.author, account, self.proposal.start, now)
            is None
        )
        may_cancel = bool(account) and space_rules.may_cancel(
            self.space, self.proposal.author, account
        )
        for widget in (self.title, self.body, self.options, self.save_button):
            widget.setEnabled(may_edit)
        self.cancel_proposal_button.setEnabled(may_cancel)

    def _signer(self) -> Signer | None:
        if self.sign is None or not self.account:
            self.error.setText("Choose and unlock an account (toolbar) first.")
            return None
        from app.usecases.signing import PreviewHints

        context = {"proposal_title": self.title.text(), "choices": list(self.proposal.choices)}
        return self.sign(self.org, PreviewHints({}, context))

    def save(self) -> None:
        from app.snapshot.send import ProposalContent

        signer = self._signer()
        if signer is None:
            return
        choices = tuple(c for c in self.options.toPlainText().splitlines() if c.strip())
        if not self.title.text().strip():
            self.error.setText("Give the proposal a title.")
            return
        content = ProposalContent(self.title.text().strip(), self.body.toPlainText(), choices,
                                  self.proposal.type)  # fmt: skip
        self._run(self.services.snapshot().update_proposal(self.org, self.proposal, signer,
                                                            content))  # fmt: skip

    def cancel_proposal(self, *, confirm: bool = True) -> None:
        signer = self._signer()
        if signer is None:
            return
        if (
            confirm
            and QMessageBox.question(
                self, "Cancel the proposal?", "Cancel this proposal? Its votes are discarded."
            )
            != QMessageBox.StandardButton.Yes
        ):
            return
        self._run(self.services.snapshot().cancel_proposal(self.org, self.proposal, signer))

    def _run(self, coro: Coroutine[Any, Any, Receipt]) -> None:
        self.error.setText("Waiting for your signature…")
        self.save_button.setEnabled(False)
        self.cancel_proposal_button.setEnabled(False)
        run_task(coro, owner=self, on_done=self._done, on_error=self._failed)

    def _done(self, receipt: Receipt) -> None:
        self.changed.emit(receipt.id)
        self.accept()

    def _failed(self, message: str) -> None:
        self._enable()
        self.error.setText(message)
