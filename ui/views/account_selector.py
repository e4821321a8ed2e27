"""The main window's account chooser and the dialog that hosts the accounts page."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QDialog, QVBoxLayout, QWidget

from app.keys.metadata import AccountInfo, AccountKind
from app.orgs import Organisation

if TYPE_CHECKING:  # eth-account loads with the accounts page, not with the toolbar (issue #20)
    from app.usecases import UseCases
    from ui.signing import Keys

NO_ACCOUNT = "No account"


class AccountSelector(QComboBox):
    """Lists the accounts; emits ``account_changed`` with the address ("" for none)."""

    account_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("account-selector")
        self.setMinimumWidth(200)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.addItem(NO_ACCOUNT, "")
        self.currentIndexChanged.connect(lambda _i: self.account_changed.emit(self.address()))

    def address(self) -> str:
        return str(self.currentData() or "")

    def set_accounts(self, accounts: Sequence[AccountInfo], keep: str | None = None) -> None:
        """Replace the list, keeping the current choice if it is still there; with no choice
        yet, an account that was just added becomes the current one."""
        wanted = keep if keep is not None else self.address()
        before = self.address()
        listed = {str(self.itemData(i)) for i in range(self.count())}
        added = [a.address for a in accounts if a.address not in listed]
        if not wanted and added and keep is None:
            wanted = added[-1]
        self.blockSignals(True)
        self.clear()
        self.addItem(NO_ACCOUNT, "")
        for info in accounts:
            suffix = " · watch-only" if info.kind is AccountKind.WATCH else ""
            short = f"{info.address[:6]}…{info.address[-4:]}"
            self.addItem(f"{info.label} ({short}){suffix}", info.address)
            self.setItemData(self.count() - 1, info.address, Qt.ItemDataRole.ToolTipRole)
        self.setCurrentIndex(max(self.findData(wanted), 0))
        self.blockSignals(False)
        if self.address() != before:
            self.account_changed.emit(self.address())


class AccountsDialog(QDialog):
    """The accounts page in its own non-modal window."""

    def __init__(
        self,
        keys: Keys,
        current_org: Callable[[], Organisation | None],
        parent: QWidget,
        *,
        actions: UseCases | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Accounts")
        self.setObjectName("accounts-dialog")
        self.resize(860, 560)
        layout = QVBoxLayout(self)
        # The page (and its delegation box, which needs web3) loads when first opened.
        from ui.views.accounts_page import AccountsPage

        self.page = AccountsPage(keys, current_org, self, actions=actions)
        layout.addWidget(self.page)
