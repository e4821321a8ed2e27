"""WindowDialogs: the windows the main window opens — a proposal's detail, the accounts,
delegates, Safes, outbox, shortcuts and About windows, the organisation form and a new idea."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app.keys.metadata import AccountInfo
from app.pipeline.board import Card
from app.pipeline.model import Phase
from ui.tasks import run_task
from ui.views.about_dialog import AboutDialog
from ui.views.account_selector import AccountsDialog
from ui.views.advance_dialog import open_next_step
from ui.views.idea_dialog import IdeaDialog
from ui.views.org_dialog import OrgDialog
from ui.views.outbox_view import OutboxView
from ui.views.shortcuts_dialog import ShortcutsDialog
from ui.views.window_parts import WindowParts

if TYPE_CHECKING:
    # The detail view (web3) loads when first opened, not at start-up (issue #20).
    from ui.views.proposal_detail_view import ProposalDetailView


class WindowDialogs(WindowParts):
    def open_detail(self, card: Card) -> ProposalDetailView | None:
        """Open the proposal detail view for an activated board card."""
        from ui.views.proposal_detail_view import ProposalDetailView

        org = self.current_org()
        if org is None:
            return None
        view = ProposalDetailView(
            self.services,
            org,
            card.initiative_id,
            account=self.account.address,
            sign=self.sign,
            names=self.own_names(),
            parent=self,
        )
        view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        view.vote_sent.connect(lambda _receipt: self.refresh())
        view.changed.connect(self.refresh)
        view.advance_requested.connect(lambda initiative: open_next_step(self, initiative))
        view.show()
        return view

    def show_accounts(self) -> AccountsDialog:
        """Open (or raise) the accounts window; its changes update the account selector."""
        if self.accounts_dialog is None:
            self.accounts_dialog = AccountsDialog(self.keys, self.current_org, self,
                                                  actions=self.services.actions)  # fmt: skip
            self.accounts_dialog.page.accounts_changed.connect(self._on_accounts_listed)
        self.accounts_dialog.show()
        self.accounts_dialog.activateWindow()
        return self.accounts_dialog

    def _on_accounts_listed(self, accounts: list[AccountInfo]) -> None:
        self.account_labels = {a.address: a.label for a in accounts}
        self.account_selector.set_accounts(accounts)

    def show_delegates(self) -> QDialog | None:
        """Who holds the votes in the current organisation (needs its on-chain governor)."""
        from ui.views.delegates_view import DelegatesView

        org = self.current_org()
        if org is None or not org.governor:
            self.show_error("Choose an organisation with an on-chain governor to see delegates.")
            return None
        dialog = DelegatesView(
            self, self.services.actions, org, self.sign,
            lambda: self.account.address, lambda: self.account_labels,
        )  # fmt: skip
        dialog.show()
        return dialog

    def show_safes(self) -> QDialog | None:
        """The Safes followed on the current organisation's network, and their approvals."""
        from ui.signing import dialog_signer_source
        from ui.views.safes_view import SafesView

        org = self.current_org()
        if org is None:
            self.show_error("Choose an organisation first: a Safe lives on its network.")
            return None
        dialog = SafesView(self, self.services.actions, org,
                           lambda owner: dialog_signer_source(self, self.keys, lambda: owner),
                           self.sign, self.keys.manager.list_accounts)  # fmt: skip
        dialog.show()
        return dialog

    def show_outbox(self) -> OutboxView:
        return self.outbox.show()

    def show_about(self) -> AboutDialog:
        dialog = AboutDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_shortcuts(self) -> ShortcutsDialog:
        dialog = ShortcutsDialog(self)
        dialog.open()
        return dialog

    def focus_column(self, phase: Phase) -> None:
        self.board.columns[phase].list.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def add_organisation(self) -> OrgDialog:
        """Open the organisation form; a saved organisation is selected on the board."""
        dialog = OrgDialog(self.services.orgs, parent=self)
        dialog.accepted.connect(
            lambda: self.reload_orgs(select=dialog.saved.slug if dialog.saved else None)
        )
        dialog.open()
        return dialog

    def _on_new_idea_triggered(self) -> None:
        org = self.current_org()
        if org is None:
            return
        dialog = IdeaDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        run_task(
            self.services.actions.ideas.create(
                org, dialog.title.text(), dialog.body.toPlainText(), dialog.discussion.text(),
                needs_onchain=dialog.needs_onchain.isChecked(),
            ),
            owner=self,
            on_done=lambda _draft: self.refresh(),
            on_error=self.show_error,
        )  # fmt: skip
