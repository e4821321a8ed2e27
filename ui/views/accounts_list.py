"""AccountsList: the accounts page's list of accounts with their lock state, the keyring banner
and the status line; and the runner every account action goes through (``_open_form``, ``_run``):
a form stays open with what was typed until its action succeeds."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QTableView, QWidget

from app.keys.errors import KeyringUnavailableError
from app.keys.metadata import AccountInfo
from app.orgs import Organisation
from app.usecases import UseCases
from app.usecases.accounts import is_devnet
from ui.models.account_list_model import AccountListModel
from ui.signing import Keys
from ui.tasks import run_task
from ui.views.account_forms import Field, FieldsForm

LABEL = Field("label", "Label")


def label_of(form: FieldsForm) -> str:
    return form.value("label").strip()


class AccountsList(QWidget):
    """The page's state; ``AccountsPage.__init__`` sets every attribute declared here."""

    accounts_changed = Signal(list)  # list[AccountInfo]

    keys: Keys
    usecases: UseCases | None  # None: no chain actions (delegation, balances, backups)
    current_org: Callable[[], Organisation | None]
    model: AccountListModel
    table: QTableView
    banner: QLabel
    status: QLabel
    empty: QLabel
    buttons: dict[str, QPushButton]
    active_form: QDialog | None

    # --- the list ---

    def selected(self) -> AccountInfo | None:
        row = self.table.currentIndex().row()
        return self.model.account(row) if 0 <= row < self.model.rowCount() else None

    def select(self, address: str) -> None:
        row = self.model.row_of(address)
        if row >= 0:
            self.table.selectRow(row)

    def refresh(self, select: str | None = None) -> None:
        current = select or (info.address if (info := self.selected()) else None)
        run_task(
            self.keys.manager.list_accounts(),
            owner=self,
            on_done=lambda accounts: self._show_accounts(accounts, current),
            on_error=self.show_error,
        )

    def _show_accounts(self, accounts: list[AccountInfo], select: str | None) -> None:
        unlocked = [a.address for a in accounts if self.keys.session.is_unlocked(a.address)]
        self.model.set_accounts(accounts, unlocked)
        self.empty.setVisible(not accounts)
        org = self.current_org()
        self.buttons["Add devnet account"].setVisible(org is not None and is_devnet(org))
        if select:
            self.select(select)
        self.accounts_changed.emit(accounts)

    def update_lock_state(self) -> None:
        accounts = self.model.accounts()
        self.model.set_unlocked(
            a.address for a in accounts if self.keys.session.is_unlocked(a.address)
        )

    def check_keyring(self) -> None:
        async def probe() -> str:
            try:
                await self.keys.manager.vault.check_available()
            except KeyringUnavailableError as exc:
                return exc.user_message
            return ""

        run_task(probe(), owner=self, on_done=self._show_banner, on_error=self._show_banner)

    def _show_banner(self, message: str) -> None:
        self.banner.setText(message)
        self.banner.setVisible(bool(message))

    def show_error(self, message: str) -> None:
        self.status.setText(message)

    # --- running forms and actions ---

    def _open_form(self, form: FieldsForm, then: Callable[[FieldsForm], Awaitable[Any]]) -> None:
        self.active_form = form
        # The form lives until its action succeeds: on a failure it opens again with what was
        # typed and the reason under it, so no input is lost.
        form.accepted.connect(lambda: self._run(then(form), form=form))
        form.rejected.connect(form.deleteLater)
        form.open()

    def _run(self, coro: Awaitable[Any], done: str = "", form: FieldsForm | None = None) -> None:
        async def go() -> Any:
            result = await coro
            if form is not None:
                form.deleteLater()
            return result

        def finished(result: Any) -> None:
            saved = isinstance(result, AccountInfo)
            said = result if isinstance(result, str) else ""
            self.status.setText(done or said or (f"Saved {result.label}." if saved else "Done."))
            address = result.address if saved else None
            self.refresh(select=address)

        def failed(message: str) -> None:
            self.status.setText(message)
            if form is not None:
                form.error.setText(message)
                form.open()
            self.check_keyring()

        self.status.setText("Working…")
        run_task(go(), owner=self, on_done=finished, on_error=failed)

    def _with_selected(self, action: Callable[[AccountInfo], None]) -> None:
        info = self.selected()
        if info is None:
            self.status.setText("Select an account first.")
            return
        action(info)
